"""``chairctl decode`` on Tuya frames: value maps, type mismatches, and a checksum one too low.

Frames from ``tests/data/tuya-neck-massager-frames.txt`` (Tuya's smart neck massager demo, the
report buffers of ``tuya_ble_app/src/driver/tuya_app_key.c`` lines 35-38) and
``tests/data/tuya-one-low-frames.txt`` (a Tuya dimmer MCU's frames in
esphome/feature-requests#352, their checksum one below the sum of their bytes).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from drivers.protocols.tuya import Command, DataPoint, DpType, encode_dps, encode_frame
from tests.conftest import golden_frames

if TYPE_CHECKING:
    from collections.abc import Callable

    from tests.conftest import Run

NECK = golden_frames("tuya-neck-massager-frames.txt")
ONE_LOW = golden_frames("tuya-one-low-frames.txt")


def dps(out: str) -> list[dict[str, Any]]:
    return [dp for line in out.splitlines() for dp in json.loads(line)["dps"]]


def report(*points: DataPoint) -> str:
    return encode_frame(Command.DP_REPORT, encode_dps(points), version=3).hex()


def test_the_products_reports_read_with_their_value_maps(chairctl: Callable[..., Run]) -> None:
    frames = [NECK[k].hex() for k in ("neck-report-switch", "neck-report-heat", "neck-report-gear")]
    code, out, err = chairctl("decode", "--model", "tuya-neck-massager", *frames)
    assert (code, err) == (0, "")
    assert dps(out) == [
        # switch_buf 69 01 .. 00: a bool whose 0 is ON (app_dp_handle).
        {"dp": 105, "code": "switch", "type": "bool", "value": False, "meaning": "on"},
        # heat_buf 66 04 .. 01: off_heat.
        {"dp": 102, "code": "heat", "type": "enum", "value": 1, "meaning": "off"},
        {"dp": 103, "code": "strength", "type": "enum", "value": 0, "meaning": "first_gear"},
    ]


def test_a_record_whose_type_contradicts_the_map_is_a_mismatch(
    chairctl: Callable[..., Run],
) -> None:
    # DP 102 arriving as a bool, and DP 105 as an enum: not heat, not switch.
    frame = report(DataPoint(0x66, DpType.BOOL, True), DataPoint(0x69, DpType.ENUM, 0))
    code, out, _ = chairctl("decode", "--model", "tuya-neck-massager", frame)
    assert code == 0
    heat, switch = dps(out)
    assert heat == {
        "dp": 102,
        "code": None,
        "type": "bool",
        "value": True,
        "mismatch": "the model file (tuya-neck-massager) maps DP 102 to heat, an enum DP; "
        "this record is a bool",
    }
    assert switch["code"] is None
    assert "maps DP 105 to switch, a bool DP; this record is an enum" in switch["mismatch"]
    # The standard's map: an integer on DP 3 is no heat either.
    code, out, _ = chairctl(
        "decode", "--model", "tuya-amy-example", report(DataPoint(3, DpType.INT, 7))
    )
    ((heat,),) = [json.loads(line)["dps"] for line in out.splitlines()]
    assert heat["code"] is None
    assert "maps DP 3 to heat, a bool DP; this record is a value" in heat["mismatch"]


def test_a_checksum_one_too_low_is_refused_naming_the_known_fault(
    chairctl: Callable[..., Run],
) -> None:
    code, out, err = chairctl("decode", "--model", "tuya-amy-example", ONE_LOW["one-low-dp1"].hex())
    assert (code, out) == (1, "")
    assert err == (
        "chairctl: frame 1 ('55aa0107000501010001010f'): bad checksum: frame says 0F, bytes sum "
        "to 10 (one too low: a fault known in some Tuya MCU firmware "
        "(esphome/feature-requests#352); chairctl refuses such frames)\n"
    )
