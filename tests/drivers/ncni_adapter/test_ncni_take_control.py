"""Taking control of an NCNI chair that is already working, on the simulated chair.

Power starts auto profile A (the upstream project's bench notes and state code,
``Vijtus/NCNI_Massage_Chair_Control``: pressure 2, the shoulder, forearm and leg airbags, the
foot rollers, 15 minutes; every profile works the neck and the back). The driver's first
presses take control of it, and the chair's ground truth, judged from the power press on,
shows nothing the setpoint does not ask: no airbag, no foot roller, no roller deeper than asked,
nothing at the neck. A chair found switched on is switched off and started afresh. What the
status cannot show (airbags, heat) is followed by what was pressed, and the second of blank
mode bytes after a posture key is not taken for a mode switched off. The neck mode rests on the
pressure the chair showed, never on a blind press, also on a chair that heeds the pressure keys
only while an airbag zone is on.
"""

from __future__ import annotations

import pytest

from chairctl.clock import TimerHandle
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
from drivers.models.ncni import NcniModel
from simulator import SimulatedChair, Sitter
from simulator.judge import safety_violations
from simulator.ncni.chair import NcniChair
from tests.drivers.ncni_adapter.ncnirig import MODEL, NcniRig, ncni_rig

KEYS = MODEL.keys
#: Gentle kneading of the lower back: level 1.
WORK = Setpoint(technique=Technique.KNEAD, regions=(Region.LOWER_BACK,), intensity=2)
NECK = Setpoint(technique=Technique.KNEAD, regions=(Region.NECK,), intensity=2)
HEAT = Setpoint(heat={Heater.LUMBAR: HeatLevel.MEDIUM})
SHORTEST = Sitter(shoulder_position=8.0)
TALLEST = Sitter(shoulder_position=12.0)


async def _apply(rig: NcniRig, setpoint: Setpoint, limit: float = 180) -> None:
    await rig.clock.run(rig.session.apply(setpoint), limit=limit)


def _pressed(chair: SimulatedChair, start: float, end: float) -> set[AirbagZone]:
    return {
        zone
        for s in chair.trace.samples(0.1, start, end)
        for zone, p in s.airbags.items()
        if p > 0.0
    }


def _regions(chair: SimulatedChair, start: float, end: float) -> set[Region]:
    return {
        region
        for (technique, region) in chair.trace.roller_occupancy(start, end)
        if technique is not None and region is not None
    }


@pytest.mark.parametrize("sitter", [SHORTEST, TALLEST], ids=["shortest", "tallest"])
async def test_after_power_the_driver_takes_control_before_profile_a_starts(
    sitter: Sitter,
) -> None:
    async with ncni_rig(sitter=sitter) as rig:
        start = rig.clock.now()
        await _apply(rig, WORK)
        applied = rig.clock.now()
        await rig.clock.advance(60)
        end = rig.clock.now()

        # Auto left for the back and waist (the neck stays out of it), and the pressure
        # brought down blind to 1 while the status cannot show it: every press within the
        # body scan, before the profile's work would begin.
        assert rig.heard_keys() == [
            KEYS.power,
            KEYS.back_waist,
            KEYS.pressure_down,
            KEYS.pressure_down,
        ]
        (powered,) = rig.when(KEYS.power)
        assert rig.heard[-1][0] < powered + MODEL.mechanics.body_scan_s
        # What the chair did, from the power press on: the back at level 1, and nothing else.
        assert _regions(rig.chair, start, end) <= set(MODEL.manual_modes["back_waist"].regions)
        assert all(s.depth <= 1.0 for s in rig.chair.trace.samples(0.1, start, end))
        assert _pressed(rig.chair, start, end) == set()
        assert all(s.foot_roller == 0 for s in rig.chair.trace.samples(0.1, start, end))
        assert not any(s.heat_on for s in rig.chair.trace.samples(0.1, start, end))
        problems = safety_violations(rig.chair.trace, MODEL, session_start=start, session_end=end)
        assert [p for p in problems if "settle cap" not in p] == []
        # The rollers worked by the time the apply returned.
        assert rig.chair.trace.activity.at(applied) is not None


async def test_a_neck_setpoint_after_power_never_takes_the_neck_above_level_1() -> None:
    async with ncni_rig(sitter=SHORTEST) as rig:
        start = rig.clock.now()
        await _apply(rig, NECK)
        await rig.clock.advance(60)
        end = rig.clock.now()

        # Never the neck key from auto: the back and waist leaves it, the pressure comes
        # down, and only once the back and waist works, its status showing level 1, does it
        # give way to the neck.
        assert rig.heard_keys() == [
            KEYS.power,
            KEYS.back_waist,
            KEYS.pressure_down,
            KEYS.pressure_down,
            KEYS.neck,
            KEYS.back_waist,
        ]
        assert all(s.depth <= 1.0 for s in rig.chair.trace.samples(0.1, start, end))
        assert _pressed(rig.chair, start, end) == set()
        problems = safety_violations(rig.chair.trace, MODEL, session_start=start, session_end=end)
        assert [p for p in problems if "neck" in p] == []


async def test_a_chair_found_working_is_switched_off_and_started_afresh() -> None:
    # Switched on at its own panel 30 s before chairctl connects: profile A works the neck
    # and the back at pressure 2, its airbags squeezing.
    async with ncni_rig(on_for_s=30.0) as rig:
        found = rig.clock.now()
        assert rig.chair.trace.activity.at(found) is not None
        assert _pressed(rig.chair, found - 5, found)

        await _apply(rig, WORK)
        await rig.clock.advance(30)

        keys = rig.heard_keys()
        assert keys[:3] == [KEYS.power, KEYS.power, KEYS.back_waist]
        off, on = rig.when(KEYS.power)
        # Off at the first press: the profile stopped, its airbags vented by the chair.
        states = [state for at, state in rig.chair.trace.work_state.changes() if at >= off]
        assert states[:2] == [WorkState.RESETTING, WorkState.STANDBY]
        assert rig.chair.trace.activity.at(off + 0.5) is None
        vent = MODEL.mechanics.airbag_vent_s
        assert _pressed(rig.chair, off + vent + 0.5, rig.clock.now()) == set()
        # Started afresh once the settle was over: its own power-on, then control taken.
        assert on > off
        assert _regions(rig.chair, on, rig.clock.now()) <= set(BACK_REGIONS)


BACK_REGIONS = MODEL.manual_modes["back_waist"].regions


async def test_heat_and_airbags_are_pressed_once_by_what_was_pressed_not_by_their_bits() -> None:
    async with ncni_rig() as rig:
        bagged = HEAT.model_copy(update={"airbags": {AirbagZone.CALVES: 3}})
        await _apply(rig, bagged)
        await _apply(rig, bagged)
        await rig.clock.advance(20)
        assert rig.chair.state().heat_on
        assert _pressed(rig.chair, rig.clock.now() - 10, rig.clock.now()) == {AirbagZone.CALVES}
        assert rig.heard_keys().count(KEYS.heat) == 1
        assert rig.heard_keys().count(KEYS.legs) == 1
        # Power's profile had the legs on too: leaving auto dropped them, so the key that
        # turned them on again is the only one.
        assert rig.adapter.believed == (frozenset({AirbagZone.CALVES}), True)


async def test_the_blank_mode_bytes_after_zero_gravity_are_not_a_mode_switched_off() -> None:
    async with ncni_rig() as rig:
        zero_g = WORK.model_copy(update={"posture": Posture.ZERO_G_1})
        await _apply(rig, WORK)
        await _apply(rig, zero_g)
        (pressed,) = rig.when(KEYS.zero_gravity)
        before = len(rig.heard)

        # At once, while the mode bytes read 0 (a status shows the chair on with no mode).
        await _apply(rig, zero_g)
        await rig.clock.advance(0.2)
        status = rig.session.status
        assert status is not None
        assert (status.running, status.program) == (True, None)
        await _apply(rig, zero_g)
        await rig.clock.advance(5)

        assert len(rig.heard) == before, "a mode key went out for a mode that never went off"
        assert rig.clock.now() > pressed + 1.0
        assert rig.session.status is not None
        assert rig.session.status.program == "manual back_waist"
        assert rig.chair.trace.activity.at(rig.clock.now()) is not None


async def test_with_the_pressure_read_as_airbag_pressure_the_rules_hold_too() -> None:
    # The same chair, believed (and simulated) to set its airbags' pressure with the
    # pressure keys: the neck mode is never used, and airbags at 3 keep the pressure at 2.
    airbag_model = MODEL.model_copy(update={"pressure": "airbag_pressure"})
    assert isinstance(airbag_model, NcniModel)
    async with ncni_rig(model=airbag_model, sitter=SHORTEST) as rig:
        notes = rig.session.approximations(NECK)
        assert any("nothing would keep its rollers gentle at the neck" in n for n in notes)
        start = rig.clock.now()
        await _apply(rig, NECK)
        strong = Setpoint(
            technique=Technique.KNEAD,
            regions=(Region.MID_BACK,),
            intensity=5,
            airbags={AirbagZone.CALVES: 3},
        )
        await _apply(rig, strong)
        await rig.clock.advance(60)
        end = rig.clock.now()

        assert Region.NECK not in _regions(rig.chair, start, end)
        peaks = [s.airbags[AirbagZone.CALVES] for s in rig.chair.trace.samples(0.1, start, end)]
        assert max(peaks) == pytest.approx(3.0)
        assert KEYS.neck not in rig.heard_keys()


class _NeckTruth:
    """The simulated chair's own state every 0.1 s: when its neck mode works, at which
    pressure (its firmware's, not what the driver read)."""

    def __init__(self, rig: NcniRig) -> None:
        assert isinstance(rig.chair, NcniChair)
        self.board = rig.chair.board
        self.clock = rig.clock
        #: (time, pressure) whenever the neck mode worked.
        self.neck: list[tuple[float, int]] = []
        self._timer: TimerHandle | None = None
        self._sample()

    def _sample(self) -> None:
        selection = self.board.selection
        if self.board.running and selection.mode == "manual" and "neck" in selection.manual:
            self.neck.append((self.clock.now(), selection.intensity))
        self._timer = self.clock.call_later(0.1, self._sample)

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.cancel()


def _at_the_neck(chair: SimulatedChair, start: float, end: float) -> list[float]:
    """The depths of the rollers while they worked at the neck, by the chair's trace."""
    return [
        s.depth
        for s in chair.trace.samples(0.05, start, end)
        if s.roller_technique is not None and s.region is Region.NECK
    ]


async def test_on_a_chair_heeding_the_pressure_keys_only_with_airbags_the_neck_stays_at_1() -> None:
    # Upstream's panel shows its pressure control only while an airbag zone is on. A chair
    # that heeds the pressure keys only then ignores the blind lowering after power-on (auto
    # is left first, and its airbags with it): its rollers would start at power's pressure 2.
    async with ncni_rig(sitter=SHORTEST, pressure_needs_airbags=True) as rig:
        truth = _NeckTruth(rig)
        start = rig.clock.now()
        with pytest.raises(NotConfirmed, match="intensity level 1 did not take"):
            await _apply(rig, NECK)
        await rig.clock.run(rig.session.stop(), limit=180)
        end = rig.clock.now()
        truth.stop()

        board = truth.board
        assert board.stats.pressure_ignored >= 2, "the chair heeded the blind presses"
        # By the chair's own state: its neck mode never worked above pressure 1 (here: never,
        # since the pressure never showed 1), and its rollers never pressed deeper at the neck.
        assert [(at, level) for at, level in truth.neck if level > 1] == []
        assert [depth for depth in _at_the_neck(rig.chair, start, end) if depth > 1.0] == []
        assert KEYS.neck not in rig.heard_keys()
        problems = safety_violations(rig.chair.trace, MODEL, session_start=start, session_end=end)
        assert [p for p in problems if "neck" in p] == []
        # Refused and released: the chair is off.
        assert rig.chair.work_state is WorkState.STANDBY


async def test_a_neck_setpoint_no_other_mode_may_lead_into_rests_and_says_so() -> None:
    # The lower back kept off: the back and waist may not work to show the pressure, so the
    # neck mode, which waits for the status to show level 1, does not start.
    kept_off = NECK.model_copy(update={"keep_off": frozenset({Region.LOWER_BACK})})
    async with ncni_rig(sitter=SHORTEST) as rig:
        notes = rig.session.approximations(kept_off)
        assert any(
            n.startswith("the rollers rest here unless the chair's status already shows")
            for n in notes
        )
        start = rig.clock.now()
        await _apply(rig, kept_off)
        await rig.clock.advance(60)
        end = rig.clock.now()

        assert KEYS.neck not in rig.heard_keys()
        assert rig.chair.trace.activity.at(end) is None
        assert Region.LOWER_BACK not in _regions(rig.chair, start, end)
        assert rig.session.status is not None
        assert rig.session.status.program is None
