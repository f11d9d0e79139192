"""The ground-truth trace: exact at any instant, recorded on change, cheap to ask."""

from __future__ import annotations

import pytest

from chairctl.vocabulary import Region, Technique, region_at, track_s
from drivers.models.rongtai import RongtaiModel
from simulator.rongtai.chair import RongtaiChair
from simulator.trace import Channel
from tests.simulator.simhelpers import Controller, start_knead


def test_a_channel_answers_for_any_time() -> None:
    channel = Channel(0.0, "a")
    channel.set(2.0, "b")
    channel.set(2.0, "c")  # same instant: the later change wins
    channel.set(5.0, "d")
    assert [channel.at(t) for t in (-1.0, 0.0, 1.9, 2.0, 4.0, 5.0, 9.0)] == list("aaaccdd")
    assert list(channel.changes()) == [(0.0, "a"), (2.0, "c"), (5.0, "d")]
    assert list(channel.spans(1.0, 6.0)) == [(1.0, 2.0, "a"), (2.0, 5.0, "c"), (5.0, 6.0, "d")]
    with pytest.raises(ValueError, match="append-only"):
        channel.set(4.0, "e")


async def test_a_long_session_is_a_short_record(
    chair: RongtaiChair, ctl: Controller, model: RongtaiModel
) -> None:
    await start_knead(ctl, model)
    await ctl.press(model.keys.airbag_groups[1].key)
    await ctl.wait(30 * 60.0)
    trace = chair.trace
    # Thousands of frames went out, but the record changed only when something was commanded.
    assert len(ctl.frames) > 9000
    for channel in (trace.roller, trace.activity, trace.depth, trace.airbags, trace.work_state):
        assert len(channel) < 12


async def test_the_region_is_the_one_under_the_carriage(
    chair: RongtaiChair, ctl: Controller, model: RongtaiModel
) -> None:
    await start_knead(ctl, model)
    await ctl.wait(60.0)
    seat, shoulder = model.mechanics.seat_line_position, model.mechanics.default_shoulder_position
    for state in chair.trace.samples(0.7, start=ctl.clock.now() - 40):
        assert state.region == region_at(track_s(state.roller_position, seat, shoulder))


async def test_occupancy_is_exact_where_sampling_only_approximates(
    chair: RongtaiChair, ctl: Controller, model: RongtaiModel
) -> None:
    await start_knead(ctl, model)
    await ctl.press(model.keys.ranges["partial"])
    await ctl.wait(30.0)
    await ctl.press(model.keys.walk.down_start)
    await ctl.wait(3.0)
    await ctl.press(model.keys.walk.down_stop)
    await ctl.wait(120.0)
    start, end = 1.0, ctl.clock.now()
    exact = chair.trace.roller_occupancy(start, end)
    assert sum(exact.values()) == pytest.approx(end - start)
    step = 0.01
    sampled: dict[tuple[Technique | None, Region | None], float] = {}
    for state in chair.trace.samples(step, start, end - step):
        key = (state.roller_technique, state.region)
        sampled[key] = sampled.get(key, 0.0) + step
    assert set(sampled) <= set(exact)
    for key, seconds in exact.items():
        assert sampled.get(key, 0.0) == pytest.approx(seconds, abs=0.5), key


async def test_the_trace_does_not_know_the_future(chair: RongtaiChair, ctl: Controller) -> None:
    await ctl.wait(5.0)
    chair.trace.state_at(5.0)
    with pytest.raises(ValueError, match="future"):
        chair.trace.state_at(5.5)
    assert [s.time for s in chair.trace.samples(2.0)] == [0.0, 2.0, 4.0]
    assert chair.trace.end == 5.0
