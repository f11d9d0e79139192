"""The simulated NCNI chair under faults: overload and actuator watchdog (protective power-off),
damaged and lost frames, a dropped link, a second controller, and codes it does not know."""

from __future__ import annotations

import pytest

from chairctl.clock import VirtualClock
from chairctl.vocabulary import ActuatorMotion, LinkError, WorkState
from drivers.models.ncni import NcniModel
from simulator.faults import (
    CorruptFrames,
    DropFrames,
    LimitSwitchFailure,
    LinkDrop,
    Overload,
    ScheduledFault,
)
from simulator.ncni.chair import NcniChair
from tests.simulator.ncni_chair.ncnihelpers import TICK, Panel, power_on, read_frame


async def busy(panel: Panel, ncni: NcniModel) -> None:
    """Power on and get everything working: rollers at 3, airbags, heat, foot, zero gravity."""
    keys = ncni.keys
    await power_on(panel, ncni)
    for key in (keys.back_waist, keys.pressure_up, keys.pressure_up, keys.legs, keys.heat):
        await panel.press(key)
    await panel.press(keys.foot_massage)
    await panel.press(keys.zero_gravity)


async def test_an_overload_powers_the_chair_off_where_it_stands(
    panel: Panel, ncni_chair: NcniChair, ncni: NcniModel
) -> None:
    await busy(panel, ncni)
    await panel.wait(4.0)  # the actuators are on their way into zero gravity
    body = ncni_chair.body
    now = panel.clock.now()
    assert body.backrest.motion(now) is not ActuatorMotion.STOPPED
    ncni_chair.inject(Overload("knead"))
    hit = panel.clock.now()
    where = ncni_chair.state()
    await panel.wait(TICK)
    assert not panel.seen.powered
    assert ncni_chair.work_state is WorkState.FAULT
    assert ncni_chair.board.fault is not None
    assert "knead" in ncni_chair.board.fault
    await panel.wait(ncni.timing.settle_cap_s)
    state = ncni_chair.state()
    # Stopped where it was: no actuator driven, not even home; the carriage did not park.
    assert (state.backrest, state.leg_rest) == (where.backrest, where.leg_rest)
    assert 0 < state.backrest < 0.5
    assert state.roller_position == pytest.approx(where.roller_position)
    assert state.roller_technique is None
    assert state.depth == 0.0
    assert all(p == 0.0 for p in state.airbags.values())
    assert (state.heat_on, state.foot_roller) == (False, 0)
    assert state.work_state is WorkState.FAULT
    assert ncni_chair.trace.work_state.since == hit
    # It stays off: keys do nothing ...
    await panel.press(ncni.keys.back_waist)
    await panel.hold(ncni.keys.backrest_up, 10)
    assert not panel.seen.powered
    assert ncni_chair.state().backrest == where.backrest
    # ... until power, which starts it afresh.
    await panel.press(ncni.keys.power)
    assert panel.seen.powered
    assert (panel.seen.mode, panel.seen.profile) == ("auto", "A")
    assert ncni_chair.state().work_state is WorkState.RESETTING


async def test_an_actuator_running_into_its_watchdog_powers_the_chair_off(
    panel: Panel, ncni_chair: NcniChair, ncni: NcniModel
) -> None:
    await power_on(panel, ncni)
    await panel.press(ncni.keys.zero_gravity)
    await panel.wait(ncni.mechanics.backrest_travel_s)
    await panel.press(ncni.keys.neck)
    ncni_chair.inject(LimitSwitchFailure())
    # Back upright: the home stop never reports, so the drive runs into the watchdog.
    await panel.press(ncni.keys.zero_gravity)
    upright_from = panel.clock.now() - 3 * TICK
    await panel.wait(ncni.mechanics.actuator_timeout_s - 1.0)
    assert panel.seen.powered
    await panel.wait(2.0)
    assert not panel.seen.powered
    faulted = ncni_chair.trace.work_state.since
    assert faulted == pytest.approx(upright_from + ncni.mechanics.actuator_timeout_s)
    assert ncni_chair.state().work_state is WorkState.FAULT
    assert "watchdog" in (ncni_chair.board.fault or "")
    now = panel.clock.now()
    assert ncni_chair.body.backrest.motion(now) is ActuatorMotion.STOPPED
    assert ncni_chair.body.leg_rest.motion(now) is ActuatorMotion.STOPPED
    assert ncni_chair.state().roller_technique is None


async def test_a_scheduled_overload_strikes_at_its_time(
    panel: Panel, ncni_chair: NcniChair, ncni: NcniModel
) -> None:
    ncni_chair.schedule(ScheduledFault(Overload("walk"), after=30.0))
    await power_on(panel, ncni)
    await panel.press(ncni.keys.auto)
    await panel.wait(30.0 - panel.clock.now() - 0.01)
    assert panel.seen.running
    await panel.wait(0.2)
    assert not panel.seen.powered
    assert ncni_chair.trace.work_state.since == pytest.approx(30.0)


async def test_dropped_frames_leave_gaps_in_the_grid(
    panel: Panel, ncni_chair: NcniChair, ncni: NcniModel
) -> None:
    await panel.wait(1.0)
    ncni_chair.inject(DropFrames(5))
    await panel.wait(1.0)
    times = [round(t, 6) for t, _ in panel.frames]
    assert len(times) == 15
    assert ncni_chair.frames_dropped == 5
    assert round(1.1, 6) not in times
    assert round(1.5, 6) not in times
    assert round(1.6, 6) in times


async def test_corrupt_frames_are_damaged_then_clean_again(
    panel: Panel, ncni_chair: NcniChair, ncni: NcniModel
) -> None:
    await power_on(panel, ncni)
    await panel.press(ncni.keys.back_waist)
    clean = ncni_chair.status_frame()
    since = panel.clock.now()
    ncni_chair.inject(CorruptFrames(3))
    await panel.wait(1.0)
    sent = [f for t, f in panel.frames if t > since]
    assert len(sent) == 10
    assert all(f != clean for f in sent[:3])
    assert sent[3:] == [clean] * 7
    assert ncni_chair.frames_corrupted == 3


async def test_a_dropped_link_leaves_the_chair_running_and_free_for_the_next_controller(
    panel: Panel, ncni_chair: NcniChair, ncni: NcniModel, clock: VirtualClock
) -> None:
    await power_on(panel, ncni)
    await panel.press(ncni.keys.neck)
    await panel.ticks(ncni.keys.backrest_down, 10)
    ncni_chair.inject(LinkDrop())
    dropped = panel.clock.now()
    assert panel.closed_because is not None
    assert "dropped" in panel.closed_because
    assert not ncni_chair.connected
    with pytest.raises(LinkError):
        panel.link.write(b"\x00")
    await panel.wait(5.0)
    # No keep-alive: the massage goes on; the hold stopped when the ticks did.
    assert ncni_chair.state().work_state is WorkState.RUNNING
    assert ncni_chair.trace.backrest.since == pytest.approx(dropped - TICK + 3 * TICK)
    frames = len(panel.frames)
    await panel.wait(1.0)
    assert len(panel.frames) == frames

    again = Panel(ncni_chair, clock)
    await again.wait(0.5)
    assert again.seen.running
    assert again.seen.mode == "neck"
    await again.press(ncni.keys.neck)
    assert not again.seen.running


async def test_one_controller_at_a_time(
    panel: Panel, ncni_chair: NcniChair, clock: VirtualClock
) -> None:
    with pytest.raises(LinkError):
        ncni_chair.connect()
    panel.link.close()
    second = Panel(ncni_chair, clock)
    await second.wait(0.3)
    assert len(second.frames) == 3


async def test_a_run_of_an_unknown_code_changes_nothing(
    panel: Panel, ncni_chair: NcniChair, ncni: NcniModel
) -> None:
    heard: list[int] = []
    ncni_chair.listen_keys(heard.append)
    await power_on(panel, ncni)
    await panel.press(ncni.keys.back_waist)
    await panel.wait(5.0)
    unknown = next(c for c in range(1, 256) if c not in ncni.keys.names())
    before = panel.seen
    lengths = [len(ncni_chair.trace.activity), len(ncni_chair.trace.depth)]
    since = panel.clock.now()
    await panel.press(unknown)
    await panel.hold(unknown, 30)
    after = [read_frame(f) for t, f in panel.frames if t > since]
    assert len(after) >= 39
    assert all(seen == before for seen in after)
    assert [len(ncni_chair.trace.activity), len(ncni_chair.trace.depth)] == lengths
    assert ncni_chair.line.stats.unknown == 2
    assert heard == [ncni.keys.power, ncni.keys.back_waist]
