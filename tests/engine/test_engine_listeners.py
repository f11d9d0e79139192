"""A listener that raises never reaches the engine's own code: the session stops safely, the
chair is released first, the others hear it once, and the failing one is dropped."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from chairctl.engine import (
    Event,
    FaultRaised,
    Finished,
    Outcome,
    StatusReceived,
    StepStarted,
    Stopped,
    Warned,
)
from chairctl.plan import Plan, PlanEntry
from chairctl.vocabulary import Region, Setpoint, Technique

if TYPE_CHECKING:
    from tests.engine.conftest import Rig

KNEAD_MID = Setpoint(technique=Technique.KNEAD, regions=(Region.MID_BACK,), intensity=2)
PLAN = Plan(
    "test",
    "Test",
    (
        PlanEntry(0.0, 120.0, KNEAD_MID, 10, "mid"),
        PlanEntry(120.0, 240.0, KNEAD_MID, 11, "mid again"),
    ),
)


class Failing:
    """A listener that raises on the first event ``when`` accepts, and counts its calls."""

    def __init__(self, when: type[Event], after_s: float = -1.0) -> None:
        self.when, self.after_s = when, after_s
        self.calls = 0
        self.failed = False

    def __call__(self, event: Event) -> None:
        self.calls += 1
        if isinstance(event, self.when) and event.at > self.after_s and not self.failed:
            self.failed = True
            raise BrokenPipeError(32, "Broken pipe")


def at_rest(rig: Rig) -> bool:
    state = rig.chair.state()
    return state.roller_technique is None and not state.heat_on


def told(rig: Rig) -> list[Event]:
    return [e for e in rig.events if not isinstance(e, StatusReceived)]


async def test_a_listener_failing_mid_session_stops_it_safely(rig: Rig) -> None:
    failing = Failing(StatusReceived, after_s=60)
    engine = rig.engine(PLAN)
    engine.listen(failing)
    result = await rig.clock.run(engine.run(), limit=PLAN.total_s)
    assert result.outcome is Outcome.FAULT
    assert result.chair_safe
    assert result.reason.startswith(
        "a listener failed on StatusReceived (BrokenPipeError: [Errno 32] Broken pipe); "
        "the session stops"
    )
    # Where it failed, not at the plan's end.
    assert 60 < result.session_s < 62
    events = told(rig)
    assert [type(e) for e in events].count(FaultRaised) == 1
    assert isinstance(events[-1], Stopped)
    assert events[-1].outcome is Outcome.FAULT
    # Dropped: not called again, though statuses went on during the release.
    calls = failing.calls
    await rig.clock.advance(30)
    assert failing.calls == calls
    assert at_rest(rig)


async def test_a_listener_failing_on_the_first_step_keeps_the_chair_still(rig: Rig) -> None:
    engine = rig.engine(PLAN)
    engine.listen(Failing(StepStarted))
    result = await rig.clock.run(engine.run(), limit=PLAN.total_s)
    assert result.outcome is Outcome.FAULT
    assert result.chair_safe
    assert "a listener failed on StepStarted" in result.reason
    # The step it failed on never reached the chair: ground truth shows no roller work at all.
    start, now = rig.chair.start, rig.clock.now()
    assert all(
        rig.chair.trace.state_at(start + (now - start) * i / 50).roller_technique is None
        for i in range(51)
    )


async def test_a_listener_failing_after_the_end_is_only_reported(rig: Rig) -> None:
    engine = rig.engine(PLAN)
    engine.listen(Failing(Finished))
    result = await rig.clock.run(engine.run(), limit=PLAN.total_s + 60)
    assert result.outcome is Outcome.COMPLETED
    assert result.chair_safe
    assert result.session_s == pytest.approx(PLAN.total_s)
    events = told(rig)
    assert isinstance(events[-2], Finished)
    warned = events[-1]
    assert isinstance(warned, Warned)
    assert warned.message == (
        "a listener failed on Finished (BrokenPipeError: [Errno 32] Broken pipe)"
    )
    assert at_rest(rig)
