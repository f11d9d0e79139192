"""Every library program rests on quoted passages of the source articles in docs/sources/.

A program's ``sources`` name an article by its file stem and quote it; the quote must be in
that article word for word (whitespace aside), so a claim can always be traced to its passage.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest

from chairctl.program import Program, load_program
from chairctl.vocabulary import ProgramError
from tests.conftest import MINIMAL, PROGRAMS, REPO

SOURCES = REPO / "docs" / "sources"
LIBRARY = sorted(PROGRAMS.glob("*.yaml"))

#: A quote is one or two sentences: long enough to find, short enough to be a quote.
LONGEST_QUOTE = 400


def _normalised(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@cache
def _article(stem: str) -> str | None:
    path = SOURCES / f"{stem}.txt"
    return _normalised(path.read_text(encoding="utf-8")) if path.is_file() else None


@cache
def _program(path: Path) -> Program:
    return load_program(path)


def test_the_articles_are_in_the_repository_with_their_titles() -> None:
    articles = sorted(SOURCES.glob("*.txt"))
    assert len(articles) == 5
    readme = (SOURCES / "README.md").read_text(encoding="utf-8")
    for path in articles:
        title = path.read_text(encoding="utf-8").splitlines()[0].strip()
        assert path.name in readme, path.name
        assert title in readme, path.name


@pytest.mark.parametrize("path", LIBRARY, ids=lambda p: p.stem)
def test_every_program_quotes_its_sources(path: Path) -> None:
    program = _program(path)
    assert program.sources, f"{path.name}: no sources"
    assert program.evidence, f"{path.name}: no evidence note"
    for source in program.sources:
        article = _article(source.article)
        assert article is not None, f"{path.name}: no article {source.article} in docs/sources"
        quote = _normalised(source.quote)
        assert len(quote) <= LONGEST_QUOTE, f"{path.name}: quote too long: {quote[:60]}"
        assert quote in article, f"{path.name}: not in {source.article}: {quote!r}"


@pytest.mark.parametrize("path", LIBRARY, ids=lambda p: p.stem)
def test_every_program_names_who_it_is_not_for(path: Path) -> None:
    assert _program(path).contraindications, f"{path.name}: no contraindications"


def test_the_leg_program_is_not_for_a_suspected_clot() -> None:
    legs = _program(PROGRAMS / "legs-and-circulation.yaml")
    for condition in (
        "deep-vein-thrombosis",
        "clot-symptoms-now",
        "varicose-veins",
        "phlebitis",
        "thrombosis-or-embolism",
    ):
        assert condition in legs.contraindications, condition


def test_an_unknown_condition_is_located(write_program: Callable[..., Path]) -> None:
    path = write_program(
        MINIMAL.replace("goals: [tension]", "goals: [tension]\ncontraindications: [gout]")
    )
    with pytest.raises(ProgramError) as caught:
        load_program(path)
    message = str(caught.value)
    assert message.startswith(f"{path}:8:21: contraindications"), message
    assert "'gout' is not one of" in message, message


def test_a_source_needs_an_article_stem_and_a_quote(write_program: Callable[..., Path]) -> None:
    path = write_program(
        MINIMAL.replace("goals: [tension]", "goals: [tension]\nsources:\n  - article: ../secrets\n")
    )
    with pytest.raises(ProgramError) as caught:
        load_program(path)
    problems = str(caught.value).splitlines()
    assert any(":9:14: article:" in p for p in problems), problems
    assert any("9:5: missing required key 'quote'" in p for p in problems), problems
