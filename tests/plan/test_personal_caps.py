"""The compiler applies the caps health screening adds: no stretch, airbags off, shorter session."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from chairctl.plan import Personalisation, Plan, compile_program
from chairctl.program import Program, load_program
from chairctl.vocabulary import AirbagZone, Region, Technique
from drivers.models import get_model_as
from drivers.models.rongtai import RongtaiModel
from tests.conftest import MINIMAL


def load(write_program: Callable[..., Path], steps: str) -> Program:
    head = MINIMAL.split("steps:\n")[0]
    return load_program(write_program(head + "steps:\n" + steps))


def messages(plan: Plan) -> set[tuple[int, str]]:
    return {(a.line, a.message) for a in plan.adjustments}


def test_no_stretch_rests_the_chair_and_keeps_the_rest(write_program: Callable[..., Path]) -> None:
    program = load(
        write_program,
        """\
  - {name: Stretch, duration: 1m, technique: stretch, airbags: {calves: 1}}
  - {name: Knead, duration: 1m, technique: knead, region: lower_back}
""",
    )
    plan = compile_program(program, person=Personalisation(stretch_allowed=False))
    stretch, knead = plan.entries
    assert stretch.setpoint.technique is Technique.NONE
    assert stretch.setpoint.airbags == {AirbagZone.CALVES: 1}
    assert knead.setpoint.technique is Technique.KNEAD
    assert (9, "no stretch for you: the chair rests instead") in messages(plan)
    assert plan.total_s == 120
    # Allowed, the stretch stays.
    assert compile_program(program).entries[0].setpoint.technique is Technique.STRETCH


def test_airbags_off_deflates_only_those_zones(write_program: Callable[..., Path]) -> None:
    program = load(
        write_program,
        """\
  - {name: Legs, duration: 1m, technique: knead, region: lower_back, airbags: {calves: 3, feet: 2, waist: 1}}
""",
    )
    person = Personalisation(airbags_off=frozenset({AirbagZone.CALVES, AirbagZone.FEET}))
    plan = compile_program(program, person=person)
    assert all(e.setpoint.airbags == {AirbagZone.WAIST: 1} for e in plan.entries)
    assert (9, "calves, feet airbags off for you") in messages(plan)


def test_a_shorter_session_scales_the_whole_plan(write_program: Callable[..., Path]) -> None:
    program = load(
        write_program,
        """\
  - {name: A, duration: 4m, technique: knead, region: lower_back, intensity: {from: 1, to: 3}}
  - {name: B, duration: 4m, technique: roll, region: mid_back}
  - {name: C, duration: 4m, technique: knead, region: upper_back, intensity: {from: 3, to: 1}}
""",
    )
    assert compile_program(program).total_s == 720
    plan = compile_program(program, person=Personalisation(max_minutes=6))
    assert plan.total_s == pytest.approx(360)
    # Every step keeps its place and half its length: the gentle end is still there.
    spans: dict[str, float] = {}
    for entry in plan.entries:
        spans[entry.step] = spans.get(entry.step, 0) + entry.duration_s
    assert spans == pytest.approx({"A": 120, "B": 120, "C": 120})
    assert plan.entries[-1].setpoint.intensity == 1
    assert (
        9,
        "the program is scaled to 6 minutes for you (every step 50% of its length)",
    ) in messages(plan)


def test_focus_gives_the_region_more_time_within_the_same_total(
    write_program: Callable[..., Path],
) -> None:
    program = load(
        write_program,
        """\
  - {name: Lower, duration: 4m, technique: knead, region: lower_back}
  - {name: Upper, duration: 4m, technique: knead, region: upper_back}
  - {name: Rest, duration: 1m, technique: none, airbags: {calves: 2}}
""",
    )
    plan = compile_program(program, person=Personalisation(focus_region=Region.LOWER_BACK))
    assert plan.total_s == pytest.approx(540)
    seconds = plan.seconds_per_region()
    assert seconds[Region.LOWER_BACK] == pytest.approx(300)
    assert seconds[Region.UPPER_BACK] == pytest.approx(180)
    assert (9, "more time on lower_back, as you prefer") in messages(plan)


def test_a_zone_inflated_together_with_one_kept_off_goes_off_too(
    write_program: Callable[..., Path],
) -> None:
    # On the RT8600S one key inflates seat and thighs: with thighs off, the seat must go too,
    # or its key would inflate the thighs as well.
    program = load(
        write_program,
        """\
  - {name: Seat, duration: 1m, technique: knead, region: lower_back, airbags: {seat: 3, waist: 2}}
""",
    )
    person = Personalisation(airbags_off=frozenset({AirbagZone.THIGHS}))
    grouped = get_model_as("rongtai-rt8600s", RongtaiModel).capabilities
    assert grouped.inflated_with(AirbagZone.SEAT) == {AirbagZone.SEAT, AirbagZone.THIGHS}
    plan = compile_program(program, person=person, chair=grouped)
    assert all(set(e.setpoint.airbags) == {AirbagZone.WAIST} for e in plan.entries)
    assert (
        9,
        "seat airbags off: this chair inflates them together with thighs, which stay off for you",
    ) in messages(plan)
    # A chair that inflates each zone on its own keeps the seat; so does a person without the cap.
    assert compile_program(program, person=person).entries[0].setpoint.airbags[AirbagZone.SEAT]
    free = compile_program(program, chair=grouped)
    assert AirbagZone.SEAT in free.entries[0].setpoint.airbags
