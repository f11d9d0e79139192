"""The library's sources as Markdown: which passages of which article each program rests on.

``chairctl list --markdown`` appends this table to docs/library.md, so a reader can trace every
program's claims to the quoted passages (the articles are in docs/sources/) and see whom it is
not for.
"""

from __future__ import annotations

from collections.abc import Iterable

from chairctl.program.schema import Program

#: Where the articles are, relative to docs/library.md.
SOURCES_DIR = "sources"


def _cell(text: str) -> str:
    # One table cell: no line breaks, and a "|" in a quote must not end the cell.
    return " ".join(text.split()).replace("|", "\\|")


def sources_table(programs: Iterable[Program]) -> str:
    """A Markdown section: each program's quoted sources and its contraindications."""
    lines = [
        "## Sources",
        "",
        "Each program's claims rest on passages of the source articles in",
        f"[{SOURCES_DIR}/]({SOURCES_DIR}/README.md), quoted word for word; its evidence note says",
        "in plain words what they say. *Not for* lists the screening answers for which the",
        "program is not for that person.",
        "",
        "| id | sources | not for |",
        "|---|---|---|",
    ]
    for program in sorted(programs, key=lambda p: (p.category.value, p.id)):
        quotes = "<br>".join(
            f"[{source.article[:3]}]({SOURCES_DIR}/{source.article}.txt): “{_cell(source.quote)}”"
            for source in program.sources
        )
        cells = [
            f"`{program.id}`",
            quotes or "—",
            _cell(", ".join(program.contraindications)) or "—",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"
