"""The simulated Korean chair's buttons: press and release codes, the beeps, what each cycle
steps through and how it wraps, the timer, the auto programs' 15 minutes, and the line that
carries them (``spec/chair.yml`` commands and acks, ``docs/decoding.md``)."""

from __future__ import annotations

import pytest

from chairctl.vocabulary import ActuatorMotion, WorkState
from drivers.models.korean import KoreanModel
from simulator.korean.chair import KoreanChair
from tests.simulator.korean_chair.koreanhelpers import PACE, Remote, power_on


async def test_power_beeps_scans_and_lights_the_display_at_the_default_timer(
    remote: Remote, korean_chair: KoreanChair, korean: KoreanModel
) -> None:
    await remote.wait(1.0)
    assert remote.long.timer is None  # dark while off
    await remote.tap(korean.keys.power)
    assert remote.acks() == ["1103"]
    assert korean_chair.work_state is WorkState.RESETTING
    assert remote.long.timer == korean.timing.default_session_min
    await remote.wait(korean.mechanics.body_scan_s)
    assert korean_chair.work_state is WorkState.WAITING
    await remote.tap(korean.keys.power)
    assert remote.acks() == ["1103", "1103"]
    assert remote.long.timer is None
    # Nothing was away from home: the settle is over at once.
    assert korean_chair.work_state is WorkState.STANDBY


async def test_buttons_other_than_power_do_nothing_while_off_and_do_not_beep(
    remote: Remote, korean_chair: KoreanChair, korean: KoreanModel
) -> None:
    keys = korean.keys
    for key in (keys.heater, keys.manual, keys.timer, keys.back_recline):
        await remote.tap(key, held=1.0)
    assert remote.acks() == []
    assert korean_chair.board.stats.ignored == 4
    state = korean_chair.state()
    assert (state.heat_on, state.roller_technique, state.backrest) == (False, None, 0.0)


async def test_the_timer_steps_by_five_minutes_and_wraps_from_30_to_5_with_a_double_beep(
    remote: Remote, korean: KoreanModel
) -> None:
    await power_on(remote, korean)
    shown = []
    for _ in range(6):
        since = remote.clock.now()
        await remote.tap(korean.keys.timer)
        shown.append((remote.long.timer, remote.acks(since)))
    assert shown == [
        (20, ["1103"]),
        (25, ["1103"]),
        (30, ["1103"]),
        (5, ["1104"]),
        (10, ["1103"]),
        (15, ["1103"]),
    ]


async def test_the_timer_counts_down_in_whole_minutes_and_steps_from_what_it_shows(
    remote: Remote, korean_chair: KoreanChair, korean: KoreanModel
) -> None:
    await power_on(remote, korean)
    await remote.tap(korean.keys.manual)
    started = korean_chair.board.session_end - 15 * 60
    assert remote.long.timer == 15
    await remote.wait(started + 60.5 - remote.clock.now())
    assert remote.long.timer == 14  # 13.99 minutes left, rounded up
    pressed = remote.clock.now()
    await remote.tap(korean.keys.timer)
    assert remote.long.timer == 15
    assert korean_chair.board.session_end == pytest.approx(pressed + 15 * 60)


@pytest.mark.parametrize("program", range(6))
async def test_an_auto_program_starts_the_timer_at_15_minutes(
    remote: Remote, korean_chair: KoreanChair, korean: KoreanModel, program: int
) -> None:
    await power_on(remote, korean)
    for _ in range(3):
        await remote.tap(korean.keys.timer)
    assert remote.long.timer == 30
    chosen = korean.auto_programs[program]
    since = remote.clock.now()
    await remote.tap(chosen.key)
    assert remote.acks(since) == ["1103"]
    assert remote.long.timer == 15
    assert korean_chair.work_state is WorkState.RUNNING
    short = remote.short
    assert not short.manual
    # A6 (digestion) sets no indicator bit; the others theirs.
    assert short.programs == ({chosen.display} if chosen.display < 6 else set())
    await remote.wait(61.0)
    assert remote.long.timer == 14


async def test_an_auto_program_pressed_again_restarts_its_15_minutes(
    remote: Remote, korean_chair: KoreanChair, korean: KoreanModel
) -> None:
    await power_on(remote, korean)
    program = korean.auto_programs[0].key
    await remote.tap(program)
    await remote.wait(150.0)
    assert remote.long.timer == 13
    await remote.tap(program)
    assert remote.long.timer == 15


async def test_the_speed_button_works_in_manual_mode_only(
    remote: Remote, korean: KoreanModel
) -> None:
    keys = korean.keys
    await power_on(remote, korean)
    since = remote.clock.now()
    await remote.tap(keys.speed)
    assert remote.acks(since) == []
    assert remote.long.speed == 3
    await remote.tap(keys.manual)
    answers = []
    for _ in range(3):
        since = remote.clock.now()
        await remote.tap(keys.speed)
        answers.append((remote.long.speed, remote.acks(since)))
    assert answers == [(5, ["1103"]), (1, ["1104"]), (3, ["1103"])]


@pytest.mark.parametrize(
    ("button", "field", "steps"),
    [
        ("air_strength", "air_strength", [(3, []), (5, []), (1, ["1104"])]),
        ("width", "width", [("narrow", []), ("wide", ["1104"]), ("medium", [])]),
    ],
)
async def test_the_silent_cycles_beep_only_when_they_wrap(
    remote: Remote, korean: KoreanModel, button: str, field: str, steps: list[object]
) -> None:
    await power_on(remote, korean)
    seen = []
    for _ in steps:
        since = remote.clock.now()
        await remote.tap(getattr(korean.keys, button))
        seen.append((getattr(remote.long, field), remote.acks(since)))
    assert seen == steps


async def test_the_area_cycles_point_local_full_and_double_beeps_at_the_wrap(
    remote: Remote, korean: KoreanModel
) -> None:
    await power_on(remote, korean)
    assert remote.short.area == "full"
    seen = []
    for _ in range(3):
        since = remote.clock.now()
        await remote.tap(korean.keys.area)
        seen.append((remote.short.area, remote.acks(since)))
    assert seen == [("point", ["1104"]), ("local", ["1103"]), ("full", ["1103"])]


async def test_the_air_button_cycles_its_modes_and_back_to_off(
    remote: Remote, korean_chair: KoreanChair, korean: KoreanModel
) -> None:
    await power_on(remote, korean)
    seen = []
    for _ in range(len(korean.air_modes) + 1):
        since = remote.clock.now()
        await remote.tap(korean.keys.air_mode)
        seen.append((remote.long.air, korean_chair.board.selection.air, remote.acks(since)))
    assert seen == [
        (True, 1, ["1103"]),
        (True, 2, ["1103"]),
        (True, 3, ["1103"]),
        (False, 0, ["1104"]),
    ]


async def test_the_manual_button_steps_through_the_six_techniques_and_wraps(
    remote: Remote, korean_chair: KoreanChair, korean: KoreanModel
) -> None:
    await power_on(remote, korean)
    assert not remote.short.manual
    seen = []
    for _ in range(len(korean.manual_techniques) + 1):
        since = remote.clock.now()
        await remote.tap(korean.keys.manual)
        await remote.wait(1.0)
        low = {n for s in remote.seen(since) for n in s.techniques_low}
        seen.append((low, korean_chair.state().roller_technique, remote.acks(since)))
    techniques = [m.technique for m in korean.manual_techniques]
    expected = [({n}, techniques[n - 1], ["1103"]) for n in range(1, 7)]
    expected.append(({1}, techniques[0], ["1104"]))
    assert seen == expected
    assert remote.short.manual


async def test_position_up_and_down_answer_1100_after_their_release_and_reset_does_not(
    remote: Remote, korean: KoreanModel
) -> None:
    keys = korean.keys
    await power_on(remote, korean)
    for key, answers in (
        (keys.position_up, ["1103", "1100"]),
        (keys.position_down, ["1103", "1100"]),
        (keys.position_reset, ["1103"]),
    ):
        pressed = remote.clock.now()
        remote.send(key.press)
        await remote.wait(PACE)
        assert remote.acks(pressed) == ["1103"]
        remote.send(key.release)
        await remote.wait(PACE)
        assert remote.acks(pressed) == answers


async def test_heat_pause_foot_roller_and_zero_gravity_beep_once(
    remote: Remote, korean: KoreanModel
) -> None:
    keys = korean.keys
    await power_on(remote, korean)
    since = remote.clock.now()
    for key in (keys.heater, keys.pause, keys.foot_roller, keys.zero_gravity):
        await remote.tap(key)
    assert remote.acks(since) == ["1103"] * 4
    assert (remote.long.heater, remote.long.foot_roller) == (True, True)


async def test_a_hold_button_moves_while_down_and_stops_at_its_release(
    remote: Remote, korean_chair: KoreanChair, korean: KoreanModel
) -> None:
    await power_on(remote, korean)
    body = korean_chair.body
    await remote.tap(korean.keys.back_recline, held=5.0)
    released = remote.clock.now() - PACE
    travel = korean.mechanics.backrest_travel_s
    assert korean_chair.state().backrest == pytest.approx((5.0) / travel, abs=1e-6)
    assert body.backrest.motion(released) is ActuatorMotion.STOPPED
    await remote.wait(10.0)
    assert korean_chair.state().backrest == pytest.approx(5.0 / travel, abs=1e-6)
    # Raising it brings it back; the leg rest goes up and down the same way.
    await remote.tap(korean.keys.back_raise, held=2.0)
    assert korean_chair.state().backrest == pytest.approx(3.0 / travel, abs=1e-6)
    await remote.tap(korean.keys.leg_raise, held=3.0)
    legs = korean.mechanics.leg_rest_travel_s
    assert korean_chair.state().leg_rest == pytest.approx(3.0 / legs, abs=1e-6)
    await remote.tap(korean.keys.leg_lower, held=1.0)
    assert korean_chair.state().leg_rest == pytest.approx(2.0 / legs, abs=1e-6)


async def test_a_hold_whose_release_never_comes_runs_to_the_end_of_travel(
    remote: Remote, korean_chair: KoreanChair, korean: KoreanModel
) -> None:
    await power_on(remote, korean)
    remote.send(korean.keys.back_recline.press)
    await remote.wait(korean.mechanics.backrest_travel_s + 5.0)
    assert korean_chair.state().backrest == 1.0
    assert not remote.long.moving
    assert korean_chair.work_state is WorkState.WAITING


async def test_another_press_ends_a_hold_whose_release_was_lost(
    remote: Remote, korean_chair: KoreanChair, korean: KoreanModel
) -> None:
    await power_on(remote, korean)
    remote.send(korean.keys.back_recline.press)
    await remote.wait(4.0)
    await remote.tap(korean.keys.heater)
    await remote.wait(5.0)
    travel = korean.mechanics.backrest_travel_s
    assert korean_chair.state().backrest == pytest.approx(4.0 / travel, abs=1e-6)


async def test_codes_are_heard_as_they_arrive_and_the_line_survives_garbage(
    remote: Remote, korean_chair: KoreanChair, korean: KoreanModel
) -> None:
    heard: list[int] = []
    korean_chair.listen_keys(heard.append)
    power = korean.keys.power
    # Noise, a lower-case frame, an overlong frame, a frame cut by a new '~', a stray release,
    # an unknown code; then power, in pieces.
    remote.link.write(b"\x00zz~0g03\r~" + b"0" * 40 + b"\r~03~0355\r~0999\r")
    remote.link.write(b"~03")
    remote.link.write(b"03\r~0355\r")
    await remote.wait(PACE)
    assert heard == [0x0355, 0x0999, power.press, power.release]
    stats = korean_chair.line.stats
    assert (stats.malformed, stats.overlong, stats.codes) == (1, 1, 4)
    board = korean_chair.board.stats
    assert (board.stray_releases, board.unknown, board.accepted) == (1, 1, 1)
    assert korean_chair.work_state is WorkState.RESETTING
