"""Red team: what a peer on the broker can do with many quick commands and with prefixes that
overlap another chair's. The person's cap holds however many "+" or levels arrive at once, and
one chair's commands never reach a chair whose prefix begins the same way."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import pytest

from chairctl.services.remote.topics import ChairTopics, Command, TopicError
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
CAPPED = ANN.model_copy(update={"name": "Di", "max_intensity": 4})


async def test_a_flood_of_stronger_and_levels_never_passes_the_persons_cap(
    broker: Broker, home: Path
) -> None:
    saved(home, CAPPED)
    async with running_bridge(broker, home, PREFIX) as running, client_of(broker, PREFIX) as client:
        await running.command(
            client, Command.START, json.dumps({"program": PROGRAM, "profile": "Di"})
        )
        await running.session_running()
        await running.until(lambda: running.clock.now() > 150)
        heard = running.bridge.commands_heard
        # All on their way before the bridge acts on any: each becomes a task of its own.
        asks = ["+1", "stronger", "5", "+", "5.0", "+1", "5", "stronger"] * 3
        for ask in asks:
            await client.command(Command.INTENSITY, ask)
        await running.heard(heard + len(asks))
        await running.until(lambda: not running.bridge.commands.busy, limit_s=60)
        await advance(running.clock, 30)
        published = [s.intensity for s in client.heard.states(f"{PREFIX}/state")]
        assert max(i for i in published if i is not None) <= 4
        assert running.bridge.tracker.intensity is not None
        assert running.bridge.tracker.intensity <= 4
        await running.end()
        assert at_rest(running.chair)


async def test_a_chair_under_another_chairs_prefix_hears_only_its_own_commands(
    broker: Broker, tmp_path: Path
) -> None:
    outer_home, inner_home = saved(tmp_path / "outer", ANN), saved(tmp_path / "inner", ANN)
    start = json.dumps({"program": PROGRAM, "profile": "Ann"})
    async with (
        running_bridge(broker, outer_home, "test/a") as outer,
        running_bridge(broker, inner_home, "test/a/b") as inner,
        client_of(broker, "test/a") as outer_client,
        client_of(broker, "test/a/b") as inner_client,
    ):
        await inner.command(inner_client, Command.START, start)
        await inner.session_running()
        await advance(outer.clock, 30)
        assert all(a is None for _, a in outer.chair.trace.activity.changes())
        # A stop for the outer chair leaves the inner one to its session, and the other way.
        await outer.command(outer_client, Command.STOP)
        assert inner.bridge.control.engine is not None
        await inner.command(inner_client, Command.STOP)
        await inner.until(lambda: inner.bridge.control.engine is None)
        assert at_rest(inner.chair)
        assert outer.bridge.commands_heard == 1
        assert outer_client.errors() == []


async def test_a_prefix_that_lands_on_another_chairs_commands_is_refused(
    broker: Broker, tmp_path: Path
) -> None:
    try:
        ChairTopics("test/a/cmd")
    except TopicError:
        return  # refused before anything is reached: the fix
    outer_home, inner_home = saved(tmp_path / "outer", ANN), saved(tmp_path / "inner", ANN)
    async with (
        running_bridge(broker, outer_home, "test/a") as outer,
        running_bridge(broker, inner_home, "test/a/cmd"),
        client_of(broker, "test/a") as client,
    ):
        await client.wait_for(lambda heard: bool(heard.on("test/a/cmd/state")))
        with contextlib.suppress(AssertionError):
            await outer.network(lambda: outer.bridge.commands_heard > 0)
        assert outer.bridge.commands_heard == 0
        assert client.errors() == []
