"""The chair the app drives: one connection, at most one session, and a stop that always works.

The app's screens never touch the driver or the engine themselves; they ask this object, from
Textual workers on the app's own event loop. It holds no Textual: it is tested and benchmarked
on a :class:`~chairctl.clock.VirtualClock` with the real session, codec and simulated chair.

A stop is a safe release whatever is happening: during a session it ends the engine's run (which
releases the chair and logs the session); otherwise it asks the chair itself. Nothing here
ever resumes on its own: a lost link or a fault ends the session, and only the user's word
(:meth:`ChairControl.reconnect`, :meth:`ChairControl.clear_fault`) lets the next one start.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from chairctl.clock import Clock
from chairctl.engine import Engine, Event, LiveChange, Result, Warned
from chairctl.plan import Personalisation, Plan, compile_program
from chairctl.program import Program
from chairctl.safety.profile import Profile
from chairctl.services.chairs import ChairAddress, Connection, links_for
from chairctl.services.endings import left_to_itself
from chairctl.services.faults import FaultMemory
from chairctl.store import Store, check_allowance
from chairctl.vocabulary import (
    ChairctlError,
    ChairFault,
    ChairStatus,
    LinkError,
    Region,
    Setpoint,
    Unsupported,
)
from chairctl.vocabulary.chair_events import ChairEvent, LinkLost, Reconnected, ReconnectFailed
from drivers.chair import ChairSession
from drivers.models import ChairModel
from drivers.session import LinkState, SessionConfig, StatusSubscription
from simulator.chair import SimulatedChair

#: Why a second session is refused while one runs (the bridge says it of a start not yet begun).
ALREADY_RUNNING: Final = "a session is already running"


class StopState(StrEnum):
    """Where the last stop stands, as the screens show it."""

    IDLE = "idle"
    STOPPING = "stopping"
    STOPPED = "stopped"
    #: The stop was sent but the chair did not confirm its safe state.
    UNCONFIRMED = "unconfirmed"


@dataclass(frozen=True)
class StopOutcome:
    """How a stop ended: whether the chair confirmed its safe state, and in words."""

    safe: bool
    message: str


def chair_title(address: ChairAddress, model: ChairModel) -> str:
    """The header's words for a chair: "Simulated chair" or where it is, and its model's name."""
    where = {
        "sim": "Simulated chair",
        "serial": f"Serial {address.target}",
        "ble-address": f"Bluetooth {address.target}",
        "ble-name": f"Bluetooth {address.target}",
    }[address.kind]
    return f"{where} · {model.name}"


class ChairControl:
    """One chair, reached through ``address``, on ``clock``.

    ``on_link`` hears the driver's link events (lost, reconnected, gave up, fault) as they
    happen; ``on_stop`` hears the stop state change, so a screen can say "Stopping…" at once.
    """

    def __init__(
        self,
        address: ChairAddress,
        model: ChairModel,
        clock: Clock,
        *,
        on_link: Callable[[ChairEvent], None] | None = None,
        on_stop: Callable[[StopState], None] | None = None,
        store: Store | None = None,
        config: SessionConfig | None = None,
        shoulder_position: float | None = None,
        connection: Connection | None = None,
    ) -> None:
        self.address = address
        self.model = model
        self.clock = clock
        self.title = chair_title(address, model)
        self._on_link = on_link
        self._on_stop = on_stop
        #: The links to the chair: ``address``'s own, unless the caller built them (a check
        #: reaches a simulated chair with a body of its choosing).
        self.connection: Connection = connection or links_for(address, model, clock)
        #: This chair's latched faults, kept beyond this process.
        self.faults = FaultMemory(store, address)
        self.session = ChairSession(
            model,
            self.connection.links,
            clock,
            config=config,
            shoulder_position=shoulder_position,
            on_event=self._link_event,
        )
        self.engine: Engine | None = None
        self._ended: asyncio.Future[Result] | None = None
        self.stop_state = StopState.IDLE
        self._stopping: asyncio.Task[StopOutcome] | None = None

    # -- what the screens read ----------------------------------------------------------------

    @property
    def simulated(self) -> SimulatedChair | None:
        """The simulated chair behind the link, None for a real one."""
        return self.connection.simulated

    @property
    def link_state(self) -> LinkState:
        """Where the link stands."""
        return self.session.link_state

    @property
    def status(self) -> ChairStatus | None:
        """The chair's latest status, None before the first."""
        return self.session.status

    @property
    def fault(self) -> ChairFault | None:
        """The fault the chair reported and the session latched, until the user clears it."""
        return self.session.fault

    @property
    def interrupted(self) -> bool:
        """True after a lost link until the person's word to go on (:meth:`reconnect`): the
        chair was released, and nothing starts again by itself."""
        return self.session.interruption is not None

    @property
    def status_age_s(self) -> float:
        """How long ago the latest status arrived."""
        return self.clock.now() - self.session.status_at

    @property
    def running(self) -> bool:
        """True while a session runs (also while it is being prepared or is paused)."""
        return self.engine is not None

    def statuses(self) -> StatusSubscription:
        """Every status from now on, across reconnections (a lost link comes in its place as a
        :class:`~chairctl.vocabulary.LinkError`), until the link closes; ``aclose()`` it."""
        return self.session.statuses()

    def rollers_on(self, status: ChairStatus) -> frozenset[Region]:
        """Where the rollers work, as far as ``status`` tells: the region under them, or the
        band of the mode a chair runs by itself."""
        return self.session.adapter.regions_worked(status)

    def needs_stop(self) -> bool:
        """True when there is something to stop: a session, or a chair not standing by.

        A chair whose state is unknown (no status yet, the link down) counts as one to stop,
        so the user hears why it cannot be.
        """
        if self.engine is not None:
            return True
        status = self.status
        return status is None or status.running or self.link_state is not LinkState.CONNECTED

    # -- connecting -----------------------------------------------------------------------------

    async def connect(self) -> None:
        """Open the link and wait for the chair's first status; sends nothing.

        Raises :class:`~chairctl.vocabulary.ChairFault` (the link stays open, the fault
        latched) when the chair shows a fault, or one kept from an earlier session was never
        cleared; :meth:`clear_fault` is the person's word that it was checked.
        """
        await self.session.connect()
        remembered = self.faults.recall(self.session)
        if remembered is not None:
            raise remembered

    async def reconnect(self) -> None:
        """The user's word to go on after a lost link: connect again (which sends the STOPs
        still owed and checks the safe state) and accept the next session."""
        if self.link_state is LinkState.RECONNECTING:
            await self.session.wait_recovery()
        if self.link_state is LinkState.DISCONNECTED:
            await self.session.connect()
        self.session.acknowledge_interruption()

    async def connect_checked(self) -> None:
        """Connect when the person says they checked the chair: a fault it shows, or one kept
        from before, is cleared (on the chair too); sends nothing else."""
        with contextlib.suppress(ChairFault):
            await self.session.connect()
        self.faults.forget()
        await self.clear_fault()

    async def clear_fault(self) -> None:
        """The user's word that the chair's fault is dealt with."""
        await self.session.clear_fault()

    async def disconnect(self) -> None:
        """Close the link, sending nothing more: the chair stays as the last session's end
        left it (released), and a simulated chair keeps running to be judged."""
        await self.session.close()

    async def close(self, *, release: bool = True) -> None:
        """Stop the chair (when there is anything to stop) and close the link.

        ``release=False`` when the last session's own end released the chair already and
        nothing else moved it since (a command that ran one session and exits)."""
        try:
            if self.engine is not None or (release and self.link_state is LinkState.CONNECTED):
                await self.stop()
        finally:
            await self.session.close()
            if self.simulated is not None:
                self.simulated.close()

    # -- a session ----------------------------------------------------------------------------

    def compile(self, program: Program, person: Personalisation) -> Plan:
        """``program`` as this person will get it on this chair."""
        return compile_program(program, person=person, chair=self.model.capabilities)

    def approximations_of(self, setpoint: Setpoint) -> list[str]:
        """What this chair can only approximate of one setpoint (Unsupported: not at all)."""
        return self.session.approximations(setpoint)

    def approximations(self, plan: Plan) -> list[str]:
        """What this chair can only approximate of ``plan``, each once, with its line."""
        notes: dict[str, None] = {}
        for entry in plan.entries:
            try:
                for note in self.approximations_of(entry.setpoint):
                    notes[f"line {entry.line}: {note}"] = None
            except Unsupported as error:
                raise ChairctlError(
                    f"line {entry.line}: this chair cannot run it: {error}"
                ) from None
        return list(notes)

    def check_allowance(
        self,
        plan: Plan,
        *,
        store: Store | None,
        profile: Profile | None,
        profile_key: str | None = None,
    ) -> None:
        """Raise :class:`~chairctl.store.SessionNotYet` when ``profile``'s rest between sessions
        or daily cap does not allow ``plan`` now (no store: nothing to go by). ``profile_key``
        is the name the store keeps them under, when it is not the profile's own."""
        key = _key(profile, profile_key)
        if store is not None and key is not None:
            check_allowance(store, key, plan.total_s)

    def check_ready(self) -> None:
        """Raise what :meth:`run` would refuse a session for on the chair's side, before
        anything moves: a session already running, the chair's fault still latched, a lost
        link not yet acknowledged, no link. (The person's rest is :meth:`check_allowance`.)"""
        self._check_idle()
        self._check_chair()

    def _check_idle(self) -> None:
        if self.engine is not None:
            raise ChairctlError(ALREADY_RUNNING)

    def _check_chair(self) -> None:
        if self.session.fault is not None:
            raise ChairctlError(
                f"the chair's fault is still latched ({self.session.fault}); clear it first"
            )
        if self.session.interruption is not None:
            raise LinkError("the link was lost: reconnect first")
        if self.link_state is not LinkState.CONNECTED:
            raise LinkError(f"not connected to the chair ({self.link_state})")

    async def run(
        self,
        program: Program,
        plan: Plan,
        *,
        store: Store | None,
        profile: Profile | None,
        listener: Callable[[Event], None],
        profile_key: str | None = None,
        on_log_problem: Callable[[str], None] | None = None,
    ) -> Result:
        """Run ``plan`` to its end (or a stop, or a fault); the chair is released however it
        ends, and the session is logged in ``store`` as it runs.

        A log that could not be written in full is said once, after the release: to
        ``on_log_problem`` when given, else as a warning event.

        Refused before anything moves (:class:`~chairctl.store.SessionNotYet`) when the
        person's rest between sessions or daily cap does not allow it; their measured shoulder
        line places the rollers until the chair reports its own scan.
        """
        self._check_idle()
        # Sessions, rest and the daily cap are kept under the name the store knows them by.
        profile_name = _key(profile, profile_key)
        self.check_allowance(plan, store=store, profile=profile, profile_key=profile_name)
        if profile is not None:
            # Their measured shoulder line places the rollers (a chair does not report its
            # own scan); without a profile, the line given when the control was made stands.
            self.session.use_profile_shoulder(profile.shoulder_position)
        self._check_chair()
        engine = Engine(plan, self.session, self.clock)
        log = None
        if store is not None:
            log = store.begin_session(
                program.id, program.name, profile_name, str(self.address), plan.total_s
            )
            engine.listen(log.on_event)
        engine.listen(listener)
        ended: asyncio.Future[Result] = asyncio.get_running_loop().create_future()
        self.engine, self._ended = engine, ended
        self._set_stop(StopState.IDLE)
        try:
            result = await engine.run()
        except BaseException as error:
            ended.set_exception(error)
            ended.exception()  # retrieved: a stop waiting on it hears it, nobody else must
            raise
        else:
            ended.set_result(result)
        finally:
            self.engine, self._ended = None, None
        if self._stopping is None:
            # Ended on its own (finished, or a fault): the engine released the chair.
            self._set_stop(StopState.STOPPED if result.chair_safe else StopState.UNCONFIRMED)
        if log is not None:
            # Only now, with the chair released: the log's writes (on a thread of their own)
            # get a bounded wait, and the person hears once if they did not all make it.
            problem = await log.drain(self.clock)
            if problem is not None:
                said = f"The session log: {problem}"
                if on_log_problem is not None:
                    on_log_problem(said)
                else:
                    listener(Warned(result.session_s, said))
        return result

    async def pause(self) -> None:
        """Pause the session (the chair is released; session time stands still)."""
        if self.engine is not None:
            await self.engine.pause()

    async def resume(self) -> None:
        """Resume a paused session."""
        if self.engine is not None:
            await self.engine.resume()

    async def change_intensity(self, delta: int) -> LiveChange | None:
        """Stronger (+1) or gentler (-1), within the person's limits and the rules; what it
        came to, None if idle."""
        if self.engine is None:
            return None
        return await self.engine.change_intensity(delta)

    async def withhold_heat(self, withheld: bool = True) -> bool:
        """Withhold heat for the rest of the session (``False`` lifts that again, never beyond
        what the plan and the person allow); False when no session runs."""
        if self.engine is None:
            return False
        await self.engine.withhold_heat(withheld)
        return True

    # -- stopping -------------------------------------------------------------------------------

    def request_stop(self, reason: str = "stopped by the user") -> asyncio.Future[StopOutcome]:
        """Start a stop now, in this turn of the event loop; the future tells how it ended.

        A second request while one is under way gets the same stop. ``reason`` is what the
        session log records.
        """
        task = self._stopping
        if task is None or task.done():
            task = self._stopping = asyncio.ensure_future(self._stop_now(reason))
            task.add_done_callback(self._stop_done)
            self._set_stop(StopState.STOPPING)
        return task

    async def stop(self) -> StopOutcome:
        """Stop now: a safe release. Returns once the chair confirmed it, or could not."""
        return await asyncio.shield(self.request_stop())

    def _stop_done(self, task: asyncio.Future[StopOutcome]) -> None:
        if self._stopping is task:
            self._stopping = None

    async def _stop_now(self, reason: str) -> StopOutcome:
        engine, ended = self.engine, self._ended
        try:
            if engine is not None and ended is not None:
                # No setpoint leaves after this line, and the chair's release goes out in this
                # same turn, ahead of the engine winding down (its own release then finds the
                # chair safe): every turn of the loop a busy screen takes is latency.
                engine.cut()
                await self.session.stop()
                outcome = await self._stop_session(engine, ended, reason)
            else:
                await self.session.stop()
                outcome = StopOutcome(True, "Stopped · the chair is safe")
        except ChairctlError as error:
            outcome = StopOutcome(
                False, f"The chair did not confirm a safe stop: {error}. {self.left_to_itself()}"
            )
        self._set_stop(StopState.STOPPED if outcome.safe else StopState.UNCONFIRMED)
        return outcome

    async def _stop_session(
        self, engine: Engine, ended: asyncio.Future[Result], reason: str
    ) -> StopOutcome:
        # The engine's run logs the session and releases the chair once more; its word on
        # the safe state is the last one.
        await engine.stop(reason)
        result = await asyncio.shield(ended)
        if result.chair_safe:
            return StopOutcome(True, "Stopped · the chair is safe")
        return StopOutcome(
            False,
            "The chair did not confirm its safe state: it may still be working. "
            + self.left_to_itself(),
        )

    def left_to_itself(self) -> str:
        """What the chair will do on its own (its own timer) and how to stop it by hand."""
        return left_to_itself(self.session.status, self.clock.now() - self.session.status_at)

    def _set_stop(self, state: StopState) -> None:
        if state is self.stop_state:
            return
        self.stop_state = state
        if self._on_stop is not None:
            self._on_stop(state)

    def _link_event(self, event: ChairEvent) -> None:
        # A lost link is a stop the chair did not ask for: the session reconnects, releases
        # the chair and reports whether it is safe; the screens show each stage.
        self.faults.on_event(event)
        if self._stopping is None:
            match event:
                case LinkLost():
                    self._set_stop(StopState.STOPPING)
                case Reconnected(safe=safe):
                    self._set_stop(StopState.STOPPED if safe else StopState.UNCONFIRMED)
                case ReconnectFailed():
                    self._set_stop(StopState.UNCONFIRMED)
                case _:
                    pass
        if self._on_link is not None:
            self._on_link(event)


def _key(profile: Profile | None, profile_key: str | None) -> str | None:
    """The name the store keeps a person's sessions under."""
    if profile_key is not None:
        return profile_key
    return profile.name if profile is not None else None
