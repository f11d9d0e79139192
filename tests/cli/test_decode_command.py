"""``chairctl decode``: hex frames in, one JSON line per frame out, one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import TYPE_CHECKING, Any

import pytest

from drivers.protocols.rongtai import checksum

if TYPE_CHECKING:
    from collections.abc import Callable

    from tests.captures import Capture
    from tests.conftest import Run


def lines(out: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in out.splitlines()]


# What each capture must print, on the fields the brief names and the notes speak of.
EXPECTED: list[dict[str, Any]] = [
    {
        "running": False,
        "work_state": "standby",
        "technique": None,
        "remaining_s": 1200,
        "range": None,
        "program": None,
        "airbag_program": [],
        "airbags_active": [],
    },
    {"running": True, "work_state": "waiting", "technique": None, "speed": 0, "program": None},
    {
        "running": True,
        "work_state": "running",
        "technique": "knead",
        "width": "medium",
        "speed": 2,
        "intensity": 5,
        "range": "full",
        "remaining_s": 816,
        "program": "manual",
        "heat": False,
        "foot_roller": False,
    },
    {
        "heat": False,
        "remaining_s": 1778,
        "preset_minutes": 30,
        "airbag_level": 2,
        "airbag_program": ["shoulders", "arms", "waist", "seat", "thighs", "calves", "feet"],
        "airbags_active": ["arms"],
        "foot_roller": True,
        "foot_roller_speed": 3,
        "roller_position": 9,
        "intensity": 1,
        "backrest": "up",
        "leg_rest": "down",
    },
    {"airbag_program": ["shoulders", "arms"], "width": "narrow", "roller_position": 5},
    {"airbag_program": ["calves", "feet"], "airbags_active": ["feet"], "remaining_s": 340},
]

REQUIRED_KEYS = {
    "running",
    "work_state",
    "technique",
    "width",
    "speed",
    "heat",
    "airbag_level",
    "remaining_s",
    "range",
    "roller_position",
    "program",
    "intensity",
    "airbag_program",
    "airbags_active",
    "foot_roller",
    "error_code",
    "preset_minutes",
}


def test_every_capture_decodes_to_one_json_line(
    chairctl: Callable[..., Run], captures: list[Capture]
) -> None:
    code, out, err = chairctl("decode", *(c.text for c in captures[: len(EXPECTED)]))
    assert (code, err) == (0, "")
    printed = lines(out)
    assert len(printed) == len(EXPECTED)
    for obj, expected in zip(printed, EXPECTED, strict=True):
        assert obj.keys() >= REQUIRED_KEYS
        assert {k: obj[k] for k in expected} == expected


def test_spellings_of_one_frame_agree(
    chairctl: Callable[..., Run], captures: list[Capture]
) -> None:
    text = captures[2].text
    compact = text.replace(" ", "")
    spellings = [text, compact, compact.upper(), text.replace(" ", ":"), f"  {text.upper()}  "]
    code, out, _ = chairctl("decode", "--model", "rongtai-rt8600s", *spellings)
    assert code == 0
    printed = lines(out)
    assert len(printed) == len(spellings)
    assert all(obj == printed[0] for obj in printed)


def test_the_eighteen_byte_form_decodes(chairctl: Callable[..., Run]) -> None:
    fields = "4d 0a 00 26 30 00 03 20 00 00 00 03 1c 05"
    code, out, _ = chairctl("decode", f"f0 {fields} 15 00 f1")
    assert code == 0
    (obj,) = lines(out)
    assert (obj["technique"], obj["remaining_s"]) == ("knead", 816)


def test_an_unmapped_technique_shows_the_chairs_own_label(
    chairctl: Callable[..., Run],
) -> None:
    fields = bytes.fromhex("7d 0a 00 26 30 00 03 20 00 00 00 03 1c 05")  # b1 bits 3..5 = 7
    frame = b"\xf0" + fields + bytes((checksum(fields),)) + b"\xf1"
    code, out, _ = chairctl("decode", frame.hex())
    assert code == 0
    (obj,) = lines(out)
    assert (obj["technique"], obj["technique_code"]) == ("rubbing", 7)


def test_a_fault_frame_shows_the_error_code(chairctl: Callable[..., Run]) -> None:
    fields = bytes.fromhex("45 03 00 01 05 00 05 2b 00 00 00 03 00 05")
    frame = b"\xf0" + fields + bytes((checksum(fields),)) + b"\xf1"
    code, out, _ = chairctl("decode", frame.hex())
    assert code == 0
    (obj,) = lines(out)
    assert (obj["work_state"], obj["error_code"], obj["remaining_s"]) == ("fault", 133, 0)


def test_a_bad_checksum_stops_with_one_line_naming_the_frame(
    chairctl: Callable[..., Run], captures: list[Capture]
) -> None:
    good = captures[0].text
    bad = captures[1].text[:-5] + "03 f1"  # checksum 02 -> 03
    code, out, err = chairctl("decode", good, bad, captures[2].text)
    assert code == 1
    assert len(lines(out)) == 1  # the frame before it was printed, the one after was not
    assert err.count("\n") == 1
    assert err.startswith("chairctl: frame 2 ")
    assert "bad checksum" in err


@pytest.mark.parametrize(
    ("arg", "reason"),
    [
        ("f0 zz 03", "not hex"),
        ("hello", "not hex"),
        ("f0 05 0", "odd number"),
        ("", "empty frame"),
        ("f0 05 03 f1", "17 or 18 bytes, got 4"),
        ("f0", "quote a frame written with spaces"),
    ],
)
def test_bad_input_gives_exit_1_and_one_line(
    chairctl: Callable[..., Run], arg: str, reason: str
) -> None:
    code, out, err = chairctl("decode", arg)
    assert (code, out) == (1, "")
    assert err.count("\n") == 1
    assert err.startswith("chairctl: frame 1 ")
    assert reason in err


def test_an_unknown_model_gives_the_registrys_message(
    chairctl: Callable[..., Run], captures: list[Capture]
) -> None:
    code, out, err = chairctl("decode", "--model", "rongtai-rt9999", captures[0].text)
    assert (code, out) == (1, "")
    assert err == (
        "chairctl: no chair model 'rongtai-rt9999' (did you mean 'rongtai-rt8600s'?); "
        "known: korean-ascii-remote, ncni-chair, rongtai-rt8600s, tuya-amy-example, "
        "tuya-neck-massager\n"
    )


def test_python_dash_m_runs_without_a_traceback(captures: list[Capture]) -> None:
    ok = subprocess.run(
        [sys.executable, "-m", "chairctl", "decode", captures[2].text],
        capture_output=True,
        text=True,
        check=False,
    )
    assert ok.returncode == 0
    assert json.loads(ok.stdout)["technique"] == "knead"
    bad = subprocess.run(
        [sys.executable, "-m", "chairctl", "decode", "not a frame"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 1
    assert "Traceback" not in bad.stderr
    assert bad.stderr.startswith("chairctl: frame 1 ")


def test_decode_shows_the_anion_and_the_3d_program(chairctl: Callable[..., Run]) -> None:
    # Real captures (hass-infinity-chair tests/test_protocol.py): test_parse_ionizer's "on"
    # frame, and test_parse_3d_program's chair in a 3D preset.
    ionizer_on = "f0 55 35 42 48 4a 63 03 20 00 00 00 43 19 01 3e f1"
    in_3d = "f0 45 26 02 24 0d 10 03 28 00 00 00 43 2d 0d 29 f1"
    code, out, _ = chairctl("decode", ionizer_on, in_3d)
    assert code == 0
    anion, three_d = lines(out)
    assert (anion["anion"], anion["airbag_level"], anion["mode_3d"]) == (True, 2, 0)
    assert (three_d["anion"], three_d["program"], three_d["mode_3d"]) == (False, "3d", 1)
    assert (three_d["technique"], three_d["intensity"]) == (None, 5)
