"""Shared test fixtures: the repository's folders, a way to write program files and one to run
the ``chairctl`` entry point in-process."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import pytest
from hypothesis import strategies as st

from chairctl.cli import main
from tests.captures import Capture, load_captures

REPO = Path(__file__).resolve().parent.parent
PROGRAMS = REPO / "programs"
DATA = Path(__file__).resolve().parent / "data"

#: Text from a fixed alphabet of 1- to 4-byte UTF-8 characters: Hypothesis's full Unicode
#: strategy builds a character table on first use, which a fresh CI clone pays for in a
#: too-slow health check, and these cover every encoded length anyway.
UTF8_TEXT = st.sampled_from('az Z09-_{}"é߿ࠀ€\uffff😀\U0010ffff')


def golden_frames(name: str) -> dict[str, bytes]:
    """The frames of ``tests/data/NAME`` by key: each line is hex bytes, then ``# key: note``."""
    frames = {}
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        text, _, note = line.partition("#")
        if text.strip():
            frames[note.split(":", 1)[0].strip()] = bytes.fromhex(text)
    return frames


#: A minimal valid program; tests change one thing about it.
MINIMAL = """\
format: 1
id: {id}
name: Minimal
summary: A minimal program.
description: Used by the tests.
category: relaxation
goals: [tension]
steps:
  - name: Knead
    duration: 1m
    technique: knead
    region: lower_back
"""


@pytest.fixture(autouse=True)
def _own_chairctl_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point ``$CHAIRCTL_HOME`` at a folder of the test's own (not created), so the user's
    database and model files never leak into a test; tests about it set it themselves."""
    monkeypatch.setenv("CHAIRCTL_HOME", str(tmp_path / "chairctl-home"))


@pytest.fixture
def write_program(tmp_path: Path) -> Callable[..., Path]:
    """Write a program file named after its id; the text is dedented, ``{id}`` filled in."""

    def write(text: str = MINIMAL, name: str = "sample") -> Path:
        path = tmp_path / f"{name}.yaml"
        path.write_text(textwrap.dedent(text).replace("{id}", name), encoding="utf-8")
        return path

    return write


class Run(NamedTuple):
    """What one ``chairctl`` invocation did."""

    code: int
    out: str
    err: str


@pytest.fixture
def chairctl(capsys: pytest.CaptureFixture[str]) -> Callable[..., Run]:
    """Run the real entry point (``chairctl.cli.main``) with arguments, in-process."""

    def run(*args: str) -> Run:
        try:
            main(list(args))
        except SystemExit as done:
            code = done.code if isinstance(done.code, int) else 1
        else:
            code = 0
        out, err = capsys.readouterr()
        return Run(code, out, err)

    return run


@pytest.fixture(scope="session")
def captures() -> list[Capture]:
    """The captured Rongtai status frames, in file order."""
    return load_captures()
