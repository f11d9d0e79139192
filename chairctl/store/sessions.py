"""The session log: an engine listener that writes a session to the store as it runs, and the
records read back from it.

Minutes and mean intensity per region are computed from what the engine actually did, not from
the plan: each :class:`StepStarted` covers the session time from its ``at`` to the next step's
(or the session's end, or its plan entry's end, whichever is first), at the intensity the
engine sent, which includes live changes and the guard's corrections. A span shares its time
equally among its regions, as :meth:`Plan.seconds_per_region` does, so a session that ran its
plan to the end reports the plan's figures. Session time stands still while paused, so pauses
count for nothing.

The log is written off the event loop, by the store's writer thread: see :class:`SessionLog`.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import threading
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from chairctl.clock import Clock, VirtualClock
from chairctl.engine import (
    AdjustmentMade,
    Event,
    FaultRaised,
    Finished,
    Outcome,
    StepStarted,
    Stopped,
)
from chairctl.store.writer import LogWriter, Write
from chairctl.vocabulary import TRACK_ORDER, Region, StoreError

if TYPE_CHECKING:
    from chairctl.store.store import Store

#: How long a front end waits, after the chair's release, for a session's log to be written.
DRAIN_S = 5.0


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


@dataclass(frozen=True)
class SessionHistory:
    """Sessions read back from the log, newest first, and a note for each row (or part of
    one) that could not be read and was left out."""

    records: list[SessionRecord]
    notes: list[str] = field(default_factory=list)


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

    :meth:`on_event` never waits and never raises: it works out what to write and hands it to
    the store's writer thread (:mod:`chairctl.store.writer`), so a locked, full, read-only or
    damaged database can neither stall the event loop that drives the chair nor break the
    engine. Safety events are written as they happen; the end (time, outcome, per-region
    figures) on :class:`Stopped` or :class:`Finished`, which the engine sends after the chair's
    release. Anything after the end is ignored.

    A failed write is remembered, not raised: :meth:`drain`, which a front end awaits once the
    chair is released, says in one sentence what could not be written and why.
    """

    def __init__(self, store: Store, session_id: int, writer: LogWriter) -> None:
        self.store = store
        self.session_id = session_id
        self._writer = writer
        self._steps: list[StepStarted] = []
        self._ended = False
        self._abandoned = False
        self._numbers: list[int] = []
        # Written by the writer thread, read by the front end's.
        self._lock = threading.Lock()
        self._failures = 0
        self._problem: StoreError | None = None
        self._end_lost = False

    @property
    def ended(self) -> bool:
        """True once the session's end was received (written or on its way)."""
        return self._ended

    @property
    def last_write(self) -> int:
        """The writer's number of this log's last write so far (0 before the first)."""
        return self._numbers[-1] if self._numbers else 0

    @property
    def abandoned(self) -> bool:
        """True once a wait for this log's writes gave up: nobody waits for them again."""
        return self._abandoned

    @property
    def problem(self) -> StoreError | None:
        """Why the first write that failed failed; None while none has."""
        with self._lock:
            return self._problem

    @property
    def pending(self) -> int:
        """How many of this log's writes are not finished yet."""
        done = self._writer.done
        return sum(1 for number in self._numbers if number > done)

    def on_event(self, event: Event) -> None:
        """Record what matters of one engine event; never waits, never raises."""
        try:
            self._take(event)
        except Exception as error:  # a bug here must not reach the engine that called us
            self._failed(
                StoreError(f"the session log failed: {type(error).__name__}: {error}"),
                end=False,
            )

    def _take(self, event: Event) -> None:
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
        row = (self.session_id, at, kind, message)

        def write(db: sqlite3.Connection) -> None:
            db.execute(
                "INSERT INTO safety_events (session_id, at, kind, message) VALUES (?, ?, ?, ?)",
                row,
            )

        self._submit(write, end=False)

    def _end(self, at: float, outcome: Outcome, reason: str) -> None:
        # Worked out now, not when the writer gets to it: the end is when the engine said.
        figures = region_figures(self._steps, at)
        ended_at = datetime.now(UTC).isoformat(timespec="microseconds")
        ident = self.session_id

        def write(db: sqlite3.Connection) -> None:
            db.execute(
                "UPDATE sessions SET ended_at = ?, session_s = ?, outcome = ?, reason = ? "
                "WHERE id = ?",
                (ended_at, at, outcome.value, reason, ident),
            )
            db.executemany(
                "INSERT INTO session_regions (session_id, region, seconds, mean_intensity) "
                "VALUES (?, ?, ?, ?)",
                [(ident, r.value, s, i) for r, (s, i) in figures.items()],
            )

        self._ended = True
        self._submit(write, end=True)
        self.store._log_ended(self)

    def _submit(self, write: Write, *, end: bool) -> None:
        self._numbers.append(self._writer.submit(write, lambda e: self._failed(e, end=end)))

    def _failed(self, error: StoreError, *, end: bool) -> None:
        with self._lock:
            self._failures += 1
            if self._problem is None:
                self._problem = error
            self._end_lost = self._end_lost or end

    # -- waiting for the writes ---------------------------------------------------------------

    def abandon(self) -> None:
        """Stop waiting for this log's writes (they go on in the writer's own time)."""
        self._abandoned = True

    def wait(self, timeout_s: float | None = None) -> bool:
        """Block (at most ``timeout_s``, default :data:`DRAIN_S`) until every write so far is
        finished; True when they are. Giving up :meth:`abandons <abandon>` the log. Not for an
        event loop: use :meth:`drain` there."""
        if self._writer.wait_for(self.last_write, DRAIN_S if timeout_s is None else timeout_s):
            return True
        self.abandon()
        return False

    async def drain(self, clock: Clock | None = None, timeout_s: float | None = None) -> str | None:
        """Wait, without holding up the event loop, at most ``timeout_s`` of real time
        (default :data:`DRAIN_S`) for this log's writes; then None when all were written, else
        one sentence saying what was not and why (the same sentence however many writes
        failed). A log already given up on is not waited for again.

        On a :class:`~chairctl.clock.VirtualClock` the wait is real I/O in flight: time
        stands still until it is over.
        """
        timeout_s = DRAIN_S if timeout_s is None else timeout_s
        if not self._abandoned and self.pending:
            loop = asyncio.get_running_loop()
            waiting = loop.run_in_executor(None, self._writer.wait_for, self.last_write, timeout_s)
            remove = None
            if isinstance(clock, VirtualClock):

                async def quiesce() -> bool:
                    if waiting.done():
                        return False
                    await asyncio.wait({waiting})
                    return True

                remove = clock.add_quiescence(quiesce)
            try:
                if not await waiting:
                    self.abandon()
            finally:
                if remove is not None:
                    remove()
        return self.report(timeout_s)

    def report(self, waited_s: float | None = None) -> str | None:
        """None when every write so far is written; else what was not, and why, in words."""
        with self._lock:
            failures, problem, end_lost = self._failures, self._problem, self._end_lost
        pending = self.pending
        path = self.store.path
        if pending:
            waited = f"after {waited_s:g} s, " if waited_s is not None else ""
            return (
                f"this session's log is not written yet: {waited}{pending} of its "
                f"{len(self._numbers)} writes still wait for {path}, which another program may "
                "hold (another chairctl, or a sqlite3 shell). If chairctl ends before they are "
                "written, the history shows this session as interrupted"
            )
        if problem is None:
            return None
        lost = (
            " The history will show this session as interrupted once this chairctl ends, "
            "counted as its whole plan towards the rest between sessions and the daily cap."
            if end_lost
            else ""
        )
        return (
            f"this session's log could not be written in full ({failures} of "
            f"{len(self._numbers)} writes failed): {problem}.{lost}"
        )
