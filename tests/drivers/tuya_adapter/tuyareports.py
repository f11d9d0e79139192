"""Helpers of the Tuya adapter tests: the example model, variants of it, and MCU reports."""

from __future__ import annotations

from typing import Any

from drivers.models import get_model
from drivers.models.tuya import TuyaCode, TuyaModel
from drivers.protocols.tuya import Command, encode_dps, encode_frame
from drivers.protocols.tuya.points import DpMap, DpValue

MODEL_ID = "tuya-amy-example"
MCU_VERSION = 0x03


def example() -> TuyaModel:
    """The shipped example model."""
    model = get_model(MODEL_ID)
    assert isinstance(model, TuyaModel)
    return model


def variant(**changes: Any) -> TuyaModel:
    """The example model with some fields changed, validated like a model file."""
    data = example().model_dump(mode="json", exclude_none=True)
    data.update(changes)
    return TuyaModel.model_validate(data)


def report(model: TuyaModel, values: dict[TuyaCode, DpValue]) -> bytes:
    """The MCU's DP report frame carrying ``values`` (in the order given)."""
    points = DpMap(model)
    data = encode_dps(points.encode(code, value) for code, value in values.items())
    return encode_frame(Command.DP_REPORT, data, version=MCU_VERSION)


def heartbeat_reply(first: bool = False) -> bytes:
    """The MCU's answer to a heartbeat."""
    return encode_frame(Command.HEARTBEAT, b"\x00" if first else b"\x01", version=MCU_VERSION)


#: Every DP of the example model as the MCU reports it after power-up: off, modes closed.
STANDBY: dict[TuyaCode, DpValue] = {
    "switch": False,
    "time_set": 15,
    "heat": False,
    "aircell_speed": "level_3",
    "massage_speed": "level_3",
    "aircell_location": "close",
    "ball_location": "middle",
    "foot_control": False,
    "back_control": "stop",
    "bottom_control": "stop",
    "gravity_control": "reset",
    "manual_mode": "close",
    "auto_mode": "close",
    "fault": 0,
}
