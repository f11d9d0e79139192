"""Fixtures for the simulated NCNI chair: the shipped model, a virtual clock, the chair, a panel."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from ncnihelpers import Panel

from chairctl.clock import VirtualClock
from drivers.models import get_model
from drivers.models.ncni import NcniModel
from simulator.ncni.chair import NcniChair


@pytest.fixture
def ncni() -> NcniModel:
    model = get_model("ncni-chair")
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
