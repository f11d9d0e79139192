"""Health screening: the three tiers, clearance, local blocks, strictest caps, caps over preferences,
and every library plan compiled for a screened person respecting that person's caps."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from chairctl.plan import Plan, compile_program
from chairctl.plan.suitability import check_program_for
from chairctl.program import Program, load_program
from chairctl.safety import Moment, violations
from chairctl.safety.profile import Condition, HealthScreening, Profile, guest_profile
from chairctl.safety.screening import (
    CONDITION_RULES,
    DISCLAIMER,
    GUEST_BLOCK_QUESTIONS,
    GUEST_CAPS,
    GUEST_NOT_SCREENED,
    NO_CAPS,
    Caps,
    Screening,
    Tier,
    screen,
    screen_guest,
)
from chairctl.vocabulary import (
    FULL_FEATURED,
    PERCUSSION,
    AirbagZone,
    ChairCapabilities,
    PlanError,
    Posture,
    Region,
    Technique,
)
from drivers.models import get_model_as
from drivers.models.rongtai import RongtaiModel
from tests.conftest import PROGRAMS

#: A chair whose airbags inflate in groups (seat with thighs, arms with shoulders, ...).
RT8600S = get_model_as("rongtai-rt8600s", RongtaiModel).capabilities

LIBRARY = [load_program(path) for path in sorted(PROGRAMS.glob("*.yaml"))]

C = Condition
GENTLE_SPINE = Caps(
    max_intensity=2,
    percussion_allowed=False,
    stretch_allowed=False,
    recline_allowed=False,
    max_airbag=2,
)
NO_DEEP = Caps(
    max_intensity=2,
    percussion_allowed=False,
    stretch_allowed=False,
    max_airbag=2,
    recline_allowed=False,
)
BRUISES = replace(NO_DEEP, max_airbag=1)
NO_HEAT = Caps(heat_allowed=False, recline_allowed=False)
NO_RECLINE = Caps(recline_allowed=False)
LEGS = frozenset({AirbagZone.THIGHS, AirbagZone.CALVES, AirbagZone.FEET})
NECK_OFF = replace(
    GENTLE_SPINE,
    skip_regions=frozenset({Region.NECK}),
    airbags_off=frozenset({AirbagZone.SHOULDERS, AirbagZone.ARMS}),
)
#: The strictest caps, written out again: a guest's.
GUEST = Caps(
    max_intensity=2,
    percussion_allowed=False,
    heat_allowed=False,
    stretch_allowed=False,
    recline_allowed=False,
    max_airbag=1,
)

#: The expected table, written out again by hand so that a change to the real one is seen.
EXPECTED: dict[Condition, tuple[Tier, Caps]] = {
    C.VERTEBRAL_FRACTURE: (Tier.BLOCK, NO_CAPS),
    C.RECENT_FRACTURE: (Tier.BLOCK, NO_CAPS),
    C.SPINAL_TUMOUR: (Tier.BLOCK, NO_CAPS),
    C.MALIGNANCY_AT_SITE: (Tier.BLOCK, NO_CAPS),
    C.HERNIATED_DISC: (Tier.BLOCK, NO_CAPS),
    C.DEEP_VEIN_THROMBOSIS: (Tier.BLOCK, NO_CAPS),
    C.THROMBOSIS_OR_EMBOLISM: (Tier.BLOCK, NO_CAPS),
    C.ANEURYSM: (Tier.BLOCK, NO_CAPS),
    C.PHLEBITIS: (Tier.BLOCK, NO_CAPS),
    C.SKIN_INFECTION_AT_SITE: (Tier.BLOCK, NO_CAPS),
    C.FEVER: (Tier.BLOCK, NO_CAPS),
    C.ACUTE_STRAIN: (Tier.BLOCK, NO_CAPS),
    C.RECENT_SURGERY: (Tier.BLOCK, NO_CAPS),
    C.CANCER_SPREAD_TO_BONE: (Tier.BLOCK, NO_CAPS),
    C.CLOT_SYMPTOMS_NOW: (Tier.BLOCK, NO_CAPS),
    C.WOUND_SCAR_OR_IRRADIATED_SKIN: (Tier.BLOCK, NO_CAPS),
    C.CANNOT_OPERATE_ALONE: (Tier.BLOCK, NO_CAPS),
    C.OSTEOPOROSIS: (
        Tier.CLINICIAN_CLEARED,
        Caps(
            max_intensity=1,
            percussion_allowed=False,
            stretch_allowed=False,
            recline_allowed=False,
            max_airbag=1,
        ),
    ),
    C.PACEMAKER_OR_IMPLANT: (
        Tier.CLINICIAN_CLEARED,
        Caps(max_intensity=2, recline_allowed=False),
    ),
    C.PREGNANCY: (
        Tier.CLINICIAN_CLEARED,
        Caps(
            max_intensity=2,
            percussion_allowed=False,
            heat_allowed=False,
            stretch_allowed=False,
            recline_allowed=False,
            airbags_off=LEGS,
            max_airbag=1,
        ),
    ),
    C.HEART_DISEASE: (Tier.CLINICIAN_CLEARED, Caps(max_intensity=2, recline_allowed=False)),
    C.MALIGNANCY_ELSEWHERE: (Tier.CLINICIAN_CLEARED, NO_DEEP),
    C.ANTICOAGULANTS: (Tier.CLINICIAN_CLEARED, BRUISES),
    C.BLEEDING_DISORDER: (Tier.CLINICIAN_CLEARED, BRUISES),
    C.UNCONTROLLED_HYPERTENSION: (
        Tier.CLINICIAN_CLEARED,
        Caps(max_intensity=2, recline_allowed=False),
    ),
    C.SPINAL_ABNORMALITY: (Tier.CLINICIAN_CLEARED, GENTLE_SPINE),
    C.VARICOSE_VEINS: (
        Tier.CLINICIAN_CLEARED,
        Caps(
            heat_allowed=False,
            stretch_allowed=False,
            recline_allowed=False,
            airbags_off=LEGS | {AirbagZone.SEAT},
        ),
    ),
    C.ANKYLOSING_SPONDYLITIS: (Tier.CLINICIAN_CLEARED, NECK_OFF),
    C.SPINAL_SURGERY: (Tier.CLINICIAN_CLEARED, GENTLE_SPINE),
    C.SPINAL_OSTEOARTHRITIS: (Tier.CAUTIONS, GENTLE_SPINE),
    C.FIBROMYALGIA: (Tier.CAUTIONS, NO_DEEP),
    C.DIABETES: (Tier.CAUTIONS, NO_HEAT),
    C.NEUROPATHY: (Tier.CAUTIONS, NO_HEAT),
    C.LOSS_OF_TEMPERATURE_SENSATION: (Tier.CAUTIONS, NO_HEAT),
    C.NEEDS_SUPERVISION: (Tier.CAUTIONS, NO_RECLINE),
    C.NECK_PROBLEMS_OR_DIZZINESS: (Tier.CAUTIONS, NECK_OFF),
}

TEEN = Caps(max_intensity=2, max_airbag=2, recline_allowed=False)

LOCAL = {
    C.ACUTE_STRAIN,
    C.SKIN_INFECTION_AT_SITE,
    C.MALIGNANCY_AT_SITE,
    C.WOUND_SCAR_OR_IRRADIATED_SKIN,
}
BLOCK = {c for c, (tier, _) in EXPECTED.items() if tier is Tier.BLOCK}
CLEARABLE = {c for c, (tier, _) in EXPECTED.items() if tier is Tier.CLINICIAN_CLEARED}
CAUTIONS = {c for c, (tier, _) in EXPECTED.items() if tier is Tier.CAUTIONS}


def profile(
    *,
    age: int | None = 40,
    conditions: set[Condition] | frozenset[Condition] = frozenset(),
    first_use: bool = False,
    cleared: set[Condition] | frozenset[Condition] = frozenset(),
    sites: dict[Condition, set[Region]] | None = None,
    **preferences: Any,
) -> Profile:
    return Profile.model_validate(
        {
            "name": "Sam",
            **preferences,
            "health": {
                "age": age,
                "conditions": conditions,
                "first_use": first_use,
                "clinician_cleared": cleared,
                "affected_regions": sites or {},
            },
        }
    )


def test_the_table_has_one_row_per_condition() -> None:
    assert set(CONDITION_RULES) == set(Condition) == set(EXPECTED)
    assert {c for c, rule in CONDITION_RULES.items() if rule.local} == LOCAL


@pytest.mark.parametrize("condition", list(Condition), ids=str)
def test_each_condition_has_its_tier_and_caps(condition: Condition) -> None:
    tier, caps = EXPECTED[condition]
    rule = CONDITION_RULES[condition]
    assert (rule.tier, rule.caps) == (tier, caps)
    alone = screen(profile(conditions={condition}))
    cleared = screen(profile(conditions={condition}, cleared={condition}))
    if tier is Tier.CAUTIONS:
        assert alone.blocked == []
        assert alone.caps == caps
    elif tier is Tier.CLINICIAN_CLEARED:
        assert len(alone.blocked) == 1
        assert "consult a doctor" in alone.blocked[0]
        assert cleared.blocked == []
        assert cleared.caps == caps
        assert any(n.startswith("Cleared by your clinician") for n in cleared.notices)
    else:
        # A block is never lifted by a clearance.
        advice = "see a doctor today" if condition is C.CLOT_SYMPTOMS_NOW else "consult a doctor"
        for screening in (alone, cleared):
            assert len(screening.blocked) == 1
            assert advice in screening.blocked[0]
        assert "clearance does not change this" in cleared.blocked[0]


def test_no_conditions_no_caps_and_the_disclaimer() -> None:
    screening = screen(profile())
    assert screening.allowed
    assert screening.caps == NO_CAPS
    assert screening.notices == [DISCLAIMER]


def test_blocked_reasons_are_plain_words_one_per_condition() -> None:
    screening = screen(profile(conditions={C.FEVER, C.OSTEOPOROSIS, C.DIABETES}))
    assert len(screening.blocked) == 2
    assert screening.blocked[0].startswith("A fever of 38 °C")
    assert "osteoporosis" in screening.blocked[1]
    assert "mark osteoporosis as cleared" in screening.blocked[1]
    with pytest.raises(PlanError, match="consult a doctor"):
        screening.personalisation()


@pytest.mark.parametrize(
    ("age", "blocked", "caps", "notice"),
    [
        (11, True, NO_CAPS, None),
        (12, False, TEEN, "An adult must stay with you"),
        (17, False, TEEN, "An adult must stay with you"),
        (18, False, NO_CAPS, None),
        (59, False, NO_CAPS, None),
        (60, False, Caps(max_intensity=3, max_airbag=3), None),
        (74, False, Caps(max_intensity=3, max_airbag=3), None),
        (75, False, replace(GENTLE_SPINE, heat_allowed=False), None),
        (101, False, replace(GENTLE_SPINE, heat_allowed=False), None),
    ],
)
def test_age_bands(age: int, blocked: bool, caps: Caps, notice: str | None) -> None:
    screening = screen(profile(age=age))
    assert bool(screening.blocked) is blocked
    if not blocked:
        assert screening.caps == caps
    if notice:
        assert any(n.startswith(notice) for n in screening.notices)


def test_a_profile_without_an_age_gets_the_guest_caps() -> None:
    # An unknown age must not be read as a young adult's, nor as 60: it may be 75 or more.
    screening = screen(profile(age=None))
    assert not screening.blocked
    assert screening.caps == GUEST
    assert any("Without your age" in notice for notice in screening.notices)


def test_a_guest_is_a_profile_with_no_answers() -> None:
    # The app's Guest: never intensity 3, never heat, airbags at most 1, upright.
    guest = Profile(name="Guest", health=HealthScreening())
    assert guest == guest_profile()
    screening = screen(guest)
    assert guest.health.age is None
    assert guest.health.first_use is True
    assert screening.caps == replace(GUEST, max_minutes=10)
    assert GUEST_CAPS == GUEST


def test_the_guest_questions_are_few_short_and_ask_every_block() -> None:
    assert len(GUEST_BLOCK_QUESTIONS) <= 8
    for question in GUEST_BLOCK_QUESTIONS:
        # One sentence, a question, about conditions of its own.
        assert question.text.endswith("?")
        assert question.text.count("?") == 1
        assert ". " not in question.text
        assert question.condition in question.covers
    covered = [c for q in GUEST_BLOCK_QUESTIONS for c in q.covers]
    assert len(covered) == len(set(covered))
    # Every block is asked; so is every condition that needs a clearance a guest cannot have
    # had, unless the guest caps are at least as strict as its own.
    for condition in BLOCK | CLEARABLE:
        rule = CONDITION_RULES[condition]
        assert condition in covered or GUEST & rule.caps == GUEST, condition


def test_a_guest_who_was_not_asked_gets_the_strictest_caps_and_is_told() -> None:
    screening = screen_guest(None)
    assert screening.allowed
    assert screening.profile.name == "Guest"
    assert screening.caps == replace(GUEST, max_minutes=10)
    assert GUEST_NOT_SCREENED in screening.notices
    # The same for answers that leave a question out.
    some = {q.condition: False for q in GUEST_BLOCK_QUESTIONS[1:]}
    assert GUEST_NOT_SCREENED in screen_guest(some).notices
    person = screening.personalisation()
    assert (person.max_intensity, person.heat_allowed, person.max_airbag) == (2, False, 1)
    assert (person.percussion_allowed, person.recline_allowed) == (False, False)
    assert person.stretch_allowed is False


def test_a_guest_who_says_no_to_every_question_gets_the_guest_caps() -> None:
    screening = screen_guest({q.condition: False for q in GUEST_BLOCK_QUESTIONS})
    assert screening.allowed
    assert screening.profile == guest_profile()
    assert screening.caps == replace(GUEST, max_minutes=10)
    assert GUEST_NOT_SCREENED not in screening.notices
    assert screening.notices[-1] == DISCLAIMER


@pytest.mark.parametrize("index", range(len(GUEST_BLOCK_QUESTIONS)))
def test_a_guest_who_says_yes_to_any_question_is_refused(index: int) -> None:
    question = GUEST_BLOCK_QUESTIONS[index]
    answers = {q.condition: q is question for q in GUEST_BLOCK_QUESTIONS}
    screening = screen_guest(answers)
    assert len(screening.blocked) == 1
    assert "doctor" in screening.blocked[0]
    with pytest.raises(PlanError):
        screening.personalisation()
    # A yes keyed by any condition the question covers refuses too.
    for condition in question.covers:
        assert screen_guest({condition: True}).blocked


def test_a_guest_with_a_swollen_calf_is_told_to_see_a_doctor_today() -> None:
    (reason,) = screen_guest({C.CLOT_SYMPTOMS_NOW: True}).blocked
    assert "blood clot" in reason
    assert "see a doctor today" in reason


def test_a_guest_answer_no_question_asks_is_refused() -> None:
    with pytest.raises(ValueError, match="no guest question asks about diabetes"):
        screen_guest({C.DIABETES: False})


@pytest.mark.parametrize("condition", [C.OSTEOPOROSIS, C.ANTICOAGULANTS, C.PREGNANCY])
def test_fragile_conditions_cap_airbags_and_posture_not_only_rollers(
    condition: Condition,
) -> None:
    caps = screen(profile(conditions={condition}, cleared={condition})).caps
    assert caps.max_intensity <= 2
    assert caps.max_airbag <= 1
    assert not caps.recline_allowed
    # The stretch clamps hips and legs in airbags and pulls: forceful.
    assert not caps.stretch_allowed


def test_heat_is_off_from_age_75() -> None:
    assert screen(profile(age=74)).caps.heat_allowed
    screening = screen(profile(age=75))
    assert not screening.caps.heat_allowed
    assert screening.caps.reasons["heat"] == "age 75"


def test_neck_problems_keep_the_rollers_and_airbags_off_the_neck() -> None:
    screening = screen(profile(conditions={C.NECK_PROBLEMS_OR_DIZZINESS}))
    assert screening.allowed
    assert Region.NECK in screening.caps.skip_regions
    assert {AirbagZone.SHOULDERS, AirbagZone.ARMS} <= screening.caps.airbags_off
    assert screening.caps.max_intensity <= 2


def test_varicose_veins_keep_the_leg_and_seat_airbags_off_once_cleared() -> None:
    condition = C.VARICOSE_VEINS
    assert screen(profile(conditions={condition})).blocked
    caps = screen(profile(conditions={condition}, cleared={condition})).caps
    assert caps.airbags_off == LEGS | {AirbagZone.SEAT}
    assert not caps.heat_allowed
    assert not caps.recline_allowed
    assert not caps.stretch_allowed


def test_a_cleared_cancer_elsewhere_never_covers_cancer_in_bone() -> None:
    conditions = {C.MALIGNANCY_ELSEWHERE, C.CANCER_SPREAD_TO_BONE}
    screening = screen(profile(conditions=conditions, cleared={C.MALIGNANCY_ELSEWHERE}))
    (reason,) = screening.blocked
    assert "spread to bone" in reason


def test_spinal_surgery_at_any_time_needs_a_clearance_then_no_recline_or_stretch() -> None:
    assert screen(profile(conditions={C.SPINAL_SURGERY})).blocked
    caps = screen(profile(conditions={C.SPINAL_SURGERY}, cleared={C.SPINAL_SURGERY})).caps
    assert (caps.recline_allowed, caps.stretch_allowed, caps.percussion_allowed) == (
        False,
        False,
        False,
    )


def test_someone_who_cannot_stop_the_chair_is_refused_even_with_company() -> None:
    both = screen(profile(conditions={C.CANNOT_OPERATE_ALONE, C.NEEDS_SUPERVISION}))
    (reason,) = both.blocked
    assert "someone beside you does not change that" in reason
    # Who can stop it but needs company is allowed, told to keep the remote in reach.
    notices = screen(profile(conditions={C.NEEDS_SUPERVISION})).notices
    assert any("remote within your own reach" in n for n in notices)


def test_first_use_is_gentler_and_shorter() -> None:
    screening = screen(profile(first_use=True))
    assert screening.caps == Caps(max_intensity=3, max_airbag=3, max_minutes=10)


def test_needs_supervision_prompts() -> None:
    notices = screen(profile(conditions={C.NEEDS_SUPERVISION})).notices
    assert any(
        n.startswith("Someone who can stop the chair must stay with you for the whole session")
        for n in notices
    )


@pytest.mark.parametrize(
    ("region", "airbags", "heat"),
    [
        (Region.NECK, {AirbagZone.SHOULDERS, AirbagZone.ARMS}, True),
        (Region.SHOULDERS, {AirbagZone.SHOULDERS, AirbagZone.ARMS}, True),
        (Region.UPPER_BACK, {AirbagZone.SHOULDERS}, True),
        (Region.MID_BACK, {AirbagZone.WAIST}, False),
        (Region.LOWER_BACK, {AirbagZone.WAIST}, False),
        (Region.SACRUM_GLUTES, {AirbagZone.SEAT, AirbagZone.THIGHS}, False),
    ],
)
@pytest.mark.parametrize("condition", sorted(LOCAL), ids=str)
def test_a_local_block_with_its_site_skips_only_that_site(
    condition: Condition, region: Region, airbags: set[AirbagZone], heat: bool
) -> None:
    screening = screen(profile(conditions={condition}, sites={condition: {region}}))
    assert screening.blocked == []
    assert screening.caps == Caps(
        skip_regions=frozenset({region}), airbags_off=frozenset(airbags), heat_allowed=heat
    )
    assert region.replace("_", " ") in screening.notices[0]


def test_a_local_block_without_a_site_refuses_the_session() -> None:
    (reason,) = screen(profile(conditions={C.ACUTE_STRAIN})).blocked
    assert "say which part" in reason


def test_a_site_does_not_soften_a_whole_body_block() -> None:
    with pytest.raises(ValidationError):
        profile(conditions={C.FEVER}, sites={C.ACUTE_STRAIN: {Region.NECK}})
    # A site given for a condition that is not local is ignored: still refused.
    assert screen(profile(conditions={C.FEVER}, sites={C.FEVER: {Region.NECK}})).blocked


def test_the_strictest_cap_wins() -> None:
    screening = screen(
        profile(
            age=80,
            first_use=True,
            conditions={C.OSTEOPOROSIS, C.DIABETES, C.PREGNANCY, C.ACUTE_STRAIN},
            cleared={C.OSTEOPOROSIS, C.PREGNANCY},
            sites={C.ACUTE_STRAIN: {Region.SHOULDERS}},
        )
    )
    assert screening.blocked == []
    assert screening.caps == Caps(
        max_intensity=1,
        percussion_allowed=False,
        heat_allowed=False,
        stretch_allowed=False,
        recline_allowed=False,
        skip_regions=frozenset({Region.SHOULDERS}),
        airbags_off=LEGS | {AirbagZone.SHOULDERS, AirbagZone.ARMS},
        max_airbag=1,
        max_minutes=10,
    )
    # Each limit says why, naming what set it (both, when two set it alike).
    reasons = screening.caps.reasons
    assert reasons["intensity"] == "osteoporosis"
    assert reasons["airbags"] == "osteoporosis, pregnancy"
    assert reasons["airbags-off"] == "acute-strain at shoulders, pregnancy"
    assert reasons["heat"] == "diabetes, pregnancy, age 80"
    assert reasons["regions"] == "acute-strain at shoulders"
    assert reasons["minutes"] == "first use"
    person = screening.personalisation()
    assert person.why("intensity") == " (osteoporosis)"


def test_caps_beat_preferences() -> None:
    screening = screen(
        profile(
            conditions={C.FIBROMYALGIA, C.NEUROPATHY},
            first_use=True,
            intensity_offset=2,
            max_intensity=5,
            heat_allowed=True,
            preferred_minutes=25,
            skip_regions={Region.NECK},
        )
    )
    person = screening.personalisation()
    assert person.max_intensity == 2
    assert person.intensity_offset == 2  # kept, and clamped to the cap by the compiler
    assert person.heat_allowed is False
    assert person.percussion_allowed is False
    assert person.max_minutes == 10
    assert person.skip_regions == {Region.NECK}


def test_preferences_stricter_than_the_caps_are_kept() -> None:
    person = screen(
        profile(first_use=True, max_intensity=1, heat_allowed=False, preferred_minutes=5)
    ).personalisation()
    assert (person.max_intensity, person.heat_allowed, person.max_minutes) == (1, False, 5)


@pytest.mark.parametrize(
    "bad",
    [
        {"name": " "},
        {"name": ""},
        {"intensity_offset": 3},
        {"max_intensity": 0},
        {"preferred_minutes": 4},
        {"preferred_minutes": 31},
        {"colour": "red"},
    ],
)
def test_profile_validation(bad: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        Profile.model_validate({"name": "Sam", "health": {"age": 40}, **bad})


def test_clearance_must_name_a_declared_condition() -> None:
    with pytest.raises(ValidationError, match="clinician_cleared names conditions not declared"):
        HealthScreening.model_validate({"age": 40, "clinician_cleared": ["osteoporosis"]})


def test_first_use_is_assumed_until_said_otherwise() -> None:
    assert HealthScreening(age=40).first_use is True


def by_id(program_id: str) -> Program:
    return next(p for p in LIBRARY if p.id == program_id)


def test_check_program_for() -> None:
    assert check_program_for(by_id("lower-back-quick"), screen(profile())) == []
    refused = screen(profile(conditions={C.HERNIATED_DISC}))
    assert check_program_for(by_id("lower-back-quick"), refused) == refused.blocked
    # The program works nothing but the lower back and hips; with both kept off, nothing is left.
    program = by_id("lower-back-quick")
    worked = {r for step, _ in program.effective_steps() for r in step.regions}
    sites = {C.SKIN_INFECTION_AT_SITE: worked}
    skin = screen(profile(conditions={C.SKIN_INFECTION_AT_SITE}, sites=sites))
    reasons = check_program_for(program, skin)
    assert len(reasons) == 1
    assert reasons[0].startswith(f"Nothing of {program.name} is left for you")
    # An acute strain is among the answers the program names: it says so, wherever the strain.
    strain = screen(profile(conditions={C.ACUTE_STRAIN}, sites={C.ACUTE_STRAIN: {Region.NECK}}))
    assert check_program_for(program, strain) == [
        f"{program.name} is not meant for someone with acute strain; choose another program."
    ]


def _respects_caps(
    plan: Plan, screening: Screening, chair: ChairCapabilities = FULL_FEATURED
) -> None:
    caps = screening.caps
    person = plan.person
    for entry in plan.entries:
        setpoint = entry.setpoint
        assert violations(setpoint, Moment(entry.start_s, 600, 600), person) == []
        if setpoint.rollers_active:
            assert setpoint.intensity <= caps.max_intensity
            assert caps.skip_regions <= setpoint.keep_off
        assert all(level <= caps.max_airbag for level in setpoint.airbags.values())
        if not caps.recline_allowed:
            assert setpoint.posture is Posture.UPRIGHT
        if not caps.percussion_allowed:
            assert setpoint.technique not in PERCUSSION
        if not caps.heat_allowed:
            assert setpoint.heat == {}
        if not caps.stretch_allowed:
            assert setpoint.technique is not Technique.STRETCH
        if setpoint.rollers_active:
            assert not caps.skip_regions & set(setpoint.regions)
        assert not caps.airbags_off & set(setpoint.airbags)
        # Nor a zone the chair inflates together with one that must stay off.
        for zone in setpoint.airbags:
            assert not caps.airbags_off & chair.inflated_with(zone)
    if caps.max_minutes is not None:
        assert plan.total_s <= caps.max_minutes * 60


@st.composite
def allowed_profiles(draw: st.DrawFn) -> Profile:
    """Any profile the screening lets through: cautions, cleared conditions, local sites."""
    cleared = draw(st.frozensets(st.sampled_from(sorted(CLEARABLE))))
    cautions = draw(st.frozensets(st.sampled_from(sorted(CAUTIONS))))
    sites = draw(
        st.dictionaries(
            st.sampled_from(sorted(LOCAL)),
            st.frozensets(st.sampled_from(list(Region)), min_size=1),
        )
    )
    return profile(
        age=draw(st.integers(12, 110)),
        first_use=draw(st.booleans()),
        conditions=cleared | cautions | set(sites),
        # A clearance of a block condition changes nothing, so the property may draw some.
        cleared=cleared | draw(st.frozensets(st.sampled_from(sorted(LOCAL)))) & set(sites),
        sites={c: set(r) for c, r in sites.items()},
        intensity_offset=draw(st.integers(-2, 2)),
        max_intensity=draw(st.integers(1, 5)),
        skip_regions=draw(st.frozensets(st.sampled_from(list(Region)))),
        heat_allowed=draw(st.booleans()),
        preferred_minutes=draw(st.none() | st.integers(5, 30)),
    )


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(program=st.sampled_from(LIBRARY), person=allowed_profiles())
def test_every_library_plan_respects_the_screened_caps(program: Program, person: Profile) -> None:
    screening = screen(person)
    assert screening.blocked == []
    personal = screening.personalisation()
    plan = compile_program(program, person=personal)
    _respects_caps(plan, screening)
    # On a chair whose airbags inflate in groups (the RT8600S: seat with thighs), too.
    grouped = compile_program(program, person=personal, chair=RT8600S)
    _respects_caps(grouped, screening, RT8600S)
    # The person's own limits hold too.
    for entry in plan.entries:
        if entry.setpoint.rollers_active:
            assert entry.setpoint.intensity <= person.max_intensity
            assert not person.skip_regions & set(entry.setpoint.regions)
        if not person.heat_allowed:
            assert entry.setpoint.heat == {}
    if person.preferred_minutes is not None:
        assert plan.total_s <= person.preferred_minutes * 60
