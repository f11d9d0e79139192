"""What the engine tells its listeners (the CLI, the TUI, the session log) as a session runs.

Every event carries ``at``, the session time in seconds: massage time since the start, which
stops while the session is paused. Events are plain frozen values, cheap to fan out.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from chairctl.plan import PlanEntry
from chairctl.vocabulary import ChairStatus


class Outcome(StrEnum):
    """How a session ended."""

    COMPLETED = "completed"
    STOPPED = "stopped"
    FAULT = "fault"
    INTERRUPTED = "interrupted"


@dataclass(frozen=True)
class Event:
    """Something that happened ``at`` seconds into the session."""

    at: float


@dataclass(frozen=True)
class SessionStarted(Event):
    """The chair is about to be driven."""

    program_id: str
    program_name: str
    total_s: float


@dataclass(frozen=True)
class StepStarted(Event):
    """A plan entry is now being applied."""

    index: int
    entry: PlanEntry
    intensity: int


@dataclass(frozen=True)
class StatusReceived(Event):
    """The chair reported its status."""

    status: ChairStatus


@dataclass(frozen=True)
class AdjustmentMade(Event):
    """The engine changed what the plan asked, and why (a live change clamped by the rules)."""

    message: str


@dataclass(frozen=True)
class Warned(Event):
    """Something a person should know, that does not stop the session."""

    message: str


@dataclass(frozen=True)
class Paused(Event):
    """The session is paused; the chair was released."""


@dataclass(frozen=True)
class Resumed(Event):
    """The session goes on."""


@dataclass(frozen=True)
class FaultRaised(Event):
    """The chair or a watchdog reported a fault; the session stops and will not resume."""

    message: str


@dataclass(frozen=True)
class Stopped(Event):
    """The session ended early; the chair was brought to its safe state."""

    reason: str
    outcome: Outcome
    chair_safe: bool


@dataclass(frozen=True)
class Finished(Event):
    """The plan ran to its end; the chair was brought to its safe state."""

    chair_safe: bool
