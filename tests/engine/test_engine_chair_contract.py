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
from chairctl.vocabulary import AirbagZone, ChairStatus, Region, Setpoint, Technique, WorkState
from chairctl.vocabulary.limits import START_MAX_AIRBAG
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


async def test_a_restart_for_the_airbags_alone_starts_them_gently_again() -> None:
    # A chair that must restart to change its airbags (some cycle their air modes only that
    # way) ends their contact: the airbags after it are held to the gentle first minute again.
    soft = Setpoint(airbags={AirbagZone.SHOULDERS: 3})
    firm = Setpoint(airbags={AirbagZone.SHOULDERS: 4})
    plan = Plan(
        "test",
        "Test",
        (PlanEntry(0.0, 180.0, soft, 1, "soft"), PlanEntry(180.0, 120.0, firm, 2, "firm")),
    )
    clock = VirtualClock()
    # It restarts once, to leave the soft setting for the firm step; then it steps as asked.
    restarted: list[Setpoint] = []

    def restarts_for(setpoint: Setpoint) -> bool:
        if restarted or len(chair.applied) < 4 or chair.applied[-1] != soft:
            return False
        restarted.append(setpoint)
        return True

    chair = ScriptedChair(restarts_for=restarts_for)
    result = await clock.run(Engine(plan, chair, clock).run())
    assert result.outcome is Outcome.COMPLETED
    levels = [setpoint.airbag(AirbagZone.SHOULDERS) for setpoint in chair.applied]
    # Soft rose from the gentle start to 3; the firm setpoints after the restart start gently
    # again and rise to 4.
    assert levels[0] == START_MAX_AIRBAG
    assert restarted
    drop = next(i for i in range(1, len(levels)) if levels[i] < levels[i - 1])
    assert levels[drop - 1] == 3
    assert levels[drop] == START_MAX_AIRBAG
    assert levels[-1] == 4
