"""The compiler: a program, a person and a chair in; a timeline of safe setpoints out.

Order matters and is fixed: the program's steps (repeats unrolled, defaults applied) are fitted
to the chair, then personalised, then expanded into one setpoint per intensity level, and only
then passed through the safety rules, which always win. Every change is reported as an
:class:`Adjustment` carrying the source line it concerns.
"""

from __future__ import annotations

import itertools
from dataclasses import replace

from chairctl.plan.fitting import fit_step
from chairctl.plan.personalisation import AS_WRITTEN, Personalisation
from chairctl.plan.plan import Adjustment, Plan, PlanEntry
from chairctl.program import EffectiveStep, Program, Ramp
from chairctl.safety import enforce
from chairctl.vocabulary import (
    FULL_FEATURED,
    MIN_INTENSITY,
    PERCUSSION,
    ChairCapabilities,
    PlanError,
    Setpoint,
    Technique,
)
from chairctl.vocabulary.limits import MAX_SETPOINTS, SESSION_CAP_S, START_RAMP_S, STEP_MIN_S


class _Report:
    """Collects adjustments once each, in the order they are first met."""

    def __init__(self) -> None:
        self._seen: dict[tuple[int, str, str], Adjustment] = {}

    def add(self, line: int, kind: str, message: str) -> None:
        self._seen.setdefault((line, kind, message), Adjustment(line, kind, message))

    def all(self) -> tuple[Adjustment, ...]:
        return tuple(self._seen.values())


def _personalise(
    step: EffectiveStep, person: Personalisation, chair: ChairCapabilities, report: _Report
) -> EffectiveStep:
    line = step.line
    technique, regions, heat, airbags = step.technique, step.regions, step.heat, step.airbags

    # A stretch has no gentler form the chair could do instead, so the chair rests through it
    # (airbags, heat and foot rollers of the step stay, under the checks below).
    if technique is Technique.STRETCH and not person.stretch_allowed:
        technique = Technique.NONE
        report.add(line, "personal", "no stretch, as your profile asks: the chair rests here")
    rollers = technique not in (Technique.NONE, Technique.STRETCH)

    if rollers and person.skip_regions & set(regions):
        skipped = ", ".join(r for r in regions if r in person.skip_regions)
        regions = tuple(r for r in regions if r not in person.skip_regions)
        if regions:
            report.add(line, "personal", f"{skipped} skipped, as your profile asks")
        else:
            technique, rollers = Technique.NONE, False
            report.add(line, "personal", f"rollers rest here: {skipped} is skipped by your profile")

    if rollers and not person.percussion_allowed and technique in PERCUSSION:
        technique = Technique.KNEAD
        report.add(line, "personal", "no percussion, as your profile asks: kneading instead")

    if heat and not person.heat_allowed:
        heat = {}
        report.add(line, "personal", "heat off, as your profile asks")

    if off := sorted(z for z, level in airbags.items() if level > 0 and z in person.airbags_off):
        airbags = {z: level for z, level in airbags.items() if z not in person.airbags_off}
        report.add(line, "personal", f"{', '.join(off)} airbags off, as your profile asks")
    # A zone the chair can only inflate together with one that must stay off goes off too:
    # otherwise its key would inflate the other (seat and thighs share a key on some chairs).
    grouped_off = {
        zone: sorted(chair.inflated_with(zone) & person.airbags_off)
        for zone, level in airbags.items()
        if level > 0 and chair.inflated_with(zone) & person.airbags_off
    }
    if grouped_off:
        airbags = {z: level for z, level in airbags.items() if z not in grouped_off}
        for zone, with_off in sorted(grouped_off.items()):
            report.add(
                line,
                "personal",
                f"{zone} airbags off: this chair inflates them together with "
                f"{', '.join(with_off)}, which your profile keeps off",
            )

    def personal_level(level: int) -> int:
        return max(MIN_INTENSITY, min(person.max_intensity, level + person.intensity_offset))

    intensity = step.intensity
    if person.intensity_offset and any(personal_level(level) != level for level in step.levels):
        sign = "+" if person.intensity_offset > 0 else ""
        report.add(line, "personal", f"intensity {sign}{person.intensity_offset}, as you prefer")
    if any(level + person.intensity_offset > person.max_intensity for level in step.levels):
        report.add(line, "personal", f"intensity capped at {person.max_intensity} for you")
    adjusted = [personal_level(level) for level in step.levels]
    if adjusted != step.levels:
        intensity = (
            Ramp.model_validate({"from": adjusted[0], "to": adjusted[-1]})
            if isinstance(intensity, Ramp)
            else adjusted[0]
        )
    return replace(
        step,
        technique=technique,
        regions=regions,
        heat=heat,
        airbags=airbags,
        intensity=intensity,
    )


def _level_slices(step: EffectiveStep) -> list[tuple[float, float, int]]:
    """(offset, duration, level) for each intensity level of the step, merging repeats."""
    levels = step.levels
    width = step.duration_s / len(levels)
    slices: list[tuple[float, float, int]] = []
    for index, level in enumerate(levels):
        start, end = index * width, (index + 1) * width
        if slices and slices[-1][2] == level:
            first, _, _ = slices[-1]
            slices[-1] = (first, end - first, level)
        else:
            slices.append((start, end - start, level))
    return slices


def _setpoint(step: EffectiveStep, level: int) -> Setpoint:
    return Setpoint(
        technique=step.technique,
        regions=step.regions,
        intensity=level,
        speed=step.speed,
        width=step.width,
        airbags=step.airbags,
        heat=step.heat,
        foot_rollers=step.foot_rollers,
        posture=step.posture,
    )


def _safe_entries(
    start: float, duration: float, setpoint: Setpoint, step: EffectiveStep, report: _Report
) -> list[PlanEntry]:
    """Entries for one setpoint held over [start, start+duration), after the safety rules.

    The rules depend on time only at the start ramp and the session cap, so the span is cut at
    those boundaries and each piece is made safe on its own.
    """
    cuts = sorted(
        {start, start + duration}
        | {b for b in (START_RAMP_S, SESSION_CAP_S) if start < b < start + duration}
    )
    entries = []
    for piece_start, piece_end in itertools.pairwise(cuts):
        if piece_start >= SESSION_CAP_S:
            report.add(step.line, "safety", "the session cap of 30 minutes cuts the plan here")
            break
        safe, corrections = enforce(setpoint, piece_start)
        for correction in corrections:
            report.add(step.line, "safety", correction.message)
        entries.append(PlanEntry(piece_start, piece_end - piece_start, safe, step.line, step.name))
    return entries


#: How much of the focus region's time a focus may add, and how much of the other roller
#: steps' time it may take for that.
FOCUS_GAIN = 0.25
FOCUS_TAKE = 0.5


def _with_durations(steps: list[EffectiveStep], durations: list[float]) -> list[EffectiveStep]:
    # Whole seconds, never under the format's shortest step.
    return [
        replace(step, duration_s=max(STEP_MIN_S, round(seconds)))
        for step, seconds in zip(steps, durations, strict=True)
    ]


def _focus(
    steps: list[EffectiveStep], person: Personalisation, report: _Report
) -> list[EffectiveStep]:
    """More time on the person's focus region, taken from the other roller steps."""
    region = person.focus_region
    if region is None:
        return steps
    rollers = [s.technique not in (Technique.NONE, Technique.STRETCH) for s in steps]
    focus = [r and region in s.regions for s, r in zip(steps, rollers, strict=True)]
    other = [r and not f for r, f in zip(rollers, focus, strict=True)]
    focus_s = sum(s.duration_s for s, f in zip(steps, focus, strict=True) if f)
    other_s = sum(s.duration_s for s, o in zip(steps, other, strict=True) if o)
    if not focus_s or not other_s:
        return steps
    extra = min(FOCUS_GAIN * focus_s, FOCUS_TAKE * other_s)
    gain, take = 1 + extra / focus_s, 1 - extra / other_s
    durations = [
        s.duration_s * (gain if f else take if o else 1.0)
        for s, f, o in zip(steps, focus, other, strict=True)
    ]
    for step, f in zip(steps, focus, strict=True):
        if f:
            report.add(step.line, "personal", f"more time on {region}, as you prefer")
    return _with_durations(steps, durations)


def _fit_length(
    steps: list[EffectiveStep], person: Personalisation, report: _Report
) -> list[EffectiveStep]:
    """A plan longer than the person's length, scaled down to it, every step alike.

    Scaling keeps the program's shape (its gentle start and end) where cutting it short would
    lose the end.
    """
    if person.max_minutes is None:
        return steps
    total = sum(s.duration_s for s in steps)
    target = person.max_minutes * 60
    if total <= target:
        return steps
    factor = target / total
    if steps:
        report.add(
            steps[0].line,
            "personal",
            f"the program is scaled to {person.max_minutes} minutes for you "
            f"(every step {factor:.0%} of its length)",
        )
    return _with_durations(steps, [s.duration_s * factor for s in steps])


def compile_program(
    program: Program,
    *,
    person: Personalisation = AS_WRITTEN,
    chair: ChairCapabilities = FULL_FEATURED,
) -> Plan:
    """Compile ``program`` for ``person`` on ``chair`` into a :class:`Plan`.

    Raises :class:`PlanError` when the chair cannot run the program at all.
    """
    report = _Report()
    entries: list[PlanEntry] = []
    elapsed = 0.0
    # A person's shorter session ends the plan early; the plan's end is a safe release like any
    # other. The hard session cap is left to the safety rules below, which report it themselves.
    personal_end = None if person.max_minutes is None else person.max_minutes * 60
    ordered = _fit_length(_focus(list(program.run_order()), person, report), person, report)
    for written in ordered:
        if personal_end is not None and elapsed >= personal_end:
            report.add(
                written.line,
                "personal",
                f"the session ends at {person.max_minutes} minutes for you",
            )
            break
        fitted = fit_step(written, chair)
        for kind, message in fitted.notes:
            report.add(written.line, kind, message)
        step = _personalise(fitted.step, person, chair, report)
        for offset, duration, level in _level_slices(step):
            start, held = elapsed + offset, duration
            if personal_end is not None and start + held > personal_end:
                report.add(
                    step.line,
                    "personal",
                    f"the session ends at {person.max_minutes} minutes for you",
                )
                if start >= personal_end:
                    break
                held = personal_end - start
            entries.extend(_safe_entries(start, held, _setpoint(step, level), step, report))
        elapsed += step.duration_s
        if len(entries) > MAX_SETPOINTS:
            raise PlanError(
                f"the program expands into more than {MAX_SETPOINTS:,} setpoints; "
                "shorten its repeats or ramps"
            )
        if elapsed >= SESSION_CAP_S:
            break
    return Plan(
        program_id=program.id,
        program_name=program.name,
        entries=tuple(_merge(entries)),
        adjustments=report.all(),
    )


def _merge(entries: list[PlanEntry]) -> list[PlanEntry]:
    """Join neighbouring entries of the same step that ask for the same setpoint."""
    merged: list[PlanEntry] = []
    for entry in entries:
        last = merged[-1] if merged else None
        if (
            last is not None
            and last.setpoint == entry.setpoint
            and last.line == entry.line
            and last.step == entry.step
            and abs(last.end_s - entry.start_s) < 1e-9
        ):
            merged[-1] = replace(last, duration_s=last.duration_s + entry.duration_s)
        else:
            merged.append(entry)
    return merged
