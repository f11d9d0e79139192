"""The bridge tests' broker: a real one on 127.0.0.1 and a free port (tests/bridge/broker.py),
one per test, stopped when it ends."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.bridge.broker import Broker, broker_for


@pytest.fixture
def broker(tmp_path: Path) -> Iterator[Broker]:
    """mosquitto when installed, else amqtt (``CHAIRCTL_TEST_BROKER`` chooses)."""
    with broker_for(tmp_path) as running:
        yield running


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """The bridge's local database folder."""
    return tmp_path / "home"
