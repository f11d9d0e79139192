"""Setpoints onto a Tuya chair's data points: the mode chosen, the values, the sentences."""

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
    Width,
)
from chairctl.vocabulary.limits import NECK, NECK_MAX_INTENSITY
from drivers.adapters.tuya import TargetMapper, Targets, TuyaAdapter, choose_rollers
from tests.drivers.tuya_adapter.tuyareports import example, variant

MODEL = example()
MAPPER = TargetMapper(MODEL)
BACK = (Region.SHOULDERS, Region.UPPER_BACK, Region.MID_BACK, Region.LOWER_BACK)


def targets(**fields: object) -> Targets:
    return MAPPER.targets(Setpoint.model_validate(fields))


# --- rollers -------------------------------------------------------------------------------


def test_one_region_goes_to_the_region_mode_that_works_it() -> None:
    t = targets(technique="knead", regions=["lower_back"])
    assert t.rollers is not None
    assert (t.rollers.code, t.rollers.value) == ("auto_mode", "waist_relax")
    assert t.notes == (
        "this chair cannot place its rollers: its waist_relax mode works the lower back, "
        "with knead and shiatsu, instead of knead on the lower back",
    )


def test_the_whole_back_goes_to_the_manual_mode_with_the_technique_asked() -> None:
    t = targets(technique="knock", regions=list(BACK), speed=5, width="wide")
    assert t.rollers is not None
    assert (t.rollers.code, t.rollers.value) == ("manual_mode", "knock")
    assert (t.speed, t.width) == ("level_3", "wide")
    assert t.notes == ()


def test_percussion_asked_may_get_a_gentler_region_mode() -> None:
    t = targets(technique="tap", regions=["lower_back"])
    assert t.rollers is not None
    assert t.rollers.value == "waist_relax"
    assert "instead of tap on the lower back" in t.notes[0]


def test_the_neck_only_when_asked_and_gentle() -> None:
    asked = targets(technique="knead", regions=["neck", "shoulders"], intensity=2)
    assert asked.rollers is not None
    assert asked.rollers.value == "shoulder_relax"
    assert asked.notes == (
        "this chair cannot place its rollers: its shoulder_relax mode works the neck and "
        "shoulders, with knead and shiatsu, instead of knead on the neck and shoulders",
    )
    # Shoulders alone: shoulder_relax would add the neck, so the manual sweep it is.
    shoulders = targets(technique="knead", regions=["shoulders"], intensity=2)
    assert shoulders.rollers is not None
    assert shoulders.rollers.value == "pinch"
    assert shoulders.notes == (
        "this chair cannot place its rollers: its pinch mode works knead over the shoulders, "
        "upper back, mid back and lower back instead of the shoulders",
    )


def test_the_neck_above_its_intensity_is_refused_when_nothing_else_reaches_it() -> None:
    with pytest.raises(Unsupported, match="above the neck's 2"):
        targets(technique="knead", regions=["neck"], intensity=3)


def test_a_tie_goes_to_the_manual_mode() -> None:
    model = variant(
        region_modes=[
            {"value": "back_relax", "regions": ["shoulders", "upper_back"], "techniques": ["knead"]}
        ],
        manual_regions=["shoulders", "upper_back"],
    )
    t = TargetMapper(model).targets(
        Setpoint(technique=Technique.KNEAD, regions=(Region.SHOULDERS, Region.UPPER_BACK))
    )
    assert t.rollers is not None
    assert t.rollers.manual
    assert t.rollers.value == "pinch"


def test_a_percussive_mode_never_runs_gentle_work() -> None:
    model = variant(
        region_modes=[
            {"value": "waist_relax", "regions": ["lower_back"], "techniques": ["knead", "tap"]}
        ]
    )
    mode, notes = choose_rollers(
        model, Setpoint(technique=Technique.KNEAD, regions=(Region.LOWER_BACK,))
    )
    assert mode is not None
    assert mode.manual
    assert mode.value == "pinch"
    assert notes
    assert "instead of the lower back" in notes[0]


def test_no_mode_at_all_is_unsupported() -> None:
    # No manual technique and no mode without percussion: nothing may knead.
    model = variant(
        techniques={"tap": {"value": "beat"}},
        region_modes=[{"value": "waist_relax", "regions": ["lower_back"], "techniques": ["tap"]}],
    )
    with pytest.raises(Unsupported, match="may use percussion"):
        TargetMapper(model).targets(
            Setpoint(technique=Technique.KNEAD, regions=(Region.LOWER_BACK,))
        )


def test_an_approximate_technique_says_so() -> None:
    t = targets(technique="roll", regions=list(BACK))
    assert t.notes == ("roll: this chair's tuina mode stands in for it",)


def test_rollers_need_regions_and_a_roller_technique() -> None:
    with pytest.raises(Unsupported, match="needs a region"):
        targets(technique="knead")
    with pytest.raises(Unsupported, match="stretch"):
        targets(technique="stretch")


# --- speed, width --------------------------------------------------------------------------


@pytest.mark.parametrize(("speed", "value"), [(1, "level_1"), (3, "level_2"), (5, "level_3")])
def test_speed_scales_onto_the_chairs_levels(speed: int, value: str) -> None:
    assert targets(technique="knead", regions=list(BACK), speed=speed).speed == value


def test_a_missing_width_becomes_the_nearest_narrower_one() -> None:
    model = variant(widths={"narrow": "narrow", "wide": "wide"})
    t = TargetMapper(model).targets(
        Setpoint(technique=Technique.KNEAD, regions=BACK, width=Width.MEDIUM)
    )
    assert t.width == "narrow"
    assert "width: this chair has no medium width; narrow instead" in t.notes


def test_settings_are_left_alone_without_rollers() -> None:
    t = targets(heat={"lumbar": "medium"})
    assert (t.rollers, t.speed, t.width) == (None, None, None)
    assert t.needs_power


# --- airbags -------------------------------------------------------------------------------


def test_airbags_take_the_location_that_covers_the_most_asked_zones() -> None:
    t = targets(airbags={"calves": 3, "feet": 3, "seat": 2})
    # One pressure for every zone, so the lowest asked: no zone presses harder than asked.
    assert (t.airbags, t.airbag_level) == ("leg_hip", "level_2")
    assert t.airbag_zones == {AirbagZone.CALVES, AirbagZone.FEET, AirbagZone.SEAT}
    assert t.notes == (
        "airbags: one pressure for every zone: level 2, the lowest asked, also for calves and feet",
    )


def test_airbags_leave_out_what_no_location_inflates_alone() -> None:
    t = targets(airbags={"arms": 4, "seat": 2})
    assert (t.airbags, t.airbag_level) == ("arm", "level_4")
    assert t.notes == (
        "airbags: only arms (this chair's arm location): no location inflates seat without a "
        "zone not asked for",
    )


def test_airbags_stay_off_rather_than_inflate_a_zone_not_asked() -> None:
    t = targets(airbags={"calves": 3})
    assert (t.airbags, t.airbag_zones) == (None, frozenset())
    assert not t.needs_power
    assert t.notes
    assert t.notes[0].startswith("airbags: left off")


def test_airbags_the_chair_lacks_are_unsupported() -> None:
    with pytest.raises(Unsupported, match="no shoulders airbags"):
        targets(airbags={"shoulders": 2})


def test_airbag_levels_scale_onto_fewer_levels() -> None:
    model = variant(airbag_levels=["level_1", "level_3", "level_5"])
    t = TargetMapper(model).targets(Setpoint(airbags={AirbagZone.ARMS: 4}))
    assert t.airbag_level == "level_3"
    assert "airbags: level 4 is this chair's level 2 of 3" in t.notes


@given(
    st.dictionaries(
        st.sampled_from(sorted(MODEL.capabilities.airbag_zones)), st.integers(1, 5), min_size=1
    )
)
def test_airbags_never_inflate_a_zone_not_asked(asked: dict[AirbagZone, int]) -> None:
    t = MAPPER.targets(Setpoint(airbags=asked))
    assert t.airbag_zones <= asked.keys()
    if t.airbags is not None:
        assert t.airbag_zones == frozenset(MODEL.airbag_locations[t.airbags])


# --- heat, foot roller, posture ------------------------------------------------------------


def test_heat_is_the_one_switch() -> None:
    assert targets(heat={"lumbar": "medium"}).heat
    assert targets(heat={"lumbar": "high"}).notes == (
        "heat: lumbar get this chair's one setting, medium",
    )
    cool = targets(heat={"lumbar": "low"})
    assert not cool.heat
    assert cool.notes == (
        "heat: left off, because its one heat setting (medium) is hotter than asked",
    )


def test_heat_the_chair_lacks_is_unsupported() -> None:
    with pytest.raises(Unsupported, match="no seat heater"):
        MAPPER.targets(Setpoint(heat={Heater.SEAT: HeatLevel.MEDIUM}))


def test_the_foot_roller_has_one_speed() -> None:
    assert targets(foot_rollers=1).foot
    assert targets(foot_rollers=3).notes == (
        "foot rollers: this chair runs them at its one speed, not speed 3",
    )


def test_postures_go_through_gravity_control() -> None:
    assert (targets(posture="zero_g_2").gravity, targets(posture="zero_g_2").upright) == (
        "gravity_adjust2",
        None,
    )
    upright = targets()
    assert (upright.gravity, upright.upright, upright.needs_power) == (None, "reset", False)
    with pytest.raises(Unsupported, match="recline"):
        targets(posture="recline")


# --- the adapter's face --------------------------------------------------------------------


def test_check_and_approximations_refuse_alike() -> None:
    adapter = TuyaAdapter(MODEL)
    bad = Setpoint(technique=Technique.KNEAD, regions=(Region.NECK,), intensity=4)
    with pytest.raises(Unsupported):
        adapter.check(bad)
    with pytest.raises(Unsupported):
        adapter.approximations(bad)
    good = Setpoint(technique=Technique.KNEAD, regions=(Region.LOWER_BACK,), intensity=4)
    adapter.check(good)
    # One strength is the compiler's business: no sentence about intensity.
    assert not any("intensity" in note for note in adapter.approximations(good))


_SPANS = [
    TRACK_ORDER[i : i + n]
    for n in range(1, 6)
    for i in range(len(TRACK_ORDER) - n + 1)
    if Region.SACRUM_GLUTES not in TRACK_ORDER[i : i + n]
]


@given(
    technique=st.sampled_from(sorted(MODEL.capabilities.techniques - {Technique.NONE})),
    regions=st.sampled_from(_SPANS),
    intensity=st.integers(1, 5),
)
def test_the_mode_chosen_keeps_the_safety_rules(
    technique: Technique, regions: tuple[Region, ...], intensity: int
) -> None:
    setpoint = Setpoint(technique=technique, regions=regions, intensity=intensity)
    try:
        t = MAPPER.targets(setpoint)
    except Unsupported:
        return
    mode = t.rollers
    assert mode is not None
    assert set(mode.regions) & set(regions)
    if technique not in PERCUSSION:
        assert not mode.percussive
    if NECK in mode.regions:
        assert NECK in regions
        assert intensity <= NECK_MAX_INTENSITY
        assert not mode.percussive
    assert all(note and "\n" not in note for note in t.notes)


def test_every_posture_of_the_model_maps_or_is_refused() -> None:
    for posture in Posture:
        try:
            targets(posture=posture)
        except Unsupported:
            assert posture not in MODEL.gravity
