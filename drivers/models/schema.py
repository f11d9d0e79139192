"""The chair model file format: one validated YAML file per chair model.

A model file says how to recognise a chair (BLE name patterns, serial settings), how to talk to
it (its protocol family, and what that family needs: key codes, or a data-point map), what it
can do, how its mechanics behave (travel times, used by the simulator) and how fast it may be
driven. Supporting a new chair of a known protocol family is a new file.

:data:`ChairModel` is any family's model; ``protocol.family`` says which
(:data:`MODEL_CLASSES`, the file format's side of the family registry; the behaviour's side is
:mod:`drivers.families`).
The parts every family shares are in :mod:`drivers.models.common`, each family's own in
:mod:`drivers.models.rongtai`, :mod:`drivers.models.tuya` and :mod:`drivers.models.ncni`.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Final

from drivers.models.common import (
    BleProfile,
    Match,
    Mechanics,
    ModelBase,
    RollerMode,
    SerialSettings,
    Strict,
    Timing,
    Transport,
)
from drivers.models.korean import KoreanModel
from drivers.models.ncni import NcniKeys, NcniModel, NcniProtocol
from drivers.models.rongtai import (
    AirbagGroup,
    AutoProgram,
    HoldKeys,
    KeyCode,
    Keys,
    RongtaiModel,
    RongtaiProtocol,
    StatusForm,
    TechniqueKey,
)
from drivers.models.tuya import (
    CODE_KINDS,
    SWITCHES,
    DataPoint,
    ManualMode,
    RegionMode,
    TuyaModel,
    TuyaProtocol,
)

#: A chair model of any protocol family: what the family's own code narrows to its class.
ChairModel = ModelBase

#: Protocol family name -> the model class of its files: one line per family. (The simulator
#: reads model files too, so this side of the registry lives with the models, not with the
#: adapters of :mod:`drivers.families`.)
MODEL_CLASSES: Final[Mapping[str, type[ChairModel]]] = MappingProxyType(
    {
        "rongtai-h10": RongtaiModel,
        "tuya-mcu": TuyaModel,
        "ncni": NcniModel,
        "korean-ascii": KoreanModel,
    }
)

#: The model chairctl uses when none is named (the simulated chair's, the app's first choice).
DEFAULT_MODEL: Final = "rongtai-rt8600s"


def model_class_for(data: Any) -> type[ChairModel] | str:
    """The model class a parsed model file's ``protocol.family`` names, or, when it names no
    known family, why not (the first family's class when the file names no family at all, so
    its own error says the field is missing)."""
    protocol = data.get("protocol") if isinstance(data, dict) else None
    family = protocol.get("family") if isinstance(protocol, dict) else None
    if family is None:
        return next(iter(MODEL_CLASSES.values()))
    if isinstance(family, str) and family in MODEL_CLASSES:
        return MODEL_CLASSES[family]
    return f"unknown protocol family {family!r}; known: {', '.join(MODEL_CLASSES)}"


__all__ = [
    "CODE_KINDS",
    "DEFAULT_MODEL",
    "MODEL_CLASSES",
    "SWITCHES",
    "AirbagGroup",
    "AutoProgram",
    "BleProfile",
    "ChairModel",
    "DataPoint",
    "HoldKeys",
    "KeyCode",
    "Keys",
    "ManualMode",
    "Match",
    "Mechanics",
    "ModelBase",
    "NcniKeys",
    "NcniModel",
    "NcniProtocol",
    "RegionMode",
    "RollerMode",
    "RongtaiModel",
    "RongtaiProtocol",
    "SerialSettings",
    "StatusForm",
    "Strict",
    "TechniqueKey",
    "Timing",
    "Transport",
    "TuyaModel",
    "TuyaProtocol",
    "model_class_for",
]
