"""Stronger, gentler, heat off and pause from the network, each through the session controller
and within the person's limits; Home Assistant's selects and its birth message."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from chairctl.bridge.commands import UPRIGHT_REASON
from chairctl.bridge.discovery import discovery_topic, node_id
from chairctl.program import load_program
from chairctl.safety.profile import HealthScreening, Profile
from chairctl.services.remote.topics import HA_STATUS, Command
from tests.bridge.bridgehelpers import (
    ANN,
    PROGRAM,
    at_rest,
    client_of,
    running_bridge,
    saved,
    working,
)
from tests.bridge.broker import Broker

pytestmark = pytest.mark.realtime

PREFIX = "test/chair"
#: Ann at most 4: the intensity number's 5 is held to it.
CAPPED = ANN.model_copy(update={"name": "Di", "max_intensity": 4})
#: Warm: heat the RT8600S has (its one setting is medium), for the whole session.
WARM = """\
format: 1
id: warm
name: Warm
summary: Heat for the tests.
description: Used by the tests of the bridge's heat switch.
category: relaxation
goals: [tension]
steps:
  - {name: Warm, duration: 4m, technique: knead, region: lower_back, intensity: 2, heat: {lumbar: medium}}
  - {name: Warmer, duration: 4m, technique: roll, region: mid_back, intensity: 2, heat: {lumbar: medium}}
"""


async def test_an_absolute_intensity_moves_step_by_step_and_stops_at_the_person_s_cap(
    broker: Broker, home: Path
) -> None:
    saved(home, CAPPED)
    async with running_bridge(broker, home, PREFIX) as running, client_of(broker, PREFIX) as client:
        await running.command(
            client, Command.START, json.dumps({"program": PROGRAM, "profile": "Di"})
        )
        await client.state(lambda s: s.session == "preparing")
        await running.session_running()
        # Past the gentle first minute, so only the person's cap holds a "+" back.
        await running.until(lambda: running.clock.now() > 150)
        assert running.bridge.tracker.intensity == 3
        await running.command(client, Command.INTENSITY, "5")
        error = await client.error()
        assert error == {"command": "intensity", "message": "capped at 4 for you (as you prefer)"}
        assert running.bridge.tracker.intensity == 4
        await client.state(lambda s: s.intensity == 4)
        await running.command(client, Command.INTENSITY, "gentler")
        await running.until(lambda: running.bridge.tracker.intensity == 3, limit_s=10)
        assert client.errors() == [error]
        await running.end()
        assert at_rest(running.chair)


async def test_heat_off_withholds_heat_at_once_and_pause_releases_the_chair(
    broker: Broker, home: Path, write_program: Callable[..., Path]
) -> None:
    saved(home, ANN)
    warm = load_program(write_program(WARM, "warm"))
    async with (
        running_bridge(broker, home, PREFIX, programs=[warm]) as running,
        client_of(broker, PREFIX) as client,
    ):
        await running.command(
            client, Command.START, json.dumps({"program": "warm", "profile": "Ann"})
        )
        await client.state(lambda s: s.session == "preparing")
        await running.session_running()
        await running.until(lambda: running.chair.state().heat_on)
        await running.command(client, Command.HEAT, "OFF")
        await running.until(lambda: not running.chair.state().heat_on, limit_s=10)
        await client.state(lambda s: s.heat_withheld)
        await running.until(lambda: running.clock.now() > 300)
        assert not running.chair.state().heat_on  # the next step asks for heat: still withheld

        await running.command(client, Command.PAUSE)
        await running.until(lambda: not running.bridge.commands.busy)  # the pause is done
        assert at_rest(running.chair)
        await client.state(lambda s: s.session == "paused")
        await running.command(client, Command.RESUME)
        await running.until(lambda: working(running.chair))
        await client.state(lambda s: s.session == "running")
        assert not running.chair.state().heat_on
        await running.end()
        assert at_rest(running.chair)


async def test_the_selects_choose_the_next_start_and_home_assistant_s_birth_republishes(
    broker: Broker, home: Path
) -> None:
    saved(home, ANN)
    discovery = discovery_topic(node_id(PREFIX))
    async with (
        running_bridge(broker, home, PREFIX) as running,
        client_of(broker, PREFIX, discovery) as client,
    ):
        await client.wait_for(lambda h: bool(h.on(discovery)))
        config = json.loads(client.heard.on(discovery)[-1])
        assert config["cmps"]["profile"]["options"] == ["Ann"]
        # A profile made since (by chairctl profiles add): Home Assistant learns it when it
        # announces itself again.
        saved(home, Profile(name="Eve", health=HealthScreening(age=50)))
        await client.client.publish(HA_STATUS, "online", qos=1)
        await client.wait_for(
            lambda h: (
                json.loads(h.on(discovery)[-1])["cmps"]["profile"]["options"] == ["Ann", "Eve"]
            )
        )

        await running.command(
            client, Command.PROGRAM, "Lower back relief"
        )  # by name, as HA shows it
        await running.command(client, Command.PROFILE, "Ann")
        await client.state(lambda s: (s.selected_program, s.selected_profile) == (PROGRAM, "Ann"))
        await running.command(client, Command.START, "START")  # HA's button: the selected ones
        await client.state(lambda s: s.session == "preparing" and s.program == PROGRAM)
        await running.session_running()
        await running.until(lambda: working(running.chair))
        await running.command(client, Command.STOP, "STOP")
        await running.until(
            lambda: at_rest(running.chair) and running.bridge.control.engine is None
        )
        assert client.errors() == []


async def test_a_program_that_reclines_runs_upright_when_started_from_the_network(
    broker: Broker, home: Path
) -> None:
    # Nobody at the chair confirmed the space around it clear.
    saved(home, ANN)
    async with running_bridge(broker, home, PREFIX) as running, client_of(broker, PREFIX) as client:
        await running.command(
            client, Command.START, json.dumps({"program": "evening-wind-down", "profile": "Ann"})
        )
        await client.state(lambda s: s.session == "preparing")
        await running.session_running()
        await running.until(lambda: running.bridge.control.engine is None, limit_s=1200)
        await client.state(lambda s: s.session == "ended")
        assert all(path.at(at) < 0.01 for at, path in running.chair.trace.backrest.changes())
        planned = [
            e["message"] for e in client.heard.json_on(f"{PREFIX}/event") if e["kind"] == "Planned"
        ]
        assert any(UPRIGHT_REASON in note for note in planned), planned
        assert at_rest(running.chair)
