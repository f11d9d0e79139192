"""The engine against the :class:`~chairctl.vocabulary.Chair` contract alone, on a stand-in
chair: whatever way the chair's statuses end, the session ends in a fault and the chair is
asked to stop; nothing in the engine times the chair's silence (the chair's one status
watchdog does)."""

from __future__ import annotations

import asyncio

import pytest

from chairctl.clock import VirtualClock
from chairctl.engine import Engine, Event, FaultRaised, Outcome, StatusReceived, Stopped
from chairctl.plan import Plan, PlanEntry
from chairctl.vocabulary import ChairStatus, Region, Setpoint, Technique, WorkState
from tests.engine.fakechair import ScriptedChair

KNEAD_MID = Setpoint(technique=Technique.KNEAD, regions=(Region.MID_BACK,), intensity=2)
PLAN = Plan("test", "Test", (PlanEntry(0.0, 600.0, KNEAD_MID, 1, "knead"),))


async def _run_until(
    clock: VirtualClock, chair: ScriptedChair, at: float, then: str
) -> tuple[Outcome, str, list[Event]]:
    engine = Engine(PLAN, chair, clock)
    events: list[Event] = []
    engine.listen(lambda e: None if isinstance(e, StatusReceived) else events.append(e))

    async def scenario() -> tuple[Outcome, str]:
        run = asyncio.ensure_future(engine.run())
        await clock.sleep(at)
        getattr(chair, then)(*(("the link dropped",) if then == "lose_link" else ()))
        result = await run
        return result.outcome, result.reason

    outcome, reason = await clock.run(scenario())
    return outcome, reason, events


@pytest.mark.parametrize(
    ("then", "reason"),
    [
        ("lose_link", "the link dropped"),
        ("close_statuses", "the chair stopped reporting its status"),
    ],
)
async def test_the_end_of_the_chair_s_statuses_ends_the_session_and_stops_the_chair(
    then: str, reason: str
) -> None:
    clock, chair = VirtualClock(), ScriptedChair()
    outcome, said, events = await _run_until(clock, chair, 120.0, then)
    assert (outcome, said) == (Outcome.FAULT, reason)
    assert chair.stops == 1
    assert [type(e) for e in events if isinstance(e, FaultRaised | Stopped)] == [
        FaultRaised,
        Stopped,
    ]
    # Ended when the statuses did, not at the plan's end.
    assert events[-1].at == pytest.approx(120.0)


async def test_a_quiet_chair_is_the_chair_s_to_judge_not_the_engine_s() -> None:
    # The stand-in reports once and never again, and never raises: the engine does not fault
    # on silence by itself. (Our session raises a lost link after 3 s of it: see
    # test_engine.py's silent-chair test, on the real session.)
    clock, chair = VirtualClock(), ScriptedChair()
    outcome, said, events = await _run_until(clock, chair, 599.0, "close_statuses")
    assert not [e for e in events if isinstance(e, FaultRaised) and e.at < 599.0]
    assert outcome is Outcome.FAULT
    assert said == "the chair stopped reporting its status"


async def test_a_fault_the_chair_reports_latches_and_the_chair_is_stopped() -> None:
    clock, chair = VirtualClock(), ScriptedChair()
    engine = Engine(PLAN, chair, clock)

    async def scenario() -> tuple[Outcome, int]:
        run = asyncio.ensure_future(engine.run())
        await clock.sleep(30.0)
        applied = len(chair.applied)
        chair.report(ChairStatus(running=True, work_state=WorkState.FAULT, error_code=7))
        return (await run).outcome, applied

    outcome, applied_before = await clock.run(scenario())
    assert outcome is Outcome.FAULT
    assert chair.stops == 1
    # Latched: nothing more was asked of the chair after the fault.
    assert len(chair.applied) == applied_before
