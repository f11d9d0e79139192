"""The simulated NCNI chair's massage: manual modes, auto profiles, pressure, speed, pause."""

from __future__ import annotations

import pytest

from chairctl.vocabulary import REGION_BANDS, Region, Technique, WorkState, track_position
from drivers.models.ncni import NcniModel
from simulator.ncni.chair import NcniChair
from tests.simulator.ncni_chair.ncnihelpers import TICK, Panel, power_on


def band(chair: NcniChair, regions: list[Region]) -> tuple[float, float]:
    trace = chair.trace
    low = min(REGION_BANDS[r][0] for r in regions)
    high = max(REGION_BANDS[r][1] for r in regions)
    top = chair.model.mechanics.roller_positions - 1
    return (
        track_position(low, trace.seat_line, trace.shoulder),
        min(top, track_position(high, trace.seat_line, trace.shoulder)),
    )


def worked(chair: NcniChair, start: float, end: float) -> dict[tuple[Technique, Region], float]:
    occupancy = chair.trace.roller_occupancy(start, end)
    return {(t, r): s for (t, r), s in occupancy.items() if t is not None and r is not None}


async def test_back_waist_works_its_band_cycling_techniques_at_the_intensity(
    panel: Panel, ncni_chair: NcniChair, ncni: NcniModel
) -> None:
    await power_on(panel, ncni)
    await panel.press(ncni.keys.back_waist)
    started = panel.clock.now() - 3 * TICK
    assert (panel.seen.mode, panel.seen.running) == ("back_waist", True)
    await panel.wait(70.0)
    mode = ncni.manual_modes["back_waist"]
    low, high = band(ncni_chair, mode.regions)
    samples = list(ncni_chair.trace.samples(0.1, started + 10, panel.clock.now()))
    positions = [s.roller_position for s in samples]
    assert min(positions) == pytest.approx(low, abs=0.05)
    assert max(positions) == pytest.approx(high, abs=0.05)
    assert all(s.region in mode.regions for s in samples)
    # Each technique for 20 s, in the mode's order, round again (auto was kneading too, so
    # the first is no change).
    first = ncni_chair.trace.activity.at(started + TICK)
    assert first is not None
    changes = [
        (t - started, a.technique)
        for t, a in ncni_chair.trace.activity.changes()
        if a and t > started
    ]
    assert [first.technique, *(t for _, t in changes)] == [
        Technique.KNEAD,
        Technique.SHIATSU,
        Technique.KNEAD,
        Technique.SHIATSU,
    ]
    assert [round(t) for t, _ in changes] == [20, 40, 60]
    # Depth = pressure: 2, where power's auto profile A left it.
    assert ncni_chair.state().depth == pytest.approx(2.0)
    assert {region for _, region in worked(ncni_chair, started, panel.clock.now())} == set(
        mode.regions
    )


async def test_neck_works_the_neck_and_pressure_sets_the_depth(
    panel: Panel, ncni_chair: NcniChair, ncni: NcniModel
) -> None:
    await power_on(panel, ncni)
    await panel.press(ncni.keys.neck)
    await panel.press(ncni.keys.pressure_down)
    set_at = panel.clock.now()
    assert (panel.seen.mode, panel.seen.intensity, panel.seen.speed) == ("neck", 1, 2)
    await panel.wait(30.0)
    assert ncni_chair.state().depth == pytest.approx(1.0)
    assert set(worked(ncni_chair, set_at + 5, panel.clock.now())) == {
        (Technique.KNEAD, Region.NECK)
    }


async def test_pressure_is_clamped_at_both_ends(
    panel: Panel, ncni_chair: NcniChair, ncni: NcniModel
) -> None:
    await power_on(panel, ncni)
    await panel.press(ncni.keys.back_waist)
    seen = []
    for key in [ncni.keys.pressure_up] * 4 + [ncni.keys.pressure_down] * 4:
        await panel.press(key)
        seen.append(panel.seen.intensity)
    assert seen == [3, 3, 3, 3, 2, 1, 1, 1]
    depths = [p.at(p.rest_time()) for _, p in ncni_chair.trace.depth.changes()]
    assert max(depths) == 3.0
    assert ncni_chair.state().depth == pytest.approx(1.0, abs=0.01)


async def test_a_chair_heeding_the_pressure_only_with_airbags_ignores_it_without_one(
    panel: Panel, ncni_chair: NcniChair, ncni: NcniModel
) -> None:
    ncni_chair.board.pressure_needs_airbags = True
    await power_on(panel, ncni)
    # In auto, with its airbags on, the keys act.
    await panel.press(ncni.keys.pressure_down)
    assert panel.seen.intensity == 1
    await panel.press(ncni.keys.pressure_up)
    # Leaving auto drops the airbags: the keys do nothing now, and are counted.
    await panel.press(ncni.keys.back_waist)
    await panel.press(ncni.keys.pressure_down)
    await panel.press(ncni.keys.pressure_down)
    assert (panel.seen.mode, panel.seen.intensity) == ("back_waist", 2)
    assert ncni_chair.board.stats.pressure_ignored == 2
    # An airbag zone on: they act again.
    await panel.press(ncni.keys.legs)
    await panel.press(ncni.keys.pressure_down)
    assert panel.seen.intensity == 1
    await panel.wait(5.0)
    assert ncni_chair.state().depth == pytest.approx(1.0, abs=0.01)


async def test_speed_keys_set_the_roller_speed_clamped_and_the_status_shows_it(
    panel: Panel, ncni_chair: NcniChair, ncni: NcniModel
) -> None:
    await power_on(panel, ncni)
    await panel.press(ncni.keys.back_waist)
    assert (ncni_chair.state().roller_speed, panel.seen.speed) == (2, 2)
    speeds = []
    for key in [ncni.keys.speed_up] * 2 + [ncni.keys.speed_down] * 3:
        await panel.press(key)
        speeds.append((ncni_chair.state().roller_speed, panel.seen.speed))
    assert speeds == [(3, 3), (3, 3), (2, 2), (1, 1), (1, 1)]


async def test_the_manual_modes_toggle_independently(
    panel: Panel, ncni_chair: NcniChair, ncni: NcniModel
) -> None:
    await power_on(panel, ncni)
    await panel.press(ncni.keys.back_waist)
    await panel.wait(5.0)
    # Upstream: "szyja then plecy_i_talia keeps both", status 04 0E.
    await panel.press(ncni.keys.neck)
    both_from = panel.clock.now()
    assert panel.seen.mode == "back_waist+neck"
    await panel.wait(60.0)
    both = ncni.manual_modes["back_waist"].regions + ncni.manual_modes["neck"].regions
    assert {r for _, r in worked(ncni_chair, both_from + 10, panel.clock.now())} == set(both)
    await panel.press(ncni.keys.back_waist)
    assert panel.seen.mode == "neck"
    await panel.wait(15.0)
    assert ncni_chair.state().region is Region.NECK
    await panel.press(ncni.keys.neck)
    stopped = panel.clock.now() - 3 * TICK
    assert (panel.seen.mode, panel.seen.running) == ("none", False)
    state = ncni_chair.state()
    assert state.roller_technique is None
    assert state.work_state is WorkState.WAITING
    await panel.wait(5.0)
    assert ncni_chair.state().depth == 0.0
    # The carriage stopped where it was.
    assert ncni_chair.state().roller_position == pytest.approx(
        ncni_chair.trace.state_at(stopped).roller_position
    )


async def test_a_manual_key_leaves_auto_for_its_mode_alone_dropping_airbags_and_foot_rollers(
    panel: Panel, ncni_chair: NcniChair, ncni: NcniModel
) -> None:
    await power_on(panel, ncni)
    await panel.press(ncni.keys.heat)
    await panel.wait(10.0)
    assert ncni_chair.state().foot_roller == 2
    await panel.press(ncni.keys.back_waist)
    seen = panel.seen
    # Upstream's test_plecy_i_talia_in_auto_switches_to_manual_back (and its heat survives).
    assert (seen.mode, seen.airbags, seen.heat) == ("back_waist", frozenset(), True)
    await panel.wait(ncni.mechanics.airbag_vent_s)
    state = ncni_chair.state()
    assert all(p == 0.0 for p in state.airbags.values())
    assert state.foot_roller == 0
    assert state.heat_on


async def test_auto_cycles_its_profiles_and_ends_by_itself(
    panel: Panel, ncni_chair: NcniChair, ncni: NcniModel
) -> None:
    await power_on(panel, ncni)
    await panel.press(ncni.keys.neck)
    await panel.press(ncni.keys.heat)
    profiles = []
    for _ in range(5):
        await panel.press(ncni.keys.auto)
        profiles.append(panel.seen.profile)
        assert (panel.seen.mode, panel.seen.running) == ("auto", True)
    # From manual the key starts A, then cycles (upstream's state code); auto clears the heat.
    assert profiles == ["A", "B", "C", "D", "A"]
    assert not panel.seen.heat
    await panel.press(ncni.keys.auto)
    await panel.press(ncni.keys.auto)
    assert panel.seen.profile == "C"
    assert panel.seen.airbags == {"shoulders"}
    chosen = panel.clock.now() - 3 * TICK
    # Auto works both manual modes' bands with their techniques.
    await panel.wait(60.0)
    modes = ncni.manual_modes
    assert {r for _, r in worked(ncni_chair, chosen + 10, panel.clock.now())} == {
        *modes["back_waist"].regions,
        *modes["neck"].regions,
    }
    # Profile C runs 838 s from its selection (upstream's timeline), then the chair powers off.
    await panel.wait(chosen + 838 - panel.clock.now() - 0.5)
    assert panel.seen.powered
    await panel.wait(1.0)
    assert not panel.seen.powered
    off = ncni_chair.trace.work_state.changes()
    assert [t for t, s in off if s is WorkState.RESETTING][-1] == pytest.approx(chosen + 838)
    await panel.wait(ncni.timing.settle_cap_s)
    assert ncni_chair.state().work_state is WorkState.STANDBY


@pytest.mark.parametrize(("presses", "seconds"), [(1, 833), (2, 838), (3, 855), (4, 827)])
async def test_each_profile_has_its_length(
    panel: Panel, ncni_chair: NcniChair, ncni: NcniModel, presses: int, seconds: float
) -> None:
    await power_on(panel, ncni)
    for _ in range(presses):
        await panel.press(ncni.keys.auto)
    await panel.press(ncni.keys.time)  # 20 minutes: the timer does not end it first
    chosen = panel.clock.now() - 6 * TICK - 3 * TICK
    await panel.wait(chosen + seconds - panel.clock.now() - 0.2)
    assert panel.seen.powered
    await panel.wait(0.4)
    assert not panel.seen.powered


async def test_power_s_profile_a_runs_827_s_from_the_scan_end(
    panel: Panel, ncni_chair: NcniChair, ncni: NcniModel
) -> None:
    await power_on(panel, ncni)
    scan_end = next(t for t, s in ncni_chair.trace.work_state.changes() if s is WorkState.RUNNING)
    assert ncni_chair.board.program_end == pytest.approx(scan_end + 827)


async def test_auto_chosen_during_the_scan_starts_its_clock_at_the_scan_end(
    panel: Panel, ncni_chair: NcniChair, ncni: NcniModel
) -> None:
    await panel.press(ncni.keys.power)
    await panel.press(ncni.keys.auto)
    assert (panel.seen.mode, panel.seen.profile, panel.seen.running) == ("auto", "B", False)
    await panel.wait(ncni.mechanics.body_scan_s)
    scan_end = next(t for t, s in ncni_chair.trace.work_state.changes() if s is WorkState.RUNNING)
    assert ncni_chair.board.program_end == pytest.approx(scan_end + 833)


async def test_pause_stops_the_work_and_resumes_it(
    panel: Panel, ncni_chair: NcniChair, ncni: NcniModel
) -> None:
    await power_on(panel, ncni)
    keys = ncni.keys
    await panel.press(keys.back_waist)
    await panel.press(keys.forearms)
    await panel.press(keys.foot_massage)
    await panel.wait(10.0)
    await panel.press(keys.pause)
    paused = panel.clock.now()
    seen = panel.seen
    assert seen.powered
    assert not seen.running
    assert (seen.mode, seen.airbags) == ("back_waist", frozenset({"forearms"}))
    await panel.wait(10.0)
    state = ncni_chair.state()
    assert state.roller_technique is None
    assert state.depth == 0.0
    assert state.foot_roller == 0
    assert all(p == 0.0 for p in state.airbags.values())
    assert state.work_state is WorkState.WAITING
    assert ncni_chair.trace.roller.at(paused).at(paused) == pytest.approx(state.roller_position)

    await panel.press(keys.pause)
    assert panel.seen.running
    await panel.wait(5.0)
    state = ncni_chair.state()
    assert state.roller_technique is Technique.KNEAD
    assert state.foot_roller == 2  # the foot speed auto profile A left
    assert state.work_state is WorkState.RUNNING


async def test_keys_with_no_modelled_effect_change_nothing(
    panel: Panel, ncni_chair: NcniChair, ncni: NcniModel
) -> None:
    await power_on(panel, ncni)
    await panel.press(ncni.keys.back_waist)
    before = panel.seen
    changes = len(ncni_chair.trace.activity)
    keys = ncni.keys
    for key in (keys.full_body, keys.buttocks, keys.forward_back_1, keys.forward_back_2):
        await panel.press(key)
    assert panel.seen == before
    assert len(ncni_chair.trace.activity) == changes
    assert ncni_chair.board.stats.accepted == 6
