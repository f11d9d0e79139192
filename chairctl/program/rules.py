"""The rules of a program file that need the whole file: each is a located problem.

Per-field checks live in the schema. Here: the id matches the file name, each step resolves
(technique, region, duration set in the step or in ``defaults``), the neck is never given
percussion or more than intensity 2, the program fits the 30-minute session cap, and it does
not expand into more setpoints than a chair can be sent.
"""

from __future__ import annotations

from collections.abc import Iterator

from chairctl.program.duration import format_duration
from chairctl.program.schema import Program, Ramp, Step
from chairctl.vocabulary import PERCUSSION, Problem
from chairctl.vocabulary.limits import MAX_SETPOINTS, NECK, NECK_MAX_INTENSITY, SESSION_CAP_S
from chairctl.yamlsource import SourceDocument

_MISSING_HELP = {
    "technique": "set 'technique' in the step or in defaults",
    "region": "set 'region' in the step or in defaults (only stretch and none need none)",
    "duration": "set 'duration' in the step or in defaults",
}


def _field_path(
    program: Program, step: Step, step_path: tuple[str | int, ...], name: str
) -> tuple[str | int, ...]:
    """Where a resolved field was written: in the step, else in defaults, else the step."""
    if getattr(step, name) is not None:
        return (*step_path, name)
    if program.defaults is not None and getattr(program.defaults, name) is not None:
        return ("defaults", name)
    return step_path


def check_program(program: Program, doc: SourceDocument) -> list[Problem]:
    """Every whole-file problem of ``program`` read from ``doc``."""
    problems: list[Problem] = []
    if program.id != doc.path.stem:
        problems.append(
            Problem(
                doc.value_location(("id",)),
                f"id '{program.id}' must equal the file name without .yaml ('{doc.path.stem}')",
            )
        )
    problems.extend(_step_problems(program, doc))
    # The size needs every step's duration and levels; the id, the neck rules and the size
    # are independent of each other, so all are said at once.
    if _complete(program):
        problems.extend(_size_problems(program, doc))
    return problems


def _complete(program: Program) -> bool:
    """True when every step resolves (with the defaults) to a whole step."""
    try:
        for step, _, _ in program.walk():
            program.effective(step)
    except ValueError:
        return False
    return True


def _step_problems(program: Program, doc: SourceDocument) -> Iterator[Problem]:
    for step, _, path in program.walk():
        try:
            effective = program.effective(step)
        except ValueError as missing:
            field = str(missing)
            yield Problem(
                doc.value_location(path),
                f"step '{step.name}' has no {field}: {_MISSING_HELP[field]}",
            )
            continue
        if NECK not in effective.regions:
            continue
        if effective.technique in PERCUSSION:
            yield Problem(
                doc.value_location(_field_path(program, step, path, "technique")),
                f"step '{step.name}': percussion ({effective.technique}) is never allowed at "
                "the neck; use knead, shiatsu or roll there",
            )
        if effective.highest_intensity > NECK_MAX_INTENSITY:
            shown = (
                f"ramps to {effective.highest_intensity}"
                if isinstance(effective.intensity, Ramp)
                else f"is {effective.highest_intensity}"
            )
            yield Problem(
                doc.value_location(_field_path(program, step, path, "intensity")),
                f"step '{step.name}': intensity at the neck may be at most "
                f"{NECK_MAX_INTENSITY}; it {shown}",
            )


def total_seconds(program: Program) -> int:
    """How long the program runs, repeats included."""
    return sum(effective.duration_s * times for effective, times in program.effective_steps())


def setpoint_count(program: Program) -> int:
    """How many setpoints the program expands into (each ramp level is one)."""
    return sum(len(effective.levels) * times for effective, times in program.effective_steps())


def _size_problems(program: Program, doc: SourceDocument) -> Iterator[Problem]:
    where = doc.key_location(("steps",))
    total = total_seconds(program)
    if total > SESSION_CAP_S:
        yield Problem(
            where,
            f"the program runs {format_duration(total)}; a session may last at most "
            f"{format_duration(SESSION_CAP_S)}",
        )
    count = setpoint_count(program)
    if count > MAX_SETPOINTS:
        yield Problem(
            where,
            f"the program expands into {count:,} setpoints (repeats and ramp levels); "
            f"at most {MAX_SETPOINTS:,} are allowed",
        )
