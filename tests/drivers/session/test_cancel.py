"""An apply cut short, by its caller or by a newer setpoint, still pays every STOP it owes."""

from __future__ import annotations

import asyncio

import pytest

from chairctl.vocabulary import Interrupted, Region, Technique
from drivers.models import ChairModel
from drivers.models.rongtai import RongtaiModel
from tests.drivers.session.sessionhelpers import KNEAD_LOWER_BACK, Rig

# Rongtai only: hold-to-move START/STOP pairs are Rongtai's.
pytestmark = pytest.mark.families("rongtai-h10")


async def _walking(rig: Rig, model: ChairModel) -> asyncio.Future[None]:
    assert isinstance(model, RongtaiModel)
    walking = asyncio.Event()
    rig.keys.on(model.keys.walk.down_start, walking.set)
    applying = asyncio.ensure_future(rig.session.apply(KNEAD_LOWER_BACK))
    await rig.clock.run(walking.wait())
    await rig.clock.advance(1.0)
    return applying


async def test_a_cancelled_apply_sends_the_stop_it_owes(rig: Rig, model: ChairModel) -> None:
    assert isinstance(model, RongtaiModel)
    session, chair, clock, keys = rig
    applying = await _walking(rig, model)

    # What the engine does to pause or to change the intensity live.
    applying.cancel()
    with pytest.raises(asyncio.CancelledError):
        await clock.run(applying)

    assert keys.count(model.keys.walk.down_stop) == 1
    assert session.keys.held == {}
    position = chair.state().roller_position
    await clock.advance(5)
    # The carriage stopped walking (it only sweeps its band now, around where it stopped).
    assert abs(chair.state().roller_position - position) <= 1.25


async def test_a_newer_setpoint_supersedes_the_apply_under_way(rig: Rig, model: ChairModel) -> None:
    assert isinstance(model, RongtaiModel)
    session, chair, clock, keys = rig
    applying = await _walking(rig, model)
    newer = KNEAD_LOWER_BACK.model_copy(
        update={"technique": Technique.SHIATSU, "regions": (Region.UPPER_BACK,)}
    )

    await clock.run(session.apply(newer))

    with pytest.raises(Interrupted, match="superseded"):
        await clock.run(applying)
    # The walk under way got its STOP before the newer setpoint sent anything.
    first_walk = keys.times(model.keys.walk.down_start)[0]
    assert keys.since(first_walk)[1].key == model.keys.walk.down_stop
    assert chair.state().roller_technique is Technique.SHIATSU
    assert chair.state().region is Region.UPPER_BACK
