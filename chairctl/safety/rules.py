"""The hard rules for a setpoint at a given moment of a session, as checks and as corrections.

Each rule is written once and used two ways: :func:`violations` says what a setpoint breaks
(the runtime guard refuses such a setpoint), and :func:`enforce` returns the nearest setpoint
that breaks nothing (the compiler and the engine's live changes use it, and report the change).

Two kinds of rule, applied in this order:

- the person's limits (:class:`~chairctl.safety.personalisation.Personalisation`): intensity,
  airbags, percussion, stretch, heat, recline and the regions their profile or health answers
  exclude, each with the reason in words ("capped at 1 for you (osteoporosis)");
- the hard rules every session obeys (docs/sources.md sections 3.2 and 5.2): the session cap,
  no percussion and at most intensity 2 at the neck, a gentle start by contact
  (:mod:`chairctl.safety.ramp`), and at most :data:`HEAT_MAX_S` of heat per session.

A :class:`Moment` says where the session stands: its time, how long the rollers and the airbags
have been in contact, and how much heat it has given.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from chairctl.safety.personalisation import AS_WRITTEN, Personalisation
from chairctl.safety.ramp import airbag_cap, roller_cap
from chairctl.vocabulary import PERCUSSION, SAFE_SETPOINT, Posture, Setpoint, Technique
from chairctl.vocabulary.limits import (
    HEAT_MAX_S,
    NECK,
    NECK_MAX_INTENSITY,
    SESSION_CAP_S,
    START_MAX_AIRBAG,
    START_MAX_INTENSITY,
    START_RAMP_S,
)


@dataclass(frozen=True)
class Moment:
    """Where a session stands when a setpoint is to take effect."""

    #: Session (massage) time, seconds.
    elapsed_s: float = 0.0
    #: Seconds the rollers have been in contact; None when at rest (this setpoint begins it).
    rollers_contact_s: float | None = None
    #: Seconds the airbags have been in contact; None when at rest.
    airbags_contact_s: float | None = None
    #: Seconds of heat the session has given so far.
    heat_s: float = 0.0


@dataclass(frozen=True)
class Correction:
    """What a rule changed in a setpoint, and why, in words for a person.

    ``personal`` rules come from the person's limits; the others hold for everyone.
    """

    rule: str
    message: str
    personal: bool = False


Check = Callable[[Setpoint, Moment, Personalisation], bool]
Fix = Callable[[Setpoint, Moment, Personalisation], Setpoint]
Words = Callable[[Setpoint, Moment, Personalisation], str]


@dataclass(frozen=True)
class _Rule:
    name: str
    broken: Check
    fix: Fix
    message: Words
    personal: bool = False


def _at_neck(setpoint: Setpoint) -> bool:
    return setpoint.rollers_active and NECK in setpoint.regions


def _released(setpoint: Setpoint) -> bool:
    """True when ``setpoint`` asks for nothing: the safe state (whatever it keeps off)."""
    return setpoint.model_copy(update={"keep_off": frozenset()}) == SAFE_SETPOINT


def _listed(items: frozenset[str] | set[str] | tuple[str, ...]) -> str:
    return ", ".join(sorted(item.replace("_", " ") for item in items))


def _update(setpoint: Setpoint, **changes: object) -> Setpoint:
    # Through the validators again (regions top first, airbags and heat tidied).
    return Setpoint.model_validate({**setpoint.model_dump(), **changes})


def _without_regions(sp: Setpoint, _m: Moment, p: Personalisation) -> Setpoint:
    left = tuple(r for r in sp.regions if r not in p.skip_regions)
    if not left:
        return _update(sp, technique=Technique.NONE, regions=())
    return _update(sp, regions=left)


def _airbags_at_most(sp: Setpoint, top: int) -> Setpoint:
    return _update(sp, airbags={zone: min(level, top) for zone, level in sp.airbags.items()})


#: The person's limits, in the order they apply.
PERSONAL_RULES: tuple[_Rule, ...] = (
    _Rule(
        "person-regions",
        lambda sp, m, p: sp.rollers_active and bool(p.skip_regions & set(sp.regions)),
        _without_regions,
        lambda sp, m, p: (
            f"{_listed(p.skip_regions & set(sp.regions))} skipped for you{p.why('regions')}"
        ),
        personal=True,
    ),
    _Rule(
        "person-keep-off",
        lambda sp, m, p: not p.skip_regions <= sp.keep_off,
        lambda sp, m, p: _update(sp, keep_off=sp.keep_off | p.skip_regions),
        lambda sp, m, p: f"the rollers keep clear of {_listed(p.skip_regions)}{p.why('regions')}",
        personal=True,
    ),
    _Rule(
        "person-stretch",
        lambda sp, m, p: sp.technique is Technique.STRETCH and not p.stretch_allowed,
        lambda sp, m, p: _update(sp, technique=Technique.NONE),
        lambda sp, m, p: f"no stretch for you{p.why('stretch')}: the chair rests instead",
        personal=True,
    ),
    _Rule(
        "person-percussion",
        lambda sp, m, p: (
            sp.rollers_active and sp.technique in PERCUSSION and not p.percussion_allowed
        ),
        lambda sp, m, p: _update(sp, technique=Technique.KNEAD),
        lambda sp, m, p: f"no percussion for you{p.why('percussion')}: kneading instead",
        personal=True,
    ),
    _Rule(
        "person-intensity",
        lambda sp, m, p: sp.rollers_active and sp.intensity > p.max_intensity,
        lambda sp, m, p: _update(sp, intensity=p.max_intensity),
        lambda sp, m, p: f"intensity capped at {p.max_intensity} for you{p.why('intensity')}",
        personal=True,
    ),
    _Rule(
        "person-airbags-off",
        lambda sp, m, p: bool(p.airbags_off & set(sp.airbags)),
        lambda sp, m, p: _update(
            sp, airbags={z: v for z, v in sp.airbags.items() if z not in p.airbags_off}
        ),
        lambda sp, m, p: (
            f"{_listed(p.airbags_off & set(sp.airbags))} airbags off for you{p.why('airbags-off')}"
        ),
        personal=True,
    ),
    _Rule(
        "person-airbag-level",
        lambda sp, m, p: any(level > p.max_airbag for level in sp.airbags.values()),
        lambda sp, m, p: _airbags_at_most(sp, p.max_airbag),
        lambda sp, m, p: (
            f"airbags capped at {p.max_airbag} for you{p.why('airbags')}"
            if p.max_airbag
            else f"airbags off for you{p.why('airbags')}"
        ),
        personal=True,
    ),
    _Rule(
        "person-heat",
        lambda sp, m, p: bool(sp.heat) and not p.heat_allowed,
        lambda sp, m, p: _update(sp, heat={}),
        lambda sp, m, p: f"no heat for you{p.why('heat')}",
        personal=True,
    ),
    _Rule(
        "person-recline",
        lambda sp, m, p: sp.posture is not Posture.UPRIGHT and not p.recline_allowed,
        lambda sp, m, p: _update(sp, posture=Posture.UPRIGHT),
        lambda sp, m, p: f"no recline for you{p.why('recline')}: the chair stays upright",
        personal=True,
    ),
)

#: The rules every session obeys, whoever is in the chair.
HARD_RULES: tuple[_Rule, ...] = (
    _Rule(
        "no-percussion-at-neck",
        lambda sp, m, p: _at_neck(sp) and sp.technique in PERCUSSION,
        lambda sp, m, p: _update(sp, technique=Technique.KNEAD),
        lambda sp, m, p: "percussion is never used at the neck: kneading instead",
    ),
    _Rule(
        "neck-intensity",
        lambda sp, m, p: _at_neck(sp) and sp.intensity > NECK_MAX_INTENSITY,
        lambda sp, m, p: _update(sp, intensity=NECK_MAX_INTENSITY),
        lambda sp, m, p: f"intensity at the neck is capped at {NECK_MAX_INTENSITY}",
    ),
    _Rule(
        "start-ramp",
        lambda sp, m, p: sp.rollers_active and sp.intensity > roller_cap(m.rollers_contact_s),
        lambda sp, m, p: _update(sp, intensity=roller_cap(m.rollers_contact_s)),
        lambda sp, m, p: (
            f"the rollers start gently: intensity is held at {START_MAX_INTENSITY} for the "
            f"first {START_RAMP_S} s of their contact, then rises one level at a time"
        ),
    ),
    _Rule(
        "start-ramp-airbags",
        lambda sp, m, p: any(v > airbag_cap(m.airbags_contact_s) for v in sp.airbags.values()),
        lambda sp, m, p: _airbags_at_most(sp, airbag_cap(m.airbags_contact_s)),
        lambda sp, m, p: (
            f"the airbags start gently: pressure is held at {START_MAX_AIRBAG} for the first "
            f"{START_RAMP_S} s of their contact, then rises one level at a time"
        ),
    ),
    _Rule(
        "heat-minutes",
        lambda sp, m, p: bool(sp.heat) and m.heat_s >= HEAT_MAX_S,
        lambda sp, m, p: _update(sp, heat={}),
        lambda sp, m, p: f"heat goes off after {HEAT_MAX_S // 60} minutes in a session",
    ),
)

_SESSION_CAP = _Rule(
    "session-cap",
    lambda sp, m, p: m.elapsed_s >= SESSION_CAP_S and not _released(sp),
    lambda sp, m, p: SAFE_SETPOINT.model_copy(update={"keep_off": sp.keep_off}),
    lambda sp, m, p: (
        f"the session cap of {SESSION_CAP_S // 60} minutes is reached: the chair is released"
    ),
)

#: Every rule, in the order :func:`enforce` applies them.
RULES: tuple[_Rule, ...] = (_SESSION_CAP, *PERSONAL_RULES, *HARD_RULES)


def violations(
    setpoint: Setpoint, moment: Moment, person: Personalisation = AS_WRITTEN
) -> list[Correction]:
    """The rules ``setpoint`` breaks at ``moment`` for ``person`` (empty when none)."""
    return [
        Correction(r.name, r.message(setpoint, moment, person), r.personal)
        for r in RULES
        if r.broken(setpoint, moment, person)
    ]


def enforce(
    setpoint: Setpoint, moment: Moment, person: Personalisation = AS_WRITTEN
) -> tuple[Setpoint, list[Correction]]:
    """The nearest setpoint that breaks no rule, and what was changed to get there."""
    corrections: list[Correction] = []
    for rule in RULES:
        if rule.broken(setpoint, moment, person):
            corrections.append(
                Correction(rule.name, rule.message(setpoint, moment, person), rule.personal)
            )
            setpoint = rule.fix(setpoint, moment, person)
    return setpoint, corrections
