"""The simulated NCNI chair's power cycle: switch-on and scan, power-off and settle, the session
timer, idle power-off, and the factory."""

from __future__ import annotations

import pytest

from chairctl.clock import VirtualClock
from chairctl.vocabulary import WorkState
from drivers.models import get_model_as
from drivers.models.ncni import NcniModel
from simulator.families import simulated_chair
from simulator.ncni.chair import NcniChair
from tests.simulator.ncni_chair.ncnihelpers import TICK, Panel, manual_idle, power_on


def test_the_factory_builds_the_ncni_chair(clock: VirtualClock) -> None:
    model = get_model_as("ncni-chair", NcniModel)
    assert isinstance(model, NcniModel)
    chair = simulated_chair(model, clock)
    assert isinstance(chair, NcniChair)
    assert chair.transport == "wired"
    assert chair.periodic
    assert chair.period == pytest.approx(model.protocol.status_period_ms / 1000)


async def test_frames_come_every_status_period_and_say_off(panel: Panel) -> None:
    await panel.wait(1.0)
    times = [t for t, _ in panel.frames]
    assert times == pytest.approx([0.1 * k for k in range(1, 11)])
    assert all(f == b"\xaa\x55" + bytes(31) for _, f in panel.frames)
    assert panel.chair.state().work_state is WorkState.STANDBY


async def test_power_switches_on_at_once_and_runs_only_after_the_scan(
    panel: Panel, ncni_chair: NcniChair, ncni: NcniModel
) -> None:
    await panel.ticks(ncni.keys.power, 3)
    assert not panel.seen.powered  # a press acts when its run of ticks ends
    acted = panel.clock.now()
    await panel.ticks(0x00, 1)
    seen = panel.seen
    assert seen.powered
    assert not seen.running
    # Auto profile A at pressure 2, foot speed 2, with its airbags (upstream's power-on
    # default, test_power_on_default_matches_manual).
    assert (seen.mode, seen.profile, seen.intensity, seen.foot_speed) == ("auto", "A", 2, 2)
    assert seen.airbags == {"shoulders", "forearms", "legs"}
    assert ncni_chair.state().work_state is WorkState.RESETTING

    # Keys during the scan are shown at once; the rollers wait for the scan's end.
    await panel.press(ncni.keys.back_waist)
    await panel.press(ncni.keys.pressure_up)
    assert (panel.seen.mode, panel.seen.intensity, panel.seen.running) == ("back_waist", 3, False)
    assert ncni_chair.state().roller_technique is None
    scan_end = acted + ncni.mechanics.body_scan_s
    during = list(ncni_chair.trace.samples(0.1, acted, panel.clock.now()))
    assert max(s.roller_position for s in during) > ncni.mechanics.default_shoulder_position

    await panel.wait(scan_end - panel.clock.now() - 0.05)
    assert not panel.seen.running
    await panel.wait(0.2)
    assert panel.seen.running
    state = ncni_chair.state()
    assert state.work_state is WorkState.RUNNING
    assert state.roller_technique is not None
    started = ncni_chair.trace.activity.changes()
    assert next(t for t, a in started if a is not None) == pytest.approx(scan_end)


async def test_power_while_on_zeroes_the_payload_and_settles(
    panel: Panel, ncni_chair: NcniChair, ncni: NcniModel
) -> None:
    await power_on(panel, ncni)
    keys = ncni.keys
    for key in (keys.back_waist, keys.pressure_up, keys.pressure_up, keys.heat, keys.legs):
        await panel.press(key)
    await panel.press(keys.foot_massage)
    await panel.press(keys.zero_gravity)
    await panel.wait(20.0)
    state = ncni_chair.state()
    assert state.depth == pytest.approx(3.0)
    assert state.heat_on
    assert state.foot_roller
    assert state.backrest > 0.4
    assert panel.seen.powered

    await panel.ticks(keys.power, 3)
    off_at = panel.clock.now()
    await panel.ticks(0x00, 1)
    assert not panel.seen.powered
    assert ncni_chair.state().work_state is WorkState.RESETTING
    assert ncni_chair.state().roller_technique is None
    assert not ncni_chair.state().heat_on
    await panel.wait(ncni.timing.settle_cap_s)
    state = ncni_chair.state()
    assert state.work_state is WorkState.STANDBY
    assert state.depth == 0.0
    assert state.foot_roller == 0
    assert all(p == 0.0 for p in state.airbags.values())
    assert (state.backrest, state.leg_rest) == (0.0, 0.0)
    assert state.roller_position == pytest.approx(ncni_chair.body.park)
    assert all(not s.powered for s in panel.seen_since(off_at))
    # Standby came as soon as the slowest part was home, not at the cap.
    standby_at = ncni_chair.trace.work_state.since
    assert standby_at - off_at < ncni.mechanics.backrest_travel_s


async def test_keys_other_than_power_do_nothing_while_off(
    panel: Panel, ncni_chair: NcniChair, ncni: NcniModel
) -> None:
    keys = ncni.keys
    for key in (keys.back_waist, keys.heat, keys.auto, keys.legs, keys.zero_gravity):
        await panel.press(key)
    await panel.hold(keys.backrest_down, 20)
    await panel.wait(5.0)
    assert all(not s.powered for s in panel.seen_since(0.0))
    state = ncni_chair.state()
    assert (state.heat_on, state.backrest, state.leg_rest) == (False, 0.0, 0.0)
    assert len(ncni_chair.trace.activity) == 1
    assert ncni_chair.board.stats.ignored == 6


async def test_the_time_key_cycles_the_timer_and_its_end_powers_off(
    panel: Panel, ncni_chair: NcniChair, ncni: NcniModel
) -> None:
    assert ncni.session_minutes == [15, 20, 25, 30]
    await power_on(panel, ncni)
    powered_at = ncni_chair.trace.work_state.changes()
    on_at = next(t for t, s in powered_at if s is WorkState.RESETTING)
    assert ncni_chair.board.session_end == pytest.approx(on_at + 15 * 60)
    await panel.press(ncni.keys.back_waist)
    steps = []
    for _ in range(4):
        await panel.press(ncni.keys.time)
        steps.append(round(ncni_chair.board.session_end - (panel.clock.now() - 3 * TICK)))
    # 20, 25, 30 and round to 15 again, each from the moment the key acted.
    assert steps == [20 * 60, 25 * 60, 30 * 60, 15 * 60]
    await panel.press(ncni.keys.time)  # 20 minutes from now
    set_at = panel.clock.now() - 3 * TICK
    await panel.wait(20 * 60 - 1.0)
    assert panel.seen.powered
    assert panel.seen.running
    await panel.wait(1.5)
    assert not panel.seen.powered
    assert ncni_chair.state().roller_technique is None
    off = [t for t, s in ncni_chair.trace.work_state.changes() if s is WorkState.RESETTING][-1]
    assert off == pytest.approx(set_at + 20 * 60)
    await panel.wait(ncni.timing.settle_cap_s)
    assert ncni_chair.state().work_state is WorkState.STANDBY


async def test_an_idle_chair_powers_off(
    panel: Panel, ncni_chair: NcniChair, ncni: NcniModel
) -> None:
    await manual_idle(panel, ncni)
    idle_from = ncni_chair.trace.work_state.since
    assert ncni_chair.state().work_state is WorkState.WAITING
    # Heat is not "working": the chair still sleeps.
    await panel.press(ncni.keys.heat)
    await panel.wait(idle_from + ncni.timing.idle_sleep_s - panel.clock.now() - 0.5)
    assert panel.seen.powered
    assert panel.seen.heat
    await panel.wait(1.0)
    assert not panel.seen.powered
    assert not ncni_chair.state().heat_on


async def test_working_keeps_the_chair_awake_and_stopping_starts_the_idle_wait(
    panel: Panel, ncni_chair: NcniChair, ncni: NcniModel
) -> None:
    await manual_idle(panel, ncni)
    await panel.press(ncni.keys.neck)
    await panel.wait(3 * ncni.timing.idle_sleep_s)
    assert panel.seen.running
    await panel.press(ncni.keys.neck)  # the same mode again: rollers stop, mode cleared
    stopped = panel.clock.now() - 3 * TICK
    assert panel.seen.powered
    assert not panel.seen.running
    await panel.wait(stopped + ncni.timing.idle_sleep_s - panel.clock.now() - 0.2)
    assert panel.seen.powered
    await panel.wait(0.4)
    assert not panel.seen.powered


async def test_power_again_after_power_off_starts_afresh(
    panel: Panel, ncni_chair: NcniChair, ncni: NcniModel
) -> None:
    await power_on(panel, ncni)
    await panel.press(ncni.keys.pressure_up)
    await panel.press(ncni.keys.auto)
    await panel.press(ncni.keys.power)
    # Pressed again while it settles (the status shows it off): it switches on and scans.
    await panel.press(ncni.keys.power)
    seen = panel.seen
    assert seen.powered
    assert not seen.running
    assert (seen.mode, seen.profile, seen.intensity) == ("auto", "A", 2)
    assert ncni_chair.state().work_state is WorkState.RESETTING
