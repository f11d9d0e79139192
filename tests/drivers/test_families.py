"""The family registries: every family the drivers know, the model files and the simulator
know too, and what each registers fits together."""

from __future__ import annotations

import pytest

from chairctl.clock import VirtualClock
from drivers.adapters import adapter_for
from drivers.families import FAMILIES, family_of
from drivers.models import get_model, registry
from drivers.models.schema import MODEL_CLASSES
from simulator.families import SIMULATED, simulated_chair


def test_the_three_registries_name_the_same_families() -> None:
    assert set(FAMILIES) == set(MODEL_CLASSES) == set(SIMULATED)
    for name, family in FAMILIES.items():
        assert family.name == name
        assert MODEL_CLASSES[name] is family.model_class


@pytest.mark.parametrize("name", sorted(FAMILIES))
def test_each_family_stands_for_itself_with_a_shipped_model(name: str) -> None:
    family = FAMILIES[name]
    model = get_model(family.example_model)
    assert model.family == name
    assert isinstance(model, family.model_class)
    assert family_of(model) is family
    # Its parts work on its example: an adapter, a simulated chair, details to show.
    assert adapter_for(model) is not None
    chair = simulated_chair(model, VirtualClock())
    chair.close()
    details = family.details(model)
    assert details.protocol
    assert details.tables


def test_every_shipped_model_belongs_to_a_registered_family() -> None:
    for model in registry():
        assert family_of(model).model_class is type(model)
