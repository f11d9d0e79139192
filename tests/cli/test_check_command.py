"""chairctl check: the library passes; a program the chair cannot follow and a fault fail."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest

from chairctl.cli import main
from tests.conftest import PROGRAMS

HEAD = """\
format: 1
id: {id}
name: Check me
summary: For the tests of chairctl check.
description: Used by the tests.
category: relaxation
goals: [tension]
steps:
"""


def check(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exited:
        main(["check", *args])
    out, err = capsys.readouterr()
    code = exited.value.code
    return (code if isinstance(code, int) else 1), out, err


def test_the_library_passes(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    junit = tmp_path / "check.xml"
    code, out, _ = check(capsys, str(PROGRAMS), "--json", "--junit", str(junit))
    assert code == 0
    report = json.loads(out)
    assert report["model"] == "rongtai-rt8600s"
    programs = report["programs"]
    assert {p["id"] for p in programs} == {p.stem for p in PROGRAMS.glob("*.yaml")}
    for program in programs:
        assert program["passed"], program["failures"]
        assert program["fidelity"] >= 0.9
        assert program["violations"] == []
        # The rollers really worked, for most of the program (short programs included).
        assert sum(r["minutes"] for r in program["regions"].values()) > program["length_s"] / 120
    suite = ET.parse(junit).getroot()
    assert suite.get("tests") == str(len(programs))
    assert suite.get("failures") == "0"


def test_steps_too_short_to_follow_fail_with_the_reason(
    capsys: pytest.CaptureFixture[str], write_program: Callable[..., Path]
) -> None:
    hopping = (
        HEAD
        + """\
  - {name: Settle in, duration: 60, technique: knead, region: mid_back, intensity: 2}
  - name: Hop
    repeat: 6
    steps:
      - {name: Glutes, duration: 6, technique: knead, region: sacrum_glutes, intensity: 2}
      - {name: Shoulders, duration: 6, technique: knead, region: shoulders, intensity: 2}
"""
    )
    code, out, _ = check(capsys, str(write_program(hopping)))
    assert code == 1
    assert "FAIL" in out
    assert "step 'Glutes' cannot be followed: it lasts 6 s" in " ".join(out.split())


def test_a_fault_at_minute_three_fails_with_the_reason(
    capsys: pytest.CaptureFixture[str],
) -> None:
    program = PROGRAMS / "lower-back-relief.yaml"
    code, out, _ = check(capsys, str(program), "--fault", "overload@180", "--json")
    assert code == 1
    (result,) = json.loads(out)["programs"]
    assert result["outcome"] == "fault"
    assert any("the run did not complete" in f and "fault" in f for f in result["failures"])
    # Even then, the chair ended safe: no safety invariant was broken.
    assert result["violations"] == []


def test_an_invalid_program_is_reported_with_its_location(
    capsys: pytest.CaptureFixture[str], write_program: Callable[..., Path]
) -> None:
    path = write_program(HEAD + "  - {name: x, duration: 1m, technique: kneed, region: mid_back}\n")
    code, _, err = check(capsys, str(path))
    assert code == 1
    assert err.startswith(f"{path}:9:")
    assert "did you mean 'knead'" in err


@pytest.mark.parametrize("model_id", ["tuya-amy-example", "ncni-chair", "korean-ascii-remote"])
def test_the_library_runs_on_the_other_families_and_says_how_it_approximates(
    capsys: pytest.CaptureFixture[str], model_id: str
) -> None:
    code, out, _ = check(capsys, str(PROGRAMS), "--model", model_id, "--json")
    report = json.loads(out)
    assert report["model"] == model_id
    programs = report["programs"]
    assert {p["id"] for p in programs} == {p.stem for p in PROGRAMS.glob("*.yaml")}
    for program in programs:
        # Safety holds on every chair, whatever it can only approximate.
        assert program["violations"] == [], program["id"]
        if program["outcome"] == "unsupported":
            # Only what the chair's track cannot reach at all is refused, before anything moves.
            assert "track cannot reach" in program["failures"][0], program["failures"]
            continue
        assert program["outcome"] == "completed", program["failures"]
        # None of them can place its rollers: every roller step says what it does instead.
        said = [a for step in program["steps"] for a in step["approximations"]]
        assert any("cannot place its rollers" in a or "its own technique" in a for a in said)
        assert 0 <= program["fidelity"] <= 1
    # Honest fidelity: a chair that cannot place its rollers does not pass a 90% threshold.
    assert code == 1


def test_a_program_the_driver_has_no_mode_for_is_unsupported_not_an_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # The neck massager (Tuya's public demo) has no mode that works the lower back: its driver
    # says so before anything moves. With --safety-only that is listed, like a track that
    # cannot reach a region; without it, it fails.
    program = str(PROGRAMS / "evening-wind-down.yaml")
    code, out, _ = check(
        capsys, program, "--model", "tuya-neck-massager", "--safety-only", "--json"
    )
    (result,) = json.loads(out)["programs"]
    assert (result["outcome"], result["passed"]) == ("unsupported", True), result
    assert code == 0
    code, out, _ = check(capsys, program, "--model", "tuya-neck-massager", "--json")
    (result,) = json.loads(out)["programs"]
    assert result["outcome"] == "unsupported"
    assert "no mode" in result["failures"][0]
    assert code == 1
