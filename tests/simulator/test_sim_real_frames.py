"""The simulated Rongtai chair against what real chairs send, where it used to depart from it.

Real frames: dallanwagz/hass-infinity-chair ``tests/test_protocol.py`` (an Infinity, i.e.
RT8600S, chair); firmware: wangqian2528/RT6923 ``Application/src/main.c`` (``Main_Send``,
``Main_BlueToothSend``, ``Main_Start_Auto``).
"""

from __future__ import annotations

from chairctl.clock import VirtualClock
from chairctl.vocabulary import AirbagZone, WorkState
from drivers.models.rongtai import RongtaiModel
from drivers.protocols.rongtai import decode_status, rongtai_detail
from simulator.families import simulated_chair
from simulator.rongtai.chair import RongtaiChair
from simulator.rongtai.firmware import SLIDE_TRAVEL_S
from tests.simulator.simhelpers import Controller, power_up, start_knead


async def test_a_built_in_program_runs_the_full_body_airbags_foot_roller_and_slide(
    chair: RongtaiChair, ctl: Controller, model: RongtaiModel
) -> None:
    # Real frames of built-in programs (test_parse_program's "recover" and "lower body",
    # test_parse_run_states' "running" upper body) have b12 0x43/0x41: the full-body airbag
    # program, with airbags working (b6); b2 bit 5: the foot roller on (its speed bits mostly
    # 0, "auto"); and the upper-body one, a second into its 10 minutes, b10 0x20: the slide
    # moving. RT6923 Main_Start_Auto sets each (AIRBAG_LOCATE_AUTO, bRollerEnable, the
    # massage position).
    assert isinstance(model, RongtaiModel)
    program = next(p for p in model.keys.auto_programs if p.name == "neck and shoulders")
    await power_up(ctl, model)
    await ctl.press(program.key)
    frame = ctl.frames[-1][1]
    assert frame[12] & 0x7C == 0x40
    assert frame[2] & 0x20 == 0x20
    assert frame[6] & 0x60 == 0
    assert frame[10] == 0x20
    status = decode_status(frame, model)
    assert status.airbag_program == frozenset(AirbagZone)
    assert status.airbag_level > 0
    assert status.program == program.name
    # It inflates the chair's airbags and turns the foot roller, until a foot-roller key
    # takes over from the program.
    await ctl.wait(model.mechanics.airbag_inflate_s)
    assert chair.state().foot_roller > 0
    assert any(p > 0 for p in chair.state().airbags.values())
    await ctl.press(model.keys.foot_roller[2])
    assert (ctl.status.foot_roller_on, ctl.status.foot_roller_speed) == (True, 3)
    # The slide stops at its massage position; POWER brings it home in the settle.
    await ctl.wait(SLIDE_TRAVEL_S)
    assert ctl.frames[-1][1][10] & 0x30 == 0
    await ctl.press(model.keys.power)
    assert ctl.frames[-1][1][10] & 0x30 == 0x10
    await ctl.wait(model.timing.settle_cap_s)
    status = decode_status(ctl.frames[-1][1], model)
    assert status.work_state is WorkState.STANDBY
    assert not status.actuators_moving
    assert chair.board.slide.at(ctl.clock.now()) == 0.0


async def test_a_group_key_leaves_a_program_s_full_body_airbags_for_its_group_alone(
    ctl: Controller, model: RongtaiModel
) -> None:
    # RT6923, working state: a group key in the full-body program (AIRBAG_LOCATE_AUTO)
    # clears it and selects its own group; group keys otherwise combine (|=).
    assert isinstance(model, RongtaiModel)
    await power_up(ctl, model)
    await ctl.press(model.keys.auto_programs[0].key)
    assert ctl.status.airbag_program == 0b10000
    waist = next(g for g in model.keys.airbag_groups if g.zones == [AirbagZone.WAIST])
    await ctl.press(waist.key)
    assert ctl.status.airbag_program == 0b00010
    arms = next(g for g in model.keys.airbag_groups if AirbagZone.ARMS in g.zones)
    await ctl.press(arms.key)
    assert ctl.status.airbag_program == 0b00110


async def test_b1_bit_1_b8_bit_5_and_b10_as_real_frames_have_them(
    clock: VirtualClock, ctl: Controller, model: RongtaiModel
) -> None:
    # No real RT8600S frame sets b1 bit 1 (the iOS app's "no leg extension"; the RT6923
    # never writes it), every one sets b8 bit 5 (its "first zero-G position" flag), and a
    # manual session neither runs airbags nor moves the slide unasked.
    await start_knead(ctl, model)
    await ctl.wait(5.0)
    frames = [frame for _, frame in ctl.frames]
    assert frames
    assert not [f for f in frames if f[1] & 0x02]
    assert not [f for f in frames if not f[8] & 0x20]
    assert not [f for f in frames if f[10] & 0x30 or f[12] & 0x7C]
    # A chair whose model follows the iOS app's map says it has no leg extension.
    assert isinstance(model, RongtaiModel)
    protocol = model.protocol.model_copy(update={"status_map": "ios-app"})
    older = model.model_copy(update={"protocol": protocol})
    other = Controller(simulated_chair(older, clock, transport="ble"), clock)
    await other.wait(1.0)
    assert other.frames[-1][1][1] & 0x02
    assert not rongtai_detail(decode_status(other.frames[-1][1], older)).has_leg_extension


async def test_the_wired_form_reports_the_tapping_toggle_off(
    clock: VirtualClock, model: RongtaiModel
) -> None:
    # RT6923 Main_Send (the hand controller's 18-byte frame): b15 bit 5 while bTapping is 0,
    # as it powers up.
    ctl = Controller(simulated_chair(model, clock, transport="wired"), clock)
    await ctl.wait(1.0)
    frame = ctl.frames[-1][1]
    assert (len(frame), frame[15] & 0x20) == (18, 0x20)
