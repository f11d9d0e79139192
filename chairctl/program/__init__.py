"""Program format v1: schema, loader with located errors, whole-file rules, JSON Schema."""

from chairctl.program.duration import format_duration, parse_duration
from chairctl.program.loader import load_program, program_files
from chairctl.program.rules import setpoint_count, total_seconds
from chairctl.program.schema import (
    Category,
    Defaults,
    EffectiveStep,
    Goal,
    Program,
    Ramp,
    Repeat,
    Source,
    Step,
)

__all__ = [
    "Category",
    "Defaults",
    "EffectiveStep",
    "Goal",
    "Program",
    "Ramp",
    "Repeat",
    "Source",
    "Step",
    "format_duration",
    "load_program",
    "parse_duration",
    "program_files",
    "setpoint_count",
    "total_seconds",
]
