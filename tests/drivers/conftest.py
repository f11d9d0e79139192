"""Fixtures of the driver tests: the RT8600S model, the captured Rongtai status frames, and a
way to run the ``chairctl`` entry point in-process."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import pytest

from chairctl.cli import main
from drivers.models import get_model_as
from drivers.models.rongtai import RongtaiModel

#: Test data lives in the repository, so the suite runs from a plain clone.
CAPTURE_FILE = Path(__file__).parents[1] / "data" / "rongtai-status-frames.txt"


@dataclass(frozen=True)
class Capture:
    """One captured frame: its hex as written, its bytes and the note beside it."""

    text: str
    frame: bytes
    note: str

    @property
    def decodes(self) -> bool:
        """False for a frame the corpus says chairctl must refuse (``refused=``)."""
        return "refused=" not in self.note


def _load_captures() -> list[Capture]:
    captures = []
    for line in CAPTURE_FILE.read_text(encoding="utf-8").splitlines():
        text, _, note = line.partition("#")
        if text.strip():
            captures.append(Capture(text.strip(), bytes.fromhex(text), note.strip()))
    return captures


@pytest.fixture(scope="session")
def captures() -> list[Capture]:
    """The captured frames, in file order."""
    return _load_captures()


@pytest.fixture(scope="session")
def model() -> RongtaiModel:
    """The shipped Rongtai RT8600S model."""
    return get_model_as("rongtai-rt8600s", RongtaiModel)


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
