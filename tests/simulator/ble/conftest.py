"""Fixtures of the simulated BLE backend: an air, and the fixture chair in it as a peripheral."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from simulator.ble import SimulatedAir, SimulatedPeripheral
from simulator.chair import SimulatedChair

#: An advertised name as an Infinity-branded RT8600S has it (tests read it from the
#: peripheral: conftest modules are not for importing).
NAME = "EVOLUTION-012345"


@pytest.fixture
def air() -> Iterator[SimulatedAir]:
    with SimulatedAir() as air:
        yield air


@pytest.fixture
def peripheral(air: SimulatedAir, chair: SimulatedChair) -> SimulatedPeripheral:
    return air.add(chair, name=NAME)
