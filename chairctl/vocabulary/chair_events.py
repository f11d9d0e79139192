"""What happens to the link with a chair, as typed events: one class per kind of news.

The driver's session (:class:`drivers.chair.ChairSession`) reports each to whoever listens: the
session controller, the faults kept across sessions, the app. Each carries what its kind means
(a reconnection says whether the chair confirmed its safe state as a bool, a fault its
message), so no listener reads meaning out of a string.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ChairEvent:
    """Something that happened to the link or the chair, at a time on the session's clock."""

    at: float


@dataclass(frozen=True)
class Connected(ChairEvent):
    """The link is up and the chair's first status arrived; ``link`` says which link."""

    link: str = ""


@dataclass(frozen=True)
class LinkLost(ChairEvent):
    """The link dropped (or the chair fell silent); the session tries to reconnect."""

    reason: str


@dataclass(frozen=True)
class Reconnected(ChairEvent):
    """The link came back and the chair was released; ``safe``: it confirmed its safe state."""

    safe: bool


@dataclass(frozen=True)
class ReconnectFailed(ChairEvent):
    """The session gave up reconnecting: the chair may still be working."""

    attempts: int

    @property
    def reason(self) -> str:
        """In words."""
        return f"gave up after {self.attempts} attempts"


@dataclass(frozen=True)
class FaultLatched(ChairEvent):
    """The chair reported a fault (or a stop was not confirmed); it latches until cleared."""

    message: str


@dataclass(frozen=True)
class FaultCleared(ChairEvent):
    """A person said the fault is dealt with, and the chair agreed."""


@dataclass(frozen=True)
class StopConfirmed(ChairEvent):
    """A stop (a safe release) ended; ``safe``: the chair confirmed its safe state."""

    safe: bool


__all__ = [
    "ChairEvent",
    "Connected",
    "FaultCleared",
    "FaultLatched",
    "LinkLost",
    "ReconnectFailed",
    "Reconnected",
    "StopConfirmed",
]
