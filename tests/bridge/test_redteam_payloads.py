"""Red team: payloads a network peer can send that the bridge must survive, refusing each in
one message on ``P/error`` and staying up to take the next command (a stop above all)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from chairctl.services.remote.topics import Command
from tests.bridge.bridgehelpers import ANN, PROGRAM, at_rest, client_of, running_bridge, saved
from tests.bridge.broker import Broker

pytestmark = pytest.mark.realtime

PREFIX = "test/chair"
START = json.dumps({"program": PROGRAM, "profile": "Ann"})

#: Under the 4096-byte limit, and deeper than Python's JSON decoder recurses.
DEEP_ARRAY = b"[" * 3000


async def test_a_deeply_nested_start_is_refused_and_the_bridge_stays_up(
    broker: Broker, home: Path
) -> None:
    saved(home, ANN)
    async with (
        running_bridge(broker, home, PREFIX) as running,
        client_of(broker, PREFIX) as client,
    ):
        await client.state(lambda s: s.link == "connected")
        await client.command(Command.START, DEEP_ARRAY)
        refusal = await client.error()
        assert refusal["command"] == "start"
        assert not running.task.done()
        # Still listening: a start after it runs, and a stop releases the chair.
        await running.command(client, Command.START, START)
        await running.session_running()
        await running.command(client, Command.STOP)
        await running.until(lambda: running.bridge.control.engine is None)
        assert at_rest(running.chair)


BINARY_AND_ODD = [
    pytest.param(Command.START, b"\xff\xfe\x00binary", id="start-binary"),
    pytest.param(Command.START, b"x" * 70000, id="start-huge"),
    pytest.param(Command.START, b'{"program": "\\u0000\\u001b[31m", "profile": "Ann"}', id="ctrl"),
    pytest.param(Command.START, b'{"program": 1e999, "profile": "Ann"}', id="start-inf"),
    pytest.param(Command.START, b'{"program": "lower-back-relief", "profile": ["Ann"]}', id="list"),
    pytest.param(Command.START, b'{"program": "a", "program": "b"}', id="start-dup-key"),
    pytest.param(Command.INTENSITY, b"nan", id="intensity-nan"),
    pytest.param(Command.INTENSITY, b"1e400", id="intensity-inf"),
    pytest.param(Command.INTENSITY, b"9" * 5000, id="intensity-huge"),
    pytest.param(Command.HEAT, b"\xc0\xaf", id="heat-overlong-utf8"),
    pytest.param(Command.PROFILE, "Ann\u202e".encode(), id="profile-bidi"),
    pytest.param(Command.PROGRAM, b"../../etc/passwd", id="program-path"),
    pytest.param("cmd\u00a0\u202e", b"x", id="topic-odd-unicode"),
    pytest.param("start/deeper", START, id="topic-deeper"),
]


@pytest.mark.parametrize(("command", "payload"), BINARY_AND_ODD)
async def test_odd_payloads_and_topics_never_end_the_bridge_nor_move_the_chair(
    broker: Broker, home: Path, command: Command | str, payload: bytes | str
) -> None:
    saved(home, ANN)
    async with (
        running_bridge(broker, home, PREFIX) as running,
        client_of(broker, PREFIX) as client,
    ):
        await client.state(lambda s: s.link == "connected")
        await client.command(command, payload)
        # A stop right behind it is heard and acted on: the bridge is still there.
        await client.command(Command.STOP)
        await client.wait_for(
            lambda h: any(e["kind"] == "StopOutcome" for e in h.json_on(f"{PREFIX}/event"))
        )
        assert not running.task.done()
        assert running.bridge.control.engine is None
        assert at_rest(running.chair)
        assert all(activity is None for _, activity in running.chair.trace.activity.changes())
        for error in client.errors():
            assert "\x1b" not in error["message"]
            assert "\x07" not in error["message"]
