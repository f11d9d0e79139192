"""Injected faults: overload, actuator watchdog, damaged and missing frames, a dropped link."""

from __future__ import annotations

import pytest

from chairctl.clock import VirtualClock
from chairctl.vocabulary import LinkError, ProtocolError, Technique, WorkState
from drivers.models.rongtai import RongtaiModel
from simulator.errors import SimulatorError
from simulator.families import simulated_chair
from simulator.faults import (
    CorruptFrames,
    DropFrames,
    Fault,
    LimitSwitchFailure,
    LinkDrop,
    Overload,
    ScheduledFault,
    parse_fault,
)
from simulator.rongtai.chair import RongtaiChair
from simulator.rongtai.codes import ErrorCode
from simulator.rongtai.frames import StatusImage
from tests.simulator.simhelpers import Controller, start_knead


async def test_overload_faults_and_latches_until_power(
    chair: RongtaiChair, ctl: Controller, model: RongtaiModel
) -> None:
    await start_knead(ctl, model)
    await ctl.press(model.keys.session_presets[10])
    await ctl.press(model.keys.airbag_groups[0].key)
    await ctl.wait(2.0)
    chair.inject(Overload("knead"))
    await ctl.wait(0.25)
    assert ctl.status.work_state == 5
    assert ctl.status.timer == ErrorCode.KNEAD_OVERLOAD
    # Safe release: the rollers stop working, depth retracts, airbags vent, heat is off.
    await ctl.wait(model.mechanics.depth_travel_s + model.mechanics.airbag_vent_s)
    state = chair.state()
    assert state.work_state is WorkState.FAULT
    assert state.roller_technique is None
    assert state.depth == 0.0
    assert all(p == 0.0 for p in state.airbags.values())
    # Latched: time passes, keys other than POWER change nothing.
    await ctl.press(model.keys.techniques[Technique.KNEAD].key)
    await ctl.wait(600.0)
    assert (ctl.status.work_state, ctl.status.timer) == (5, ErrorCode.KNEAD_OVERLOAD)
    await ctl.press(model.keys.power)
    assert (ctl.status.work_state, ctl.status.timer) == (0, 60 * model.timing.default_session_min)
    assert ctl.status.scan_succeeded is False  # the next session scans again
    # Acknowledged, the chair starts over normally.
    await start_knead(ctl, model)
    assert ctl.status.work_state == 3


async def test_a_fault_stops_actuators_where_they_are(
    chair: RongtaiChair, ctl: Controller, model: RongtaiModel
) -> None:
    backrest = model.keys.backrest
    assert backrest is not None
    await ctl.press(backrest.down_start)
    await ctl.wait(4.0)
    chair.inject(Overload("walk"))
    stopped = chair.state().backrest
    await ctl.wait(30.0)
    assert ctl.status.timer == ErrorCode.WALK_OVERLOAD
    assert chair.state().backrest == stopped
    assert ctl.status.backrest_motion == 0


async def test_a_failed_limit_switch_trips_the_thirty_second_watchdog(
    chair: RongtaiChair, ctl: Controller, model: RongtaiModel
) -> None:
    chair.inject(LimitSwitchFailure())
    backrest = model.keys.backrest
    assert backrest is not None
    await ctl.press(backrest.down_start, pace=0.0)
    started = ctl.clock.now()
    limit = model.mechanics.actuator_timeout_s
    await ctl.clock.advance_to(started + limit - 0.3)
    # At the end stop long ago, but with no switch to say so the motor keeps pushing.
    assert chair.state().backrest == 1.0
    assert ctl.status.backrest_motion == 2
    assert ctl.status.work_state == 0
    await ctl.clock.advance_to(started + limit + 0.3)
    assert (ctl.status.work_state, ctl.status.timer) == (5, ErrorCode.BACKREST_TIMEOUT)
    assert ctl.status.backrest_motion == 0


async def test_a_switch_failing_mid_travel_times_out_from_the_drive_start(
    chair: RongtaiChair, ctl: Controller, model: RongtaiModel
) -> None:
    leg = model.keys.leg_rest
    assert leg is not None
    await ctl.press(leg.up_start, pace=0.0)
    started = ctl.clock.now()
    await ctl.wait(5.0)
    chair.inject(LimitSwitchFailure())
    await ctl.clock.advance_to(started + model.mechanics.actuator_timeout_s + 0.3)
    assert (ctl.status.work_state, ctl.status.timer) == (5, ErrorCode.LEG_REST_TIMEOUT)


async def test_a_stop_in_time_beats_the_watchdog(
    chair: RongtaiChair, ctl: Controller, model: RongtaiModel
) -> None:
    chair.inject(LimitSwitchFailure())
    backrest = model.keys.backrest
    assert backrest is not None
    await ctl.press(backrest.down_start)
    await ctl.wait(10.0)
    await ctl.press(backrest.down_stop)
    await ctl.wait(60.0)
    assert ctl.status.work_state == 0


async def test_an_actuator_slower_than_the_watchdog_faults_by_itself(
    clock: VirtualClock, model: RongtaiModel
) -> None:
    slow = model.model_copy(
        update={"mechanics": model.mechanics.model_copy(update={"backrest_travel_s": 35.0})}
    )
    chair = simulated_chair(slow, clock)
    ctl = Controller(chair, clock)
    backrest = slow.keys.backrest
    assert backrest is not None
    await ctl.press(backrest.down_start)
    await ctl.wait(31.0)
    assert (ctl.status.work_state, ctl.status.timer) == (5, ErrorCode.BACKREST_TIMEOUT)
    assert 0.8 < chair.state().backrest < 1.0


async def test_corrupted_frames_are_damaged_and_then_clean_again(
    chair: RongtaiChair, ctl: Controller
) -> None:
    await ctl.wait(1.0)
    chair.inject(CorruptFrames(3))
    await ctl.wait(2.0)
    frames = [f for t, f in ctl.frames if t > 1.0]
    bad = 0
    for frame in frames[:3]:
        with pytest.raises(ProtocolError):
            StatusImage.parse(frame)
        bad += 1
    for frame in frames[3:]:
        StatusImage.parse(frame)
    assert (bad, chair.frames_corrupted, len(frames)) == (3, 3, 10)


async def test_corruption_is_repeatable(model: RongtaiModel) -> None:
    runs = []
    for _ in range(2):
        clock = VirtualClock()
        chair = simulated_chair(model, clock)
        ctl = Controller(chair, clock)
        chair.inject(CorruptFrames(5))
        await clock.advance(1.0)
        runs.append([f for _, f in ctl.frames])
    assert runs[0] == runs[1]


async def test_dropped_frames_leave_a_gap(chair: RongtaiChair, ctl: Controller) -> None:
    await ctl.wait(1.0)
    chair.inject(DropFrames(5))
    await ctl.wait(2.0)
    times = [t for t, _ in ctl.frames if t > 1.0]
    assert len(times) == 5
    assert times[0] == pytest.approx(1.0 + 6 * 0.2)
    assert chair.frames_dropped == 5


async def test_a_link_drop_closes_the_connection(
    chair: RongtaiChair, ctl: Controller, model: RongtaiModel
) -> None:
    await ctl.wait(1.0)
    chair.inject(LinkDrop())
    assert ctl.closed_because is not None
    assert "dropped" in ctl.closed_because
    assert ctl.link.closed
    assert not chair.connected
    count = len(ctl.frames)
    await ctl.wait(5.0)
    assert len(ctl.frames) == count
    with pytest.raises(LinkError, match="closed"):
        ctl.link.write(b"\xf0\x83\x01\x7b\xf1")
    # The chair carries on and takes the next controller.
    again = Controller(chair, ctl.clock)
    await again.press(model.keys.power)
    assert again.status.work_state == 1


async def test_faults_fire_at_their_scheduled_time(chair: RongtaiChair, ctl: Controller) -> None:
    chair.schedule(ScheduledFault(Overload("knock"), 12.5))
    await ctl.wait(12.4)
    assert ctl.status.work_state == 0
    await ctl.wait(0.3)
    assert (ctl.status.work_state, ctl.status.timer) == (5, ErrorCode.KNOCK_OVERLOAD)


@pytest.mark.parametrize(
    ("spec", "fault", "after"),
    [
        ("overload@3", Overload(), 3.0),
        ("overload:walk@3.5", Overload("walk"), 3.5),
        ("actuator-timeout@0", LimitSwitchFailure(), 0.0),
        ("corrupt@10", CorruptFrames(), 10.0),
        ("corrupt:2@10", CorruptFrames(2), 10.0),
        ("drop-frames:20@1.", DropFrames(20), 1.0),
        ("link-drop@30", LinkDrop(), 30.0),
    ],
)
def test_fault_specs_parse(spec: str, fault: Fault, after: float) -> None:
    assert parse_fault(spec) == ScheduledFault(fault, after)


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("overload", "NAME"),
        ("fire@3", "unknown fault 'fire'"),
        ("overload:arm@3", "motor"),
        ("corrupt:0@3", "positive"),
        ("link-drop:2@3", "takes no argument"),
        ("link-drop@-3", "NAME"),
    ],
)
def test_bad_fault_specs_say_what_is_wrong(spec: str, message: str) -> None:
    with pytest.raises(SimulatorError, match=message):
        parse_fault(spec)
