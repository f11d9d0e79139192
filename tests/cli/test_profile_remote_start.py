"""chairctl profiles --remote-start: whether a person's sessions may be started from the home
network; off unless turned on, and turned on or off without the health questions again."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from chairctl.cli import main
from chairctl.safety.profile import HealthScreening, Profile


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exited:
        main(["profiles", *args])
    out, err = capsys.readouterr()
    code = exited.value.code
    return (code if isinstance(code, int) else 1), out, err


def shown(capsys: pytest.CaptureFixture[str], home: Path, name: str) -> dict[str, object]:
    code, out, err = run(capsys, "show", name, "--json", "--home", str(home))
    assert code == 0, err
    profile: dict[str, object] = json.loads(out)["profile"]
    return profile


@pytest.fixture
def document(tmp_path: Path) -> Path:
    path = tmp_path / "ann.json"
    path.write_text(json.dumps({"health": {"age": 40, "first_use": False}}), encoding="utf-8")
    return path


def test_a_profile_may_not_be_started_remotely_unless_it_says_so() -> None:
    assert Profile(name="Ann", health=HealthScreening()).remote_start is False


def test_add_with_remote_start_saves_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, document: Path
) -> None:
    home = tmp_path / "home"
    code, _, err = run(
        capsys, "add", "Ann", "--from-json", str(document), "--remote-start", "--home", str(home)
    )
    assert code == 0, err
    assert shown(capsys, home, "Ann")["remote_start"] is True


def test_edit_turns_it_on_and_off_without_asking_again(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, document: Path
) -> None:
    home = tmp_path / "home"
    assert run(capsys, "add", "Ann", "--from-json", str(document), "--home", str(home))[0] == 0
    assert shown(capsys, home, "Ann")["remote_start"] is False
    # No stdin to answer questions from: a question asked would abort the command.
    code, out, err = run(capsys, "edit", "Ann", "--remote-start", "--home", str(home))
    assert code == 0, err
    assert "Saved the profile 'Ann'" in out
    profile = shown(capsys, home, "Ann")
    assert profile["remote_start"] is True
    assert profile["health"] == {
        "age": 40,
        "conditions": [],
        "first_use": False,
        "clinician_cleared": [],
        "affected_regions": {},
    }
    code, out, _ = run(capsys, "show", "Ann", "--home", str(home))
    assert "start from network  allowed (Home Assistant, the bridge)" in out
    assert run(capsys, "edit", "Ann", "--no-remote-start", "--home", str(home))[0] == 0
    assert shown(capsys, home, "Ann")["remote_start"] is False


def test_an_unknown_profile_is_one_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "edit", "Nobody", "--remote-start", "--home", str(tmp_path))
    assert code == 1
    assert err.strip().splitlines() == [
        "chairctl: no profile 'Nobody'; profiles: none yet (chairctl profiles add NAME)"
    ]
