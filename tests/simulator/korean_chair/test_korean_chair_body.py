"""Ground truth of the simulated Korean chair: what its rollers, airbags, heater, foot roller and
actuators physically did for the buttons pressed, and that every ending (power, the timer, idle)
releases the chair."""

from __future__ import annotations

import pytest

from chairctl.vocabulary import ActuatorMotion, AirbagZone, Region, Technique, WorkState
from drivers.models.korean import KoreanModel
from simulator.korean.chair import KoreanChair
from tests.simulator.korean_chair.koreanhelpers import Remote, power_on


def _worked(chair: KoreanChair, since: float, until: float) -> dict[Region | None, float]:
    """Seconds the working rollers spent per region."""
    out: dict[Region | None, float] = {}
    for (technique, region), seconds in chair.trace.roller_occupancy(since, until).items():
        if technique is not None:
            out[region] = out.get(region, 0.0) + seconds
    return out


async def test_nothing_works_before_a_mode_and_manual_mode_sweeps_the_back_at_one_depth(
    remote: Remote, korean_chair: KoreanChair, korean: KoreanModel
) -> None:
    await power_on(remote, korean)
    state = korean_chair.state()
    assert (state.roller_technique, state.depth, state.foot_roller) == (None, 0.0, 0)
    assert korean_chair.work_state is WorkState.WAITING
    await remote.tap(korean.keys.manual)
    since = remote.clock.now()
    await remote.wait(60.0)
    state = korean_chair.state()
    assert state.roller_technique is Technique.KNEAD
    assert state.depth == 1.0
    assert state.roller_speed == 2  # speed 3 of 1, 3, 5
    worked = _worked(korean_chair, since, remote.clock.now())
    # The full area: from the seat line to the shoulder line the scan found, no neck.
    assert set(worked) == {
        Region.SACRUM_GLUTES,
        Region.LOWER_BACK,
        Region.MID_BACK,
        Region.UPPER_BACK,
        Region.SHOULDERS,
    }


async def test_point_massage_works_around_the_roller_position_and_the_position_keys_move_it(
    remote: Remote, korean_chair: KoreanChair, korean: KoreanModel
) -> None:
    keys = korean.keys
    await power_on(remote, korean)
    await remote.tap(keys.manual)
    await remote.tap(keys.area)  # full -> point
    await remote.wait(20.0)
    focus = korean_chair.board.selection.focus
    spot = (focus - 1) * korean_chair.body.top / 5
    half = korean.mechanics.point_half_span
    since = remote.clock.now()
    await remote.wait(10.0)
    positions = [s.roller_position for s in korean_chair.trace.samples(0.1, since)]
    assert min(positions) >= spot - half - 1e-9
    assert max(positions) <= spot + half + 1e-9
    await remote.tap(keys.position_up)
    await remote.wait(10.0)
    since = remote.clock.now()
    await remote.wait(5.0)
    spot_up = focus * korean_chair.body.top / 5
    positions = [s.roller_position for s in korean_chair.trace.samples(0.1, since)]
    assert min(positions) >= spot_up - half - 1e-9
    assert max(positions) <= spot_up + half + 1e-9
    # The display's blinking position is the one the rollers are at.
    assert {p for s in remote.seen(since) for p in s.positions_low} == {focus + 1}


async def test_an_auto_program_sweeps_its_regions_and_changes_technique(
    remote: Remote, korean_chair: KoreanChair, korean: KoreanModel
) -> None:
    await power_on(remote, korean)
    program = korean.auto_programs[0]
    await remote.tap(program.key)
    since = remote.clock.now()
    await remote.wait(120.0)
    worked = _worked(korean_chair, since, remote.clock.now())
    assert set(worked) == set(program.regions)
    used = {
        a.technique
        for _, _, a in korean_chair.trace.activity.spans(since, remote.clock.now())
        if a is not None
    }
    assert used == set(program.techniques)
    # The display shows no manual technique in an auto program.
    assert not any(s.techniques_low for s in remote.seen(since))


@pytest.mark.parametrize(("presses", "pressure"), [(0, 1.0), (1, 3.0), (2, 5.0)])
async def test_the_air_strength_is_the_pressure_shown(
    remote: Remote, korean_chair: KoreanChair, korean: KoreanModel, presses: int, pressure: float
) -> None:
    await power_on(remote, korean)
    for _ in range(presses):
        await remote.tap(korean.keys.air_strength)
    await remote.tap(korean.keys.air_mode)  # shoulders, arms, calves, feet in turn
    since = remote.clock.now()
    await remote.wait(60.0)
    peaks = {
        zone: max(s.airbags[zone] for s in korean_chair.trace.samples(0.1, since))
        for zone in AirbagZone
    }
    worked = {zone for zone, p in peaks.items() if p > 0}
    assert worked == set(korean.air_modes[0])
    assert max(peaks.values()) == pytest.approx(pressure)
    assert remote.long.air_strength == pressure


async def test_heat_and_the_foot_roller_follow_their_buttons(
    remote: Remote, korean_chair: KoreanChair, korean: KoreanModel
) -> None:
    await power_on(remote, korean)
    await remote.tap(korean.keys.heater)
    await remote.tap(korean.keys.foot_roller)
    state = korean_chair.state()
    assert (state.heat_on, state.foot_roller) == (True, 1)
    assert korean_chair.work_state is WorkState.RUNNING
    await remote.tap(korean.keys.heater)
    assert not korean_chair.state().heat_on


async def test_pause_stops_rollers_airbags_and_foot_roller_and_resume_restarts_them(
    remote: Remote, korean_chair: KoreanChair, korean: KoreanModel
) -> None:
    keys = korean.keys
    await power_on(remote, korean)
    for key in (keys.manual, keys.air_mode, keys.foot_roller):
        await remote.tap(key)
    await remote.wait(10.0)
    await remote.tap(keys.pause)
    await remote.wait(korean.mechanics.airbag_vent_s + korean.mechanics.depth_travel_s)
    state = korean_chair.state()
    assert (state.roller_technique, state.depth, state.foot_roller) == (None, 0.0, 0)
    assert all(p == 0.0 for p in state.airbags.values())
    assert korean_chair.work_state is WorkState.WAITING
    await remote.tap(keys.pause)
    await remote.wait(2.0)
    resumed = korean_chair.state()
    assert resumed.roller_technique is Technique.KNEAD
    assert resumed.work_state is WorkState.RUNNING


async def test_zero_gravity_moves_both_actuators_and_power_brings_them_home(
    remote: Remote, korean_chair: KoreanChair, korean: KoreanModel
) -> None:
    await power_on(remote, korean)
    await remote.tap(korean.keys.zero_gravity)
    await remote.wait(korean.mechanics.backrest_travel_s)
    state = korean_chair.state()
    assert state.backrest > 0
    assert state.leg_rest > 0
    await remote.tap(korean.keys.power)
    await remote.wait(korean.timing.settle_cap_s)
    state = korean_chair.state()
    assert (state.backrest, state.leg_rest) == (0.0, 0.0)
    assert korean_chair.work_state is WorkState.STANDBY


async def _everything_on(remote: Remote, korean: KoreanModel) -> None:
    keys = korean.keys
    await power_on(remote, korean)
    for key in (keys.manual, keys.air_mode, keys.foot_roller, keys.heater):
        await remote.tap(key)
    await remote.tap(keys.back_recline, held=4.0)


def _released(chair: KoreanChair) -> None:
    state = chair.state()
    assert state.roller_technique is None
    assert state.depth == 0.0
    assert all(p == 0.0 for p in state.airbags.values())
    assert (state.heat_on, state.foot_roller) == (False, 0)
    assert (state.backrest, state.leg_rest) == (0.0, 0.0)
    assert state.work_state is WorkState.STANDBY


async def test_the_timer_running_out_releases_the_chair(
    remote: Remote, korean_chair: KoreanChair, korean: KoreanModel
) -> None:
    await _everything_on(remote, korean)
    end = korean_chair.board.session_end
    assert end == pytest.approx(
        next(t for t, s in korean_chair.trace.work_state.changes() if s is WorkState.RUNNING)
        + 60 * korean.timing.default_session_min
    )
    await remote.wait(end - remote.clock.now() + korean.timing.settle_cap_s)
    _released(korean_chair)
    assert remote.long.timer is None


async def test_power_releases_the_chair(
    remote: Remote, korean_chair: KoreanChair, korean: KoreanModel
) -> None:
    await _everything_on(remote, korean)
    await remote.tap(korean.keys.power)
    await remote.wait(korean.timing.settle_cap_s)
    _released(korean_chair)


async def test_a_chair_left_waiting_settles_after_its_idle_time(
    remote: Remote, korean_chair: KoreanChair, korean: KoreanModel
) -> None:
    await power_on(remote, korean)
    await remote.tap(korean.keys.zero_gravity)
    await remote.wait(korean.timing.idle_sleep_s + korean.timing.settle_cap_s)
    _released(korean_chair)
    assert korean_chair.body.backrest.motion(remote.clock.now()) is ActuatorMotion.STOPPED
