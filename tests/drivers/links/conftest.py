"""Fixtures of the link tests: a simulated BLE chair on a virtual clock, in a simulated air."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from chairctl.clock import VirtualClock
from drivers.models import ChairModel
from simulator.ble import SimulatedAir, SimulatedPeripheral
from simulator.chair import SimulatedChair
from simulator.families import simulated_chair

#: An advertised name as an Infinity-branded RT8600S has it.
NAME = "EVOLUTION-012345"


@pytest.fixture
def clock() -> VirtualClock:
    return VirtualClock()


@pytest.fixture
def chair(model: ChairModel, clock: VirtualClock) -> Iterator[SimulatedChair]:
    chair = simulated_chair(model, clock, transport="ble")
    yield chair
    chair.close()


@pytest.fixture
def air() -> Iterator[SimulatedAir]:
    with SimulatedAir() as air:
        yield air


@pytest.fixture
def peripheral(air: SimulatedAir, chair: SimulatedChair) -> SimulatedPeripheral:
    return air.add(chair, name=NAME)
