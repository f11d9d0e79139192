"""The simulated firmware's states: power, body scan, waiting, running, settle, sleep, timer."""

from __future__ import annotations

import pytest

from chairctl.clock import VirtualClock
from chairctl.vocabulary import ActuatorMotion, Region, Technique, Width, WorkState
from drivers.models.rongtai import RongtaiModel
from simulator.config import Sitter
from simulator.rongtai.chair import RongtaiChair
from tests.simulator.simhelpers import Controller, power_up, rongtai_chair, start_knead


async def test_standby_power_scan_waiting_running(
    chair: RongtaiChair, ctl: Controller, model: RongtaiModel
) -> None:
    await ctl.wait(1.0)
    assert (ctl.status.work_state, ctl.status.powered) == (0, False)
    assert chair.state().work_state is WorkState.STANDBY

    powered_at = ctl.clock.now()
    await ctl.press(model.keys.power)
    scan = ctl.statuses(since=powered_at)
    assert scan[0].work_state == 1
    assert scan[0].powered
    assert scan[0].scan_running

    # The scan ends after the model's body_scan_s. As in real frames, b9 is 0x40 all through
    # it and 0 after: where it found the shoulder line is never reported.
    await ctl.wait(model.mechanics.body_scan_s - 0.5)
    assert {s.body()[8] for s in ctl.statuses(since=powered_at)} == {0x40}
    assert ctl.status.work_state == 1
    await ctl.wait(0.5)
    assert ctl.status.work_state == 2
    assert ctl.status.body()[8] == 0
    # The scan found the sitter's shoulder line (the model's average sitter: position 10).
    assert chair.board.shoulder == model.mechanics.default_shoulder_position

    # During the scan the carriage travelled the shoulder window and stopped on the shoulder.
    during = [
        s.roller_position
        for s in chair.trace.samples(0.05, powered_at, powered_at + model.mechanics.body_scan_s)
    ]
    assert max(during) == pytest.approx(model.mechanics.roller_positions - 1, abs=0.03)
    assert min(during) < model.mechanics.default_shoulder_position - 1
    assert during[-1] == pytest.approx(model.mechanics.default_shoulder_position)
    assert all(s.roller_technique is None for s in chair.trace.samples(1.0, end=ctl.clock.now()))

    knead = model.keys.techniques[Technique.KNEAD]
    started = ctl.clock.now()
    await ctl.press(knead.key)
    await ctl.wait(5.0)
    status = ctl.status
    assert (status.work_state, status.technique, status.program) == (3, knead.status_code, 7)
    assert status.massage_range == 1  # full, the power-up default
    state = chair.state()
    assert state.work_state is WorkState.RUNNING
    assert state.roller_technique is Technique.KNEAD
    assert state.depth == pytest.approx(3.0)  # the power-up strength
    await ctl.wait(40.0)
    # Full range sweeps the whole back: from the seat line up to the shoulder line.
    positions = [s.roller_position for s in chair.trace.samples(0.1, started + 10, started + 40)]
    assert min(positions) == pytest.approx(model.mechanics.seat_line_position, abs=0.1)
    assert max(positions) == pytest.approx(model.mechanics.default_shoulder_position, abs=0.1)
    occupancy = chair.trace.roller_occupancy(started + 10, started + 40)
    worked = {region for (technique, region), _ in occupancy.items() if technique}
    assert {Region.LOWER_BACK, Region.MID_BACK, Region.UPPER_BACK} <= worked
    assert Region.NECK not in worked


async def test_work_states_are_recorded_on_change(
    chair: RongtaiChair, ctl: Controller, model: RongtaiModel
) -> None:
    await ctl.wait(1.0)
    await start_knead(ctl, model)
    states = [state for _, state in chair.trace.work_state.changes()]
    assert states == [WorkState.STANDBY, WorkState.RESETTING, WorkState.WAITING, WorkState.RUNNING]


async def test_techniques_are_ignored_while_idle(
    chair: RongtaiChair, ctl: Controller, model: RongtaiModel
) -> None:
    knead = model.keys.techniques[Technique.KNEAD].key
    await ctl.press(knead)
    await ctl.wait(1.0)
    assert (ctl.status.work_state, ctl.status.technique) == (0, 0)
    assert chair.board.stats.ignored == 1
    # Also while the chair scans: the app sends nothing then, and the firmware listens to nothing.
    await ctl.press(model.keys.power)
    await ctl.press(knead)
    assert ctl.status.work_state == 1
    assert ctl.status.technique == 0
    assert chair.board.stats.ignored == 2
    assert chair.state().roller_technique is None


async def test_waiting_sixty_seconds_without_a_key_sleeps(
    chair: RongtaiChair, ctl: Controller, model: RongtaiModel
) -> None:
    await power_up(ctl, model)
    waiting_since = chair.trace.work_state.since
    idle = model.timing.idle_sleep_s
    await ctl.clock.advance_to(waiting_since + idle - 0.1)
    assert ctl.status.work_state == 2
    await ctl.clock.advance_to(waiting_since + idle + 0.2)
    assert ctl.status.work_state == 1  # returning home first
    await ctl.wait(10.0)
    assert ctl.status.work_state == 0
    assert chair.state().roller_position == pytest.approx(chair.body.park)


async def test_a_key_while_waiting_restarts_the_idle_countdown(
    chair: RongtaiChair, ctl: Controller, model: RongtaiModel
) -> None:
    await power_up(ctl, model)
    waiting_since = chair.trace.work_state.since
    await ctl.wait(40.0)
    await ctl.press(model.keys.widths[Width.WIDE])  # a setting, not a mode: still waiting
    await ctl.clock.advance_to(waiting_since + 90.0)
    assert ctl.status.work_state == 2
    assert ctl.status.width == 3
    await ctl.wait(11.0)
    assert ctl.status.work_state != 2


async def test_power_while_running_settles_home(
    chair: RongtaiChair, ctl: Controller, model: RongtaiModel
) -> None:
    await start_knead(ctl, model)
    await ctl.press(model.keys.heat_toggle or 0)
    # Recline the backrest all the way: its return is the longest part of the way home.
    backrest = model.keys.backrest
    assert backrest is not None
    await ctl.press(backrest.down_start)
    await ctl.wait(model.mechanics.backrest_travel_s)
    await ctl.press(backrest.down_stop)
    assert chair.state().backrest == pytest.approx(1.0)

    settle_from = ctl.clock.now()
    await ctl.press(model.keys.power, pace=0.0)
    await ctl.wait(0.3)
    assert ctl.status.work_state == 1
    assert ctl.status.technique == 0
    assert ctl.status.heat_on is False
    assert ctl.status.backrest_motion == 1  # driven up, toward upright
    await ctl.clock.advance_to(settle_from + model.mechanics.backrest_travel_s - 0.3)
    assert ctl.status.work_state == 1
    await ctl.clock.advance_to(settle_from + model.mechanics.backrest_travel_s + 0.3)
    assert ctl.status.work_state == 0
    home = chair.state()
    assert home.roller_position == pytest.approx(chair.body.park)
    assert (home.depth, home.backrest, home.roller_technique) == (0.0, 0.0, None)
    assert all(p == 0.0 for p in home.airbags.values())
    assert home.heat_on is False
    settle = [(t, s) for t, s in chair.trace.work_state.changes() if t >= settle_from]
    assert [s for _, s in settle] == [WorkState.RESETTING, WorkState.STANDBY]
    assert settle[1][0] - settle[0][0] == pytest.approx(model.mechanics.backrest_travel_s)


async def test_settle_is_cut_at_its_cap(clock: VirtualClock, model: RongtaiModel) -> None:
    quick = model.model_copy(
        update={"timing": model.timing.model_copy(update={"settle_cap_s": 5.0})}
    )
    chair = rongtai_chair(quick, clock)
    ctl = Controller(chair, clock)
    await start_knead(ctl, quick)
    backrest = quick.keys.backrest
    assert backrest is not None
    await ctl.press(backrest.down_start)
    await ctl.wait(10.0)
    await ctl.press(backrest.down_stop)
    reclined = chair.state().backrest
    pressed = ctl.clock.now()
    await ctl.press(quick.keys.power, pace=0.0)
    await ctl.clock.advance_to(pressed + 4.9)
    assert ctl.status.work_state == 1
    await ctl.clock.advance_to(pressed + 5.1)
    assert ctl.status.work_state == 0
    # Cut short: the backrest stopped where it was, part of the way home, and stays there.
    stopped = chair.state().backrest
    assert 0.0 < stopped < reclined
    await ctl.wait(30.0)
    assert chair.state().backrest == stopped
    assert ctl.status.backrest_motion == 0


async def test_the_default_settle_cap_is_the_models(
    chair: RongtaiChair, model: RongtaiModel
) -> None:
    assert model.timing.settle_cap_s == 120.0
    assert chair.board.model.timing.settle_cap_s == 120.0


async def test_the_session_timer_counts_down_and_ends_in_settle(
    chair: RongtaiChair, ctl: Controller, model: RongtaiModel
) -> None:
    assert chair.board.remaining(0.0) == 60 * model.timing.default_session_min
    await start_knead(ctl, model)
    started = chair.trace.work_state.since
    await ctl.wait(100.0)
    remaining = ctl.status.timer
    assert remaining == pytest.approx(60 * model.timing.default_session_min - 100, abs=1)
    await ctl.press(model.keys.session_presets[10])
    preset_at = ctl.clock.now() - 0.2
    assert ctl.status.preset_code == 1
    assert ctl.status.timer == pytest.approx(600, abs=1)
    await ctl.clock.advance_to(preset_at + 599.0)
    assert ctl.status.work_state == 3
    await ctl.clock.advance_to(preset_at + 600.5)
    assert ctl.status.work_state == 1
    assert chair.state().roller_technique is None
    await ctl.wait(30.0)
    assert ctl.status.work_state == 0
    # Back in standby the timer shows the default session again.
    assert ctl.status.timer == 60 * model.timing.default_session_min
    assert started < preset_at


async def test_a_session_lasts_the_default_twenty_minutes(
    chair: RongtaiChair, ctl: Controller, model: RongtaiModel
) -> None:
    await start_knead(ctl, model)
    started = chair.trace.work_state.since
    await ctl.wait(60 * model.timing.default_session_min + 1)
    ends = [t for t, s in chair.trace.work_state.changes() if s is WorkState.RESETTING]
    assert ends[-1] == pytest.approx(started + 60 * model.timing.default_session_min)


async def test_power_during_the_scan_goes_home(
    chair: RongtaiChair, ctl: Controller, model: RongtaiModel
) -> None:
    await ctl.press(model.keys.power)
    await ctl.wait(5.0)
    await ctl.press(model.keys.power)
    await ctl.wait(20.0)
    assert ctl.status.work_state == 0
    assert chair.state().roller_position == pytest.approx(chair.body.park)


async def test_a_tall_sitter_is_found_where_they_are(
    clock: VirtualClock, model: RongtaiModel
) -> None:
    chair = rongtai_chair(model, clock, sitter=Sitter(shoulder_position=11.5))
    ctl = Controller(chair, clock)
    await power_up(ctl, model)
    assert ctl.status.body()[8] == 0  # the chair keeps what it found to itself
    assert chair.board.shoulder == 11.5
    await ctl.press(model.keys.techniques[Technique.KNEAD].key)
    await ctl.wait(40.0)
    top = max(s.roller_position for s in chair.trace.samples(0.1, ctl.clock.now() - 25))
    assert top == pytest.approx(11.5, abs=0.1)


async def test_power_off_in_standby_stays_off_after_sleep(
    chair: RongtaiChair, ctl: Controller, model: RongtaiModel
) -> None:
    await power_up(ctl, model)
    await ctl.press(model.keys.power)
    await ctl.wait(5.0)
    assert ctl.status.work_state == 0
    assert chair.state().backrest == 0.0
    assert chair.body.backrest.motion(ctl.clock.now()) is ActuatorMotion.STOPPED
