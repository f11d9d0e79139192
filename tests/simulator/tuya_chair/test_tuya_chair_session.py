"""A simulated Tuya chair's session: power-up scan, manual and auto modes, airbags, heat, foot
roller, and the ways it ends (switch false, the session timer, idle), judged on the trace."""

from __future__ import annotations

import pytest

from chairctl.vocabulary import REGION_BANDS, AirbagZone, Region, Technique, WorkState
from drivers.models.tuya import TuyaModel
from simulator.judge import safety_violations
from simulator.tuya.chair import TuyaChair
from tests.simulator.tuya_chair.tuyahelpers import Module

TOLERANCE = 0.1


def band(chair: TuyaChair, regions: list[Region]) -> tuple[float, float]:
    """The carriage band of ``regions`` on the sitter (the trace's seat and shoulder lines)."""
    trace = chair.trace
    span = trace.shoulder - trace.seat_line
    low = trace.seat_line + span * min(REGION_BANDS[r][0] for r in regions)
    high = trace.seat_line + span * max(REGION_BANDS[r][1] for r in regions)
    return low, high


def worked(
    chair: TuyaChair, start: float, end: float
) -> dict[tuple[Technique | None, Region | None], float]:
    return chair.trace.roller_occupancy(start, end)


async def test_power_up_scans_then_works_the_manual_band(
    module: Module, chair: TuyaChair, model: TuyaModel
) -> None:
    await module.wait(1.0)
    answer = await module.set(switch=True)
    assert answer == {"switch": True}
    assert chair.state().work_state is WorkState.RESETTING
    # Set during the scan: taken and reported at once, but the rollers wait for the scan.
    assert await module.set(manual_mode="beat") == {"manual_mode": "beat", "auto_mode": "close"}
    scan_s = model.mechanics.body_scan_s
    await module.wait(scan_s - 0.5)
    assert all(s.roller_technique is None for s in chair.trace.samples(0.25))
    top = model.mechanics.roller_positions - 1
    positions = [s.roller_position for s in chair.trace.samples(0.1)]
    assert max(positions) == pytest.approx(top, abs=0.05)
    await module.wait(0.5)
    assert chair.state().work_state is WorkState.RUNNING
    started = module.clock.now()
    await module.wait(60.0)
    low, high = band(chair, model.manual_regions)
    samples = list(chair.trace.samples(0.1, started + 10, started + 60))
    assert {s.roller_technique for s in samples} == {Technique.TAP}
    assert min(s.roller_position for s in samples) == pytest.approx(low, abs=TOLERANCE)
    assert max(s.roller_position for s in samples) == pytest.approx(high, abs=TOLERANCE)
    assert {s.region for s in samples} == set(model.manual_regions)
    # One strength: depth 1 while the rollers work; speed and width from the DPs.
    assert {s.depth for s in samples} == {1.0}
    assert {(s.roller_speed, s.roller_width) for s in samples} == {(3, "medium")}
    states = [state for _, state in chair.trace.work_state.changes()]
    assert states == [WorkState.STANDBY, WorkState.RESETTING, WorkState.RUNNING]


async def test_speed_and_width_follow_their_dps_while_working(
    module: Module, chair: TuyaChair
) -> None:
    await module.power_up()
    await module.set(manual_mode="shiatsu")
    await module.set(massage_speed="level_1", ball_location="narrow")
    await module.wait(1.0)
    state = chair.state()
    assert (state.roller_technique, state.roller_speed, state.roller_width) == (
        Technique.SHIATSU,
        1,
        "narrow",
    )


async def test_an_auto_mode_works_its_band_and_cycles_its_techniques(
    module: Module, chair: TuyaChair, model: TuyaModel
) -> None:
    await module.power_up()
    mode = next(m for m in model.region_modes if m.value == "back_relax")
    assert await module.set(auto_mode="back_relax") == {
        "auto_mode": "back_relax",
        "manual_mode": "close",
    }
    started = module.clock.now()
    await module.wait(80.0)
    # Each technique for 20 s, in turn, again and again.
    for k in range(4):
        technique = chair.trace.state_at(started + 20 * k + 10).roller_technique
        assert technique is mode.techniques[k % len(mode.techniques)]
    low, high = band(chair, mode.regions)
    samples = list(chair.trace.samples(0.1, started + 10, started + 80))
    assert min(s.roller_position for s in samples) == pytest.approx(low, abs=TOLERANCE)
    assert max(s.roller_position for s in samples) == pytest.approx(high, abs=TOLERANCE)
    assert {s.region for s in samples} == set(mode.regions)
    # A mode not in region_modes kneads the manual band.
    await module.set(auto_mode="help_sleep")
    again = module.clock.now()
    await module.wait(60.0)
    samples = list(chair.trace.samples(0.1, again + 10, again + 60))
    assert {s.roller_technique for s in samples} == {Technique.KNEAD}
    assert {s.region for s in samples} == set(model.manual_regions)


async def test_modes_exclude_each_other_and_close_stops_the_rollers(
    module: Module, chair: TuyaChair
) -> None:
    await module.power_up()
    await module.set(auto_mode="waist_relax")
    assert await module.set(manual_mode="knock") == {"manual_mode": "knock", "auto_mode": "close"}
    await module.wait(5.0)
    assert chair.state().roller_technique is Technique.KNOCK
    assert await module.set(auto_mode="shoulder_relax") == {
        "auto_mode": "shoulder_relax",
        "manual_mode": "close",
    }
    await module.wait(5.0)
    assert chair.state().roller_technique is Technique.KNEAD
    await module.set(auto_mode="close")
    here = chair.state().roller_position
    await module.wait(5.0)
    state = chair.state()
    assert state.roller_technique is None
    assert state.roller_position == pytest.approx(here)
    assert state.depth == 0.0
    assert state.work_state is WorkState.WAITING


async def test_while_off_the_chair_refuses_what_would_start_something(
    module: Module, chair: TuyaChair
) -> None:
    answer = await module.set(
        manual_mode="pinch",
        auto_mode="back_relax",
        aircell_location="leg",
        heat=True,
        foot_control=True,
        massage_speed="level_2",
        time_set=25,
    )
    assert answer == {
        "manual_mode": "close",
        "auto_mode": "close",
        "aircell_location": "close",
        "heat": False,
        "foot_control": False,
        "massage_speed": "level_2",
        "time_set": 25,
    }
    await module.wait(5.0)
    state = chair.state()
    assert state.work_state is WorkState.STANDBY
    assert (state.roller_technique, state.heat_on, state.foot_roller) == (None, False, 0)
    assert all(p == 0.0 for p in state.airbags.values())


async def test_airbags_inflate_their_location_at_the_level_set(
    module: Module, chair: TuyaChair, model: TuyaModel
) -> None:
    await module.power_up()
    await module.set(aircell_speed="level_2", aircell_location="leg")
    # Level 2 of 5 fills in 2/5 of the full inflation time, then holds.
    await module.wait(model.mechanics.airbag_inflate_s * 2 / 5 + 1)
    state = chair.state()
    assert state.work_state is WorkState.RUNNING
    assert state.airbags_inflating == {AirbagZone.CALVES, AirbagZone.FEET}
    assert state.airbags[AirbagZone.CALVES] == pytest.approx(2.0)
    assert state.airbags[AirbagZone.SEAT] == 0.0
    cycle = chair.trace.airbags.current
    assert cycle.groups == ((AirbagZone.CALVES, AirbagZone.FEET),)
    await module.set(aircell_location="hip", aircell_speed="level_5")
    assert chair.trace.airbags.current.groups == ((AirbagZone.SEAT,),)
    assert chair.trace.airbags.current.level == 5.0
    # "all" is in the product's range but not in the model's locations: every zone it has.
    await module.set(aircell_location="all")
    zones = set(chair.trace.airbags.current.groups[0])
    assert zones == {AirbagZone.CALVES, AirbagZone.FEET, AirbagZone.SEAT, AirbagZone.ARMS}
    await module.set(aircell_location="close")
    await module.wait(model.mechanics.airbag_vent_s)
    assert all(p == 0.0 for p in chair.state().airbags.values())
    assert chair.state().work_state is WorkState.WAITING


async def test_heat_and_foot_roller(module: Module, chair: TuyaChair, model: TuyaModel) -> None:
    await module.power_up()
    assert await module.set(heat=True) == {"heat": True}
    assert chair.state().work_state is WorkState.WAITING  # heat alone is not running
    await module.wait(60.0)
    assert chair.state().heat_on
    assert chair.state().heater_c > 30
    assert await module.set(foot_control=True) == {"foot_control": True}
    assert chair.state().foot_roller == 1
    assert chair.state().work_state is WorkState.RUNNING
    await module.set(heat=False, foot_control=False)
    state = chair.state()
    assert (state.heat_on, state.foot_roller, state.work_state) == (False, 0, WorkState.WAITING)


async def test_switch_false_settles_and_closes_every_mode_at_once(
    module: Module, chair: TuyaChair, model: TuyaModel
) -> None:
    await module.power_up()
    await module.set(manual_mode="pinch", aircell_location="arm", heat=True, foot_control=True)
    await module.set(gravity_control="gravity_adjust1")
    await module.wait(30.0)
    answer = await module.set(switch=False)
    assert answer == {
        "switch": False,
        "heat": False,
        "aircell_location": "close",
        "foot_control": False,
        "gravity_control": "reset",
        "manual_mode": "close",
    }
    assert chair.state().work_state is WorkState.RESETTING
    assert chair.state().roller_technique is None
    await module.wait(model.timing.settle_cap_s)
    state = chair.state()
    assert state.work_state is WorkState.STANDBY
    assert state.roller_position == pytest.approx(chair.body.park)
    assert (state.depth, state.backrest, state.leg_rest) == (0.0, 0.0, 0.0)
    assert (state.heat_on, state.foot_roller) == (False, 0)
    assert all(p == 0.0 for p in state.airbags.values())
    values = await module.query()
    assert values["switch"] is False


async def test_the_session_timer_switches_off_and_reports_it(
    module: Module, chair: TuyaChair, model: TuyaModel
) -> None:
    await module.set(time_set=2)  # while off: counted from power-on
    await module.set(switch=True)
    powered = module.clock.now()
    await module.set(manual_mode="pinch")
    await module.wait(119.0)
    assert chair.state().roller_technique is Technique.KNEAD
    await module.wait(1.0)
    assert module.reports(since=powered + 1) == [
        {"switch": False, "manual_mode": "close"},
    ]
    assert chair.state().roller_technique is None
    await module.wait(model.timing.settle_cap_s)
    assert chair.state().work_state is WorkState.STANDBY
    # time_set set while on counts from then.
    await module.set(switch=True, manual_mode="pinch")
    await module.wait(60.0)
    await module.set(time_set=1)
    await module.wait(59.0)
    assert chair.state().roller_technique is not None
    await module.wait(1.0)
    assert chair.state().roller_technique is None


async def test_the_default_session_length(
    module: Module, chair: TuyaChair, model: TuyaModel
) -> None:
    await module.set(switch=True, foot_control=True)
    await module.wait(60 * model.timing.default_session_min - 1)
    assert chair.state().foot_roller == 1
    await module.wait(1.0)
    assert chair.values["switch"] is False
    assert chair.state().foot_roller == 0


async def test_idle_switches_the_chair_off(
    module: Module, chair: TuyaChair, model: TuyaModel
) -> None:
    await module.power_up()
    idle_from = module.clock.now()
    await module.set(heat=True)  # heat alone keeps nothing running
    await module.wait(model.timing.idle_sleep_s - 1)
    assert chair.values["switch"] is True
    await module.wait(1.0)
    assert module.reports(since=idle_from + 1) == [{"switch": False, "heat": False}]
    await module.wait(model.timing.settle_cap_s)
    assert chair.state().work_state is WorkState.STANDBY
    # Something running holds it off; the count starts again when it stops.
    await module.power_up()
    await module.set(manual_mode="pinch")
    await module.wait(model.timing.idle_sleep_s * 2)
    assert chair.values["switch"] is True
    await module.set(manual_mode="close")
    await module.wait(model.timing.idle_sleep_s - 1)
    assert chair.values["switch"] is True
    await module.wait(1.0)
    assert chair.values["switch"] is False


async def test_switching_on_again_while_settling_scans_again(
    module: Module, chair: TuyaChair, model: TuyaModel
) -> None:
    await module.power_up()
    await module.set(manual_mode="pinch")
    await module.wait(10.0)
    await module.set(switch=False)
    await module.wait(2.0)
    assert await module.set(switch=True) == {"switch": True}
    await module.set(manual_mode="tuina")
    await module.wait(model.mechanics.body_scan_s + 5)
    assert chair.state().roller_technique is Technique.ROLL
    assert chair.state().work_state is WorkState.RUNNING


async def test_a_percussive_session_passes_the_judges_safety_checks(
    module: Module, chair: TuyaChair, model: TuyaModel
) -> None:
    start = module.clock.now()
    await module.power_up()
    # The airbags at their gentlest: every contact starts gently, the judge says.
    await module.set(aircell_speed="level_1")
    await module.set(manual_mode="knock", aircell_location="leg_hip", heat=True)
    await module.wait(300.0)
    await module.set(auto_mode="shoulder_relax")
    await module.wait(120.0)
    await module.set(switch=False)
    end = module.clock.now()
    await module.wait(model.timing.settle_cap_s + 1)
    assert safety_violations(chair.trace, model, session_start=start, session_end=end) == []
    occupancy = chair.trace.roller_occupancy(start, end)
    assert not [
        region for (technique, region) in occupancy if technique and region is Region.SACRUM_GLUTES
    ]
    assert (Technique.KNOCK, Region.NECK) not in occupancy
