"""Judging what the simulated chair physically did against what it was asked to do.

The question is asked of the ground-truth trace, never of what a driver believed it sent. Each
:class:`Expectation` is a setpoint held over a window of the chair's clock. Its verdict is
the share of the window, after the time the chair physically needs to get there, in which the
rollers were over the asked region doing the asked technique at the asked depth, with the
airbags, heat and foot rollers asked. A window too short for the chair to get there at all is
reported as such: no chair could follow it.

:func:`safety_violations` checks the invariants that must hold over a whole session, whatever
was asked: no percussion at the neck, depth and heat within their caps, a gentle start for each
contact of the rollers and of the airbags, no airbag harder than asked, the skin-contact
temperature and the heat minutes, the regions, airbags and recline the person's limits rule
out, no posture move after the stop but the chair's own way home, nothing after the session
cap, and the chair back in its safe state within the settle cap after the end.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from chairctl.vocabulary import (
    MAX_AIRBAG,
    MAX_INTENSITY,
    PERCUSSION,
    REGION_BANDS,
    AirbagZone,
    Region,
    Setpoint,
    WorkState,
    scale_level,
    track_position,
)
from chairctl.vocabulary.limits import (
    CONTACT_GAP_S,
    CONTACT_MAX_C,
    HEAT_MAX_S,
    NECK,
    NECK_MAX_INTENSITY,
    SESSION_CAP_S,
    airbag_cap,
    roller_cap,
)
from drivers.models import ChairModel
from simulator.trace import Trace

#: How finely a window is examined, in seconds of the chair's clock.
SAMPLE_S = 0.25
#: Time the controller may take to pace and confirm the keys of one change.
KEY_ALLOWANCE_S = 3.0
#: How close the 3D depth must be to the asked level to count.
DEPTH_TOLERANCE = 0.5
#: A judged window shorter than this share of its step means the chair cannot follow it.
MIN_JUDGED_SHARE = 0.5


@dataclass(frozen=True)
class Expectation:
    """A setpoint the chair should hold from ``start`` to ``end`` (chair clock seconds)."""

    start: float
    end: float
    setpoint: Setpoint
    label: str
    #: The same step as the expectation before, held on after a safety rule changed it (a
    #: contact ramping up, the heat allowance used up): the chair is already there, so the
    #: window is never called unfollowable for being short.
    continued: bool = False
    #: When the step this expectation begins ends, if it goes on in later expectations (its
    #: pieces): a step is followable or not as a whole.
    step_end: float | None = None


@dataclass(frozen=True)
class Verdict:
    """How well the chair followed one expectation."""

    expectation: Expectation
    #: When judging began: the start plus the time the chair needed to get there.
    judged_from: float
    #: Share of the judged time in which everything asked held (None: nothing to judge).
    fidelity: float | None
    #: Seconds of judged time in which each asked thing did not hold.
    misses: dict[str, float] = field(default_factory=dict)
    #: Why the chair could not follow the expectation at all, if it could not.
    unfollowable: str | None = None

    @property
    def judged_s(self) -> float:
        """How long the judged part of the window is."""
        return max(0.0, self.expectation.end - self.judged_from)


def _band_positions(regions: tuple[Region, ...], trace: Trace) -> tuple[float, float]:
    lows = [REGION_BANDS[r][0] for r in regions]
    highs = [REGION_BANDS[r][1] for r in regions]
    return (
        track_position(min(lows), trace.seat_line, trace.shoulder),
        track_position(max(highs), trace.seat_line, trace.shoulder),
    )


def _depth_target(setpoint: Setpoint, model: ChairModel) -> float:
    """The 3D strength a setpoint's intensity becomes on this chair (1..levels)."""
    return scale_level(setpoint.intensity, MAX_INTENSITY, model.intensity_levels)


def _reach_time(expectation: Expectation, trace: Trace, model: ChairModel) -> tuple[float, str]:
    """Seconds the chair needs to get to an expectation, and what takes longest."""
    seconds, why = mechanics_need(expectation.setpoint, trace, expectation.start, model)
    return seconds + KEY_ALLOWANCE_S, why


def mechanics_need(
    setpoint: Setpoint,
    trace: Trace,
    t: float,
    model: ChairModel,
    *,
    depth_tolerance: float = 0.0,
) -> tuple[float, str]:
    """Seconds the chair's mechanics need to get from where the trace shows it at ``t`` to
    ``setpoint`` (scan, restart, travel, depth, inflation: the longest of them, no time for
    keys), and what takes longest.

    ``depth_tolerance`` counts the 3D depth as reached that close to its target, as
    :func:`misses_at` does with :data:`DEPTH_TOLERANCE`; the judge's window starts from the
    whole travel (0).
    """
    mech = model.mechanics
    needs: list[tuple[float, str]] = [(0.0, "nothing")]
    startup = mech.body_scan_s + model.timing.power_to_mode_s
    if trace.work_state.at(t) in (WorkState.STANDBY, WorkState.RESETTING):
        needs.append((startup, "the power-up body scan"))
    elif trace.activity.at(t) is not None and _needs_restart(setpoint, trace, t, model):
        # The 3D strength only steps up, and stepping through the stronger levels with the
        # rollers working would press harder than asked: less depth, or rollers at rest,
        # means returning home and starting again (the return home takes half a travel).
        restart = mech.roller_travel_s / 2 + startup
        needs.append((restart, "a restart of the chair (return home and body scan)"))
    if setpoint.rollers_active:
        low, high = _band_positions(setpoint.regions, trace)
        here = trace.roller.at(t).at(t)
        distance = max(0.0, low - here, here - high)
        speed = (mech.roller_positions - 1) / mech.roller_travel_s
        travel = distance / speed
        regions = ", ".join(setpoint.regions)
        needs.append((travel, f"the rollers' travel to {regions} ({travel:.1f} s)"))
        depth = max(
            0.0, abs(trace.depth.at(t).at(t) - _depth_target(setpoint, model)) - depth_tolerance
        )
        rate = max(1, model.intensity_levels - 1) / mech.depth_travel_s
        needs.append((depth / rate, "the 3D depth"))
    asked = [level for level in setpoint.airbags.values() if level]
    if asked:
        needs.append((max(asked) / 5 * mech.airbag_inflate_s, "airbag inflation"))
    return max(needs)


def _needs_restart(setpoint: Setpoint, trace: Trace, t: float, model: ChairModel) -> bool:
    """True when the chair must return home and start again to reach ``setpoint``."""
    if not setpoint.rollers_active:
        return True
    depth = trace.depth.at(t).at(t)
    return _depth_target(setpoint, model) < depth - DEPTH_TOLERANCE


def _program_zones(trace: Trace, t: float) -> tuple[frozenset[AirbagZone], float]:
    cycle = trace.airbags.at(t)
    zones = frozenset(zone for group in cycle.groups for zone in group)
    return zones, cycle.level


def _airbag_level(asked: Mapping[AirbagZone, int], model: ChairModel) -> float:
    """The one pressure a chair's airbags take for ``asked``: the lowest level asked, so that
    no zone presses harder than asked."""
    return float(min(asked.values()))


def misses_at(t: float, setpoint: Setpoint, trace: Trace, model: ChairModel) -> list[str]:
    """What of ``setpoint`` the trace shows not holding at ``t`` (empty: all of it holds)."""
    misses: list[str] = []
    activity = trace.activity.at(t)
    if setpoint.rollers_active:
        if activity is None or activity.technique is not setpoint.technique:
            misses.append("technique")
        if trace.region_of(trace.roller.at(t).at(t)) not in setpoint.regions:
            misses.append("region")
        if abs(trace.depth.at(t).at(t) - _depth_target(setpoint, model)) > DEPTH_TOLERANCE:
            misses.append("intensity")
    elif activity is not None:
        misses.append("rollers at rest")
    present = model.capabilities.airbag_zones
    asked = {zone: level for zone, level in setpoint.airbags.items() if zone in present}
    zones, level = _program_zones(trace, t)
    if not set(asked) <= zones or (not asked and zones):
        misses.append("airbags")
    elif asked and abs(level - _airbag_level(asked, model)) > DEPTH_TOLERANCE:
        misses.append("airbag level")
    if trace.heat_on.at(t) != bool(setpoint.heat):
        misses.append("heat")
    if model.capabilities.foot_roller_speeds and trace.foot_roller.at(t) != setpoint.foot_rollers:
        misses.append("foot rollers")
    return misses


def judge(expectations: Iterable[Expectation], trace: Trace, model: ChairModel) -> list[Verdict]:
    """A verdict for each expectation, in order."""
    verdicts = []
    for expectation in expectations:
        reach, why = _reach_time(expectation, trace, model)
        duration = (expectation.step_end or expectation.end) - expectation.start
        judged_from = min(expectation.end, expectation.start + reach)
        if duration - reach < MIN_JUDGED_SHARE * duration and not expectation.continued:
            verdicts.append(
                Verdict(
                    expectation,
                    judged_from,
                    None,
                    unfollowable=(
                        f"it lasts {duration:g} s, but the chair needs about {reach:.0f} s "
                        f"to get there ({why}, plus pacing the keys)"
                    ),
                )
            )
            continue
        samples = 0
        good = 0
        missed: Counter[str] = Counter()
        t = judged_from
        while t < expectation.end:
            samples += 1
            misses = misses_at(t, expectation.setpoint, trace, model)
            if misses:
                missed.update(misses)
            else:
                good += 1
            t += SAMPLE_S
        fidelity = good / samples if samples else None
        seconds = {name: count * SAMPLE_S for name, count in missed.items()}
        verdicts.append(Verdict(expectation, judged_from, fidelity, seconds))
    return verdicts


@dataclass(frozen=True)
class Limits:
    """The person's limits a session is held to, beyond the hard rules everyone gets."""

    max_intensity: int = MAX_INTENSITY
    max_airbag: int = MAX_AIRBAG
    airbags_off: frozenset[AirbagZone] = frozenset()
    #: Regions the rollers must not work (the person's exclusions).
    keep_off: frozenset[Region] = frozenset()
    heat_allowed: bool = True
    recline_allowed: bool = True


#: How far above its limit an airbag's pressure may read (level units) before it counts.
AIRBAG_TOLERANCE = 0.25
#: How far above the skin-contact limit the contact temperature may read before it counts.
CONTACT_TOLERANCE_C = 0.1
#: Heat beyond the session's allowance that counts: the key, and a status to confirm it.
HEAT_GRACE_S = 2 * KEY_ALLOWANCE_S


def _contacts(spans: Iterable[tuple[float, float]]) -> list[tuple[float, float]]:
    """Spans of work merged into contacts: a rest shorter than CONTACT_GAP_S does not end one."""
    merged: list[tuple[float, float]] = []
    for begin, end in spans:
        if merged and begin - merged[-1][1] < CONTACT_GAP_S:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((begin, end))
    return merged


def _contact_start(contacts: list[tuple[float, float]], t: float) -> float | None:
    for begin, end in contacts:
        if begin <= t <= end:
            return begin
    return None


def _asked_airbags(
    expectations: Sequence[Expectation], model: ChairModel, grace_s: float
) -> list[tuple[float, float, dict[AirbagZone, int]]]:
    """(from, to, level per zone) that each expectation allows: the zones it asks and their
    partners on this chair, from its start until its zones have had time to vent."""
    capabilities = model.capabilities
    windows = []
    for e in expectations:
        allowed: dict[AirbagZone, int] = {}
        for zone, level in e.setpoint.airbags.items():
            for partner in capabilities.inflated_with(zone):
                allowed[partner] = max(allowed.get(partner, 0), level)
        windows.append((e.start, e.end + grace_s, allowed))
    return windows


def safety_violations(
    trace: Trace,
    model: ChairModel,
    *,
    session_start: float,
    session_end: float,
    limits: Limits | None = None,
    expectations: Sequence[Expectation] = (),
    reclined: bool = False,
) -> list[str]:
    """What broke the session-wide safety invariants, in words, each once, when it first
    happened (empty when nothing did).

    The hard rules: no percussion and no depth above 2 at the neck, each actuator's contact
    starting gently and rising a level at a time, the skin-contact temperature and the heat
    minutes, nothing after the session cap, and the chair back in its safe state within the
    settle cap after the end. The person's ``limits``: depth and airbag pressure, airbags and
    regions kept off, heat, recline. Given the ``expectations`` (what the session asked, on the
    chair's clock), no airbag zone presses harder than asked. After the end, the backrest and
    leg rest never move away from home, and move home only when the session ``reclined``.
    """
    limits = limits or Limits()
    problems: list[str] = []
    depth_cap = _depth_target(Setpoint(intensity=limits.max_intensity), model) + DEPTH_TOLERANCE
    neck_cap = _depth_target(Setpoint(intensity=NECK_MAX_INTENSITY), model) + DEPTH_TOLERANCE
    seen: set[str] = set()

    def once(kind: str, message: str) -> None:
        # Each kind of violation is reported once, when it first happened.
        if kind not in seen:
            seen.add(kind)
            problems.append(message)

    settle_end = session_end + model.timing.settle_cap_s
    last = min(settle_end, trace.end)
    rollers = _contacts(
        (a, b) for a, b, activity in trace.activity.spans(session_start, last) if activity
    )
    vent_grace = model.mechanics.airbag_vent_s + KEY_ALLOWANCE_S
    asked = _asked_airbags(expectations, model, vent_grace) if expectations else None
    pressed: list[tuple[float, float]] = []
    heat_s = 0.0
    t = session_start
    while t <= last:
        activity = trace.activity.at(t)
        region = trace.region_of(trace.roller.at(t).at(t))
        depth = trace.depth.at(t).at(t)
        minute = (t - session_start) / 60
        if activity is not None and region is NECK and activity.technique in PERCUSSION:
            once(
                "neck percussion",
                f"percussion ({activity.technique}) with the rollers at the neck "
                f"at {minute:.1f} min",
            )
        if activity is not None and region is NECK and depth > neck_cap:
            once("neck depth", f"depth {depth:.1f} at the neck at {minute:.1f} min (cap 2)")
        if depth > depth_cap:
            once(
                "depth",
                f"depth {depth:.1f} above the cap of {limits.max_intensity} at {minute:.1f} min",
            )
        if activity is not None and region in limits.keep_off:
            once(
                "kept off",
                f"the rollers worked the {region.replace('_', ' ')}, which is kept off, "
                f"at {minute:.1f} min",
            )
        began = _contact_start(rollers, t) if activity is not None else None
        if began is not None:
            cap = roller_cap(t - began)
            if depth > _depth_target(Setpoint(intensity=cap), model) + DEPTH_TOLERANCE:
                once(
                    "start",
                    f"depth {depth:.1f} {t - began:.0f} s into the rollers' contact at "
                    f"{minute:.1f} min (the gentle start allows {cap})",
                )
        pressures = trace.airbags.at(t).pressures(t)
        if any(p > 0.05 for p in pressures.values()):
            if not pressed or t - pressed[-1][1] >= CONTACT_GAP_S:
                pressed.append((t, t))
            pressed[-1] = (pressed[-1][0], t)
            _judge_airbags(
                pressures, t, pressed[-1][0], minute=minute, limits=limits, asked=asked, once=once
            )
        if trace.heat_on.at(t):
            if t <= settle_end:
                heat_s += SAMPLE_S
            if not limits.heat_allowed:
                once("heat", f"heat on at {minute:.1f} min although heat is not allowed")
        contact = trace.contact_c(t)
        if contact > CONTACT_MAX_C + CONTACT_TOLERANCE_C:
            once(
                "contact",
                f"the heater reached {contact:.1f} °C at the skin at {minute:.1f} min "
                f"(limit {CONTACT_MAX_C:g} °C)",
            )
        if heat_s > HEAT_MAX_S + HEAT_GRACE_S:
            once(
                "heat minutes",
                f"heat on for more than {HEAT_MAX_S / 60:g} minutes, at {minute:.1f} min",
            )
        _judge_posture(
            trace, t, session_end, minute=minute, limits=limits, reclined=reclined, once=once
        )
        if activity is not None and t - session_start > SESSION_CAP_S:
            once("cap", f"the rollers still worked at {minute:.1f} min, past the 30-minute cap")
        t += SAMPLE_S
    problems.extend(_unsafe_end(trace, settle_end))
    return problems


def _judge_airbags(
    pressures: Mapping[AirbagZone, float],
    t: float,
    began: float,
    *,
    minute: float,
    limits: Limits,
    asked: list[tuple[float, float, dict[AirbagZone, int]]] | None,
    once: Callable[[str, str], None],
) -> None:
    cap = min(airbag_cap(t - began), limits.max_airbag)
    for zone, pressure in pressures.items():
        if pressure <= 0.05:
            continue
        if zone in limits.airbags_off:
            once("airbags off", f"the {zone} airbags pressed at {minute:.1f} min, kept off")
        if pressure > cap + AIRBAG_TOLERANCE:
            once(
                "airbag ramp",
                f"{zone} airbags at {pressure:.1f} {t - began:.0f} s into the airbags' contact "
                f"at {minute:.1f} min (allowed {cap})",
            )
        if asked is not None:
            allowed = max(
                (levels.get(zone, 0) for start, end, levels in asked if start <= t < end),
                default=0,
            )
            if pressure > allowed + AIRBAG_TOLERANCE:
                once(
                    "airbag asked",
                    f"{zone} airbags at {pressure:.1f} at {minute:.1f} min, "
                    f"above the {allowed} asked",
                )


def _judge_posture(
    trace: Trace,
    t: float,
    session_end: float,
    *,
    minute: float,
    limits: Limits,
    reclined: bool,
    once: Callable[[str, str], None],
) -> None:
    for name, channel in (("backrest", trace.backrest), ("leg rest", trace.leg_rest)):
        path = channel.at(t)
        if not limits.recline_allowed and path.at(t) > 0.01:
            once("recline", f"the {name} left upright at {minute:.1f} min, not allowed")
        if t < session_end:
            continue
        slope = path.slope(t)
        # A move under way when the session ended runs on until the release reaches the
        # chair (a key or two); after that, nothing moves away from home.
        if slope > 0 and t >= session_end + KEY_ALLOWANCE_S:
            once(
                "posture away",
                f"the {name} moved away from home after the stop, at {minute:.1f} min",
            )
        elif slope < 0 and not reclined:
            once(
                "posture home",
                f"the {name} moved after the stop at {minute:.1f} min, "
                "in a session that never reclined",
            )


def _unsafe_end(trace: Trace, at: float) -> list[str]:
    """How the chair is not in its safe state at ``at`` (after the settle cap)."""
    if at > trace.end:
        return [f"the run ended before the settle cap ({at - trace.end:.0f} s short)"]
    state = trace.state_at(at)
    problems = []
    if state.roller_technique is not None:
        problems.append("the rollers still worked after the settle cap")
    if state.depth > DEPTH_TOLERANCE:
        problems.append(f"the 3D depth was still {state.depth:.1f} after the settle cap")
    full = [zone for zone, pressure in state.airbags.items() if pressure > 0.05]
    if full:
        problems.append(f"airbags still held pressure after the settle cap: {', '.join(full)}")
    if state.heat_on:
        problems.append("the heater was still on after the settle cap")
    # A latched fault is a safe end too, once nothing works, presses or heats: the chair
    # holds still until the person clears it.
    if state.work_state not in (WorkState.STANDBY, WorkState.WAITING, WorkState.FAULT):
        problems.append(f"the chair was still {state.work_state} after the settle cap")
    return problems


@dataclass(frozen=True)
class RegionWork:
    """How long the rollers worked one region, and how deep on average."""

    seconds: float
    mean_depth: float


def region_work(trace: Trace, start: float, end: float) -> dict[Region, RegionWork]:
    """Roller work per region between ``start`` and ``end``, from the trace, top region first."""
    seconds: dict[Region, float] = dict.fromkeys(Region, 0.0)
    depth_sum: dict[Region, float] = dict.fromkeys(Region, 0.0)
    t = start
    while t < min(end, trace.end):
        if trace.activity.at(t) is not None:
            region = trace.region_of(trace.roller.at(t).at(t))
            if region is not None:
                seconds[region] += SAMPLE_S
                depth_sum[region] += trace.depth.at(t).at(t) * SAMPLE_S
        t += SAMPLE_S
    return {
        region: RegionWork(seconds[region], depth_sum[region] / seconds[region])
        for region in Region
        if seconds[region] > 0
    }
