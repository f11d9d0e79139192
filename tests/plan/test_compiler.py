"""The compiler: expansion, personalisation, fitting to a chair, and the safety rules winning."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chairctl.plan import Personalisation, Plan, compile_program
from chairctl.program import Program, load_program
from chairctl.safety import Moment, roller_cap, violations
from chairctl.vocabulary import (
    FULL_FEATURED,
    PERCUSSION,
    AirbagZone,
    Heater,
    HeatLevel,
    PlanError,
    Posture,
    Region,
    Technique,
    TrackType,
)
from chairctl.vocabulary.limits import (
    HEAT_MAX_S,
    NECK_MAX_INTENSITY,
    START_MAX_INTENSITY,
    START_RAMP_S,
)
from drivers.models import get_model_as
from drivers.models.rongtai import RongtaiModel
from tests.conftest import MINIMAL, PROGRAMS

LIBRARY = [load_program(path) for path in sorted(PROGRAMS.glob("*.yaml"))]


def load(write_program: Callable[..., Path], steps: str, defaults: str = "") -> Program:
    head = MINIMAL.split("steps:\n")[0]
    return load_program(write_program(head + defaults + "steps:\n" + steps))


def test_repeats_unroll_in_order_and_ramps_become_level_steps(
    write_program: Callable[..., Path],
) -> None:
    program = load(
        write_program,
        """\
  - {name: Warm, duration: 90s, technique: roll, region: [upper_back, mid_back], intensity: {from: 1, to: 3}}
  - name: Block
    repeat: 2
    steps:
      - {name: A, duration: 20s, technique: knead, region: lower_back, intensity: 4}
      - {name: B, duration: 10s, technique: tap, region: lower_back, intensity: 3}
""",
    )
    plan = compile_program(program)
    shape = [(e.start_s, e.duration_s, e.step, e.setpoint.intensity) for e in plan.entries]
    assert shape == [
        (0.0, 30.0, "Warm", 1),
        (30.0, 30.0, "Warm", 2),
        (60.0, 30.0, "Warm", 3),
        (90.0, 20.0, "A", 4),
        (110.0, 10.0, "B", 3),
        (120.0, 20.0, "A", 4),
        (140.0, 10.0, "B", 3),
    ]
    assert plan.total_s == 150.0
    assert plan.entries[0].setpoint.regions == (Region.UPPER_BACK, Region.MID_BACK)
    assert [e.line for e in plan.entries[3:5]] == [13, 14]
    assert plan.adjustments == ()


def test_start_ramp_holds_intensity_down_for_the_first_minute(
    write_program: Callable[..., Path],
) -> None:
    program = load(
        write_program,
        "  - {name: Deep, duration: 3m, technique: shiatsu, region: mid_back, intensity: 5}\n",
    )
    plan = compile_program(program)
    # The first minute of contact at 2, then one level every RAMP_STEP_S.
    assert [(e.start_s, e.duration_s, e.setpoint.intensity) for e in plan.entries] == [
        (0.0, 60.0, START_MAX_INTENSITY),
        (60.0, 10.0, 3),
        (70.0, 10.0, 4),
        (80.0, 100.0, 5),
    ]
    (adjustment,) = plan.adjustments
    assert adjustment.line == 9
    assert adjustment.kind == "safety"
    assert "intensity is held at 2 for the first 60 s of their contact" in adjustment.message


@pytest.mark.parametrize(
    "first",
    [
        "  - {name: Rest, duration: 1m, technique: none}\n",
        "  - {name: Squeeze, duration: 1m, technique: none, airbags: {calves: 1}}\n",
        "  - {name: Neck, duration: 1m, technique: knead, region: neck, intensity: 2}\n"
        "  - {name: Rest, duration: 30s, technique: none}\n",
    ],
    ids=["rest", "airbags-only", "after-a-rest"],
)
def test_the_gentle_start_is_by_contact_not_by_the_clock(
    write_program: Callable[..., Path], first: str
) -> None:
    # A first minute of rest or airbags only does not let the rollers start strong.
    program = load(
        write_program,
        first
        + "  - {name: Deep, duration: 3m, technique: knead, region: mid_back, intensity: 5}\n",
    )
    plan = compile_program(program)
    deep = [e for e in plan.entries if e.step == "Deep"]
    begins = deep[0].start_s
    assert deep[0].setpoint.intensity == START_MAX_INTENSITY
    assert deep[0].duration_s == 60
    assert [e.setpoint.intensity for e in deep] == [2, 3, 4, 5]
    assert deep[-1].start_s == begins + 80


def test_the_airbags_start_gently_on_their_own(write_program: Callable[..., Path]) -> None:
    program = load(
        write_program,
        "  - {name: Squeeze, duration: 3m, technique: none, airbags: {calves: 5, arms: 3}}\n",
    )
    levels = [(e.start_s, e.setpoint.airbags) for e in compile_program(program).entries]
    assert levels == [
        (0.0, {AirbagZone.ARMS: 1, AirbagZone.CALVES: 1}),
        (60.0, {AirbagZone.ARMS: 2, AirbagZone.CALVES: 2}),
        (70.0, {AirbagZone.ARMS: 3, AirbagZone.CALVES: 3}),
        (80.0, {AirbagZone.ARMS: 3, AirbagZone.CALVES: 4}),
        (90.0, {AirbagZone.ARMS: 3, AirbagZone.CALVES: 5}),
    ]


def test_a_chair_that_restarts_to_go_gentler_starts_gently_again(
    write_program: Callable[..., Path],
) -> None:
    program = load(
        write_program,
        """\
  - {name: Firm, duration: 3m, technique: knead, region: mid_back, intensity: 4}
  - {name: Softer, duration: 2m, technique: knead, region: mid_back, intensity: 3}
""",
    )
    rongtai = get_model_as("rongtai-rt8600s", RongtaiModel).capabilities
    assert not rongtai.intensity_steps_down
    softer = [e for e in compile_program(program, chair=rongtai).entries if e.step == "Softer"]
    # Its intensity key only steps up: lowering it returns home and scans, a new contact that
    # begins once the chair has restarted.
    begins = 180.0 + rongtai.restart_s
    assert [(e.start_s, e.setpoint.intensity) for e in softer] == [(180.0, 2), (begins + 60, 3)]
    # A chair that steps down goes straight to 3.
    plain = [e for e in compile_program(program).entries if e.step == "Softer"]
    assert [(e.start_s, e.setpoint.intensity) for e in plain] == [(180.0, 3)]


def test_heat_stops_at_its_session_allowance(write_program: Callable[..., Path]) -> None:
    program = load(
        write_program,
        "  - {name: Warm, duration: 20m, technique: none, heat: {lumbar: low}}\n",
    )
    plan = compile_program(program)
    assert [(e.start_s, bool(e.setpoint.heat)) for e in plan.entries] == [
        (0.0, True),
        (HEAT_MAX_S, False),
    ]
    assert any("heat goes off after 15 minutes" in a.message for a in plan.adjustments)


def test_a_heater_hotter_than_the_skin_limit_is_not_used(
    write_program: Callable[..., Path],
) -> None:
    program = load(
        write_program,
        "  - {name: Warm, duration: 1m, technique: none, heat: {lumbar: low}}\n",
    )
    hot = FULL_FEATURED.model_copy(update={"heat_contact_c": 46.0})
    (entry,) = compile_program(program, chair=hot).entries
    assert entry.setpoint.heat == {}
    assert any(
        "46 °C at the skin, above the 42 °C limit" in a.message
        for a in compile_program(program, chair=hot).adjustments
    )


def test_personalisation_offset_cap_heat_and_percussion(
    write_program: Callable[..., Path],
) -> None:
    program = load(
        write_program,
        """\
  - {name: Soft, duration: 2m, technique: knead, region: lower_back, intensity: 1}
  - {name: Hard, duration: 2m, technique: knock, region: mid_back, intensity: 4, heat: {lumbar: high}}
""",
    )
    person = Personalisation(
        intensity_offset=1, max_intensity=4, heat_allowed=False, percussion_allowed=False
    )
    plan = compile_program(program, person=person)
    soft, hard = plan.at(90), plan.at(200)
    assert soft is not None
    assert soft.setpoint.intensity == 2
    assert hard is not None
    assert hard.setpoint.intensity == 4
    assert hard.setpoint.technique is Technique.KNEAD
    assert hard.setpoint.heat == {}
    messages = {(a.line, a.message) for a in plan.adjustments}
    assert (10, "no percussion for you: kneading instead") in messages
    assert (10, "no heat for you") in messages
    assert (10, "intensity capped at 4 for you") in messages
    assert (9, "intensity +1, as you prefer") in messages
    # With reasons, the words say why.
    reasoned = Personalisation(max_intensity=1, reasons={"intensity": "osteoporosis"})
    assert any(
        a.message == "intensity capped at 1 for you (osteoporosis)"
        for a in compile_program(program, person=reasoned).adjustments
    )


def test_skipped_region_trims_a_span_or_rests_the_rollers(
    write_program: Callable[..., Path],
) -> None:
    program = load(
        write_program,
        """\
  - {name: Span, duration: 1m, technique: knead, region: [mid_back, lower_back]}
  - {name: Only, duration: 1m, technique: knead, region: lower_back, airbags: {waist: 1}}
""",
    )
    plan = compile_program(program, person=Personalisation(skip_regions={Region.LOWER_BACK}))
    span, only = plan.entries
    assert span.setpoint.regions == (Region.MID_BACK,)
    assert only.setpoint.technique is Technique.NONE
    assert only.setpoint.regions == ()
    assert only.setpoint.airbags == {AirbagZone.WAIST: 1}
    assert plan.total_s == 120
    # Every setpoint carries what the rollers keep clear of, for the driver.
    assert all(e.setpoint.keep_off == {Region.LOWER_BACK} for e in plan.entries)
    assert any("rollers rest here: lower_back is skipped" in a.message for a in plan.adjustments)


def test_a_span_an_exclusion_cuts_in_two_runs_as_its_parts(
    write_program: Callable[..., Path],
) -> None:
    program = load(
        write_program,
        "  - {name: Sweep, duration: 4m, technique: roll, region: "
        "[upper_back, mid_back, lower_back, sacrum_glutes], intensity: 2}\n",
    )
    plan = compile_program(program, person=Personalisation(skip_regions={Region.LOWER_BACK}))
    parts = [(e.start_s, e.duration_s, e.setpoint.regions) for e in plan.entries]
    # Two regions then one: each part gets its share of the step's four minutes.
    assert parts == [
        (0.0, 160.0, (Region.UPPER_BACK, Region.MID_BACK)),
        (160.0, 80.0, (Region.SACRUM_GLUTES,)),
    ]
    (said,) = [a.message for a in plan.adjustments if "skipped" in a.message]
    assert said == (
        "lower_back skipped for you: the rollers work upper back to mid back then sacrum "
        "glutes, each for its share of the step"
    )


def test_offset_never_pushes_the_neck_past_its_cap(write_program: Callable[..., Path]) -> None:
    program = load(
        write_program,
        "  - {name: Neck, duration: 2m, technique: knead, region: [neck, shoulders], intensity: 2}\n",
    )
    plan = compile_program(program, person=Personalisation(intensity_offset=2))
    assert {e.setpoint.intensity for e in plan.entries} == {NECK_MAX_INTENSITY}
    assert any("intensity at the neck is capped at 2" in a.message for a in plan.adjustments)


def test_fitting_to_a_smaller_chair(write_program: Callable[..., Path]) -> None:
    program = load(
        write_program,
        """\
  - {name: Glide, duration: 1m, technique: swedish, region: [lower_back, sacrum_glutes], heat: {lumbar: medium, calves: low}, posture: zero_g_2, airbags: {feet: 2, seat: 1}}
""",
    )
    chair = FULL_FEATURED.model_copy(
        update={
            "track": TrackType.S,
            "techniques": frozenset({Technique.KNEAD, Technique.ROLL, Technique.NONE}),
            "heaters": frozenset({Heater.LUMBAR}),
            "heat_levels": frozenset({HeatLevel.OFF, HeatLevel.HIGH}),
            "postures": frozenset({Posture.UPRIGHT, Posture.RECLINE}),
            "airbag_zones": frozenset({AirbagZone.SEAT}),
        }
    )
    (entry,) = compile_program(program, chair=chair).entries
    setpoint = entry.setpoint
    assert setpoint.technique is Technique.ROLL
    assert setpoint.regions == (Region.LOWER_BACK,)
    # Never warmer than asked: no level at or below medium exists, so no heat at all.
    assert setpoint.heat == {}
    assert setpoint.posture is Posture.RECLINE
    assert setpoint.airbags == {AirbagZone.SEAT: 1}


def test_a_region_the_track_cannot_reach_is_refused(write_program: Callable[..., Path]) -> None:
    program = load(
        write_program, "  - {name: Glutes, duration: 1m, technique: knead, region: sacrum_glutes}\n"
    )
    s_track = FULL_FEATURED.model_copy(update={"track": TrackType.S})
    with pytest.raises(PlanError, match=r"line 9: .* sacrum_glutes, which this chair's S track"):
        compile_program(program, chair=s_track)


def _respects(plan: Plan, person: Personalisation) -> None:
    """Every entry within the person's limits and the hard rules, the start ramp counted from
    the start of each unbroken run of roller work (worked out here from the entries alone)."""
    contact: float | None = None
    heat = 0.0
    for entry in plan.entries:
        setpoint = entry.setpoint
        if setpoint.rollers_active:
            contact = entry.start_s if contact is None else contact
            since = entry.start_s - contact
            assert setpoint.intensity <= person.max_intensity
            assert setpoint.intensity <= roller_cap(since)
            assert not person.skip_regions & set(setpoint.regions)
            assert person.skip_regions <= setpoint.keep_off
            if not person.percussion_allowed:
                assert setpoint.technique not in PERCUSSION
        else:
            contact = None
        moment = Moment(entry.start_s, 600, 600, heat)
        assert violations(setpoint, moment, person) == []
        if not person.heat_allowed:
            assert setpoint.heat == {}
        if setpoint.heat:
            heat += entry.duration_s
        if entry.start_s < START_RAMP_S:
            assert setpoint.intensity <= START_MAX_INTENSITY or not setpoint.rollers_active
    assert heat <= HEAT_MAX_S


people = st.builds(
    Personalisation,
    intensity_offset=st.integers(-2, 2),
    max_intensity=st.integers(1, 5),
    skip_regions=st.frozensets(st.sampled_from(list(Region))),
    heat_allowed=st.booleans(),
    percussion_allowed=st.booleans(),
)


@settings(max_examples=150, deadline=None)
@given(program=st.sampled_from(LIBRARY), person=people)
def test_every_plan_respects_the_person_and_the_rules(
    program: Program, person: Personalisation
) -> None:
    plan = compile_program(program, person=person)
    _respects(plan, person)
    assert plan.total_s <= 30 * 60
    # Nothing is lost or gained in time: a plan lasts as long as its program.
    assert plan.total_s == pytest.approx(sum(s.duration_s for s in program.run_order()))


@pytest.mark.parametrize("program", LIBRARY, ids=lambda p: p.id)
def test_library_compiles_for_the_reference_chair(program: Program) -> None:
    plan = compile_program(
        program, chair=get_model_as("rongtai-rt8600s", RongtaiModel).capabilities
    )
    _respects(plan, Personalisation())
    assert plan.seconds_per_region()
