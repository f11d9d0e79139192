"""The bridge: one chair, its session controller, and the broker it is published on.

The chair's side and the network's side run side by side on one event loop and never wait on
each other. The chair's (:class:`~chairctl.services.session.ChairControl`, on the chair's
clock) goes on or stops by its own rules whatever the broker does; the network's
(:class:`~chairctl.bridge.network.MqttLink`, on real time) reconnects for as long as it must.
Whatever ends the bridge (SIGTERM, SIGINT, SIGHUP, its output gone, a bug), the chair is
released first and only then does the bridge say goodbye to the broker, if it is there.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field

from chairctl.bridge.commands import Commands
from chairctl.bridge.events import chair_event, engine_event
from chairctl.bridge.library import Library
from chairctl.bridge.network import LinkOptions, MqttLink
from chairctl.bridge.outbox import Message, Outbox
from chairctl.bridge.publish import discovery_messages
from chairctl.bridge.state import StateTracker
from chairctl.clock import Clock, RealClock
from chairctl.engine import Event, FaultRaised, Finished, SessionStarted, Stopped
from chairctl.services.chairs import ChairAddress
from chairctl.services.endings import SessionEnding
from chairctl.services.remote.broker import BrokerSettings
from chairctl.services.remote.payloads import CommandError, SessionEvent, dumps
from chairctl.services.remote.topics import HA_STATUS, OFFLINE, ONLINE, ChairTopics, Command
from chairctl.services.session import ChairControl, StopOutcome, StopState
from chairctl.store import Store
from chairctl.vocabulary import ChairctlError, ChairFault, LinkError
from chairctl.vocabulary.chair_events import ChairEvent
from chairctl.vocabulary.text import printable
from drivers.models import ChairModel
from drivers.session import LinkState, SessionConfig

#: Engine events that change the state at once, whatever the rate limit.
_URGENT_EVENTS = (SessionStarted, Stopped, Finished, FaultRaised)


@dataclass(frozen=True)
class BridgeOptions:
    """How the bridge talks to the broker."""

    #: The shortest time between two state messages, but for urgent ones (a stop, a fault,
    #: the end of a session), which go at once.
    state_interval_s: float = 0.5
    #: How long the last state and ``offline`` may take on the way out.
    goodbye_s: float = 5.0
    link: LinkOptions = field(default_factory=LinkOptions)


class Bridge:
    """``address``'s chair, published under ``topics`` on ``broker``.

    The chair runs on ``clock``; the network on ``net_clock`` (real time by default). ``say``
    hears what the person running the bridge should read (one line each).
    """

    def __init__(
        self,
        address: ChairAddress,
        model: ChairModel,
        clock: Clock,
        *,
        topics: ChairTopics,
        broker: BrokerSettings,
        library: Library,
        store: Store | None,
        config: SessionConfig | None = None,
        net_clock: Clock | None = None,
        options: BridgeOptions | None = None,
        say: Callable[[str], None] | None = None,
    ) -> None:
        self.topics = topics
        self.library = library
        self.store = store
        self.options = options or BridgeOptions()
        self._say = say or (lambda _line: None)
        self.control = ChairControl(
            address,
            model,
            clock,
            on_link=self._on_link,
            on_stop=self._on_stop,
            store=store,
            config=config,
        )
        self.tracker = StateTracker(self.control)
        net_clock = net_clock or RealClock()
        self.outbox = Outbox(
            net_clock, state_topic=topics.state, state_interval_s=self.options.state_interval_s
        )
        self.commands = Commands(
            self.control,
            library,
            store,
            self.tracker,
            refuse=self._refuse,
            tell=self._tell,
            changed=self._changed,
            listener=self._on_engine_event,
            on_bug=self._bug,
        )
        self.link = MqttLink(
            broker,
            topics,
            self.outbox,
            clock=net_clock,
            on_message=self._on_message,
            on_connected=self._on_connected,
            say=self._say,
            options=self.options.link,
        )
        self._ended: asyncio.Event | None = None
        self._failure: BaseException | None = None
        #: How many commands the bridge has heard (acted on or refused), for tests and logs.
        self.commands_heard = 0
        #: How the chair's last stop on the way out went; None when there was none to make.
        self.outcome: StopOutcome | None = None

    # -- running --------------------------------------------------------------------------------

    async def run(self, ending: SessionEnding | None = None) -> StopOutcome | None:
        """Connect the chair and the broker and serve until :meth:`end` (or ``ending``'s
        signals, installed for the run); the chair is released on the way out, and how that
        went is returned. A chair that cannot be reached ends the run with its error."""
        self._ended = asyncio.Event()
        if ending is not None:
            ending.install(asyncio.get_running_loop(), self.end)
        self._publish_descriptions()
        self._changed(True)
        network = self.link.start()
        network.add_done_callback(self._network_ended)
        watcher = asyncio.create_task(self._watch(), name="statuses")
        try:
            await self._connect_chair()
            self._changed(True)
            await self._ended.wait()
        finally:
            try:
                await self._shutdown()
            finally:
                watcher.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await watcher
                if ending is not None:
                    ending.uninstall()
        if self._failure is not None:
            raise self._failure
        return self.outcome

    async def _connect_chair(self) -> None:
        assert self._ended is not None
        connecting = asyncio.create_task(self.control.connect(), name="connect")
        ended = asyncio.create_task(self._ended.wait())
        try:
            await asyncio.wait({connecting, ended}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            ended.cancel()
        if not connecting.done():
            # Told to end before the chair answered: connecting sends nothing.
            connecting.cancel()
            with contextlib.suppress(asyncio.CancelledError, ChairctlError):
                await connecting
            return
        try:
            connecting.result()
        except ChairFault as fault:
            # Latched: the state shows it, and every start is refused until it is cleared.
            self._say(f"the chair reports a fault: {printable(str(fault))}")
        self._say(f"connected to {printable(self.control.title)}")

    def end(self, reason: str = "stopped: the bridge is ending") -> None:
        """End the bridge: a session under way is stopped in this very turn (its release goes
        out first), then the bridge winds down. Safe to call from a signal handler, more than
        once."""
        # From now on only a stop is taken: a start heard while the chair is being released
        # would otherwise run a session after the ending.
        self.commands.ending = True
        self.commands.cancel_pending_start()
        if self.control.engine is not None:
            self.commands.stop(reason)
        if self._ended is not None:
            self._ended.set()

    async def _shutdown(self) -> None:
        control = self.control
        # The chair first, whatever the broker does: released, then its link closed.
        try:
            if control.engine is not None or control.link_state is LinkState.CONNECTED:
                self.outcome = await control.stop()
                self._say(self.outcome.message)
        finally:
            await self.commands.settle()
            await control.close(release=False)
        if control.faults.trouble is not None:
            self._say(control.faults.trouble)
        final = self.tracker.snapshot()
        await self.link.close(
            [
                Message(self.topics.state, dumps(final), retain=True),
                Message(self.topics.availability, OFFLINE.encode(), retain=True),
            ],
            self.options.goodbye_s,
        )

    def _bug(self, error: BaseException) -> None:
        """Something raised that should not have: the chair is released and the bridge ends
        with the error (a traceback: a bug)."""
        if self._failure is None:
            self._failure = error
        self.end("stopped: the bridge met an error")

    def _network_ended(self, task: asyncio.Task[None]) -> None:
        # The connection's task ends only when told to, unless a bug ended it.
        if not task.cancelled() and task.exception() is not None:
            self._bug(task.exception() or RuntimeError("the network task failed"))

    async def _watch(self) -> None:
        """Every status the chair sends, across reconnections: the state follows it."""
        statuses = self.control.statuses()
        try:
            while True:
                try:
                    async for _status in statuses:
                        self._changed(False)
                    return  # the link closed for good
                except LinkError:
                    self._changed(True)
        finally:
            await statuses.aclose()

    # -- what the bridge says -------------------------------------------------------------------

    def _publish_descriptions(self) -> None:
        """Availability, the library, the profiles' names and Home Assistant's discovery."""
        self.outbox.retain(self.topics.availability, ONLINE.encode())
        self.outbox.retain(self.topics.library, dumps(self.library.entries()))
        names = self._profile_names()
        self.outbox.retain(self.topics.profiles, dumps(names))
        for message in discovery_messages(self.topics, self.control.model, self.library, names):
            self.outbox.retain(message.topic, message.payload)

    def _profile_names(self) -> list[str]:
        if self.store is None:
            return []
        try:
            return self.store.profile_names()
        except ChairctlError as error:
            self._say(f"the profiles cannot be read: {printable(str(error))}")
            return []

    def _changed(self, urgent: bool) -> None:
        self.outbox.put_state(dumps(self.tracker.snapshot()), urgent=urgent)

    def _tell(self, event: SessionEvent) -> None:
        self.outbox.send(self.topics.event, dumps(event))

    def _refuse(self, command: str, message: str) -> None:
        self.outbox.send(self.topics.error, dumps(CommandError(command=command, message=message)))
        self._say(f"refused {printable(command)}: {printable(message, newlines=True)}")

    def _session_time(self) -> float:
        engine = self.control.engine
        return engine.elapsed() if engine is not None else 0.0

    def _on_engine_event(self, event: Event) -> None:
        self.tracker.on_event(event)
        message = engine_event(event)
        if message is not None:
            self._tell(message)
            self._changed(isinstance(event, _URGENT_EVENTS))

    def _on_link(self, event: ChairEvent) -> None:
        self._tell(
            chair_event(event, self._session_time(), left_to_itself=self.control.left_to_itself())
        )
        self._changed(True)

    def _on_stop(self, state: StopState) -> None:
        self._changed(True)

    # -- what the bridge hears ------------------------------------------------------------------

    def _on_connected(self) -> None:
        self._say(f"connected to the broker {self.link.settings.url} as {self.topics.prefix}")
        self._publish_descriptions()

    def _on_message(self, topic: str, payload: bytes, retained: bool) -> None:
        if topic == HA_STATUS:
            if payload.strip() == ONLINE.encode():
                # Home Assistant (re)started: it learns the chair again, profiles as they are.
                self._publish_descriptions()
                self.outbox.connected()
            return
        self.commands_heard += 1
        command = self.topics.command_of(topic)
        if command is None:
            name = topic.rsplit("/", 1)[-1]
            known = ", ".join(c.value for c in Command)
            self._refuse(name, f"no command '{printable(name)}'; the commands are {known}")
            return
        if retained and command is not Command.STOP:
            # A retained command would act again on every reconnection: a start above all.
            self._refuse(
                command.value,
                "a retained command is refused: it would act again whenever the bridge "
                "reconnects; publish commands without the retain flag",
            )
            return
        self.commands.handle(command, payload)


__all__ = ["Bridge", "BridgeOptions", "Message"]
