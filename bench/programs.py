"""Program handling: how many program files chairctl validates and compiles per second.

Every command that takes a program (``validate``, ``show``, ``check``, ``run``) and the app's
library first loads it (read, YAML parse, field validation, whole-file rules) and most then
compile it for a chair. A folder of programs is handled file by file, so the rate in files per
second is what an author or CI sees. It is measured on the shipped library and on 1,000
generated programs that span what the format allows (1 to 30 steps, repeat blocks, ramps,
spans, airbags, heat), plus the largest valid program (1,800 setpoints), whose load and compile
times bound what any single file can cost.

The generated programs come from a fixed seed and must all be valid: a generator that writes
invalid files would measure error reporting instead, so the benchmark stops on the first one.
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.results import Section, Table
from bench.stats import Summary
from chairctl.plan import AS_WRITTEN, compile_program
from chairctl.program import load_program, setpoint_count, total_seconds
from chairctl.program.library import library_dir
from chairctl.vocabulary import ChairCapabilities, ChairctlError
from chairctl.vocabulary.limits import NECK_MAX_INTENSITY, SESSION_CAP_S, STEP_MIN_S
from drivers.models import DEFAULT_MODEL, get_model

#: The chair the programs are compiled for (the reference chair of ``chairctl check``).
MODEL_ID = DEFAULT_MODEL
#: The seed of the generated programs, so every run measures the same files.
SEED = 2026

#: The largest valid program: 30 minutes of 5-second steps that each ramp through all five
#: levels. The 30-minute cap and the 5-second step keep any valid file at or below one
#: setpoint a second, so no valid file expands into more.
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

# The program format's vocabulary, as written in files (docs/program-format.md).
_REGIONS = ["neck", "shoulders", "upper_back", "mid_back", "lower_back", "sacrum_glutes"]
_ROLLER_TECHNIQUES = ["knead", "tap", "knock", "knead_knock", "shiatsu", "roll", "swedish"]
_RESTING_TECHNIQUES = ["stretch", "none"]
_PERCUSSION = {"tap", "knock", "knead_knock"}
_NECK_SAFE = ["knead", "shiatsu", "roll"]
_CATEGORIES = [
    "back-pain",
    "neck-shoulders",
    "relaxation",
    "recovery",
    "sleep",
    "mobility",
    "gentle",
]
_GOALS = ["tension", "circulation", "mobility", "sleep", "mood", "pain-relief"]
_AIRBAG_ZONES = ["shoulders", "arms", "waist", "seat", "thighs", "calves", "feet"]
_HEATERS = ["lumbar", "seat", "calves"]
_HEAT_LEVELS = ["off", "low", "medium", "high"]
_WIDTHS = ["narrow", "medium", "wide"]
_POSTURES = ["upright", "recline", "zero_g_1", "zero_g_2"]
_DURATIONS_S = [5, 10, 15, 20, 30, 45, 60, 75, 90, 120, 150, 180, 240, 300]


@dataclass
class _Leaf:
    """A step; its fields are YAML text, written in this order."""

    times: int
    fields: dict[str, str] = field(default_factory=dict)
    duration_s: int = 0


@dataclass
class _Block:
    """A repeat block."""

    repeat: int
    name: str | None
    items: list[_Leaf | _Block]


def _structure(rng: random.Random, leaves: int, times: int, depth: int) -> list[_Leaf | _Block]:
    """``leaves`` steps, some of them in (at most two levels of) repeat blocks."""
    items: list[_Leaf | _Block] = []
    left = leaves
    while left:
        if depth < 2 and rng.random() < 0.15:
            inside = rng.randint(1, min(4, left))
            repeat = rng.randint(2, 3)
            name = f"Block {len(items) + 1}" if rng.random() < 0.7 else None
            block_items = _structure(rng, inside, times * repeat, depth + 1)
            items.append(_Block(repeat, name, block_items))
            left -= inside
        else:
            items.append(_Leaf(times))
            left -= 1
    return items


def _leaves(items: Sequence[_Leaf | _Block]) -> list[_Leaf]:
    """The steps in run order (each once, with how many times it runs)."""
    found: list[_Leaf] = []
    for item in items:
        found.extend([item] if isinstance(item, _Leaf) else _leaves(item.items))
    return found


def _duration_text(rng: random.Random, seconds: int) -> str:
    # Authors write seconds as a number, or "90s", "2m", "1m30s": the loader parses each.
    if rng.random() < 0.3:
        return str(seconds)
    minutes, rest = divmod(seconds, 60)
    if minutes and rest:
        return f'"{minutes}m{rest}s"' if rng.random() < 0.5 else f'"{seconds}s"'
    return f"{minutes}m" if minutes else f"{rest}s"


def _intensity(rng: random.Random, highest: int) -> str:
    """A level, or a ramp up or down, never above ``highest``."""
    if highest > 1 and rng.random() < 0.3:
        start, end = rng.sample(range(1, highest + 1), 2)
        return f"{{from: {start}, to: {end}}}"
    return str(rng.randint(1, highest))


def _fill(rng: random.Random, leaf: _Leaf, number: int, first: bool) -> None:
    """Choose what a step does, within the rules of the format."""
    resting = rng.random() < 0.08
    technique = rng.choice(_RESTING_TECHNIQUES if resting else _ROLLER_TECHNIQUES)
    fields = leaf.fields
    fields["name"] = f"Step {number} ({technique})"
    fields["technique"] = technique
    highest = 5
    if not resting:
        start = rng.randrange(len(_REGIONS))
        span = _REGIONS[start : start + rng.choice([1, 1, 1, 2, 2, 3, 5])]
        if "neck" in span:
            # The neck: never percussion, and at most intensity 2 (ramps included).
            if technique in _PERCUSSION:
                technique = rng.choice(_NECK_SAFE)
                fields["name"] = f"Step {number} ({technique})"
                fields["technique"] = technique
            highest = NECK_MAX_INTENSITY
        fields["region"] = span[0] if len(span) == 1 else f"[{', '.join(span)}]"
        if first:
            # Authors keep the first minute gentle (the compiler would hold it at 2 anyway).
            highest = min(highest, 2)
        if rng.random() < 0.85:
            fields["intensity"] = _intensity(rng, highest)
        if rng.random() < 0.4:
            fields["speed"] = str(rng.randint(1, 5))
        if rng.random() < 0.3:
            fields["width"] = rng.choice(_WIDTHS)
    if rng.random() < 0.4:
        zones = rng.sample(_AIRBAG_ZONES, rng.randint(1, 3))
        fields["airbags"] = "{" + ", ".join(f"{z}: {rng.randint(0, 5)}" for z in zones) + "}"
    if rng.random() < 0.2:
        heaters = rng.sample(_HEATERS, rng.randint(1, 2))
        fields["heat"] = "{" + ", ".join(f"{h}: {rng.choice(_HEAT_LEVELS)}" for h in heaters) + "}"
    if rng.random() < 0.15:
        fields["foot_rollers"] = rng.choice(["off", "1", "2", "3"])
    if rng.random() < 0.1:
        fields["posture"] = rng.choice(_POSTURES)


def _fit_durations(rng: random.Random, leaves: list[_Leaf]) -> None:
    """Give each step a length, then shorten the longest until the session fits the cap."""
    for leaf in leaves:
        leaf.duration_s = rng.choice(_DURATIONS_S)
    # Repeats count towards the cap. The structure keeps the shortest possible session (every
    # step 5 s) within it: 30 steps, each run at most 3 x 3 times.
    while sum(leaf.duration_s * leaf.times for leaf in leaves) > SESSION_CAP_S:
        longest = max(leaves, key=lambda leaf: leaf.duration_s * leaf.times)
        longest.duration_s = max(STEP_MIN_S, longest.duration_s // 2 // 5 * 5)


def _emit(items: Sequence[_Leaf | _Block], indent: str, rng: random.Random) -> list[str]:
    lines: list[str] = []
    for item in items:
        if isinstance(item, _Block):
            head = [f"name: {item.name}"] if item.name else []
            head += [f"repeat: {item.repeat}", "steps:"]
            lines.append(f"{indent}- {head[0]}")
            lines += [f"{indent}  {line}" for line in head[1:]]
            lines += _emit(item.items, indent + "    ", rng)
        else:
            values = dict(item.fields)
            values["duration"] = _duration_text(rng, item.duration_s)
            order = ["name", "duration", "technique", "region", "intensity"]
            keys = order + [key for key in values if key not in order]
            written = [f"{key}: {values[key]}" for key in keys if key in values]
            lines.append(f"{indent}- {written[0]}")
            lines += [f"{indent}  {line}" for line in written[1:]]
    return lines


def generate(rng: random.Random, number: int) -> tuple[str, str]:
    """(id, YAML text) of one valid program."""
    program_id = f"generated-{number:04d}"
    items = _structure(rng, rng.randint(1, 30), 1, 0)
    leaves = _leaves(items)
    for index, leaf in enumerate(leaves):
        _fill(rng, leaf, index + 1, first=index == 0)
    _fit_durations(rng, leaves)
    category = rng.choice(_CATEGORIES)
    goals = rng.sample(_GOALS, rng.randint(1, 3))
    lines = [
        "# yaml-language-server: $schema=../schema/program.schema.json",
        "format: 1",
        f"id: {program_id}",
        f"name: Generated program {number}",
        f"summary: {len(leaves)} steps of {category} work, generated for the benchmark.",
        "description: >-",
        "  A program written by the benchmark's generator from a fixed seed, to measure how",
        "  fast chairctl loads and compiles programs of every shape the format allows.",
        f"category: {category}",
        f"goals: [{', '.join(goals)}]",
    ]
    if rng.random() < 0.3:
        lines.append("for_conditions: [everyday-tension]")
    if rng.random() < 0.3:
        lines += ["cautions:", "  - Stop at once if anything hurts, tingles or feels numb."]
    if rng.random() < 0.5:
        # Defaults apply to every step that omits the field; an intensity here stays at 2 or
        # below, so the steps at the neck and the first step that rely on it stay valid.
        defaults = [f"speed: {rng.randint(1, 5)}"]
        if rng.random() < 0.5:
            defaults.append(f"intensity: {rng.randint(1, 2)}")
        if rng.random() < 0.3:
            defaults.append(f"width: {rng.choice(_WIDTHS)}")
        lines += ["defaults:", *(f"  {line}" for line in defaults)]
    lines.append("steps:")
    lines += _emit(items, "  ", rng)
    return program_id, "\n".join(lines) + "\n"


def write_generated(folder: Path, count: int) -> list[Path]:
    """``count`` generated programs written into ``folder``, from the fixed seed."""
    rng = random.Random(SEED)
    paths = []
    for number in range(1, count + 1):
        program_id, text = generate(rng, number)
        path = folder / f"{program_id}.yaml"
        path.write_text(text)
        paths.append(path)
    return paths


@dataclass
class _Round:
    """One pass over a corpus: each file's load and compile time, in seconds."""

    load_s: list[float]
    compile_s: list[float]
    #: Each file's steps (repeats counted once) and setpoints, to describe the corpus.
    steps: list[int]
    setpoints: list[int]


def _one_round(paths: Sequence[Path], chair: ChairCapabilities) -> _Round:
    """Load then compile each file, timing each call (so 'both' is their sum, file by file)."""
    result = _Round([], [], [], [])
    for path in paths:
        try:
            started = time.perf_counter()
            program = load_program(path)
            loaded = time.perf_counter()
            compile_program(program, person=AS_WRITTEN, chair=chair)
            compiled = time.perf_counter()
        except ChairctlError as error:
            # Every file measured is meant to be valid and compilable: anything else is a bug in
            # the generator (or in chairctl), not a figure.
            first = str(error).splitlines()[0]
            raise SystemExit(
                f"bench.programs: {path.name} does not load and compile: {first}"
            ) from None
        result.load_s.append(loaded - started)
        result.compile_s.append(compiled - loaded)
        result.steps.append(sum(1 for _ in program.walk()))
        result.setpoints.append(setpoint_count(program))
    return result


def _rates(rounds: Sequence[_Round], count: int) -> dict[str, dict[str, float]]:
    """Files per second per round, for validate, compile and both: median, min and max."""
    per_round = {
        "validate": [count / sum(r.load_s) for r in rounds],
        "compile": [count / sum(r.compile_s) for r in rounds],
        "both": [count / (sum(r.load_s) + sum(r.compile_s)) for r in rounds],
    }
    return {
        kind: {"median": statistics.median(rates), "min": min(rates), "max": max(rates)}
        for kind, rates in per_round.items()
    }


def _rate_cell(rate: dict[str, float], rounds: int) -> str:
    if rounds == 1:
        return f"{rate['median']:,.0f}"
    return f"{rate['median']:,.0f} ({rate['min']:,.0f}–{rate['max']:,.0f})"


def _limit_times(folder: Path, rounds: int, chair: ChairCapabilities) -> dict[str, Any]:
    """Load and compile times of the largest valid program, in milliseconds."""
    path = folder / "at-the-limit.yaml"
    path.write_text(LIMIT_PROGRAM)
    loads: list[float] = []
    compiles: list[float] = []
    program = load_program(path)
    for _ in range(rounds):
        started = time.perf_counter()
        program = load_program(path)
        loaded = time.perf_counter()
        compile_program(program, person=AS_WRITTEN, chair=chair)
        compiles.append((time.perf_counter() - loaded) * 1000)
        loads.append((loaded - started) * 1000)
    return {
        "setpoints": setpoint_count(program),
        "session_s": total_seconds(program),
        "load_ms": Summary.of(loads).as_dict(),
        "compile_ms": Summary.of(compiles).as_dict(),
    }


def run(quick: bool) -> Section:
    """Validate and compile the library, the generated programs and the largest program."""
    chair = get_model(MODEL_ID).capabilities
    rounds = 1 if quick else 3
    generated_count = 100 if quick else 1000
    limit_rounds = 3 if quick else 10
    library = sorted(library_dir().glob("*.yaml"))
    figures: dict[str, Any] = {"model": MODEL_ID, "rounds": rounds, "seed": SEED}
    rows: list[list[str]] = []
    with tempfile.TemporaryDirectory(prefix="chairctl-bench-") as folder:
        generated = write_generated(Path(folder), generated_count)
        # An untimed pass over the library first: schema building and imports are paid once
        # per process and would otherwise land on the first corpus.
        _one_round(library, chair)
        for corpus, paths in (("library", library), ("generated", generated)):
            measured = [_one_round(paths, chair) for _ in range(rounds)]
            rates = _rates(measured, len(paths))
            load_ms = [s * 1000 for r in measured for s in r.load_s]
            load_total = sum(sum(r.load_s) for r in measured)
            compile_total = sum(sum(r.compile_s) for r in measured)
            figures[corpus] = {
                "files": len(paths),
                "validate_share": load_total / (load_total + compile_total),
                "steps_median": statistics.median(measured[0].steps),
                "setpoints_median": statistics.median(measured[0].setpoints),
                "files_per_s": rates,
                "load_ms_per_file": Summary.of(load_ms).as_dict(),
            }
            rows.append(
                [
                    corpus,
                    f"{len(paths):,}",
                    *(_rate_cell(rates[kind], rounds) for kind in ("validate", "compile", "both")),
                ]
            )
        limit = _limit_times(Path(folder), limit_rounds, chair)
    figures["largest_valid_program"] = limit

    both_library = figures["library"]["files_per_s"]["both"]["median"]
    both_generated = figures["generated"]["files_per_s"]["both"]["median"]
    load_share = figures["generated"]["validate_share"]
    notes = [
        f"The library ({len(library)} files) validates and compiles in "
        f"{len(library) / both_library:.2f} s; {generated_count:,} generated programs "
        f"(median {figures['generated']['steps_median']:.0f} steps) in "
        f"{generated_count / both_generated:.1f} s.",
        f"On the generated programs, validating (read, YAML parse, validation, whole-file "
        f"rules) takes {load_share:.0%} of the time of both, compiling {1 - load_share:.0%}.",
        f"The largest valid program ({limit['setpoints']:,} setpoints) loads in "
        f"{limit['load_ms']['median']:.1f} ms and compiles in "
        f"{limit['compile_ms']['median']:.1f} ms (median of {limit_rounds} rounds).",
        "The generated programs come from a fixed seed and vary the number of steps (1 to 30), "
        "repeat blocks (nested up to twice), techniques, spans, constant and ramped "
        "intensities, airbags, heat, foot rollers, postures and defaults; every one is valid.",
    ]
    round_text = f"{rounds} rounds (median, and the range)" if rounds > 1 else "1 round"
    return Section(
        key="programs",
        title="Program handling",
        method=(
            "Files per second loaded and validated (`load_program`), compiled for the "
            f"{get_model(MODEL_ID).name} (`compile_program`), and both, over the library and "
            f"{generated_count:,} generated programs; {round_text}."
        ),
        goal="",
        met=None,
        tables=[
            Table(["corpus", "files", "validate /s", "compile /s", "both /s"], rows),
            Table(
                ["largest valid program", "setpoints", "load", "compile"],
                [
                    [
                        f"at-the-limit ({limit['session_s'] / 60:.0f} min of 5 s ramps)",
                        f"{limit['setpoints']:,}",
                        f"{limit['load_ms']['median']:.1f} ms",
                        f"{limit['compile_ms']['median']:.1f} ms",
                    ]
                ],
            ),
        ],
        figures=figures,
        notes=notes,
    )
