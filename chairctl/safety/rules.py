"""The hard rules for a setpoint at a given moment of a session, as checks and as corrections.

Each rule is written once and used two ways: :func:`violations` says what a setpoint breaks
(the runtime guard refuses such a setpoint), and :func:`enforce` returns the nearest setpoint
that breaks nothing (the compiler uses it and reports the change). Sources: reference/
chair-domain.md section 5.2 — no percussion at the neck and at most intensity 2 there; start
low and ramp up over the first minute; nothing after the session cap.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from chairctl.vocabulary import PERCUSSION, SAFE_SETPOINT, Setpoint, Technique
from chairctl.vocabulary.limits import (
    NECK,
    NECK_MAX_INTENSITY,
    SESSION_CAP_S,
    START_MAX_INTENSITY,
    START_RAMP_S,
)


@dataclass(frozen=True)
class Correction:
    """What a rule changed in a setpoint, and why, in words for a person."""

    rule: str
    message: str


@dataclass(frozen=True)
class _Rule:
    name: str
    broken: Callable[[Setpoint, float], bool]
    fix: Callable[[Setpoint, float], Setpoint]
    message: str


def _at_neck(setpoint: Setpoint) -> bool:
    return setpoint.rollers_active and NECK in setpoint.regions


RULES: tuple[_Rule, ...] = (
    _Rule(
        "session-cap",
        lambda sp, t: t >= SESSION_CAP_S and sp != SAFE_SETPOINT,
        lambda sp, t: SAFE_SETPOINT,
        f"the session cap of {SESSION_CAP_S // 60} minutes is reached: the chair is released",
    ),
    _Rule(
        "no-percussion-at-neck",
        lambda sp, t: _at_neck(sp) and sp.technique in PERCUSSION,
        lambda sp, t: sp.model_copy(update={"technique": Technique.KNEAD}),
        "percussion is never used at the neck: kneading instead",
    ),
    _Rule(
        "neck-intensity",
        lambda sp, t: _at_neck(sp) and sp.intensity > NECK_MAX_INTENSITY,
        lambda sp, t: sp.model_copy(update={"intensity": NECK_MAX_INTENSITY}),
        f"intensity at the neck is capped at {NECK_MAX_INTENSITY}",
    ),
    _Rule(
        "start-ramp",
        lambda sp, t: t < START_RAMP_S and sp.intensity > START_MAX_INTENSITY,
        lambda sp, t: sp.model_copy(update={"intensity": START_MAX_INTENSITY}),
        f"sessions start gently: intensity is held at {START_MAX_INTENSITY} for the first "
        f"{START_RAMP_S} s",
    ),
)


def violations(setpoint: Setpoint, elapsed_s: float) -> list[Correction]:
    """The rules ``setpoint`` breaks ``elapsed_s`` seconds into a session (empty when none)."""
    return [Correction(r.name, r.message) for r in RULES if r.broken(setpoint, elapsed_s)]


def enforce(setpoint: Setpoint, elapsed_s: float) -> tuple[Setpoint, list[Correction]]:
    """The nearest setpoint that breaks no rule, and what was changed to get there."""
    corrections: list[Correction] = []
    for rule in RULES:
        if rule.broken(setpoint, elapsed_s):
            setpoint = rule.fix(setpoint, elapsed_s)
            corrections.append(Correction(rule.name, rule.message))
    return setpoint, corrections
