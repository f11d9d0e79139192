"""The toggle rule: a key is sent again only when a status past its settle window shows it
did not take. Lost or damaged status frames are no evidence, so they never cause a re-send;
a key the chair ignores is re-sent after the window, and in the end reported."""

from __future__ import annotations

import itertools

import pytest

from chairctl.vocabulary import Heater, HeatLevel, NotConfirmed, Technique, WorkState
from drivers.adapters.rongtai import DEFAULT_SETTLE_WINDOW_S
from drivers.models import ChairModel
from drivers.models.rongtai import RongtaiModel
from simulator import CorruptFrames, DropFrames
from simulator.rongtai.chair import RongtaiChair
from simulator.rongtai.firmware import Phase
from tests.drivers.session.sessionhelpers import KNEAD_LOWER_BACK, Rig, RigMaker

# Rongtai only: the H10's toggle keys; test_any_family holds every family to the rule.
pytestmark = pytest.mark.families("rongtai-h10")

HEAT = KNEAD_LOWER_BACK.model_copy(update={"heat": {Heater.LUMBAR: HeatLevel.MEDIUM}})


async def test_lost_status_frames_after_a_toggle_cause_no_second_press(
    rig: Rig, model: ChairModel
) -> None:
    assert isinstance(model, RongtaiModel)
    session, chair, clock, keys = rig
    await clock.run(session.apply(KNEAD_LOWER_BACK))
    heat = model.keys.heat_toggle or -1
    # 1.6 s of frames vanish right after the heat key: past the settle window with no
    # status at all, which says nothing either way.
    lost = round(1.6 / chair.period)
    keys.on(heat, lambda: chair.inject(DropFrames(lost)))

    await clock.run(session.apply(HEAT))

    assert chair.frames_dropped == lost
    assert keys.count(heat) == 1
    assert session.status is not None
    assert session.status.heat
    assert chair.state().heat_on


# On every link: checksummed frames that are damaged fail their checksum; unchecked (wired)
# frames are trusted only when the next frame repeats them.
async def test_damaged_status_frames_after_a_toggle_cause_no_second_press(
    rig: Rig, model: ChairModel
) -> None:
    assert isinstance(model, RongtaiModel)
    session, chair, clock, keys = rig
    await clock.run(session.apply(KNEAD_LOWER_BACK))
    heat = model.keys.heat_toggle or -1
    # 1.6 s of frames arrive damaged right after the heat key.
    damaged = round(1.6 / chair.period)
    keys.on(heat, lambda: chair.inject(CorruptFrames(damaged)))

    await clock.run(session.apply(HEAT))

    assert chair.frames_corrupted == damaged
    assert keys.count(heat) == 1
    assert chair.state().heat_on


async def test_lost_frames_after_power_from_standby_cause_no_second_power(
    rig: Rig, model: ChairModel
) -> None:
    assert isinstance(model, RongtaiModel)
    session, chair, clock, keys = rig
    # 2 s of frames vanish after POWER.
    keys.on(model.keys.power, lambda: chair.inject(DropFrames(round(2.0 / chair.period))))

    await clock.run(session.apply(KNEAD_LOWER_BACK))

    assert keys.count(model.keys.power) == 1
    assert chair.state().roller_technique is Technique.KNEAD


async def test_a_key_the_chair_ignores_is_resent_after_the_window_then_reported(
    make_rig: RigMaker, model: ChairModel
) -> None:
    # The intensity key is marked [assumed] in the model file: on this chair it is not one.
    # The chair ignores it, and the status keeps showing the old strength.
    assert isinstance(model, RongtaiModel)
    chair_model = model.model_copy(
        update={"keys": model.keys.model_copy(update={"intensity_cycle": None})}
    )
    rig = await make_rig(chair_model=chair_model)
    session, chair, clock, keys = rig
    assert isinstance(chair, RongtaiChair)
    cycle = model.keys.intensity_cycle or -1

    with pytest.raises(NotConfirmed, match="intensity did not take") as caught:
        await clock.run(session.apply(KNEAD_LOWER_BACK))

    times = keys.times(cycle)
    assert len(times) == 3
    # Each re-send waited for a status at least a settle window after the previous key.
    assert all(b - a >= DEFAULT_SETTLE_WINDOW_S for a, b in itertools.pairwise(times))
    assert "3 times" in str(caught.value)
    assert chair.board.stats.unknown == 3
    # Nothing was sent after giving up, and the chair is left as it was: waiting, rollers idle.
    assert keys.entries[-1].key == cycle
    assert chair.board.phase is Phase.WAITING
    assert session.status is not None
    assert session.status.work_state is WorkState.WAITING
