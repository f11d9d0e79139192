"""``chairctl decode`` on the Tuya and NCNI families: frames to JSON by the model's family."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING

from drivers.protocols.tuya import Command, DataPoint, DpType, encode_dps, encode_frame
from simulator.ncni.frames import ChairImage

if TYPE_CHECKING:
    from tests.conftest import Run


def test_a_tuya_report_names_each_data_point_by_the_models_map(
    chairctl: Callable[..., Run],
) -> None:
    report = encode_frame(
        Command.DP_REPORT,
        encode_dps(
            [
                DataPoint(1, DpType.BOOL, True),
                DataPoint(12, DpType.ENUM, 3),
                DataPoint(99, DpType.INT, 7),
            ]
        ),
        version=3,
    )
    code, out, err = chairctl("decode", "--model", "tuya-amy-example", report.hex())
    assert (code, err) == (0, "")
    decoded = json.loads(out)
    assert decoded["command"] == "dp_report"
    assert decoded["dps"] == [
        {"dp": 1, "code": "switch", "type": "bool", "value": True, "meaning": "on"},
        {"dp": 12, "code": "manual_mode", "type": "enum", "value": 3, "meaning": "shiatsu"},
        # A DP the map does not name is shown as it came: how a product's own map is found.
        {"dp": 99, "code": None, "type": "int", "value": 7},
    ]


def test_a_tuya_heartbeat_reply_shows_its_command_and_data(chairctl: Callable[..., Run]) -> None:
    code, out, _ = chairctl("decode", "--model", "tuya-amy-example", "55 AA 03 00 00 01 01 04")
    assert code == 0
    assert json.loads(out) == {"version": 3, "command": "heartbeat", "data": "01"}


def test_a_bad_tuya_sum_is_one_line_and_exit_1(chairctl: Callable[..., Run]) -> None:
    code, out, err = chairctl("decode", "--model", "tuya-amy-example", "55AA030000010105")
    assert (code, out) == (1, "")
    assert err.startswith("chairctl: frame 1 ")
    assert err.count("\n") == 1


def test_an_ncni_status_becomes_the_normalised_status(chairctl: Callable[..., Run]) -> None:
    frame = ChairImage(powered=True, running=True, manual=frozenset({"neck"}), intensity=2)
    code, out, err = chairctl("decode", "--model", "ncni-chair", frame.encode().hex())
    assert (code, err) == (0, "")
    decoded = json.loads(out)
    assert decoded["running"] is True
    assert decoded["work_state"] == "running"
    assert decoded["intensity"] == 3  # the chair's 2 of 3, never read softer
    assert decoded["technique"] is None  # the chair names none


def test_a_cut_ncni_frame_is_one_line_and_exit_1(chairctl: Callable[..., Run]) -> None:
    frame = ChairImage(powered=True).encode()[:20]
    code, out, err = chairctl("decode", "--model", "ncni-chair", frame.hex())
    assert (code, out) == (1, "")
    assert err.startswith("chairctl: frame 1 ")
    assert err.count("\n") == 1
