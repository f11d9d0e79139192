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
from chairctl.services.safetext import plain, printable
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


#: How reports name the default sitter of a program as written.
AS_WRITTEN_LABEL = "default body · as-written"


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
    #: Who sat in the chair, in words (a population's person).
    person: str = AS_WRITTEN_LABEL
    #: The chair model the program was checked on.
    model_id: str = ""
    #: Judged for safety only: fidelity and followability do not count, and a program this
    #: chair cannot run at all (refused before anything moved) is listed, not failed.
    safety_only: bool = False

    @property
    def as_written(self) -> bool:
        """True for the default sitter of the program as written."""
        return self.person == AS_WRITTEN_LABEL

    @property
    def fidelity(self) -> float | None:
        """Time-weighted fidelity over every judged step."""
        judged = [(s.fidelity, s.seconds) for s in self.steps if s.fidelity is not None]
        total = sum(seconds for _, seconds in judged)
        if not total:
            return None
        return sum(f * seconds for f, seconds in judged) / total

    def failures(self, min_fidelity: float) -> list[str]:
        """Why the program fails the check (empty when it passes).

        A person the screening refuses passes when nothing ran: that is the refusal working.
        """
        if self.outcome == "error" and not self.problems:
            return [f"the run did not complete: {self.reason}"]
        if self.outcome == "unsupported" and self.safety_only:
            return []
        reasons = list(self.problems)
        if self.outcome == "refused":
            return reasons
        if self.outcome not in ("completed", "unsupported", "error"):
            reasons.append(f"the run did not complete: {self.reason}")
        reasons += [f"safety: {v}" for v in self.violations]
        if self.safety_only:
            return reasons
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
            "model": self.model_id,
            "person": self.person,
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


def render(checks: list[ProgramCheck], min_fidelity: float, *, titled_model: bool) -> Panel:
    """One program's findings on one model, for every person judged, as a terminal panel."""
    main = next((c for c in checks if c.as_written), checks[0])
    failing = [(c, c.failures(min_fidelity)) for c in checks]
    failed = any(reasons for _, reasons in failing)
    fidelity = main.fidelity
    head = Text()
    head.append("FAIL" if failed else "PASS", style="bold red" if failed else "bold green")
    head.append(f"  {format_duration(main.length_s)}  ")
    head.append(f"fidelity {fidelity:.0%}" if fidelity is not None else "fidelity —")
    wall = sum(c.wall_s for c in checks)
    head.append(f"  ({main.outcome}; checked in {wall * 1000:.0f} ms)", style="dim")
    regions = Table(show_edge=False, box=None, pad_edge=False)
    regions.add_column("region")
    regions.add_column("minutes", justify="right")
    regions.add_column("mean intensity", justify="right")
    for region, (seconds, depth) in main.regions.items():
        regions.add_row(region.value, f"{seconds / 60:.1f}", f"{depth:.1f}")
    parts: list[Any] = [head, regions]
    approximations = sorted({a for s in main.steps for a in s.approximations})
    if approximations:
        parts.append(plain("approximations: " + "; ".join(approximations), style="yellow"))
    if len(checks) > 1:
        safe = sum(1 for _, reasons in failing if not reasons)
        refused = sum(1 for c in checks if c.outcome == "refused")
        words = f"{len(checks)} people judged: {safe} pass"
        if refused:
            words += f" ({refused} refused by their screening, nothing moved)"
        parts.append(Text(words, style="dim"))
    for check, reasons in failing:
        for reason in reasons:
            who = "" if len(checks) == 1 else f"{check.person}: "
            parts.append(plain(f"✗ {who}{reason}", style="red"))
    title = main.program_id + (f" on {main.model_id}" if titled_model else "")
    return Panel(Group(*parts), title=plain(title, style="bold"), title_align="left")


def print_report(checks: list[ProgramCheck], min_fidelity: float, console: Console) -> None:
    """Every program's panel (all its people on one model), then a one-line summary."""
    groups: dict[tuple[str, Path], list[ProgramCheck]] = {}
    for check in checks:
        groups.setdefault((check.model_id, check.path), []).append(check)
    models = {model for model, _ in groups}
    for group in groups.values():
        console.print(render(group, min_fidelity, titled_model=len(models) > 1))
    failed = [g for g in groups.values() if any(c.failures(min_fidelity) for c in g)]
    people = len(checks) // max(1, len(groups))
    who = f", {people} people each" if people > 1 else ""
    console.print(
        f"{len(groups) - len(failed)} of {len(groups)} programs pass{who} "
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
        name = printable(
            check.program_id if check.as_written else f"{check.program_id} · {check.person}"
        )
        case = ET.SubElement(
            suite,
            "testcase",
            classname=f"programs.{check.model_id}" if check.model_id else "programs",
            name=name,
            time=f"{check.wall_s:.3f}",
        )
        failures = check.failures(min_fidelity)
        if failures:
            # XML has no place for control characters; a name may still carry one.
            failure = ET.SubElement(case, "failure", message=printable(failures[0]))
            failure.text = printable("\n".join(failures), newlines=True)
        fidelity = check.fidelity
        ET.SubElement(case, "system-out").text = (
            f"fidelity {fidelity:.3f}" if fidelity is not None else "fidelity not judged"
        )
    ET.ElementTree(suite).write(path, encoding="utf-8", xml_declaration=True)
