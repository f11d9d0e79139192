"""Red team: the chair's link drops mid-session. The session stops by its own rules (the chair
released on reconnection), and a start afterwards is either taken or refused with a way out
that the network has."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from chairctl.services.remote.topics import Command
from drivers.session import LinkState
from simulator.faults import LinkDrop
from tests.bridge.bridgehelpers import ANN, PROGRAM, at_rest, client_of, running_bridge, saved
from tests.bridge.broker import Broker

pytestmark = pytest.mark.realtime

PREFIX = "test/chair"
EVE = ANN.model_copy(update={"name": "Eve"})


async def test_after_a_dropped_chair_link_a_start_from_the_network_is_possible_again(
    broker: Broker, home: Path
) -> None:
    saved(home, ANN, EVE)
    async with running_bridge(broker, home, PREFIX) as running, client_of(broker, PREFIX) as client:
        control = running.bridge.control
        await running.command(
            client, Command.START, json.dumps({"program": PROGRAM, "profile": "Ann"})
        )
        await running.session_running()
        running.chair.inject(LinkDrop())
        await running.until(
            lambda: control.engine is None and control.link_state is LinkState.CONNECTED
        )
        assert at_rest(running.chair)
        # Back, but the session it carried was lost: said so until someone's word to go on.
        await client.state(lambda s: s.link == "lost" and s.session != "running")
        await running.command(client, Command.CLEAR_FAULT, "")
        await client.state(lambda s: s.link == "connected")
        # Someone else, rested: nothing of the person's own rules holds this start back.
        await running.command(
            client, Command.START, json.dumps({"program": PROGRAM, "profile": "Eve"})
        )
        await running.until(
            lambda: control.engine is not None or not running.bridge.commands.busy, limit_s=5
        )
        await running.network(lambda: control.engine is not None or bool(client.errors()))
        assert client.errors() == []
        await running.session_running()
        await running.end()
        assert at_rest(running.chair)
