"""The app's chair control on a VirtualClock, with the real session, codec and simulated chair:
a session runs and is logged, a stop is a safe release from any state, and a lost link is
shown stage by stage and never resumes."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from chairctl.clock import VirtualClock
from chairctl.engine import Event, Outcome, StatusReceived
from chairctl.plan import AS_WRITTEN, Plan, PlanEntry
from chairctl.program import load_program
from chairctl.program.library import find_program
from chairctl.services.chairs import parse_chair
from chairctl.services.session import ChairControl, StopState, chair_title
from chairctl.store import Store
from chairctl.vocabulary import ChairctlError, LinkError, Region, Setpoint, Technique
from chairctl.vocabulary.chair_events import ChairEvent, Connected, LinkLost, Reconnected
from drivers.models import get_model, get_model_as
from drivers.models.rongtai import RongtaiModel
from drivers.session import LinkState
from simulator.faults import LinkDrop

MODEL = get_model_as("rongtai-rt8600s", RongtaiModel)
KNEAD_MID = Setpoint(technique=Technique.KNEAD, regions=(Region.MID_BACK,), intensity=2)


def plan_of(seconds: float, setpoint: Setpoint = KNEAD_MID) -> Plan:
    return Plan("test", "Test", (PlanEntry(0.0, seconds, setpoint, 7, "knead"),))


class Recorder:
    def __init__(self) -> None:
        self.stops: list[StopState] = []
        self.links: list[ChairEvent] = []
        self.events: list[Event] = []

    def event(self, event: Event) -> None:
        if not isinstance(event, StatusReceived):
            self.events.append(event)


@pytest.fixture
async def rig() -> AsyncIterator[tuple[ChairControl, VirtualClock, Recorder]]:
    clock = VirtualClock()
    seen = Recorder()
    control = ChairControl(
        parse_chair("sim"), MODEL, clock, on_link=seen.links.append, on_stop=seen.stops.append
    )
    await clock.run(control.connect())
    yield control, clock, seen
    await clock.run(control.close())


def chair_is_safe(control: ChairControl) -> bool:
    assert control.simulated is not None
    state = control.simulated.state()
    return state.roller_technique is None and not state.heat_on


def test_the_title_names_the_link_and_the_model() -> None:
    assert chair_title(parse_chair("sim"), MODEL) == "Simulated chair · Rongtai RT8600S"
    assert chair_title(parse_chair("/dev/ttyUSB0"), MODEL) == (
        "Serial /dev/ttyUSB0 · Rongtai RT8600S"
    )
    assert chair_title(parse_chair("ble:EVOLUTION-*"), MODEL).startswith("Bluetooth EVOLUTION-*")


async def test_a_library_program_runs_to_its_end_and_is_logged(
    rig: tuple[ChairControl, VirtualClock, Recorder], tmp_path: Path
) -> None:
    control, clock, seen = rig
    program = load_program(find_program("five-minute-reset"))
    plan = control.compile(program, AS_WRITTEN)
    with Store.open(tmp_path / "chairctl.db") as store:
        result = await clock.run(
            control.run(program, plan, store=store, profile=None, listener=seen.event)
        )
        assert result.outcome is Outcome.COMPLETED
        assert result.chair_safe
        assert not control.running
        record = store.history()[0]
        assert record.program_id == program.id
        assert record.outcome is Outcome.COMPLETED
        assert sum(record.minutes_per_region.values()) == pytest.approx(plan.total_s / 60, 0.05)
    assert seen.stops[-1] is StopState.STOPPED
    assert chair_is_safe(control)


@pytest.mark.parametrize("model_id", ["tuya-amy-example", "ncni-chair", "korean-ascii-remote"])
async def test_a_program_runs_on_a_chair_of_each_other_family(
    model_id: str, tmp_path: Path
) -> None:
    clock = VirtualClock()
    model = get_model(model_id)
    seen = Recorder()
    control = ChairControl(parse_chair(f"sim:{model_id}"), model, clock)
    await clock.run(control.connect())
    program = load_program(find_program("five-minute-reset"))
    plan = control.compile(program, AS_WRITTEN)
    try:
        with Store.open(tmp_path / "chairctl.db") as store:
            result = await clock.run(
                control.run(program, plan, store=store, profile=None, listener=seen.event)
            )
            assert result.outcome is Outcome.COMPLETED, result.reason
            assert result.chair_safe
            assert store.history()[0].outcome is Outcome.COMPLETED
        assert control.simulated is not None
        # The chair was given time to come home by the release itself.
        assert control.simulated.state().roller_technique is None
        assert not control.simulated.state().heat_on
    finally:
        await clock.run(control.close())


async def test_a_stop_during_a_session_says_stopping_then_stopped_and_releases(
    rig: tuple[ChairControl, VirtualClock, Recorder],
) -> None:
    control, clock, seen = rig
    program = load_program(find_program("five-minute-reset"))

    async def scenario() -> None:
        run = asyncio.ensure_future(
            control.run(program, plan_of(600), store=None, profile=None, listener=seen.event)
        )
        await clock.sleep(120)
        assert control.needs_stop()
        assert control.simulated is not None
        assert control.simulated.state().roller_technique is Technique.KNEAD
        outcome = await control.stop()
        assert outcome.safe
        assert outcome.message == "Stopped · the chair is safe"
        result = await run
        assert result.outcome is Outcome.STOPPED

    await clock.run(scenario())
    assert seen.stops[-2:] == [StopState.STOPPING, StopState.STOPPED]
    assert chair_is_safe(control)
    assert not control.needs_stop()


async def test_two_stops_at_once_share_one_release(
    rig: tuple[ChairControl, VirtualClock, Recorder],
) -> None:
    control, clock, seen = rig
    program = load_program(find_program("five-minute-reset"))

    async def scenario() -> None:
        run = asyncio.ensure_future(
            control.run(program, plan_of(600), store=None, profile=None, listener=seen.event)
        )
        await clock.sleep(90)
        first, second = await asyncio.gather(control.stop(), control.stop())
        assert first == second
        await run

    await clock.run(scenario())
    assert seen.stops.count(StopState.STOPPING) == 1


async def test_a_stop_with_no_session_releases_the_chair_itself(
    rig: tuple[ChairControl, VirtualClock, Recorder],
) -> None:
    control, clock, seen = rig
    # Someone started the chair from its remote: the app's stop still releases it.
    assert control.simulated is not None
    assert not control.needs_stop()
    await clock.run(control.session.apply(KNEAD_MID))
    assert control.needs_stop()
    outcome = await clock.run(control.stop())
    assert outcome.safe
    assert chair_is_safe(control)
    assert seen.stops == [StopState.STOPPING, StopState.STOPPED]


async def test_a_lost_link_is_shown_stage_by_stage_and_nothing_resumes(
    rig: tuple[ChairControl, VirtualClock, Recorder],
) -> None:
    control, clock, seen = rig
    program = load_program(find_program("five-minute-reset"))
    chair = control.simulated
    assert chair is not None

    async def scenario() -> None:
        run = asyncio.ensure_future(
            control.run(program, plan_of(600), store=None, profile=None, listener=seen.event)
        )
        await clock.sleep(90)
        chair.inject(LinkDrop())
        result = await run
        assert result.outcome is Outcome.FAULT
        assert "link" in result.reason

    await clock.run(scenario())
    kinds = [type(event) for event in seen.links if not isinstance(event, Connected)]
    assert kinds[:2] == [LinkLost, Reconnected]
    assert seen.stops[-2:] == [StopState.STOPPING, StopState.STOPPED]
    assert chair_is_safe(control)
    # Nothing starts again until the person says so.
    with pytest.raises(LinkError, match="reconnect first"):
        await clock.run(
            control.run(program, plan_of(60), store=None, profile=None, listener=seen.event)
        )
    await clock.run(control.reconnect())
    assert control.link_state is LinkState.CONNECTED
    result = await clock.run(
        control.run(program, plan_of(60), store=None, profile=None, listener=seen.event)
    )
    assert result.outcome is Outcome.COMPLETED


async def test_one_session_at_a_time(rig: tuple[ChairControl, VirtualClock, Recorder]) -> None:
    control, clock, seen = rig
    program = load_program(find_program("five-minute-reset"))

    async def scenario() -> None:
        run = asyncio.ensure_future(
            control.run(program, plan_of(300), store=None, profile=None, listener=seen.event)
        )
        await clock.sleep(30)
        with pytest.raises(ChairctlError, match="already running"):
            await control.run(program, plan_of(60), store=None, profile=None, listener=seen.event)
        await control.stop()
        await run

    await clock.run(scenario())


async def test_the_roller_region_is_read_from_the_status(
    rig: tuple[ChairControl, VirtualClock, Recorder],
) -> None:
    control, clock, _ = rig
    await clock.run(control.session.apply(KNEAD_MID))
    await clock.advance(5)
    status = control.status
    assert status is not None
    assert control.rollers_on(status) == {Region.MID_BACK}
    await clock.run(control.stop())
    assert control.status is not None
    assert control.rollers_on(control.status) == frozenset()


async def test_a_stop_in_the_middle_of_a_step_change_releases_and_nothing_restarts(
    rig: tuple[ChairControl, VirtualClock, Recorder],
) -> None:
    # The chair's release goes out ahead of the engine winding down; the step change under
    # way must be cut, not finished after the release.
    control, clock, seen = rig
    program = load_program(find_program("five-minute-reset"))
    low = Setpoint(technique=Technique.KNEAD, regions=(Region.LOWER_BACK,), intensity=2)
    plan = Plan(
        "test",
        "Test",
        (PlanEntry(0.0, 60.0, KNEAD_MID, 7, "mid"), PlanEntry(60.0, 600.0, low, 8, "low")),
    )
    assert control.simulated is not None

    async def scenario() -> None:
        run = asyncio.ensure_future(
            control.run(program, plan, store=None, profile=None, listener=seen.event)
        )
        while control.engine is None or control.engine.preparing:
            await clock.sleep(0.5)
        await clock.sleep(60.3)  # the walk to the lower back is under way
        outcome = await control.stop()
        assert outcome.safe
        result = await run
        assert result.outcome is Outcome.STOPPED
        await clock.sleep(120)

    await clock.run(scenario())
    assert chair_is_safe(control)
    end = clock.now()
    assert control.simulated.trace.work_state.at(end).value == "standby"
    assert all(
        control.simulated.trace.state_at(end - s).roller_technique is None for s in range(100)
    )
