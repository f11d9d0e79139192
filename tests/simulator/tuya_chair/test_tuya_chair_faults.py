"""A simulated Tuya chair's posture DPs and its faults: gravity postures, hold-to-move with the
actuator watchdog, a latched overload, damaged and missing frames, a dropped link."""

from __future__ import annotations

import pytest

from chairctl.clock import VirtualClock
from chairctl.vocabulary import LinkError, Technique, WorkState
from drivers.models.tuya import TuyaModel
from simulator.config import ChairOptions
from simulator.faults import (
    CorruptFrames,
    DropFrames,
    LimitSwitchFailure,
    LinkDrop,
    Overload,
    parse_fault,
)
from simulator.tuya.chair import TuyaChair
from simulator.tuya.frames import frame_sum
from tests.conftest import golden_frames
from tests.simulator.tuya_chair.tuyahelpers import Module, mcu_parts

G = golden_frames("tuya-frames.txt")


async def test_gravity_postures_work_while_off(
    module: Module, chair: TuyaChair, model: TuyaModel
) -> None:
    options = ChairOptions()
    assert await module.set(gravity_control="gravity_adjust1") == {
        "gravity_control": "gravity_adjust1"
    }
    await module.wait(model.mechanics.backrest_travel_s)
    state = chair.state()
    assert (state.backrest, state.leg_rest) == pytest.approx(
        (options.zero_g_backrest, options.zero_g_leg_rest)
    )
    assert state.work_state is WorkState.STANDBY
    # zero_g_2 reclines a little further (0.15 of each travel).
    await module.set(gravity_control="gravity_adjust2")
    await module.wait(model.mechanics.backrest_travel_s)
    state = chair.state()
    assert (state.backrest, state.leg_rest) == pytest.approx(
        (options.zero_g_backrest + 0.15, options.zero_g_leg_rest + 0.15)
    )
    await module.set(gravity_control="reset")
    answered = module.clock.now()
    await module.wait(model.mechanics.backrest_travel_s)
    assert (chair.state().backrest, chair.state().leg_rest) == (0.0, 0.0)
    # Nothing was reported on its own: a posture's DP does not change when it arrives.
    assert module.reports(since=answered) == []


async def test_hold_to_move_runs_until_stop_or_the_end_stop(
    module: Module, chair: TuyaChair, model: TuyaModel
) -> None:
    travel = model.mechanics.leg_rest_travel_s
    await module.set(bottom_control="up")
    await module.wait(travel / 3)
    assert await module.set(bottom_control="stop") == {"bottom_control": "stop"}
    raised = chair.state().leg_rest
    assert raised == pytest.approx(1 / 3)
    await module.wait(5.0)
    assert chair.state().leg_rest == raised
    # Up again runs to the end stop; the DP goes back to stop by itself, and says so.
    await module.set(bottom_control="up")
    started = module.clock.now()
    await module.wait(travel)
    assert chair.state().leg_rest == 1.0
    assert module.reports(since=started) == [{"bottom_control": "stop"}]
    # The backrest: "down" reclines it, "up" raises it back upright.
    await module.set(back_control="down")
    await module.wait(5.0)
    assert chair.state().backrest == pytest.approx(5.0 / model.mechanics.backrest_travel_s)
    await module.set(back_control="up")
    await module.wait(5.0)
    assert chair.state().backrest == 0.0


async def test_a_posture_replaces_a_hold(module: Module, chair: TuyaChair) -> None:
    await module.set(back_control="down")
    await module.wait(2.0)
    assert await module.set(gravity_control="gravity_adjust1") == {
        "gravity_control": "gravity_adjust1",
        "back_control": "stop",
    }


async def test_a_drive_that_reaches_no_end_stop_faults(
    module: Module, chair: TuyaChair, model: TuyaModel
) -> None:
    await module.power_up()
    await module.set(manual_mode="pinch")
    chair.inject(LimitSwitchFailure())
    await module.set(back_control="down")
    started = module.clock.now()
    await module.wait(model.mechanics.actuator_timeout_s - 0.5)
    assert chair.state().work_state is WorkState.RUNNING
    await module.wait(0.5)
    assert module.reports(since=started) == [
        {"back_control": "stop", "manual_mode": "close", "fault": 2}
    ]
    assert chair.state().work_state is WorkState.FAULT
    assert chair.state().roller_technique is None
    # The watchdog also covers a posture drive toward an end stop.
    assert await module.set(switch=False) == {"switch": False, "fault": 0}
    await module.set(gravity_control="reset")
    await module.wait(model.mechanics.actuator_timeout_s)
    assert chair.values["fault"] == 2


async def test_an_overload_latches_refuses_sets_and_is_acknowledged_in_place(
    module: Module, chair: TuyaChair, model: TuyaModel
) -> None:
    await module.power_up()
    await module.set(manual_mode="pinch", aircell_location="leg", heat=True, foot_control=True)
    await module.set(gravity_control="gravity_adjust1")
    await module.wait(5.0)
    faulted = module.clock.now()
    chair.inject(Overload("knead"))
    assert chair.state().work_state is WorkState.FAULT
    await module.wait(0)
    assert module.reports(since=faulted - 0.01) == [
        {
            "heat": False,
            "aircell_location": "close",
            "foot_control": False,
            "manual_mode": "close",
            "fault": 1,
        }
    ]
    stopped = chair.state()
    assert stopped.roller_technique is None
    assert (stopped.heat_on, stopped.foot_roller) == (False, 0)
    # Stopped where it was: no actuator is driven, not even home.
    assert 0 < stopped.backrest < ChairOptions().zero_g_backrest
    await module.wait(model.mechanics.depth_travel_s + model.mechanics.airbag_vent_s)
    state = chair.state()
    assert state.depth == 0.0
    assert all(p == 0.0 for p in state.airbags.values())
    assert (state.roller_position, state.backrest, state.leg_rest) == (
        stopped.roller_position,
        stopped.backrest,
        stopped.leg_rest,
    )
    # Latched: every set but switch false is refused, however long it waits.
    answer = await module.set(manual_mode="beat", switch=True, gravity_control="reset", heat=True)
    assert answer == {
        "manual_mode": "close",
        "auto_mode": "close",
        "switch": True,
        "gravity_control": "gravity_adjust1",
        "heat": False,
    }
    await module.wait(3600.0)
    assert chair.state().work_state is WorkState.FAULT
    assert (await module.query())["fault"] == 1
    # switch false acknowledges: fault 0, switch false, standby where it stopped.
    assert await module.set(switch=False) == {"switch": False, "fault": 0}
    state = chair.state()
    assert state.work_state is WorkState.STANDBY
    assert (state.roller_position, state.backrest) == (stopped.roller_position, stopped.backrest)
    await module.wait(60.0)
    assert chair.state().roller_position == stopped.roller_position
    # And the chair starts over normally.
    await module.power_up()
    await module.set(manual_mode="pinch")
    await module.wait(5.0)
    assert chair.state().roller_technique is Technique.KNEAD


async def test_a_scheduled_fault_strikes_on_time(module: Module, chair: TuyaChair) -> None:
    chair.schedule(parse_fault("overload:foot-roller@30"))
    await module.set(switch=True, foot_control=True)
    await module.wait(29.0)
    assert chair.values["fault"] == 0
    await module.wait(1.0)
    assert chair.values["fault"] == 1
    assert chair.state().foot_roller == 0


async def test_dropped_frames_are_never_sent(module: Module, chair: TuyaChair) -> None:
    chair.inject(DropFrames(2))
    assert await module.send(G["module-heartbeat"]) == []
    assert await module.send(G["module-heartbeat"]) == []
    # The MCU did answer (and the next says 01): the answers were lost on the way.
    assert await module.send(G["module-heartbeat"]) == [G["mcu-heartbeat"]]
    assert chair.frames_dropped == 2


async def test_corrupted_frames_break_the_rules(module: Module, chair: TuyaChair) -> None:
    chair.inject(CorruptFrames(1))
    (damaged,) = await module.send(G["set-dp1-true"])
    assert damaged[:2] != b"\x55\xaa" or damaged[-1] != frame_sum(damaged[:-1])
    (answer,) = await module.send(G["set-dp1-true"])
    assert module.decode(answer) == {"switch": True}
    assert chair.frames_corrupted == 1


async def test_the_chair_keeps_running_when_the_link_drops(
    module: Module, chair: TuyaChair, clock: VirtualClock, model: TuyaModel
) -> None:
    await module.power_up()
    await module.send(G["module-heartbeat"])
    await module.set(manual_mode="pinch")
    chair.inject(LinkDrop())
    assert module.closed_because is not None
    assert not chair.connected
    with pytest.raises(LinkError):
        module.link.write(G["module-heartbeat"])
    await module.wait(30.0)
    assert chair.state().roller_technique is Technique.KNEAD
    # A new module finds it as it is; the MCU was not powered down, so its heartbeat says 01.
    again = Module(chair, clock, model)
    assert await again.send(G["module-heartbeat"]) == [G["mcu-heartbeat"]]
    assert (await again.query())["manual_mode"] == "pinch"


async def test_one_controller_at_a_time(
    module: Module, chair: TuyaChair, clock: VirtualClock, model: TuyaModel
) -> None:
    with pytest.raises(LinkError):
        chair.connect()
    # Half a frame from the first module does not join the next one's bytes.
    module.link.write(G["module-heartbeat"][:4])
    module.link.close()
    second = Module(chair, clock, model)
    (answer,) = await second.send(G["module-heartbeat"])
    assert mcu_parts(answer) == (0x00, b"\x00")
    assert second.frames
    assert not [f for _, f in module.frames]


async def test_reports_made_with_nobody_listening_are_lost(
    module: Module, chair: TuyaChair, clock: VirtualClock, model: TuyaModel
) -> None:
    await module.set(switch=True, foot_control=True)
    module.link.close()
    chair.inject(Overload())
    await module.wait(1.0)
    again = Module(chair, clock, model)
    await again.wait(1.0)
    assert again.frames == []
    assert (await again.query())["fault"] == 1
