"""A logged session on a simulated chair that faults: the plan, the chair the tests hold, running
it with a session log listening, and what a fault must leave behind. Shared by the store tests
and the child process of the full-disk test."""

from __future__ import annotations

from dataclasses import dataclass, field

from chairctl.clock import VirtualClock
from chairctl.engine import Engine, Event, FaultRaised, Outcome, StatusReceived, Stopped
from chairctl.plan import Plan, PlanEntry
from chairctl.store import SessionLog
from chairctl.vocabulary import Region, Setpoint, Technique
from drivers.chair import ChairSession
from simulator.chair import SimulatedChair
from simulator.faults import Overload, ScheduledFault

#: Two gentle steps, ten minutes; the chair faults (a motor overload) ninety seconds in.
PLAN = Plan(
    "test",
    "Test",
    (
        PlanEntry(
            0.0,
            300.0,
            Setpoint(technique=Technique.KNEAD, regions=(Region.MID_BACK,), intensity=2),
            10,
            "mid",
        ),
        PlanEntry(
            300.0,
            600.0,
            Setpoint(technique=Technique.KNEAD, regions=(Region.LOWER_BACK,), intensity=2),
            11,
            "low",
        ),
    ),
)
FAULT_AFTER_S = 90.0


@dataclass
class Chair:
    clock: VirtualClock
    simulated: SimulatedChair
    session: ChairSession
    events: list[Event] = field(default_factory=list)

    def at_rest(self) -> bool:
        """The simulator's ground truth: no rollers, no heat, airbags vented."""
        state = self.simulated.state()
        return (
            state.roller_technique is None
            and not state.heat_on
            and all(pressure < 0.05 for pressure in state.airbags.values())
        )


async def run_logged(chair: Chair, log: SessionLog) -> float:
    """Run :data:`PLAN` with ``log`` listening, the chair faulting :data:`FAULT_AFTER_S` in;
    the session must end (a virtual-time limit says by when) with the chair released. Returns
    the session time at which the fault struck."""
    engine = Engine(PLAN, chair.session, chair.clock)
    engine.listen(log.on_event)
    engine.listen(lambda e: None if isinstance(e, StatusReceived) else chair.events.append(e))
    strikes = chair.clock.now() + FAULT_AFTER_S
    chair.simulated.schedule(ScheduledFault(Overload(), strikes - chair.simulated.start))
    result = await chair.clock.run(engine.run(), limit=PLAN.total_s)
    assert result.outcome is Outcome.FAULT, result.reason
    assert result.chair_safe
    return strikes - engine.started_at


async def ended_on_time(chair: Chair, struck: float) -> None:
    """The fault ended the session where it struck, once, and from the release on the chair
    stayed at rest (the simulator's ground truth, a minute on)."""
    stopped = chair.events[-1]
    assert isinstance(stopped, Stopped)
    assert stopped.outcome is Outcome.FAULT
    assert [type(e) for e in chair.events].count(FaultRaised) == 1
    assert struck <= stopped.at <= struck + 5
    released = chair.clock.now()
    await chair.clock.advance(60)
    assert chair.at_rest()
    trace = chair.simulated.trace
    assert all(trace.state_at(released + s).roller_technique is None for s in range(0, 61, 5))
