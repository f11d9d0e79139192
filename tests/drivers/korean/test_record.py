"""One Korean-chair frame as the JSON object ``chairctl decode`` will print for it.

Frames: the captures of ``sebastianrcnt/massage-chair-hack``'s ``reverse.md`` and the
acknowledgements of its ``spec/chair.yml``."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chairctl.vocabulary import ProtocolError
from drivers.protocols.korean import record
from tests.drivers.korean.kframes import CAPTURES, short, wire


def test_the_sample_of_protocols_md() -> None:
    # "28: 23 5B F0 D7 0B 06 81 80 E0": the remote showed 28 minutes.
    assert record(CAPTURES["timer-28-a"]) == {
        "frame": "long status",
        "hex": "23 5B F0 D7 0B 06 81 80 E0",
        "timer_minutes": 28,
        "timer_segments": "5B 7F",
        "air": True,
        "air_strength": 1,
        "speed": 3,
        "width": "medium",
        "foot_roller": True,
        "heater": False,
        "motion_active": False,
        "lamps_away": {
            "technique": ["rolling_tapping"],
            "roller_position": [1],
            "air_zone": [],
            "motion": [],
        },
        "note": record(CAPTURES["timer-28-a"])["note"],
    }


@pytest.mark.parametrize("key", sorted(CAPTURES))
def test_every_capture_as_payload_or_as_wire_text_reads_its_minutes(key: str) -> None:
    minutes = int(key.split("-")[1])
    assert record(CAPTURES[key])["timer_minutes"] == minutes
    assert record(wire(CAPTURES[key]))["timer_minutes"] == minutes


@pytest.mark.parametrize(
    ("frame", "meaning"),
    [
        (bytes.fromhex("1103"), "single beep"),
        (b"~1104\r", "double beep"),
        (bytes.fromhex("1100"), "position"),
    ],
)
def test_an_acknowledgement_says_what_it_means(frame: bytes, meaning: str) -> None:
    decoded = record(frame)
    assert decoded["frame"] == "ack"
    assert meaning in decoded["meaning"]


def test_a_short_status() -> None:
    assert record(short(b1=0x08, b4=0x0D)) | {"note": ""} == {
        "frame": "short status",
        "hex": "00 08 13 20 0D",
        "manual": False,
        "area": "full",
        "auto_indicators": ["classic"],
        "auto_program": "classic",
        "note": "",
    }


def test_a_short_status_that_starts_with_a_tilde_is_still_a_status() -> None:
    # 7E .. 0D, but five bytes: the wire's text is always an even number of bytes.
    assert record(bytes.fromhex("7E0013200D"))["frame"] == "short status"


@pytest.mark.parametrize("frame", [bytes.fromhex("031513"), bytes.fromhex("0303"), b"\x00"])
def test_a_frame_of_no_known_kind_says_so(frame: bytes) -> None:
    decoded = record(frame)
    assert decoded["frame"] == "unknown"
    assert decoded["bytes"] == len(frame)


@pytest.mark.parametrize(
    ("frame", "message"),
    [(b"~11g3\r", "upper-case hex"), (b"~1\x1b\r", "0x1B"), (b"~123 \r", "upper-case hex")],
)
def test_wire_text_that_is_no_frame_is_a_protocol_error(frame: bytes, message: str) -> None:
    with pytest.raises(ProtocolError, match=message):
        record(frame)


@given(st.one_of(st.binary(max_size=40), st.binary(max_size=20).map(lambda b: b"~" + b + b"\r")))
def test_any_bytes_make_a_json_record_or_one_protocol_error(frame: bytes) -> None:
    message = None
    try:
        json.dumps(record(frame))
    except ProtocolError as error:
        message = str(error)
    if message is not None:
        # Only the wire's text form is refused, and the message is one printable line.
        assert len(frame) % 2 == 0
        assert frame.startswith(b"~")
        assert message.isprintable()
