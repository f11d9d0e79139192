"""Population check cost: what judging the library for everyone who may sit costs.

``chairctl check --population ci`` runs every program once per person of the CI population
(:data:`chairctl.cli.population.CI_POPULATION`) on every shipped model, and CI waits for it.
This measures its wall time on one process and on every core (``--jobs``), and what that
makes of the full sweep (every body, tier, exclusion and live script, crossed). The goal is
that CI's run stays under two minutes on a 2-core machine.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from bench.results import Section, Table
from chairctl.cli.check import run_checks
from chairctl.cli.population import CI_POPULATION, full_population
from chairctl.program.library import library_dir
from drivers.models import ChairModel
from drivers.models.registry import builtin_registry

#: CI's budget for the population check of the whole library on every shipped model.
GOAL_S = 120.0


def _models() -> list[ChairModel]:
    return list(builtin_registry())


def _timed(paths: list[Path], models: list[ChairModel], jobs: int) -> tuple[float, int, int]:
    """(wall seconds, runs, runs with a violation) of one population check."""
    started = time.perf_counter()
    checks, _ = run_checks(paths, models, CI_POPULATION, safety_only=True, jobs=jobs)
    wall = time.perf_counter() - started
    return wall, len(checks), sum(1 for c in checks if c.violations)


def run(quick: bool) -> Section:
    """Time the CI population over the library (a quick run: three programs), on one process
    and on every core."""
    paths = sorted(library_dir().glob("*.yaml"))
    if quick:
        paths = paths[:: max(1, len(paths) // 3)][:3]
    models = _models()
    cores = os.cpu_count() or 1
    rows: list[list[str]] = []
    figures: dict[str, Any] = {
        "programs": len(paths),
        "models": [m.id for m in models],
        "people": len(CI_POPULATION),
        "cores": cores,
    }
    timings: dict[int, float] = {}
    for jobs in sorted({1, cores}):
        wall, runs, failing = _timed(paths, models, jobs)
        timings[jobs] = wall
        figures[f"jobs_{jobs}"] = {"wall_s": wall, "runs": runs, "violations": failing}
        rows.append(
            [
                str(jobs),
                str(runs),
                f"{wall:.1f} s",
                f"{wall / runs * 1000:,.0f} ms",
                str(failing),
            ]
        )
    best = min(timings.values())
    per_run = timings[1] / (len(paths) * len(models) * len(CI_POPULATION))
    full_people = len(full_population())
    full_runs = full_people * len(paths) * len(models)
    full_s = full_runs * per_run / cores
    figures |= {
        "best_wall_s": best,
        "per_run_s": per_run,
        "full_people": full_people,
        "full_runs": full_runs,
        "full_estimate_s": full_s,
    }
    notes = [
        f"{len(CI_POPULATION)} people × {len(paths)} programs × {len(models)} models: "
        f"{best:.0f} s on {cores} core{'s' if cores != 1 else ''}, "
        f"{per_run * 1000:,.0f} ms a run on one.",
        f"The full sweep ({full_people} people) would be {full_runs:,} runs: about "
        f"{full_s / 3600:.1f} h on {cores} cores at that rate, which is why CI runs the "
        "CI population and the full sweep is a command to run before a release.",
        "A run is a whole session in virtual time: compile, engine, chair session, codec, "
        "simulated chair and the judge; a person the screening refuses costs only the "
        "screening, and a program the chair cannot run at all only the compile.",
    ]
    scale = "the whole library" if not quick else f"{len(paths)} programs"
    return Section(
        key="population",
        title="Population check cost",
        method=(
            f"`chairctl check --population ci --model all --safety-only` over {scale}, "
            "timed on one process and with `--jobs` set to the number of cores."
        ),
        goal=f"the whole library on every shipped model in under {GOAL_S:.0f} s on 2 cores",
        met=None if quick else best <= GOAL_S,
        tables=[Table(["jobs", "runs", "wall", "per run", "runs with a violation"], rows)],
        figures=figures,
        notes=notes,
    )
