"""The engine: runs a Plan on a Chair against a Clock, with the runtime guard always last.

Each entry is applied at its scheduled session time, counted from the session's start, so
slow confirmations never make the timeline drift. Session time is massage time: it stops while
paused. Pausing, stopping, a fault and a live intensity change all interrupt the drive loop
(cancelling an ``apply`` in progress, which makes the chair send its STOPs); resuming and the
intensity change restart it from the current session time.

The runtime guard is the last thing a setpoint meets before it leaves: the person's limits and
the hard rules of :mod:`chairctl.safety` (the same ones the compiler used), walked through the
clock: each actuator's contact is counted from when the chair confirmed it started, and ends
with a pause, a stop or a rest, so every resume and every restart of the chair starts gently
again; heat stops at its session allowance. A live change is bounded by the same limits, and
the engine says what held it back and why. Then a session cap whatever the plan says, and
faults that latch. A chair gone quiet is the chair's to notice (:class:`~chairctl.vocabulary.Chair`
raises a lost link from its statuses: one status watchdog, the session's), and the engine ends
on it. Whatever ends the session, the chair is asked to stop, which is a safe release.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from chairctl.clock import Clock
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
    Warned,
)
from chairctl.plan import Plan, PlanEntry
from chairctl.program import format_duration
from chairctl.safety import (
    Contacts,
    Correction,
    Moment,
    enforce,
    violations,
)
from chairctl.safety.ramp import next_rise
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
from chairctl.vocabulary.limits import (
    HEAT_MAX_S,
    SESSION_CAP_S,
    START_MAX_AIRBAG,
    START_MAX_INTENSITY,
)

Listener = Callable[[Event], None]

#: Rules whose answer hangs on when a setpoint goes out (a contact's start, the heat given, the
#: cap): the engine applies them to the plan's setpoints as the clock finds them. Any other rule
#: a planned setpoint breaks is a bug upstream and is refused.
_TIMED = frozenset({"start-ramp", "start-ramp-airbags", "heat-minutes", "session-cap"})


@dataclass(frozen=True)
class _Ruling:
    """What the rules make of a plan entry at one moment."""

    setpoint: Setpoint
    corrections: list[Correction]
    moment: Moment
    #: The chair restarts to get there: every contact begins anew.
    restart: bool


@dataclass(frozen=True)
class LiveChange:
    """What a live "stronger" or "gentler" came to."""

    #: The live offset now in force (-4..+4).
    offset: int
    #: The roller intensity the chair now has, None when the rollers rest.
    intensity: int | None
    #: Why the intensity is not what the program and the offset ask, in words; None when it is.
    held: str | None = None


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
        cap_s: float = SESSION_CAP_S,
    ) -> None:
        self.plan = plan
        self.chair = chair
        self.clock = clock
        #: The person in the chair (the plan's): their limits bound every setpoint, planned or
        #: live.
        self.person = plan.person
        self.cap_s = min(cap_s, SESSION_CAP_S)
        self._listeners: list[Listener] = []
        self._origin = 0.0  # clock time at which session time was 0
        self._paused_at: float | None = None
        self._offset = 0
        self._heat_withheld = False
        self._drive: asyncio.Task[None] | None = None
        self._monitor: asyncio.Task[None] | None = None
        self._done: asyncio.Future[tuple[Outcome, str]] | None = None
        self._control = asyncio.Lock()
        self._started = False
        self._session_started = False
        self._cut = False
        self._index = -1
        self._intensity = 0
        # Contacts and heat, in session time: a pause ends every contact, so session time
        # (which stands still while paused) measures them.
        self._contacts = Contacts()
        self._heat_since: float | None = None
        self._heat_s = 0.0
        self._capabilities = chair.capabilities
        self._told: set[str] = set()
        self._prepared: Setpoint | None = None

    # -- listening ---------------------------------------------------------------------------

    def listen(self, listener: Listener) -> None:
        """Call ``listener`` with every event from now on.

        A listener is called synchronously, on the loop that drives the chair: it must return
        quickly (the session log hands its writes to a thread). One that raises is dropped, and
        the session ends with the chair's release, like a fault (see :meth:`_listener_failed`).
        """
        self._listeners.append(listener)

    def _emit(self, event: Event) -> None:
        # Each listener on its own: one that fails never keeps the others from hearing, and
        # never unwinds the engine's own code (a fault half-reported, a stop half-made).
        for listener in list(self._listeners):
            if listener not in self._listeners:
                continue  # dropped while this event went round
            try:
                listener(event)
            except Exception as error:
                self._listener_failed(listener, event, error)

    def _listener_failed(self, listener: Listener, event: Event, error: Exception) -> None:
        """A listener raised: drop it, say so once, and end a running session safely.

        The engine cannot tell which listener the person relies on: the display they watch,
        the output a script reads (a pipe that went away), or the log. With one gone, what they
        see and what the chair does may no longer agree, so the session is not left running on
        it: it stops as on a fault, and the chair gets its release before anything else is
        said. (The session log never raises: a database problem does not end a massage; it is
        reported once the chair is released.) After the session has ended, dropping the
        listener and saying so is all there is to do.
        """
        with contextlib.suppress(ValueError):
            self._listeners.remove(listener)
        what = (
            f"a listener failed on {type(event).__name__} "
            f"({type(error).__name__}: {error or 'no message'})"
        )
        if self._done is not None and not self._done.done():
            self.cut()
            self._fault(f"{what}; the session stops")
        else:
            self._emit(Warned(event.at, what))

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
    def heat_withheld(self) -> bool:
        """True while heat is withheld for the rest of the session (:meth:`withhold_heat`)."""
        return self._heat_withheld

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
        # Preparing (power-up, body scan, the first setpoint) can take half a minute: it runs as
        # the drive task, so a stop, a fault or a lost link cuts it short like any other step.
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
        if self._prepared is not None:
            self._confirmed(self._prepared, 0.0)
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
        setpoint = self._guarded(first, 0.0).setpoint
        self._index, self._intensity = 0, setpoint.intensity
        self._emit(StepStarted(0.0, 0, first, setpoint.intensity))
        self._not_cut()
        await self.chair.apply(setpoint)
        self._prepared = setpoint

    def _not_cut(self) -> None:
        """Refuse to go on to the chair once cut: a listener failing on the event just sent
        cuts the session from inside this very task, and no setpoint may leave after that."""
        if self._cut:
            raise asyncio.CancelledError

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
            # Ended first, then told: whatever a listener does with the news, the session is
            # already ending and the release comes next.
            self._finish(Outcome.FAULT, message)
            self._emit(FaultRaised(self.elapsed(), message))

    async def _halt(self) -> None:
        """Stop the drive loop, waiting until any apply in progress has unwound."""
        task, self._drive = self._drive, None
        if task is not None and not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, ChairctlError):
                await task
        elif task is not None and not task.cancelled():
            # Ended already, say by the fault that also ended the session: its error is that
            # fault's echo, and is retrieved here rather than printed as "never retrieved".
            task.exception()

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
            moment: float | None = max(start, entry.start_s)
            # Within an entry the guard's answer changes as a contact ramps up and as the heat
            # allowance runs out: the entry is applied again at each such moment.
            while moment is not None and moment < min(entry.end_s, self.end_s):
                await self._wait_until(moment)
                # A change still under way when the session's time is up (a posture move, a
                # restart) is cut there: the session ends on time, the chair released.
                try:
                    judged, applied = await self.clock.wait_for(
                        self._apply(index, entry, moment), max(0.0, self.end_s - self.elapsed())
                    )
                except TimeoutError:
                    return
                moment = self._next_change(entry, applied, max(judged, self.elapsed()))
        await self._wait_until(self.end_s)

    def _asked(self, entry: PlanEntry) -> Setpoint:
        """The entry's setpoint with the live changes on it: the intensity offset, and no heat
        while it is withheld (the rules come after)."""
        setpoint = entry.setpoint
        if self._offset and setpoint.rollers_active:
            level = max(MIN_INTENSITY, min(MAX_INTENSITY, setpoint.intensity + self._offset))
            setpoint = setpoint.model_copy(update={"intensity": level})
        if self._heat_withheld and setpoint.heat:
            setpoint = setpoint.model_copy(update={"heat": {}})
        return setpoint

    def _moment(self, at: float) -> Moment:
        contacts = self._contacts
        heat = self._heat_s + (at - self._heat_since if self._heat_since is not None else 0.0)
        return Moment(at, contacts.rollers_s(at), contacts.airbags_s(at), heat)

    def _ruled(self, entry: PlanEntry, at: float) -> _Ruling:
        """What the rules make of ``entry`` (with the live offset) at session time ``at``."""
        asked = self._asked(entry)
        moment = self._moment(at)
        setpoint, corrections = enforce(asked, moment, self.person)
        # The chair knows best whether it must restart to get there; what its family does in
        # general is the fallback (and what the plan was made with).
        # Asked whenever anything presses: a chair may restart for its airbags alone, and the
        # contacts after a restart must start gently again like any other.
        contacts = self._contacts
        pressing = contacts.rollers_since is not None or contacts.airbags_since is not None
        restart = contacts.restarts(setpoint, self._capabilities) or (
            pressing and self.chair.restarts_for(setpoint)
        )
        if restart:
            # New contacts, which start gently.
            moment = Moment(at, None, None, moment.heat_s)
            setpoint, corrections = enforce(asked, moment, self.person)
        return _Ruling(setpoint, corrections, moment, restart)

    def _guarded(self, entry: PlanEntry, at: float) -> _Ruling:
        ruling = self._ruled(entry, at)
        setpoint, corrections, moment = ruling.setpoint, ruling.corrections, ruling.moment
        planned = [c for c in corrections if c.rule not in _TIMED]
        if planned and not self._offset:
            # The plan itself breaks a rule that does not hang on the clock: a bug upstream,
            # refused rather than quietly mended.
            raise SafetyViolation("; ".join(c.message for c in planned))
        if self._offset:
            # What the plan holds by itself is in the plan; a live change held back is news.
            for correction in corrections:
                if correction.message not in self._told:
                    self._told.add(correction.message)
                    self._emit(AdjustmentMade(at, correction.message))
        broken = violations(setpoint, moment, self.person)
        if broken:
            raise SafetyViolation("; ".join(c.message for c in broken))
        return ruling

    def _next_change(self, entry: PlanEntry, applied: Setpoint, at: float) -> float | None:
        """The next session time after ``at`` at which the guard may let ``entry`` through
        differently (strictly after: the moments judged so far are done)."""
        asked = self._asked(entry)
        contacts, moments = self._contacts, []
        if asked.rollers_active and applied.intensity < asked.intensity:
            rise = next_rise(contacts.rollers_s(at), START_MAX_INTENSITY)
            if rise is not None and contacts.rollers_since is not None:
                moments.append(contacts.rollers_since + rise)
        if asked.airbags and applied.airbags != asked.airbags:
            rise = next_rise(contacts.airbags_s(at), START_MAX_AIRBAG)
            if rise is not None and contacts.airbags_since is not None:
                moments.append(contacts.airbags_since + rise)
        if applied.heat and self._heat_since is not None:
            moments.append(self._heat_since + HEAT_MAX_S - self._heat_s)
        later = [m for m in moments if m > at + 1e-6]
        return min(later) if later else None

    def _confirmed(self, setpoint: Setpoint, at: float, *, restart: bool = False) -> None:
        """The chair confirmed ``setpoint`` at session time ``at`` (after a restart, when
        ``restart``): contacts and heat move on."""
        before = self._contacts
        self._contacts = before.applied(
            setpoint, at, self._capabilities, confirmed=True, restart=restart
        )
        if self._contacts.rollers_since != before.rollers_since:
            self._told.clear()
        if setpoint.heat and self._heat_since is None:
            self._heat_since = at
        elif not setpoint.heat:
            self._heat_off(at)

    def _heat_off(self, at: float) -> None:
        if self._heat_since is not None:
            self._heat_s += max(0.0, at - self._heat_since)
            self._heat_since = None

    def _released(self) -> None:
        """The chair was released (a pause, a stop): every contact ends, the heat is off."""
        self._contacts = self._contacts.at_rest()
        self._heat_off(self.elapsed())

    async def _apply(self, index: int, entry: PlanEntry, moment: float) -> tuple[float, Setpoint]:
        # The rules are judged at the moment the setpoint is due: the clock has reached it,
        # but session time measured back from the clock can fall a float crumb short of it,
        # and a step due at exactly 60 s must not be judged as inside the gentle first minute.
        at = max(moment, self.elapsed())
        ruling = self._guarded(entry, at)
        setpoint = ruling.setpoint
        if (index, setpoint.intensity) != (self._index, self._intensity):
            self._index, self._intensity = index, setpoint.intensity
            self._emit(StepStarted(at, index, entry, setpoint.intensity))
            self._not_cut()
        await self.chair.apply(setpoint)
        self._confirmed(setpoint, max(at, self.elapsed()), restart=ruling.restart)
        return at, setpoint

    # -- the chair's statuses --------------------------------------------------------------------

    async def _watch_status(self) -> None:
        try:
            async for status in self.chair.statuses():
                self._on_status(status)
        except LinkError as error:
            # The chair released itself (or will, on reconnecting): a session that went on
            # counting time would show a massage that is not happening. The chair raises this
            # for a dropped link and for silence alike (its status watchdog is the only one).
            self._fault(str(error))
            return
        # The statuses end only when the chair is closed under the session: nothing it does
        # from now on would be seen.
        self._fault("the chair stopped reporting its status")

    def _on_status(self, status: ChairStatus) -> None:
        self._emit(StatusReceived(self.elapsed(), status))
        if status.work_state is WorkState.FAULT:
            code = f" (error code {status.error_code})" if status.error_code is not None else ""
            self._fault(f"the chair reported a fault{code}")

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
            self._released()
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
            entry = self.plan.at(self.elapsed())
            if entry is not None and (entry.setpoint.rollers_active or entry.setpoint.airbags):
                self._emit(
                    AdjustmentMade(
                        self.elapsed(),
                        "after the pause the chair starts gently again, as at the start",
                    )
                )
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

    async def change_intensity(self, delta: int) -> LiveChange:
        """Make the massage stronger (+) or gentler (-), within the person's limits and the
        rules; what it came to, and what held it back.

        A "+" never takes the offset past what the person's cap lets the current step reach:
        a press that cannot take effect is said at once, not kept to surprise them later.
        """
        async with self._control:
            at = self.elapsed()
            entry = self.plan.at(at)
            base = entry.setpoint.intensity if entry and entry.setpoint.rollers_active else None
            offset = max(-4, min(4, self._offset + delta))
            capped = False
            if base is not None and delta > 0:
                ceiling = max(self._offset, self.person.max_intensity - base)
                if offset > ceiling:
                    offset, capped = ceiling, True
            self._offset = offset
            change = self._live(entry, at, capped=capped)
            if change.held is not None:
                self._emit(AdjustmentMade(at, change.held))
            # While preparing, the offset waits for the drive loop, which applies it.
            if not self.paused and self._running():
                await self._halt()
                self._index = -1
                self._start_drive()
            return change

    async def withhold_heat(self, withheld: bool = True) -> None:
        """Withhold heat for the rest of the session (``False`` lifts it again).

        Withholding is the safe direction and takes hold at once: the current step is applied
        again without its heat. Lifting it never adds heat: the plan's own heat comes back,
        under the same rules (the session's heat allowance still counts).
        """
        async with self._control:
            if withheld == self._heat_withheld:
                return
            self._heat_withheld = withheld
            at = self.elapsed()
            self._emit(
                AdjustmentMade(
                    at,
                    "heat withheld for the rest of the session"
                    if withheld
                    else "heat as the program has it again",
                )
            )
            if not self.paused and self._running():
                await self._halt()
                self._start_drive()

    def _live(self, entry: PlanEntry | None, at: float, *, capped: bool) -> LiveChange:
        """The live offset as the rules let it through at ``at``."""
        if entry is None or not entry.setpoint.rollers_active:
            return LiveChange(self._offset, None)
        asked = self._asked(entry)
        ruling = self._ruled(entry, at)
        setpoint, corrections = ruling.setpoint, ruling.corrections
        person = self.person
        held: str | None = None
        if capped or setpoint.intensity < asked.intensity:
            rules = {c.rule: c for c in corrections}
            if capped and person.max_intensity >= MAX_INTENSITY:
                held = f"{MAX_INTENSITY} is the strongest there is"
            elif capped or "person-intensity" in rules:
                held = f"capped at {person.max_intensity} for you{person.why('intensity')}"
            elif "neck-intensity" in rules:
                held = f"at the neck the intensity stays at {setpoint.intensity}"
            elif "start-ramp" in rules:
                since = self._contacts.rollers_since
                rise = next_rise(self._contacts.rollers_s(at), START_MAX_INTENSITY)
                left = (since if since is not None else at) + (rise or 0.0) - at
                when = f" for another {format_duration(max(1.0, left))}" if rise else ""
                held = f"held at {setpoint.intensity} by the gentle start{when}"
        return LiveChange(self._offset, setpoint.intensity, held)
