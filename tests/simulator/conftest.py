"""Fixtures for the simulated chair: a model, a virtual clock, a chair and a paced controller."""

from __future__ import annotations

import pytest

from chairctl.clock import VirtualClock
from drivers.models import ChairModel, get_model_as
from drivers.models.rongtai import RongtaiModel
from simulator.chair import SimulatedChair
from simulator.families import simulated_chair
from tests.simulator.simhelpers import Controller


@pytest.fixture
def model() -> ChairModel:
    return get_model_as("rongtai-rt8600s", RongtaiModel)


@pytest.fixture
def clock() -> VirtualClock:
    return VirtualClock()


@pytest.fixture
def chair(model: ChairModel, clock: VirtualClock) -> SimulatedChair:
    return simulated_chair(model, clock, transport="ble")


@pytest.fixture
def ctl(chair: SimulatedChair, clock: VirtualClock) -> Controller:
    return Controller(chair, clock)
