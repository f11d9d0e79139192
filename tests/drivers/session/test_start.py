"""Starting from standby: POWER, the body scan sat out, then the mode keys, paced."""

from __future__ import annotations

import itertools

import pytest

from chairctl.vocabulary import AirbagZone, Heater, HeatLevel, MassageRange, Technique, WorkState
from drivers.models import ChairModel
from drivers.models.rongtai import RongtaiModel
from simulator.rongtai.chair import RongtaiChair
from simulator.rongtai.firmware import Phase
from tests.drivers.session.sessionhelpers import KNEAD_LOWER_BACK, Rig, max_depth

# Rongtai only: the H10's power, scan and mode key order.
pytestmark = pytest.mark.families("rongtai-h10")


async def test_from_standby_power_then_the_scan_then_the_technique(
    rig: Rig, model: ChairModel
) -> None:
    assert isinstance(model, RongtaiModel)
    session, chair, clock, keys = rig
    assert isinstance(chair, RongtaiChair)
    assert session.status is not None
    assert session.status.work_state is WorkState.STANDBY

    await clock.run(session.apply(KNEAD_LOWER_BACK))

    # The status that apply returned on shows the setpoint.
    status = session.status
    assert status is not None
    assert status.work_state is WorkState.RUNNING
    assert status.technique is Technique.KNEAD
    assert status.intensity == 2
    assert status.massage_range is MassageRange.PARTIAL
    # The ground truth agrees: the rollers knead, at the depth asked (once the 3D axis is there).
    await clock.advance(model.mechanics.depth_travel_s)
    state = chair.state()
    assert state.roller_technique is Technique.KNEAD
    assert state.depth == 2.0

    power = keys.entries[0]
    assert power.key == model.keys.power
    assert power.phase is Phase.STANDBY
    assert keys.count(model.keys.power) == 1
    # Nothing is sent while the chair scans, and no mode key within power_to_mode_s of POWER.
    assert all(e.phase is not Phase.SCANNING for e in keys.entries)
    assert all(e.at >= power.at + model.timing.power_to_mode_s for e in keys.entries[1:])
    gaps = [b.at - a.at for a, b in itertools.pairwise(keys.entries)]
    assert min(gaps) >= model.timing.key_gap_ms / 1000
    assert chair.board.stats.lost == 0
    assert chair.board.stats.ignored == 0


async def test_the_depth_is_set_before_the_rollers_start(rig: Rig, model: ChairModel) -> None:
    assert isinstance(model, RongtaiModel)
    session, chair, clock, keys = rig
    start = clock.now()

    await clock.run(session.apply(KNEAD_LOWER_BACK))
    # The status confirms the strength at once; the 3D axis takes its travel time to get there.
    await clock.advance(model.mechanics.depth_travel_s)

    # The chair powers up at strength 3; reaching 2 takes the cycle 3 -> 4 -> 5 -> 1 -> 2.
    # Done while the rollers rest, the stronger levels on the way press on no one.
    cycles = keys.times(model.keys.intensity_cycle or -1)
    technique_at = keys.times(model.keys.techniques[Technique.KNEAD].key)[0]
    assert len(cycles) == 4
    assert max(cycles) < technique_at
    assert max_depth(chair, start, clock.now()) == 2.0


async def test_apply_of_the_same_setpoint_again_sends_nothing(rig: Rig) -> None:
    session, _chair, clock, keys = rig
    await clock.run(session.apply(KNEAD_LOWER_BACK))
    before = len(keys.entries)

    await clock.run(session.apply(KNEAD_LOWER_BACK))

    assert len(keys.entries) == before


async def test_the_walk_is_stopped_before_anything_else_is_sent(
    rig: Rig, model: ChairModel
) -> None:
    assert isinstance(model, RongtaiModel)
    session, _chair, clock, keys = rig
    rich = KNEAD_LOWER_BACK.model_copy(
        update={"airbags": {AirbagZone.WAIST: 2}, "heat": {Heater.LUMBAR: HeatLevel.MEDIUM}}
    )

    await clock.run(session.apply(rich))

    walk = model.keys.walk
    start = keys.times(walk.down_start)
    assert len(start) == 1
    after = keys.since(start[0])
    assert after[1].key == walk.down_stop
    # And the airbag and heat keys followed it: the walk was not the last thing done.
    assert len(after) > 2
