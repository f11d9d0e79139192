"""The compiler: a program, a person and a chair in; a timeline of safe setpoints out.

Order matters and is fixed: the program's steps (repeats unrolled, defaults applied) are fitted
to the chair, then personalised (a span an excluded region cuts in two is worked as its parts),
then expanded into one setpoint per intensity level, and only then passed through the person's
limits and the hard rules (:mod:`chairctl.safety.rules`), which always win. The rules are
walked through the plan's time as the engine will walk them through the clock's: each
actuator's contact starts gently (:mod:`chairctl.safety.ramp`) and heat stops at its session
allowance, so the plan shows what the chair will do. Every change is reported as an
:class:`Adjustment` carrying the source line it concerns.
"""

from __future__ import annotations

from dataclasses import replace

from chairctl.plan.fitting import fit_step
from chairctl.plan.plan import Adjustment, Plan, PlanEntry
from chairctl.program import EffectiveStep, Program, Ramp
from chairctl.safety import AS_WRITTEN, Contacts, Moment, Personalisation, enforce
from chairctl.safety.ramp import next_rise
from chairctl.vocabulary import (
    FULL_FEATURED,
    MAX_INTENSITY,
    MIN_INTENSITY,
    ChairCapabilities,
    PlanError,
    Region,
    Setpoint,
    Technique,
)
from chairctl.vocabulary.limits import (
    HEAT_MAX_S,
    MAX_SETPOINTS,
    SESSION_CAP_S,
    START_MAX_AIRBAG,
    START_MAX_INTENSITY,
    STEP_MIN_S,
)


class _Report:
    """Collects adjustments once each, in the order they are first met."""

    def __init__(self) -> None:
        self._seen: dict[tuple[int, str, str], Adjustment] = {}

    def add(self, line: int, kind: str, message: str) -> None:
        self._seen.setdefault((line, kind, message), Adjustment(line, kind, message))

    def all(self) -> tuple[Adjustment, ...]:
        return tuple(self._seen.values())


def _runs(regions: tuple[Region, ...], skipped: frozenset[Region]) -> list[tuple[Region, ...]]:
    """The unbroken runs of ``regions`` (top first) once ``skipped`` are taken out."""
    runs: list[list[Region]] = []
    for region in regions:
        if region in skipped:
            if runs and runs[-1]:
                runs.append([])
            continue
        if not runs:
            runs.append([])
        runs[-1].append(region)
    return [tuple(run) for run in runs if run]


def _personalise(
    step: EffectiveStep, person: Personalisation, chair: ChairCapabilities, report: _Report
) -> tuple[EffectiveStep, list[tuple[Region, ...]]]:
    """``step`` with the person's preferences applied, and the runs of regions it works.

    A span an excluded region cuts in two is worked as its parts, one after the other, each
    for its share of the step; a step with nothing left to work rests. Limits the rules apply
    by themselves (percussion, heat, airbag caps...) are left to them.
    """
    line = step.line
    technique, regions, airbags = step.technique, step.regions, step.airbags
    rollers = technique not in (Technique.NONE, Technique.STRETCH)
    runs = [regions] if regions else []

    if rollers and person.skip_regions & set(regions):
        skipped = ", ".join(r for r in regions if r in person.skip_regions)
        runs = _runs(regions, person.skip_regions)
        why = person.why("regions")
        if not runs:
            technique, rollers = Technique.NONE, False
            report.add(line, "personal", f"rollers rest here: {skipped} is skipped for you{why}")
        elif len(runs) == 1:
            report.add(line, "personal", f"{skipped} skipped for you{why}")
        else:
            parts = " then ".join(" to ".join(dict.fromkeys((r[0], r[-1]))) for r in runs)
            report.add(
                line,
                "personal",
                f"{skipped} skipped for you{why}: the rollers work {parts.replace('_', ' ')}, "
                "each for its share of the step",
            )
        regions = runs[0] if runs else ()

    if off := sorted(z for z, level in airbags.items() if level > 0 and z in person.airbags_off):
        airbags = {z: level for z, level in airbags.items() if z not in person.airbags_off}
        report.add(
            line, "personal", f"{', '.join(off)} airbags off for you{person.why('airbags-off')}"
        )
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
                f"{', '.join(with_off)}, which stay off for you",
            )

    def personal_level(level: int) -> int:
        return max(MIN_INTENSITY, min(MAX_INTENSITY, level + person.intensity_offset))

    intensity = step.intensity
    if person.intensity_offset and any(personal_level(level) != level for level in step.levels):
        sign = "+" if person.intensity_offset > 0 else ""
        report.add(line, "personal", f"intensity {sign}{person.intensity_offset}, as you prefer")
    adjusted = [personal_level(level) for level in step.levels]
    if adjusted != step.levels:
        intensity = (
            Ramp.model_validate({"from": adjusted[0], "to": adjusted[-1]})
            if isinstance(intensity, Ramp)
            else adjusted[0]
        )
    personal = replace(
        step, technique=technique, regions=regions, airbags=airbags, intensity=intensity
    )
    return personal, runs if rollers else [()]


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


def _pieces(
    step: EffectiveStep, runs: list[tuple[Region, ...]]
) -> list[tuple[float, float, int, tuple[Region, ...]]]:
    """(offset, duration, level, regions): the step's level slices, each cut where the step
    moves on to its next run of regions (a run's share of the time is its share of regions)."""
    total = sum(len(run) for run in runs) or 1
    bounds: list[tuple[float, float, tuple[Region, ...]]] = []
    at = 0.0
    for run in runs:
        share = step.duration_s * (len(run) or total) / total
        bounds.append((at, at + share, run))
        at += share
    pieces = []
    for offset, duration, level in _level_slices(step):
        for low, high, run in bounds:
            start, end = max(offset, low), min(offset + duration, high)
            if end - start > 1e-9:
                pieces.append((start, end - start, level, run))
    return pieces


def _setpoint(
    step: EffectiveStep, level: int, regions: tuple[Region, ...], person: Personalisation
) -> Setpoint:
    return Setpoint(
        technique=step.technique,
        regions=regions,
        intensity=level,
        speed=step.speed,
        width=step.width,
        airbags=step.airbags,
        heat=step.heat,
        foot_rollers=step.foot_rollers,
        posture=step.posture,
        # The regions the person excludes travel with every setpoint: the driver keeps the
        # rollers' band clear of them, as it does of the neck.
        keep_off=person.skip_regions,
    )


class _Guard:
    """The hard rules and the person's limits over the plan's time: contacts, heat given."""

    def __init__(self, person: Personalisation, chair: ChairCapabilities, report: _Report) -> None:
        self.person = person
        self.chair = chair
        self.report = report
        self.contacts = Contacts()
        self.heat_s = 0.0

    def _safe(self, setpoint: Setpoint, at: float, line: int) -> Setpoint:
        contacts = self.contacts
        moment = Moment(at, contacts.rollers_s(at), contacts.airbags_s(at), self.heat_s)
        safe, corrections = enforce(setpoint, moment, self.person)
        if contacts.restarts(safe, self.chair):
            # This chair restarts to get there: new contacts, started gently.
            moment = replace(moment, rollers_contact_s=None, airbags_contact_s=None)
            safe, corrections = enforce(setpoint, moment, self.person)
        for correction in corrections:
            self.report.add(
                line, "personal" if correction.personal else "safety", correction.message
            )
        return safe

    def _next_change(self, asked: Setpoint, safe: Setpoint, at: float, until: float) -> float:
        """When the rules would next let ``asked`` through differently, before ``until``."""
        contacts = self.contacts
        moments = [until, SESSION_CAP_S]
        if asked.rollers_active and safe.intensity < min(
            asked.intensity, self.person.max_intensity
        ):
            rise = next_rise(contacts.rollers_s(at), START_MAX_INTENSITY)
            if rise is not None and contacts.rollers_since is not None:
                moments.append(contacts.rollers_since + rise)
        if asked.airbags and safe.airbags != asked.airbags:
            rise = next_rise(contacts.airbags_s(at), START_MAX_AIRBAG)
            if rise is not None and contacts.airbags_since is not None:
                moments.append(contacts.airbags_since + rise)
        if safe.heat:
            moments.append(at + HEAT_MAX_S - self.heat_s)
        return min(m for m in moments if m > at + 1e-9)

    def entries(
        self, start: float, duration: float, setpoint: Setpoint, step: EffectiveStep
    ) -> list[PlanEntry]:
        """Entries for ``setpoint`` held over [start, start+duration), each piece made safe."""
        entries = []
        at, end = start, start + duration
        while end - at > 1e-9:
            if at >= SESSION_CAP_S:
                self.report.add(
                    step.line, "safety", "the session cap of 30 minutes cuts the plan here"
                )
                break
            safe = self._safe(setpoint, at, step.line)
            self.contacts = self.contacts.applied(safe, at, self.chair)
            until = self._next_change(setpoint, safe, at, end)
            entries.append(PlanEntry(at, until - at, safe, step.line, step.name))
            if safe.heat:
                self.heat_s += until - at
            at = until
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
    guard = _Guard(person, chair, report)
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
        step, runs = _personalise(fitted.step, person, chair, report)
        for offset, duration, level, regions in _pieces(step, runs):
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
            entries.extend(
                guard.entries(start, held, _setpoint(step, level, regions, person), step)
            )
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
        person=person,
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
