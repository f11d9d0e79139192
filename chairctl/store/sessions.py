"""The session log: an engine listener that writes a session to the store as it runs, and the
records read back from it.

Minutes and mean intensity per region are computed from what the engine actually did, not from
the plan: each :class:`StepStarted` covers the session time from its ``at`` to the next step's
(or the session's end, or its plan entry's end, whichever is first), at the intensity the
engine sent, which includes live changes and the guard's corrections. A span shares its time
equally among its regions, as :meth:`Plan.seconds_per_region` does, so a session that ran its
plan to the end reports the plan's figures. Session time stands still while paused, so pauses
count for nothing.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from chairctl.engine import (
    AdjustmentMade,
    Event,
    FaultRaised,
    Finished,
    Outcome,
    StepStarted,
    Stopped,
)
from chairctl.vocabulary import TRACK_ORDER, Region

if TYPE_CHECKING:
    from chairctl.store.store import Store


@dataclass(frozen=True)
class SafetyEvent:
    """Something the safety layer did during a session: an adjustment or a fault."""

    at: float
    kind: str  # "adjustment" or "fault"
    message: str


@dataclass(frozen=True)
class SessionRecord:
    """One logged session. ``outcome`` is None while it is still running."""

    id: int
    program_id: str
    program_name: str
    profile_name: str | None
    chair: str
    planned_s: float
    started_at: datetime
    ended_at: datetime | None
    session_s: float | None
    outcome: Outcome | None
    reason: str | None
    minutes_per_region: dict[Region, float] = field(default_factory=dict)
    mean_intensity_per_region: dict[Region, float] = field(default_factory=dict)
    safety_events: tuple[SafetyEvent, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (times as ISO 8601 text, regions by their names)."""
        return {
            "id": self.id,
            "program_id": self.program_id,
            "program_name": self.program_name,
            "profile_name": self.profile_name,
            "chair": self.chair,
            "planned_s": self.planned_s,
            "started_at": self.started_at.isoformat(),
            "ended_at": None if self.ended_at is None else self.ended_at.isoformat(),
            "session_s": self.session_s,
            "outcome": "running" if self.outcome is None else self.outcome.value,
            "reason": self.reason,
            "minutes_per_region": {r.value: m for r, m in self.minutes_per_region.items()},
            "mean_intensity_per_region": {
                r.value: i for r, i in self.mean_intensity_per_region.items()
            },
            "safety_events": [
                {"at": e.at, "kind": e.kind, "message": e.message} for e in self.safety_events
            ],
        }

    def to_json(self) -> str:
        """The record as one JSON object."""
        return json.dumps(self.to_dict(), ensure_ascii=False)


def region_figures(steps: Iterable[StepStarted], end_s: float) -> dict[Region, tuple[float, float]]:
    """Seconds and time-weighted mean intensity per region, from the steps a session started
    and the session time at which it ended; regions in track order."""
    ordered = sorted(steps, key=lambda s: s.at)
    seconds: dict[Region, float] = defaultdict(float)
    weighted: dict[Region, float] = defaultdict(float)
    for index, step in enumerate(ordered):
        setpoint = step.entry.setpoint
        if not setpoint.rollers_active:
            continue
        following = ordered[index + 1].at if index + 1 < len(ordered) else end_s
        until = min(following, end_s, step.entry.end_s)
        if until <= step.at:
            continue
        share = (until - step.at) / len(setpoint.regions)
        for region in setpoint.regions:
            seconds[region] += share
            weighted[region] += share * step.intensity
    return {r: (seconds[r], weighted[r] / seconds[r]) for r in TRACK_ORDER if seconds[r] > 0}


class SessionLog:
    """Writes one session as the engine reports it: ``engine.listen(log.on_event)``.

    Safety events are committed as they happen; the end (time, outcome, per-region figures) is
    committed on :class:`Stopped` or :class:`Finished`. Anything after the end is ignored.
    """

    def __init__(self, store: Store, session_id: int) -> None:
        self.store = store
        self.session_id = session_id
        self._steps: list[StepStarted] = []
        self._ended = False

    @property
    def ended(self) -> bool:
        """True once the session's end has been written."""
        return self._ended

    def on_event(self, event: Event) -> None:
        """Record what matters of one engine event."""
        if self._ended:
            return
        match event:
            case StepStarted():
                self._steps.append(event)
            case AdjustmentMade(at=at, message=message):
                self._safety(at, "adjustment", message)
            case FaultRaised(at=at, message=message):
                self._safety(at, "fault", message)
            case Stopped(at=at, reason=reason, outcome=outcome):
                self._end(at, outcome, reason)
            case Finished(at=at):
                self._end(at, Outcome.COMPLETED, "the program finished")
            case _:
                pass

    def _safety(self, at: float, kind: str, message: str) -> None:
        with self.store.transaction() as db:
            db.execute(
                "INSERT INTO safety_events (session_id, at, kind, message) VALUES (?, ?, ?, ?)",
                (self.session_id, at, kind, message),
            )

    def _end(self, at: float, outcome: Outcome, reason: str) -> None:
        figures = region_figures(self._steps, at)
        with self.store.transaction() as db:
            db.execute(
                "UPDATE sessions SET ended_at = ?, session_s = ?, outcome = ?, reason = ? "
                "WHERE id = ?",
                (
                    datetime.now(UTC).isoformat(timespec="microseconds"),
                    at,
                    outcome.value,
                    reason,
                    self.session_id,
                ),
            )
            db.executemany(
                "INSERT INTO session_regions (session_id, region, seconds, mean_intensity) "
                "VALUES (?, ?, ?, ?)",
                [(self.session_id, r.value, s, i) for r, (s, i) in figures.items()],
            )
        self._ended = True
