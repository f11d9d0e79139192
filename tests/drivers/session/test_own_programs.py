"""A Rongtai chair as real ones are: its own programs taken over safely, and rollers placed
for anyone in the scan window, since real chairs do not report what their scan found.

Real chairs (RT6923 ``Main_Start_Auto``; real frames of built-in programs with b12 0x40 and
b10 0x20) run a built-in program with the full-body airbags, the foot roller and the slide,
and place the rollers themselves. The person may start one on the remote during a session.
"""

from __future__ import annotations

import pytest

from chairctl.vocabulary import AirbagZone, Region, Technique
from drivers.models import ChairModel
from drivers.models.rongtai import RongtaiModel
from simulator.rongtai.chair import RongtaiChair
from tests.drivers.session.sessionhelpers import KNEAD_LOWER_BACK, Rig, occupancy_share

# Rongtai only: the built-in programs are this family's keys.
pytestmark = pytest.mark.families("rongtai-h10")


async def test_a_program_started_on_the_remote_is_taken_over_with_a_restart(
    rig: Rig, model: ChairModel
) -> None:
    session, chair, clock, keys = rig
    assert isinstance(chair, RongtaiChair)
    assert isinstance(model, RongtaiModel)
    chair.press(model.keys.power)
    await clock.advance(model.mechanics.body_scan_s + 1)
    chair.press(model.keys.auto_programs[4].key)  # neck and shoulders, on the remote
    await clock.advance(2)
    status = session.status
    assert status is not None
    assert status.airbag_program == frozenset(AirbagZone)
    since = clock.now()

    # At the depth the program works (3), so nothing but the program itself calls for POWER.
    assert chair.board.settings.strength == 3
    waist_only = KNEAD_LOWER_BACK.model_copy(
        update={"intensity": 3, "airbags": {AirbagZone.WAIST: 2}}
    )
    await clock.run(session.apply(waist_only))

    # POWER first: nothing the program would override, and no key toward the neck.
    assert keys.since(since)[0].key == model.keys.power
    status = session.status
    assert status is not None
    assert (status.program, status.airbag_program) == ("manual", frozenset({AirbagZone.WAIST}))
    assert not status.foot_roller
    start = clock.now()
    await clock.advance(30)
    assert occupancy_share(chair, [Region.LOWER_BACK], start, clock.now()) >= 0.9


async def test_an_untried_percussion_key_just_below_the_neck_line_is_tried_and_started(
    rig: Rig, model: ChairModel
) -> None:
    # Placed for anyone in the scan window (real chairs keep their scan to themselves), a
    # knock on the upper and mid back with the lower back kept off centres a hair below where
    # percussion must stay clear of the shortest sitter's neck. Once the chair rested there
    # (crossing the lower back), the carriage showed a position above the line: the gentle
    # approach (tried) and the knock (untried) took turns, and the reconciler gave up after
    # 60 actions. Whether to try the knock first no longer hangs on that.
    session, chair, clock, _keys = rig
    keep = frozenset({Region.LOWER_BACK})
    for setpoint in (
        KNEAD_LOWER_BACK.model_copy(update={"regions": (Region.MID_BACK,), "keep_off": keep}),
        KNEAD_LOWER_BACK.model_copy(
            update={
                "technique": Technique.ROLL,
                "regions": (Region.SACRUM_GLUTES,),
                "keep_off": keep,
            }
        ),
        KNEAD_LOWER_BACK.model_copy(
            update={
                "technique": Technique.KNOCK,
                "regions": (Region.UPPER_BACK, Region.MID_BACK),
                "keep_off": keep,
            }
        ),
    ):
        await clock.run(session.apply(setpoint))
        await clock.advance(20)
    assert chair.state().roller_technique is Technique.KNOCK
