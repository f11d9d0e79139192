"""What a Setpoint means on a Korean wired-remote chair: the manual technique in the full area,
the air mode and strength, heat, foot roller and posture, and the approximation sentences
people read, all before anything is sent."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chairctl.vocabulary import (
    PERCUSSION,
    TRACK_ORDER,
    AirbagZone,
    Heater,
    HeatLevel,
    Posture,
    Region,
    Setpoint,
    Technique,
    Unsupported,
)
from drivers.adapters.korean import FULL_BAND, PostureGoal, TargetMapper
from drivers.models.korean import ManualTechnique
from tests.drivers.korean_adapter.korig import MODEL, with_fields

MAPPER = TargetMapper(MODEL)
#: Regions the compiler may ask of an S-track chair.
REACHABLE = [r for r in Region if r is not Region.SACRUM_GLUTES]
ROLLER_TECHNIQUES = [
    m.technique for m in MODEL.manual_techniques if m.technique is not Technique.NONE
]


def _work(technique: Technique, *regions: Region, **more: object) -> Setpoint:
    return Setpoint.model_validate({"technique": technique, "regions": regions, **more})


def test_the_full_band_runs_from_the_seat_to_the_shoulders_and_never_the_neck() -> None:
    assert {
        Region.SHOULDERS,
        Region.UPPER_BACK,
        Region.MID_BACK,
        Region.LOWER_BACK,
        Region.SACRUM_GLUTES,
    } == FULL_BAND


def test_kneading_one_region_runs_the_first_technique_in_the_full_area_and_says_so() -> None:
    targets = MAPPER.targets(_work(Technique.KNEAD, Region.LOWER_BACK))
    assert targets.technique == 0
    assert any("cannot place its rollers" in note for note in targets.notes)
    assert any("the lower back" in note for note in targets.notes)


def test_gentle_work_never_runs_a_technique_reached_through_percussion() -> None:
    # Rolling is the third technique, after kneading with tapping: kneading instead.
    targets = MAPPER.targets(_work(Technique.ROLL, Region.MID_BACK))
    assert targets.technique == 0
    assert any("through a percussive technique" in note for note in targets.notes)


def test_percussive_work_runs_its_own_technique_through_the_cycle() -> None:
    assert MAPPER.targets(_work(Technique.KNEAD_KNOCK, Region.MID_BACK)).technique == 1
    tap = MAPPER.targets(_work(Technique.TAP, Region.MID_BACK))
    assert tap.technique == 3
    assert any("only approximates" in note for note in tap.notes)
    assert MAPPER.targets(_work(Technique.KNOCK, Region.MID_BACK)).technique == 4


def test_a_cycle_that_opens_with_percussion_rests_the_rollers_for_gentle_work() -> None:
    model = with_fields(
        manual_techniques=[
            ManualTechnique(name="tapping", technique=Technique.TAP).model_dump(),
            ManualTechnique(name="kneading", technique=Technique.KNEAD).model_dump(),
        ]
    )
    targets = TargetMapper(model).targets(_work(Technique.KNEAD, Region.MID_BACK))
    assert targets.technique is None
    assert any("reached through percussion" in note for note in targets.notes)


@given(
    technique=st.sampled_from(ROLLER_TECHNIQUES),
    regions=st.lists(st.sampled_from(REACHABLE), min_size=1, max_size=3, unique=True),
)
def test_no_gentle_setpoint_passes_percussion_on_its_way_to_its_technique(
    technique: Technique, regions: list[Region]
) -> None:
    targets = MAPPER.targets(_work(technique, *regions))
    if targets.technique is None or technique in PERCUSSION:
        return
    way = MODEL.manual_techniques[: targets.technique + 1]
    assert all(m.technique not in PERCUSSION for m in way)


def test_the_neck_alone_rests_the_rollers_and_the_neck_with_more_works_the_rest() -> None:
    alone = MAPPER.targets(_work(Technique.KNEAD, Region.NECK))
    assert alone.technique is None
    assert any("cannot reach the neck" in note for note in alone.notes)
    more = MAPPER.targets(_work(Technique.KNEAD, Region.NECK, Region.SHOULDERS))
    assert more.technique == 0


@pytest.mark.parametrize("kept", sorted(FULL_BAND, key=TRACK_ORDER.index))
def test_a_region_kept_off_on_the_full_band_rests_the_rollers(kept: Region) -> None:
    asked = Region.MID_BACK if kept is not Region.MID_BACK else Region.LOWER_BACK
    targets = MAPPER.targets(_work(Technique.KNEAD, asked, keep_off=frozenset({kept})))
    assert targets.technique is None
    assert any("kept off" in note for note in targets.notes)


def test_the_neck_kept_off_leaves_the_full_band_working() -> None:
    targets = MAPPER.targets(
        _work(Technique.TAP, Region.SHOULDERS, keep_off=frozenset({Region.NECK}))
    )
    assert targets.technique == 3


def test_calves_get_the_calf_and_foot_mode_at_the_strength_not_above_asked() -> None:
    targets = MAPPER.targets(Setpoint(airbags={AirbagZone.CALVES: 4}))
    assert targets.air_mode == 3
    assert targets.air_strength == 3
    assert any("the feet inflate too" in note for note in targets.notes)


def test_zones_of_two_groups_get_the_mode_that_works_them_all() -> None:
    targets = MAPPER.targets(Setpoint(airbags={AirbagZone.SHOULDERS: 5, AirbagZone.CALVES: 2}))
    assert targets.air_mode == 1
    # One strength for all: the lowest asked (2) allows 1 of 1, 3, 5.
    assert targets.air_strength == 1


def test_a_partner_takes_no_more_than_the_zone_it_inflates_with() -> None:
    targets = MAPPER.targets(Setpoint(airbags={AirbagZone.SHOULDERS: 5, AirbagZone.ARMS: 3}))
    assert (targets.air_mode, targets.air_strength) == (2, 3)


def test_a_zone_the_chair_lacks_is_refused() -> None:
    with pytest.raises(Unsupported, match="no waist airbags"):
        MAPPER.targets(Setpoint(airbags={AirbagZone.WAIST: 2}))


def test_stretch_is_refused_and_none_rests_the_rollers() -> None:
    with pytest.raises(Unsupported, match="no stretch"):
        MAPPER.targets(Setpoint(technique=Technique.STRETCH))
    rest = MAPPER.targets(Setpoint(heat={Heater.LUMBAR: HeatLevel.MEDIUM}))
    assert rest.technique is None
    assert rest.heat
    assert any("only by switching off" in note for note in rest.notes)


def test_heat_is_never_hotter_than_asked() -> None:
    low = MAPPER.targets(Setpoint(heat={Heater.LUMBAR: HeatLevel.LOW}))
    assert not low.heat
    assert any("hotter than asked" in note for note in low.notes)
    assert MAPPER.targets(Setpoint(heat={Heater.LUMBAR: HeatLevel.HIGH})).heat


def test_speed_maps_onto_the_three_shown_steps_ties_to_the_slower() -> None:
    speeds = {
        speed: MAPPER.targets(_work(Technique.KNEAD, Region.MID_BACK, speed=speed)).speed
        for speed in range(1, 6)
    }
    assert speeds == {1: 1, 2: 1, 3: 3, 4: 3, 5: 5}


def test_posture_zero_gravity_is_the_key_recline_stays_and_zero_g_2_is_refused() -> None:
    assert MAPPER.targets(Setpoint(posture=Posture.ZERO_G_1)).posture is PostureGoal.ZERO_G
    recline = MAPPER.targets(Setpoint(posture=Posture.RECLINE))
    assert recline.posture is PostureGoal.KEEP
    assert any("recline" in note for note in recline.notes)
    with pytest.raises(Unsupported):
        MAPPER.targets(Setpoint(posture=Posture.ZERO_G_2))


def test_foot_rollers_of_any_speed_switch_the_one_speed_on() -> None:
    targets = MAPPER.targets(Setpoint(foot_rollers=3))
    assert targets.foot
    assert any("one speed" in note for note in targets.notes)
