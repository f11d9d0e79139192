"""A real ChairSession with the NcniAdapter on the simulated NCNI chair, judged by the chair's
ground truth (its trace) and by what crossed the panel line."""

from __future__ import annotations

import itertools

import pytest

from chairctl.vocabulary import (
    AirbagZone,
    Heater,
    HeatLevel,
    NotConfirmed,
    Posture,
    Region,
    Setpoint,
    Technique,
    WorkState,
)
from drivers.protocols.ncni import NO_KEY, TICK_S
from simulator import DropFrames, Sitter
from simulator.judge import safety_violations
from tests.drivers.ncni_adapter.ncnirig import MODEL, NcniRig, ncni_rig

KEYS = MODEL.keys
BACK = MODEL.manual_modes["back_waist"]
NECK_MODE = MODEL.manual_modes["neck"]
FULL = Setpoint(
    technique=Technique.KNEAD,
    regions=(Region.MID_BACK,),
    intensity=5,
    airbags={AirbagZone.SHOULDERS: 3, AirbagZone.CALVES: 3},
    heat={Heater.LUMBAR: HeatLevel.MEDIUM},
)
NECK = Setpoint(technique=Technique.KNEAD, regions=(Region.NECK,), intensity=2)
HEAT = Setpoint(heat={Heater.LUMBAR: HeatLevel.MEDIUM})
#: Gentle kneading of the lower back: level 1.
WORK = Setpoint(technique=Technique.KNEAD, regions=(Region.LOWER_BACK,), intensity=2)


async def _apply(rig: NcniRig, setpoint: Setpoint, limit: float = 120) -> None:
    await rig.clock.run(rig.session.apply(setpoint), limit=limit)


def _work(rig: NcniRig, start: float, end: float) -> dict[tuple[object, object], float]:
    """Seconds of roller work per (technique, region), idle time left out."""
    return {
        key: seconds
        for key, seconds in rig.chair.trace.roller_occupancy(start, end).items()
        if key[0] is not None
    }


async def test_a_setpoint_runs_the_mode_s_band_at_its_depth_with_its_airbags_and_heat() -> None:
    async with ncni_rig() as rig:
        await _apply(rig, FULL)
        applied = rig.clock.now()
        await rig.clock.advance(60)

        work = _work(rig, applied, applied + 60)
        assert sum(work.values()) > 55
        assert {region for _t, region in work} <= set(BACK.regions)
        assert {technique for technique, _r in work} <= set(BACK.techniques)
        states = list(rig.chair.trace.samples(1.0, applied + 5, applied + 60))
        # Intensity 5 with airbags at 3: level 2, so that the airbags squeeze no harder than
        # asked if the pressure keys set them.
        assert all(state.depth == 2.0 for state in states)
        assert all(state.heat_on for state in states)
        inflated = {zone for state in states for zone, p in state.airbags.items() if p > 0}
        assert inflated == {AirbagZone.SHOULDERS, AirbagZone.CALVES}

        # Power, auto left for the back and waist, the pressure at most 2 before anything
        # starts, the airbags and heat, then level 2 once the status shows the level.
        assert rig.heard_keys() == [
            KEYS.power,
            KEYS.back_waist,
            KEYS.pressure_down,
            KEYS.shoulders_arms,
            KEYS.legs,
            KEYS.heat,
            KEYS.pressure_up,
        ]

        # The same setpoint again: the status confirms it all, nothing is sent.
        before = len(rig.heard)
        await _apply(rig, FULL)
        assert len(rig.heard) == before


async def _rising_through(rig: NcniRig, position: float) -> None:
    """Advance until the rollers pass ``position`` on their way up."""
    before = rig.chair.state().roller_position
    for _ in range(1200):
        await rig.clock.advance(0.05)
        now = rig.chair.state().roller_position
        if before < position <= now:
            return
        before = now
    raise AssertionError(f"the rollers never rose through {position}")


def _top(rig: NcniRig, seconds: float) -> float:
    """The highest the rollers went in the last ``seconds``."""
    now = rig.clock.now()
    return max(s.roller_position for s in rig.chair.trace.samples(0.05, now - seconds, now))


#: A short sitter: the neck band reaches far down the track, so the rollers take longest to
#: get in and out of it.
SHORT = Sitter(shoulder_position=8.0)


async def test_the_neck_is_worked_by_its_own_mode_and_never_deeper_than_its_cap() -> None:
    async with ncni_rig(sitter=SHORT) as rig:
        start = rig.clock.now()
        await _apply(rig, FULL)
        await rig.clock.advance(30)
        # The worst moment to go to the neck: the rollers about to reach the top of the back
        # band, at full depth, as the neck mode starts.
        await _rising_through(rig, _top(rig, 20) - 1.2)
        neck_from = rig.clock.now()
        await _apply(rig, NECK)
        await rig.clock.advance(30)
        # The worst moment to leave it: at the top of the neck band.
        await _rising_through(rig, _top(rig, 20) - 0.05)
        back_from = rig.clock.now()
        await _apply(rig, FULL)
        await rig.clock.advance(40)
        end = rig.clock.now()

        rest = [KEYS.shoulders_arms, KEYS.legs, KEYS.heat]
        # Shallower before the neck mode starts, and the neck on while the back and waist
        # still works, its status showing level 1, then the back and waist off; deeper only
        # once back off the neck.
        assert rig.heard_keys(neck_from) == [
            KEYS.pressure_down,
            KEYS.neck,
            KEYS.back_waist,
            *rest,
            KEYS.neck,
            KEYS.back_waist,
            KEYS.pressure_up,
            *rest,
        ]
        worked = _work(rig, neck_from + 10, back_from)
        assert {region for _t, region in worked} == {Region.NECK}
        # Driven here without the engine, so without its gentle start: only the neck is judged.
        problems = safety_violations(rig.chair.trace, MODEL, session_start=start, session_end=end)
        assert [p for p in problems if "neck" in p] == []


async def test_no_key_is_pressed_twice_when_a_status_burst_is_lost() -> None:
    async with ncni_rig(settle_window_s=1.0) as rig:
        # The statuses after the back-and-waist press are lost for longer than the window.
        rig.chair.listen_keys(
            lambda key: rig.chair.inject(DropFrames(20)) if key == KEYS.back_waist else None
        )

        await _apply(rig, WORK)

        assert rig.heard_keys() == [
            KEYS.power,
            KEYS.back_waist,
            KEYS.pressure_down,
            KEYS.pressure_down,
        ]
        assert rig.chair.state().roller_technique is not None
        assert rig.chair.frames_dropped == 20


async def test_a_key_the_chair_does_not_take_is_reported_not_repeated() -> None:
    # This chair's back-and-waist key is another code: the driver's press means nothing to it.
    deaf = MODEL.model_copy(update={"keys": KEYS.model_copy(update={"back_waist": 0x1A})})
    async with ncni_rig(chair_model=deaf) as rig:
        with pytest.raises(NotConfirmed) as refused:
            await _apply(rig, HEAT)

        assert "back_waist (0x17)" in str(refused.value)
        assert "mode auto" in str(refused.value)
        line = bytes(tick for _at, tick in rig.ticks)
        assert line.count(bytes([KEYS.back_waist] * 3)) == 1
        assert rig.heard_keys() == [KEYS.power]


async def test_stop_switches_the_chair_off_and_it_settles_safe() -> None:
    async with ncni_rig() as rig:
        await _apply(rig, FULL)
        await rig.clock.advance(20)
        stop_from = rig.clock.now()

        await rig.clock.run(rig.session.stop(), limit=30)

        report = rig.session.last_stop
        assert report is not None
        assert report.safe
        assert rig.heard_keys(stop_from) == [KEYS.power]
        # The status shows only "off": the settle it cannot show has been waited out.
        state = rig.chair.state()
        assert state.work_state is WorkState.STANDBY
        assert state.roller_technique is None
        assert state.roller_position == rig.chair.body.park
        assert state.depth == 0.0
        assert not state.heat_on
        assert all(pressure == 0 for pressure in state.airbags.values())


async def test_stop_from_zero_gravity_waits_for_the_chair_to_come_upright() -> None:
    async with ncni_rig() as rig:
        await _apply(rig, FULL.model_copy(update={"posture": Posture.ZERO_G_1}))
        await rig.clock.advance(MODEL.mechanics.backrest_travel_s)

        await rig.clock.run(rig.session.stop(), limit=60)

        state = rig.chair.state()
        assert (state.backrest, state.leg_rest) == (0.0, 0.0)
        assert rig.heard_keys().count(KEYS.zero_gravity) == 1


async def test_rollers_off_stops_the_mode_and_keeps_the_rest() -> None:
    async with ncni_rig() as rig:
        await _apply(rig, FULL)
        off_from = rig.clock.now()

        await _apply(rig, HEAT)
        await rig.clock.advance(5)

        assert rig.heard_keys(off_from) == [KEYS.back_waist, KEYS.shoulders_arms, KEYS.legs]
        state = rig.chair.state()
        assert state.roller_technique is None
        assert state.heat_on
        assert rig.session.status is not None
        assert rig.session.status.program is None


async def test_idle_ticks_fill_the_line_between_presses() -> None:
    async with ncni_rig() as rig:
        await _apply(rig, FULL)
        await rig.clock.advance(5)

        times = [at for at, _tick in rig.ticks]
        gaps = [later - earlier for earlier, later in itertools.pairwise(times)]
        # The line never falls silent for more than a tick (the key gap's margin aside).
        assert max(gaps) <= TICK_S + 0.011
        pressed = {tick for _at, tick in rig.ticks} - {NO_KEY}
        assert pressed == set(rig.heard_keys())
        # A press is its key for three ticks, then three of nothing.
        line = bytes(tick for _at, tick in rig.ticks)
        for key in pressed:
            assert bytes([NO_KEY, key, key, key, NO_KEY, NO_KEY, NO_KEY]) in line


async def test_zero_gravity_is_taken_once_and_left_once() -> None:
    async with ncni_rig() as rig:
        zero_g = FULL.model_copy(update={"posture": Posture.ZERO_G_1})
        await _apply(rig, zero_g)
        await _apply(rig, zero_g)
        await rig.clock.advance(MODEL.mechanics.backrest_travel_s + 5)
        assert rig.chair.state().backrest == rig.chair.options.zero_g_backrest

        await _apply(rig, FULL)
        await rig.clock.advance(MODEL.mechanics.backrest_travel_s + 5)

        assert rig.heard_keys().count(KEYS.zero_gravity) == 2
        assert rig.chair.state().backrest == 0.0


async def test_the_chair_s_timer_is_set_to_cover_the_session() -> None:
    async with ncni_rig() as rig:
        rig.session.expect_session(17 * 60)  # the 20-minute step: one press from 15
        await _apply(rig, FULL)
        # The timer runs from the press that set it.
        (set_at,) = rig.when(KEYS.time)

        await rig.clock.advance(set_at + 19.5 * 60 - rig.clock.now())
        assert rig.chair.state().work_state is WorkState.RUNNING
        await rig.clock.advance(60)
        assert rig.chair.state().work_state is not WorkState.RUNNING

        assert rig.heard_keys().count(KEYS.time) == 1


async def test_the_line_carries_one_byte_per_tick() -> None:
    async with ncni_rig() as rig:
        await _apply(rig, HEAT)

        times = [at for at, _tick in rig.ticks]
        assert min(b - a for a, b in itertools.pairwise(times)) >= TICK_S - 1e-9
