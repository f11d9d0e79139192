"""What a setpoint means on the RT8600S: refusals and approximations, before anything moves."""

from __future__ import annotations

import pytest

from chairctl.vocabulary import (
    AirbagZone,
    Heater,
    HeatLevel,
    Posture,
    Region,
    Setpoint,
    Technique,
    Unsupported,
)
from drivers.adapters.body import ShoulderLine
from drivers.adapters.rongtai import PostureGoal, TargetMapper, scale
from drivers.models import ChairModel
from drivers.models.rongtai import RongtaiModel
from tests.drivers.session.sessionhelpers import KNEAD_LOWER_BACK, Rig

# Rongtai only: the Rongtai target mapping.
pytestmark = pytest.mark.families("rongtai-h10")

REFUSED = {
    "a technique the chair lacks": Setpoint(technique=Technique.STRETCH, regions=()),
    "swedish": Setpoint(technique=Technique.SWEDISH, regions=(Region.MID_BACK,)),
    "a roller technique with no region": Setpoint(technique=Technique.KNEAD),
    "regions with a gap": Setpoint(
        technique=Technique.KNEAD, regions=(Region.SHOULDERS, Region.LOWER_BACK)
    ),
    "a heater the chair lacks": Setpoint(heat={Heater.SEAT: HeatLevel.MEDIUM}),
    "a posture the chair lacks": Setpoint(posture=Posture.ZERO_G_2),
}


@pytest.mark.parametrize("name", list(REFUSED))
async def test_what_the_chair_cannot_do_is_refused_before_anything_is_sent(
    rig: Rig, name: str
) -> None:
    session, _chair, clock, keys = rig
    setpoint = REFUSED[name]

    with pytest.raises(Unsupported):
        session.approximations(setpoint)
    with pytest.raises(Unsupported):
        await clock.run(session.apply(setpoint))

    assert keys.entries == []


@pytest.mark.parametrize(
    ("setpoint", "says"),
    [
        (
            KNEAD_LOWER_BACK.model_copy(update={"airbags": {AirbagZone.SEAT: 2}}),
            "thighs also inflated",
        ),
        (
            KNEAD_LOWER_BACK.model_copy(
                update={
                    "airbags": {AirbagZone.WAIST: 3, AirbagZone.ARMS: 1, AirbagZone.SHOULDERS: 1}
                }
            ),
            "level 1, the lowest asked, also for waist",
        ),
        (
            KNEAD_LOWER_BACK.model_copy(update={"heat": {Heater.LUMBAR: HeatLevel.LOW}}),
            "heat: left off",
        ),
        (
            KNEAD_LOWER_BACK.model_copy(update={"heat": {Heater.LUMBAR: HeatLevel.HIGH}}),
            "one setting, medium",
        ),
        (
            Setpoint(technique=Technique.KNEAD, regions=tuple(Region)[1:5]),
            "full range",
        ),
        (
            Setpoint(technique=Technique.KNEAD, regions=(Region.MID_BACK, Region.LOWER_BACK)),
            "partial range",
        ),
        (Setpoint(technique=Technique.ROLL, regions=(Region.MID_BACK,)), "nearest mode"),
    ],
)
def test_approximations_are_named(rig: Rig, setpoint: Setpoint, says: str) -> None:
    notes = rig.session.approximations(setpoint)
    assert any(says in note for note in notes), notes


def test_a_posture_the_model_lacks_is_refused_before_anything_moves(rig: Rig) -> None:
    # The RT8600S has no recline key; the compiler fits recline to upright before a plan
    # reaches the chair, and the session refuses it if it ever arrives.
    with pytest.raises(Unsupported, match="cannot take the 'recline' posture"):
        rig.session.approximations(KNEAD_LOWER_BACK.model_copy(update={"posture": Posture.RECLINE}))


def test_an_exact_setpoint_has_no_approximations(rig: Rig) -> None:
    exact = KNEAD_LOWER_BACK.model_copy(
        update={
            "airbags": {AirbagZone.WAIST: 2},
            "heat": {Heater.LUMBAR: HeatLevel.MEDIUM},
            "foot_rollers": 1,
            "posture": Posture.ZERO_G_1,
        }
    )
    assert rig.session.approximations(exact) == []


async def test_never_hotter_than_asked_leaves_the_heat_off(rig: Rig) -> None:
    session, chair, clock, _keys = rig
    await clock.run(
        session.apply(KNEAD_LOWER_BACK.model_copy(update={"heat": {Heater.LUMBAR: HeatLevel.LOW}}))
    )
    assert not chair.state().heat_on


@pytest.mark.parametrize(
    ("top_out", "expected"),
    [(6, [1, 2, 3, 5, 6]), (5, [1, 2, 3, 4, 5]), (3, [1, 1, 2, 2, 3]), (1, [1, 1, 1, 1, 1])],
)
def test_scales_map_linearly_with_ties_toward_gentler(top_out: int, expected: list[int]) -> None:
    assert [scale(v, 5, top_out) for v in range(1, 6)] == expected


def test_region_positions_follow_the_shoulder_line(model: ChairModel) -> None:
    assert isinstance(model, RongtaiModel)
    average = TargetMapper(model, ShoulderLine(10.0, 10.0, "test")).targets(KNEAD_LOWER_BACK)
    tall = TargetMapper(model, ShoulderLine(11.0, 11.0, "test")).targets(KNEAD_LOWER_BACK)
    assert average.position is not None
    assert tall.position is not None
    # Lower back: the middle of s 0.15..0.40 above the seat line at 3.0.
    assert average.position == pytest.approx(3.0 + 0.275 * 7.0)
    assert tall.position == pytest.approx(3.0 + 0.275 * 8.0)
    assert average.posture is PostureGoal.UPRIGHT
