"""The compiler applies the caps health screening adds: no stretch, airbags off, shorter session."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from chairctl.plan import Personalisation, compile_program
from chairctl.program import Program, load_program
from chairctl.vocabulary import AirbagZone, Technique
from tests.conftest import MINIMAL


def load(write_program: Callable[..., Path], steps: str) -> Program:
    head = MINIMAL.split("steps:\n")[0]
    return load_program(write_program(head + "steps:\n" + steps))


def messages(plan: object) -> set[tuple[int, str]]:
    return {(a.line, a.message) for a in plan.adjustments}  # type: ignore[attr-defined]


def test_no_stretch_rests_the_chair_and_keeps_the_rest(write_program: Callable[..., Path]) -> None:
    program = load(
        write_program,
        """\
  - {name: Stretch, duration: 1m, technique: stretch, airbags: {calves: 2}}
  - {name: Knead, duration: 1m, technique: knead, region: lower_back}
""",
    )
    plan = compile_program(program, person=Personalisation(stretch_allowed=False))
    stretch, knead = plan.entries
    assert stretch.setpoint.technique is Technique.NONE
    assert stretch.setpoint.airbags == {AirbagZone.CALVES: 2}
    assert knead.setpoint.technique is Technique.KNEAD
    assert (9, "no stretch, as your profile asks: the chair rests here") in messages(plan)
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
    assert (9, "calves, feet airbags off, as your profile asks") in messages(plan)


def test_a_shorter_session_ends_the_plan_early(write_program: Callable[..., Path]) -> None:
    program = load(
        write_program,
        """\
  - {name: A, duration: 4m, technique: knead, region: lower_back, intensity: {from: 1, to: 3}}
  - {name: B, duration: 4m, technique: roll, region: mid_back}
  - {name: C, duration: 4m, technique: knead, region: upper_back}
""",
    )
    plan = compile_program(program, person=Personalisation(max_minutes=5))
    assert plan.total_s == 300
    assert [e.step for e in plan.entries][-1] == "B"
    assert (10, "the session ends at 5 minutes for you") in messages(plan)
    # Cut at a step boundary: the step that does not run carries the note.
    plan = compile_program(program, person=Personalisation(max_minutes=8))
    assert plan.total_s == 480
    assert (11, "the session ends at 8 minutes for you") in messages(plan)
    assert compile_program(program).total_s == 720
