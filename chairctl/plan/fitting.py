"""Fitting a program step onto what one chair can physically do.

What the chair cannot do exactly is approximated in the gentler direction and reported (a
technique by its nearest relative, a heat level by a lower one or none, a posture by a less
reclined one); what it cannot do at all (a region its track does not reach, with nothing else
in the span) is refused before anything moves.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TypeVar

from chairctl.program import EffectiveStep
from chairctl.vocabulary import (
    ChairCapabilities,
    Heater,
    HeatLevel,
    PlanError,
    Posture,
    Technique,
    Width,
)
from chairctl.vocabulary.limits import CONTACT_MAX_C, START_MAX_AIRBAG

#: Nearest relatives of each technique, best first.
SUBSTITUTES: dict[Technique, tuple[Technique, ...]] = {
    Technique.SWEDISH: (Technique.ROLL, Technique.KNEAD),
    Technique.ROLL: (Technique.SWEDISH, Technique.KNEAD),
    Technique.SHIATSU: (Technique.KNEAD,),
    Technique.KNEAD_KNOCK: (Technique.KNOCK, Technique.TAP, Technique.KNEAD),
    Technique.TAP: (Technique.KNOCK, Technique.KNEAD),
    Technique.KNOCK: (Technique.TAP, Technique.KNEAD),
    Technique.STRETCH: (Technique.NONE,),
    Technique.KNEAD: (),
    Technique.NONE: (),
}

T = TypeVar("T")

_HEAT_ORDER = (HeatLevel.OFF, HeatLevel.LOW, HeatLevel.MEDIUM, HeatLevel.HIGH)
_POSTURE_ORDER = (Posture.UPRIGHT, Posture.RECLINE, Posture.ZERO_G_1, Posture.ZERO_G_2)


@dataclass(frozen=True)
class Fitted:
    """A step as the chair will run it, and what had to change."""

    step: EffectiveStep
    notes: tuple[tuple[str, str], ...]


def _gentler_or_equal(wanted: T, order: tuple[T, ...], available: frozenset[T]) -> T:
    """The strongest available value not beyond ``wanted`` (the first of ``order`` if none)."""
    for candidate in reversed(order[: order.index(wanted) + 1]):
        if candidate in available:
            return candidate
    return order[0]


def fit_step(step: EffectiveStep, chair: ChairCapabilities) -> Fitted:
    """``step`` mapped onto ``chair``; :class:`PlanError` when the chair cannot run it at all."""
    notes: list[tuple[str, str]] = []
    technique = step.technique
    if technique not in chair.techniques:
        substitute = next((t for t in SUBSTITUTES[technique] if t in chair.techniques), None)
        if substitute is None:
            raise PlanError(f"line {step.line}: this chair cannot do '{technique}'")
        notes.append(("approximation", f"this chair cannot do {technique}: {substitute} instead"))
        technique = substitute

    regions = step.regions
    if technique not in (Technique.NONE, Technique.STRETCH):
        reachable = tuple(r for r in regions if r in chair.regions)
        if not reachable:
            names = ", ".join(regions)
            raise PlanError(
                f"line {step.line}: step '{step.name}' works {names}, which this chair's "
                f"{chair.track} track cannot reach"
            )
        if reachable != regions:
            lost = ", ".join(r for r in regions if r not in reachable)
            notes.append(("approximation", f"this chair's track cannot reach {lost}: skipped"))
            regions = reachable

    width = step.width if step.width in chair.widths else Width.MEDIUM
    if width is not step.width:
        notes.append(("approximation", f"this chair has no {step.width} width: {width} instead"))

    airbags = {}
    fixed = chair.airbag_fixed_level
    if fixed is not None and fixed > START_MAX_AIRBAG and any(step.airbags.values()):
        # Every contact of the airbags starts at level 1; a chair that inflates only harder
        # than that cannot start gently, so its airbags are not used at all.
        notes.append(
            (
                "approximation",
                f"this chair's airbags have one pressure (level {fixed}), too firm for the "
                "gentle start: left out",
            )
        )
    for zone, pressure in (
        step.airbags.items() if fixed is None or fixed <= START_MAX_AIRBAG else ()
    ):
        if pressure and zone not in chair.airbag_zones:
            notes.append(("approximation", f"this chair has no {zone} airbags: left out"))
        elif pressure:
            airbags[zone] = pressure

    heat: dict[Heater, HeatLevel] = {}
    contact = chair.heat_contact_c
    too_hot = contact is not None and contact > CONTACT_MAX_C
    for heater, level in step.heat.items():
        if level is HeatLevel.OFF:
            continue
        if too_hot:
            notes.append(
                (
                    "approximation",
                    f"this chair's heater reaches about {contact:g} °C at the skin, above the "
                    f"{CONTACT_MAX_C:g} °C limit: left out",
                )
            )
            continue
        if heater not in chair.heaters:
            notes.append(("approximation", f"this chair has no {heater} heater: left out"))
            continue
        # Never warmer than asked: a chair without the level gets the next lower one, or none.
        fitted = _gentler_or_equal(level, _HEAT_ORDER, chair.heat_levels)
        if fitted is not level:
            notes.append(("approximation", f"this chair cannot heat at {level}: {fitted} instead"))
        if fitted is not HeatLevel.OFF:
            heat[heater] = fitted

    foot = min(step.foot_rollers, chair.foot_roller_speeds)
    if foot != step.foot_rollers:
        notes.append(
            ("approximation", f"this chair's foot rollers go to speed {chair.foot_roller_speeds}")
        )

    posture = _gentler_or_equal(step.posture, _POSTURE_ORDER, chair.postures)
    if posture is not step.posture:
        notes.append(("approximation", f"this chair cannot take {step.posture}: {posture}"))

    fitted_step = replace(
        step,
        technique=technique,
        regions=regions,
        width=width,
        airbags=airbags,
        heat=heat,
        foot_rollers=foot,
        posture=posture,
    )
    return Fitted(fitted_step, tuple(notes))
