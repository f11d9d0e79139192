"""Benchmark: how long loading, validating and compiling a program takes.

Run with ``uv run python bench/bench_programs.py``. Each figure is the best of several rounds
(the least disturbed by other work on the machine), per program of the library, plus the
largest valid program: 30 minutes of 5-second steps that each ramp through all five levels,
1,800 setpoints (the 30-minute cap and the 5-second step keep any valid file at or below one
setpoint a second).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from chairctl.plan import compile_program
from chairctl.program import load_program, setpoint_count
from chairctl.program.library import library_dir

LIMIT_PROGRAM = """\
format: 1
id: at-the-limit
name: At the limit
summary: 1,800 setpoints, the most a valid program can have.
description: Synthetic, for the benchmark.
category: relaxation
goals: [tension]
steps:
  - name: Outer
    repeat: 18
    steps:
      - name: Inner
        repeat: 20
        steps:
          - name: Ramp
            duration: 5s
            technique: knead
            region: mid_back
            intensity: {from: 1, to: 5}
"""


def best_of(rounds: int, work: Callable[[], object]) -> tuple[float, float]:
    """(best, median) wall time of ``work`` in milliseconds over ``rounds`` runs."""
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return min(times), statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        limit = Path(folder) / "at-the-limit.yaml"
        limit.write_text(LIMIT_PROGRAM)
        for path in [*sorted(library_dir().glob("*.yaml")), limit]:
            program = load_program(path)
            load_best, load_median = best_of(args.rounds, lambda p=path: load_program(p))
            compile_best, compile_median = best_of(
                args.rounds, lambda p=program: compile_program(p)
            )
            rows.append(
                (
                    path.stem,
                    setpoint_count(program),
                    load_best,
                    load_median,
                    compile_best,
                    compile_median,
                )
            )
    print(f"python {sys.version.split()[0]}, best and median of {args.rounds} rounds, ms\n")
    print("| program | setpoints | load best | load median | compile best | compile median |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, count, lb, lm, cb, cm in rows:
        print(f"| {name} | {count} | {lb:.2f} | {lm:.2f} | {cb:.2f} | {cm:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
