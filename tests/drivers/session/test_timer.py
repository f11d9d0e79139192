"""The chair's own session timer is set to the shortest preset that covers the session."""

from __future__ import annotations

import pytest

from drivers.models import ChairModel
from drivers.models.rongtai import RongtaiModel
from simulator.rongtai.chair import RongtaiChair
from tests.drivers.session.sessionhelpers import KNEAD_LOWER_BACK, RigMaker

# Rongtai only: the H10's session preset keys.
pytestmark = pytest.mark.families("rongtai-h10")


@pytest.mark.parametrize(("session_s", "minutes"), [(27 * 60, 30), (9 * 60, 10), (20 * 60, 20)])
async def test_the_timer_covers_the_session(
    make_rig: RigMaker, model: ChairModel, session_s: float, minutes: int
) -> None:
    assert isinstance(model, RongtaiModel)
    session, chair, clock, keys = await make_rig()
    assert isinstance(chair, RongtaiChair)
    session.expect_session(session_s)
    await clock.run(session.apply(KNEAD_LOWER_BACK))
    assert keys.count(model.keys.session_presets[minutes]) == 1
    assert chair.board.settings.session_min == minutes


async def test_the_timer_is_set_again_after_a_restart(
    make_rig: RigMaker, model: ChairModel
) -> None:
    assert isinstance(model, RongtaiModel)
    session, chair, clock, keys = await make_rig()
    assert isinstance(chair, RongtaiChair)
    session.expect_session(27 * 60)
    await clock.run(session.apply(KNEAD_LOWER_BACK))
    # Lowering the intensity restarts the chair, which forgets its timer on standing by.
    await clock.run(session.apply(KNEAD_LOWER_BACK.model_copy(update={"intensity": 1})))
    assert keys.count(model.keys.session_presets[30]) == 2
    assert chair.board.settings.session_min == 30


async def test_without_a_session_length_the_chair_keeps_its_own(
    make_rig: RigMaker, model: ChairModel
) -> None:
    assert isinstance(model, RongtaiModel)
    session, chair, clock, keys = await make_rig()
    assert isinstance(chair, RongtaiChair)
    await clock.run(session.apply(KNEAD_LOWER_BACK))
    assert not any(keys.count(k) for k in model.keys.session_presets.values())
    assert chair.board.settings.session_min == model.timing.default_session_min
