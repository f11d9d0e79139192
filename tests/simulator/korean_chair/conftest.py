"""Fixtures for the simulated Korean chair: the example model, a virtual clock, the chair built
through ``simulate``, and a remote on its line."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from chairctl.clock import VirtualClock
from drivers.models.korean import KoreanModel
from simulator.korean.chair import KoreanChair, simulate
from tests.simulator.korean_chair.koreanhelpers import Remote, load_korean


@pytest.fixture
def korean() -> KoreanModel:
    return load_korean()


@pytest.fixture
def clock() -> VirtualClock:
    return VirtualClock()


@pytest.fixture
def korean_chair(korean: KoreanModel, clock: VirtualClock) -> Iterator[KoreanChair]:
    chair = simulate(korean, clock, "wired", None, None)
    yield chair
    chair.close()


@pytest.fixture
def remote(korean_chair: KoreanChair, clock: VirtualClock) -> Remote:
    return Remote(korean_chair, clock)
