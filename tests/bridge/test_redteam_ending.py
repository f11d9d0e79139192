"""Red team: commands that reach the bridge while it ends. Once told to end (SIGTERM, SIGINT),
nothing may start on the chair: the ending releases it, and a start heard on the way out is
refused."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from chairctl.services.remote.topics import Command
from tests.bridge.bridgehelpers import (
    ANN,
    PROGRAM,
    advance,
    at_rest,
    client_of,
    running_bridge,
    saved,
)
from tests.bridge.broker import Broker

pytestmark = pytest.mark.realtime

PREFIX = "test/chair"
START = json.dumps({"program": PROGRAM, "profile": "Ann"})


async def test_a_start_heard_as_the_bridge_begins_to_end_never_moves_the_chair(
    broker: Broker, home: Path
) -> None:
    saved(home, ANN)
    async with (
        running_bridge(broker, home, PREFIX) as running,
        client_of(broker, PREFIX) as client,
    ):
        await client.state(lambda s: s.link == "connected")
        bridge = running.bridge
        # SIGTERM with nothing running, and a start on its way.
        bridge.end("stopped: SIGTERM")
        await running.command(client, Command.START, START)
        await running.until(running.task.done)
        assert all(a is None for _, a in running.chair.trace.activity.changes())
        assert at_rest(running.chair)


async def test_a_start_heard_between_the_endings_stop_and_the_links_close_is_refused(
    broker: Broker, home: Path
) -> None:
    saved(home, ANN)
    async with running_bridge(broker, home, PREFIX) as running:
        bridge, control = running.bridge, running.bridge.control
        bridge.end("stopped: SIGTERM")
        # The moment the ending's stop is done, the link to the chair still up: a start
        # read from the broker then (the reader runs until link.close) is acted on. The
        # stop's own completion stands for the network's timing, which a test cannot hold.
        for _ in range(50):
            if control._stopping is not None:
                break
            await asyncio.sleep(0)  # the run's ending reaches its stop
        stopping = control._stopping
        assert stopping is not None
        topic = bridge.topics.command(Command.START)
        stopping.add_done_callback(lambda _: bridge._on_message(topic, START.encode(), False))
        await advance(running.clock, 60)
        moved = [a for _, a in running.chair.trace.activity.changes() if a is not None]
        bridge.end("stopped: SIGTERM again")
        await running.until(running.task.done)
        assert moved == []


async def test_a_stop_heard_while_the_bridge_ends_is_harmless(broker: Broker, home: Path) -> None:
    saved(home, ANN)
    async with (
        running_bridge(broker, home, PREFIX) as running,
        client_of(broker, PREFIX) as client,
    ):
        await client.state(lambda s: s.link == "connected")
        await running.command(client, Command.START, START)
        await running.session_running()
        running.bridge.end("stopped: SIGTERM")
        await running.command(client, Command.STOP)
        await running.command(client, Command.INTENSITY, "+1")
        await running.command(client, Command.HEAT, "ON")
        await running.until(running.task.done)
        outcome = running.task.result()
        assert outcome is not None
        assert outcome.safe
        assert at_rest(running.chair)
