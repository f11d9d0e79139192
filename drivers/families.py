"""The registry of protocol families: one line per family, the one place that names them all.

Everything else asks here, by a model's ``protocol.family``: the class of its model files, its
adapter, how ``decode`` reads its frames, what ``models`` shows. Adding a family is its own
folders plus one line below (and one in :mod:`simulator.families`); ``docs/adding-a-family.md``
says what each folder holds.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Final

from drivers.adapters.korean.family import KOREAN
from drivers.adapters.ncni.family import NCNI
from drivers.adapters.rongtai.family import RONGTAI
from drivers.adapters.tuya.family import TUYA
from drivers.family import Family
from drivers.models.common import ModelBase

#: Every family, by the name model files give it.
FAMILIES: Final[Mapping[str, Family[Any]]] = MappingProxyType(
    {family.name: family for family in (RONGTAI, TUYA, NCNI, KOREAN)}
)


def family_of(model: ModelBase) -> Family[Any]:
    """The family of ``model`` (every model class comes from a registered family: the model
    registry validates files with :data:`FAMILIES`' classes)."""
    return FAMILIES[model.family]
