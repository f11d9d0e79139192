"""The SQLite store on real files: migrations, refusal of bad files, profiles, the session log,
interrupted sessions after a SIGKILL, and two processes writing at once."""

from __future__ import annotations

import json
import random
import signal
import sqlite3
from pathlib import Path

import platformdirs
import pytest

from chairctl.engine import AdjustmentMade, Finished, Outcome, StepStarted
from chairctl.plan import Plan
from chairctl.store import (
    DATABASE_NAME,
    LATEST_VERSION,
    Store,
    database_path,
    region_figures,
)
from chairctl.vocabulary import ChairctlError, Region, StoreError
from tests.store.store_helpers import FIRST, SECOND, faulted_session, spawn, wait_for_line

# -- where ----------------------------------------------------------------------------------------


def test_database_path_prefers_the_argument_then_the_variable_then_user_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CHAIRCTL_HOME", str(tmp_path / "env"))
    assert database_path(tmp_path / "arg") == tmp_path / "arg" / DATABASE_NAME
    assert database_path() == tmp_path / "env" / DATABASE_NAME
    monkeypatch.setenv("CHAIRCTL_HOME", "")
    assert database_path() == platformdirs.user_data_path("chairctl") / DATABASE_NAME
    monkeypatch.delenv("CHAIRCTL_HOME")
    assert database_path() == platformdirs.user_data_path("chairctl") / DATABASE_NAME


# -- opening and migrations -------------------------------------------------------------------


def tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as db:
        rows = db.execute("SELECT name FROM sqlite_schema WHERE type = 'table'").fetchall()
    return {row[0] for row in rows}


@pytest.mark.parametrize("existing", [False, True], ids=["no file", "empty file"])
def test_open_migrates_an_empty_database_to_the_latest_version(
    tmp_path: Path, existing: bool
) -> None:
    path = tmp_path / "deep" / "home" / DATABASE_NAME
    if existing:
        path.parent.mkdir(parents=True)
        path.touch()
    with Store.open(path) as store:
        assert store.schema_version == LATEST_VERSION
        journal = store._db.execute("PRAGMA journal_mode").fetchone()[0]
        assert journal == "wal"
        assert store._db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        store.put_profile("ada", "{}")
    assert {"profiles", "sessions", "session_regions", "safety_events"} <= tables(path)
    # Opening again at the latest version changes nothing and keeps the data.
    with Store.open(path) as store:
        assert store.schema_version == LATEST_VERSION
        assert store.profile_names() == ["ada"]


def test_a_newer_schema_version_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / DATABASE_NAME
    Store.open(path).close()
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    before = path.read_bytes()
    with pytest.raises(StoreError, match="newer chairctl") as caught:
        Store.open(path)
    assert str(path) in str(caught.value)
    assert "\n" not in str(caught.value)
    assert caught.value.path == path
    assert path.read_bytes() == before


def test_random_bytes_are_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / DATABASE_NAME
    path.write_bytes(random.Random(6).randbytes(8192))
    before = path.read_bytes()
    with pytest.raises(StoreError) as caught:
        Store.open(path)
    message = str(caught.value)
    assert str(path) in message
    # Not a database at all: it may be moved aside, and kept.
    assert "not an SQLite database" in message
    assert "move it aside" in message
    assert "keep" in message
    assert "\n" not in message
    assert isinstance(caught.value, ChairctlError)
    assert path.read_bytes() == before


def test_a_truncated_database_is_refused_and_left_alone(tmp_path: Path) -> None:
    whole = tmp_path / "whole.sqlite3"
    with Store.open(whole) as store:
        for index in range(300):
            store.put_profile(f"profile {index}", json.dumps({"notes": "x" * 500}))
    data = whole.read_bytes()
    path = tmp_path / DATABASE_NAME
    path.write_bytes(data[: len(data) // 2])
    before = path.read_bytes()
    with pytest.raises(StoreError, match="is damaged") as caught:
        Store.open(path)
    message = str(caught.value)
    assert str(path) in message
    # A damaged database still holds what can be saved: kept, never moved aside for a new one.
    assert "Keep a copy" in message
    assert "aside" not in message
    assert path.read_bytes() == before


def test_another_programs_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / DATABASE_NAME
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE recipes (name TEXT)")
    with pytest.raises(StoreError, match="another program"):
        Store.open(path)
    assert tables(path) == {"recipes"}


# -- profiles -----------------------------------------------------------------------------------


def test_profiles_put_get_list_replace_remove(tmp_path: Path) -> None:
    with Store.open(tmp_path / DATABASE_NAME) as store:
        assert store.get_profile("ada") is None
        store.put_profile("ada", '{"height_cm": 170}')
        store.put_profile("bob", '{"height_cm": 185}')
        assert store.profile_names() == ["ada", "bob"]
        assert store.get_profile("ada") == '{"height_cm": 170}'
        times = store.profile_times("ada")
        assert times is not None
        created, _ = times
        store.put_profile("ada", '{"height_cm": 171}')
        assert store.get_profile("ada") == '{"height_cm": 171}'
        times = store.profile_times("ada")
        assert times is not None
        assert times[0] == created
        assert times[1] >= created
        assert store.profile_names() == ["ada", "bob"]
        assert store.remove_profile("ada") is True
        assert store.remove_profile("ada") is False
        assert store.profile_names() == ["bob"]


@pytest.mark.parametrize("document", ["{", "[1, 2]", "42"])
def test_a_profile_must_be_a_json_object(tmp_path: Path, document: str) -> None:
    with Store.open(tmp_path / DATABASE_NAME) as store:
        with pytest.raises(StoreError, match="'ada'"):
            store.put_profile("ada", document)
        assert store.profile_names() == []


def test_a_profile_used_by_sessions_may_be_removed(tmp_path: Path) -> None:
    with Store.open(tmp_path / DATABASE_NAME) as store:
        store.put_profile("ada", "{}")
        log = store.begin_session("neck", "Neck", "ada", "sim", 60.0)
        log.on_event(Finished(60.0, True))
        assert store.remove_profile("ada")
        assert [r.profile_name for r in store.history()] == ["ada"]


# -- the session log --------------------------------------------------------------------------


def test_a_session_is_running_from_its_first_moment(tmp_path: Path) -> None:
    path = tmp_path / DATABASE_NAME
    with Store.open(path) as store:
        store.begin_session("neck", "Neck", None, "sim", 600.0)
        # Another connection sees it committed at once, outcome unknown yet.
        with Store.open(path) as other:
            (record,) = other.history()
            assert record.outcome is None
            assert record.ended_at is None
            assert json.loads(record.to_json())["outcome"] == "running"


def test_history_of_a_faulted_session_from_engine_events(tmp_path: Path) -> None:
    with Store.open(tmp_path / DATABASE_NAME) as store:
        log = store.begin_session("lower-back", "Lower back", "ada", "sim", 180.0)
        for event in faulted_session():
            log.on_event(event)
        assert log.ended
        (record,) = store.history()
    assert record.outcome is Outcome.FAULT
    assert record.session_s == 100.0
    assert record.reason == "the chair reported a fault (error code 7)"
    assert record.ended_at is not None
    assert record.ended_at >= record.started_at
    # mid back: 60 s at 2, 15 s at 3, 5 s at 4; upper back: 15 s at 3, 5 s at 4.
    assert list(record.minutes_per_region) == [Region.UPPER_BACK, Region.MID_BACK]
    assert record.minutes_per_region[Region.MID_BACK] == pytest.approx(80 / 60)
    assert record.minutes_per_region[Region.UPPER_BACK] == pytest.approx(20 / 60)
    assert record.mean_intensity_per_region[Region.MID_BACK] == pytest.approx(185 / 80)
    assert record.mean_intensity_per_region[Region.UPPER_BACK] == pytest.approx(65 / 20)
    assert [(e.at, e.kind) for e in record.safety_events] == [
        (90.0, "adjustment"),
        (100.0, "fault"),
    ]
    as_json = json.loads(record.to_json())
    assert as_json["outcome"] == "fault"
    assert as_json["profile_name"] == "ada"
    assert as_json["minutes_per_region"] == {
        "upper_back": pytest.approx(20 / 60),
        "mid_back": pytest.approx(80 / 60),
    }
    assert as_json["safety_events"][1]["message"] == "the chair reported a fault (error code 7)"


def test_a_completed_session_reports_what_its_plan_says(tmp_path: Path) -> None:
    plan = Plan("p", "P", (FIRST, SECOND))
    with Store.open(tmp_path / DATABASE_NAME) as store:
        log = store.begin_session("p", "P", None, "sim", plan.total_s)
        for event in (StepStarted(0.0, 0, FIRST, 2), StepStarted(60.0, 1, SECOND, 3)):
            log.on_event(event)
        log.on_event(Finished(plan.total_s, True))
        # After the end, nothing more is written.
        log.on_event(AdjustmentMade(181.0, "late"))
        (record,) = store.history()
    assert record.outcome is Outcome.COMPLETED
    assert record.safety_events == ()
    seconds = plan.seconds_per_region()
    assert {r: m * 60 for r, m in record.minutes_per_region.items()} == pytest.approx(seconds)
    assert record.mean_intensity_per_region == pytest.approx(plan.mean_intensity_per_region())


def test_region_figures_ignore_idle_steps_and_time_past_the_end() -> None:
    assert region_figures([], 10.0) == {}
    figures = region_figures([StepStarted(0.0, 0, FIRST, 2)], 500.0)
    assert figures == {Region.MID_BACK: (60.0, 2.0)}  # capped by the entry's own end


def test_history_is_newest_first_and_limited(tmp_path: Path) -> None:
    with Store.open(tmp_path / DATABASE_NAME) as store:
        for name in ("first", "second", "third"):
            store.begin_session(name, name.title(), None, "sim", 60.0).on_event(
                Finished(60.0, True)
            )
        assert [r.program_id for r in store.history()] == ["third", "second", "first"]
        assert [r.program_id for r in store.history(limit=2)] == ["third", "second"]


# -- interrupted sessions ---------------------------------------------------------------------

DIES_MID_SESSION = """
import sys, time
from pathlib import Path
from chairctl.engine import StepStarted
from chairctl.plan import PlanEntry
from chairctl.store import Store
from chairctl.vocabulary import Region, Setpoint, Technique

store = Store.open(Path(sys.argv[1]))
log = store.begin_session("neck", "Neck", "ada", "sim", 600.0)
knead = Setpoint(technique=Technique.KNEAD, regions=(Region.NECK,), intensity=2)
log.on_event(StepStarted(0.0, 0, PlanEntry(0.0, 600.0, knead, 3, "knead"), 2))
print("ready", flush=True)
time.sleep(600)
"""


def test_a_session_killed_with_sigkill_is_found_interrupted(tmp_path: Path) -> None:
    path = tmp_path / DATABASE_NAME
    child = spawn(DIES_MID_SESSION, str(path))
    try:
        wait_for_line(child, "ready")
        # While the process lives, opening the store leaves its session running.
        with Store.open(path) as store:
            assert [r.outcome for r in store.history()] == [None]
        child.send_signal(signal.SIGKILL)
        assert child.wait(timeout=30) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(timeout=30)
        child.communicate(timeout=30)
    with Store.open(path) as store:
        (record,) = store.history()
    assert record.outcome is Outcome.INTERRUPTED
    assert record.program_id == "neck"
    assert record.ended_at is None
    assert record.minutes_per_region == {}


def test_a_reused_pid_does_not_keep_a_dead_session_running(tmp_path: Path) -> None:
    path = tmp_path / DATABASE_NAME
    with Store.open(path) as store:
        mine = store.begin_session("mine", "Mine", None, "sim", 60.0)
        stale = store.begin_session("stale", "Stale", None, "sim", 60.0)
    # The stale row has this very pid, but another process's start (a pid reused, or a
    # previous boot).
    with sqlite3.connect(path) as db:
        db.execute(
            "UPDATE sessions SET process = 'another-boot:1' WHERE id = ?", (stale.session_id,)
        )
    with Store.open(path) as store:
        outcomes = {r.id: r.outcome for r in store.history()}
    assert outcomes == {mine.session_id: None, stale.session_id: Outcome.INTERRUPTED}


# -- two writers ----------------------------------------------------------------------------------

WRITER = """
import sys
from pathlib import Path
from chairctl.engine import AdjustmentMade, Finished, StepStarted
from chairctl.plan import PlanEntry
from chairctl.store import Store
from chairctl.vocabulary import Region, Setpoint, Technique

name, count = sys.argv[2], int(sys.argv[3])
knead = Setpoint(technique=Technique.KNEAD, regions=(Region.NECK,), intensity=2)
entry = PlanEntry(0.0, 60.0, knead, 3, "knead")
with Store.open(Path(sys.argv[1])) as store:
    print("ready", flush=True)
    assert sys.stdin.readline().strip() == "go"
    for index in range(count):
        log = store.begin_session(f"{name}-{index}", name, None, "sim", 60.0)
        log.on_event(StepStarted(0.0, 0, entry, 2))
        log.on_event(AdjustmentMade(30.0, f"{name} {index}"))
        log.on_event(Finished(60.0, True))
print("done", flush=True)
"""


def test_two_processes_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / DATABASE_NAME
    Store.open(path).close()
    count = 150
    writers = [spawn(WRITER, str(path), name, str(count)) for name in ("a", "b")]
    try:
        for writer in writers:
            wait_for_line(writer, "ready")
        # Released together, so their transactions interleave.
        for writer in writers:
            assert writer.stdin is not None
            writer.stdin.write("go\n")
            writer.stdin.flush()
        for writer in writers:
            out, err = writer.communicate(timeout=120)
            assert writer.returncode == 0, err
            assert out.strip() == "done"
    finally:
        for writer in writers:
            if writer.poll() is None:
                writer.kill()
                writer.communicate(timeout=30)
    with Store.open(path) as store:
        records = store.history(limit=10 * count)
    assert len(records) == 2 * count
    assert {r.program_id for r in records} == {
        f"{name}-{i}" for name in ("a", "b") for i in range(count)
    }
    assert all(r.outcome is Outcome.COMPLETED for r in records)
    assert all(r.minutes_per_region == {Region.NECK: 1.0} for r in records)
    assert all(len(r.safety_events) == 1 for r in records)


# -- what the app remembers per profile -----------------------------------------------------------


def test_a_version_1_database_gains_the_app_tables_and_keeps_its_profiles(tmp_path: Path) -> None:
    from chairctl.store.schema import MIGRATIONS

    path = tmp_path / DATABASE_NAME
    with sqlite3.connect(path) as db:
        for statement in MIGRATIONS[0]:
            db.execute(statement)
        db.execute(
            "INSERT INTO profiles VALUES ('Ann', '{\"name\": \"Ann\"}', '2026-01-01', '2026-01-01')"
        )
        db.execute("PRAGMA user_version = 1")
    with Store.open(path) as store:
        assert store.schema_version == LATEST_VERSION == 3
        assert store.profile_names() == ["Ann"]
        store.acknowledge("Ann", "safety", 1)
        assert store.acknowledged("Ann", "safety") == 1
    assert {"acknowledgements", "program_preferences", "chair_faults"} <= tables(path)


def test_a_chair_s_fault_is_kept_until_it_is_forgotten(tmp_path: Path) -> None:
    path = tmp_path / DATABASE_NAME
    with Store.open(path) as store:
        assert store.remembered_fault("serial /dev/ttyUSB0") is None
        store.remember_fault("serial /dev/ttyUSB0", "motor overload")
        store.remember_fault("serial /dev/ttyUSB0", "the chair switched itself off")
    with Store.open(path) as store:
        kept = store.remembered_fault("serial /dev/ttyUSB0")
        assert kept is not None
        assert kept[0] == "the chair switched itself off"
        assert store.remembered_fault("BLE AA:BB:CC:DD:EE:FF") is None
        store.forget_fault("serial /dev/ttyUSB0")
        assert store.remembered_fault("serial /dev/ttyUSB0") is None


def test_acknowledgements_and_preferences_are_per_profile_and_go_with_it(tmp_path: Path) -> None:
    with Store.open(tmp_path / DATABASE_NAME) as store:
        for name in ("Ann", "Bo"):
            store.put_profile(name, json.dumps({"name": name}))
        assert store.acknowledged("Ann", "safety") is None
        store.acknowledge("Ann", "safety", 1)
        store.acknowledge("Ann", "safety", 2)
        assert store.acknowledged("Ann", "safety") == 2
        assert store.acknowledged("Bo", "safety") is None
        store.put_program_preferences("Ann", "neck-relief", '{"intensity_offset": -1}')
        store.put_program_preferences("Ann", "neck-relief", '{"intensity_offset": 1}')
        assert store.program_preferences("Ann", "neck-relief") == '{"intensity_offset": 1}'
        assert store.program_preferences("Bo", "neck-relief") is None
        # Editing a profile keeps what it remembers; removing it forgets.
        store.put_profile("Ann", json.dumps({"name": "Ann", "age": 40}))
        assert store.acknowledged("Ann", "safety") == 2
        store.remove_profile("Ann")
        assert store.acknowledged("Ann", "safety") is None
        assert store.program_preferences("Ann", "neck-relief") is None


def test_remembering_for_a_missing_profile_or_bad_json_is_refused(tmp_path: Path) -> None:
    with Store.open(tmp_path / DATABASE_NAME) as store:
        with pytest.raises(StoreError, match="no profile 'Nobody'"):
            store.acknowledge("Nobody", "safety", 1)
        store.put_profile("Ann", json.dumps({"name": "Ann"}))
        with pytest.raises(StoreError, match="not valid JSON"):
            store.put_program_preferences("Ann", "x", "{nope")
