"""A database in trouble, on real SQLite files made so for real: read-only (by the kernel's
permission checks, also for root), locked by another process's open transaction, damaged (a
table gone, rows another program wrote badly) and on a full disk. Each gets one clear message
that never advises losing data, never a traceback, and the file is left as it was."""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from chairctl.engine import AdjustmentMade, FaultRaised, Finished, Outcome, Stopped
from chairctl.safety.profile import HealthScreening, Profile
from chairctl.store import DATABASE_NAME, SessionNotYet, Store, check_allowance
from chairctl.store import store as store_module
from chairctl.vocabulary import ChairctlError, Region, StoreError
from tests.store.store_helpers import REPO, HeldLock, run_chairctl, without_root_override

SHORT = """\
format: 1
id: {id}
name: Short
summary: Two minutes for the tests.
description: Used by the tests of a database in trouble.
category: relaxation
goals: [tension]
steps:
  - {name: Warm up, duration: 60, technique: knead, region: mid_back, intensity: 2}
  - {name: Lower back, duration: 60, technique: knead, region: lower_back, intensity: 3}
"""


@pytest.fixture
def home(tmp_path: Path) -> Iterator[Path]:
    """A data folder holding a database with a profile and one finished session; made
    writable again afterwards, so the test's files can be cleaned up."""
    folder = tmp_path / "home"
    with Store.open(folder / DATABASE_NAME) as store:
        store.put_profile(
            "Ann", Profile(name="Ann", health=HealthScreening(age=40)).model_dump_json()
        )
        log = store.begin_session("neck", "Neck", "Ann", "sim", 60.0)
        log.on_event(Finished(60.0, True))
    yield folder
    folder.chmod(0o755)
    for path in folder.iterdir():
        path.chmod(0o644)


def sessions_in(path: Path) -> int:
    with contextlib.closing(sqlite3.connect(path)) as db:
        count: int = db.execute("SELECT count(*) FROM sessions").fetchone()[0]
    return count


def damage(path: Path, *statements: str) -> None:
    """Change the database behind chairctl's back, as another program would, and let go of
    it (so its bytes are settled before a test compares them)."""
    with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as db:
        # What a careless tool does: it writes past chairctl's own checks.
        db.execute("PRAGMA ignore_check_constraints = ON")
        for statement in statements:
            db.execute(statement)


def never_loses_data(message: str) -> None:
    """The advice for a database that is a database keeps it where it is."""
    assert "aside" not in message
    assert "empty one" not in message
    assert "Traceback" not in message


# -- read-only ------------------------------------------------------------------------------------


def test_a_read_only_folder_is_said_to_be_read_only_not_unusable(home: Path) -> None:
    path = home / DATABASE_NAME
    before = path.read_bytes()
    home.chmod(0o555)
    done = run_chairctl("history", "--home", str(home), prefix=without_root_override())
    assert done.returncode == 1, done.stdout
    assert done.stdout == ""
    error = " ".join(done.stderr.split())
    assert error.startswith("chairctl: ")
    assert f"the folder {home} is read-only" in error
    assert f"chmod u+w '{home}'" in error
    assert "--home" in error
    assert "usable database" not in error
    never_loses_data(error)
    assert path.read_bytes() == before


def test_a_read_only_database_refuses_a_session_before_anything_moves(
    home: Path, write_program: Callable[..., Path]
) -> None:
    path = home / DATABASE_NAME
    program = write_program(SHORT)
    path.chmod(0o444)
    done = run_chairctl(
        "run", str(program), "--speed", "200", "--home", str(home), prefix=without_root_override()
    )
    assert done.returncode == 1
    error = " ".join(done.stderr.split())
    assert error.startswith("chairctl: ")
    assert f"{path} is read-only" in error
    assert f"chmod u+w '{path}'" in error
    assert "chown" in error
    never_loses_data(error)
    # Refused at the session's first write, before the chair was asked for anything.
    assert "Finished" not in done.stdout
    assert sessions_in(path) == 1


# -- locked ---------------------------------------------------------------------------------------


def test_a_locked_database_still_opens_and_shows_the_history(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Reads never wait for a writer (WAL); opening takes no write lock when nothing needs
    # writing. A short lock wait makes the old behaviour (a write lock at every open) fail
    # fast rather than after half a minute.
    monkeypatch.setattr(store_module, "LOCK_WAIT_S", 0.2, raising=False)
    path = home / DATABASE_NAME
    with HeldLock(path), Store.open(path) as store:
        assert [r.program_id for r in store.history()] == ["neck"]
        assert store.profile_names() == ["Ann"]


def test_a_write_to_a_locked_database_says_who_may_hold_it(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_module, "LOCK_WAIT_S", 0.2, raising=False)
    path = home / DATABASE_NAME
    with Store.open(path) as store:
        with HeldLock(path) as lock:
            for write in (
                lambda: store.put_profile("Bo", "{}"),
                lambda: store.begin_session("neck", "Neck", "Ann", "sim", 60.0),
            ):
                with pytest.raises(StoreError) as caught:
                    write()
                message = str(caught.value)
                assert f"{path} is locked by another program" in message
                assert "another chairctl" in message
                assert "sqlite3" in message
                assert "try again" in message
                assert "nothing was changed" in message
                never_loses_data(message)
            lock.release()
        # Once the other program lets go, the same write goes through.
        store.put_profile("Bo", "{}")
        assert store.profile_names() == ["Ann", "Bo"]
        assert sessions_in(path) == 1


# -- damaged --------------------------------------------------------------------------------------


def test_a_missing_table_is_one_clear_message_and_the_file_is_kept(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = home / DATABASE_NAME
    damage(path, "DROP TABLE session_regions")
    before = path.read_bytes()
    with pytest.raises(StoreError) as caught:
        Store.open(path)
    message = str(caught.value)
    assert message.startswith(f"{path} is damaged: chairctl's table session_regions is gone")
    assert "Keep a copy" in message
    never_loses_data(message)
    assert path.read_bytes() == before
    done = run_chairctl("history", "--home", str(home))
    assert done.returncode == 1
    assert done.stderr.startswith(f"chairctl: {path} is damaged")
    assert "Traceback" not in done.stderr
    assert path.read_bytes() == before


def test_a_table_dropped_while_the_store_is_open_is_a_clear_message(home: Path) -> None:
    path = home / DATABASE_NAME
    with Store.open(path) as store:
        damage(path, "DROP TABLE sessions")
        with pytest.raises(StoreError) as caught:
            store.history()
        assert "is damaged: no such table: sessions" in str(caught.value)
        never_loses_data(str(caught.value))
        with pytest.raises(StoreError) as refused:
            check_allowance(store, "Ann", 600)
        message = str(refused.value)
        assert message.startswith(
            "Ann's rest between sessions and daily cap cannot be checked, so the session does "
            "not start: "
        )
        assert "no such table: sessions" in message


def add_row(path: Path, **values: object) -> None:
    """A session row as another program might write one: chairctl's columns, any values."""
    row: dict[str, object] = {
        "program_id": "good",
        "program_name": "Good",
        "profile_name": "Ann",
        "chair": "sim",
        "planned_s": 60.0,
        "started_at": (datetime.now(UTC) - timedelta(hours=30)).isoformat(),
        "ended_at": None,
        "session_s": 60.0,
        "outcome": "completed",
        "reason": "the program finished",
        "pid": 1,
        "process": "",
    }
    row.update(values)
    regions = row.pop("regions", [])
    assert isinstance(regions, list)
    with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as db:
        # What a careless tool does: it writes past chairctl's own checks.
        db.execute("PRAGMA ignore_check_constraints = ON")
        cursor = db.execute(
            f"INSERT INTO sessions ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
            tuple(row.values()),
        )
        for region, seconds, mean in regions:
            db.execute(
                "INSERT INTO session_regions VALUES (?, ?, ?, ?)",
                (cursor.lastrowid, region, seconds, mean),
            )


HOSTILE = "[bold red]x[/]\x1b]0;owned\x07\x9b2J"


def test_rows_that_cannot_be_read_are_left_out_with_a_note(home: Path) -> None:
    path = home / DATABASE_NAME
    add_row(path, program_id="bad-date", started_at="yesterday-ish")
    add_row(path, program_id="no-zone", started_at="2026-01-01T10:00:00")
    add_row(path, program_id="bad-outcome", outcome="exploded")
    add_row(path, program_id="forever", session_s=float("inf"))
    add_row(path, program_id="backwards", session_s=-5.0)
    add_row(
        path,
        program_id="odd-region",
        regions=[("tail", 30.0, 2.0), ("mid_back", 30.0, 2.0)],
    )
    add_row(path, program_id=HOSTILE)
    with Store.open(path) as store:
        read = store.read_history(limit=50)
        shown = {r.program_id for r in read.records}
        assert shown == {"neck", "odd-region", HOSTILE}
        (odd,) = [r for r in read.records if r.program_id == "odd-region"]
        assert odd.minutes_per_region == {Region.MID_BACK: 0.5}
        notes = "\n".join(read.notes)
        assert len(read.notes) == 6
        assert "its started_at 'yesterday-ish' is not a date and time with its zone" in notes
        assert "its started_at '2026-01-01T10:00:00' is not a date" in notes
        assert "its outcome 'exploded' is not one chairctl knows" in notes
        assert "its session_s inf is not a number of seconds" in notes
        assert "its session_s -5.0 is not a number of seconds" in notes
        assert "a region left out: its region 'tail' is not one chairctl knows" in notes
        # history() is the same, without the notes.
        assert {r.program_id for r in store.history(limit=50)} == shown


def test_history_shows_what_it_can_read_and_names_the_rest(home: Path) -> None:
    path = home / DATABASE_NAME
    add_row(path, program_id="bad-date", started_at="yesterday-ish")
    add_row(path, program_id=HOSTILE, profile_name=HOSTILE)
    done = run_chairctl("history", "--home", str(home))
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert "left out: its started_at 'yesterday-ish' is not a date" in " ".join(done.stderr.split())
    assert "neck" in done.stdout
    # The hostile name is shown as the text it is: its brackets as brackets, its control
    # characters as U+FFFD, and never an escape sequence for the terminal.
    assert "[bold red]x[/]" in done.stdout
    assert "\x1b" not in done.stdout + done.stderr
    assert "\x9b" not in done.stdout + done.stderr
    as_json = run_chairctl("history", "--home", str(home), "--json")
    assert as_json.returncode == 0
    assert {r["program_id"] for r in json.loads(as_json.stdout)} == {"neck", HOSTILE}


@pytest.mark.parametrize(
    "bad",
    [
        # Sorts among this day's sessions, as text; as a date, month 13 is none.
        {"started_at": f"{datetime.now(UTC).year}-13-45T10:00:00+00:00"},
        {"outcome": "exploded", "started_at": datetime.now(UTC).isoformat()},
    ],
    ids=["bad date", "bad outcome"],
)
def test_an_unreadable_session_of_the_person_refuses_the_session_in_words(
    home: Path, bad: dict[str, object]
) -> None:
    path = home / DATABASE_NAME
    add_row(path, program_id="bad", **bad)
    with Store.open(path) as store:
        with pytest.raises(ChairctlError) as caught:
            check_allowance(store, "Ann", 600)
        assert not isinstance(caught.value, SessionNotYet)
        message = str(caught.value)
        assert message.startswith("Ann's rest between sessions and daily cap cannot be checked")
        assert f"of Ann in {path} cannot be read" in message
        assert "Keep a copy of the file" in message
        # Another person's sessions are not theirs to refuse.
        check_allowance(store, "Bo", 600)


# -- the session log: never waits, fails once --------------------------------------------------


def test_the_session_log_never_waits_for_a_locked_database(home: Path) -> None:
    path = home / DATABASE_NAME
    with Store.open(path) as store:
        log = store.begin_session("neck", "Neck", "Ann", "sim", 600.0)
        with HeldLock(path) as lock:
            # Returns at once: the write waits on the log's own thread, not here.
            log.on_event(FaultRaised(42.0, "the chair reported a fault (error code 7)"))
            assert log.pending == 1
            assert not log.wait(0.2)
            report = log.report(0.2)
            assert report is not None
            assert report.startswith("this session's log is not written yet: after 0.2 s, 1 of")
            assert str(path) in report
            assert "another chairctl" in report
            lock.release()
        # The write was only waiting: once the lock is gone it is made.
        assert log.wait(30)
        assert log.report() is None
        (record, _) = store.history()
        assert [(e.at, e.kind) for e in record.safety_events] == [(42.0, "fault")]


def test_a_failing_log_is_reported_once_for_all_its_writes(home: Path) -> None:
    path = home / DATABASE_NAME
    with Store.open(path) as store:
        log = store.begin_session("neck", "Neck", "Ann", "sim", 600.0)
        damage(path, "DROP TABLE safety_events")
        for second in range(5):
            log.on_event(AdjustmentMade(float(second), "held at 2 by the gentle start"))
        log.on_event(Stopped(10.0, "stopped by the user", Outcome.STOPPED, True))
        assert log.wait(30)
        report = log.report()
        assert report is not None
        assert report.startswith("this session's log could not be written in full (5 of 6 writes")
        assert report.count("no such table: safety_events") == 1
        assert "Keep a copy" in report
        never_loses_data(report)
        # The end went in: it does not need the missing table.
        assert "interrupted" not in report


# -- a full disk ----------------------------------------------------------------------------------

FULL_DISK = """
import json, os, subprocess, sys
from pathlib import Path
from chairctl.engine import FaultRaised
from chairctl.store import Store

disk = Path(sys.argv[1])
subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(disk)], check=True)
path = disk / "chairctl.sqlite3"
store = Store.open(path)
log = store.begin_session("neck", "Neck", None, "sim", 600.0)
# Fill what is left of the disk, as a download or a log file does.
filler = os.open(disk / "filler", os.O_WRONLY | os.O_CREAT)
try:
    while os.write(filler, b"x" * 4096):
        pass
except OSError:
    pass
os.close(filler)
said = {}
try:
    store.put_profile("Ann", json.dumps({"notes": "x" * 20000}))
except Exception as error:
    said["profile"] = f"{type(error).__name__}: {error}"
log.on_event(FaultRaised(5.0, "the chair reported a fault"))
log.wait(30)
said["log"] = log.report()
print(json.dumps(said))
"""


def on_a_full_disk(code: str, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a child with a mount namespace of its own, where it mounts a small
    tmpfs at its first argument and fills it: a real full disk (ENOSPC), touching no other."""
    disk = tmp_path / "disk"
    disk.mkdir()
    probe = subprocess.run(
        ["unshare", "--user", "--map-root-user", "--mount", "true"],
        capture_output=True,
        text=True,
        check=False,
    )
    if probe.returncode != 0:
        pytest.skip(f"no mount namespace for a small disk of our own: {probe.stderr.strip()}")
    return subprocess.run(
        [
            "unshare",
            "--user",
            "--map-root-user",
            "--mount",
            sys.executable,
            "-c",
            code,
            str(disk),
            *args,
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        timeout=120,
        check=False,
    )


def test_a_full_disk_is_said_to_be_full_and_nothing_is_lost(tmp_path: Path) -> None:
    done = on_a_full_disk(textwrap.dedent(FULL_DISK), tmp_path)
    assert done.returncode == 0, done.stderr
    said = json.loads(done.stdout)
    assert said["profile"].startswith("StoreError: the disk that holds ")
    assert "is full (database or disk is full)" in said["profile"]
    assert "what the database already holds is kept" in said["profile"]
    assert said["log"].startswith(
        "this session's log could not be written in full (1 of 1 writes failed): the disk "
    )
    assert "is full" in said["log"]
    never_loses_data(said["profile"] + said["log"])
