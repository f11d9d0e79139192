"""Benchmark: how fast ``chairctl check`` simulates, through the whole stack.

Each program runs through engine, session, codec, in-memory link and simulated chair on one
VirtualClock, and is judged; the figure is virtual seconds of session per wall-clock second
(``x real time``), best and median of several rounds, per program and for the library. The
goal is at least 2,000 times real time on a 2-core machine, so that a 15-minute program checks
in under half a second. Run with ``uv run python bench/bench_check.py``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

from chairctl.cli.check import check_program
from chairctl.program.library import library_dir
from drivers.models import get_model


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    model = get_model("rongtai-rt8600s")
    paths = sorted(library_dir().glob("*.yaml"))
    print(f"python {sys.version.split()[0]}, {model.id}, best and median of {args.rounds} rounds\n")
    print("| program | session | wall best | wall median | x real time (best) |")
    print("|---|---:|---:|---:|---:|")
    total_session = 0.0
    total_best = 0.0
    for path in paths:
        walls = []
        session = 0.0
        for _ in range(args.rounds):
            start = time.perf_counter()
            result = check_program(path, model)
            walls.append(time.perf_counter() - start)
            session = result.length_s
        best = min(walls)
        total_session += session
        total_best += best
        print(
            f"| {path.stem} | {session / 60:.1f} min | {best * 1000:.0f} ms | "
            f"{statistics.median(walls) * 1000:.0f} ms | {session / best:,.0f} |"
        )
    print(
        f"| **library** | {total_session / 60:.1f} min | {total_best * 1000:.0f} ms | | "
        f"{total_session / total_best:,.0f} |"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
