"""Running a bridge in this process for the tests: the chair simulated on a VirtualClock that
only the test moves, MQTT on the real event loop against a real broker, and a subscriber that
reads what the bridge publishes as any client would.

Virtual time moves only in :func:`advance` and :func:`drive`; between them the test waits on
the network (a message arriving), bounded by a hang guard that is never a measurement.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import aiomqtt

from chairctl.bridge.bridge import Bridge, BridgeOptions
from chairctl.bridge.library import read_library
from chairctl.bridge.network import LinkOptions
from chairctl.clock import VirtualClock
from chairctl.program import Program, load_program
from chairctl.program.library import library_dir
from chairctl.safety.profile import HealthScreening, Profile
from chairctl.services.chairs import parse_chair, resolve_model
from chairctl.services.remote.broker import parse_broker_url
from chairctl.services.remote.payloads import ChairState, parse_state
from chairctl.services.remote.topics import ChairTopics, Command
from chairctl.store import Store, database_path
from drivers.session import LinkState
from simulator.chair import SimulatedChair
from tests.bridge.broker import Broker

#: The real seconds a test waits for a message before it gives up: a hang guard.
PATIENCE_S: Final = 20.0
#: The library, read once for every bridge test.
LIBRARY: Final[list[Program]] = [load_program(p) for p in sorted(library_dir().glob("*.yaml"))]
#: A short program of the library (without recline), and one nobody may start remotely.
PROGRAM: Final = "lower-back-relief"

#: Ann allows a start from the home network; Bo does not.
ANN = Profile(name="Ann", health=HealthScreening(age=40, first_use=False), remote_start=True)
BO = Profile(name="Bo", health=HealthScreening(age=40, first_use=False))


def saved(home: Path, *profiles: Profile) -> Path:
    """``profiles`` in the store in ``home``; ``home``."""
    with Store.open(database_path(home)) as store:
        for profile in profiles:
            store.put_profile(profile.name, profile.model_dump_json())
    return home


def at_rest(chair: SimulatedChair) -> bool:
    """The chair's ground truth: no rollers, no heat, airbags vented."""
    state = chair.state()
    return (
        state.roller_technique is None
        and not state.heat_on
        and all(pressure < 0.05 for pressure in state.airbags.values())
    )


def working(chair: SimulatedChair) -> bool:
    """The chair's ground truth: the rollers work or an airbag presses."""
    state = chair.state()
    return state.roller_technique is not None or any(p > 0.05 for p in state.airbags.values())


async def advance(clock: VirtualClock, seconds: float, step: float = 0.5) -> None:
    """Let ``seconds`` of the chair's time pass, a step at a time."""
    end = clock.now() + seconds
    while clock.now() < end:
        await clock.advance(min(step, end - clock.now()))


async def drive(
    clock: VirtualClock,
    done: Callable[[], bool],
    *,
    limit_s: float = 600.0,
    step: float = 0.5,
) -> None:
    """Move the chair's time until ``done()``; when nothing is due on its clock (the bridge
    waits on the network), wait for the network instead. Fails past ``limit_s`` virtual or
    :data:`PATIENCE_S` real seconds."""
    loop = asyncio.get_running_loop()
    end, real_end = clock.now() + limit_s, loop.time() + PATIENCE_S
    while not done():
        if clock.now() >= end or loop.time() >= real_end:
            raise AssertionError(f"the condition never came (chair's clock at {clock.now():g} s)")
        if clock.next_deadline() is not None:
            await clock.advance(step)
        else:
            await asyncio.sleep(0.02)  # real I/O in flight: nothing moves on the chair's clock


@dataclass
class Heard:
    """What a subscriber to one chair's topics received, in order."""

    messages: list[tuple[str, bytes, bool]] = field(default_factory=list)
    arrived: asyncio.Event = field(default_factory=asyncio.Event)

    def on(self, topic: str) -> list[bytes]:
        return [payload for t, payload, _ in self.messages if t == topic]

    def json_on(self, topic: str) -> list[Any]:
        return [json.loads(payload) for payload in self.on(topic)]

    def states(self, topic: str) -> list[ChairState]:
        return [parse_state(payload) for payload in self.on(topic) if payload]


class Client:
    """A client of the broker, as Home Assistant or a script would be: it subscribes to a
    chair's topics and publishes commands."""

    def __init__(self, client: aiomqtt.Client, topics: ChairTopics) -> None:
        self.client = client
        self.topics = topics
        self.heard = Heard()
        self._errors_read = 0

    async def command(
        self, command: Command | str, payload: str | bytes = b"", *, retain: bool = False
    ) -> None:
        name = command.value if isinstance(command, Command) else command
        await self.client.publish(f"{self.topics.prefix}/cmd/{name}", payload, qos=1, retain=retain)

    async def wait_for(self, what: Callable[[Heard], bool], patience_s: float = PATIENCE_S) -> None:
        """Wait until what was heard satisfies ``what`` (real time: a hang guard)."""
        async with asyncio.timeout(patience_s):
            while not what(self.heard):
                self.heard.arrived.clear()
                await self.heard.arrived.wait()

    async def state(
        self, what: Callable[[ChairState], bool], patience_s: float = PATIENCE_S
    ) -> ChairState:
        """Wait for a published state satisfying ``what``; that state."""

        def found(heard: Heard) -> bool:
            return any(what(state) for state in heard.states(self.topics.state))

        await self.wait_for(found, patience_s)
        return next(s for s in reversed(self.heard.states(self.topics.state)) if what(s))

    async def error(self, patience_s: float = PATIENCE_S) -> dict[str, str]:
        """The first error message not yet returned, waiting for it if need be."""
        seen = self._errors_read
        await self.wait_for(lambda heard: len(heard.on(self.topics.error)) > seen, patience_s)
        self._errors_read += 1
        errors: list[dict[str, str]] = self.heard.json_on(self.topics.error)
        return errors[seen]

    def errors(self) -> list[dict[str, str]]:
        return list(self.heard.json_on(self.topics.error))

    def latest_state(self) -> ChairState | None:
        states = self.heard.states(self.topics.state)
        return states[-1] if states else None


@contextlib.asynccontextmanager
async def client_of(broker: Broker, prefix: str, *also: str) -> AsyncIterator[Client]:
    """A client subscribed to everything under ``prefix`` (and the topics ``also``)."""
    async with aiomqtt.Client(broker.host, broker.port, timeout=PATIENCE_S) as mqtt:
        client = Client(mqtt, ChairTopics(prefix))
        await mqtt.subscribe(f"{prefix}/#", qos=1)
        for topic in also:
            await mqtt.subscribe(topic, qos=1)

        async def listen() -> None:
            async for message in mqtt.messages:
                payload = message.payload
                data = payload if isinstance(payload, bytes) else str(payload).encode()
                client.heard.messages.append((str(message.topic), data, bool(message.retain)))
                client.heard.arrived.set()

        listening = asyncio.create_task(listen())
        try:
            yield client
        finally:
            listening.cancel()
            with contextlib.suppress(asyncio.CancelledError, aiomqtt.MqttError):
                await listening


@dataclass
class Running:
    """A bridge running in this process, and the clock its chair runs on."""

    bridge: Bridge
    clock: VirtualClock
    task: asyncio.Task[Any]

    @property
    def chair(self) -> SimulatedChair:
        chair = self.bridge.control.simulated
        assert chair is not None
        return chair

    async def until(self, done: Callable[[], bool], limit_s: float = 600.0) -> None:
        await drive(self.clock, done, limit_s=limit_s)

    async def command(
        self,
        client: Client,
        command: Command | str,
        payload: str | bytes = b"",
        *,
        retain: bool = False,
    ) -> None:
        """Send ``command`` as ``client`` and wait (real time, the chair's clock standing
        still) until the bridge has heard it, so what happens next on the chair's clock is
        the same on every machine."""
        heard = self.bridge.commands_heard
        await client.command(command, payload, retain=retain)
        await self.heard(heard + 1)

    async def heard(self, count: int) -> None:
        """Wait (real time, the chair's clock standing still) until the bridge has heard
        ``count`` commands in all."""
        await self.network(lambda: self.bridge.commands_heard >= count)

    async def network(self, done: Callable[[], bool]) -> None:
        """Wait (real time, the chair's clock standing still) until ``done()``: for what only
        the network can bring about."""
        loop = asyncio.get_running_loop()
        end = loop.time() + PATIENCE_S
        while not done():
            if loop.time() > end:
                raise AssertionError("the network never brought it about")
            await asyncio.sleep(0.01)  # a message, or a connection's end, on its way

    async def session_running(self) -> None:
        """Let the chair's time run until the session's time has started."""
        control = self.bridge.control

        def started() -> bool:
            engine = control.engine
            return engine is not None and engine.started

        await self.until(started)

    async def end(self, reason: str = "stopped: the test ends") -> Any:
        """End the bridge as a signal would; what its run returned."""
        self.bridge.end(reason)
        await self.until(self.task.done)
        return self.task.result()


@contextlib.asynccontextmanager
async def running_bridge(
    broker: Broker,
    home: Path,
    prefix: str,
    *,
    programs: list[Program] | None = None,
) -> AsyncIterator[Running]:
    """A bridge for the built-in simulated chair under ``prefix``, connected to its chair and
    to ``broker``; ended (the chair released) on the way out if the test did not."""
    clock = VirtualClock()
    address = parse_chair("sim")
    with Store.open(database_path(home)) as store:
        bridge = Bridge(
            address,
            resolve_model(address, None),
            clock,
            topics=ChairTopics(prefix),
            broker=parse_broker_url(broker.url()),
            library=read_library(LIBRARY if programs is None else programs),
            store=store,
            options=BridgeOptions(
                state_interval_s=0.0,
                goodbye_s=5.0,
                link=LinkOptions(retry_first_s=0.2, retry_max_s=0.5),
            ),
        )
        task = asyncio.create_task(bridge.run())
        running = Running(bridge, clock, task)
        await running.until(lambda: bridge.control.link_state is LinkState.CONNECTED or task.done())
        try:
            yield running
        finally:
            if not task.done():
                await running.end()
            else:
                task.result()
