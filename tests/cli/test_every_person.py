"""Safe for every person: each finding that issue 14 reproduced, judged again on the simulated
chair's ground truth, on every family it applies to.

Each test runs the whole stack (compiler, engine, session, codec, simulated chair) through
``chairctl check``'s runner for one person of a population, and asks the simulator's judge
what physically happened. Before the fixes each of these found a violation: the judge's rules
(depth at the neck and above the person's cap, a gentle start per contact, regions kept off,
airbags no harder than asked and the person allows, heat at the skin and in minutes) are the
ones a real chair would have broken.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from chairctl.cli.check import check_program, run_checks
from chairctl.cli.population import Person
from chairctl.plan import compile_program
from chairctl.program import load_program
from chairctl.safety import Personalisation
from chairctl.vocabulary import Region
from drivers.families import FAMILIES
from drivers.models import ChairModel, get_model
from tests.conftest import PROGRAMS

#: Runs the whole stack for many people: minutes, not seconds.
pytestmark = pytest.mark.slow

#: One chair of each registered family.
MODELS = [get_model(family.example_model) for family in FAMILIES.values()]
RONGTAI = MODELS[0]
#: A program every family's chair can run (NCNI's S track reaches no glutes).
EVERYWHERE = PROGRAMS / "morning-loosen-up.yaml"

family = pytest.mark.parametrize("model", MODELS, ids=lambda m: m.family)


def judged(path: Path, model: ChairModel, person: Person) -> list[str]:
    check = check_program(path, model, sitter=person)
    assert check.outcome in ("completed", "refused"), (check.outcome, check.reason)
    return check.violations


@family
@pytest.mark.parametrize("tier", ["cleared", "guest", "teen", "pregnant"])
def test_a_live_plus_is_held_to_each_persons_cap(model: ChairModel, tier: str) -> None:
    # "+" pressed over and over, early and mid-session: the depth never passes their cap
    # (an 82-year-old with cleared osteoporosis: 1; a guest, a 13-year-old, pregnant: 2).
    assert judged(EVERYWHERE, model, Person(tier=tier, live="stronger")) == []


@family
def test_a_firm_sitter_gets_no_depth_at_the_neck(model: ChairModel) -> None:
    # The reproduction: +2 on every step, then neck-and-shoulders-release. The chair at its
    # top strength used to walk toward the neck before lowering the depth.
    program = PROGRAMS / "neck-and-shoulders-release.yaml"
    assert judged(program, model, Person(tier="firm")) == []
    assert judged(program, model, Person(tier="firm", live="stronger")) == []


def test_a_shoulder_line_of_9_gets_no_neck_work_from_any_library_program() -> None:
    # The chair's scan finds 9.0, inside its window; regions used to be placed from the model's
    # average (10): shoulder tapping then landed on the neck, neck steps above it.
    people = [Person(body=9.0), Person(body=9.0, tier="firm")]
    files = sorted(PROGRAMS.glob("*.yaml"))
    checks, invalid = run_checks(files, [RONGTAI], people, safety_only=True, jobs=2)
    assert invalid == []
    assert {(c.program_id, c.person): c.violations for c in checks if c.violations} == {}


@family
def test_the_rollers_start_gently_by_contact_not_by_the_clock(
    model: ChairModel, write_program: Callable[..., Path]
) -> None:
    # A first minute of rest, then the rollers at 5 and the airbags at 5 at once: each starts
    # gently on its own contact, and again after a pause.
    zone = {"rongtai-h10": "waist", "tuya-mcu": "arms", "ncni": "calves", "korean-ascii": "calves"}[
        model.family
    ]
    program = write_program(
        textwrap.dedent(
            f"""\
            format: 1
            id: {{id}}
            name: Strong after a rest
            summary: Rest, then strong at once.
            description: For the tests.
            category: relaxation
            goals: [tension]
            steps:
              - {{name: Rest, duration: 1m, technique: none}}
              - {{name: Strong, duration: 4m, technique: knead, region: mid_back,
                  intensity: 5, airbags: {{{zone}: 5}}}}
            """
        )
    )
    assert judged(program, model, Person()) == []
    assert judged(program, model, Person(live="pause")) == []


@family
@pytest.mark.parametrize(
    "region", [Region.SHOULDERS, Region.MID_BACK, Region.LOWER_BACK, Region.SACRUM_GLUTES]
)
def test_a_region_kept_off_is_never_worked(model: ChairModel, region: Region) -> None:
    program = PROGRAMS / "swedish-flow.yaml"
    if model.family == "ncni" and region is Region.SACRUM_GLUTES:
        program = EVERYWHERE
    assert judged(program, model, Person(tier="cautions", exclusion=region)) == []


def test_no_library_program_is_refused_for_an_exclusion_it_can_run_around() -> None:
    # Excluding the lower back used to refuse 14 of 21 programs ("not one unbroken span").
    person = Personalisation(skip_regions=frozenset({Region.LOWER_BACK}))
    session = RONGTAI.capabilities
    for path in sorted(PROGRAMS.glob("*.yaml")):
        plan = compile_program(load_program(path), person=person, chair=session)
        for entry in plan.entries:
            assert Region.LOWER_BACK not in entry.setpoint.regions
        check = check_program(path, RONGTAI, person=person)
        assert check.outcome == "completed", (path.stem, check.reason)
        assert check.violations == [], path.stem


@family
def test_fragile_people_get_gentle_airbags_and_heat_within_its_limits(model: ChairModel) -> None:
    # Osteoporosis and blood thinners, cleared: airbags at most 1; diabetes: no heat; and for
    # everyone, the heater's skin temperature and its minutes per session.
    for tier in ("cleared", "pregnant", "cautions", "as-written"):
        assert judged(PROGRAMS / "legs-and-circulation.yaml", model, Person(tier=tier)) == []
