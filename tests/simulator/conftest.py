"""Fixtures for the simulated chair: a model, a virtual clock, a chair and a paced controller."""

from __future__ import annotations

import pytest

from chairctl.clock import VirtualClock
from drivers.models import get_model_as
from drivers.models.rongtai import RongtaiModel
from simulator.rongtai.chair import RongtaiChair
from tests.simulator.simhelpers import Controller, rongtai_chair


@pytest.fixture
def model() -> RongtaiModel:
    return get_model_as("rongtai-rt8600s", RongtaiModel)


@pytest.fixture
def clock() -> VirtualClock:
    return VirtualClock()


@pytest.fixture
def chair(model: RongtaiModel, clock: VirtualClock) -> RongtaiChair:
    return rongtai_chair(model, clock, transport="ble")


@pytest.fixture
def ctl(chair: RongtaiChair, clock: VirtualClock) -> Controller:
    return Controller(chair, clock)
