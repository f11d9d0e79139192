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
