"""The Tuya model format against the one Tuya massage product whose DP ids are public.

Every byte below is pinned to Tuya's smart neck massager demo
(github.com/tuya/tuya-iotos-embeded-demo-ble-smart-neck-massager, MIT; paths under
``tuya_ble_app/``; frames in ``tests/data/tuya-neck-massager-frames.txt``):

- ``src/driver/tuya_app_key.c`` lines 35-38, the report buffers ``{dpid, type, len, value}``:
  gear ``67 04 01 00``, mode ``68 04 01 00``, heat ``66 04 01 01``, switch ``69 01 01 00``;
- ``src/driver/tuya_temp_power_manage.c`` line 23: low-battery alarm ``65 01 01 00``;
- ``include/tuya_massage_func_logic.h``: HEAT_STATE strong_heat = 0, off_heat = 1; POWER_STATE
  ON = 0, OFF = 1; WORK_GEARS first_gear = 0 .. max_gear = 15; WORK_PATTERN relieve ..
  intelligent;
- ``src/tuya_massage_func_logic.c`` ``app_dp_handle``: DP 105 value 0 switches on, anything else
  off (lines 397-412); DP 102 value 0 heats (lines 272-285).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from chairctl.vocabulary import ModelError, Technique, WorkState
from drivers.models import get_model_as
from drivers.models.registry import load_model_file
from drivers.models.tuya import TuyaModel
from drivers.protocols.tuya import dp_deliver, encode_dps
from drivers.protocols.tuya.decoding import TuyaDecoder
from drivers.protocols.tuya.points import DpMap
from tests.conftest import golden_frames

G = golden_frames("tuya-neck-massager-frames.txt")


def neck() -> TuyaModel:
    model = get_model_as("tuya-neck-massager", TuyaModel)
    assert isinstance(model, TuyaModel)
    return model


def with_points(**points: dict[str, Any]) -> dict[str, Any]:
    """The neck massager's model file as data, with some data points replaced."""
    data = neck().model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    data["datapoints"] = {**data["datapoints"], **points}
    return data


def test_the_map_says_each_dp_as_the_source_does() -> None:
    model = neck()
    ids = {code: point.id for code, point in model.datapoints.items()}
    # DP ids of 101 and above: 0x65..0x69.
    assert ids == {
        "low_battery": 0x65,
        "heat": 0x66,
        "strength": 0x67,
        "manual_mode": 0x68,
        "switch": 0x69,
    }
    kinds = {code: model.kind_of(code) for code in model.datapoints}
    # The type bytes of the report buffers: 01 bool, 04 enum.
    assert kinds == {
        "low_battery": "bool",
        "heat": "enum",
        "strength": "enum",
        "manual_mode": "enum",
        "switch": "bool",
    }
    # "0 means on" for power (a bool) and for heat (an enum).
    assert model.switch_values("switch") == (False, True)
    assert model.switch_values("heat") == ("strong_heat", "off_heat")
    assert model.range_of("strength")[0] == "first_gear"
    assert model.range_of("strength")[15] == "max_gear"
    assert model.range_of("manual_mode") == (
        "relieve",
        "vitality",
        "hammering",
        "scraping_therapy",
        "intelligent",
    )
    # No auto mode, and no value that stops the pattern: only switching off does.
    assert "auto_mode" not in model.datapoints
    assert model.always_on("manual_mode")
    assert not model.closes("manual_mode")
    assert model.intensity_levels == len(model.strength_levels) == 5


def test_power_on_sends_the_value_that_product_reads_as_on() -> None:
    points = DpMap(neck())
    # app_dp_handle: DP 0x69 with value 0 (POWER_STATE ON) switches on.
    assert dp_deliver([points.encode("switch", True)]) == G["neck-power-on"]
    assert dp_deliver([points.encode("switch", False)]) == G["neck-power-off"]
    # The same ids read with the old format's defaults: a bool whose true is on. Its "on" is
    # the product's OFF (anything not 0).
    old = TuyaModel.model_validate(
        with_points(
            switch={"id": 0x69},
            heat={"id": 0x66},
            strength={"id": 0x67, "type": "enum", "range": list(neck().range_of("strength"))},
        )
    )
    assert dp_deliver([DpMap(old).encode("switch", True)]) == G["neck-power-off"]


def test_heat_on_and_off_are_the_heat_states() -> None:
    points = DpMap(neck())
    assert dp_deliver([points.encode("heat", True)]) == G["neck-heat-on"]
    assert dp_deliver([points.encode("heat", False)]) == G["neck-heat-off"]


def test_gear_and_pattern_records_are_the_report_buffers() -> None:
    points = DpMap(neck())
    # gear_buf {0x67, 0x04, 0x01, 0x00} and mode_buf {0x68, 0x04, 0x01, 0x00}, with the serial
    # protocol's two length bytes.
    assert encode_dps([points.encode("strength", "first_gear")]) == bytes.fromhex("67040001 00")
    assert encode_dps([points.encode("manual_mode", "relieve")]) == bytes.fromhex("68040001 00")
    assert encode_dps([points.encode("strength", "max_gear")]) == bytes.fromhex("67040001 0f")


def test_the_products_own_reports_read_as_its_firmware_means_them() -> None:
    decoder = TuyaDecoder(neck())
    statuses = []
    for key in (
        "neck-report-alarm",
        "neck-report-heat",
        "neck-report-gear",
        "neck-report-mode",
        "neck-report-switch",
    ):
        statuses += decoder.feed(G[key])
    (status,) = statuses  # only once the switch was seen
    # switch 00 is ON by app_dp_handle; heat 01 is off_heat; first_gear is intensity 1.
    assert status.running
    assert status.work_state is WorkState.RUNNING
    assert not status.heat
    assert status.intensity == 1
    assert status.technique is Technique.KNEAD  # relieve stands in for knead [assumed]
    assert decoder.foreign_records == 0
    # Switched off, the pattern the product still holds works nothing.
    (off,) = decoder.feed(G["neck-report-switch"][:-2] + bytes.fromhex("01 7a"))
    assert not off.running
    assert (off.technique, off.technique_code) == (None, 0)


def test_the_shipped_standard_map_reads_as_before() -> None:
    model = get_model_as("tuya-amy-example", TuyaModel)
    assert isinstance(model, TuyaModel)
    assert model.switch_values("switch") == (True, False)
    assert model.switch_values("heat") == (True, False)
    assert model.kind_of("heat") == "bool"
    assert "strength" not in model.datapoints
    assert model.closes("manual_mode")
    assert model.closes("auto_mode")
    assert DpMap(model).encode("switch", True).value is True


@pytest.mark.parametrize(
    ("points", "message"),
    [
        (
            {"heat": {"id": 0x66, "type": "enum", "range": ["strong_heat", "off_heat"]}},
            "heat is an enum DP: say which value is on and which off",
        ),
        (
            {"switch": {"id": 0x69, "type": "bool", "on": 0, "off": 1}},
            "switch is a bool DP: on must be true or false",
        ),
        ({"switch": {"id": 0x69, "on": True, "off": True}}, "switch: on and off are the same"),
        (
            {"heat": {"id": 0x66, "type": "enum", "range": ["a", "b"], "on": "a", "off": "c"}},
            "heat: off 'c' is not in its range",
        ),
        ({"strength": {"id": 0x67, "min": 0, "max": 15}}, "strength needs its type"),
        (
            {"strength": {"id": 0x67, "type": "bool"}},
            "strength (DP 103) must be an enum or a value DP, not a bool",
        ),
        (
            {"manual_mode": {"id": 0x68, "range": ["relieve", "vitality"]}},
            "manual_mode needs a 'close' value",
        ),
        (
            {"manual_mode": {"id": 0x68, "range": ["relieve", "close"], "always_on": True}},
            "manual_mode has a 'close' value: it is not always_on",
        ),
        ({"time_set": {"id": 2, "on": 1}}, "time_set is not a switch"),
        ({"time_set": {"id": 2, "min": 5, "max": 1}}, "time_set: min 5 is above max 1"),
    ],
)
def test_a_map_that_cannot_be_driven_is_refused(points: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        TuyaModel.model_validate(with_points(**points))
    assert message in str(caught.value)


@pytest.mark.parametrize(
    ("levels", "intensity_levels", "message"),
    [
        (["first_gear", "second_gear"], 5, "intensity_levels is 5 but strength_levels lists 2"),
        (["third_gear", "second_gear"], 2, "strength_levels must climb"),
        (["gear_99"], 1, "'gear_99' is not in the strength range"),
        ([], 5, "the strength DP needs strength_levels"),
    ],
)
def test_strength_levels_must_fit_the_strength_dp(
    levels: list[str], intensity_levels: int, message: str
) -> None:
    data = {**with_points(), "strength_levels": levels, "intensity_levels": intensity_levels}
    with pytest.raises(ValidationError) as caught:
        TuyaModel.model_validate(data)
    assert message in str(caught.value)


def test_a_model_file_with_the_new_keys_is_located_when_wrong(tmp_path: Path) -> None:
    source = Path("drivers/models/tuya-neck-massager.yaml").read_text()
    broken = source.replace("on: false, off: true", "on: false, off: false")
    path = tmp_path / "tuya-neck-massager.yaml"
    path.write_text(broken)
    with pytest.raises(ModelError) as caught:
        load_model_file(path)
    assert "switch: on and off are the same value" in str(caught.value)
