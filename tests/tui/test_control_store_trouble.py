"""The app's chair control with a session log that cannot be written: the session runs and
ends as ever on the virtual clock, the chair is released, and only then is the person told,
once, what the log could not keep."""

from __future__ import annotations

import contextlib
import sqlite3
import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from chairctl.clock import VirtualClock
from chairctl.engine import Event, Finished, Outcome, StatusReceived, Warned
from chairctl.plan import Plan, PlanEntry
from chairctl.program import load_program
from chairctl.program.library import find_program
from chairctl.services.chairs import parse_chair
from chairctl.services.session import ChairControl, StopState
from chairctl.store import DATABASE_NAME, Store
from chairctl.store import sessions as sessions_module
from chairctl.vocabulary import Region, Setpoint, Technique
from drivers.models import get_model_as
from drivers.models.rongtai import RongtaiModel

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "store"))
from tests.store.store_helpers import HeldLock

KNEAD_MID = Setpoint(technique=Technique.KNEAD, regions=(Region.MID_BACK,), intensity=2)
PLAN = Plan("test", "Test", (PlanEntry(0.0, 180.0, KNEAD_MID, 7, "knead"),))


@pytest.fixture
async def control() -> AsyncIterator[tuple[ChairControl, VirtualClock]]:
    clock = VirtualClock()
    control = ChairControl(parse_chair("sim"), get_model_as("rongtai-rt8600s", RongtaiModel), clock)
    await clock.run(control.connect())
    yield control, clock
    await clock.run(control.close())


def released(control: ChairControl) -> bool:
    assert control.simulated is not None
    state = control.simulated.state()
    return state.roller_technique is None and not state.heat_on


class Trouble:
    """The app's listener, which also brings the database its trouble at the session's
    first event: after the session's first write, while it runs."""

    def __init__(self, make: Callable[[], None]) -> None:
        self._make: Callable[[], None] | None = make
        self.heard: list[Event] = []

    def __call__(self, event: Event) -> None:
        if self._make is not None:
            make, self._make = self._make, None
            make()
        if not isinstance(event, StatusReceived):
            self.heard.append(event)


async def test_a_damaged_log_is_told_once_after_the_release(
    control: tuple[ChairControl, VirtualClock], tmp_path: Path
) -> None:
    chair, clock = control
    path = tmp_path / DATABASE_NAME

    def drop_a_table() -> None:
        with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as other:
            other.execute("DROP TABLE session_regions")

    trouble = Trouble(drop_a_table)
    program = load_program(find_program("five-minute-reset"))
    with Store.open(path) as store:
        result = await clock.run(
            chair.run(program, PLAN, store=store, profile=None, listener=trouble)
        )
    assert result.outcome is Outcome.COMPLETED
    assert result.chair_safe
    assert chair.stop_state is StopState.STOPPED
    assert released(chair)
    # The end first, then the one word about the log.
    heard = trouble.heard
    assert isinstance(heard[-2], Finished)
    warned = heard[-1]
    assert isinstance(warned, Warned)
    assert warned.message.startswith(
        "The session log: this session's log could not be written in full (1 of 1 writes "
        f"failed): {path} is damaged: no such table: session_regions"
    )
    assert [type(e) for e in heard].count(Warned) == 1


async def test_a_locked_log_is_waited_for_a_bounded_time_after_the_release(
    control: tuple[ChairControl, VirtualClock], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    chair, clock = control
    monkeypatch.setattr(sessions_module, "DRAIN_S", 0.2, raising=False)
    path = tmp_path / DATABASE_NAME
    locks: list[HeldLock] = []
    trouble = Trouble(lambda: locks.append(HeldLock(path)))
    program = load_program(find_program("five-minute-reset"))
    with Store.open(path) as store:
        try:
            result = await clock.run(
                chair.run(program, PLAN, store=store, profile=None, listener=trouble)
            )
            assert result.outcome is Outcome.COMPLETED
            assert result.chair_safe
            assert released(chair)
            warned = trouble.heard[-1]
            assert isinstance(warned, Warned)
            assert warned.message.startswith(
                "The session log: this session's log is not written yet: after 0.2 s, 1 of"
            )
        finally:
            for lock in locks:
                lock.release()
