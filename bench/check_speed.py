"""Check speed: how many virtual seconds ``chairctl check`` simulates per wall-clock second.

``chairctl check`` runs each program through the whole stack (engine, chair session, codec,
in-memory link, simulated chair) on one VirtualClock, then judges what the chair did. Program
authors and CI wait for it, so it must stay far faster than real time: the goal is at least
2,000 times real time, for the library as a whole and for its slowest program, so that a
15-minute program checks in under half a second on a 2-core machine.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path
from typing import Any

from bench.results import Section, Table
from bench.stats import Summary
from chairctl.cli.check import check_program
from chairctl.program import load_program, total_seconds
from chairctl.program.library import library_dir
from drivers.families import FAMILIES
from drivers.models import DEFAULT_MODEL, ChairModel, get_model

#: The goal, in times real time.
GOAL_RATIO = 2000.0
#: The reference chair of ``chairctl check``.
MODEL_ID = DEFAULT_MODEL
#: The other families' example models, measured for information (no goal: the reference
#: chair's figure is the one program authors and CI wait for).
OTHER_MODEL_IDS = tuple(
    family.example_model
    for family in FAMILIES.values()
    if family.name != get_model(MODEL_ID).family
)
#: The program length the notes translate the library's speed into (a typical session).
TYPICAL_SESSION_S = 15 * 60


def _programs(quick: bool) -> list[Path]:
    """The library; a quick run takes the shortest, a middle and the longest program."""
    paths = sorted(library_dir().glob("*.yaml"))
    if not quick:
        return paths
    # Ordered by written length, so the quick run still spans the range of session lengths.
    by_length = sorted(paths, key=lambda path: (total_seconds(load_program(path)), path.name))
    picked = [by_length[0], by_length[len(by_length) // 2], by_length[-1]]
    return sorted(set(picked))


def _time_check(path: Path, model: ChairModel) -> tuple[float, float]:
    """(wall seconds, session seconds) of one check of ``path``; a program the chair refuses
    before anything moves (a region its track cannot reach) has no session."""
    started = time.perf_counter()
    result = check_program(path, model)
    wall = time.perf_counter() - started
    return wall, (0.0 if result.outcome in ("unsupported", "error") else result.length_s)


def _other_family(
    model_id: str, paths: list[Path], rounds: int
) -> tuple[list[str], dict[str, Any]]:
    """One row and the figures of a whole-library check on another family's model."""
    model = get_model(model_id)
    session = wall = 0.0
    refused = 0
    for path in paths:
        walls = []
        for _ in range(rounds):
            took, length = _time_check(path, model)
            walls.append(took)
        refused += length == 0.0
        session += length
        wall += Summary.of(walls).median
    ratio = session / wall
    row = [f"{model.name} ({model.family})", str(len(paths) - refused), str(refused)]
    row += [_minutes(session), _ms(wall), _ratio(ratio)]
    figures = {"family": model.family, "programs_run": len(paths) - refused}
    figures |= {"programs_refused": refused, "session_s": session, "wall_s": wall}
    return row, {**figures, "ratio": ratio}


def _minutes(seconds: float) -> str:
    return f"{seconds / 60:.1f} min"


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


def _ratio(value: float) -> str:
    return f"{value:,.0f}×"


def run(quick: bool) -> Section:
    """Check each program ``rounds`` times; report wall time and speed against real time."""
    model = get_model(MODEL_ID)
    paths = _programs(quick)
    rounds = 1 if quick else 5
    # One untimed check first: imports, caches and the first event loop are paid once per
    # process, not per program, and would otherwise land on whichever program runs first.
    _time_check(paths[0], model)

    per_program: dict[str, dict[str, Any]] = {}
    rows: list[list[str]] = []
    for path in paths:
        walls: list[float] = []
        session = 0.0
        for _ in range(rounds):
            wall, session = _time_check(path, model)
            walls.append(wall)
        summary = Summary.of(walls)
        ratio = session / summary.median
        per_program[path.stem] = {
            "session_s": session,
            "wall_s": summary.as_dict(),
            "ratio_median": ratio,
        }
        rows.append(
            [
                path.stem,
                _minutes(session),
                _ms(summary.median),
                _ms(summary.p95),
                _ratio(ratio),
            ]
        )

    total_session = sum(p["session_s"] for p in per_program.values())
    # The library's wall time is the sum of each program's median, as a whole-library check
    # of typical rounds would take.
    total_wall = sum(p["wall_s"]["median"] for p in per_program.values())
    library_ratio = total_session / total_wall
    slowest = min(per_program, key=lambda name: per_program[name]["ratio_median"])
    slowest_ratio: float = per_program[slowest]["ratio_median"]
    rows.append(
        [
            f"**library** ({len(paths)} programs)",
            _minutes(total_session),
            _ms(total_wall),
            "—",
            _ratio(library_ratio),
        ]
    )

    figures: dict[str, Any] = {
        "model": MODEL_ID,
        "rounds": rounds,
        "goal_ratio": GOAL_RATIO,
        "programs": per_program,
        "library": {
            "programs": len(paths),
            "session_s": total_session,
            "wall_s": total_wall,
            "ratio": library_ratio,
        },
        "slowest": {"program": slowest, "ratio_median": slowest_ratio},
        "ratio_median_of_programs": statistics.median(
            p["ratio_median"] for p in per_program.values()
        ),
    }
    family_rows: list[list[str]] = []
    families: dict[str, Any] = {}
    for other in OTHER_MODEL_IDS:
        row, families[other] = _other_family(other, paths, rounds)
        family_rows.append(row)
    figures["other_families"] = families
    notes = [
        f"The whole library ({len(paths)} programs, {_minutes(total_session)} of sessions) "
        f"checks in {total_wall:.2f} s, {_ratio(library_ratio)} real time.",
        f"The slowest program, {slowest}, runs at {_ratio(slowest_ratio)} real time.",
        f"At the library's speed a {TYPICAL_SESSION_S // 60}-minute program checks in "
        f"{TYPICAL_SESSION_S / library_ratio:.2f} s.",
        "Wall time includes loading, compiling, the simulated run and judging, as "
        "`chairctl check` does for each file; an untimed check first pays the one-time "
        "start-up costs of the process.",
        "The other families' models are measured the same way, for information: a program "
        "their chair refuses before anything moves (a region its track cannot reach) counts "
        "its compile time and no session. A chair on a panel line is the slowest to simulate: "
        "its line carries a byte every tick and its status comes as often.",
    ]
    return Section(
        key="check_speed",
        title="Check speed",
        method=(
            f"`chairctl check` on the {model.name} simulator, through the whole stack in "
            f"virtual time: virtual seconds of session per wall-clock second, median of "
            f"{rounds} round{'s' if rounds != 1 else ''} per program, over "
            f"{len(paths)} library programs."
        ),
        goal=(
            f"at least {GOAL_RATIO:,.0f}× real time, for the library as a whole (sum of "
            "median wall times) and for its slowest program"
        ),
        met=library_ratio >= GOAL_RATIO and slowest_ratio >= GOAL_RATIO,
        tables=[
            Table(
                ["program", "session", "wall median", "wall p95", "× real time (median)"],
                rows,
            ),
            Table(
                ["other family's model", "run", "refused", "session", "wall", "× real time"],
                family_rows,
            ),
        ],
        figures=figures,
        notes=notes,
    )
