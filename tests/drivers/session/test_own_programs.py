"""A Rongtai chair running a program of its own when a setpoint arrives: taken over safely.

Real chairs (RT6923 ``Main_Start_Auto``; real frames of built-in programs with b12 0x40 and
b10 0x20) run a built-in program with the full-body airbags, the foot roller and the slide,
and place the rollers themselves. The person may start one on the remote during a session.
"""

from __future__ import annotations

import pytest
from sessionhelpers import KNEAD_LOWER_BACK, Rig, occupancy_share

from chairctl.vocabulary import AirbagZone, Region
from drivers.models import ChairModel
from drivers.models.rongtai import RongtaiModel

# Rongtai only: the built-in programs are this family's keys.
pytestmark = pytest.mark.families("rongtai-h10")


async def test_a_program_started_on_the_remote_is_taken_over_with_a_restart(
    rig: Rig, model: ChairModel
) -> None:
    session, chair, clock, keys = rig
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
