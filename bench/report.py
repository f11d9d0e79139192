"""Markdown from a benchmark run: the table printed after a run, and docs/performance.md.

The document is rendered from ``bench/results.json`` alone, so every figure in it is one the
benchmark measured; a test keeps the committed document equal to the rendering of the
committed results.
"""

from __future__ import annotations

import re
from pathlib import Path

from bench.results import Run, Section, Table

#: The rendered document.
DOCUMENT = Path(__file__).resolve().parents[1] / "docs" / "performance.md"

_INTRO = """\
# Performance

How fast chairctl reacts matters to the person in the chair (how soon a stop takes hold, how
closely the chair follows a program) and to program authors and CI (how fast a library
checks). Everything here is measured by the benchmarks in `bench/`, never by timed tests: the
test suite asserts behaviour only, so a slow or busy machine cannot fail it.

**This page is generated.** Every figure below comes from `bench/results.json`, written by the
run described underneath; nothing is typed in by hand. To measure your own machine and render
this page from it:

```sh
uv run python -m bench            # every benchmark: prints the tables, writes bench/results.json
uv run python -m bench --docs     # renders docs/performance.md from bench/results.json
uv run python -m bench --quick    # a short run (what CI does, to prove the benchmarks work)
uv run python -m bench --only stop_latency following   # some of them
```

Each figure is a median with its tail (p95 or p99) and the worst case over many trials, on the
machine named below. CI runs `--quick` once and never fails on a figure.
"""


def _numeric(cells: list[str]) -> bool:
    """A column of figures (right-aligned), not of words."""
    return all(re.match(r"^[\d—\-+.,*]", cell) for cell in cells if cell)


def table(t: Table) -> str:
    """One Markdown table: words left-aligned, figures right-aligned."""
    lines = ["| " + " | ".join(t.columns) + " |"]
    aligns = [
        "---:" if i and _numeric([row[i] for row in t.rows]) else "---"
        for i in range(len(t.columns))
    ]
    lines.append("| " + " | ".join(aligns) + " |")
    lines += ["| " + " | ".join(row) + " |" for row in t.rows]
    return "\n".join(lines)


def _verdict(section: Section) -> str:
    if section.met is None:
        return "no goal"
    return "**met**" if section.met else "**missed**"


def section(s: Section, *, level: str = "##") -> str:
    """A section: title, method, goal, tables and notes."""
    parts = [f"{level} {s.title}", s.method]
    if s.goal:
        parts.append(f"Goal: {s.goal} — {_verdict(s)}.")
    parts += [table(t) for t in s.tables]
    parts += s.notes
    return "\n\n".join(parts)


def summary(run: Run) -> str:
    """The goals at a glance."""
    rows = [[s.title, s.goal or "—", _verdict(s)] for s in run.sections]
    return table(Table(["benchmark", "goal", "result"], rows))


def machine_line(run: Run) -> str:
    """Where and when the figures were taken."""
    m = run.machine
    kind = "a quick run (fewer trials)" if run.quick else "a full run"
    return (
        f"Figures from {kind} on {run.taken[:10]}: "
        f"{m['cpu']}, {m['cores']} cores, {m['system']}, "
        f"{m['implementation']} {m['python']}."
    )


def printed(run: Run) -> str:
    """What a run prints: each section, then the goals."""
    blocks = [machine_line(run)] + [section(s) for s in run.sections]
    blocks += ["## Goals", summary(run)]
    return "\n\n".join(blocks) + "\n"


def document(run: Run) -> str:
    """docs/performance.md for ``run``."""
    blocks = [_INTRO, "## The run", machine_line(run), summary(run)]
    blocks += [section(s) for s in run.sections]
    return "\n\n".join(block.rstrip("\n") for block in blocks) + "\n"
