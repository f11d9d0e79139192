"""Fixtures for the simulated Tuya chair: the example model, a chair, and a module on its wire."""

from __future__ import annotations

import pytest

from chairctl.clock import VirtualClock
from drivers.models import get_model_as
from drivers.models.tuya import TuyaModel
from simulator.tuya.chair import TuyaChair
from tests.simulator.tuya_chair.tuyahelpers import Module


@pytest.fixture
def model() -> TuyaModel:
    loaded = get_model_as("tuya-amy-example", TuyaModel)
    assert isinstance(loaded, TuyaModel)
    return loaded


@pytest.fixture
def clock() -> VirtualClock:
    return VirtualClock()


@pytest.fixture
def chair(model: TuyaModel, clock: VirtualClock) -> TuyaChair:
    return TuyaChair(model, clock)


@pytest.fixture
def module(chair: TuyaChair, clock: VirtualClock, model: TuyaModel) -> Module:
    return Module(chair, clock, model)
