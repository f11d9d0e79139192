"""Red team: a start sent again (a QoS 1 redelivery, a replayed capture, an automation that
fires twice) and a start during the person's rest: the rest between sessions refuses it in the
command line's words, and nothing moves."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from chairctl.engine import Finished, SessionStarted
from chairctl.services.remote.topics import Command
from chairctl.store import Store, database_path
from tests.bridge.bridgehelpers import ANN, PROGRAM, at_rest, client_of, running_bridge, saved
from tests.bridge.broker import Broker

pytestmark = pytest.mark.realtime

PREFIX = "test/chair"
START = json.dumps({"program": PROGRAM, "profile": "Ann"})


def log_session(home: Path, name: str, minutes: float) -> None:
    """A finished session of ``minutes`` for ``name``, logged as the engine would."""
    with Store.open(database_path(home)) as store:
        log = store.begin_session("p", "P", name, "the simulated chair", minutes * 60)
        log.on_event(SessionStarted(0.0, "p", "P", minutes * 60))
        log.on_event(Finished(minutes * 60, chair_safe=True))


async def test_a_start_during_the_persons_rest_is_refused_and_nothing_moves(
    broker: Broker, home: Path
) -> None:
    saved(home, ANN)
    log_session(home, "Ann", 12)
    async with running_bridge(broker, home, PREFIX) as running, client_of(broker, PREFIX) as client:
        await client.state(lambda s: s.link == "connected")
        await running.command(client, Command.PROFILE, "Ann")
        await running.command(client, Command.PROGRAM, PROGRAM)
        for payload in (START, "START", "press"):
            await running.command(client, Command.START, payload)
            refusal = await client.error()
            assert refusal["command"] == "start"
            assert "rests as long between sessions" in refusal["message"]
        assert running.bridge.control.engine is None
        assert all(a is None for _, a in running.chair.trace.activity.changes())
        assert at_rest(running.chair)


async def test_the_same_start_again_after_its_session_ended_is_refused(
    broker: Broker, home: Path
) -> None:
    saved(home, ANN)
    async with running_bridge(broker, home, PREFIX) as running, client_of(broker, PREFIX) as client:
        await client.state(lambda s: s.link == "connected")
        await running.command(client, Command.START, START)
        await running.session_running()
        await running.until(lambda: running.bridge.commands.session is None, limit_s=3600)
        assert at_rest(running.chair)
        moved_until = len(list(running.chair.trace.activity.changes()))
        # The same message once more, as a redelivery or a replay would bring it.
        await running.command(client, Command.START, START)
        refusal = await client.error()
        assert refusal["command"] == "start"
        assert "rests as long between sessions" in refusal["message"]
        assert running.bridge.control.engine is None
        assert len(list(running.chair.trace.activity.changes())) == moved_until
