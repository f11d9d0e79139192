"""Profiles through run, check, show and history, on a real store in a temporary home."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from chairctl.cli import main
from chairctl.safety.profile import Profile
from chairctl.store import Store, database_path
from tests.conftest import PROGRAMS


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exited:
        main(list(args))
    out, err = capsys.readouterr()
    code = exited.value.code
    return (code if isinstance(code, int) else 1), out, err


def save(home: Path, name: str, health: dict[str, object]) -> None:
    profile = Profile.model_validate({"name": name.title(), "health": health})
    with Store.open(database_path(home)) as store:
        store.put_profile(name, profile.model_dump_json())


@pytest.fixture
def home(tmp_path: Path) -> Path:
    save(tmp_path, "ann", {"age": 66, "conditions": ["spinal-osteoarthritis"], "first_use": False})
    save(tmp_path, "bob", {"age": 50, "conditions": ["vertebral-fracture"], "first_use": False})
    return tmp_path


def test_check_passes_the_library_under_a_caution_profile(
    capsys: pytest.CaptureFixture[str], home: Path
) -> None:
    code, out, _ = cli(
        capsys, "check", str(PROGRAMS), "--home", str(home), "--profile", "ann", "--json"
    )
    assert code == 0
    for program in json.loads(out)["programs"]:
        assert program["passed"], (program["id"], program["failures"])
        # Judged against the person's caps: nothing deeper than intensity 2 anywhere.
        assert all(r["mean_intensity"] <= 2.5 for r in program["regions"].values())


def test_show_under_an_osteoarthritis_profile_shows_the_caps(
    capsys: pytest.CaptureFixture[str], home: Path
) -> None:
    code, out, _ = cli(
        capsys,
        "show",
        "lower-back-relief",
        "--home",
        str(home),
        "--profile",
        "ann",
        "--width",
        "120",
    )
    assert code == 0
    assert "person  Ann: intensity at most 2, no tapping or knocking" in out
    assert "line 61: intensity capped at 2 for you" in out


def test_history_lists_what_run_recorded(capsys: pytest.CaptureFixture[str], home: Path) -> None:
    code, _, _ = cli(
        capsys,
        "run",
        "five-minute-reset",
        "--speed",
        "200",
        "--home",
        str(home),
        "--profile",
        "ann",
        "--json",
    )
    assert code == 0
    code, out, _ = cli(capsys, "history", "--home", str(home), "--json")
    assert code == 0
    (record,) = json.loads(out)
    assert record["program_id"] == "five-minute-reset"
    assert record["profile_name"] == "ann"
    assert record["outcome"] == "completed"
    assert record["session_s"] == pytest.approx(300, abs=1)
    assert sum(record["minutes_per_region"].values()) > 2
    assert max(record["mean_intensity_per_region"].values()) <= 2
    assert record["chair"] == "the simulated rongtai-rt8600s"
    code, out, _ = cli(capsys, "history", "--home", str(home))
    assert code == 0
    header = next(line for line in out.splitlines() if "started" in line)
    assert [cell.strip() for cell in header.split("┃")[1:5]] == [
        "started",
        "program",
        "profile",
        "chair",
    ]


@pytest.mark.parametrize(
    "command",
    [
        ["history"],
        ["profiles", "list"],
        ["profiles", "show", "ann"],
        ["profiles", "remove", "ann", "--yes"],
        ["show", "lower-back-relief", "--profile", "ann"],
    ],
)
def test_a_command_that_only_reads_makes_no_database(
    command: list[str], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    home = tmp_path / "nothing-saved-yet"
    code, out, err = cli(capsys, *command, "--home", str(home))
    assert not home.exists()
    assert "Traceback" not in out + err
    if command[0] == "history":
        assert (code, out.strip()) == (0, "No sessions yet: chairctl run PROGRAM records one.")
    elif command[:2] == ["profiles", "list"]:
        assert code == 0
    else:
        assert code == 1
        assert "no profile 'ann'; profiles: none yet" in err


def test_a_refused_profile_says_why_and_touches_no_chair(
    capsys: pytest.CaptureFixture[str], home: Path
) -> None:
    code, out, err = cli(
        capsys, "run", "five-minute-reset", "--home", str(home), "--profile", "bob"
    )
    assert code == 1
    assert "consult" in err.lower() or "doctor" in err.lower()
    assert "Keep the chair's remote" not in out  # refused before the pre-flight: nothing moved
    code, out, _ = cli(capsys, "history", "--home", str(home), "--json")
    assert json.loads(out) == []


def test_an_unknown_profile_is_one_line(capsys: pytest.CaptureFixture[str], home: Path) -> None:
    code, _, err = cli(capsys, "show", "lower-back-relief", "--home", str(home), "--profile", "zed")
    assert code == 1
    assert err.startswith("chairctl: no profile 'zed'; profiles: ann, bob")


def test_a_second_session_waits_for_the_rest_and_says_until_when(
    capsys: pytest.CaptureFixture[str], home: Path
) -> None:
    args = ("run", "five-minute-reset", "--speed", "200", "--home", str(home), "--profile", "ann")
    code, _, _ = cli(capsys, *args, "--json")
    assert code == 0
    # Five minutes of massage: five minutes' rest before the next, refused before anything moves.
    code, out, err = cli(capsys, *args)
    assert code == 1
    assert "the body rests as long between sessions" in err
    assert "The next session may start at" in err
    assert "Keep the chair's remote" not in out
    code, out, _ = cli(capsys, "history", "--home", str(home), "--json")
    assert len(json.loads(out)) == 1


@pytest.mark.parametrize("shoulder", [20.0, 7.0])
def test_a_shoulder_line_outside_the_chair_s_scan_window_is_refused(
    capsys: pytest.CaptureFixture[str], home: Path, shoulder: float
) -> None:
    profile = Profile.model_validate(
        {"name": "Cy", "shoulder_position": shoulder, "health": {"age": 30, "first_use": False}}
    )
    with Store.open(database_path(home)) as store:
        store.put_profile("cy", profile.model_dump_json())
    code, out, err = cli(capsys, "run", "five-minute-reset", "--home", str(home), "--profile", "cy")
    assert code == 1
    assert f"shoulder line {shoulder:g} lies outside this chair's body-scan window" in err
    assert "8.47 to 12" in err
    code, out, _ = cli(capsys, "history", "--home", str(home), "--json")
    assert json.loads(out) == []


@pytest.mark.parametrize("shoulder", ["1e9", "Infinity", "NaN", "-1"])
def test_an_impossible_shoulder_line_is_not_a_profile(shoulder: str) -> None:
    document = f'{{"name": "Cy", "shoulder_position": {shoulder}, "health": {{}}}}'
    with pytest.raises(ValueError, match="shoulder_position"):
        Profile.model_validate_json(document)


def test_a_reclining_program_off_a_terminal_stays_upright(
    capsys: pytest.CaptureFixture[str], home: Path
) -> None:
    # Nobody can confirm the space around the chair: a stop would bring the leg rest down.
    args = ("run", "evening-wind-down", "--speed", "500", "--home", str(home))
    code, out, _ = cli(capsys, *args)
    assert code == 0
    said = " ".join(out.split())
    assert "This program reclines the chair." in said
    assert "the chair stays upright" in said
    assert "no recline for you (the space around the chair was not confirmed clear)" in said
    code, out, _ = cli(capsys, *args, "--space-clear")
    assert code == 0
    assert "This program reclines the chair." not in " ".join(out.split())
