"""The chair a bridge owns, offered to the app as its session surface
(:class:`~chairctl.services.control.SessionControl`): the same questions and the same words,
answered over MQTT.

A start, a stop, a pause, stronger or gentler and clearing a fault are commands to the bridge
(``P/cmd/...``); what they came to is what the bridge publishes: its state (``P/state``), its
session's events (``P/event``) and its refusals (``P/error``, in the words the command line and
the app use, raised or told as they are). Nothing here talks to a chair, and nothing is claimed
beyond what the bridge said its chair confirmed:

- a stop goes out in the turn it is asked for, and again once the broker is back if it could
  not go; it is "stopped" only when the bridge says its stop ended and its state shows the chair
  confirmed its safe state with no session under way;
- while the broker or the bridge cannot be heard, the chair's state is not known here: nothing
  is said to be stopped, every command but the stop is refused, and the stop waits to go out;
- :meth:`BridgeControl.close` ends this process's connection and leaves the chair, and any
  session, with the bridge.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Final, TypeVar

from chairctl.clock import Clock, RealClock
from chairctl.engine import Event, Finished, LiveChange, Outcome, Result, SessionStarted, Stopped
from chairctl.plan import Personalisation, Plan, compile_program
from chairctl.program import Program
from chairctl.safety.profile import Profile
from chairctl.services.remote.client import BridgeClient, ClientOptions
from chairctl.services.remote.inbox import (
    FAULT_CLEARED,
    STOP_OUTCOME,
    chair_event,
    dumps_start,
    engine_event,
    parse_availability,
    parse_error,
    parse_event,
    parse_library,
    parse_profiles,
)
from chairctl.services.remote.payloads import (
    ChairState,
    CommandError,
    LibraryEntry,
    PayloadError,
    SessionEvent,
    parse_state,
)
from chairctl.services.remote.target import BridgeTarget
from chairctl.services.remote.topics import Command
from chairctl.services.session import ALREADY_RUNNING, StopOutcome, StopState
from chairctl.store import Store
from chairctl.vocabulary import ChairctlError, ChairFault, ChairStatus, LinkError, Region
from chairctl.vocabulary.chair_events import ChairEvent
from drivers.models import ChairModel
from drivers.session import LinkState
from simulator.chair import SimulatedChair

T = TypeVar("T")

#: The bridge's session words for a session under way: something to stop.
UNDER_WAY: Final = frozenset({"preparing", "running", "paused", "stopping"})
_LINKS: Final = {
    "connected": LinkState.CONNECTED,
    "reconnecting": LinkState.RECONNECTING,
    "closed": LinkState.CLOSED,
}
_STOPS: Final = {word.value: word for word in StopState}
#: Latched on a bridge whose chair link was lost in a session, until a person's clear_fault
#: tells it the next session may start (the bridge's state says ``lost`` meanwhile).
LINK_LOST_LATCH: Final = (
    "the bridge lost its link to the chair during a session; check the chair before the next "
    "one starts"
)


class Refused(ChairctlError):
    """A command the bridge refused; the message is the bridge's, which is the app's own."""


@dataclass(frozen=True)
class ControlOptions:
    """How long the app waits on a bridge (real time) before it says it did not answer."""

    #: For a start to be taken or refused, a fault to be cleared, the bridge's first word.
    answer_s: float = 30.0
    #: For a stop still on its way out when the app closes.
    goodbye_s: float = 5.0
    client: ClientOptions = field(default_factory=ClientOptions)


@dataclass(frozen=True)
class BridgeProgress:
    """The bridge's session under way, as its last state tells it
    (:class:`~chairctl.services.control.SessionProgress`)."""

    state: ChairState

    @property
    def started(self) -> bool:
        return self.state.session in ("running", "paused") or bool(self.state.session_s)

    @property
    def preparing(self) -> bool:
        return self.state.session == "preparing"

    @property
    def paused(self) -> bool:
        return self.state.session == "paused"

    @property
    def intensity_offset(self) -> int:
        # The bridge publishes the intensity applied, not the person's offset: none is claimed.
        return 0

    @property
    def end_s(self) -> float:
        return float((self.state.session_s or 0) + (self.state.time_left_s or 0))

    def elapsed(self) -> float:
        return float(self.state.session_s or 0)


@dataclass
class _Start:
    """A start this app sent: taken (or refused), then its session's end."""

    program: str
    profile: str
    answered: asyncio.Future[None]
    ended: asyncio.Future[Result]
    #: Its session's time has started: a later refusal of a start is someone else's.
    begun: bool = False


def _answer(future: asyncio.Future[T], result: T) -> None:
    if not future.done():
        future.set_result(result)


def _fail(future: asyncio.Future[T], error: BaseException) -> None:
    if not future.done():
        future.set_exception(error)
        future.exception()  # retrieved: whoever awaits it hears it, nobody else must


class BridgeControl:
    """The chair a bridge publishes under ``target``, driven by commands over MQTT.

    ``on_link`` hears the bridge's news of its link to the chair (lost, reconnected, a fault)
    as the driver's events; ``on_stop`` the stop state; ``on_news`` that something the bridge
    says changed (read :attr:`state`, :attr:`library`, :attr:`profiles`, :attr:`trouble`);
    ``on_refused`` a refusal no call is waiting for (a start's refusal is raised by
    :meth:`run`).
    """

    def __init__(
        self,
        target: BridgeTarget,
        *,
        clock: Clock | None = None,
        on_link: Callable[[ChairEvent], None] | None = None,
        on_stop: Callable[[StopState], None] | None = None,
        on_news: Callable[[], None] | None = None,
        on_refused: Callable[[CommandError], None] | None = None,
        options: ControlOptions | None = None,
    ) -> None:
        self.target = target
        self.options = options or ControlOptions()
        self.clock = clock or RealClock()
        self.title = f"Bridge {target.topics.prefix} · {target.broker.url}"
        self._on_link = on_link
        self._on_stop = on_stop
        self._on_news = on_news
        self._on_refused = on_refused
        self.client = BridgeClient(
            target,
            clock=self.clock,
            on_message=self._heard,
            on_reach=self._reached,
            options=self.options.client,
        )
        #: The bridge's latest state; None before it, or when its last one could not be read.
        self.state: ChairState | None = None
        #: ``online`` (True) or ``offline`` (False) as the bridge says; None before it does.
        self.available: bool | None = None
        #: The programs a start may name, and the names of the people, as the bridge lists them.
        self.library: list[LibraryEntry] | None = None
        self.profiles: list[str] | None = None
        #: Something the bridge sent that could not be read, in words; None when all was read.
        self.problem: str | None = None
        self.stop_state = StopState.IDLE
        self._down: str | None = None
        self._ready = asyncio.Event()
        self._start: _Start | None = None
        self._listener: Callable[[Event], None] | None = None
        self._stopping: asyncio.Future[StopOutcome] | None = None
        self._stop_sent = False
        self._stop_outcome: str | None = None
        self._stop_task: asyncio.Task[None] | None = None
        self._clearing: asyncio.Future[None] | None = None
        #: The broker came back: the next state tells what happened meanwhile.
        self._catching_up = False

    # -- what the screens read ----------------------------------------------------------------

    @property
    def model(self) -> ChairModel | None:
        """Not known here: the bridge judges what its chair can run, and says so on refusal."""
        return None

    @property
    def simulated(self) -> SimulatedChair | None:
        """None: a bridge's chair, simulated or not, is the bridge's."""
        return None

    @property
    def trouble(self) -> str | None:
        """Why the bridge cannot be heard now, in words; None while it can (or before the
        first connection has been tried)."""
        if self._down is not None:
            return self._down
        if self.available is False:
            return (
                f"the bridge of {self.target.topics.prefix} is offline: chairctl bridge is not "
                "running there, or lost the broker"
            )
        return None

    @property
    def reachable(self) -> bool:
        """The broker is there, the bridge online, and its state known."""
        return (
            self.client.connected
            and self.available is True
            and self.state is not None
            and self.trouble is None
        )

    @property
    def link_state(self) -> LinkState:
        """The bridge's link to its chair; disconnected while the bridge cannot be heard."""
        if self.state is None or not self.reachable:
            return LinkState.DISCONNECTED
        return _LINKS.get(self.state.link, LinkState.DISCONNECTED)

    @property
    def fault(self) -> ChairFault | None:
        """The fault the bridge's chair latched (the last the bridge said of it), or the
        bridge's lost link to its chair, which latches the same way: until a person's
        clear_fault."""
        state = self.state
        if state is None:
            return None
        if state.fault:
            return ChairFault(state.fault)
        if state.link == "lost" and state.session not in UNDER_WAY:
            return ChairFault(LINK_LOST_LATCH)
        return None

    @property
    def running(self) -> bool:
        """A session is under way on the bridge, or a start of this app's awaits its answer."""
        start = self._start
        if start is not None and not start.answered.done():
            return True
        return self.state is not None and self.state.session in UNDER_WAY

    @property
    def engine(self) -> BridgeProgress | None:
        """The bridge's session under way, as its last state tells it."""
        state = self.state
        return BridgeProgress(state) if state is not None and state.session in UNDER_WAY else None

    def needs_stop(self) -> bool:
        """A session under way, a chair not standing by, or a chair whose state is not known
        here (so the person hears why a stop cannot be confirmed)."""
        state = self.state
        if state is None or not self.reachable or self.running:
            return True
        return state.link != "connected" or state.work_state != "standby"

    def rollers_on(self, status: ChairStatus) -> frozenset[Region]:
        """No statuses reach this process: the bridge's state says where the rollers work."""
        return frozenset()

    def left_to_itself(self) -> str:
        """Who keeps the chair, and how to stop it by hand."""
        if self.trouble is not None:
            return (
                "This app cannot hear the bridge, so it cannot tell what the chair does: the "
                "bridge goes on by its own rules. To stop the chair now, use its remote or "
                "switch it off."
            )
        return (
            "The chair stays with the bridge: Escape here, Home Assistant or the chair's own "
            "remote stop it."
        )

    # -- the broker ---------------------------------------------------------------------------

    async def connect(self) -> None:
        """Connect to the broker and wait (real time, bounded) for the bridge's state; a
        :class:`~chairctl.vocabulary.LinkError` saying why when it does not come (the
        connection keeps trying meanwhile), a :class:`ChairFault` when the chair has one
        latched. Sends nothing."""
        self.client.start()
        await self._wait_ready()
        fault = self.fault
        if fault is not None:
            raise fault

    async def reconnect(self) -> None:
        """The bridge reconnects its chair by itself: here, only wait to hear it again."""
        self.client.start()
        await self._wait_ready()

    async def _wait_ready(self) -> None:
        try:
            await self.clock.wait_for(self._ready.wait(), self.options.answer_s)
        except TimeoutError:
            raise LinkError(self._unreachable()) from None

    def _unreachable(self) -> str:
        trouble = self.trouble
        if trouble is not None:
            return trouble
        if not self.client.connected:
            return f"the broker {self.target.broker.url} has not answered yet"
        return (
            f"no bridge has said anything under {self.target.topics.prefix}: is chairctl "
            "bridge running, with this prefix?"
        )

    def _check_reachable(self) -> None:
        if not self.reachable:
            raise LinkError(self._unreachable())

    async def close(self) -> None:
        """Disconnect, leaving the chair (and any session) with the bridge; a stop still on
        its way out gets a bounded moment to go first."""
        task = self._stop_task
        if task is not None and not task.done():
            with contextlib.suppress(TimeoutError, ChairctlError):
                await self.clock.wait_for(asyncio.shield(task), self.options.goodbye_s)
        await self.client.close()
        start = self._start
        if start is not None:
            _fail(start.answered, LinkError("the app left the bridge"))
            _fail(start.ended, LinkError("the app left the bridge"))

    # -- what the bridge says -----------------------------------------------------------------

    def _reached(self, trouble: str | None) -> None:
        self._down = trouble
        if trouble is None:
            self._catching_up = True
        else:
            # Whether the bridge is there is for it to say again, once the broker is back.
            self.available = None
            self._lost_sight()
        self._check_ready()
        self._news()

    def _lost_sight(self) -> None:
        """The bridge cannot be heard: nothing is claimed stopped any more, and a stop still
        unanswered goes out again once the bridge is heard (twice is harmless; lost is not)."""
        self._ready.clear()
        self._stop_sent = False
        if self.stop_state is StopState.STOPPED:
            self._set_stop(StopState.IDLE)

    def _heard(self, topic: str, payload: bytes) -> None:
        topics = self.target.topics
        try:
            if topic == topics.state:
                self._on_state(parse_state(payload) if payload else None)
            elif topic == topics.event:
                self._on_event(parse_event(payload))
            elif topic == topics.error:
                self._on_error(parse_error(payload))
            elif topic == topics.availability:
                self.available = parse_availability(payload)
                if self.available is not True:
                    self._lost_sight()
            elif topic == topics.library:
                self.library = parse_library(payload) if payload else None
            elif topic == topics.profiles:
                self.profiles = parse_profiles(payload) if payload else None
            else:
                return
        except PayloadError as error:
            self.problem = f"the bridge sent something this app cannot read: {error}"
            if topic == topics.state:
                self._on_state(None)  # what the chair does is not known any more
        self._check_ready()
        self._news()

    def _check_ready(self) -> None:
        if not self.reachable:
            self._ready.clear()
            return
        if self._ready.is_set():
            return
        self._ready.set()
        stopping = self._stopping
        if stopping is not None and not stopping.done() and not self._stop_sent:
            # Asked while the bridge could not hear it: it goes out now that it can.
            self._send_stop()

    def _news(self) -> None:
        if self._on_news is not None:
            self._on_news()

    def _on_state(self, state: ChairState | None) -> None:
        self.state = state
        catching_up, self._catching_up = self._catching_up, False
        start = self._start
        if state is not None and start is not None:
            ours = (state.program, state.profile) == (start.program, start.profile)
            if state.session in UNDER_WAY and ours:
                _answer(start.answered, None)
                start.begun = start.begun or state.session in ("running", "paused")
            elif catching_up and start.answered.done() and not start.ended.done():
                # It ended while the broker was away: its events are gone, its state is not.
                self._ended_unheard(start, state)
        if state is not None and (self._stopping is None or self._stopping.done()):
            self._set_stop(_STOPS.get(state.stop, StopState.IDLE))
        if state is not None and self.fault is None and self._clearing is not None:
            _answer(self._clearing, None)
        self._settle_stop()

    def _ended_unheard(self, start: _Start, state: ChairState) -> None:
        safe = state.stop == "stopped"
        reason = "the session ended while this app could not hear the bridge"
        event = Stopped(float(state.session_s or 0), reason, Outcome.INTERRUPTED, chair_safe=safe)
        self._tell(event)
        _answer(start.ended, Result(Outcome.INTERRUPTED, reason, safe, event.at))

    def _on_event(self, event: SessionEvent) -> None:
        if event.kind == STOP_OUTCOME:
            self._stop_outcome = event.message or ""
            self._settle_stop()
            return
        if event.kind == FAULT_CLEARED and self._clearing is not None:
            _answer(self._clearing, None)
            return
        news = chair_event(event)
        if news is not None and self._on_link is not None:
            self._on_link(news)
        happened = engine_event(event, self.state)
        if happened is None:
            return
        start = self._start
        if start is not None and start.answered.done():
            match happened:
                case SessionStarted():
                    start.begun = True
                case Stopped(outcome=outcome, reason=reason, chair_safe=safe):
                    _answer(start.ended, Result(outcome, reason, safe, happened.at))
                case Finished(chair_safe=safe):
                    _answer(start.ended, Result(Outcome.COMPLETED, "completed", safe, happened.at))
                case _:
                    pass
        self._tell(happened)

    def _tell(self, event: Event) -> None:
        start = self._start
        if self._listener is not None and start is not None and start.answered.done():
            self._listener(event)

    def _on_error(self, error: CommandError) -> None:
        start = self._start
        refused = Refused(error.message)
        if error.command == Command.START.value and start is not None and not start.begun:
            # The answer to this app's start (or the end of it before anything moved).
            if start.answered.done():
                _fail(start.ended, refused)
            else:
                _fail(start.answered, refused)
            return
        if error.command == Command.CLEAR_FAULT.value and self._clearing is not None:
            _fail(self._clearing, refused)
            return
        if self._on_refused is not None:
            self._on_refused(error)

    # -- stopping -----------------------------------------------------------------------------

    def request_stop(self, reason: str = "stopped by the user") -> asyncio.Future[StopOutcome]:
        """Send a stop now (a task started in this turn); the future tells how it ended, by
        the bridge's word. Asked while the broker is away, the stop goes out once it is back;
        a second request while one is under way gets the same stop. (``reason`` is what this
        app would log; the bridge logs its own.)"""
        stopping = self._stopping
        if stopping is None or stopping.done():
            stopping = self._stopping = asyncio.get_running_loop().create_future()
            self._stop_sent = False
            self._stop_outcome = None
            self._set_stop(StopState.STOPPING)
        if not self._stop_sent:
            self._send_stop()
        return stopping

    def _send_stop(self) -> None:
        if self._stop_task is None or self._stop_task.done():
            self._stop_task = asyncio.create_task(self._publish_stop(), name="stop")

    async def _publish_stop(self) -> None:
        # Sent while the bridge is heard, the bridge's next stop outcome answers it (its state
        # must agree). Otherwise it goes out anyway, and again once the bridge is heard: a
        # bridge that was not listening must not be taken to have stopped.
        self._stop_sent = self.reachable
        try:
            await self.client.publish(Command.STOP)
        except LinkError:
            self._stop_sent = False

    def _settle_stop(self) -> None:
        stopping, state = self._stopping, self.state
        if stopping is None or stopping.done() or not self._stop_sent:
            return
        if self._stop_outcome is None or state is None or state.session in UNDER_WAY:
            return
        if state.stop not in ("stopped", "unconfirmed"):
            return
        safe = state.stop == "stopped"
        self._set_stop(StopState.STOPPED if safe else StopState.UNCONFIRMED)
        stopping.set_result(StopOutcome(safe, self._stop_outcome))

    def _set_stop(self, state: StopState) -> None:
        if state is self.stop_state:
            return
        self.stop_state = state
        if self._on_stop is not None:
            self._on_stop(state)

    # -- a session ----------------------------------------------------------------------------

    def compile(self, program: Program, person: Personalisation) -> Plan:
        """``program`` as written (for any chair): the bridge compiles it for the person and
        its chair, with their screening and caps."""
        return compile_program(program, person=person)

    def approximations(self, plan: Plan) -> list[str]:
        """None known here: the bridge refuses a program its chair cannot run."""
        return []

    def check_allowance(self, plan: Plan, *, store: Store | None, profile: Profile | None) -> None:
        """Nothing to check here: the bridge keeps the person's rest and daily cap, and
        refuses a start they do not allow."""

    async def run(
        self,
        program: Program,
        plan: Plan,
        *,
        store: Store | None,
        profile: Profile | None,
        listener: Callable[[Event], None],
        profile_key: str | None = None,
    ) -> Result:
        """Ask the bridge to run ``program`` for the person ``profile_key`` names, then
        follow the session to its end (``listener`` hears its events); a :class:`Refused`
        in the bridge's words when it refuses. ``plan`` and ``store`` are this app's: the
        bridge compiles and logs its own."""
        person = profile_key or (profile.name if profile is not None else None)
        if person is None:
            raise ChairctlError("who is in the chair? Choose one of the bridge's profiles (p)")
        if self.running:
            raise ChairctlError(ALREADY_RUNNING)
        self._check_reachable()
        loop = asyncio.get_running_loop()
        start = self._start = _Start(program.id, person, loop.create_future(), loop.create_future())
        self._listener = listener
        try:
            await self.client.publish(Command.START, dumps_start(program.id, person))
            try:
                await self.clock.wait_for(asyncio.shield(start.answered), self.options.answer_s)
            except TimeoutError:
                raise ChairctlError(
                    f"the bridge did not answer the start within {self.options.answer_s:g} s; "
                    "it may still begin it: Escape stops the chair"
                ) from None
            return await start.ended
        finally:
            self._listener = None
            if self._start is start:
                self._start = None

    async def _command(self, command: Command, payload: bytes = b"") -> None:
        self._check_reachable()
        if not self.running:
            raise ChairctlError(f"no session is running: nothing to {command.value}")
        await self.client.publish(command, payload)

    async def pause(self) -> None:
        """Ask the bridge to pause its session (its state then says paused)."""
        await self._command(Command.PAUSE)

    async def resume(self) -> None:
        """Ask the bridge to resume its paused session."""
        await self._command(Command.RESUME)

    async def change_intensity(self, delta: int) -> LiveChange | None:
        """Ask for one step stronger (+1) or gentler (-1): the bridge applies it within the
        person's caps, its state shows the intensity, and what held it back comes as its
        refusal. None: what it came to is not known at once here."""
        await self._command(Command.INTENSITY, b"+1" if delta > 0 else b"-1")
        return None

    async def clear_fault(self) -> None:
        """Ask the bridge to clear its chair's fault (or, after its lost link, to take the next
        session); returns once its state shows none (a :class:`Refused` in its words when it
        will not)."""
        self._check_reachable()
        if self.fault is None:
            return
        clearing = self._clearing = asyncio.get_running_loop().create_future()
        try:
            await self.client.publish(Command.CLEAR_FAULT)
            await self.clock.wait_for(asyncio.shield(clearing), self.options.answer_s)
        except TimeoutError:
            raise ChairctlError(
                f"the bridge did not say the fault was cleared within {self.options.answer_s:g} s"
            ) from None
        finally:
            self._clearing = None
