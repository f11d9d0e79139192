"""The shared vocabulary: spans, region bands on the track, and setpoint values."""

from __future__ import annotations

import itertools

import pytest

from chairctl.vocabulary import (
    REGION_BANDS,
    SAFE_SETPOINT,
    AirbagZone,
    Heater,
    HeatLevel,
    Region,
    Setpoint,
    Technique,
    are_adjacent_span,
    region_at,
    track_position,
    track_s,
)


@pytest.mark.parametrize(
    ("regions", "adjacent"),
    [
        ([Region.NECK], True),
        ([Region.LOWER_BACK, Region.MID_BACK], True),
        ([Region.SHOULDERS, Region.UPPER_BACK, Region.MID_BACK], True),
        ([Region.NECK, Region.MID_BACK], False),
        ([Region.MID_BACK, Region.MID_BACK], False),
        ([], False),
    ],
)
def test_adjacent_spans(regions: list[Region], adjacent: bool) -> None:
    assert are_adjacent_span(regions) is adjacent


def test_region_bands_tile_the_track_top_to_bottom() -> None:
    bands = [REGION_BANDS[region] for region in Region]
    for upper, lower in itertools.pairwise(bands):
        assert lower[1] == upper[0], "bands must meet with no gap or overlap"
    assert region_at(0.0) is Region.SACRUM_GLUTES
    assert region_at(1.0) is Region.SHOULDERS
    assert region_at(0.5) is Region.MID_BACK
    assert region_at(5.0) is None


def test_track_coordinates_round_trip() -> None:
    assert track_s(3, seat_position=3, shoulder_position=10) == 0
    assert track_s(10, seat_position=3, shoulder_position=10) == 1
    assert track_position(track_s(7.5, 3, 10), 3, 10) == pytest.approx(7.5)


def test_setpoints_normalise_so_equal_requests_compare_equal() -> None:
    a = Setpoint(
        technique=Technique.KNEAD,
        regions=(Region.LOWER_BACK, Region.MID_BACK),
        airbags={AirbagZone.SEAT: 0, AirbagZone.WAIST: 2},
        heat={Heater.LUMBAR: HeatLevel.OFF},
    )
    b = Setpoint(
        technique=Technique.KNEAD,
        regions=(Region.MID_BACK, Region.LOWER_BACK),
        airbags={AirbagZone.WAIST: 2},
    )
    assert a == b
    assert hash(a) == hash(b)
    assert a.regions == (Region.MID_BACK, Region.LOWER_BACK)
    assert a.rollers_active
    assert not SAFE_SETPOINT.rollers_active
    assert a.airbag(AirbagZone.SEAT) == 0
    assert a.heat_of(Heater.LUMBAR) is HeatLevel.OFF
