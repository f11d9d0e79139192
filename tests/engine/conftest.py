"""A rig for engine tests: a real session, codec and simulated chair on one virtual clock."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest

from chairctl.clock import VirtualClock
from chairctl.engine import Engine, Event, StatusReceived
from chairctl.plan import Plan
from drivers.chair import ChairSession
from drivers.links import DataCallback, Endpoint, LostCallback, MemoryLink
from drivers.models import get_model_as
from drivers.models.rongtai import RongtaiModel
from simulator.families import simulated_chair
from simulator.rongtai.chair import RongtaiChair


@dataclass
class Rig:
    model: RongtaiModel
    clock: VirtualClock
    chair: RongtaiChair
    session: ChairSession
    events: list[Event] = field(default_factory=list)

    def engine(self, plan: Plan, **options: float) -> Engine:
        engine = Engine(plan, self.session, self.clock, **options)
        engine.listen(lambda e: None if isinstance(e, StatusReceived) else self.events.append(e))
        return engine

    def kinds(self) -> list[str]:
        return [type(e).__name__ for e in self.events]


@pytest.fixture
async def rig() -> AsyncIterator[Rig]:
    model = get_model_as("rongtai-rt8600s", RongtaiModel)
    clock = VirtualClock()
    chair = simulated_chair(model, clock, transport="ble")
    assert isinstance(chair, RongtaiChair)

    def link() -> MemoryLink:
        def opener(on_data: DataCallback, on_lost: LostCallback) -> Endpoint:
            return chair.connect(on_data=on_data, on_close=on_lost)

        return MemoryLink(opener)

    session = ChairSession(model, link, clock)
    await clock.run(session.connect())
    yield Rig(model, clock, chair, session)
    await clock.run(session.close())
