"""Fixtures for the simulated NCNI chair: the shipped model, a virtual clock, the chair, a panel."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from chairctl.clock import VirtualClock
from drivers.models import get_model_as
from drivers.models.ncni import NcniModel
from simulator.ncni.chair import NcniChair
from tests.simulator.ncni_chair.ncnihelpers import Panel


@pytest.fixture
def ncni() -> NcniModel:
    model = get_model_as("ncni-chair", NcniModel)
    assert isinstance(model, NcniModel)
    return model


@pytest.fixture
def clock() -> VirtualClock:
    return VirtualClock()


@pytest.fixture
def ncni_chair(ncni: NcniModel, clock: VirtualClock) -> Iterator[NcniChair]:
    chair = NcniChair(ncni, clock)
    yield chair
    chair.close()


@pytest.fixture
def panel(ncni_chair: NcniChair, clock: VirtualClock) -> Panel:
    return Panel(ncni_chair, clock)
