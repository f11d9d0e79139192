"""The engine: runs a Plan on a Chair against a Clock, with the runtime guard always last.

Each entry is applied at its scheduled session time, counted from the session's start, so
slow confirmations never make the timeline drift. Session time is massage time: it stops while
paused. Pausing, stopping, a fault and a live intensity change all interrupt the drive loop
(cancelling an ``apply`` in progress, which makes the chair send its STOPs); resuming and the
intensity change restart it from the current session time.

The runtime guard is the last thing a setpoint meets before it leaves: the hard rules of
:mod:`chairctl.safety` (the same ones the compiler used), a session cap whatever the plan says,
a status watchdog, and faults that latch. Whatever ends the session, the chair is asked to
stop, which is a safe release.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from chairctl.clock import Clock, TimerHandle
from chairctl.engine.events import (
    AdjustmentMade,
    Event,
    FaultRaised,
    Finished,
    Outcome,
    Paused,
    Resumed,
    SessionStarted,
    StatusReceived,
    StepStarted,
    Stopped,
)
from chairctl.plan import Plan, PlanEntry
from chairctl.safety import enforce, violations
from chairctl.vocabulary import (
    MAX_INTENSITY,
    MIN_INTENSITY,
    Chair,
    ChairctlError,
    ChairFault,
    ChairStatus,
    LinkError,
    SafetyViolation,
    Setpoint,
    WorkState,
)
from chairctl.vocabulary.limits import SESSION_CAP_S, START_RAMP_S

#: No status for this long while a session runs means the chair is lost.
DEFAULT_WATCHDOG_S = 5.0

Listener = Callable[[Event], None]


@dataclass(frozen=True)
class Result:
    """How a session ended, and whether the chair confirmed its safe state."""

    outcome: Outcome
    reason: str
    chair_safe: bool
    session_s: float


class Engine:
    """One session: a plan, a chair, a clock."""

    def __init__(
        self,
        plan: Plan,
        chair: Chair,
        clock: Clock,
        *,
        watchdog_s: float = DEFAULT_WATCHDOG_S,
        cap_s: float = SESSION_CAP_S,
    ) -> None:
        self.plan = plan
        self.chair = chair
        self.clock = clock
        self.watchdog_s = watchdog_s
        self.cap_s = min(cap_s, SESSION_CAP_S)
        self._listeners: list[Listener] = []
        self._origin = 0.0  # clock time at which session time was 0
        self._paused_at: float | None = None
        self._offset = 0
        self._drive: asyncio.Task[None] | None = None
        self._monitor: asyncio.Task[None] | None = None
        self._watchdog: TimerHandle | None = None
        self._done: asyncio.Future[tuple[Outcome, str]] | None = None
        self._control = asyncio.Lock()
        self._started = False
        self._session_started = False
        self._cut = False
        self._index = -1
        self._intensity = 0

    # -- listening ---------------------------------------------------------------------------

    def listen(self, listener: Listener) -> None:
        """Call ``listener`` with every event from now on."""
        self._listeners.append(listener)

    def _emit(self, event: Event) -> None:
        for listener in list(self._listeners):
            listener(event)

    # -- time ----------------------------------------------------------------------------------

    def elapsed(self) -> float:
        """Session (massage) time in seconds; it does not move while paused."""
        now = self._paused_at if self._paused_at is not None else self.clock.now()
        return max(0.0, now - self._origin)

    @property
    def started_at(self) -> float:
        """The clock time at which session time was 0 (moved on by pauses)."""
        return self._origin

    @property
    def paused(self) -> bool:
        """True while the session is paused."""
        return self._paused_at is not None

    @property
    def intensity_offset(self) -> int:
        """The live intensity change the person asked for (-4..+4)."""
        return self._offset

    @property
    def started(self) -> bool:
        """True once session time has started (the chair was prepared)."""
        return self._session_started

    @property
    def preparing(self) -> bool:
        """True from :meth:`run` until session time starts (the chair is being prepared)."""
        return self._started and not self._session_started

    @property
    def end_s(self) -> float:
        """When the session ends, in session time: the plan's end or the cap."""
        return min(self.plan.total_s, self.cap_s)

    # -- running -------------------------------------------------------------------------------

    async def run(self) -> Result:
        """Run the session to its end; the chair is stopped safely however it ends."""
        if self._started:
            raise RuntimeError("an engine runs one session")
        self._started = True
        self._done = asyncio.get_running_loop().create_future()
        self._origin = self.clock.now()
        self._monitor = asyncio.create_task(self._watch_status())
        self._arm_watchdog()
        # Preparing (power-up, body scan, the first setpoint) can take half a minute: it runs as
        # the drive task, so a stop, a fault or the watchdog cuts it short like any other step.
        preparing = self._drive = asyncio.create_task(self._prepare())
        try:
            either: set[asyncio.Future[Any]] = {preparing, self._done}
            await asyncio.wait(either, return_when=asyncio.FIRST_COMPLETED)
            if preparing.cancelled() and not self._done.done():
                # Cut while preparing: the stop that follows ends the session.
                await asyncio.wait({self._done})
        except BaseException:
            await self._teardown()
            safe = await self._release()
            self._emit(Stopped(0.0, "the run ended abnormally", Outcome.INTERRUPTED, safe))
            raise
        if self._done.done():
            outcome, reason = self._done.result()
            await self._teardown()
            safe = await self._release()
            self._emit(Stopped(0.0, reason, outcome, safe))
            return Result(outcome, reason, safe, 0.0)
        self._drive = None
        error = preparing.exception()
        if isinstance(error, ChairctlError):
            await self._teardown()
            safe = await self._release()
            message = f"the chair could not be prepared: {error}"
            self._emit(FaultRaised(0.0, message))
            self._emit(Stopped(0.0, message, Outcome.FAULT, safe))
            return Result(Outcome.FAULT, message, safe, 0.0)
        if error is not None:
            await self._teardown()
            await self._release()
            raise error
        self._session_started = True
        # Session time starts when the first setpoint is confirmed: a chair's power-up body
        # scan is not massage, and a session capped at 30 minutes means 30 minutes of it.
        self._origin = self.clock.now()
        self._emit(SessionStarted(0.0, self.plan.program_id, self.plan.program_name, self.end_s))
        self._start_drive()
        try:
            outcome, reason = await self._done
        except BaseException:
            # Cancelled from outside, or a bug in the drive loop: the chair is released first,
            # whatever happens next.
            await self._teardown()
            safe = await self._release()
            self._emit(
                Stopped(self.elapsed(), "the run ended abnormally", Outcome.INTERRUPTED, safe)
            )
            raise
        at = self.elapsed()
        await self._teardown()
        safe = await self._release()
        if outcome is Outcome.COMPLETED:
            self._emit(Finished(at, safe))
        else:
            self._emit(Stopped(at, reason, outcome, safe))
        return Result(outcome, reason, safe, at)

    async def _teardown(self) -> None:
        await self._halt()
        self._disarm_watchdog()
        if self._monitor is not None:
            self._monitor.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._monitor

    async def _prepare(self) -> None:
        """Bring the chair to the plan's first setpoint before session time starts."""
        if not self.plan.entries:
            return
        self.chair.expect_session(self.end_s)
        first = self.plan.entries[0]
        setpoint = self._guarded(first, 0.0)
        self._index, self._intensity = 0, setpoint.intensity
        self._emit(StepStarted(0.0, 0, first, setpoint.intensity))
        await self.chair.apply(setpoint)

    def _start_drive(self) -> None:
        if self._cut:
            return  # stopping: nothing more is applied
        self._drive = asyncio.create_task(self._drive_from(self.elapsed()))
        self._drive.add_done_callback(self._drive_ended)

    def _drive_ended(self, task: asyncio.Task[None]) -> None:
        if task.cancelled() or self._done is None or self._done.done():
            return
        error = task.exception()
        if error is None:
            at_cap = self.end_s < self.plan.total_s
            if at_cap:
                self._finish(Outcome.STOPPED, f"the session cap of {self.cap_s / 60:g} min")
            else:
                self._finish(Outcome.COMPLETED, "the program finished")
        elif isinstance(error, ChairFault | LinkError):
            # Both say what happened in words of their own ("the link to the chair dropped: …").
            self._fault(str(error))
        elif isinstance(error, SafetyViolation):
            self._fault(f"the safety guard refused a setpoint: {error}")
        elif isinstance(error, ChairctlError):
            self._fault(str(error))
        else:
            # A bug: surface it, but only after the chair is released (run() does that).
            self._done.set_exception(error)

    def _finish(self, outcome: Outcome, reason: str) -> None:
        if self._done is not None and not self._done.done():
            self._done.set_result((outcome, reason))

    def _fault(self, message: str) -> None:
        if self._done is not None and not self._done.done():
            self._emit(FaultRaised(self.elapsed(), message))
            self._finish(Outcome.FAULT, message)

    async def _halt(self) -> None:
        """Stop the drive loop, waiting until any apply in progress has unwound."""
        task, self._drive = self._drive, None
        if task is not None and not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, ChairctlError):
                await task

    async def _release(self) -> bool:
        """Ask the chair for its safe state; True when it confirmed it."""
        try:
            await self.chair.stop()
        except ChairctlError as error:
            self._emit(
                FaultRaised(self.elapsed(), f"the chair did not confirm a safe stop: {error}")
            )
            return False
        return True

    # -- the drive loop --------------------------------------------------------------------------

    async def _wait_until(self, session_time: float) -> None:
        # One absolute deadline on the clock: pausing cancels the drive loop, so the origin
        # cannot move while this waits (and a loop on "time remaining" can spin on a float
        # crumb too small to move the clock).
        await self.clock.sleep_until(self._origin + session_time)

    async def _drive_from(self, start: float) -> None:
        entries = self.plan.entries
        first = next((i for i, e in enumerate(entries) if e.end_s > start), len(entries))
        for index in range(first, len(entries)):
            entry = entries[index]
            if entry.start_s >= self.end_s:
                break
            # A live intensity change held back by the gentle start takes effect when the
            # start ramp ends, not only when the next step begins.
            begin = max(start, entry.start_s)
            moments = [begin]
            if self._offset and begin < START_RAMP_S < entry.end_s:
                moments.append(START_RAMP_S)
            for moment in moments:
                await self._wait_until(moment)
                await self._apply(index, entry, moment)
        await self._wait_until(self.end_s)

    def _guarded(self, entry: PlanEntry, at: float) -> Setpoint:
        setpoint = entry.setpoint
        if self._offset and setpoint.rollers_active:
            level = max(MIN_INTENSITY, min(MAX_INTENSITY, setpoint.intensity + self._offset))
            setpoint = setpoint.model_copy(update={"intensity": level})
            setpoint, corrections = enforce(setpoint, at)
            for correction in corrections:
                self._emit(AdjustmentMade(at, correction.message))
        broken = violations(setpoint, at)
        if broken:
            raise SafetyViolation("; ".join(c.message for c in broken))
        return setpoint

    async def _apply(self, index: int, entry: PlanEntry, moment: float) -> None:
        # The rules are judged at the moment the setpoint is due: the clock has reached it,
        # but session time measured back from the clock can fall a float crumb short of it,
        # and a step due at exactly 60 s must not be judged as inside the gentle first minute.
        at = max(moment, self.elapsed())
        setpoint = self._guarded(entry, at)
        if (index, setpoint.intensity) != (self._index, self._intensity):
            self._index, self._intensity = index, setpoint.intensity
            self._emit(StepStarted(at, index, entry, setpoint.intensity))
        await self.chair.apply(setpoint)

    # -- the status watchdog ---------------------------------------------------------------------

    async def _watch_status(self) -> None:
        try:
            async for status in self.chair.statuses():
                self._on_status(status)
        except LinkError as error:
            # The chair released itself (or will, on reconnecting): a session that went on
            # counting time would show a massage that is not happening.
            self._fault(str(error))

    def _on_status(self, status: ChairStatus) -> None:
        self._arm_watchdog()
        self._emit(StatusReceived(self.elapsed(), status))
        if status.work_state is WorkState.FAULT:
            code = f" (error code {status.error_code})" if status.error_code is not None else ""
            self._fault(f"the chair reported a fault{code}")

    def _arm_watchdog(self) -> None:
        self._disarm_watchdog()
        self._watchdog = self.clock.call_later(self.watchdog_s, self._starved)

    def _disarm_watchdog(self) -> None:
        if self._watchdog is not None:
            self._watchdog.cancel()
            self._watchdog = None

    def _starved(self) -> None:
        self._fault(f"no status from the chair for {self.watchdog_s:g} s")

    # -- control -----------------------------------------------------------------------------------

    def _running(self) -> bool:
        """True while session time runs or is paused: prepared, and not yet ended."""
        return self._session_started and self._done is not None and not self._done.done()

    async def pause(self) -> None:
        """Pause: the drive loop stops and the chair is released; session time stands still.

        Does nothing while the chair is being prepared (:attr:`preparing`): there is no session
        time to hold yet, and stopping is what ends a preparation.
        """
        async with self._control:
            if self.paused or not self._running():
                return
            self._paused_at = self.clock.now()
            await self._halt()
            await self._release()
            self._emit(Paused(self.elapsed()))

    async def resume(self) -> None:
        """Resume a paused session from where it stood."""
        async with self._control:
            if self._paused_at is None or self._done is None or self._done.done():
                return
            self._origin += self.clock.now() - self._paused_at
            self._paused_at = None
            self._index = -1  # the current step is announced and applied again
            self._emit(Resumed(self.elapsed()))
            self._start_drive()

    def cut(self) -> None:
        """Stop driving the chair at once, ahead of :meth:`stop`, which must follow.

        No setpoint is applied after this call: a drive loop under way (or the preparation) is
        cancelled, and none starts again, whatever pause, resume or an intensity change was
        doing. For a front end that sends the chair its release itself, in the same turn.
        """
        self._cut = True
        if self._drive is not None and not self._drive.done():
            self._drive.cancel()

    async def stop(self, reason: str = "stopped by the user") -> None:
        """End the session now; :meth:`run` releases the chair and returns."""
        self.cut()
        async with self._control:
            await self._halt()
            self._finish(Outcome.STOPPED, reason)

    async def change_intensity(self, delta: int) -> int:
        """Make the massage stronger (+) or gentler (-), within the rules; the new offset."""
        async with self._control:
            self._offset = max(-4, min(4, self._offset + delta))
            # While preparing, the offset waits for the drive loop, which applies it.
            if not self.paused and self._running():
                await self._halt()
                self._index = -1
                self._start_drive()
            return self._offset
