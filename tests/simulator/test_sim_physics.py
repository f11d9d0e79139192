"""Trajectories and airbag cycles: the analytic physics behind the simulated chair."""

from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chairctl.vocabulary import AirbagZone
from simulator.physics.airbags import AirbagCycle
from simulator.physics.motion import MIN_SPAN, Exponential, Polyline, Sweep

finite = st.floats(min_value=0.0, max_value=12.0, allow_nan=False)
speeds = st.floats(min_value=0.05, max_value=5.0)


def test_a_ramp_moves_at_its_rate_and_then_holds() -> None:
    ramp = Polyline.ramp(10.0, 2.0, 8.0, 0.5)
    assert ramp.rest_time() == 22.0
    assert [ramp.at(t) for t in (9.0, 10.0, 16.0, 22.0, 99.0)] == [2.0, 2.0, 5.0, 8.0, 8.0]
    assert (ramp.slope(15.0), ramp.slope(30.0)) == (0.5, 0.0)


def test_waypoints_are_visited_in_turn() -> None:
    path = Polyline.through(0.0, 5.0, [3.0, 7.0], 1.0)
    assert path.times == (0.0, 2.0, 6.0)
    assert [path.at(t) for t in (1.0, 2.0, 4.0, 8.0)] == [4.0, 3.0, 5.0, 7.0]


def test_a_polyline_rejects_time_running_backwards() -> None:
    with pytest.raises(ValueError, match="decrease"):
        Polyline((1.0, 0.0), (0.0, 1.0))


def test_a_sweep_leads_in_then_bounces_between_the_edges() -> None:
    sweep = Sweep.begin(0.0, 10.0, 3.0, 7.0, speed=1.0)
    assert sweep.band_time == 3.0
    assert [sweep.at(t) for t in (0.0, 1.0, 3.0, 5.0, 7.0, 11.0, 15.0)] == [
        10.0,
        9.0,
        7.0,
        5.0,
        3.0,
        7.0,
        3.0,
    ]
    assert sweep.rest_time() == math.inf


def test_a_sweep_keeps_the_direction_it_is_given() -> None:
    up = Sweep.begin(0.0, 5.0, 3.0, 7.0, speed=1.0, heading=1.0)
    down = Sweep.begin(0.0, 5.0, 3.0, 7.0, speed=1.0, heading=-1.0)
    assert (up.at(1.0), down.at(1.0)) == (6.0, 4.0)


def test_a_band_narrower_than_a_millimetre_is_a_point() -> None:
    sweep = Sweep.begin(0.0, 5.0, 2.0, 2.0 + MIN_SPAN / 2, speed=1.0)
    assert sweep.rest_time() == 3.0
    assert sweep.at(100.0) == 2.0
    assert len(list(sweep.pieces(0.0, 100.0))) == 2


@given(finite, finite, st.floats(min_value=MIN_SPAN, max_value=12.0), speeds, st.floats(0, 500))
def test_a_sweep_stays_in_reach_and_its_pieces_match_it(
    origin: float, low: float, span: float, speed: float, t: float
) -> None:
    high = low + span
    sweep = Sweep.begin(1.0, origin, low, high, speed=speed)
    position = sweep.at(t)
    assert min(origin, low) - 1e-9 <= position <= max(origin, high) + 1e-9
    if t > sweep.band_time:
        assert low - 1e-9 <= position <= high + 1e-9
    # A window around t: from before the sweep starts when t is early, mid-sweep otherwise.
    begin = max(0.0, t - 2.0)
    pieces = list(sweep.pieces(begin, t + 2.0))
    assert pieces[0][0] == begin
    assert pieces[-1][2] == t + 2.0
    for (_, _, t1, p1), (t2, p2, _, _) in itertools.pairwise(pieces):
        assert (t1, p1) == (t2, p2)
    # Each piece is straight: its middle is where the sweep really is.
    for ta, pa, tb, pb in pieces:
        middle = (ta + tb) / 2
        assert sweep.at(middle) == pytest.approx((pa + pb) / 2, abs=1e-6)


def test_an_exponential_reaches_63_percent_in_one_time_constant() -> None:
    heat = Exponential(0.0, 20.0, 50.0, 100.0)
    assert heat.at(100.0) == pytest.approx(50.0 - 30.0 / math.e)
    assert heat.at(-5.0) == 20.0


def _cycle(
    level: float,
    groups: tuple[tuple[AirbagZone, ...], ...],
    residual: tuple[tuple[AirbagZone, float], ...] = (),
) -> AirbagCycle:
    # Full pressure (level 5) fills in 5 s and vents in 2.5 s; hold 3 s.
    return AirbagCycle(0.0, residual, groups, level, 1.0, 2.0, 3.0)


def test_one_group_inflates_holds_and_vents_in_turn() -> None:
    cycle = _cycle(2.0, ((AirbagZone.WAIST,),))
    assert cycle.turn_s == 2.0 + 3.0 + 1.0
    samples = [cycle.pressure(AirbagZone.WAIST, t) for t in (0.0, 1.0, 2.0, 4.0, 5.5, 6.0, 7.0)]
    assert samples == [0.0, 1.0, 2.0, 2.0, 1.0, 0.0, 1.0]
    assert cycle.inflating(AirbagZone.WAIST, 4.9)
    assert not cycle.inflating(AirbagZone.WAIST, 5.1)
    assert cycle.pressure(AirbagZone.FEET, 3.0) == 0.0


def test_groups_take_turns() -> None:
    cycle = _cycle(2.0, ((AirbagZone.WAIST,), (AirbagZone.FEET, AirbagZone.CALVES)))
    assert cycle.pressure(AirbagZone.FEET, 3.0) == 0.0
    assert cycle.pressure(AirbagZone.FEET, 7.0) == 1.0
    assert cycle.pressure(AirbagZone.CALVES, 7.0) == 1.0
    assert cycle.pressure(AirbagZone.WAIST, 7.0) == 0.0
    assert cycle.pressure(AirbagZone.WAIST, 13.0) == 1.0


def test_leftover_pressure_vents_before_its_turn() -> None:
    cycle = _cycle(1.0, ((AirbagZone.WAIST,),), residual=((AirbagZone.SEAT, 4.0),))
    assert cycle.pressure(AirbagZone.SEAT, 1.0) == 2.0
    assert cycle.pressure(AirbagZone.SEAT, 5.0) == 0.0
    assert cycle.vented_by() == math.inf
    venting = _cycle(0.0, (), residual=((AirbagZone.SEAT, 4.0),))
    assert venting.vented_by() == 2.0


@given(
    st.floats(min_value=1.0, max_value=5.0),
    st.floats(min_value=0.0, max_value=5.0),
    st.floats(min_value=0.0, max_value=200.0),
)
def test_pressure_never_leaves_its_bounds(level: float, residual: float, t: float) -> None:
    cycle = _cycle(level, ((AirbagZone.ARMS,),), residual=((AirbagZone.ARMS, residual),))
    assert 0.0 <= cycle.pressure(AirbagZone.ARMS, t) <= max(level, residual) + 1e-9
