"""A real ChairSession with the KoreanAdapter on the simulated Korean chair, judged by the
chair's ground truth (its trace) and by the codes that crossed the remote's line: every button
a press then its release, each cycle press confirmed before the next, a wrap or a refuted key
never pressed through, the timer set forward only, zero gravity and the safe release."""

from __future__ import annotations

import asyncio

import pytest

from chairctl.vocabulary import (
    AirbagZone,
    Heater,
    HeatLevel,
    Interrupted,
    MassageRange,
    NotConfirmed,
    Posture,
    Region,
    Setpoint,
    Technique,
    Width,
    WorkState,
)
from drivers.protocols.korean import command_frame
from simulator import ChairOptions, DropFrames, Overload
from simulator.korean.firmware import Phase
from tests.drivers.korean_adapter.korig import (
    KEYS,
    MODEL,
    KoreanRig,
    korean_rig,
    with_fields,
    with_keys,
)

WORK = Setpoint(technique=Technique.KNEAD, regions=(Region.LOWER_BACK,), intensity=2)
HEAT = {Heater.LUMBAR: HeatLevel.MEDIUM}


async def _apply(rig: KoreanRig, setpoint: Setpoint, limit: float = 300) -> None:
    await rig.clock.run(rig.session.apply(setpoint), limit=limit)


def _pairs(rig: KoreanRig, since: float = float("-inf")) -> list[tuple[int, int]]:
    """The codes the chair heard, as (press, the code right after it)."""
    codes = rig.codes(since)
    return list(zip(codes[::2], codes[1::2], strict=True))


async def test_every_button_is_its_press_then_its_release_and_the_massage_is_borne_out() -> None:
    async with korean_rig() as rig:
        setpoint = WORK.model_copy(update={"airbags": {AirbagZone.CALVES: 3}, "heat": HEAT})
        await _apply(rig, setpoint)
        applied = rig.clock.now()
        await rig.clock.advance(30)

        releases = {pair.press: pair.release for pair in KEYS.pairs().values()}
        assert all(release == releases[press] for press, release in _pairs(rig))
        # Power, the air mode counted to the calves and feet within the scan, heat, manual.
        assert rig.presses() == [
            KEYS.power.press,
            KEYS.air_mode.press,
            KEYS.air_mode.press,
            KEYS.air_mode.press,
            KEYS.heater.press,
            KEYS.manual.press,
        ]
        state = rig.chair.state()
        assert state.roller_technique is Technique.KNEAD
        assert state.heat_on
        inflated = {
            zone
            for sample in rig.chair.trace.samples(0.25, applied, rig.clock.now())
            for zone, pressure in sample.airbags.items()
            if pressure > 0
        }
        assert inflated == {AirbagZone.CALVES, AirbagZone.FEET}


async def test_the_air_modes_passed_on_the_way_never_inflate_before_the_scan_ends() -> None:
    async with korean_rig() as rig:
        await _apply(rig, Setpoint(airbags={AirbagZone.CALVES: 1}))
        await rig.clock.advance(20)

        # The first two modes (all four zones, then shoulders and arms) were selected for a
        # moment each, within the scan: neither pressed the shoulders or the arms.
        peaks = {
            zone: max(s.airbags[zone] for s in rig.chair.trace.samples(0.1, 0, rig.clock.now()))
            for zone in (AirbagZone.SHOULDERS, AirbagZone.ARMS)
        }
        assert peaks == {AirbagZone.SHOULDERS: 0.0, AirbagZone.ARMS: 0.0}


async def test_a_wrap_the_model_does_not_expect_is_never_pressed_through() -> None:
    # This chair's width steps wide, narrow, medium: from medium the next press wraps to wide
    # (a double beep) where the model file says it goes to narrow.
    chair_model = with_fields(width_cycle=["wide", "narrow", "medium"])
    async with korean_rig(chair_model=chair_model) as rig:
        with pytest.raises(NotConfirmed, match="double-beeped"):
            await _apply(rig, WORK.model_copy(update={"width": Width.NARROW}))

        assert rig.count(KEYS.width.press) == 1


async def test_a_cycle_key_answered_elsewhere_is_not_pressed_again() -> None:
    # This chair's area steps local, point, full; the model file says point, local, full. From
    # local, where the chair starts, the file's next is full, the chair's point (no wrap).
    chair_model = with_fields(area_cycle=["partial", "point", "full"])
    options = ChairOptions(initial_range=MassageRange.PARTIAL)
    async with korean_rig(chair_model=chair_model, options=options) as rig:
        with pytest.raises(NotConfirmed, match="not the next step"):
            await _apply(rig, WORK)

        assert rig.count(KEYS.area.press) == 1
        assert rig.count(KEYS.manual.press) == 0


async def test_a_silent_key_the_status_refutes_is_pressed_once() -> None:
    # The chair hears the driver's width code as nothing: no change, and width never beeps.
    chair_model = with_keys(width=(0x0399, 0x0355))
    async with korean_rig(chair_model=chair_model) as rig:
        with pytest.raises(NotConfirmed, match="width narrow did not take"):
            await _apply(rig, WORK.model_copy(update={"width": Width.NARROW}))

        assert rig.count(KEYS.width.press) == 1


async def test_a_key_unheard_is_pressed_again_once_and_one_answered_never() -> None:
    # Unheard: the chair takes the driver's heat code for nothing (no beep, no change).
    async with korean_rig(chair_model=with_keys(heater=(0x0399, 0x0355))) as rig:
        with pytest.raises(NotConfirmed, match="heat on did not take"):
            await _apply(rig, Setpoint(heat=HEAT))
        assert rig.count(KEYS.heater.press) == 2
    # Answered: the chair takes it for its pause button, which beeps and shows nothing.
    chair_model = with_keys(heater=(0x0398, 0x0355), pause=(KEYS.heater.press, 0x0355))
    async with korean_rig(chair_model=chair_model) as rig:
        with pytest.raises(NotConfirmed, match=r"beeped .* it is not pressed again"):
            await _apply(rig, Setpoint(heat=HEAT))
        assert rig.count(KEYS.heater.press) == 1


async def test_lost_status_frames_after_a_toggle_cause_no_second_press() -> None:
    async with korean_rig() as rig:
        await _apply(rig, WORK)
        before = len(rig.heard)
        # Two seconds of statuses go missing from the moment the chair hears the next code.
        dropped: list[int] = []

        def drop(code: int) -> None:
            if not dropped:
                dropped.append(code)
                rig.chair.inject(DropFrames(4))

        rig.chair.listen_keys(drop)

        await _apply(rig, WORK.model_copy(update={"heat": HEAT, "foot_rollers": 1}))
        await rig.clock.advance(5)

        presses = [c for _t, c in rig.heard[before:] if c not in MODEL.releases]
        assert sorted(presses) == sorted([KEYS.heater.press, KEYS.foot_roller.press])
        assert rig.chair.state().heat_on


async def test_an_apply_cut_short_after_a_toggle_does_not_press_it_twice() -> None:
    async with korean_rig() as rig:
        await _apply(rig, WORK)
        heard = asyncio.Event()
        rig.chair.listen_keys(lambda code: heard.set() if code == KEYS.heater.press else None)
        first = asyncio.ensure_future(rig.session.apply(WORK.model_copy(update={"heat": HEAT})))
        await rig.clock.run(heard.wait())

        # A newer setpoint supersedes the apply before any status shows the heat on.
        await _apply(rig, WORK.model_copy(update={"heat": HEAT, "speed": 3}))
        with pytest.raises(Interrupted):
            await first

        assert rig.count(KEYS.heater.press) == 1
        assert rig.chair.state().heat_on


async def test_a_press_cut_short_still_gets_its_release() -> None:
    async with korean_rig() as rig:
        pressed = asyncio.Event()
        rig.chair.listen_keys(lambda code: pressed.set() if code == KEYS.power.press else None)
        applying = asyncio.ensure_future(rig.session.apply(WORK))
        await rig.clock.run(pressed.wait())

        await rig.clock.run(rig.session.stop())
        with pytest.raises(Interrupted):
            await applying

        codes = rig.codes()
        assert codes[:2] == [KEYS.power.press, KEYS.power.release]
        assert rig.session.keys.held == {}
        # The power press that was cut short switched the chair on: the stop saw it do so
        # (not the "off" of the statuses before it) and switched it off again.
        assert rig.session.last_stop is not None
        assert rig.session.last_stop.safe
        await rig.clock.advance(MODEL.mechanics.body_scan_s + 30)
        assert rig.chair.state().work_state is WorkState.STANDBY
        assert rig.chair.state().roller_technique is None


async def test_the_timer_covers_the_session_and_is_set_forward_only() -> None:
    async with korean_rig() as rig:
        rig.session.expect_session(20 * 60)
        await _apply(rig, WORK)
        # 20 minutes and a minute's slack: 25, two presses up from the 15 power-on shows.
        assert rig.count(KEYS.timer.press) == 2
        assert rig.chair.board.minutes == 25
    async with korean_rig() as rig:
        rig.session.expect_session(4 * 60)
        await _apply(rig, WORK)
        # 5 lies past the wrap: 15 is left, which ends nothing early.
        assert rig.count(KEYS.timer.press) == 0
        assert rig.chair.board.minutes == 15


async def test_zero_gravity_is_pressed_once_each_way_and_its_move_waited_out() -> None:
    async with korean_rig() as rig:
        await _apply(rig, WORK.model_copy(update={"posture": Posture.ZERO_G_1}))
        state = rig.chair.state()
        assert state.backrest > 0
        assert state.leg_rest > 0
        assert rig.chair.state() == state  # the move was over when the apply returned

        await _apply(rig, WORK)
        assert rig.count(KEYS.zero_gravity.press) == 2
        assert rig.chair.state().backrest == 0.0


async def test_stop_switches_the_chair_off_and_waits_for_the_settle() -> None:
    async with korean_rig() as rig:
        await _apply(rig, WORK.model_copy(update={"airbags": {AirbagZone.CALVES: 1}}))
        await rig.clock.advance(10)
        stopped = rig.clock.now()

        await rig.clock.run(rig.session.stop())

        assert rig.presses(stopped) == [KEYS.power.press]
        assert rig.session.last_stop is not None
        assert rig.session.last_stop.safe
        state = rig.chair.state()
        assert state.work_state is WorkState.STANDBY
        assert state.roller_technique is None
        assert all(pressure == 0.0 for pressure in state.airbags.values())


async def test_stop_never_presses_power_on_a_display_seen_gone_dark() -> None:
    async with korean_rig() as rig:
        # Heat and zero gravity: nothing works on the body (a dark display is no fault), and
        # the settle (the backrest and leg rest home) takes a while.
        await _apply(rig, Setpoint(heat=HEAT, posture=Posture.ZERO_G_1))
        # The chair's own remote switches it off: it settles, its display dark.
        rig.chair.receive(command_frame(KEYS.power.press) + command_frame(KEYS.power.release))
        await rig.clock.advance(1.5)
        assert rig.chair.board.phase is Phase.SETTLING
        stopped = rig.clock.now()

        await rig.clock.run(rig.session.stop())

        # A press now would have switched the settling chair on again.
        assert rig.presses(stopped) == []
        assert rig.chair.state().work_state is WorkState.STANDBY


async def test_a_stop_racing_the_chair_s_own_power_off_ends_with_it_off() -> None:
    async with korean_rig() as rig:
        await _apply(rig, WORK)
        # Switched off on its remote a moment before the stop: no status shows it yet, so the
        # stop's power press switches it on again, and the second press switches it off.
        rig.chair.receive(command_frame(KEYS.power.press) + command_frame(KEYS.power.release))
        await rig.clock.advance(0.1)
        stopped = rig.clock.now()

        await rig.clock.run(rig.session.stop())

        assert rig.presses(stopped) == [KEYS.power.press, KEYS.power.press]
        assert rig.session.last_stop is not None
        assert rig.session.last_stop.safe
        assert rig.chair.state().work_state is WorkState.STANDBY


async def test_a_chair_that_protected_itself_latches_a_fault_and_gets_no_power_press() -> None:
    async with korean_rig() as rig:
        await _apply(rig, WORK)
        rig.chair.inject(Overload())
        await rig.clock.advance(1.5)
        assert rig.session.fault is not None
        faulted = rig.clock.now()

        await rig.clock.run(rig.session.stop())

        assert rig.presses(faulted) == []
        assert rig.session.last_stop is not None
        assert rig.session.last_stop.safe
        assert rig.chair.board.phase is Phase.PROTECTED


async def test_restarts_are_told_before_the_air_is_lowered_through_a_restart() -> None:
    async with korean_rig() as rig:
        strong = WORK.model_copy(update={"airbags": {AirbagZone.CALVES: 5}})
        await _apply(rig, strong)
        # Past the airbags' gentle start, the engine's ramp brings them up to 5.
        await rig.clock.advance(120)
        await _apply(rig, strong)
        assert rig.chair.board.selection.air_strength == 3  # shown 5
        gentle = WORK.model_copy(update={"airbags": {AirbagZone.CALVES: 1}})

        assert rig.session.restarts_for(gentle)
        lowered = rig.clock.now()
        await _apply(rig, gentle)

        # Switched off and on again: never through the strength cycle's wrap.
        assert rig.count(KEYS.air_strength.press, lowered) == 0
        assert rig.count(KEYS.power.press, lowered) == 2
        assert rig.chair.board.selection.air_strength == 1
