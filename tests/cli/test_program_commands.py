"""chairctl list, validate, show and schema, through the real entry point."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from chairctl.cli import main
from chairctl.program.jsonschema import program_json_schema_text
from tests.conftest import MINIMAL, PROGRAMS


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exited:
        main(list(args))
    out, err = capsys.readouterr()
    code = exited.value.code
    return (code if isinstance(code, int) else 1), out, err


def test_validate_the_library(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "validate", str(PROGRAMS))
    count = len(list(PROGRAMS.glob("*.yaml")))
    assert (code, out, err) == (0, "", f"{count} program files valid\n")


def test_validate_reports_each_located_problem_and_exits_1(
    capsys: pytest.CaptureFixture[str], write_program: Callable[..., Path]
) -> None:
    good = write_program(name="good")
    bad = write_program(MINIMAL.replace("region: lower_back", "region: lowerback"), name="bad")
    code, out, err = run(capsys, "validate", str(good), str(bad), str(bad.parent / "none.yaml"))
    assert code == 1
    assert out.splitlines() == [
        f"{bad}:12:13: region: 'lowerback' is not one of neck, shoulders, upper_back, "
        "mid_back, lower_back, sacrum_glutes (did you mean 'lower_back'?)",
        f"{bad.parent / 'none.yaml'}:1:1: no such file or folder",
    ]
    assert err == "2 of 3 program files invalid\n"


def test_validate_json(
    capsys: pytest.CaptureFixture[str], write_program: Callable[..., Path]
) -> None:
    bad = write_program(MINIMAL.replace("intensity", "x").replace("duration: 1m", "duration: 1h"))
    code, out, _ = run(capsys, "validate", "--json", str(bad))
    document = json.loads(out)
    assert code == 1
    assert document["valid"] is False
    (entry,) = document["files"]
    assert entry["path"] == str(bad)
    assert entry["valid"] is False
    assert entry["problems"][0]["line"] == 10
    assert entry["problems"][0]["column"] == 15


@pytest.mark.parametrize("path", sorted(PROGRAMS.glob("*.yaml")), ids=lambda p: p.stem)
def test_show_draws_a_readable_timeline(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "show", path.stem, "--width", "100")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert all(len(line) <= 100 for line in lines)
    for label in ("technique", "neck", "lower_back", "sacrum_glutes", "air waist", "air feet"):
        row = next(line for line in lines if line.startswith(label + " "))
        assert len(row) == 100 - 2, row  # every row spans the same time axis
    assert "Time per region" in out
    assert "Adjustments made by the compiler" in out
    assert any(line.strip().startswith("0m") for line in lines)


def test_show_for_a_model_lists_its_approximations(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "show", "lower-back-relief", "--model", "rongtai-rt8600s")
    assert code == 0
    assert "compiled for  Rongtai RT8600S" in out
    assert "line 81: this chair cannot do swedish: roll instead" in out


@pytest.mark.parametrize(
    ("model_id", "says"),
    [
        ("rongtai-rt8600s", "the chair's full range sweeps from the seat line"),
        ("tuya-amy-example", "cannot place its rollers: its waist_relax mode works the lower back"),
        ("ncni-chair", "chooses its own technique: its back and waist mode"),
    ],
)
def test_show_for_a_model_says_how_that_chair_runs_each_step(
    capsys: pytest.CaptureFixture[str], model_id: str, says: str
) -> None:
    code, out, _ = run(capsys, "show", "five-minute-reset", "--model", model_id, "--width", "200")
    assert code == 0, out
    assert "How the " in out
    assert says in " ".join(out.split())


def test_show_bad_inputs(
    capsys: pytest.CaptureFixture[str], write_program: Callable[..., Path]
) -> None:
    assert run(capsys, "show", "no-such-program")[0] == 1
    bad = write_program(MINIMAL.replace("format: 1", "format: 2"))
    code, out, err = run(capsys, "show", str(bad))
    assert code == 1
    assert out == ""
    assert err.startswith(f"{bad}:1:9: format: 2 is not one of 1")
    code, _, err = run(capsys, "show", "lower-back-relief", "--model", "rongtai-rt860")
    assert code == 1
    assert "did you mean 'rongtai-rt8600s'" in err


@pytest.mark.parametrize("command", ["show", "validate", "check", "run"])
def test_a_misspelt_library_id_gets_the_nearest_one(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, command, "lower-back-releif")
    assert code == 1
    said = out + err
    assert "no program file or library program 'lower-back-releif'" in said
    assert "did you mean 'lower-back-relief'?" in said
    assert "Traceback" not in said


def test_a_name_nothing_is_close_to_gets_no_guess(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "show", "zzzz")
    assert (code, err) == (1, "chairctl: no program file or library program 'zzzz'\n")


def test_validate_and_check_take_library_ids_as_run_and_show_do(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run(capsys, "validate", "lower-back-relief", "swedish-flow") == (
        0,
        "",
        "2 program files valid\n",
    )
    code, out, _ = run(capsys, "check", "five-minute-reset", "--json")
    assert code == 0
    checked = json.loads(out)
    assert [Path(c["path"]).name for c in checked["programs"]] == ["five-minute-reset.yaml"]


def test_show_for_a_model_says_where_the_chair_restarts_to_lower_the_intensity(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # The reference chair lowers its roller intensity only by restarting: a program's ramp down
    # costs a return home and a body scan each time, which show says before check does.
    code, out, _ = run(
        capsys, "show", "lower-back-relief", "--model", "rongtai-rt8600s", "--width", "200"
    )
    assert code == 0
    said = " ".join(out.split())
    assert (
        "74 │ Glutes and sacrum │ the intensity drops from 3 to 2: this chair lowers it only"
        in said
    )
    assert "by restarting (back home and a new body scan: about 28 s without massage" in said
    # A chair that steps its intensity down says nothing of the kind.
    code, out, _ = run(capsys, "show", "lower-back-relief", "--model", "tuya-amy-example")
    assert code == 0
    assert "restarting" not in out


def test_schema_prints_the_committed_schema(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "schema")
    assert code == 0
    assert out == program_json_schema_text()


def test_plain_chairctl_off_a_terminal_lists_the_library() -> None:
    # The real console script, as a script or a pipe runs it: no terminal, so no app.
    done = subprocess.run(
        [sys.executable, "-m", "chairctl"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    for path in PROGRAMS.glob("*.yaml"):
        assert path.stem in done.stdout
