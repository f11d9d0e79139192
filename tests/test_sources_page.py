"""docs/sources.md is where the repository's citations of facts lead, and every one arrives.

The safety rules, the screening and the program model cite numbered sections of the facts
they rest on. Those sections live in docs/sources.md; a citation of a file outside the
repository, or of a section the page does not have, leaves a reader nowhere to check the rule.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import REPO

PAGE = REPO / "docs" / "sources.md"

#: Where citations are written: the docs, the README and the three packages' code.
CITING = [
    *sorted((REPO / "docs").rglob("*.md")),
    REPO / "README.md",
    *(
        path
        for package in ("chairctl", "drivers", "simulator")
        for path in sorted((REPO / package).rglob("*.py"))
    ),
]

#: A citation of the team's private reference, which is not in the repository.
OUTSIDE = re.compile(r"chair-domain\.md|\breference [0-9]")
#: "docs/sources.md section 4.2", "docs/sources.md sections 2.1-2.2", "... 4.2, 4.3 and 5.2".
IN_CODE = re.compile(r"docs/sources\.md(?: sections?)? ((?:P?\d(?:\.\d)?(?:, | and |-)?)+)")
#: A link to the page's anchor from a page beside it.
LINK = re.compile(r"\]\((?:sources\.md)?#([^)\s]+)\)")


def _slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.replace("`", "").strip().lower()).replace(" ", "-")


def _headings() -> list[str]:
    text = re.sub(r"```.*?```", "", PAGE.read_text(encoding="utf-8"), flags=re.DOTALL)
    return re.findall(r"^#+ (.+)$", text, flags=re.MULTILINE)


def _sections() -> set[str]:
    """The numbers the page's headings start with: "4.2", "P1.3", "P5"."""
    return {m.group(1) for h in _headings() if (m := re.match(r"(P?\d+(?:\.\d+)?) ", h))}


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def test_nothing_cites_the_reference_outside_the_repository() -> None:
    found = [
        f"{path.relative_to(REPO)}:{number}: {line.strip()}"
        for path in CITING
        for number, line in enumerate(_text(path).splitlines(), 1)
        if OUTSIDE.search(line)
    ]
    assert not found, "cite docs/sources.md instead:\n" + "\n".join(found)


def test_the_page_has_every_section_the_code_cites() -> None:
    sections = _sections()
    assert {"3.2", "4.2", "5.2", "5.3", "P1.4"} <= sections
    missing = [
        f"{path.relative_to(REPO)}: section {number}"
        for path in CITING
        if path.suffix == ".py"
        for cited in IN_CODE.findall(_text(path))
        for number in re.findall(r"P?\d(?:\.\d)?", cited)
        if number not in sections
    ]
    assert not missing, "\n".join(missing)


@pytest.mark.parametrize(
    "path", [p for p in CITING if p.suffix == ".md"], ids=lambda p: str(p.relative_to(REPO))
)
def test_every_link_to_a_section_of_the_page_arrives(path: Path) -> None:
    anchors = {_slug(h) for h in _headings()}
    text = _text(path)
    links = LINK.findall(text) if path == PAGE else re.findall(r"\]\(sources\.md#([^)\s]+)\)", text)
    assert not [a for a in links if a not in anchors], path.name
