"""``python -m bench``: run the benchmarks, print the tables, write bench/results.json.

``--docs`` renders docs/performance.md from bench/results.json instead of running anything;
it refuses the results of a ``--quick`` run, whose few trials are not figures to publish.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
from collections.abc import Callable
from pathlib import Path

from bench.report import DOCUMENT, document, printed
from bench.results import RESULTS, Run, Section

#: The benchmarks, in the order they run and appear: key → module under bench/.
BENCHMARKS: dict[str, str] = {
    "stop_latency": "bench.stop_latency",
    "bridge_stop": "bench.bridge_stop",
    "following": "bench.rongtai.following",
    "check_speed": "bench.check_speed",
    "population": "bench.population",
    "programs": "bench.programs",
    "startup": "bench.startup",
}


def _runner(key: str) -> Callable[[bool], Section]:
    module = importlib.import_module(BENCHMARKS[key])
    run: Callable[[bool], Section] = module.run
    return run


def _merged(run: Run, path: Path) -> Run:
    """``run``'s sections put into the results already at ``path``, when both are full runs
    (or both quick): re-running one benchmark keeps the others' figures."""
    if not path.exists():
        return run
    try:
        earlier = Run.load(path)
    except (OSError, ValueError, KeyError, TypeError):
        return run  # not a results file we can read: this run's figures alone
    if earlier.quick != run.quick:
        return run
    fresh = {section.key: section for section in run.sections}
    kept = {section.key: section for section in earlier.sections}
    ordered = [fresh.get(key) or kept.get(key) for key in BENCHMARKS]
    return Run([s for s in ordered if s is not None], quick=run.quick)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer trials: proves it works")
    parser.add_argument(
        "--only", nargs="+", choices=list(BENCHMARKS), metavar="NAME", help="run only these"
    )
    parser.add_argument("--out", type=Path, default=RESULTS, help="where to write the results")
    parser.add_argument(
        "--docs", action="store_true", help="render docs/performance.md from the results file"
    )
    args = parser.parse_args(argv)
    if args.docs:
        run = Run.load(args.out)
        if run.quick:
            print("these are the results of a --quick run: run the full benchmark first")
            return 1
        DOCUMENT.write_text(document(run))
        print(f"wrote {DOCUMENT}")
        return 0
    sections = []
    for key in args.only or BENCHMARKS:
        started = time.perf_counter()
        print(f"running {key}…", file=sys.stderr, flush=True)
        sections.append(_runner(key)(args.quick))
        print(f"  {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    run = Run(sections, quick=args.quick)
    if args.only:
        run = _merged(run, args.out)
    run.save(args.out)
    print(printed(run))
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
