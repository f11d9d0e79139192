"""Helpers for the store tests: plan entries, an engine-shaped event sequence, and a way to run
Python code against the store in a real child process."""

from __future__ import annotations

import os
import select
import subprocess
import sys
from pathlib import Path

from chairctl.engine import (
    AdjustmentMade,
    Event,
    FaultRaised,
    SessionStarted,
    StatusReceived,
    StepStarted,
    Stopped,
)
from chairctl.engine.events import Outcome
from chairctl.plan import PlanEntry
from chairctl.vocabulary import ChairStatus, Region, Setpoint, Technique

REPO = Path(__file__).resolve().parents[2]

KNEAD_MID = Setpoint(technique=Technique.KNEAD, regions=(Region.MID_BACK,), intensity=2)
KNEAD_SPAN = Setpoint(
    technique=Technique.KNEAD, regions=(Region.UPPER_BACK, Region.MID_BACK), intensity=3
)
FIRST = PlanEntry(0.0, 60.0, KNEAD_MID, 10, "mid")
SECOND = PlanEntry(60.0, 120.0, KNEAD_SPAN, 14, "span")


def faulted_session() -> list[Event]:
    """What an engine emits for a session that faults 100 s in, after a live intensity change:
    mid back 0-60 s at 2, upper+mid 60-90 s at 3, then at 4 until the fault at 100 s."""
    return [
        StepStarted(0.0, 0, FIRST, 2),
        SessionStarted(0.0, "lower-back", "Lower back", 180.0),
        StatusReceived(0.5, ChairStatus()),
        StepStarted(60.0, 1, SECOND, 3),
        AdjustmentMade(90.0, "intensity held at 4 by the rules"),
        StepStarted(90.0, 1, SECOND, 4),
        FaultRaised(100.0, "the chair reported a fault (error code 7)"),
        Stopped(100.0, "the chair reported a fault (error code 7)", Outcome.FAULT, True),
    ]


def spawn(code: str, *args: str) -> subprocess.Popen[str]:
    """Run ``code`` in a fresh Python with the repository importable; stdin/stdout piped."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen(
        [sys.executable, "-c", code, *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def wait_for_line(process: subprocess.Popen[str], expected: str, timeout_s: float = 30.0) -> None:
    """Wait (bounded) until the child prints ``expected`` on a line of its own."""
    assert process.stdout is not None
    ready, _, _ = select.select([process.stdout], [], [], timeout_s)
    assert ready, f"no {expected!r} from the child within {timeout_s} s"
    line = process.stdout.readline().strip()
    if line != expected:
        process.kill()
        _, err = process.communicate(timeout=10)
        raise AssertionError(f"child said {line!r}, not {expected!r}; stderr:\n{err}")


# -- a database in trouble, made so for real ------------------------------------------------------

LOCKER = """
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
sys.stdin.readline()
db.execute("COMMIT")
print("released", flush=True)
"""


class HeldLock:
    """Another process holding the database's write lock (``BEGIN EXCLUSIVE``) until
    :meth:`release`, as a sqlite3 shell with a transaction open does."""

    def __init__(self, path: Path) -> None:
        self._child = spawn(LOCKER, str(path))
        wait_for_line(self._child, "locked")

    def release(self) -> None:
        child = self._child
        if child.poll() is None:
            assert child.stdin is not None
            child.stdin.write("go\n")
            child.stdin.flush()
            wait_for_line(child, "released")
        child.communicate(timeout=30)

    def __enter__(self) -> HeldLock:
        return self

    def __exit__(self, *_: object) -> None:
        if self._child.poll() is None:
            self._child.kill()
        self._child.communicate(timeout=30)


def without_root_override() -> list[str]:
    """The command prefix under which file permissions bind this test's child process.

    Root's CAP_DAC_OVERRIDE writes through any chmod, so as root the child runs in a user
    namespace of its own (``unshare --user``): it keeps its uid, so it still owns what it
    made and may read it, but holds no capability over the machine's files, and the kernel
    checks their modes as for anyone. Not root: nothing is needed.
    """
    if os.geteuid() != 0:
        return []
    probe = subprocess.run(
        ["unshare", "--user", "true"], capture_output=True, text=True, check=False
    )
    if probe.returncode != 0:
        import pytest

        pytest.skip(f"running as root, and no user namespace to drop the override: {probe.stderr}")
    return ["unshare", "--user"]


def run_chairctl(*args: str, prefix: list[str] | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m chairctl ARGS`` in a child process (under ``prefix``), off a terminal."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "NO_COLOR": "1", "COLUMNS": "160"}
    return subprocess.run(
        [*(prefix or []), sys.executable, "-m", "chairctl", *args],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=120,
        check=False,
    )
