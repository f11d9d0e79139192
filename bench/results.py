"""What one benchmark run found: sections of tables and raw figures, saved as results.json.

Each benchmark module returns a :class:`Section`: its title, the goal it is judged against,
whether the goal was met, Markdown-ready tables, the raw figures (for machines), and notes
computed from the figures. ``docs/performance.md`` is rendered from these and nothing else.
"""

from __future__ import annotations

import json
import os
import platform
import sys
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

#: Where a run writes its results (the docs are rendered from a full run's).
RESULTS = Path(__file__).with_name("results.json")


@dataclass
class Table:
    """A table: column headings, and rows of cells already formatted as text."""

    columns: list[str]
    rows: list[list[str]]


@dataclass
class Section:
    """One benchmark's findings."""

    key: str
    title: str
    #: What is measured and how, in a sentence or two.
    method: str
    #: The goal, in words; empty when the benchmark has none.
    goal: str
    #: Whether the goal was met (None: no goal).
    met: bool | None
    tables: list[Table]
    figures: dict[str, Any]
    notes: list[str] = field(default_factory=list)


def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine() -> dict[str, Any]:
    """The machine the figures came from."""
    return {
        "cpu": _cpu(),
        "cores": os.cpu_count(),
        "system": f"{platform.system()} {platform.release()}",
        "python": sys.version.split()[0],
        "implementation": platform.python_implementation(),
    }


@dataclass
class Run:
    """A whole run: when, where, how thorough, and its sections."""

    sections: list[Section]
    quick: bool
    taken: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))
    machine: dict[str, Any] = field(default_factory=machine)

    def save(self, path: Path = RESULTS) -> None:
        """Write the run as JSON."""
        path.write_text(json.dumps(asdict(self), indent=2, ensure_ascii=False) + "\n")

    @classmethod
    def load(cls, path: Path = RESULTS) -> Run:
        """Read a run written by :meth:`save`."""
        data = json.loads(path.read_text())
        sections = [
            Section(**{**s, "tables": [Table(**t) for t in s["tables"]]}) for s in data["sections"]
        ]
        return cls(sections, data["quick"], data["taken"], data["machine"])
