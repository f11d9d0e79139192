"""Whether a program is for the screened person, once their limits apply to it on a chair.

The screening (:mod:`chairctl.safety.screening`) says what a person may have; whether
anything of one program is left for them takes compiling it with their limits, which is the
plan's work: so this lives here, and the safety package never imports the plan.
"""

from __future__ import annotations

from chairctl.plan.compiler import compile_program
from chairctl.program import Program
from chairctl.safety.screening import Screening, contraindicated_for
from chairctl.vocabulary import FULL_FEATURED, ChairCapabilities, Setpoint, Technique


def check_program_for(
    program: Program, screening: Screening, chair: ChairCapabilities = FULL_FEATURED
) -> list[str]:
    """Why ``program`` is not for the screened person, in plain words; empty when it is.

    A refused person gets the refusal; otherwise a program is not for them when it names one of
    their health answers among its contraindications (a clinician's clearance for massage in
    general does not reopen it), or when nothing of it is left once their caps apply (every
    step works a skipped region, or only stretches, ...). Raises :class:`PlanError` when
    ``chair`` cannot run the program at all.
    """
    if screening.blocked:
        return list(screening.blocked)
    not_meant = contraindicated_for(program, screening)
    if not_meant is not None:
        return [not_meant]
    plan = compile_program(program, person=screening.personalisation(), chair=chair)
    if any(_does_something(entry.setpoint) for entry in plan.entries):
        return []
    said = screening.caps.describe()
    return [
        f"Nothing of {program.name} is left for you once your limits apply"
        + (f" ({said})" if said else "")
        + "; choose another program."
    ]


def _does_something(setpoint: Setpoint) -> bool:
    return (
        setpoint.rollers_active
        or setpoint.technique is Technique.STRETCH
        or bool(setpoint.airbags or setpoint.heat or setpoint.foot_rollers)
    )
