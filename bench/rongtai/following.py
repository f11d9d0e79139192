"""Benchmark: following a program — how soon the chair does what a new setpoint asks.

For a fixed set of changes (standby to running, a region, a technique, an intensity, airbags,
heat), the time from the change to the simulated chair's ground truth matching the new
setpoint, less the time the chair's mechanics need to get there (scan, travel, depth,
inflation): the controller's overhead. chairctl's reconciler is measured, and in the same run
a baseline that sends the same keys the way the vendor's app does
(:mod:`bench.rongtai.vendor_app`).

Everything runs on a VirtualClock with the real session and codec over an in-memory link to
the simulated chair, so the figures are simulated chair time: the same on any machine.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import groupby, pairwise
from typing import Any

from bench.results import Section, Table
from bench.rongtai import vendor_app
from chairctl.clock import VirtualClock
from chairctl.vocabulary import (
    AirbagZone,
    Heater,
    HeatLevel,
    Region,
    Setpoint,
    Technique,
    WorkState,
)
from drivers.chair import ChairSession
from drivers.links import DataCallback, Endpoint, LostCallback, MemoryLink
from drivers.models import get_model
from drivers.models.rongtai import RongtaiModel
from drivers.session.records import SessionConfig
from simulator.chair import SimulatedChair
from simulator.families import simulated_chair
from simulator.judge import DEPTH_TOLERANCE, mechanics_need, misses_at
from simulator.rongtai.frames import Form
from simulator.trace import Trace

KEY = "following"
TITLE = "Following a program"
MODEL = "rongtai-rt8600s"
#: The hand-controller form: a status frame every 50 ms.
FORM: Form = "wired"
#: How long the setpoint before a change is held first, so the chair is steady.
SETTLE_S = 10.0
#: How long after a change the trace is searched for the match.
WATCH_S = 60.0
#: A match counts from the first moment the whole setpoint holds for this long.
STEADY_S = 2.0
#: The trace is examined this often, and the first matching moment then found to the ms.
SAMPLE_S = 0.05
RESOLUTION_S = 0.001
#: The goal: chairctl's total at most this share of the baseline's.
RATIO_GOAL = 0.5

#: Knead the mid back at intensity 2: where most changes start from.
BASE = Setpoint(technique=Technique.KNEAD, regions=(Region.MID_BACK,), intensity=2)


@dataclass(frozen=True)
class Transition:
    """One change: from ``before`` (None: the chair in standby) to ``after``."""

    name: str
    before: Setpoint | None
    after: Setpoint


TRANSITIONS: list[Transition] = [
    Transition("standby → running", None, BASE),
    # Upper back to lower back: about 3 s of travel. (The shoulders band is narrower than the
    # chair's partial band, so the rollers' sweep there keeps crossing into the next region.)
    Transition(
        "region: upper back → lower back",
        BASE.model_copy(update={"regions": (Region.UPPER_BACK,)}),
        BASE.model_copy(update={"regions": (Region.LOWER_BACK,)}),
    ),
    Transition(
        "technique: knead → shiatsu",
        BASE,
        BASE.model_copy(update={"technique": Technique.SHIATSU}),
    ),
    Transition("intensity: 2 → 4", BASE, BASE.model_copy(update={"intensity": 4})),
    Transition(
        "airbags: + seat at 3", BASE, BASE.model_copy(update={"airbags": {AirbagZone.SEAT: 3}})
    ),
    Transition(
        "heat: + lumbar",
        BASE,
        BASE.model_copy(update={"heat": {Heater.LUMBAR: HeatLevel.MEDIUM}}),
    ),
]


# -- the rig --------------------------------------------------------------------------------


@dataclass
class _Rig:
    model: RongtaiModel
    clock: VirtualClock
    chair: SimulatedChair
    session: ChairSession
    #: Every key as its frame reached the chair: (chair clock, key).
    keys: list[tuple[float, int]]


async def _rig(model: RongtaiModel, before: Setpoint | None) -> _Rig:
    """A fresh chair and session, connected, holding ``before`` for SETTLE_S (if any)."""
    clock = VirtualClock()
    chair = simulated_chair(model, clock, transport=FORM)

    def link() -> MemoryLink:
        def opener(on_data: DataCallback, on_lost: LostCallback) -> Endpoint:
            return chair.connect(on_data=on_data, on_close=on_lost)

        return MemoryLink(opener)

    session = ChairSession(model, link, clock)
    keys: list[tuple[float, int]] = []
    chair.listen_keys(lambda key: keys.append((clock.now(), key)))
    await clock.run(session.connect())
    if before is not None:
        await clock.run(session.apply(before))
        await clock.advance(SETTLE_S)
    return _Rig(model, clock, chair, session, keys)


# -- reading the trace ----------------------------------------------------------------------


def _first(
    holds: Callable[[float], bool], start: float, end: float, steady: float = 0.0
) -> float | None:
    """The first t in [start, end] from which ``holds`` stays true for ``steady`` seconds
    (checked every SAMPLE_S), found to RESOLUTION_S; None when there is none."""
    steps = round((end - start) / SAMPLE_S)
    window = round(steady / SAMPLE_S)
    run_from: int | None = None
    for i in range(steps + window + 1):
        if holds(start + i * SAMPLE_S):
            if run_from is None:
                if i > steps:
                    return None
                run_from = i
            if i - run_from >= window:
                break
        else:
            run_from = None
    else:
        return None
    if run_from is None:
        return None
    hi = start + run_from * SAMPLE_S
    if run_from == 0:
        return hi
    lo = hi - SAMPLE_S
    while hi - lo > RESOLUTION_S:
        mid = (lo + hi) / 2
        if holds(mid):
            hi = mid
        else:
            lo = mid
    return hi


def _matched_at(setpoint: Setpoint, trace: Trace, model: RongtaiModel, t0: float) -> float | None:
    """Seconds after ``t0`` from which the trace matches ``setpoint`` (None: not in WATCH_S).

    Matching is the judge's (:func:`simulator.judge.misses_at`) held for STEADY_S; airbags
    asked must also have filled to the program's level once, since inflation is part of what
    the mechanics need (the judge looks only at the airbag program).
    """
    end = t0 + WATCH_S
    match = _first(lambda t: not misses_at(t, setpoint, trace, model), t0, end, STEADY_S)
    if match is None:
        return None
    present = model.capabilities.airbag_zones
    zones = [zone for zone in setpoint.airbags if zone in present]
    if zones:

        def full(t: float) -> bool:
            cycle = trace.airbags.at(t)
            return cycle.level > 0 and all(
                cycle.pressure(zone, t) >= cycle.level - 1e-6 for zone in zones
            )

        inflated = _first(full, t0, end)
        if inflated is None:
            return None
        match = max(match, inflated)
    return match - t0


def _need(setpoint: Setpoint, trace: Trace, model: RongtaiModel, t0: float) -> tuple[float, str]:
    """What the chair's mechanics need from ``t0`` to ``setpoint``, and what takes longest.

    The judge's reach time without its allowance for keys (depth counted as reached within
    the judge's tolerance, as the match is). From standby, the rollers travel only once the
    body scan is done, from where the scan leaves them: the scan plus the need at its end.
    """
    awake = _awake(trace, t0)
    if awake is not None:
        scan = model.mechanics.body_scan_s
        rest, why = mechanics_need(
            setpoint, trace, t0 + awake, model, depth_tolerance=DEPTH_TOLERANCE
        )
        return scan + rest, f"the body scan ({scan:g} s), then {why}"
    return mechanics_need(setpoint, trace, t0, model, depth_tolerance=DEPTH_TOLERANCE)


def _awake(trace: Trace, t0: float) -> float | None:
    """Seconds after ``t0`` when the body scan ended, if the chair stood by before ``t0``."""
    before = [state for t, state in trace.work_state.changes() if t < t0]
    if not before or before[-1] is not WorkState.STANDBY:
        return None
    on = (WorkState.WAITING, WorkState.RUNNING)
    return next(
        (t - t0 for t, state in trace.work_state.changes() if t >= t0 and state in on), None
    )


# -- the two sides --------------------------------------------------------------------------


@dataclass
class Side:
    """One controller's run of one change; times in seconds after the change."""

    #: Keys as they reached the chair: (seconds after the change, key).
    keys: list[tuple[float, int]]
    matched: float | None
    need: float
    need_why: str
    #: When the body scan ended (None when there was none).
    awake: float | None
    #: The keys' names, in order.
    names: list[str]


async def _chairctl(model: RongtaiModel, change: Transition) -> Side:
    rig = await _rig(model, change.before)
    clock = rig.clock
    t0 = clock.now()
    mark = len(rig.keys)
    await clock.run(rig.session.apply(change.after))
    keys = [(at - t0, key) for at, key in rig.keys[mark:]]
    await clock.advance_to(t0 + WATCH_S + STEADY_S)
    trace = rig.chair.trace
    need, why = _need(change.after, trace, model, t0)
    names = [rig.session.adapter.key_name(key) for _, key in keys]
    matched = _matched_at(change.after, trace, model, t0)
    side = Side(keys, matched, need, why, _awake(trace, t0), names)
    await clock.run(rig.session.close())
    rig.chair.close()
    return side


async def _baseline(
    model: RongtaiModel, change: Transition, sequence: Sequence[int], holds: dict[int, float]
) -> Side:
    # The start state is chairctl's: the same chair, brought there by chairctl the same way.
    rig = await _rig(model, change.before)
    clock, session = rig.clock, rig.session
    await clock.run(session.close())  # sends only STOPs still owed; the chair keeps running
    watch = vendor_app.StatusWatch(session.adapter.decoder(clock))
    connection = rig.chair.connect(on_data=watch.feed)
    t0 = clock.now()
    mark = len(rig.keys)
    await clock.run(
        vendor_app.send(
            clock,
            connection.write,
            watch,
            encode=session.adapter.encode_key,
            model=model,
            sequence=sequence,
            holds=holds,
        )
    )
    keys = [(at - t0, key) for at, key in rig.keys[mark:]]
    await clock.advance_to(t0 + WATCH_S + STEADY_S)
    trace = rig.chair.trace
    need, why = _need(change.after, trace, model, t0)
    names = [session.adapter.key_name(key) for _, key in keys]
    matched = _matched_at(change.after, trace, model, t0)
    side = Side(keys, matched, need, why, _awake(trace, t0), names)
    connection.close()
    rig.chair.close()
    return side


# -- the report -----------------------------------------------------------------------------


def _short(name: str) -> str:
    return re.sub(r" \(0x[0-9A-F]{2}\)$", "", name)


def _grouped(names: Sequence[str]) -> str:
    parts = []
    for name, same in groupby(names):
        count = len(list(same))
        parts.append(name if count == 1 else f"{name} ×{count}")
    return ", ".join(parts)


def _s(seconds: float | None) -> str:
    return "not reached" if seconds is None else f"{seconds:.2f}"


@dataclass
class _Result:
    change: Transition
    chairctl: Side
    baseline: Side
    names: list[str]

    @property
    def need(self) -> float:
        return self.chairctl.need

    def overhead(self, side: Side) -> float | None:
        return None if side.matched is None else side.matched - self.need

    @property
    def ratio(self) -> float | None:
        c, b = self.chairctl.matched, self.baseline.matched
        if c is None or b is None or b <= 0:
            return None
        return c / b

    def overhead_met(self, gap: float) -> bool:
        overhead = self.overhead(self.chairctl)
        return overhead is not None and overhead <= gap + 1e-9

    @property
    def ratio_met(self) -> bool:
        c, b = self.chairctl.matched, self.baseline.matched
        if c is None:
            return False
        return b is None or c <= RATIO_GOAL * b + 1e-9


def _overhead_note(result: _Result, gap: float) -> str:
    name = result.change.name
    side = result.chairctl
    overhead = result.overhead(side)
    if overhead is None or side.matched is None:
        return f"{name}: chairctl never matched the setpoint within {WATCH_S:g} s."
    start = side.awake or 0.0
    since = "the body scan ended" if side.awake is not None else "the change"
    # The mechanics could begin no sooner than the key that arrived ``overhead`` after the
    # chair could first take one: the key the match waited for.
    waited_until = start + overhead + 2 * RESOLUTION_S
    sent = [
        (at, _short(n))
        for (at, _), n in zip(side.keys, side.names, strict=True)
        if start - 1e-9 <= at <= waited_until
    ]
    lead = f"{name}: chairctl's overhead is {overhead:.2f} s, more than one key gap ({gap:.2f} s)"
    if not sent:
        return f"{lead}, though no key reached the chair between {since} and the match."
    last_at, last_name = sent[-1]
    text = f"{lead}: the match waited for {last_name}, which reached the chair "
    text += f"{last_at - start:.2f} s after {since}"
    ahead = [n for _, n in sent[:-1]]
    if ahead:
        times = [at for at, _ in sent]
        gaps = [later - earlier for earlier, later in pairwise(times)]
        shortest, longest = min(gaps), max(gaps)
        spacing = (
            f"{longest:.2f}" if longest - shortest < 0.005 else f"{shortest:.2f}–{longest:.2f}"
        )
        text += f", behind {len(ahead)} other keys ({_grouped(ahead)}) sent {spacing} s apart"
        if longest <= gap + 0.02:
            text += (
                ": that is the key pacing (each key's status came within the gap, so waiting "
                "for confirmation added nothing)"
            )
        else:
            text += (
                f": the longest wait, {longest:.2f} s, is longer than the key gap, the "
                "reconciler waiting for a status to confirm a key"
            )
    first = sent[0][0] - start
    if first > 2 * RESOLUTION_S:
        text += f"; the first key went out {first:.2f} s after {since}, with the next status"
    return text + "."


def _ratio_note(result: _Result) -> str:
    name = result.change.name
    c, b = result.chairctl.matched, result.baseline.matched
    if c is None or b is None:
        return f"{name}: chairctl never matched the setpoint within {WATCH_S:g} s."
    need = result.need
    text = f"{name}: chairctl's total {c:.2f} s is more than half the baseline's {b:.2f} s"
    if need > RATIO_GOAL * b:
        return (
            f"{text}: the chair's mechanics alone need {need:.2f} s ({need / b:.0%} of the "
            f"baseline's total, {result.chairctl.need_why}), so no controller could halve it; "
            f"the baseline's own overhead is {b - need:.2f} s."
        )
    return (
        f"{text}: the mechanics need {need:.2f} s, and chairctl's overhead of {c - need:.2f} s "
        f"is more than the {RATIO_GOAL * b - need:.2f} s left for it."
    )


def _run(model: RongtaiModel) -> list[_Result]:
    async def go() -> list[_Result]:
        results = []
        for change in TRANSITIONS:
            ours = await _chairctl(model, change)
            sequence = [key for _, key in ours.keys]
            holds = vendor_app.hold_times(model, ours.keys)
            theirs = await _baseline(model, change, sequence, holds)
            results.append(_Result(change, ours, theirs, ours.names))
        return results

    return asyncio.run(go())


def run(quick: bool) -> Section:
    """Run every change with chairctl and with the baseline (quick is the same: it is cheap)."""
    model = get_model(MODEL)
    # The baseline is the Rongtai vendor app: this benchmark is of the Rongtai family.
    assert isinstance(model, RongtaiModel)
    results = _run(model)
    key_gap = model.timing.key_gap_ms / 1000
    # chairctl paces keys by the chair's key gap plus the session's margin for jitter.
    gap = key_gap + SessionConfig().key_gap_margin_s
    rows = []
    key_rows = []
    figures_by: dict[str, Any] = {}
    notes: list[str] = []
    for r in results:
        ours, theirs = r.chairctl, r.baseline
        o_ours, o_theirs = r.overhead(ours), r.overhead(theirs)
        met = r.overhead_met(gap) and r.ratio_met
        ratio = r.ratio
        rows.append(
            [
                r.change.name,
                str(len(ours.keys)),
                f"{r.need:.2f}",
                _s(ours.matched),
                _s(o_ours),
                _s(theirs.matched),
                _s(o_theirs),
                "—" if ratio is None else f"{ratio:.2f}",
                "met" if met else "missed",
            ]
        )
        names = [_short(n) for n in r.names]
        key_rows.append(
            [
                r.change.name,
                ", ".join(names),
                ", ".join(f"{at:.2f}" for at, _ in ours.keys),
                ", ".join(f"{at:.2f}" for at, _ in theirs.keys),
            ]
        )
        if not r.overhead_met(gap):
            notes.append(_overhead_note(r, gap))
        if not r.ratio_met:
            notes.append(_ratio_note(r))
        if theirs.matched is None and ours.matched is not None:
            notes.append(
                f"{r.change.name}: the baseline never held the whole setpoint for "
                f"{STEADY_S:g} s within {WATCH_S:g} s. Its keys were the same, but nothing read "
                "back where they left the chair: a key that moves the rollers' band, then a walk "
                "held as long as chairctl held it from wherever that band had got to a second "
                "later, leaves the band across the region's edge, so the rollers keep "
                "crossing out of it, and the app never finds out."
            )
        figures_by[r.change.name] = {
            "before": None if r.change.before is None else r.change.before.model_dump(mode="json"),
            "after": r.change.after.model_dump(mode="json"),
            "keys": names,
            "need_s": round(r.need, 4),
            "need_why": ours.need_why,
            "scan_ended_s": None if ours.awake is None else round(ours.awake, 4),
            "chairctl_total_s": None if ours.matched is None else round(ours.matched, 4),
            "chairctl_overhead_s": None if o_ours is None else round(o_ours, 4),
            "chairctl_sent_s": [round(at, 4) for at, _ in ours.keys],
            "baseline_total_s": None if theirs.matched is None else round(theirs.matched, 4),
            "baseline_overhead_s": None if o_theirs is None else round(o_theirs, 4),
            "baseline_sent_s": [round(at, 4) for at, _ in theirs.keys],
            "ratio": None if ratio is None else round(ratio, 4),
            "overhead_met": r.overhead_met(gap),
            "ratio_met": r.ratio_met,
            "met": met,
        }
    met_all = all(r.overhead_met(gap) and r.ratio_met for r in results)
    restart = model.mechanics.roller_travel_s / 2 + (
        model.mechanics.body_scan_s + model.timing.power_to_mode_s
    )
    notes.append(
        f"Baseline: the keys chairctl sent for each change, sent as the vendor's app does: "
        f"{vendor_app.AFTER_POWER_S:g} s after POWER and {vendor_app.BETWEEN_KEYS_S:g} s between "
        "other keys, nothing while the chair reports resetting (its body scan), each held key "
        "released after as long as chairctl held it; no reading back and no retries. A "
        f"baseline that never matches within {WATCH_S:g} s is shown as not reached."
    )
    notes.append(
        "The intensity change is an increase: the chair's 3D strength key only steps up, so a "
        f"decrease costs chairctl a restart (return home and body scan, about {restart:.0f} s), "
        "which `chairctl check` reports."
    )
    method = (
        f"For each change, a {model.name} simulated chair ({FORM} status form, a frame every "
        f"{model.protocol.status_forms[FORM].period_ms} ms) holds the setpoint before it for "
        f"{SETTLE_S:g} s; then chairctl's session applies the new one, and the time until the "
        f"chair's ground truth matches it (the judge's test, held for {STEADY_S:g} s; airbags "
        "also filled) is its total. The mechanics need is the judge's reach time without its "
        "allowance for keys (for the power-up, the body scan and then the travel from where the "
        "scan leaves the rollers); the overhead is the total less the need. The baseline starts "
        "from the same state, reached the same way, and sends the same keys as the vendor's app "
        "would. Everything runs on a VirtualClock with the simulated chair: the figures are "
        "simulated chair time, the same on any machine."
    )
    goal = (
        f"for every change, chairctl's overhead at most one key gap ({gap:.2f} s) and its total "
        f"at most half the baseline's"
    )
    return Section(
        key=KEY,
        title=TITLE,
        method=method,
        goal=goal,
        met=met_all,
        tables=[
            Table(
                [
                    "change",
                    "keys",
                    "mechanics need (s)",
                    "chairctl total (s)",
                    "chairctl overhead (s)",
                    "baseline total (s)",
                    "baseline overhead (s)",
                    "chairctl / baseline",
                    "goal",
                ],
                rows,
            ),
            Table(
                ["change", "keys chairctl sent", "chairctl sent at (s)", "baseline sent at (s)"],
                key_rows,
            ),
        ],
        figures={
            "model": model.id,
            "status_form": FORM,
            "key_gap_s": key_gap,
            "pacing_gap_s": gap,
            "settle_s": SETTLE_S,
            "watch_s": WATCH_S,
            "steady_s": STEADY_S,
            "baseline_after_power_s": vendor_app.AFTER_POWER_S,
            "baseline_between_keys_s": vendor_app.BETWEEN_KEYS_S,
            "transitions": figures_by,
        },
        notes=notes,
    )
