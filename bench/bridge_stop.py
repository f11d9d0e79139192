"""Stop latency through the bridge: from an MQTT stop command's publish to the stop key at the
chair, and on to the chair's release.

A stop from Home Assistant, a voice assistant or a browser tab reaches the chair through a
broker and ``chairctl bridge``, so the network's part counts as much as the chair's. Each trial
has the bridge (in this process, as ``chairctl bridge`` runs it) start a session for a person who
allows remote starts, by an MQTT start command; the simulated RT8600S works through its power-up
and body scan in virtual time, which costs nothing, then virtual time follows the wall clock
(status frames every 50 ms in real time), and at a random moment a client of the broker
publishes the stop. The figure is the wall time from that publish to the moment the chair has
the whole stop key; then the release finishes in virtual time, and the chair's own seconds until
its ground truth is at rest (no rollers, heat off, airbags vented) are the second figure.

The broker is a real one on 127.0.0.1, started the way the tests start theirs (mosquitto where
installed, else amqtt on a thread of this process); when none can be started, the section says
so instead of figures.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
import tempfile
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Final

import aiomqtt

from bench.results import Section, Table
from bench.stats import Summary
from bench.stop_latency import APP_GOAL_MS, KeyClock, RealTimePump
from chairctl.bridge.bridge import Bridge
from chairctl.bridge.library import read_library
from chairctl.clock import VirtualClock
from chairctl.program import load_program
from chairctl.program.library import library_dir
from chairctl.safety.profile import HealthScreening, Profile
from chairctl.services.chairs import parse_chair, resolve_model
from chairctl.services.remote.broker import parse_broker_url
from chairctl.services.remote.topics import ONLINE, ChairTopics, Command
from chairctl.services.session import StopState
from chairctl.store import Store, database_path
from chairctl.vocabulary import WorkState
from simulator.chair import SimulatedChair
from tests.bridge.broker import Broker, broker_for

PROGRAM: Final = "lower-back-relief"
PREFIX: Final = "chairctl/bench"
#: Real seconds any one wait may take before the benchmark gives up on it (a bound, not a pace).
PATIENCE_S: Final = 30.0
#: A stop slower than this had waited on something other than the broker's hop (a note).
SLOW_MS: Final = 5.0


def released(chair: SimulatedChair) -> bool:
    """The chair's ground truth after its release: standing by, no rollers, no heat, airbags
    vented (the rollers home and the depth retracted on the way)."""
    state = chair.state()
    return (
        state.work_state is WorkState.STANDBY
        and state.roller_technique is None
        and not state.heat_on
        and all(pressure < 0.05 for pressure in state.airbags.values())
    )


def working(chair: SimulatedChair) -> bool:
    """The chair's ground truth: the rollers work or an airbag presses."""
    state = chair.state()
    return state.roller_technique is not None or any(p > 0.05 for p in state.airbags.values())


def _people(trials: int) -> list[Profile]:
    """One person per trial, each allowing remote starts: a person's next session waits out a
    rest between sessions, and the trials run back to back."""
    health = HealthScreening(age=40, first_use=False)
    return [
        Profile(name=f"Bench {trial + 1}", health=health, remote_start=True)
        for trial in range(trials)
    ]


async def _until(
    clock: VirtualClock, done: Callable[[], bool], limit_s: float = 600.0, step: float = 0.5
) -> None:
    """Move the chair's time until ``done()``; when nothing is due on its clock, wait on the
    network instead. An error past ``limit_s`` of chair time or :data:`PATIENCE_S` real."""
    loop = asyncio.get_running_loop()
    end, real_end = clock.now() + limit_s, loop.time() + PATIENCE_S
    while not done():
        if clock.now() > end or loop.time() > real_end:
            raise RuntimeError(f"the bridge did not get there (chair's clock at {clock.now():g} s)")
        if clock.next_deadline() is not None:
            await clock.advance(step)
        else:
            await asyncio.sleep(0.005)


async def _heard(bridge: Bridge, count: int) -> None:
    """Wait (real time, the chair's clock standing still) until the bridge heard ``count``."""
    loop = asyncio.get_running_loop()
    end = loop.time() + PATIENCE_S
    while bridge.commands_heard < count:
        if loop.time() > end:
            raise RuntimeError("the bridge never heard the start command")
        await asyncio.sleep(0.002)  # the message is on its way through the broker


async def _online(client: aiomqtt.Client, topics: ChairTopics) -> None:
    """Wait until the bridge says it is online, which it does once it takes commands."""
    await client.subscribe(topics.availability, qos=1)
    async with asyncio.timeout(PATIENCE_S):
        async for message in client.messages:
            if message.payload == ONLINE.encode():
                break
    await client.unsubscribe(topics.availability)


@contextlib.asynccontextmanager
async def _bridge(broker: Broker, home: Path) -> AsyncIterator[tuple[Bridge, VirtualClock]]:
    clock = VirtualClock()
    address = parse_chair("sim")
    programs = [load_program(path) for path in sorted(library_dir().glob("*.yaml"))]
    with Store.open(database_path(home)) as store:
        bridge = Bridge(
            address,
            resolve_model(address, None),
            clock,
            topics=ChairTopics(PREFIX),
            broker=parse_broker_url(broker.url()),
            library=read_library(programs),
            store=store,
        )
        task = asyncio.create_task(bridge.run())
        try:
            await _until(clock, lambda: bridge.control.status is not None or task.done())
            yield bridge, clock
        finally:
            bridge.end("stopped: the benchmark ends")
            await _until(clock, task.done)
            task.result()


async def _trials(broker: Broker, trials: int) -> tuple[list[float], list[float]]:
    """Milliseconds from the stop's publish to the stop key; chair seconds from the key to rest."""
    people = _people(trials)
    rng = random.Random("bridge-stop")
    to_key: list[float] = []
    to_rest: list[float] = []
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        with Store.open(database_path(home)) as store:
            for person in people:
                store.put_profile(person.name, person.model_dump_json())
        async with (
            _bridge(broker, home) as (bridge, clock),
            aiomqtt.Client(broker.host, broker.port, timeout=PATIENCE_S) as client,
        ):
            control = bridge.control
            chair = control.simulated
            assert chair is not None
            keys = KeyClock(chair)
            topics = ChairTopics(PREFIX)
            await _online(client, topics)
            for person in people:
                heard = bridge.commands_heard
                start = json.dumps({"program": PROGRAM, "profile": person.name})
                await client.publish(topics.command(Command.START), start, qos=1)
                await _heard(bridge, heard + 1)
                # Past its power-up and body scan, the chair massages: a stop has work to undo.
                await _until(clock, lambda: working(chair))
                await clock.advance(rng.uniform(2.0, 4.0))
                pump = RealTimePump(clock)
                pump.start()
                try:
                    # Anywhere in the 50 ms frame cycle, as for the other stop paths.
                    await asyncio.sleep(rng.uniform(0.005, 0.06))
                    keys.arm()
                    published = time.perf_counter()
                    await client.publish(topics.command(Command.STOP), b"", qos=1)
                    at_key = await keys.wait()
                finally:
                    await pump.stop()
                to_key.append((at_key - published) * 1000)
                key_at = clock.now()
                await _until(clock, lambda: released(chair), step=0.05)
                to_rest.append(clock.now() - key_at)
                await _until(
                    clock,
                    lambda: control.engine is None and control.stop_state is StopState.STOPPED,
                )
    return to_key, to_rest


def _no_broker(reason: str) -> Section:
    return Section(
        key="bridge_stop",
        title="Stop latency through the bridge",
        method="An MQTT stop command through a real broker on loopback and the bridge.",
        goal="",
        met=None,
        tables=[],
        figures={},
        notes=[
            f"Not measured: no broker could be started here ({reason}); its goal is a p95 "
            f"within {APP_GOAL_MS:g} ms from the stop's publish to the stop key at the chair."
        ],
    )


def run(quick: bool) -> Section:
    """The stop through the bridge, ``quick``: a few trials."""
    trials = 10 if quick else 200
    with tempfile.TemporaryDirectory() as folder:
        try:
            broker = broker_for(Path(folder))
        except RuntimeError as error:
            return _no_broker(str(error))
        try:
            broker.start()
        except (RuntimeError, OSError) as error:
            broker.stop()
            return _no_broker(str(error))
        kind = broker.kind
        try:
            to_key, to_rest = asyncio.run(_trials(broker, trials))
        finally:
            broker.stop()
    key, rest = Summary.of(to_key), Summary.of(to_rest)
    met = key.p95 <= APP_GOAL_MS
    rows = [
        [
            "publish → stop key at the chair (ms, wall)",
            str(key.n),
            f"{key.median:.2f}",
            f"{key.p95:.2f}",
            f"{key.p99:.2f}",
            f"{key.max:.2f}",
        ],
        [
            "stop key → chair at rest, standing by (s, chair's time)",
            str(rest.n),
            f"{rest.median:.2f}",
            f"{rest.p95:.2f}",
            f"{rest.p99:.2f}",
            f"{rest.max:.2f}",
        ],
    ]
    slow = sum(1 for sample in to_key if sample > SLOW_MS)
    notes = [
        f"Through {kind} on loopback, a stop published by a client reaches the chair in "
        f"{key.median:.2f} ms (median), {key.p95:.2f} ms at p95: the broker's hop and the "
        "bridge hearing the command; from there the stop starts in the same turn, as the app's "
        "Escape does.",
        f"{slow} of {key.n} stops took more than {SLOW_MS:g} ms. Found while building this: "
        "the bridge publishes its state at QoS 1, so the broker keeps acknowledging to it; "
        "mosquitto by default (set_tcp_nodelay false) holds its next small message, the stop, "
        "until the bridge's machine acknowledges that one, which Linux delays by up to 40 ms. "
        "With set_tcp_nodelay true in mosquitto.conf, or the state published at QoS 0, every "
        "stop took about a millisecond.",
        f"The chair is at rest and standing by {rest.median:.1f} s (median) after the stop "
        "key, by its own mechanics: the rollers stop, the depth retracts and the rollers go "
        "home, the airbags vent, the heat goes off.",
    ]
    return Section(
        key="bridge_stop",
        title="Stop latency through the bridge",
        method=(
            f"{trials} trials: a session started by an MQTT start command for a person who "
            "allows remote starts, the simulated RT8600S kneading for a few seconds with status "
            "frames every 50 ms in real time, then a stop command published (QoS 1) by another "
            f"client of a real broker ({kind}) on 127.0.0.1. Wall time from the publish to the "
            "chair holding the whole stop key; then the chair's own seconds from that key until "
            "its ground truth is at rest."
        ),
        goal=(
            f"p95 within {APP_GOAL_MS:g} ms from the stop's publish to the stop key at the "
            "chair (the app's goal for Escape)"
        ),
        met=met,
        tables=[Table(["path", "trials", "median", "p95", "p99", "max"], rows)],
        figures={
            "broker": kind,
            "publish_to_key_ms": key.as_dict(),
            "key_to_rest_s": rest.as_dict(),
        },
        notes=notes,
    )
