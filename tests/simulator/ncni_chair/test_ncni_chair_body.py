"""The simulated NCNI chair's other parts: airbags, heat, foot roller, zero gravity, and the
backrest holds (moving only while held, stopped by the release or by a silent line)."""

from __future__ import annotations

import pytest

from chairctl.vocabulary import AirbagZone
from drivers.models.ncni import NcniModel
from simulator.config import ChairOptions
from simulator.ncni.chair import NcniChair
from tests.simulator.ncni_chair.ncnihelpers import TICK, Panel, manual_idle, power_on


async def test_airbag_keys_toggle_their_zones_at_level_3(
    panel: Panel, ncni_chair: NcniChair, ncni: NcniModel
) -> None:
    await manual_idle(panel, ncni)
    keys = ncni.keys
    await panel.press(keys.legs)
    seen = panel.seen
    assert (seen.airbags, seen.running, seen.mode) == (frozenset({"legs"}), True, "none")
    await panel.press(keys.shoulders_arms)
    await panel.press(keys.forearms)
    assert panel.seen.airbags == frozenset({"legs", "shoulders", "forearms"})
    await panel.wait(60.0)
    cycle = ncni_chair.trace.airbags.current
    assert {z for group in cycle.groups for z in group} == {
        AirbagZone.CALVES,
        AirbagZone.SHOULDERS,
        AirbagZone.ARMS,
    }
    assert cycle.level == 3.0
    peaks = {
        zone: max(s.airbags[zone] for s in ncni_chair.trace.samples(0.25, end=panel.clock.now()))
        for zone in AirbagZone
    }
    toggled = {AirbagZone.CALVES, AirbagZone.ARMS, AirbagZone.SHOULDERS}
    assert {zone: peaks[zone] for zone in toggled} == pytest.approx(dict.fromkeys(toggled, 3.0))
    assert all(peaks[zone] == 0.0 for zone in set(AirbagZone) - toggled)

    await panel.press(keys.legs)
    assert panel.seen.airbags == frozenset({"shoulders", "forearms"})
    await panel.press(keys.shoulders_arms)
    await panel.press(keys.forearms)
    assert (panel.seen.airbags, panel.seen.running) == (frozenset(), False)
    await panel.wait(ncni.mechanics.airbag_vent_s)
    assert all(p == 0.0 for p in ncni_chair.state().airbags.values())


async def test_heat_toggles_the_heater(
    panel: Panel, ncni_chair: NcniChair, ncni: NcniModel
) -> None:
    await power_on(panel, ncni)
    await panel.press(ncni.keys.back_waist)
    await panel.press(ncni.keys.heat)
    assert panel.seen.heat
    await panel.wait(300.0)
    state = ncni_chair.state()
    assert state.heat_on
    assert state.heater_c > 40.0
    await panel.press(ncni.keys.heat)
    assert not panel.seen.heat
    assert not ncni_chair.state().heat_on


async def test_heat_during_the_scan_heats_at_once(
    panel: Panel, ncni_chair: NcniChair, ncni: NcniModel
) -> None:
    await panel.press(ncni.keys.power)
    await panel.press(ncni.keys.heat)
    assert panel.seen.heat
    assert not panel.seen.running
    assert ncni_chair.state().heat_on


async def test_foot_massage_toggles_the_foot_roller_and_foot_speed_cycles(
    panel: Panel, ncni_chair: NcniChair, ncni: NcniModel
) -> None:
    await manual_idle(panel, ncni)
    await panel.press(ncni.keys.foot_massage)
    # Foot speed 2, where power's auto profile A left it.
    assert (panel.seen.running, panel.seen.foot_speed) == (True, 2)
    assert ncni_chair.state().foot_roller == 2
    speeds = []
    for _ in range(3):
        await panel.press(ncni.keys.foot_speed)
        speeds.append((panel.seen.foot_speed, ncni_chair.state().foot_roller))
    assert speeds == [(3, 3), (1, 1), (2, 2)]
    await panel.press(ncni.keys.foot_massage)
    assert (panel.seen.running, panel.seen.foot_speed) == (False, 2)
    assert ncni_chair.state().foot_roller == 0


async def test_zero_gravity_toggles_the_posture(
    panel: Panel, ncni_chair: NcniChair, ncni: NcniModel
) -> None:
    options = ChairOptions()
    await power_on(panel, ncni)
    await panel.press(ncni.keys.zero_gravity)
    await panel.wait(ncni.mechanics.backrest_travel_s)
    state = ncni_chair.state()
    assert (state.backrest, state.leg_rest) == pytest.approx(
        (options.zero_g_backrest, options.zero_g_leg_rest)
    )
    await panel.press(ncni.keys.zero_gravity)
    await panel.wait(ncni.mechanics.backrest_travel_s)
    state = ncni_chair.state()
    assert (state.backrest, state.leg_rest) == (0.0, 0.0)
    assert ncni_chair.board.fault is None


async def test_a_backrest_hold_moves_only_while_held(
    panel: Panel, ncni_chair: NcniChair, ncni: NcniModel
) -> None:
    await power_on(panel, ncni)
    rate = 1 / ncni.mechanics.backrest_travel_s
    first = panel.clock.now()
    await panel.ticks(ncni.keys.backrest_down, 40)
    # Moving from the first tick on, while the key is on the line.
    assert ncni_chair.state().backrest == pytest.approx(40 * TICK * rate)
    await panel.ticks(0x00, 1)
    released = ncni_chair.state().backrest
    assert released == pytest.approx(40 * TICK * rate)
    await panel.wait(5.0)
    assert ncni_chair.state().backrest == released
    moved = [t for t, _ in ncni_chair.trace.backrest.changes()]
    assert moved[1:] == pytest.approx([first, first + 40 * TICK])

    await panel.hold(ncni.keys.backrest_up, 10)
    assert ncni_chair.state().backrest == pytest.approx(released - 10 * TICK * rate)


async def test_a_hold_stops_when_the_ticks_stop(
    panel: Panel, ncni_chair: NcniChair, ncni: NcniModel
) -> None:
    await power_on(panel, ncni)
    await panel.ticks(ncni.keys.backrest_down, 20)
    last_tick = panel.clock.now() - TICK
    # The panel vanishes: no tick at all, not even idle ones.
    await panel.wait(5.0)
    stopped = ncni_chair.trace.backrest.since
    assert stopped == pytest.approx(last_tick + 3 * TICK)
    assert ncni_chair.state().backrest == pytest.approx(
        (stopped - (last_tick - 19 * TICK)) / ncni.mechanics.backrest_travel_s
    )
    assert ncni_chair.line.stats.silenced == 1


async def test_a_hold_ends_at_the_first_other_tick(
    panel: Panel, ncni_chair: NcniChair, ncni: NcniModel
) -> None:
    await power_on(panel, ncni)
    await panel.ticks(ncni.keys.backrest_down, 10)
    await panel.ticks(ncni.keys.heat, 1)  # not something the panel sends, but it ends the hold
    stopped_at = panel.clock.now() - TICK
    assert ncni_chair.trace.backrest.since == pytest.approx(stopped_at)
    await panel.ticks(0x00, 3)
    assert panel.seen.heat


async def test_a_dropped_tick_does_not_stop_a_hold(
    panel: Panel, ncni_chair: NcniChair, ncni: NcniModel
) -> None:
    await power_on(panel, ncni)
    await panel.ticks(ncni.keys.backrest_down, 10)
    await panel.wait(TICK)  # one tick lost on the line: two periods without a tick
    await panel.ticks(ncni.keys.backrest_down, 10)
    await panel.ticks(0x00, 1)
    assert ncni_chair.state().backrest == pytest.approx(
        (21 * TICK) / ncni.mechanics.backrest_travel_s
    )
    assert ncni_chair.line.stats.silenced == 0
    # One drive from the first tick to the release.
    assert len(ncni_chair.trace.backrest) == 3
