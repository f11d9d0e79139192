"""The session's events and the chair's news as ``P/event`` messages.

Statuses are not events here (they come many times a second, and ``P/state`` carries what
they say); everything else the engine or the chair's link tells is one message, in the words
the other front ends show.
"""

from __future__ import annotations

from chairctl.engine import (
    AdjustmentMade,
    Event,
    FaultRaised,
    Finished,
    Paused,
    Resumed,
    SessionStarted,
    StatusReceived,
    StepStarted,
    Stopped,
    Warned,
)
from chairctl.services.remote.payloads import SessionEvent
from chairctl.vocabulary.chair_events import (
    ChairEvent,
    FaultLatched,
    LinkLost,
    Reconnected,
    ReconnectFailed,
    StopConfirmed,
)


def engine_event(event: Event) -> SessionEvent | None:
    """One engine event as a message; None for a status."""
    kind = type(event).__name__
    at = round(event.at, 3)
    match event:
        case StatusReceived():
            return None
        case SessionStarted():
            return SessionEvent(kind=kind, at=at, program=event.program_id)
        case StepStarted():
            return SessionEvent(
                kind=kind,
                at=at,
                step=event.index,
                step_name=event.entry.step,
                intensity=event.intensity,
            )
        case AdjustmentMade() | Warned() | FaultRaised():
            return SessionEvent(kind=kind, at=at, message=event.message)
        case Stopped():
            return SessionEvent(
                kind=kind,
                at=at,
                message=event.reason,
                outcome=event.outcome.value,
                chair_safe=event.chair_safe,
            )
        case Finished():
            return SessionEvent(kind=kind, at=at, outcome="completed", chair_safe=event.chair_safe)
        case Paused() | Resumed():
            return SessionEvent(kind=kind, at=at)
        case _:
            return SessionEvent(kind=kind, at=at)


def chair_event(event: ChairEvent, at: float, *, left_to_itself: str) -> SessionEvent:
    """News of the link or the chair as a message; ``at`` is the session time (0 outside
    one), ``left_to_itself`` what an unreleased chair will do on its own."""
    kind = type(event).__name__
    at = round(at, 3)
    match event:
        case LinkLost(reason=reason):
            return SessionEvent(kind=kind, at=at, message=reason)
        case Reconnected(safe=safe) | StopConfirmed(safe=safe):
            message = (
                None if safe else f"the chair did not confirm its safe state: {left_to_itself}"
            )
            return SessionEvent(kind=kind, at=at, chair_safe=safe, message=message)
        case ReconnectFailed():
            return SessionEvent(
                kind=kind,
                at=at,
                chair_safe=False,
                message=f"the chair could not be reached, so it may still be working. "
                f"{left_to_itself}",
            )
        case FaultLatched(message=message):
            return SessionEvent(kind=kind, at=at, message=message)
        case _:
            return SessionEvent(kind=kind, at=at)


def said(kind: str, message: str, at: float = 0.0) -> SessionEvent:
    """Something the bridge itself says: a stop's outcome, a log that could not be written."""
    return SessionEvent(kind=kind, at=round(at, 3), message=message)
