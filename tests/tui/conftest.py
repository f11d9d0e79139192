"""Fixtures of the app's tests: the real broker the app-on-a-bridge tests reach their bridge
through (tests/bridge/broker.py: mosquitto when installed, else amqtt)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.bridge.broker import Broker, broker_for


@pytest.fixture
def broker(tmp_path: Path) -> Iterator[Broker]:
    """A real broker on 127.0.0.1 and a free port, stopped when the test ends."""
    with broker_for(tmp_path) as running:
        yield running
