"""The judge: scores what the simulated chair physically did against what was asked."""

from __future__ import annotations

import pytest

from chairctl.clock import VirtualClock
from chairctl.vocabulary import AirbagZone, Region, Setpoint, Technique, Width
from drivers.models.rongtai import RongtaiModel
from simulator.judge import Expectation, Limits, judge, safety_violations
from simulator.rongtai.chair import RongtaiChair
from tests.simulator.simhelpers import Controller, power_up, start_knead


def knead(*regions: Region, intensity: int = 3, **extra: object) -> Setpoint:
    return Setpoint.model_validate(
        {"technique": Technique.KNEAD, "regions": regions, "intensity": intensity, **extra}
    )


async def strength(ctl: Controller, model: RongtaiModel, level: int) -> None:
    """Press the 3D strength cycle key until the status shows ``level``."""
    assert model.keys.intensity_cycle is not None
    for _ in range(6):
        if ctl.status.strength == level:
            return
        await ctl.press(model.keys.intensity_cycle)
    raise AssertionError(f"3D strength never reached {level}")


async def test_a_chair_doing_what_was_asked_scores_high(
    ctl: Controller, chair: RongtaiChair, clock: VirtualClock, model: RongtaiModel
) -> None:
    await start_knead(ctl, model)
    await strength(ctl, model, 3)
    start = clock.now()
    await ctl.wait(60)
    # Full range sweeps the whole back: ask for the whole back, and for the lower back only.
    (whole_back, lower_only) = judge(
        [
            Expectation(start, start + 60, knead(*Region, intensity=3), "whole"),
            Expectation(start, start + 60, knead(Region.LOWER_BACK, intensity=3), "lower"),
        ],
        chair.trace,
        model,
    )
    assert whole_back.fidelity is not None, whole_back
    assert whole_back.fidelity > 0.9, whole_back
    assert lower_only.fidelity is not None
    assert lower_only.fidelity < 0.5
    assert lower_only.misses["region"] > 20


async def test_wrong_technique_heat_and_airbags_are_missed(
    ctl: Controller, chair: RongtaiChair, clock: VirtualClock, model: RongtaiModel
) -> None:
    await start_knead(ctl, model)
    start = clock.now()
    await ctl.wait(30)
    asked = Setpoint(
        technique=Technique.TAP,
        regions=tuple(Region),
        intensity=3,
        width=Width.MEDIUM,
        airbags={AirbagZone.WAIST: 2},
        heat={"lumbar": "medium"},
    )
    (verdict,) = judge([Expectation(start, start + 30, asked, "tap")], chair.trace, model)
    assert verdict.fidelity == 0
    assert {"technique", "airbags", "heat"} <= set(verdict.misses)


async def test_a_step_too_short_to_reach_is_unfollowable(
    ctl: Controller, chair: RongtaiChair, clock: VirtualClock, model: RongtaiModel
) -> None:
    await power_up(ctl, model)
    start = clock.now()
    await ctl.wait(6)
    (verdict,) = judge(
        [Expectation(start, start + 6, knead(Region.SACRUM_GLUTES), "glutes")], chair.trace, model
    )
    assert verdict.fidelity is None
    assert verdict.unfollowable is not None
    assert "lasts 6 s" in verdict.unfollowable
    assert "travel to sacrum_glutes" in verdict.unfollowable


async def test_a_standby_chair_is_given_time_for_its_body_scan(
    chair: RongtaiChair, clock: VirtualClock, model: RongtaiModel
) -> None:
    (verdict,) = judge(
        [Expectation(clock.now(), clock.now() + 30, knead(Region.MID_BACK), "first")],
        chair.trace,
        model,
    )
    assert verdict.unfollowable is not None
    assert "body scan" in verdict.unfollowable


async def test_safety_catches_percussion_at_the_neck_and_an_unsafe_end(
    ctl: Controller, chair: RongtaiChair, clock: VirtualClock, model: RongtaiModel
) -> None:
    await power_up(ctl, model)
    start = clock.now()
    # A controller gone wrong: knocking on one spot, walked up to the top of the track.
    await ctl.press(model.keys.techniques[Technique.KNOCK].key)
    await ctl.press(model.keys.ranges["point"])
    await ctl.press(model.keys.walk.up_start, pace=model.mechanics.roller_travel_s / 2)
    await ctl.press(model.keys.walk.up_stop)
    await ctl.wait(10)
    problems = safety_violations(
        chair.trace,
        model,
        session_start=start,
        session_end=clock.now(),
        limits=Limits(heat_allowed=False),
    )
    assert any(p.startswith("percussion (knock) with the rollers at the neck") for p in problems)
    assert any("ended before the settle cap" in p for p in problems)
    await ctl.wait(model.timing.settle_cap_s + 30)
    problems = safety_violations(
        chair.trace,
        model,
        session_start=start,
        session_end=start + 20,
        limits=Limits(heat_allowed=False),
    )
    assert "the rollers still worked after the settle cap" in problems


async def test_a_chair_stopped_with_power_ends_safe(
    ctl: Controller, chair: RongtaiChair, clock: VirtualClock, model: RongtaiModel
) -> None:
    await start_knead(ctl, model)
    await ctl.press(model.keys.airbag_groups[0].key)
    await ctl.press(model.keys.heat_toggle or 0)
    await ctl.wait(20)
    end = clock.now()
    await ctl.press(model.keys.power)
    await ctl.wait(model.timing.settle_cap_s + 1)
    problems = safety_violations(chair.trace, model, session_start=end - 20, session_end=end)
    assert not [p for p in problems if "settle cap" in p], problems


@pytest.mark.parametrize("level", [1, 5])
async def test_intensity_is_judged_by_depth(
    level: int, ctl: Controller, chair: RongtaiChair, clock: VirtualClock, model: RongtaiModel
) -> None:
    await start_knead(ctl, model)
    await strength(ctl, model, level)
    start = clock.now()
    await ctl.wait(20)
    right, wrong = judge(
        [
            Expectation(start, start + 20, knead(*Region, intensity=level), "right"),
            Expectation(start, start + 20, knead(*Region, intensity=6 - level), "wrong"),
        ],
        chair.trace,
        model,
    )
    assert right.fidelity is not None
    assert right.fidelity > 0.9
    assert wrong.misses.get("intensity", 0) > 10
