"""Benchmark: how fast the simulated chair runs in virtual time.

Run with ``uv run python bench/bench_simulator.py``. A chair is powered on and set running
(knead over the full back, two airbag groups taking turns, heat on, foot roller on, a 30-minute
session), and 30 minutes from power-on are simulated on a VirtualClock with a controller
attached that receives every status frame, once per status form. The figure is the wall time
of those 30 minutes, best and median of several rounds, next to the bare cost of waking a
VirtualClock as often without doing anything.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time

from chairctl.clock import VirtualClock
from chairctl.vocabulary import Technique
from drivers.models import get_model
from simulator.chair import SimulatedChair
from simulator.rongtai.frames import Form, key_frame


async def running_chair(form: Form, minutes: float) -> tuple[float, int]:
    """Wall seconds and frames of ``minutes`` of a running chair."""
    model = get_model()
    clock = VirtualClock()
    chair = SimulatedChair(model, clock, form=form)
    frames: list[bytes] = []
    link = chair.connect(frames.append)
    keys = model.keys
    assert keys.heat_toggle is not None
    # The clock runs from 0: the measured half hour includes power-up and the body scan.
    began = time.perf_counter()
    link.write(key_frame(0x83, keys.power))
    await clock.advance(model.mechanics.body_scan_s + 0.5)
    for key in (
        keys.session_presets[30],
        keys.techniques[Technique.KNEAD].key,
        keys.airbag_groups[0].key,
        keys.airbag_groups[2].key,
        keys.heat_toggle,
        keys.foot_roller[1],
    ):
        link.write(key_frame(0x83, key))
        await clock.advance(0.25)
    await clock.advance_to(minutes * 60 - 1.0)
    assert chair.state().roller_technique is Technique.KNEAD
    await clock.advance_to(minutes * 60)
    wall = time.perf_counter() - began
    return wall, len(frames)


async def bare_clock(period: float, minutes: float) -> float:
    """Wall seconds of waking a VirtualClock every ``period`` for ``minutes``, doing nothing."""
    clock = VirtualClock()
    count = 0

    def tick() -> None:
        nonlocal count
        count += 1
        clock.call_at((count + 1) * period, tick)

    clock.call_at(period, tick)
    began = time.perf_counter()
    await clock.advance(minutes * 60)
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rounds", type=int, default=5, help="rounds per figure (best and median)")
    parser.add_argument("--minutes", type=float, default=30.0, help="simulated minutes per round")
    args = parser.parse_args()
    model = get_model()
    print(f"{args.minutes:g} simulated minutes, {args.rounds} rounds, wall milliseconds\n")
    print("| status form | frames | best | median | bare clock, same wakes | times real time |")
    print("|---|---:|---:|---:|---:|---:|")
    forms: tuple[Form, ...] = ("ble", "wired")
    for form in forms:
        runs = [asyncio.run(running_chair(form, args.minutes)) for _ in range(args.rounds)]
        walls = [wall for wall, _ in runs]
        period = model.protocol.status_forms[form].period_ms / 1000
        bare = min(asyncio.run(bare_clock(period, args.minutes)) for _ in range(args.rounds))
        best = min(walls)
        print(
            f"| {form} ({period * 1000:g} ms) | {runs[0][1]} | {best * 1000:.0f} | "
            f"{statistics.median(walls) * 1000:.0f} | {bare * 1000:.0f} | "
            f"{args.minutes * 60 / best:,.0f} |"
        )


if __name__ == "__main__":
    main()
