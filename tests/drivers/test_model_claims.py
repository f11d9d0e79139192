"""A model file is not trusted blindly: what the chair's status can check is checked.

A user's model file drives a real chair. These tests put a wrong file in front of the
simulated RT8600S (built from the shipped, right, model): one that says the chair has no 3D
mechanism, one whose knead and knock keys are swapped, one whose technique numbers disagree
with the protocol's. Each is caught before anything moves, or as soon as the chair shows it,
and never by working the neck.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from chairctl.clock import VirtualClock
from chairctl.engine import Engine, Outcome
from chairctl.plan import Plan, PlanEntry
from chairctl.vocabulary import (
    PERCUSSION,
    ModelError,
    ModelMismatch,
    Region,
    Setpoint,
    Technique,
)
from drivers.chair import ChairSession
from drivers.links import MemoryLink
from drivers.models import BUILTIN_MODELS, ChairModel, get_model_as
from drivers.models.registry import load_model_file
from drivers.models.rongtai import RongtaiModel
from simulator.chair import SimulatedChair
from simulator.families import simulated_chair
from simulator.judge import safety_violations

REAL = get_model_as("rongtai-rt8600s", RongtaiModel)
TEXT = (BUILTIN_MODELS / "rongtai-rt8600s.yaml").read_text(encoding="utf-8")


def user_model(tmp_path: Path, *edits: tuple[str, str]) -> ChairModel:
    text = TEXT.replace("id: rongtai-rt8600s", "id: my-chair", 1)
    for old, new in edits:
        assert old in text
        text = text.replace(old, new, 1)
    path = tmp_path / "my-chair.yaml"
    path.write_text(text, encoding="utf-8")
    return load_model_file(path)


def session_on_the_real_chair(
    model: ChairModel, clock: VirtualClock
) -> tuple[ChairSession, SimulatedChair]:
    chair = simulated_chair(REAL, clock, transport="ble")
    session = ChairSession(
        model,
        lambda: MemoryLink(lambda data, lost: chair.connect(on_data=data, on_close=lost)),
        clock,
    )
    return session, chair


def test_technique_numbers_must_be_the_protocol_s(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match=r"status code 2 is knock in the H10 status"):
        user_model(
            tmp_path,
            ("knead: {key: 0x20, status_code: 1}", "knead: {key: 0x21, status_code: 2}"),
            ("knock: {key: 0x21, status_code: 2}", "knock: {key: 0x20, status_code: 1}"),
        )


async def test_a_file_denying_the_3d_mechanism_is_refused_at_connect(tmp_path: Path) -> None:
    flat = user_model(tmp_path, ("intensity_levels: 5", "intensity_levels: 1"))
    clock = VirtualClock()
    session, chair = session_on_the_real_chair(flat, clock)
    heard: list[int] = []
    chair.listen_keys(heard.append)

    with pytest.raises(ModelMismatch, match="reports a 3D mechanism, but its model file"):
        await clock.run(session.connect())

    assert heard == []  # nothing was sent


async def test_swapped_technique_keys_stop_the_session_before_the_neck(tmp_path: Path) -> None:
    swapped = user_model(
        tmp_path,
        ("knead: {key: 0x20, status_code: 1}", "knead: {key: 0x21, status_code: 1}"),
        ("knock: {key: 0x21, status_code: 2}", "knock: {key: 0x20, status_code: 2}"),
    )
    clock = VirtualClock()
    session, chair = session_on_the_real_chair(swapped, clock)
    neck = Setpoint(technique=Technique.KNEAD, regions=(Region.NECK,), intensity=2)
    plan = Plan("neck", "Neck", (PlanEntry(0, 120, neck, 9, "neck"),))
    engine = Engine(plan, session, clock)

    async def run() -> Outcome:
        await session.connect()
        result = await engine.run()
        await clock.sleep(REAL.timing.settle_cap_s + 1)
        await session.close()
        assert "keys do not match this chair" in result.reason
        return result.outcome

    assert await clock.run(run()) is Outcome.FAULT
    trace = chair.trace
    worked = trace.roller_occupancy()
    # The knock key it pressed for knead was tried clear of the neck, and the session stopped.
    assert (Technique.KNOCK, Region.NECK) not in worked
    assert not any(t in PERCUSSION and r is Region.NECK for t, r in worked)
    knocked = sum(seconds for (t, _r), seconds in worked.items() if t is Technique.KNOCK)
    assert 0 < knocked < 2.0
    problems = safety_violations(
        trace, REAL, session_start=trace.start, session_end=clock.now() - 121
    )
    assert [p for p in problems if "neck" in p] == []
