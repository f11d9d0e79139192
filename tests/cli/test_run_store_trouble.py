"""chairctl run with its database in trouble: a locked one refuses the session before anything
moves, in one line; one that fails mid-session never stops the massage early or late, and the
run says once, after the chair's release, what the log could not keep."""

from __future__ import annotations

import contextlib
import json
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from chairctl.store import DATABASE_NAME, Store
from chairctl.store import store as store_module

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "store"))
from tests.cli.runhelpers import SHORT, run
from tests.store.store_helpers import HeldLock


@pytest.fixture
def home(tmp_path: Path) -> Path:
    folder = tmp_path / "home"
    Store.open(folder / DATABASE_NAME).close()
    return folder


def test_a_locked_database_refuses_the_session_before_anything_moves(
    capsys: pytest.CaptureFixture[str],
    write_program: Callable[..., Path],
    home: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(store_module, "LOCK_WAIT_S", 0.2, raising=False)
    path = home / DATABASE_NAME
    with HeldLock(path):
        code, out, err = run(
            capsys, str(write_program(SHORT)), "--speed", "200", "--home", str(home)
        )
    assert code == 1
    assert err.startswith(f"chairctl: {path} is locked by another program")
    assert "try again" in err
    assert "Traceback" not in err
    assert "Finished" not in out


def test_a_log_that_fails_mid_session_is_said_once_after_the_release(
    capsys: pytest.CaptureFixture[str],
    write_program: Callable[..., Path],
    home: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COLUMNS", "1000")  # one sentence on one line, paths unbroken
    path = home / DATABASE_NAME
    # Another program rebuilt a table its own way: the table is there, a column is not.
    with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as other:
        other.execute("DROP TABLE session_regions")
        other.execute(
            "CREATE TABLE session_regions (session_id INTEGER, region TEXT, seconds REAL)"
        )
    code, out, err = run(
        capsys, str(write_program(SHORT)), "--speed", "200", "--home", str(home), "--json"
    )
    # The session ran its course: the log's trouble is no reason to end a massage.
    assert code == 0, err
    events = [json.loads(line) for line in out.splitlines()]
    assert events[-1]["event"] == "Finished"
    assert events[-1]["chair_safe"] is True
    assert events[-1]["at"] == pytest.approx(120, abs=0.5)
    said = " ".join(err.split())
    assert said.count("The session log:") == 1
    assert (
        "The session log: this session's log could not be written in full (1 of 1 writes "
        f"failed): {path} is damaged: table session_regions has no column named mean_intensity"
    ) in said
    assert "Keep a copy" in said
    assert "Traceback" not in err
    # Said after the end, not while the chair worked.
    assert said.index("The session log:") > said.index("Short")
