"""The Korean chair's line: key frames out, one frame in, what each kind of payload is.

Codes and acknowledgements from ``sebastianrcnt/massage-chair-hack``'s ``spec/chair.yml``
(``commands``, ``releases``, ``acks``); the framing from its bridge
(``firmware/micropython/main.py`` sends ``b"~" + command + b"\\r"``)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chairctl.vocabulary import ProtocolError
from drivers.protocols.korean import (
    MAX_PAYLOAD_DIGITS,
    Ack,
    AckFrame,
    LongStatus,
    ShortStatus,
    UnknownFrame,
    classify,
    command_frame,
    parse_frame,
)
from tests.drivers.korean.kframes import CAPTURES, short, wire


@pytest.mark.parametrize(
    ("code", "frame"),
    [
        # spec/chair.yml: Power press 0303, its release 0355 (protocols.md: "~0303\r (power
        # press) then ~0355\r (release)").
        (0x0303, b"~0303\r"),
        (0x0355, b"~0355\r"),
        # Timer 032D (hex letters in upper case, as every code in the source is written).
        (0x032D, b"~032D\r"),
        # Auto: Stretching's own release 0336; manual mode's release 0339.
        (0x0336, b"~0336\r"),
        (0x0339, b"~0339\r"),
        (0x0000, b"~0000\r"),
        (0xFFFF, b"~FFFF\r"),
    ],
)
def test_a_key_code_is_one_frame(code: int, frame: bytes) -> None:
    assert command_frame(code) == frame


@pytest.mark.parametrize("code", [-1, 0x10000, 0x12345])
def test_a_code_that_is_not_four_hex_digits_is_refused(code: int) -> None:
    with pytest.raises(ProtocolError, match="4 hex digits"):
        command_frame(code)


@pytest.mark.parametrize(
    ("text", "ack"),
    [
        # spec/chair.yml acks: 1103 "Single beep on remote", 1104 "Double beep on remote —
        # cycle complete", 1100 "observed after massage position up/down release only".
        (b"~1103\r", Ack.BEEP),
        (b"~1104\r", Ack.DOUBLE_BEEP),
        (b"~1100\r", Ack.MOVED),
    ],
)
def test_the_chairs_acknowledgements(text: bytes, ack: Ack) -> None:
    assert parse_frame(text) == AckFrame(ack)


def test_a_two_byte_code_that_is_no_acknowledgement_is_unknown() -> None:
    assert parse_frame(b"~1101\r") == UnknownFrame(b"\x11\x01")
    # A key code seen on the remote's line is no acknowledgement either.
    assert parse_frame(b"~0303\r") == UnknownFrame(b"\x03\x03")


def test_a_long_status_frame_is_a_long_status() -> None:
    frame = parse_frame(wire(CAPTURES["timer-28-a"]))
    assert isinstance(frame, LongStatus)
    assert frame.timer_minutes == 28


def test_a_short_status_frame_is_a_short_status() -> None:
    frame = parse_frame(wire(short()))
    assert isinstance(frame, ShortStatus)


@pytest.mark.parametrize(
    "payload",
    [
        # docs/decoding.md "Observed Short Samples": 3-byte frames "03 15 13", "00 06 15"
        # whose "exact field meaning [is] unknown": no field of the 5-byte map is in them.
        bytes.fromhex("031513"),
        bytes.fromhex("000615"),
        # One byte short of a long status, one byte over.
        bytes(8),
        bytes(10),
        b"\x11",
    ],
    ids=lambda p: p.hex(),
)
def test_a_frame_of_another_length_is_unknown(payload: bytes) -> None:
    assert classify(payload) == UnknownFrame(payload)
    assert parse_frame(wire(payload)) == UnknownFrame(payload)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (b"1103\r", "starts with '~'"),
        (b"~1103", r"ends with '\\r'"),
        (b"~1103\n", r"ends with '\\r'"),
        (b"~\r", "empty"),
        (b"~110\r", "odd 3 digits"),
        (b"~11O3\r", "character 3 is 0x4F"),
        # Lower case is not what the chair sends: a flipped bit 5 of a letter makes it.
        (b"~235bF0D70B068180E0\r", "character 4 is 0x62"),
        (b"~11\x1b[2J\r", "character 3 is 0x1B"),
        (b"~" + b"0" * (MAX_PAYLOAD_DIGITS + 2) + b"\r", f"at most {MAX_PAYLOAD_DIGITS}"),
    ],
)
def test_a_bad_frame_says_what_is_wrong(text: bytes, message: str) -> None:
    with pytest.raises(ProtocolError, match=message):
        parse_frame(text)


def test_a_bad_frame_never_echoes_control_characters() -> None:
    with pytest.raises(ProtocolError) as raised:
        parse_frame(b"~\x1b[31m\r")
    assert "\x1b" not in str(raised.value)


@given(st.binary(max_size=40))
def test_any_payload_is_some_frame(payload: bytes) -> None:
    assert isinstance(classify(payload), LongStatus | ShortStatus | AckFrame | UnknownFrame)


@given(st.binary(max_size=40))
def test_parsing_any_bytes_gives_a_frame_or_a_protocol_error(text: bytes) -> None:
    message = ""
    try:
        parse_frame(text)
    except ProtocolError as error:
        message = str(error)
    assert message.isprintable()
