"""What a chair session reports about itself: its settings, link state, stops and interruptions.

Plain values, so a front end can show them and the session log can store them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from chairctl.vocabulary import ChairFault, ChairStatus


@dataclass(frozen=True)
class SessionConfig:
    """How patient a session is with its link. Times are on the session's clock."""

    #: Longest wait for a link to open.
    open_timeout_s: float = 10.0
    #: Longest wait for the first status after a link opens.
    first_status_timeout_s: float = 3.0
    #: No status for this long while connected counts as a lost link. The chair sends one
    #: every 200 ms on BLE (50 ms wired): this is 15 missed frames.
    status_timeout_s: float = 3.0
    #: Reconnection attempts after a lost link, before giving up.
    reconnect_attempts: int = 8
    #: Wait before the first reconnection attempt; doubles per attempt up to the maximum.
    reconnect_initial_s: float = 0.5
    #: The longest wait between attempts (the vendor app retries every 10 s).
    reconnect_max_s: float = 10.0
    #: Added to the chair's key gap, so jitter on the way never makes the chair drop a key.
    key_gap_margin_s: float = 0.01
    #: Statuses a slow :meth:`statuses` reader may fall behind before the oldest are dropped.
    status_backlog: int = 256

    def backoff(self, attempt: int) -> float:
        """The wait before reconnection attempt ``attempt`` (0 first)."""
        return min(self.reconnect_max_s, self.reconnect_initial_s * 2.0**attempt)


class LinkState(StrEnum):
    """Where the session's link stands."""

    DISCONNECTED = "disconnected"
    CONNECTED = "connected"
    RECONNECTING = "reconnecting"
    CLOSED = "closed"


@dataclass(frozen=True)
class StopReport:
    """What one safe release did and what the status showed at its end."""

    #: The status showed the safe state in time.
    safe: bool
    started_at: float
    finished_at: float
    #: When the chair began returning home (None if it did not have to).
    settle_started_at: float | None
    #: STOPs of held hold-to-move keys sent first.
    stops_sent: tuple[str, ...]
    #: Anything that did not go to plan.
    notes: tuple[str, ...]
    #: The last status seen.
    status: ChairStatus | None

    @property
    def elapsed_s(self) -> float:
        """How long the release took."""
        return self.finished_at - self.started_at


class UnsafeStop(ChairFault):
    """A stop did not bring the chair to its safe state in time; latched like a fault."""

    def __init__(self, report: StopReport) -> None:
        super().__init__("; ".join(report.notes) or "the chair did not confirm its safe state")
        #: What the stop did.
        self.report = report


@dataclass(frozen=True)
class Interruption:
    """The link dropped: when, why, and what the session did about it."""

    reason: str
    lost_at: float
    #: A link is up again.
    reconnected: bool
    #: The release after reconnecting, None when no link came back.
    report: StopReport | None

    @property
    def safe(self) -> bool:
        """The chair confirmed its safe state after the drop."""
        return self.report is not None and self.report.safe
