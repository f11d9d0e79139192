"""What a client hears from a bridge: each of the chair's out-topics parsed strictly (one clear
message for a payload that is not what its topic carries), and the bridge's session events as
the engine's and the link's own events, where they can be told honestly.

A bridge's ``P/event`` names its events as the engine and the driver do (``Stopped``,
``Finished``, ``FaultRaised``, ``LinkLost`` ...), so a front end written for them shows a
bridge's session in the same words. Two cannot be rebuilt from the network and are left out:
a step (the engine's carries the plan's entry, which the bridge compiled for the person; the
state carries the step's name, where the rollers work and the intensity) and a status (the
state carries what the chair confirmed of it). What the bridge left unsaid is never filled in
as good news: a stop whose outcome does not say the chair confirmed its safe state is an
unconfirmed one.
"""

from __future__ import annotations

import json
from typing import Final

from pydantic import TypeAdapter, ValidationError

from chairctl.engine import (
    AdjustmentMade,
    Event,
    FaultRaised,
    Finished,
    Outcome,
    Paused,
    Resumed,
    SessionStarted,
    Stopped,
    Warned,
)
from chairctl.services.remote.payloads import (
    ChairState,
    CommandError,
    LibraryEntry,
    PayloadError,
    SessionEvent,
)
from chairctl.vocabulary.chair_events import (
    ChairEvent,
    FaultLatched,
    LinkLost,
    Reconnected,
    ReconnectFailed,
    StopConfirmed,
)
from chairctl.vocabulary.text import printable
from chairctl.yamlsource import field_problems

#: The bridge's word that a stop ended (its message: the stop's outcome, in the app's words).
STOP_OUTCOME: Final = "StopOutcome"
#: The bridge's word that a clear_fault found nothing latched (or cleared it).
FAULT_CLEARED: Final = "FaultCleared"
#: The longest payload read from a bridge: a library of hundreds of programs fits.
MAX_NEWS: Final = 1024 * 1024

_LIBRARY: Final = TypeAdapter(list[LibraryEntry])
_NAMES: Final = TypeAdapter(list[str])


def _text(payload: bytes, what: str) -> str:
    if len(payload) > MAX_NEWS:
        raise PayloadError(f"{what} may be at most {MAX_NEWS} bytes, got {len(payload)}")
    try:
        return payload.decode("utf-8")
    except UnicodeDecodeError:
        raise PayloadError(f"{what} is not UTF-8 text") from None


def _problems(what: str, error: ValidationError) -> PayloadError:
    return PayloadError(f"{what}: " + "; ".join(field_problems(error)[:5]))


def parse_library(payload: bytes) -> list[LibraryEntry]:
    """``P/library``: the programs a start may name."""
    try:
        return _LIBRARY.validate_json(_text(payload, "the library"), strict=True)
    except ValidationError as error:
        raise _problems("the library", error) from None


def parse_profiles(payload: bytes) -> list[str]:
    """``P/profiles``: the names of the bridge's profiles."""
    try:
        return _NAMES.validate_json(_text(payload, "the profiles"), strict=True)
    except ValidationError as error:
        raise _problems("the profiles", error) from None


def parse_event(payload: bytes) -> SessionEvent:
    """``P/event``: one session event."""
    try:
        return SessionEvent.model_validate_json(_text(payload, "an event"))
    except ValidationError as error:
        raise _problems("an event", error) from None


def parse_error(payload: bytes) -> CommandError:
    """``P/error``: one refused command, in the words the command line and the app use."""
    try:
        return CommandError.model_validate_json(_text(payload, "an error"))
    except ValidationError as error:
        raise _problems("an error", error) from None


def parse_availability(payload: bytes) -> bool | None:
    """``P/availability``: True for ``online``, False for ``offline``; None for an empty
    payload (the bridge's retained topics were removed)."""
    text = _text(payload, "the availability").strip()
    if not text:
        return None
    if text in ("online", "offline"):
        return text == "online"
    shown = printable(text)[:40]
    raise PayloadError(f"the availability is online or offline; got '{shown}'")


def session_total(state: ChairState | None) -> float:
    """The session's length as the bridge last said it (its time so far and time left)."""
    if state is None:
        return 0.0
    return float((state.session_s or 0) + (state.time_left_s or 0))


def engine_event(event: SessionEvent, state: ChairState | None) -> Event | None:
    """``event`` as the engine's own, None when it is not one the network can carry whole (a
    step, a status) or not the engine's (a stop's outcome, the link's news)."""
    at = event.at
    message = event.message or ""
    match event.kind:
        case "SessionStarted":
            program = event.program or (state.program if state is not None else None) or ""
            name = state.program_name if state is not None and state.program_name else program
            return SessionStarted(at, program, name, session_total(state))
        case "AdjustmentMade" | "Planned":
            # "Planned": what the bridge's compiler changed for the person, or what its chair
            # only approximates, said as the session is accepted.
            return AdjustmentMade(at, message)
        case "Warned":
            return Warned(at, message)
        case "FaultRaised":
            return FaultRaised(at, message)
        case "Paused":
            return Paused(at)
        case "Resumed":
            return Resumed(at)
        case "Stopped":
            try:
                outcome = Outcome(event.outcome or "")
            except ValueError:
                outcome = Outcome.STOPPED
            return Stopped(at, message, outcome, chair_safe=event.chair_safe is True)
        case "Finished":
            return Finished(at, chair_safe=event.chair_safe is True)
        case _:
            return None


def chair_event(event: SessionEvent) -> ChairEvent | None:
    """``event`` as news of the bridge's link to its chair, None when it is not that."""
    at = event.at
    match event.kind:
        case "LinkLost":
            return LinkLost(at, event.message or "the bridge's link to the chair dropped")
        case "Reconnected":
            return Reconnected(at, safe=event.chair_safe is True)
        case "ReconnectFailed":
            return ReconnectFailed(at, attempts=0)
        case "FaultLatched":
            return FaultLatched(at, event.message or "the chair reported a fault")
        case "StopConfirmed":
            return StopConfirmed(at, safe=event.chair_safe is True)
        case _:
            return None


def dumps_start(program: str, profile: str) -> bytes:
    """A start's payload: ``{"program": ID, "profile": NAME}``."""
    return json.dumps({"program": program, "profile": profile}, ensure_ascii=False).encode()
