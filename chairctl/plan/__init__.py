"""The compiler: Program + Personalisation + chair capabilities → Plan (a safe timeline)."""

from chairctl.plan.compiler import compile_program
from chairctl.plan.fitting import SUBSTITUTES, fit_step
from chairctl.plan.plan import Adjustment, Plan, PlanEntry
from chairctl.safety.personalisation import AS_WRITTEN, Personalisation

__all__ = [
    "AS_WRITTEN",
    "SUBSTITUTES",
    "Adjustment",
    "Personalisation",
    "Plan",
    "PlanEntry",
    "compile_program",
    "fit_step",
]
