"""The benchmarks' bookkeeping: summaries, results files and the generated performance page.

The benchmarks themselves are not tests (CI runs ``python -m bench --quick`` once, and never
judges a figure); what is tested is that their figures are summarised correctly and that
docs/performance.md is exactly what the committed results render to.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.__main__ import main
from bench.report import DOCUMENT, document
from bench.results import RESULTS, Run, Section, Table
from bench.stats import Summary, percentile


def test_percentiles_are_values_that_occurred_by_nearest_rank() -> None:
    samples = [float(n) for n in range(1, 101)]  # 1..100
    assert percentile(samples, 0.5) == 50
    assert percentile(samples, 0.95) == 95
    assert percentile(samples, 0.99) == 99
    assert percentile(samples, 1.0) == 100
    assert percentile([3.0, 1.0, 2.0], 0.99) == 3.0
    summary = Summary.of([5.0, 1.0, 9.0, 3.0])
    assert (summary.n, summary.median, summary.max, summary.min) == (4, 4.0, 9.0, 1.0)
    assert Summary.from_dict(summary.as_dict()) == summary
    with pytest.raises(ValueError, match="no samples"):
        percentile([], 0.5)


def _run(quick: bool) -> Run:
    section = Section(
        key="demo",
        title="Demo",
        method="Counts.",
        goal="at most 2",
        met=False,
        tables=[Table(["what", "n"], [["a", "3"]])],
        figures={"a": 3},
        notes=["a is 3."],
    )
    return Run([section], quick=quick)


def test_a_run_survives_its_results_file(tmp_path: Path) -> None:
    run = _run(quick=False)
    path = tmp_path / "results.json"
    run.save(path)
    again = Run.load(path)
    assert again == run
    page = document(again)
    assert "| a | 3 |" in page
    assert "Goal: at most 2 — **missed**." in page


def test_the_docs_are_not_rendered_from_a_quick_run(tmp_path: Path) -> None:
    path = tmp_path / "results.json"
    _run(quick=True).save(path)
    assert main(["--docs", "--out", str(path)]) == 1


def test_the_performance_page_is_the_rendering_of_the_committed_results() -> None:
    # Figures are never typed in by hand: the page is what `python -m bench --docs` makes.
    run = Run.load(RESULTS)
    assert not run.quick
    assert DOCUMENT.read_text() == document(run), "run: uv run python -m bench --docs"


def test_rerunning_some_benchmarks_keeps_the_others_figures(tmp_path: Path) -> None:
    from bench.__main__ import _merged

    path = tmp_path / "results.json"

    def section(key: str, figure: int) -> Section:
        return Section(key, key, "m", "", None, [], {"n": figure})

    Run([section("stop_latency", 1), section("programs", 1)], quick=False).save(path)
    merged = _merged(Run([section("programs", 2)], quick=False), path)
    assert [(s.key, s.figures["n"]) for s in merged.sections] == [
        ("stop_latency", 1),
        ("programs", 2),
    ]
    # A quick run never mixes with a full one.
    alone = _merged(Run([section("programs", 3)], quick=True), path)
    assert [s.key for s in alone.sections] == ["programs"]
