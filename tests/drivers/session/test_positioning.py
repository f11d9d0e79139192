"""Regions on the track: the rollers work where the setpoint says, by the ground truth."""

from __future__ import annotations

import pytest

from chairctl.vocabulary import MassageRange, Region, Setpoint, Technique
from drivers.models import ChairModel
from drivers.models.rongtai import RongtaiModel
from simulator import Sitter
from tests.drivers.session.sessionhelpers import Rig, RigMaker, occupancy_share

# Rongtai only: only a Rongtai chair reports and places its rollers.
pytestmark = pytest.mark.families("rongtai-h10")

#: Seconds of massage judged after the setpoint is reached.
WATCH_S = 30.0

# The shoulder band is 1.4 positions tall and the chair's partial band 2: it cannot fit
# entirely, so the share asked of a partial range is what fits, with a margin.
PARTIAL = {
    Region.NECK: 0.9,
    Region.SHOULDERS: 0.65,
    Region.UPPER_BACK: 0.8,
    Region.MID_BACK: 0.8,
    Region.LOWER_BACK: 0.8,
    Region.SACRUM_GLUTES: 0.9,
}


async def _worked(rig: Rig, setpoint: Setpoint, regions: list[Region]) -> float:
    session, chair, clock, _keys = rig
    await clock.run(session.apply(setpoint))
    start = clock.now()
    await clock.advance(WATCH_S)
    return occupancy_share(chair, regions, start, clock.now())


@pytest.mark.parametrize("region", list(PARTIAL))
async def test_one_region_partial_range_centres_on_it(rig: Rig, region: Region) -> None:
    setpoint = Setpoint(technique=Technique.KNEAD, regions=(region,))
    share = await _worked(rig, setpoint, [region])
    assert rig.session.status is not None
    assert rig.session.status.massage_range is MassageRange.PARTIAL
    assert share >= PARTIAL[region]


@pytest.mark.parametrize("region", list(Region))
async def test_shiatsu_on_one_region_works_the_point(rig: Rig, region: Region) -> None:
    setpoint = Setpoint(technique=Technique.SHIATSU, regions=(region,))
    share = await _worked(rig, setpoint, [region])
    assert rig.session.status is not None
    assert rig.session.status.massage_range is MassageRange.POINT
    assert share >= 0.95


async def test_a_two_region_span_is_worked_across_its_middle(rig: Rig) -> None:
    span = (Region.MID_BACK, Region.LOWER_BACK)
    share = await _worked(rig, Setpoint(technique=Technique.KNEAD, regions=span), list(span))
    assert share >= 0.95


async def test_moving_to_another_region_walks_there_and_stops(rig: Rig, model: ChairModel) -> None:
    assert isinstance(model, RongtaiModel)
    await _worked(rig, Setpoint(technique=Technique.SHIATSU, regions=(Region.LOWER_BACK,)), [])
    share = await _worked(
        rig,
        Setpoint(technique=Technique.SHIATSU, regions=(Region.UPPER_BACK,)),
        [Region.UPPER_BACK],
    )
    assert share >= 0.95
    walk = model.keys.walk
    assert rig.keys.count(walk.up_start) == 1
    assert rig.keys.count(walk.up_stop) == 1


async def test_the_shoulder_line_of_the_sitter_places_the_regions(
    make_rig: RigMaker, model: ChairModel
) -> None:
    # Real chairs keep where their body scan found the shoulder line to themselves (b9 is 0
    # once the scan is over). A line measured on this chair and kept in the person's profile
    # places the regions on them; without one, they are placed for anyone in the chair's scan
    # window, and percussion stays clear of the neck of the shortest and of the tallest.
    low, high = model.shoulder_window
    upper_back = Setpoint(technique=Technique.SHIATSU, regions=(Region.UPPER_BACK,))
    fitted = await make_rig(sitter=Sitter(shoulder_position=low), shoulder_position=low)
    assert await _worked(fitted, upper_back, [Region.UPPER_BACK]) >= 0.95

    tapping = Setpoint(technique=Technique.TAP, regions=(Region.SHOULDERS, Region.UPPER_BACK))
    for shoulder in (low, high):
        unknown = await make_rig(sitter=Sitter(shoulder_position=shoulder))
        assert await _worked(unknown, tapping, [Region.NECK]) == 0.0


@pytest.mark.parametrize("where", ["shortest", "average", "tallest"])
async def test_a_measured_shoulder_line_keeps_tapping_on_the_shoulders(
    make_rig: RigMaker, model: ChairModel, where: str
) -> None:
    # With the line known exactly, the band kept clear of the neck can sit right under it. A
    # partial band pushed down there still has its centre on the shoulders, but its sweep
    # reaches a third of the way into the upper back; one spot stays on the shoulders.
    low, high = model.shoulder_window
    line = {"shortest": low, "average": model.mechanics.default_shoulder_position, "tallest": high}
    fitted = await make_rig(
        sitter=Sitter(shoulder_position=line[where]), shoulder_position=line[where]
    )
    tapping = Setpoint(technique=Technique.TAP, regions=(Region.SHOULDERS,), intensity=3)
    session, chair, clock, _keys = fitted
    await clock.run(session.apply(tapping))
    start = clock.now()
    await clock.advance(WATCH_S)
    assert occupancy_share(chair, [Region.SHOULDERS], start, clock.now()) >= 0.95
    assert occupancy_share(chair, [Region.NECK], start, clock.now()) == 0.0
