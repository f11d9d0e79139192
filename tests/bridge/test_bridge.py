"""chairctl bridge on the simulated chair, against a real broker: what it publishes, a start
from the network, a stop from anyone, and the chair's ground truth for each."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from chairctl.services.remote.topics import Command
from tests.bridge.bridgehelpers import (
    ANN,
    BO,
    PROGRAM,
    at_rest,
    client_of,
    running_bridge,
    saved,
    working,
)
from tests.bridge.broker import Broker

#: Waits on the network (a real broker): the waits are hang guards, but load can reach them.
pytestmark = pytest.mark.realtime

PREFIX = "test/living-room"


async def test_availability_state_library_and_profiles_are_published_retained(
    broker: Broker, home: Path
) -> None:
    saved(home, ANN, BO)
    async with running_bridge(broker, home, PREFIX) as running:
        # A client that comes later still learns all of it: it is retained.
        async with client_of(broker, PREFIX) as client:
            state = await client.state(lambda s: s.link == "connected")
            described = ("availability", "library", "profiles")
            await client.wait_for(lambda h: all(h.on(f"{PREFIX}/{t}") for t in described))
            heard = client.heard
            assert heard.on(f"{PREFIX}/availability") == [b"online"]
            assert (state.session, state.stop, state.work_state) == ("idle", "idle", "standby")
            assert json.loads(heard.on(f"{PREFIX}/profiles")[-1]) == ["Ann", "Bo"]
            library = json.loads(heard.on(f"{PREFIX}/library")[-1])
            assert {"id", "name", "category", "minutes"} == set(library[0])
            assert PROGRAM in {entry["id"] for entry in library}
            # Kept by the broker for whoever comes: the first of each was a retained copy.
            for topic in described:
                first = next(m for m in heard.messages if m[0] == f"{PREFIX}/{topic}")
                assert first[2], topic
        assert at_rest(running.chair)


async def test_a_remote_start_runs_publishes_its_state_and_a_stop_releases_the_chair(
    broker: Broker, home: Path
) -> None:
    saved(home, ANN)
    async with running_bridge(broker, home, PREFIX) as running, client_of(broker, PREFIX) as client:
        await client.state(lambda s: s.link == "connected")
        await running.command(
            client, Command.START, json.dumps({"program": PROGRAM, "profile": "Ann"})
        )
        await client.state(lambda s: s.session == "preparing")
        await running.session_running()
        await running.until(lambda: working(running.chair))
        await running.until(lambda: running.clock.now() > 120)
        state = await client.state(lambda s: s.session == "running" and s.step is not None)
        assert (state.program, state.profile) == (PROGRAM, "Ann")
        assert state.time_left_s is not None
        assert state.time_left_s > 0
        assert state.regions
        assert state.technique is not None
        assert client.errors() == []

        await running.command(client, Command.STOP)
        await client.state(lambda s: s.stop == "stopping")
        await running.until(lambda: running.bridge.control.engine is None)
        state = await client.state(lambda s: s.stop == "stopped" and s.session == "ended")
        assert at_rest(running.chair)
        await client.wait_for(
            lambda h: (
                {"Stopped", "StopOutcome"} <= {e["kind"] for e in h.json_on(f"{PREFIX}/event")}
            )
        )
        events = client.heard.json_on(f"{PREFIX}/event")
        stopped = next(e for e in events if e["kind"] == "Stopped")
        assert (stopped["message"], stopped["chair_safe"]) == (
            "stopped by a command over MQTT",
            True,
        )
        assert {"kind": "StopOutcome", "message": "Stopped · the chair is safe"}.items() <= next(
            e for e in events if e["kind"] == "StopOutcome"
        ).items()
