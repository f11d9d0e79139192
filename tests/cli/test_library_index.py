"""The generated library index is current, and the library covers what it promises.

The coverage tests compile every library program, for a full-featured chair and for the
reference chair, and look at the plans: what a person in the chair gets, not what the file says.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

import pytest

from chairctl.cli import main
from chairctl.plan import Plan, compile_program
from chairctl.program import Category, Program, load_program, total_seconds
from chairctl.vocabulary import (
    FULL_FEATURED,
    PERCUSSION,
    AirbagZone,
    ChairCapabilities,
    HeatLevel,
    Region,
    Technique,
    Width,
)
from drivers.models import DEFAULT_MODEL, get_model
from tests.conftest import PROGRAMS, REPO

INDEX = REPO / "docs" / "library.md"

CHAIRS: dict[str, ChairCapabilities] = {
    "full-featured": FULL_FEATURED,
    DEFAULT_MODEL: get_model(DEFAULT_MODEL).capabilities,
}

BACK = {Region.UPPER_BACK, Region.MID_BACK, Region.LOWER_BACK, Region.SACRUM_GLUTES}
LEGS = {AirbagZone.CALVES, AirbagZone.FEET, AirbagZone.THIGHS}


def test_committed_library_index_is_current(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["list", "--markdown"])
    out, err = capsys.readouterr()
    assert (exited.value.code, err) == (0, "")
    assert INDEX.read_text(encoding="utf-8") == out, (
        "docs/library.md is out of date: run `uv run chairctl list --markdown > docs/library.md`"
    )


def test_the_index_links_every_program_once() -> None:
    text = INDEX.read_text(encoding="utf-8")
    for path in PROGRAMS.glob("*.yaml"):
        assert text.count(f"](../programs/{path.name})") == 1, path.name


@cache
def _library() -> tuple[Program, ...]:
    return tuple(load_program(path) for path in sorted(PROGRAMS.glob("*.yaml")))


@cache
def _plan(program_id: str, chair: str) -> Plan:
    program = next(p for p in _library() if p.id == program_id)
    return compile_program(program, chair=CHAIRS[chair])


def _minutes(program: Program) -> float:
    return total_seconds(program) / 60


def _gentle(plan: Plan) -> bool:
    """Never above intensity 2, and no percussion."""
    rollers = [e.setpoint for e in plan.entries if e.setpoint.rollers_active]
    return all(s.intensity <= 2 and s.technique not in PERCUSSION for s in rollers)


def _winds_down(plan: Plan) -> bool:
    """Through the second half the rollers never get stronger, and they end at their lightest."""
    rollers = [e for e in plan.entries if e.setpoint.rollers_active]
    late = [e.setpoint.intensity for e in rollers if e.start_s >= plan.total_s / 2]
    lightest = min(e.setpoint.intensity for e in rollers)
    return bool(late) and late == sorted(late, reverse=True) and late[-1] == lightest


def _works_strain_muscles(plan: Plan) -> bool:
    """Quadratus lumborum (lower back, wide, waist airbags) and gluteus medius (seat airbags)."""
    ql = gm = False
    for entry in plan.entries:
        s = entry.setpoint
        if not s.rollers_active:
            continue
        if s.regions == (Region.LOWER_BACK,) and s.width is Width.WIDE:
            ql = ql or s.airbags.get(AirbagZone.WAIST, 0) > 0
        if s.regions == (Region.SACRUM_GLUTES,):
            gm = gm or s.airbags.get(AirbagZone.SEAT, 0) > 0
    return ql and gm


def _whole_body(plan: Plan) -> bool:
    """Mostly the back, and also the neck, the arms and the legs."""
    seconds = plan.seconds_per_region()
    back = sum(spent for region, spent in seconds.items() if region in BACK)
    zones = {zone for e in plan.entries for zone, level in e.setpoint.airbags.items() if level}
    return (
        back > 0.5 * sum(seconds.values())
        and seconds.get(Region.NECK, 0) > 0
        and AirbagZone.ARMS in zones
        and bool(zones & LEGS)
    )


def _trigger_points(plan: Plan) -> bool:
    """At least five minutes of shiatsu held on single regions."""
    held = sum(
        e.duration_s
        for e in plan.entries
        if e.setpoint.technique is Technique.SHIATSU and len(e.setpoint.regions) == 1
    )
    return held >= 300


@pytest.mark.parametrize("category", list(Category))
def test_every_category_has_a_program(category: Category) -> None:
    assert any(p.category is category for p in _library())


def test_short_and_long_programs() -> None:
    minutes = [_minutes(p) for p in _library()]
    assert sum(5 <= m <= 10 for m in minutes) >= 3
    assert any(25 <= m <= 30 for m in minutes)


@pytest.mark.parametrize("chair", CHAIRS)
@pytest.mark.parametrize("condition", ["osteoarthritis", "fibromyalgia", "older-adults"])
def test_programs_for_fragile_backs_stay_gentle(condition: str, chair: str) -> None:
    written_for = [p for p in _library() if condition in p.for_conditions]
    assert written_for, f"no program for {condition}"
    for program in written_for:
        assert _gentle(_plan(program.id, chair)), program.id


@pytest.mark.parametrize("chair", CHAIRS)
def test_osteoarthritis_programs_use_low_heat_and_no_stretch(chair: str) -> None:
    for program in (p for p in _library() if "osteoarthritis" in p.for_conditions):
        for entry in _plan(program.id, chair).entries:
            assert entry.setpoint.technique is not Technique.STRETCH, program.id
            assert set(entry.setpoint.heat.values()) <= {HeatLevel.LOW}, program.id


@pytest.mark.parametrize("chair", CHAIRS)
def test_fibromyalgia_programs_are_slow_and_whole_body(chair: str) -> None:
    for program in (p for p in _library() if "fibromyalgia" in p.for_conditions):
        plan = _plan(program.id, chair)
        assert all(e.setpoint.speed <= 2 for e in plan.entries), program.id
        assert BACK | {Region.SHOULDERS} <= set(plan.seconds_per_region()), program.id


@pytest.mark.parametrize("chair", CHAIRS)
def test_a_strain_program_works_the_ql_and_gluteus_medius_and_warns_of_acute_strain(
    chair: str,
) -> None:
    strain = [p for p in _library() if "muscle-strain" in p.for_conditions]
    assert any(_works_strain_muscles(_plan(p.id, chair)) for p in strain)
    for program in strain:
        assert any("acute" in caution for caution in program.cautions), program.id


def _whole_body_sweep(plan: Plan) -> bool:
    """The rollers sweep the whole back, from the shoulders to the buttocks, at some point."""
    whole = BACK | {Region.SHOULDERS}
    return any(set(e.setpoint.regions) >= whole for e in plan.entries)


def _sleep(program: Program, plan: Plan) -> bool:
    return program.category is Category.SLEEP and _winds_down(plan)


def _mood(program: Program, plan: Plan) -> bool:
    return "mood" in program.goals and _whole_body_sweep(plan)


def _mobility(program: Program, plan: Plan) -> bool:
    # A stretch becomes rollers at rest with airbags on a chair without one.
    stretches = (Technique.STRETCH, Technique.NONE)
    return "mobility" in program.goals and any(
        e.setpoint.technique in stretches and e.setpoint.airbags for e in plan.entries
    )


def _circulation(program: Program, plan: Plan) -> bool:
    return (
        "circulation" in program.goals
        and any(e.setpoint.foot_rollers for e in plan.entries)
        and any(e.setpoint.airbags.get(AirbagZone.CALVES, 0) for e in plan.entries)
        and any(e.setpoint.technique is Technique.ROLL for e in plan.entries)
    )


COVERAGE: dict[str, Callable[[Program, Plan], bool]] = {
    "a sleep program that winds down": _sleep,
    "a whole-body program": lambda _, plan: _whole_body(plan),
    "trigger-point work": lambda _, plan: _trigger_points(plan),
    "a rhythmic whole-body program for mood": _mood,
    "a mobility program with a stretch": _mobility,
    "a circulation program that works the legs": _circulation,
}


@pytest.mark.parametrize("chair", CHAIRS)
@pytest.mark.parametrize("what", COVERAGE)
def test_the_library_covers(what: str, chair: str) -> None:
    wanted = COVERAGE[what]
    assert any(wanted(p, _plan(p.id, chair)) for p in _library()), what


def test_the_swedish_program_asks_for_swedish() -> None:
    swedish = [p for p in _library() if p.category is Category.RELAXATION and "swedish" in p.id]
    assert swedish
    plan = compile_program(swedish[0])
    assert any(e.setpoint.technique is Technique.SWEDISH for e in plan.entries)


def test_the_deep_tissue_program_is_firm_and_warns_who_must_not_use_it() -> None:
    deep = [p for p in _library() if "deep-tissue" in p.id]
    assert deep
    for program in deep:
        plan = compile_program(program)
        assert max(e.setpoint.intensity for e in plan.entries) >= 4
        cautions = " ".join(program.cautions).lower()
        for word in ("osteoporosis", "blood thinners", "fracture"):
            assert word in cautions, (program.id, word)
