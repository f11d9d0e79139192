"""What each key does to the simulated chair, seen in status frames and in the trace."""

from __future__ import annotations

import math

import pytest

from chairctl.clock import VirtualClock
from chairctl.vocabulary import AirbagZone, MassageRange, Region, Technique, Width
from drivers.models.rongtai import RongtaiModel
from simulator.config import ChairOptions
from simulator.families import simulated_chair
from simulator.rongtai.chair import RongtaiChair
from simulator.rongtai.frames import key_frame
from tests.simulator.simhelpers import Controller, power_up, rongtai_chair, start_knead


async def test_the_strength_key_cycles_one_to_five_and_wraps(
    chair: RongtaiChair, ctl: Controller, model: RongtaiModel
) -> None:
    await start_knead(ctl, model)
    cycle = model.keys.intensity_cycle
    assert cycle is not None
    seen = [ctl.status.strength]
    for _ in range(5):
        await ctl.press(cycle)
        seen.append(ctl.status.strength)
    assert seen == [3, 4, 5, 1, 2, 3]
    # The 3D axis follows the strength; it never needs longer than its full travel.
    await ctl.wait(model.mechanics.depth_travel_s)
    assert chair.state().depth == pytest.approx(3.0)


async def test_the_depth_axis_takes_its_travel_time(
    chair: RongtaiChair, ctl: Controller, model: RongtaiModel
) -> None:
    await start_knead(ctl, model)
    cycle = model.keys.intensity_cycle
    assert cycle is not None
    await ctl.press(cycle)
    await ctl.press(cycle)  # strength 5
    await ctl.wait(5.0)
    await ctl.press(cycle, pace=0.0)  # 5 -> 1: the whole travel, strongest to weakest
    pressed = ctl.clock.now()
    travel = model.mechanics.depth_travel_s
    assert chair.trace.state_at(pressed).depth == pytest.approx(5.0)
    await ctl.wait(travel / 2)
    assert chair.state().depth == pytest.approx(3.0)
    await ctl.wait(travel / 2)
    assert chair.state().depth == pytest.approx(1.0)


async def test_speed_width_and_range_keys(
    chair: RongtaiChair, ctl: Controller, model: RongtaiModel
) -> None:
    await start_knead(ctl, model)
    await ctl.press(model.keys.speeds[-1])
    await ctl.press(model.keys.widths[Width.NARROW])
    await ctl.press(model.keys.ranges["point"])
    status = ctl.status
    assert (status.speed, status.width, status.massage_range) == (len(model.keys.speeds), 1, 3)
    state = chair.state()
    assert (state.roller_speed, state.roller_width) == (6, Width.NARROW)
    assert chair.board.settings.massage_range is MassageRange.POINT


async def test_point_range_stays_on_a_spot_and_partial_sweeps_a_band(
    chair: RongtaiChair, ctl: Controller, model: RongtaiModel
) -> None:
    await start_knead(ctl, model)
    await ctl.press(model.keys.ranges["point"])
    spot = chair.board.session.focus
    assert spot is not None
    await ctl.wait(30.0)
    around = [s.roller_position for s in chair.trace.samples(0.1, ctl.clock.now() - 20)]
    point = model.mechanics.point_half_span
    assert max(around) - min(around) <= 2 * point + 1e-9
    assert min(around) >= spot - point - 1e-9

    await ctl.press(model.keys.ranges["partial"])
    await ctl.wait(30.0)
    band = [s.roller_position for s in chair.trace.samples(0.05, ctl.clock.now() - 20)]
    assert max(band) - min(band) == pytest.approx(2 * model.mechanics.partial_half_span, abs=0.05)


async def test_walk_keys_move_the_focus(
    chair: RongtaiChair, ctl: Controller, model: RongtaiModel
) -> None:
    await start_knead(ctl, model)
    await ctl.press(model.keys.ranges["point"])
    await ctl.wait(1.0)
    walk = model.keys.walk
    await ctl.press(walk.down_start, pace=0.0)
    start = chair.state().roller_position
    await ctl.wait(2.5)
    moved = chair.state().roller_position
    speed = (model.mechanics.roller_positions - 1) / model.mechanics.roller_travel_s
    assert start - moved == pytest.approx(2.5 * speed, abs=1e-6)
    assert ctl.status.roller_direction == 2
    await ctl.press(walk.down_stop)
    await ctl.wait(10.0)
    # Kneading went on all along, and now works around the new spot.
    assert chair.state().roller_technique is Technique.KNEAD
    assert chair.board.session.focus == pytest.approx(moved, abs=1e-6)
    assert abs(chair.state().roller_position - moved) <= 0.25 + 1e-9


async def test_walk_start_without_stop_runs_to_the_end_of_the_track(
    chair: RongtaiChair, ctl: Controller, model: RongtaiModel
) -> None:
    await start_knead(ctl, model)
    await ctl.press(model.keys.walk.up_start)
    await ctl.wait(model.mechanics.roller_travel_s)
    assert chair.state().roller_position == pytest.approx(model.mechanics.roller_positions - 1)
    assert ctl.status.roller_position == model.mechanics.roller_positions - 1


async def test_airbag_groups_toggle_and_cycle_at_the_level(
    chair: RongtaiChair, ctl: Controller, model: RongtaiModel
) -> None:
    await start_knead(ctl, model)
    arms = next(g for g in model.keys.airbag_groups if AirbagZone.ARMS in g.zones)
    await ctl.press(model.keys.airbag_levels[1])  # level 2
    await ctl.press(arms.key, pace=0.0)
    toggled = ctl.clock.now()
    await ctl.wait(0.2)
    assert ctl.status.airbag_program == 0b00100  # arm/shoulder
    assert ctl.status.airbag_level == 2
    # Level 2 of 5 fills in 2/5 of the model's inflate time, then holds.
    fill = model.mechanics.airbag_inflate_s * 2 / 5
    await ctl.clock.advance_to(toggled + fill / 2)
    assert chair.state().airbags[AirbagZone.SHOULDERS] == pytest.approx(1.0)
    assert AirbagZone.SHOULDERS in chair.state().airbags_inflating
    assert ctl.status.airbags_b6 & 0b10000  # the arm bit
    assert ctl.status.airbags_b7 & 0b001  # the shoulder bit
    await ctl.clock.advance_to(toggled + fill + 1.0)
    assert chair.state().airbags[AirbagZone.ARMS] == pytest.approx(2.0)
    assert chair.state().airbags[AirbagZone.WAIST] == 0.0
    # Toggling the group again takes it out of the program: it vents.
    await ctl.press(arms.key)
    assert ctl.status.airbag_program == 0
    assert ctl.status.airbag_level == 0
    await ctl.wait(model.mechanics.airbag_vent_s)
    assert chair.state().airbags[AirbagZone.ARMS] == 0.0


async def test_airbag_groups_take_turns(
    chair: RongtaiChair, ctl: Controller, model: RongtaiModel
) -> None:
    await start_knead(ctl, model)
    groups = model.keys.airbag_groups
    for group in groups:
        await ctl.press(group.key)
    # Every group at once lights every group's bit: the firmware ORs them
    # (nKeyAirBagLocate |= ...); the full-body bit (6) is a built-in program's alone.
    assert ctl.status.airbag_program == 0b01111
    await ctl.wait(120.0)
    # Never two groups pressing at the same time.
    for state in chair.trace.samples(0.25, ctl.clock.now() - 100):
        busy = {i for i, g in enumerate(groups) if state.airbags_inflating & set(g.zones)}
        assert len(busy) <= 1
    pressed = {
        zone
        for state in chair.trace.samples(0.5, ctl.clock.now() - 100)
        for zone, pressure in state.airbags.items()
        if pressure > 0
    }
    assert pressed == {z for g in groups for z in g.zones}
    await ctl.press(model.keys.airbag_off or 0)
    await ctl.wait(model.mechanics.airbag_vent_s)
    assert ctl.status.airbag_program == 0
    assert all(p == 0 for p in chair.state().airbags.values())


async def test_an_airbag_key_starts_a_session_from_waiting(
    chair: RongtaiChair, ctl: Controller, model: RongtaiModel
) -> None:
    await power_up(ctl, model)
    await ctl.press(model.keys.airbag_groups[0].key)
    assert ctl.status.work_state == 3
    assert ctl.status.technique == 0
    assert chair.state().roller_technique is None


async def test_heat_rises_toward_the_set_point_with_the_time_constant(
    chair: RongtaiChair, ctl: Controller, model: RongtaiModel
) -> None:
    await start_knead(ctl, model)
    ambient = ChairOptions().ambient_c
    assert model.keys.heat_toggle is not None
    await ctl.press(model.keys.heat_toggle, pace=0.0)
    on_at = ctl.clock.now()
    await ctl.wait(0.2)
    assert ctl.status.heat_on
    tau = model.mechanics.heater_time_constant_s
    await ctl.clock.advance_to(on_at + tau)
    expected = (
        model.mechanics.heater_setpoint_c - (model.mechanics.heater_setpoint_c - ambient) / math.e
    )
    assert chair.state().heater_c == pytest.approx(expected)
    await ctl.press(model.keys.heat_toggle)
    assert not ctl.status.heat_on
    await ctl.wait(10 * tau)
    assert chair.state().heater_c == pytest.approx(ambient, abs=0.01)


async def test_foot_roller_speeds_and_off(
    chair: RongtaiChair, ctl: Controller, model: RongtaiModel
) -> None:
    await start_knead(ctl, model)
    await ctl.press(model.keys.foot_roller[2])
    assert (ctl.status.foot_roller_on, ctl.status.foot_roller_speed) == (True, 3)
    assert chair.state().foot_roller == 3
    await ctl.press(model.keys.foot_roller_off or 0)
    assert (ctl.status.foot_roller_on, ctl.status.foot_roller_speed) == (False, 0)
    assert chair.state().foot_roller == 0


async def test_auto_programs_report_their_number_and_work_their_regions(
    chair: RongtaiChair, ctl: Controller, model: RongtaiModel
) -> None:
    program = next(p for p in model.keys.auto_programs if p.name == "neck and shoulders")
    await power_up(ctl, model)
    await ctl.press(program.key)
    assert (ctl.status.work_state, ctl.status.program) == (3, program.status_code)
    began = ctl.clock.now()
    await ctl.wait(60.0)
    worked = chair.trace.roller_occupancy(began + 10, ctl.clock.now())
    regions = {region for (technique, region), _ in worked.items() if technique}
    assert regions <= set(program.regions)
    assert Region.SHOULDERS in regions
    # A manual technique takes over from the program.
    await ctl.press(model.keys.techniques[Technique.SHIATSU].key)
    assert ctl.status.program == 7
    assert ctl.status.technique == model.keys.techniques[Technique.SHIATSU].status_code


async def test_backrest_start_and_stop(
    chair: RongtaiChair, ctl: Controller, model: RongtaiModel
) -> None:
    backrest = model.keys.backrest
    assert backrest is not None
    await ctl.press(backrest.down_start, pace=0.0)  # allowed in standby
    await ctl.wait(5.0)
    assert ctl.status.backrest_motion == 2
    assert chair.state().backrest == pytest.approx(5.0 / model.mechanics.backrest_travel_s)
    await ctl.press(backrest.down_stop)
    held = chair.state().backrest
    await ctl.wait(5.0)
    assert chair.state().backrest == held
    assert ctl.status.backrest_motion == 0


async def test_an_actuator_without_stop_runs_to_its_end_stop(
    chair: RongtaiChair, ctl: Controller, model: RongtaiModel
) -> None:
    leg = model.keys.leg_rest
    assert leg is not None
    await ctl.press(leg.up_start, pace=0.0)
    travel = model.mechanics.leg_rest_travel_s
    await ctl.wait(travel - 0.3)
    assert ctl.status.calf_motion == 1
    await ctl.wait(0.6)
    assert ctl.status.calf_motion == 0
    assert chair.state().leg_rest == 1.0
    await ctl.wait(60.0)
    assert ctl.status.work_state == 0  # the end stop is no fault


async def test_zero_gravity_reaches_its_posture(
    chair: RongtaiChair, ctl: Controller, model: RongtaiModel
) -> None:
    assert model.keys.zero_gravity is not None
    await ctl.press(model.keys.zero_gravity)
    assert not ctl.status.zero_g_reached
    await ctl.wait(max(model.mechanics.backrest_travel_s, model.mechanics.leg_rest_travel_s))
    assert ctl.status.zero_g_reached
    options = ChairOptions()
    assert chair.state().backrest == pytest.approx(options.zero_g_backrest)
    assert chair.state().leg_rest == pytest.approx(options.zero_g_leg_rest)
    await ctl.press(model.keys.zero_gravity)
    await ctl.wait(model.mechanics.backrest_travel_s)
    assert not ctl.status.zero_g_reached
    assert (chair.state().backrest, chair.state().leg_rest) == (0.0, 0.0)


async def test_keys_faster_than_the_key_gap_are_lost(
    chair: RongtaiChair, ctl: Controller, model: RongtaiModel
) -> None:
    await start_knead(ctl, model)
    gap = model.timing.key_gap_ms / 1000
    await ctl.press(model.keys.widths[Width.NARROW], pace=gap / 2)
    await ctl.press(model.keys.widths[Width.WIDE], pace=gap)
    assert ctl.status.width == 1
    assert chair.board.stats.lost == 1
    await ctl.press(model.keys.widths[Width.WIDE])
    assert ctl.status.width == 3


async def test_the_key_gap_can_be_switched_off(clock: VirtualClock, model: RongtaiModel) -> None:
    chair = rongtai_chair(model, clock, options=ChairOptions(enforce_key_gap=False))
    link = chair.connect(lambda _: None)
    link.write(key_frame(0x83, model.keys.power) + key_frame(0x83, model.keys.widths[Width.WIDE]))
    assert chair.board.stats.lost == 0
    assert chair.board.stats.accepted == 1  # POWER; the width key is ignored while scanning


async def test_privileged_devices_and_bad_checksums_do_nothing(
    chair: RongtaiChair, ctl: Controller, model: RongtaiModel
) -> None:
    ctl.link.write(key_frame(0xBD, model.keys.power))
    await ctl.wait(0.5)
    ctl.link.write(bytes.fromhex("F0 83 01 00 F1"))
    await ctl.wait(0.5)
    ctl.link.write(bytes(range(256)))
    await ctl.wait(0.5)
    assert ctl.status.work_state == 0
    # The next good frame after all that still counts.
    await ctl.press(model.keys.power)
    assert ctl.status.work_state == 1


async def test_the_hand_controller_identity_works_too(
    clock: VirtualClock, model: RongtaiModel
) -> None:
    chair = simulated_chair(model, clock, transport="wired")
    ctl = Controller(chair, clock, device=0x82)
    await ctl.press(model.keys.power)
    assert ctl.status.work_state == 1


def test_a_model_giving_two_functions_one_key_is_refused(
    clock: VirtualClock, model: RongtaiModel
) -> None:
    from simulator.errors import SimulatorError

    keys = model.keys.model_copy(update={"heat_toggle": model.keys.power})
    clash = model.model_copy(update={"keys": keys})
    with pytest.raises(SimulatorError, match="0x01 is both power and heat_toggle"):
        simulated_chair(clash, clock)
