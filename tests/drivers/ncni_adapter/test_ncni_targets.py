"""What a Setpoint means on an NCNI chair: modes, levels, zones, heat, posture, and the
approximation sentences people read, all before anything is sent."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chairctl.vocabulary import (
    PERCUSSION,
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
from chairctl.vocabulary.limits import NECK_MAX_INTENSITY
from drivers.adapters.ncni import (
    PostureGoal,
    TargetMapper,
    chair_level,
    choose_mode,
    neck_level,
)
from drivers.models import get_model_as
from drivers.models.common import RollerMode
from drivers.models.ncni import NcniModel
from drivers.protocols.ncni import INTENSITY_SCALE

MODEL = get_model_as("ncni-chair", NcniModel)
assert isinstance(MODEL, NcniModel)
MAPPER = TargetMapper(MODEL)

#: Back regions the S track reaches (the glutes are beyond it).
REACHABLE = [r for r in Region if r is not Region.SACRUM_GLUTES]
ROLLER_TECHNIQUES = [t for t in Technique if t not in (Technique.NONE, Technique.STRETCH)]


def _knead(*regions: Region, intensity: int = 2, **more: object) -> Setpoint:
    return Setpoint.model_validate(
        {"technique": Technique.KNEAD, "regions": regions, "intensity": intensity, **more}
    )


def _about_intensity(notes: tuple[str, ...]) -> list[str]:
    return [note for note in notes if note.startswith("intensity")]


def _with_modes(**modes: RollerMode) -> NcniModel:
    return MODEL.model_copy(update={"manual_modes": modes})


# -- intensity -------------------------------------------------------------------------------


@given(st.integers(1, 5), st.integers(1, 3))
def test_the_level_is_the_strongest_that_does_not_read_above_the_setpoint(
    intensity: int, levels: int
) -> None:
    level = chair_level(intensity, levels)

    assert 1 <= level <= levels
    assert INTENSITY_SCALE[level] <= intensity
    stronger = level + 1
    assert stronger > levels or INTENSITY_SCALE[stronger] > intensity


def test_the_three_levels_take_the_five_intensities_gently() -> None:
    assert [chair_level(i, 3) for i in range(1, 6)] == [1, 1, 2, 2, 3]
    assert INTENSITY_SCALE[neck_level(3)] <= NECK_MAX_INTENSITY


def test_the_neck_is_never_worked_above_its_cap_and_says_so() -> None:
    targets = MAPPER.targets(_knead(Region.NECK, intensity=5))

    assert targets.mode == "neck"
    assert targets.level == neck_level(3) == 1
    assert any("at the neck" in note and "level 1" in note for note in targets.notes)


@pytest.mark.parametrize(("intensity", "level"), [(1, 1), (3, 2), (5, 3)])
def test_an_intensity_the_chair_reports_exactly_needs_no_note(intensity: int, level: int) -> None:
    targets = MAPPER.targets(_knead(*REACHABLE[1:], intensity=intensity))

    assert targets.level == level
    assert _about_intensity(targets.notes) == []


def test_an_intensity_between_levels_is_the_gentler_one_and_said() -> None:
    targets = MAPPER.targets(_knead(*REACHABLE[1:], intensity=4))

    assert targets.level == 2
    assert _about_intensity(targets.notes) == [
        "intensity 4 is this chair's level 2 of 3, which it reports as 3: the strongest it has "
        "that is not above 4"
    ]


# -- manual modes ------------------------------------------------------------------------------


def test_the_neck_alone_gets_the_neck_mode_and_anything_else_back_and_waist() -> None:
    modes = MODEL.manual_modes
    assert choose_mode(modes, Technique.KNEAD, (Region.NECK,)) == "neck"
    assert choose_mode(modes, Technique.KNEAD, (Region.NECK, Region.SHOULDERS)) == "back_waist"
    assert choose_mode(modes, Technique.TAP, (Region.MID_BACK,)) == "back_waist"


@given(
    st.sampled_from(ROLLER_TECHNIQUES),
    st.lists(st.sampled_from(REACHABLE), min_size=1, max_size=5, unique=True),
)
def test_a_mode_that_works_the_neck_runs_only_when_the_neck_is_asked(
    technique: Technique, regions: list[Region]
) -> None:
    asked = tuple(regions)
    name = choose_mode(MODEL.manual_modes, technique, asked)

    assert name is not None
    if Region.NECK in MODEL.manual_modes[name].regions:
        assert Region.NECK in asked
    assert set(MODEL.manual_modes[name].regions) & set(asked)


PERCUSSIVE_BACK = _with_modes(
    back_waist=RollerMode(
        regions=[Region.UPPER_BACK, Region.MID_BACK, Region.LOWER_BACK],
        techniques=[Technique.KNEAD, Technique.TAP],
    ),
    neck=RollerMode(regions=[Region.NECK, Region.SHOULDERS], techniques=[Technique.KNEAD]),
)


@given(
    st.sampled_from(ROLLER_TECHNIQUES),
    st.lists(st.sampled_from(REACHABLE), min_size=1, max_size=5, unique=True),
)
def test_a_percussive_mode_never_runs_non_percussive_work(
    technique: Technique, regions: list[Region]
) -> None:
    setpoint = Setpoint(technique=technique, regions=tuple(regions), intensity=1)
    try:
        targets = TargetMapper(PERCUSSIVE_BACK).targets(setpoint)
    except Unsupported:
        return
    assert targets.mode is not None
    if PERCUSSIVE_BACK.manual_modes[targets.mode].percussive:
        assert technique in PERCUSSION


def test_non_percussive_work_no_mode_may_do_is_refused() -> None:
    with pytest.raises(Unsupported, match="no manual mode that works the mid back for knead"):
        TargetMapper(PERCUSSIVE_BACK).targets(_knead(Region.MID_BACK))
    assert TargetMapper(PERCUSSIVE_BACK).targets(
        Setpoint(technique=Technique.TAP, regions=(Region.MID_BACK,))
    ).mode == ("back_waist")


def test_the_neck_alone_on_a_chair_without_a_neck_mode_is_refused() -> None:
    back_only = _with_modes(back_waist=MODEL.manual_modes["back_waist"])
    with pytest.raises(Unsupported, match="the neck"):
        TargetMapper(back_only).targets(_knead(Region.NECK))


def test_the_chair_s_own_technique_and_band_are_said_in_one_plain_sentence() -> None:
    tap = Setpoint(technique=Technique.TAP, regions=(Region.MID_BACK,), intensity=1)

    assert MAPPER.targets(tap).notes == (
        "this chair cannot place its rollers and chooses its own technique: its back and "
        "waist mode works shoulders to lower back with knead and shiatsu, instead of tap on "
        "the mid back",
    )
    # The neck mode kneads the neck and nothing else: nothing to approximate.
    assert MAPPER.targets(_knead(Region.NECK, intensity=1)).notes == ()
    assert MAPPER.targets(_knead(*REACHABLE[1:], intensity=1)).notes == (
        "this chair chooses its own technique: its back and waist mode works shoulders to "
        "lower back with knead and shiatsu, instead of knead alone",
    )
    assert MAPPER.targets(
        Setpoint(technique=Technique.SHIATSU, regions=(Region.NECK,), intensity=1)
    ).notes == (
        "this chair chooses its own technique: its neck mode works neck with knead, instead "
        "of shiatsu",
    )


def test_speed_and_width_other_than_the_defaults_are_said_to_be_the_chair_s_own() -> None:
    notes = MAPPER.targets(_knead(*REACHABLE[1:], intensity=1, speed=5, width=Width.WIDE)).notes

    assert any(note.startswith("speed 5: this chair's roller speed") for note in notes)
    assert any(note.startswith("width wide: this chair's kneading width") for note in notes)


def test_no_technique_or_no_region_rests_the_rollers() -> None:
    assert MAPPER.targets(Setpoint()).mode is None
    assert not MAPPER.targets(Setpoint()).needs_power
    rest = MAPPER.targets(Setpoint(technique=Technique.KNEAD))
    assert rest.mode is None
    assert rest.level is None
    assert rest.notes == ("knead: no region is asked, so the rollers rest",)


# -- airbags, heat, foot rollers, posture --------------------------------------------------------

ZONES = [AirbagZone.SHOULDERS, AirbagZone.ARMS, AirbagZone.CALVES]


@given(st.dictionaries(st.sampled_from(ZONES), st.integers(1, 5), max_size=3))
def test_airbags_are_the_zones_asked_or_none_never_harder_than_asked(
    asked: dict[AirbagZone, int],
) -> None:
    targets = MAPPER.targets(Setpoint(airbags=asked))

    # The chair has one pressure (level 3): below it, a zone would press harder than asked.
    fixed = MODEL.airbag_level
    expected = frozenset(asked) if asked and min(asked.values()) >= fixed else frozenset()
    assert targets.airbags == expected
    assert targets.needs_power == bool(expected)
    assert len(targets.notes) == (1 if asked else 0)


def test_the_airbag_pressure_is_said_to_be_the_chair_s_own() -> None:
    targets = MAPPER.targets(Setpoint(airbags={AirbagZone.CALVES: 4, AirbagZone.SHOULDERS: 3}))

    assert targets.airbags == {AirbagZone.CALVES, AirbagZone.SHOULDERS}
    assert targets.notes == (
        "airbags: this chair inflates its calves, shoulders airbags at its one pressure (level "
        "3 [assumed]), which can be neither set nor seen",
    )


def test_airbags_asked_gentler_than_the_chair_s_one_pressure_stay_off() -> None:
    # The bullet this answers: the chair ran its airbags at 3 when a program asked for 1.
    targets = MAPPER.targets(Setpoint(airbags={AirbagZone.CALVES: 1}))

    assert targets.airbags == frozenset()
    assert targets.notes == (
        "airbags: left off: this chair inflates its airbags at one pressure (level 3 "
        "[assumed]), above the level asked for calves",
    )


def test_an_airbag_zone_the_chair_lacks_is_refused() -> None:
    with pytest.raises(Unsupported, match="waist"):
        MAPPER.targets(Setpoint(airbags={AirbagZone.WAIST: 2}))


@pytest.mark.parametrize(
    ("level", "on", "says"),
    [
        (HeatLevel.MEDIUM, True, None),
        (HeatLevel.HIGH, True, "heat: lumbar get this chair's one setting, medium"),
        (HeatLevel.LOW, False, "heat: left off, because its one heat setting (medium) is hotter"),
    ],
)
def test_heat_is_never_hotter_than_asked(level: HeatLevel, on: bool, says: str | None) -> None:
    targets = MAPPER.targets(Setpoint(heat={Heater.LUMBAR: level}))

    assert targets.heat is on
    if says is None:
        assert targets.notes == ()
    else:
        assert targets.notes[0].startswith(says)


@pytest.mark.parametrize(
    "setpoint",
    [
        Setpoint(heat={Heater.SEAT: HeatLevel.MEDIUM}),
        Setpoint(foot_rollers=1),
        Setpoint(posture=Posture.ZERO_G_2),
        Setpoint(posture=Posture.RECLINE),
        Setpoint(technique=Technique.STRETCH),
    ],
    ids=["a heater it lacks", "foot rollers", "zero_g_2", "recline", "stretch"],
)
def test_what_the_chair_cannot_do_is_refused(setpoint: Setpoint) -> None:
    with pytest.raises(Unsupported):
        MAPPER.targets(setpoint)


def test_zero_gravity_is_pressed_but_said_to_be_unconfirmed() -> None:
    targets = MAPPER.targets(Setpoint(posture=Posture.ZERO_G_1))

    assert targets.posture is PostureGoal.ZERO_G
    assert targets.needs_power
    assert targets.notes == (
        "zero_g_1: the chair's zero-gravity key is pressed, but its status does not show the "
        "posture, so the posture is not confirmed",
    )
    assert MAPPER.targets(Setpoint()).posture is PostureGoal.UPRIGHT


# -- the pressure, whatever it presses ------------------------------------------------------------


@given(st.integers(1, 5), st.integers(3, 5))
def test_with_airbags_on_the_level_reads_no_higher_than_either_reading_allows(
    intensity: int, airbag: int
) -> None:
    targets = MAPPER.targets(
        Setpoint(
            technique=Technique.KNEAD,
            regions=(Region.MID_BACK,),
            intensity=intensity,
            airbags={AirbagZone.CALVES: airbag},
        )
    )
    assert targets.level is not None
    # As the rollers' depth, not above the intensity; as the airbags' pressure, not above
    # the airbag level asked.
    assert INTENSITY_SCALE[targets.level] <= intensity
    assert INTENSITY_SCALE[targets.level] <= airbag
    assert targets.most == targets.level


def test_a_strong_setpoint_with_airbags_is_held_to_the_airbags_level_and_says_so() -> None:
    targets = MAPPER.targets(
        Setpoint(
            technique=Technique.KNEAD,
            regions=(Region.MID_BACK,),
            intensity=5,
            airbags={AirbagZone.CALVES: 3},
        )
    )
    assert (targets.level, targets.level_cap) == (2, 2)
    assert (
        "intensity 5: this chair's level 2, not 3, while its airbags work: its pressure keys "
        "may set the airbags, which must not squeeze harder than asked"
    ) in targets.notes


def test_airbags_alone_cap_the_pressure_with_the_rollers_at_rest() -> None:
    targets = MAPPER.targets(Setpoint(airbags={AirbagZone.CALVES: 3}))
    assert (targets.mode, targets.level, targets.level_cap, targets.most) == (None, None, 2, 2)
    assert MAPPER.targets(Setpoint()).most is None


def test_with_the_pressure_read_as_the_airbags_the_neck_mode_is_never_chosen() -> None:
    mapper = TargetMapper(MODEL.model_copy(update={"pressure": "airbag_pressure"}))
    neck = mapper.targets(Setpoint(technique=Technique.KNEAD, regions=(Region.NECK,)))
    assert neck.mode is None
    assert neck.notes == (
        "the rollers rest here: this chair's pressure keys set its airbags, so nothing would "
        "keep its rollers gentle at the neck",
    )
    with_back = mapper.targets(
        Setpoint(technique=Technique.KNEAD, regions=(Region.NECK, Region.SHOULDERS))
    )
    assert with_back.mode == "back_waist"
    # Read as the rollers' depth (the shipped model's assumption), the neck gets its mode.
    assert MAPPER.targets(Setpoint(technique=Technique.KNEAD, regions=(Region.NECK,))).mode == (
        "neck"
    )
