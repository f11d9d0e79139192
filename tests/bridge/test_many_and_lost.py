"""Two chairs on one broker stay apart; a broker that goes away never keeps the bridge from
stopping its chair; a stop right behind a start, or with nothing running, is harmless."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from chairctl.services.remote.topics import Command
from chairctl.vocabulary import WorkState
from tests.bridge.bridgehelpers import (
    ANN,
    PROGRAM,
    advance,
    at_rest,
    client_of,
    running_bridge,
    saved,
    working,
)
from tests.bridge.broker import Broker

pytestmark = pytest.mark.realtime

START = json.dumps({"program": PROGRAM, "profile": "Ann"})


async def test_two_chairs_on_one_broker_hear_only_their_own_commands(
    broker: Broker, tmp_path: Path
) -> None:
    one, two = saved(tmp_path / "one", ANN), saved(tmp_path / "two", ANN)
    async with (
        running_bridge(broker, one, "house/living-room") as living,
        running_bridge(broker, two, "house/bedroom") as bedroom,
        client_of(broker, "house/living-room") as to_living,
        client_of(broker, "house/bedroom") as to_bedroom,
    ):
        await living.command(to_living, Command.START, START)
        await living.session_running()
        await living.until(lambda: working(living.chair))
        # The bedroom's chair never heard it, and its topics say so.
        assert bedroom.bridge.commands_heard == 0
        assert bedroom.bridge.control.engine is None
        assert bedroom.chair.state().work_state is WorkState.STANDBY
        await to_bedroom.state(lambda s: s.session == "idle")
        await to_living.state(lambda s: s.session == "running")

        # A stop to the bedroom stops the bedroom, not the living room.
        await bedroom.command(to_bedroom, Command.STOP)
        await advance(living.clock, 30)
        assert working(living.chair)
        assert living.bridge.control.engine is not None
        assert living.bridge.commands_heard == 1

        await living.command(to_living, Command.STOP)
        await living.until(lambda: living.bridge.control.engine is None)
        assert at_rest(living.chair)
        assert at_rest(bedroom.chair)


async def test_a_lost_broker_never_keeps_the_bridge_from_stopping_the_chair(
    broker: Broker, home: Path
) -> None:
    saved(home, ANN)
    async with running_bridge(broker, home, "test/chair") as running:
        async with client_of(broker, "test/chair") as client:
            await running.command(client, Command.START, START)
            await running.session_running()
            await running.until(lambda: working(running.chair))
        await asyncio.to_thread(broker.stop)
        await running.network(lambda: not running.bridge.link.connected)
        # The session goes on by its own rules while the broker is away ...
        await advance(running.clock, 60)
        assert working(running.chair)
        assert running.bridge.control.engine is not None
        # ... and ending the bridge (as SIGTERM does) releases the chair all the same.
        outcome = await running.end("stopped by SIGTERM")
        assert outcome is not None
        assert outcome.safe
        assert at_rest(running.chair)


async def test_the_bridge_comes_back_with_the_broker_and_says_the_present(
    broker: Broker, home: Path
) -> None:
    saved(home, ANN)
    async with running_bridge(broker, home, "test/chair") as running:
        async with client_of(broker, "test/chair") as client:
            await client.state(lambda s: s.link == "connected")
        await asyncio.to_thread(broker.stop)
        await running.network(lambda: not running.bridge.link.connected)
        await asyncio.to_thread(broker.start)
        async with client_of(broker, "test/chair") as client:
            await running.network(lambda: running.bridge.link.connected)
            await client.wait_for(lambda h: h.on("test/chair/availability") == [b"online"])
            await running.command(client, Command.START, START)
            await running.session_running()
            await client.state(lambda s: s.session == "running")
            await running.command(client, Command.STOP)
            await running.until(lambda: running.bridge.control.engine is None)
            assert at_rest(running.chair)


async def test_a_stop_right_behind_a_start_leaves_nothing_running(
    broker: Broker, home: Path
) -> None:
    saved(home, ANN)
    async with (
        running_bridge(broker, home, "test/chair") as running,
        client_of(broker, "test/chair") as client,
    ):
        await client.state(lambda s: s.link == "connected")
        # Both on their way before the bridge acts on either.
        await client.command(Command.START, START)
        await client.command(Command.STOP)
        await running.heard(2)
        await running.until(lambda: running.bridge.control.engine is None)
        await advance(running.clock, 60)
        assert running.bridge.control.engine is None
        assert at_rest(running.chair)
        await client.state(lambda s: s.stop == "stopped" and s.session != "running")


async def test_a_stop_with_nothing_running_is_harmless_and_acknowledged(
    broker: Broker, home: Path
) -> None:
    async with (
        running_bridge(broker, home, "test/chair") as running,
        client_of(broker, "test/chair") as client,
    ):
        await client.state(lambda s: s.link == "connected")
        await running.command(client, Command.STOP, "anything at all")
        await running.until(lambda: running.bridge.control.stop_state.value == "stopped")
        await client.wait_for(
            lambda h: any(e["kind"] == "StopOutcome" for e in h.json_on("test/chair/event"))
        )
        outcome = next(
            e for e in client.heard.json_on("test/chair/event") if e["kind"] == "StopOutcome"
        )
        assert outcome["message"] == "Stopped · the chair is safe"
        await advance(running.clock, 30)
        assert all(
            state is WorkState.STANDBY for _, state in running.chair.trace.work_state.changes()
        )
        assert at_rest(running.chair)
        assert client.errors() == []
