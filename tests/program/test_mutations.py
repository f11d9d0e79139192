"""Property test: any mutation of a valid program file loads or fails with located problems.

Mutations are what hand-editing does to a file: lines deleted or duplicated, values swapped
between keys, keys invented, bytes garbled, the file cut short. Whatever comes out, the loader
returns a Program or raises ProgramError whose every problem points into the file; and
``chairctl validate`` answers with exit 0 or 1, never a traceback.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chairctl.cli import main
from chairctl.program import Program, load_program
from chairctl.vocabulary import ProgramError
from tests.conftest import PROGRAMS

SOURCES = {path.stem: path.read_bytes() for path in sorted(PROGRAMS.glob("*.yaml"))}
KEYS = [
    "name",
    "duration",
    "technique",
    "region",
    "intensity",
    "speed",
    "width",
    "airbags",
    "heat",
    "foot_rollers",
    "posture",
    "repeat",
    "steps",
    "from",
    "to",
    "defaults",
    "bogus",
]
VALUES = [
    "1",
    "0",
    "-3",
    "99",
    "2m",
    "90s",
    "5 minutes",
    "knead",
    "neck",
    "[neck, mid_back]",
    "{from: 1, to: 5}",
    "{seat: 9}",
    "null",
    "~",
    "''",
    "&a 1",
    "*a",
    "!!str x",
    "[",
    "{",
    "off",
    "true",
    "1e400",
    "2001-12-14",
    "'\\x00'",
    ">-\n  folded",
    "|\n  literal",
]


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, bytes]:
    name = draw(st.sampled_from(sorted(SOURCES)))
    lines = SOURCES[name].split(b"\n")
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["delete", "duplicate", "swap", "insert", "bytes", "cut"]))
        at = draw(st.integers(0, max(0, len(lines) - 1)))
        if kind == "delete" and len(lines) > 1:
            del lines[at]
        elif kind == "duplicate":
            lines.insert(at, lines[at])
        elif kind == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            a, b = lines[at].partition(b":"), lines[other].partition(b":")
            if a[1] and b[1]:
                lines[at], lines[other] = a[0] + b":" + b[2], b[0] + b":" + a[2]
        elif kind == "insert":
            indent = b" " * draw(st.sampled_from([0, 2, 4, 6, 8, 3]))
            key = draw(st.sampled_from(KEYS)).encode()
            value = draw(st.sampled_from(VALUES)).encode()
            lines.insert(at, indent + key + b": " + value)
        elif kind == "bytes":
            line = bytearray(lines[at])
            garbage = draw(st.binary(min_size=1, max_size=4))
            spot = draw(st.integers(0, len(line)))
            line[spot:spot] = garbage
            lines[at] = bytes(line)
        elif kind == "cut":
            lines = lines[: at + 1]
    return name, b"\n".join(lines)


def _check_file(path: Path) -> None:
    try:
        program = load_program(path)
    except ProgramError as error:
        for problem in error.problems:
            assert problem.location.path == path
            assert problem.location.line >= 1
            assert problem.location.column >= 1
            assert problem.message
            assert "\n" not in problem.message
    else:
        assert isinstance(program, Program)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_mutated_programs_load_or_fail_located(case: tuple[str, bytes]) -> None:
    name, content = case
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{name}.yaml"
        path.write_bytes(content)
        _check_file(path)


@settings(
    max_examples=40,
    deadline=None,
    # capsys is read and emptied at the end of every example, so sharing it is sound.
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(case=mutated())
def test_validate_never_shows_a_traceback(
    case: tuple[str, bytes], capsys: pytest.CaptureFixture[str]
) -> None:
    name, content = case
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{name}.yaml"
        path.write_bytes(content)
        with pytest.raises(SystemExit) as exited:
            main(["validate", str(path)])
    out, err = capsys.readouterr()
    assert exited.value.code in (0, 1)
    assert "Traceback" not in out + err
    if exited.value.code == 1:
        assert all(line.startswith(str(path) + ":") for line in out.splitlines())
