"""A session on the simulated chair of every family, logged to a real database whose writes
block (another process holds its lock), fail (tables gone) or meet a full disk: the session
stops on time in virtual time, the simulator's ground truth shows the chair at rest, and the
log's trouble is said once, after the release."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from chairctl.clock import VirtualClock
from chairctl.engine import Outcome, Stopped
from chairctl.store import DATABASE_NAME, Store
from drivers.chair import ChairSession
from drivers.families import FAMILIES as REGISTERED
from drivers.links import DataCallback, Endpoint, LostCallback, MemoryLink
from drivers.models import get_model
from simulator.families import simulated_chair
from tests.store.logged_session import PLAN, Chair, ended_on_time, run_logged
from tests.store.store_helpers import REPO, HeldLock

#: One chair of each registered family.
FAMILIES = [family.example_model for family in REGISTERED.values()]


@pytest.fixture(params=FAMILIES)
async def chair(request: pytest.FixtureRequest) -> AsyncIterator[Chair]:
    model = get_model(request.param)
    clock = VirtualClock()
    simulated = simulated_chair(model, clock)

    def link() -> MemoryLink:
        def opener(on_data: DataCallback, on_lost: LostCallback) -> Endpoint:
            return simulated.connect(on_data=on_data, on_close=on_lost)

        return MemoryLink(opener)

    session = ChairSession(model, link, clock)
    await clock.run(session.connect())
    yield Chair(clock, simulated, session)
    await clock.run(session.close())


async def test_a_locked_database_never_holds_up_the_session(chair: Chair, tmp_path: Path) -> None:
    path = tmp_path / DATABASE_NAME
    with Store.open(path) as store:
        log = store.begin_session("test", "Test", None, "sim", PLAN.total_s)
        with HeldLock(path) as lock:
            await ended_on_time(chair, await run_logged(chair, log))
            # Still waiting for the lock: said once, after the release, in a bounded wait.
            report = await log.drain(chair.clock, timeout_s=0.2)
            assert report is not None
            assert report.startswith("this session's log is not written yet: after 0.2 s, 2 of")
            assert str(path) in report
            lock.release()
        # The writes were only waiting: the log is whole once the lock is gone.
        assert log.wait(30)
        (record,) = store.history()
        assert record.outcome is Outcome.FAULT
        assert [e.kind for e in record.safety_events] == ["fault"]


async def test_a_damaged_database_never_breaks_the_session(chair: Chair, tmp_path: Path) -> None:
    path = tmp_path / DATABASE_NAME
    with Store.open(path) as store:
        log = store.begin_session("test", "Test", None, "sim", PLAN.total_s)
        # Something other than chairctl drops two of its tables while the session runs.
        with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as other:
            other.execute("DROP TABLE safety_events")
            other.execute("DROP TABLE session_regions")
        await ended_on_time(chair, await run_logged(chair, log))
        report = await log.drain(chair.clock)
        assert report is not None
        # One sentence for both failed writes, naming the first.
        assert report.startswith(
            f"this session's log could not be written in full (2 of 2 writes failed): {path} "
            "is damaged: no such table: safety_events"
        )
        assert report.count("no such table") == 1
        assert "will show this session as interrupted" in report
        assert "aside" not in report


FULL_DISK_SESSION = """
import asyncio, json, os, subprocess, sys
from pathlib import Path

sys.path.insert(0, sys.argv[2])
from tests.store.logged_session import PLAN, Chair, run_logged, ended_on_time
from chairctl.clock import VirtualClock
from chairctl.store import Store
from drivers.chair import ChairSession
from drivers.links import MemoryLink
from drivers.models import get_model
from simulator.families import simulated_chair

disk = Path(sys.argv[1])
subprocess.run(["mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", str(disk)], check=True)


async def one(family):
    model = get_model(family)
    clock = VirtualClock()
    simulated = simulated_chair(model, clock)
    link = lambda: MemoryLink(lambda d, l: simulated.connect(on_data=d, on_close=l))
    session = ChairSession(model, link, clock)
    await clock.run(session.connect())
    chair = Chair(clock, simulated, session)
    folder = disk / family
    store = Store.open(folder / "chairctl.sqlite3")
    log = store.begin_session("test", "Test", None, "sim", PLAN.total_s)
    filler = os.open(folder / "filler", os.O_WRONLY | os.O_CREAT)
    try:
        while os.write(filler, b"x" * 4096):
            pass
    except OSError:
        pass
    await ended_on_time(chair, await run_logged(chair, log))
    report = await log.drain(clock)
    await clock.run(session.close())
    os.close(filler)
    os.unlink(folder / "filler")
    store.close()
    return report


print(json.dumps({family: asyncio.run(one(family)) for family in sys.argv[3:]}))
"""


def test_a_full_disk_never_breaks_the_session(tmp_path: Path) -> None:
    # A disk of its own, really full (ENOSPC), in a mount namespace of the child's own.
    disk = tmp_path / "disk"
    disk.mkdir()
    command = ["unshare", "--user", "--map-root-user", "--mount"]
    probe = subprocess.run([*command, "true"], capture_output=True, text=True, check=False)
    if probe.returncode != 0:
        pytest.skip(f"no mount namespace for a small disk of our own: {probe.stderr.strip()}")
    done = subprocess.run(
        [
            *command,
            sys.executable,
            "-c",
            textwrap.dedent(FULL_DISK_SESSION),
            str(disk),
            str(Path(__file__).parent),
            *FAMILIES,
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    reports = json.loads(done.stdout)
    assert set(reports) == set(FAMILIES)
    for report in reports.values():
        assert report.startswith(
            "this session's log could not be written in full (2 of 2 writes failed): the disk "
        )
        assert "is full" in report
        assert "aside" not in report


def test_the_drain_waits_in_real_time_while_virtual_time_stands_still(tmp_path: Path) -> None:
    """On a virtual clock the drain is real I/O in flight: the clock does not call it a
    deadlock, and does not move."""
    path = tmp_path / DATABASE_NAME

    async def scenario() -> str | None:
        clock = VirtualClock()
        with Store.open(path) as store:
            log = store.begin_session("test", "Test", None, "sim", 60.0)
            log.on_event(Stopped(30.0, "stopped by the user", Outcome.STOPPED, True))
            report = await clock.run(log.drain(clock))
            assert clock.now() == 0.0
            return report

    assert asyncio.run(scenario()) is None
