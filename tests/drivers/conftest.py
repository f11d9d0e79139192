"""Fixtures of the driver tests: the shipped Rongtai RT8600S model (the captured frames and the
in-process ``chairctl`` runner are the whole suite's, in ``tests/conftest.py``)."""

from __future__ import annotations

import pytest

from drivers.models import get_model_as
from drivers.models.rongtai import RongtaiModel


@pytest.fixture(scope="session")
def model() -> RongtaiModel:
    """The shipped Rongtai RT8600S model."""
    return get_model_as("rongtai-rt8600s", RongtaiModel)
