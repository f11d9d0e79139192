"""What ``chairctl check`` found for each program, and how it is shown: table, JSON, JUnit."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from chairctl.program import format_duration
from chairctl.vocabulary import Region


@dataclass(frozen=True)
class StepResult:
    """How the chair followed one step of the plan."""

    label: str
    line: int
    seconds: float
    fidelity: float | None
    misses: dict[str, float]
    unfollowable: str | None
    approximations: tuple[str, ...]


@dataclass
class ProgramCheck:
    """Everything ``check`` found about one program."""

    path: Path
    program_id: str
    length_s: float
    outcome: str
    reason: str
    steps: list[StepResult] = field(default_factory=list)
    regions: dict[Region, tuple[float, float]] = field(default_factory=dict)
    violations: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    wall_s: float = 0.0

    @property
    def fidelity(self) -> float | None:
        """Time-weighted fidelity over every judged step."""
        judged = [(s.fidelity, s.seconds) for s in self.steps if s.fidelity is not None]
        total = sum(seconds for _, seconds in judged)
        if not total:
            return None
        return sum(f * seconds for f, seconds in judged) / total

    def failures(self, min_fidelity: float) -> list[str]:
        """Why the program fails the check (empty when it passes)."""
        reasons = list(self.problems)
        if self.outcome != "completed":
            reasons.append(f"the run did not complete: {self.reason}")
        reasons += [f"safety: {v}" for v in self.violations]
        for step in self.steps:
            if step.unfollowable is not None:
                reasons.append(
                    f"line {step.line}: step '{step.label}' cannot be followed: {step.unfollowable}"
                )
        fidelity = self.fidelity
        if fidelity is not None and fidelity < min_fidelity:
            worst = min(
                (s for s in self.steps if s.fidelity is not None), key=lambda s: s.fidelity or 0
            )
            missed = ", ".join(f"{k} {v:.0f} s" for k, v in sorted(worst.misses.items()))
            reasons.append(
                f"fidelity {fidelity:.0%} is under {min_fidelity:.0%}; worst is line {worst.line} "
                f"'{worst.label}' at {worst.fidelity or 0:.0%} ({missed or 'no detail'})"
            )
        return reasons

    def to_json(self, min_fidelity: float) -> dict[str, Any]:
        """A JSON-ready summary."""
        failures = self.failures(min_fidelity)
        return {
            "path": str(self.path),
            "id": self.program_id,
            "passed": not failures,
            "failures": failures,
            "length_s": self.length_s,
            "outcome": self.outcome,
            "fidelity": self.fidelity,
            "regions": {
                region.value: {"minutes": seconds / 60, "mean_intensity": depth}
                for region, (seconds, depth) in self.regions.items()
            },
            "steps": [
                {
                    "step": s.label,
                    "line": s.line,
                    "fidelity": s.fidelity,
                    "misses": s.misses,
                    "unfollowable": s.unfollowable,
                    "approximations": list(s.approximations),
                }
                for s in self.steps
            ],
            "violations": self.violations,
            "wall_s": self.wall_s,
        }


def render(check: ProgramCheck, min_fidelity: float) -> Panel:
    """One program's findings as a panel for the terminal."""
    failures = check.failures(min_fidelity)
    fidelity = check.fidelity
    head = Text()
    head.append(
        "PASS" if not failures else "FAIL", style="bold green" if not failures else "bold red"
    )
    head.append(f"  {format_duration(check.length_s)}  ")
    head.append(f"fidelity {fidelity:.0%}" if fidelity is not None else "fidelity —")
    head.append(f"  ({check.outcome}; checked in {check.wall_s * 1000:.0f} ms)", style="dim")
    regions = Table(show_edge=False, box=None, pad_edge=False)
    regions.add_column("region")
    regions.add_column("minutes", justify="right")
    regions.add_column("mean intensity", justify="right")
    for region, (seconds, depth) in check.regions.items():
        regions.add_row(region.value, f"{seconds / 60:.1f}", f"{depth:.1f}")
    parts: list[Any] = [head, regions]
    approximations = sorted({a for s in check.steps for a in s.approximations})
    if approximations:
        parts.append(Text("approximations: " + "; ".join(approximations), style="yellow"))
    for failure in failures:
        parts.append(Text(f"✗ {failure}", style="red"))
    return Panel(Group(*parts), title=f"[bold]{check.program_id}[/]", title_align="left")


def print_report(checks: list[ProgramCheck], min_fidelity: float, console: Console) -> None:
    """Every program's panel, then a one-line summary."""
    for check in checks:
        console.print(render(check, min_fidelity))
    failed = [c for c in checks if c.failures(min_fidelity)]
    console.print(
        f"{len(checks) - len(failed)} of {len(checks)} programs pass "
        f"(fidelity threshold {min_fidelity:.0%})",
        style="bold red" if failed else "bold green",
    )


def write_junit(checks: list[ProgramCheck], min_fidelity: float, path: Path) -> None:
    """The results as a JUnit XML file, one test case per program, for CI dashboards."""
    failed = [c for c in checks if c.failures(min_fidelity)]
    suite = ET.Element(
        "testsuite",
        name="chairctl check",
        tests=str(len(checks)),
        failures=str(len(failed)),
        time=f"{sum(c.wall_s for c in checks):.3f}",
    )
    for check in checks:
        case = ET.SubElement(
            suite,
            "testcase",
            classname="programs",
            name=check.program_id,
            time=f"{check.wall_s:.3f}",
        )
        failures = check.failures(min_fidelity)
        if failures:
            failure = ET.SubElement(case, "failure", message=failures[0])
            failure.text = "\n".join(failures)
        fidelity = check.fidelity
        ET.SubElement(case, "system-out").text = (
            f"fidelity {fidelity:.3f}" if fidelity is not None else "fidelity not judged"
        )
    ET.ElementTree(suite).write(path, encoding="utf-8", xml_declaration=True)
