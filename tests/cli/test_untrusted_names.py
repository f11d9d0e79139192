"""Names on the command line are data: shown as written, never read as Rich markup, and never
letting a control character (ESC, OSC, C1) through to the terminal.

A program or model file may put brackets in its names ("[/bold]" crashed ``show`` and
``run``); the database may hold names from before they were validated (an ESC in a profile
name reached the terminal raw: clear screen, window title, an OSC 52 clipboard write).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from chairctl.cli import main
from chairctl.store import Store, database_path
from drivers.models import BUILTIN_MODELS

#: Markup that Rich (and Textual) would read, or choke on.
MARKUP_NAME = "[/bold]Evil [$accent]back[/] [link=x]"
#: Control sequences a terminal would obey: clear screen, window title, clipboard write, CSI.
SEQUENCES = "\x1b[2J\x1b]0;owned\x07\x1b]52;c;aGk=\x07\x9b31m"

PROGRAM = f"""\
format: 1
id: {{id}}
name: '{MARKUP_NAME}'
summary: '[/i] A summary with [brackets]'
description: '[red]Said plainly.'
category: relaxation
goals: [tension]
cautions: ['[/] mind the brackets']
steps:
  - name: '[/bold] step one'
    duration: 60
    technique: knead
    region: mid_back
    intensity: 2
"""


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str]]:
    """The real entry point in-process: the exit code, and stdout and stderr together."""

    def invoke(*args: str) -> tuple[int, str]:
        with pytest.raises(SystemExit) as exited:
            main(list(args))
        out, err = capsys.readouterr()
        code = exited.value.code
        return (code if isinstance(code, int) else 1), out + err

    return invoke


def no_sequences(output: str) -> bool:
    """True when nothing in ``output`` would reach a terminal as an order."""
    return not any(char in output for char in "\x1b\x07\x9b")


def test_show_prints_a_markup_name_as_written(
    run: Callable[..., tuple[int, str]], write_program: Callable[..., Path]
) -> None:
    code, output = run("show", str(write_program(PROGRAM)), "--width", "200")
    assert code == 0, output
    assert MARKUP_NAME in output
    assert "[/i] A summary with [brackets]" in output
    assert "[red]Said plainly." in output
    assert "[/] mind the brackets" in output


def test_show_with_a_model_prints_step_names_as_written(
    run: Callable[..., tuple[int, str]], write_program: Callable[..., Path]
) -> None:
    path = write_program(PROGRAM.replace("technique: knead", "technique: swedish"))
    code, output = run("show", str(path), "--model", "rongtai-rt8600s", "--width", "200")
    assert code == 0, output
    assert "[/bold] step one" in output


def test_run_prints_a_markup_name_as_written(
    run: Callable[..., tuple[int, str]], write_program: Callable[..., Path]
) -> None:
    code, output = run("run", str(write_program(PROGRAM)), "--speed", "200")
    assert code == 0, output
    assert f"Finished {MARKUP_NAME}." in output
    assert "caution [/] mind the brackets" in output


def test_list_prints_summaries_as_written(
    run: Callable[..., tuple[int, str]],
    write_program: Callable[..., Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    write_program(PROGRAM)
    monkeypatch.setattr("chairctl.cli.programs.library_dir", lambda: tmp_path)
    monkeypatch.setenv("COLUMNS", "200")
    code, output = run("list")
    assert code == 0, output
    assert "[/i] A summary with [brackets]" in output


def test_models_prints_a_model_s_names_as_written(
    run: Callable[..., tuple[int, str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    models = tmp_path / "home" / "models"
    models.mkdir(parents=True)
    monkeypatch.setenv("CHAIRCTL_HOME", str(models.parent))
    monkeypatch.setenv("COLUMNS", "300")
    text = (BUILTIN_MODELS / "rongtai-rt8600s.yaml").read_text(encoding="utf-8")
    text = (
        text.replace("id: rongtai-rt8600s", "id: odd-chair", 1)
        .replace("name: Rongtai RT8600S", f"name: '{MARKUP_NAME}'", 1)
        .replace("name: fatigue recovery", "name: '[/b]fatigue [$x]'", 1)
    )
    (models / "odd-chair.yaml").write_text(text, encoding="utf-8")
    code, output = run("models", "odd-chair")
    assert code == 0, output
    assert MARKUP_NAME in output
    assert "program [/b]fatigue [$x]" in output
    code, output = run("models")
    assert code == 0, output
    assert MARKUP_NAME in output


# -- names the database holds --------------------------------------------------------------------


def store_profile(home: Path, name: str) -> None:
    """A profile stored as an older chairctl (or another program) might have left it."""
    with Store.open(database_path(home)) as store:
        store.put_profile(name, json.dumps({"name": name, "health": {"age": 40}}))


def test_profiles_never_print_a_stored_control_sequence(
    run: Callable[..., tuple[int, str]], tmp_path: Path
) -> None:
    home = tmp_path / "people"
    name = f"Ann{SEQUENCES}[/bold]"
    store_profile(home, name)
    code, output = run("profiles", "list", "--home", str(home))
    assert code == 0, output
    assert no_sequences(output), repr(output)
    assert "Ann\ufffd[2J" in output
    # A name that was never asked for lists the stored ones in its message.
    code, output = run("profiles", "show", "Bob", "--home", str(home))
    assert code == 1
    assert no_sequences(output), repr(output)
    assert "no profile 'Bob'; profiles: Ann\ufffd" in output
    code, output = run("profiles", "show", name, "--home", str(home))
    assert code == 1
    assert no_sequences(output), repr(output)


def test_a_new_profile_name_with_a_control_character_is_refused(
    run: Callable[..., tuple[int, str]], tmp_path: Path
) -> None:
    home = tmp_path / "people"
    document = tmp_path / "profile.json"
    document.write_text(json.dumps({"name": "x", "health": {"age": 40}}), encoding="utf-8")
    code, output = run(
        "profiles", "add", f"Ann{SEQUENCES}", "--from-json", str(document), "--home", str(home)
    )
    assert code == 1
    assert "holds the control character U+001B (ESC)" in output
    assert no_sequences(output), repr(output)
    with Store.open(database_path(home)) as store:
        assert store.profile_names() == []


def test_a_program_name_with_a_control_character_is_refused_at_its_place(
    run: Callable[..., tuple[int, str]], write_program: Callable[..., Path]
) -> None:
    path = write_program(PROGRAM.replace(f"name: '{MARKUP_NAME}'", 'name: "Back\\e[2J"'))
    code, output = run("validate", str(path))
    assert code == 1
    assert f"{path}:3:7: name: holds the control character U+001B (ESC)" in output
    assert no_sequences(output), repr(output)
