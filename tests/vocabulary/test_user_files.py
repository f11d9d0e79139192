"""Files a user names or drops in a folder are read bounded: only regular files, at most the
limit, and nothing of a file that is not a chairctl file is ever quoted back.

The FIFO and device cases run the real command line in a child process: before reading was
bounded they hung (a FIFO waits for a writer) or read without end (``/dev/zero``), which only
a child process can survive. Its ``timeout`` is a guard against that hang, not a measurement.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from chairctl.cli import main
from chairctl.program import load_program
from chairctl.vocabulary import ModelError, ProgramError
from chairctl.vocabulary.files import FileRefused, read_regular_file
from drivers.models import load_model_file
from tests.conftest import MINIMAL, REPO

#: What a child process may take at most before it counts as hung (a guard, not a timing).
HANG_GUARD_S = 120
#: The first line of a file that is not chairctl's, which no message may repeat.
SECRET = "hunter2-4f9c1e"


def chairctl_child(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    """``python -m chairctl ARGS`` in a child process, off a terminal, with its own home."""
    env = {**os.environ, "CHAIRCTL_HOME": str(home), "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-m", "chairctl", *args],
        cwd=REPO,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=HANG_GUARD_S,
        check=False,
    )


@pytest.fixture
def models(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty models folder under a fresh chairctl home (``$CHAIRCTL_HOME`` names it)."""
    folder = tmp_path / "home" / "models"
    folder.mkdir(parents=True)
    monkeypatch.setenv("CHAIRCTL_HOME", str(folder.parent))
    return folder


def test_a_fifo_in_the_models_folder_is_refused_not_waited_on(models: Path) -> None:
    fifo = models / "pipe.yaml"
    os.mkfifo(fifo)
    done = chairctl_child("models", home=models.parent)
    assert done.returncode == 1
    assert f"{fifo}:1:1: cannot read: it is a named pipe (FIFO)" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_symlink_to_dev_zero_is_refused_unread(models: Path) -> None:
    link = models / "zero.yaml"
    link.symlink_to("/dev/zero")
    done = chairctl_child("models", home=models.parent)
    assert done.returncode == 1
    assert f"{link}:1:1: cannot read: it is a device" in done.stderr


def test_a_fifo_named_as_a_program_is_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    done = chairctl_child("validate", str(fifo), home=tmp_path / "home")
    assert done.returncode == 1
    assert f"{fifo}:1:1: cannot read: it is a named pipe (FIFO)" in done.stdout


def test_a_fifo_as_a_profile_document_is_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "profile.json"
    os.mkfifo(fifo)
    done = chairctl_child(
        "profiles", "add", "Ann", "--from-json", str(fifo), home=tmp_path / "home"
    )
    assert done.returncode == 1
    assert "cannot read: it is a named pipe (FIFO)" in done.stderr


def test_a_folder_named_like_a_model_file_is_refused(models: Path) -> None:
    (models / "odd.yaml").mkdir()
    with pytest.raises(ModelError, match=r"odd.yaml:1:1: cannot read: it is a folder"):
        load_model_file(models / "odd.yaml")


def test_a_file_growing_past_the_limit_is_not_read_past_it(tmp_path: Path) -> None:
    # /proc files report a size of 0 whatever they hold: the read itself must stop.
    status = Path("/proc/self/status")
    if not status.is_file():
        pytest.skip("no /proc")
    with pytest.raises(FileRefused, match="larger than 16 bytes"):
        read_regular_file(status, max_bytes=16, what="model file")
    assert read_regular_file(status, max_bytes=64 * 1024).startswith(b"Name:")


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str]]:
    """Run the real entry point in-process: the exit code, and stdout and stderr together."""

    def invoke(*args: str) -> tuple[int, str]:
        with pytest.raises(SystemExit) as exited:
            main(list(args))
        out, err = capsys.readouterr()
        code = exited.value.code
        return (code if isinstance(code, int) else 1), out + err

    return invoke


# -- nothing of another file is quoted ---------------------------------------------------------


def _secret_files(folder: Path) -> list[Path]:
    """Files that are not chairctl's, whose text must not come back: each reached through a
    symlink, as a file elsewhere on the system would be."""
    texts = {
        # Not valid YAML: the parser's words quote the text near the fault.
        "syntax": f"{SECRET}: [\n",
        "tag": f"!{SECRET} value\n",
        "anchor": f"key: &{SECRET} 1\n",
        # Valid YAML, the shape of a password file: every line a key without a value.
        "keys": f"root:{SECRET}:19000:0:99999:7:::\nbin:*:19000:0:99999:7:::\n",
        "duplicate": f"{SECRET}: 1\n{SECRET}: 2\n",
    }
    elsewhere = folder / "elsewhere"
    elsewhere.mkdir()
    links = []
    for name, text in texts.items():
        target = elsewhere / name
        target.write_text(text, encoding="utf-8")
        link = folder / f"{name}.yaml"
        link.symlink_to(target)
        links.append(link)
    return links


def test_no_message_about_another_file_quotes_it(
    tmp_path: Path, write_program: Callable[..., Path]
) -> None:
    for link in _secret_files(tmp_path):
        with pytest.raises(ModelError) as model_error:
            load_model_file(link)
        with pytest.raises(ProgramError) as program_error:
            load_program(link)
        for error in (model_error.value, program_error.value):
            assert len(error.problems) == 1, error.problems
            assert SECRET not in str(error), str(error)
            assert str(error).startswith(f"{link}:")
    # A file that says it is a program is one: its author is told what is wrong, quoted.
    path = write_program(MINIMAL + "    technique: tap\n")
    with pytest.raises(ProgramError, match="duplicate key 'technique'"):
        load_program(path)


def test_no_command_prints_another_file(models: Path, run: Callable[..., tuple[int, str]]) -> None:
    links = _secret_files(models)
    code, output = run("models")
    assert code == 1
    assert all(str(link) in output for link in links)
    assert SECRET not in output
    code, output = run("validate", *map(str, links))
    assert code == 1
    assert SECRET not in output


def test_a_profile_document_that_is_not_json_is_not_quoted(
    tmp_path: Path, run: Callable[..., tuple[int, str]]
) -> None:
    other = tmp_path / "other.json"
    other.write_text(f"{SECRET}\n", encoding="utf-8")
    code, output = run("profiles", "add", "Ann", "--from-json", str(other))
    assert code == 1
    assert "is not valid JSON (line 1, column 1)" in output
    assert SECRET not in output
    other.write_text(json.dumps({"name": "x", "health": {"age": 40}}), encoding="utf-8")
    code, output = run("profiles", "add", "Ann", "--from-json", str(other))
    assert code == 0, output
