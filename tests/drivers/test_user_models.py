"""The user's own chair model files: where they go, how they extend or replace the shipped
models, how a broken one is reported, and ``chairctl models --check``."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs
import pytest

from drivers.models import (
    BUILTIN_MODELS,
    builtin_registry,
    get_model,
    get_model_as,
    registry,
    user_models_dir,
)
from drivers.models.rongtai import RongtaiModel

if TYPE_CHECKING:
    from tests.conftest import Run

REFERENCE = BUILTIN_MODELS / "rongtai-rt8600s.yaml"
FIVE_MINUTE_RESET = str(Path(__file__).parents[2] / "programs" / "five-minute-reset.yaml")
#: A frame of the RT8600S on its wired line, resting in standby.
STANDBY = "f0 07 02 00 09 30 00 00 2b 00 00 00 02 00 03 00 00 f1"


def model_text(model_id: str = "rongtai-rt8600s", name: str | None = None) -> str:
    """The shipped model file, under another id and name."""
    text = REFERENCE.read_text(encoding="utf-8")
    text = text.replace("id: rongtai-rt8600s", f"id: {model_id}", 1)
    if name is not None:
        text = text.replace("name: Rongtai RT8600S", f"name: {name}", 1)
    return text


@pytest.fixture
def models_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh ``$CHAIRCTL_HOME`` with its (empty) models folder."""
    home = tmp_path / "home"
    monkeypatch.setenv("CHAIRCTL_HOME", str(home))
    folder = home / "models"
    folder.mkdir(parents=True)
    return folder


@pytest.fixture
def wide(monkeypatch: pytest.MonkeyPatch) -> None:
    """A console wide enough that no path in a table is folded."""
    monkeypatch.setenv("COLUMNS", "500")


def install(folder: Path, model_id: str, text: str) -> Path:
    path = folder / f"{model_id}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


# -- where ----------------------------------------------------------------------------------


def test_user_models_live_under_chairctl_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CHAIRCTL_HOME", str(tmp_path / "somewhere"))
    assert user_models_dir() == tmp_path / "somewhere" / "models"
    assert not user_models_dir().exists()  # never created by asking


@pytest.mark.parametrize("value", ["", "   ", None], ids=["empty", "blank", "unset"])
def test_without_chairctl_home_they_live_in_the_user_config_folder(
    monkeypatch: pytest.MonkeyPatch, value: str | None
) -> None:
    if value is None:
        monkeypatch.delenv("CHAIRCTL_HOME", raising=False)
    else:
        monkeypatch.setenv("CHAIRCTL_HOME", value)
    assert user_models_dir() == platformdirs.user_config_path("chairctl") / "models"


def test_without_a_models_folder_only_the_shipped_models_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CHAIRCTL_HOME", str(tmp_path / "nothing-here"))
    assert registry() is builtin_registry()


# -- a new model ----------------------------------------------------------------------------


def test_a_user_model_is_listed_with_its_file(
    chairctl: Callable[..., Run], models_dir: Path, wide: None
) -> None:
    path = install(models_dir, "my-chair", model_text("my-chair", "My Chair"))
    code, out, err = chairctl("models")
    assert (code, err) == (0, "")
    assert "My Chair" in out
    assert str(path) in out
    assert "shipped" in out  # the RT8600S is still there, from chairctl
    assert f"Your own models go in {models_dir}" in out

    code, out, _ = chairctl("models", "--json")
    assert code == 0
    listed = {m["id"]: m for m in json.loads(out)}
    assert listed["my-chair"]["name"] == "My Chair"
    assert listed["my-chair"]["source"] == "user"
    assert listed["my-chair"]["path"] == str(path)
    assert listed["my-chair"]["overrides_shipped"] is False
    assert listed["rongtai-rt8600s"]["source"] == "shipped"

    code, out, _ = chairctl("models", "my-chair")
    assert code == 0
    assert str(path) in out


def test_a_user_model_works_with_model_everywhere(
    chairctl: Callable[..., Run], models_dir: Path
) -> None:
    install(models_dir, "my-chair", model_text("my-chair", "My Chair"))
    assert get_model("my-chair").name == "My Chair"

    code, out, err = chairctl("show", "five-minute-reset", "--model", "my-chair")
    assert (code, err) == (0, "")
    assert "My Chair" in out

    code, out, _ = chairctl("check", FIVE_MINUTE_RESET, "--model", "my-chair")
    assert code == 0
    assert "PASS" in out

    code, out, _ = chairctl("decode", "--model", "my-chair", STANDBY)
    assert code == 0
    assert json.loads(out)["work_state"] == "standby"

    code, out, err = chairctl("run", "five-minute-reset", "--model", "my-chair", "--speed", "500")
    assert code == 0, err


def test_the_registry_is_loaded_per_models_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("first", "second"):
        folder = tmp_path / name / "models"
        folder.mkdir(parents=True)
        install(folder, f"{name}-chair", model_text(f"{name}-chair"))
    monkeypatch.setenv("CHAIRCTL_HOME", str(tmp_path / "first"))
    assert "first-chair" in registry().ids()
    assert registry() is registry()
    monkeypatch.setenv("CHAIRCTL_HOME", str(tmp_path / "second"))
    assert "second-chair" in registry().ids()
    assert "first-chair" not in registry().ids()


# -- replacing a shipped model --------------------------------------------------------------


def test_a_user_file_with_a_shipped_id_replaces_it_and_says_so(
    chairctl: Callable[..., Run], models_dir: Path, wide: None
) -> None:
    path = install(models_dir, "rongtai-rt8600s", model_text(name="My Own RT8600S"))
    assert get_model_as("rongtai-rt8600s", RongtaiModel).name == "My Own RT8600S"
    assert builtin_registry().get("rongtai-rt8600s").name == "Rongtai RT8600S"

    code, out, _ = chairctl("models")
    assert code == 0
    assert "My Own RT8600S" in out
    assert f"{path} (overrides the shipped one)" in out

    code, out, _ = chairctl("models", "--json")
    (model,) = [m for m in json.loads(out) if m["id"] == "rongtai-rt8600s"]
    assert (model["name"], model["source"], model["path"], model["overrides_shipped"]) == (
        "My Own RT8600S",
        "user",
        str(path),
        True,
    )

    code, out, _ = chairctl("show", "five-minute-reset", "--model", "rongtai-rt8600s")
    assert code == 0
    assert "My Own RT8600S" in out


# -- a broken user file ---------------------------------------------------------------------


#: A typo'd field and a bad value: what to change, and the problem it must be reported as.
BREAKAGES = {
    "typo": ("  power: 0x01", "  powr: 0x01", "unknown key 'powr' (did you mean 'power'?)"),
    "bad value": ("intensity_levels: 5", "intensity_levels: 9", "must be at most 5"),
}


@pytest.mark.parametrize("breakage", BREAKAGES)
@pytest.mark.parametrize(
    "command",
    [
        ("models",),
        ("models", "--json"),
        ("show", "five-minute-reset", "--model", "rongtai-rt8600s"),
        ("check", FIVE_MINUTE_RESET, "--model", "my-chair"),
    ],
    ids=["models", "models-json", "show", "check"],
)
def test_a_broken_user_file_is_located_problems_and_exit_1(
    chairctl: Callable[..., Run], models_dir: Path, breakage: str, command: tuple[str, ...]
) -> None:
    old, new, message = BREAKAGES[breakage]
    text = model_text("my-chair")
    assert old in text
    path = install(models_dir, "my-chair", text.replace(old, new, 1))
    code, out, err = chairctl(*command)
    assert (code, out) == (1, "")
    assert "Traceback" not in err
    lines = err.splitlines()
    assert lines
    located = re.compile(rf"^{re.escape(str(path))}:\d+:\d+: ")
    assert all(located.match(line) for line in lines), lines
    assert any(message in line for line in lines), lines


# -- chairctl models --check ----------------------------------------------------------------


def test_check_validates_a_file_without_installing_it(
    chairctl: Callable[..., Run], tmp_path: Path, models_dir: Path
) -> None:
    draft = install(tmp_path, "draft-chair", model_text("draft-chair"))
    code, out, err = chairctl("models", "--check", str(draft))
    assert code == 0
    assert out == f"{draft}: valid, model draft-chair\n"
    assert err == "1 model file valid\n"
    assert "draft-chair" not in registry().ids()


def test_check_says_a_file_would_replace_a_shipped_model(
    chairctl: Callable[..., Run], tmp_path: Path
) -> None:
    draft = install(tmp_path, "rongtai-rt8600s", model_text(name="Mine"))
    code, out, _ = chairctl("models", "--check", str(draft), str(REFERENCE))
    assert code == 0
    assert out.splitlines() == [
        f"{draft}: valid, model rongtai-rt8600s (would replace the shipped one)",
        f"{REFERENCE}: valid, model rongtai-rt8600s",
    ]


def test_check_reports_every_problem_of_every_file_and_exits_1(
    chairctl: Callable[..., Run], tmp_path: Path
) -> None:
    folder = tmp_path / "drafts"
    folder.mkdir()
    good = install(folder, "good-chair", model_text("good-chair"))
    bad = install(folder, "bad-chair", model_text("bad-chair").replace("  power:", "  powr:"))
    missing = tmp_path / "missing.yaml"
    code, out, err = chairctl("models", "--check", str(folder), str(missing))
    assert code == 1
    assert "Traceback" not in err
    lines = out.splitlines()
    assert f"{good}: valid, model good-chair" in lines
    assert any(line.startswith(f"{bad}:") and "unknown key 'powr'" in line for line in lines), lines
    assert f"{missing}:1:1: no such file or folder" in lines
    assert err == "2 of 3 model files invalid\n"

    code, out, _ = chairctl("models", "--check", "--json", str(bad))
    assert code == 1
    document = json.loads(out)
    assert document["valid"] is False
    (file,) = document["files"]
    assert (file["path"], file["valid"], file["id"]) == (str(bad), False, None)
    assert any("unknown key 'powr'" in p["message"] for p in file["problems"])


def test_check_needs_a_path_and_list_takes_one_id(chairctl: Callable[..., Run]) -> None:
    code, _, err = chairctl("models", "--check")
    assert code == 2
    assert "--check needs at least one model file or folder" in err
    code, _, err = chairctl("models", "a", "b")
    assert code == 2
    assert "give at most one model ID" in err


def test_check_of_a_folder_without_model_files_fails(
    chairctl: Callable[..., Run], tmp_path: Path
) -> None:
    code, out, err = chairctl("models", "--check", str(tmp_path))
    assert (code, out) == (1, "")
    assert err == "no model files (*.yaml) found\n"
