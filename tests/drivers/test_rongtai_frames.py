"""Key frames and the status frame shape of the Rongtai H10 protocol (protocols.md 1.3, 1.5)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chairctl.vocabulary import ProtocolError
from drivers.models.rongtai import RongtaiModel
from drivers.protocols.rongtai import checksum, encode_key, status_fields

# The worked examples of protocols.md 1.3, byte for byte.
WORKED_EXAMPLES = [
    (0x01, 0x83, "F0 83 01 7B F1"),  # power, Android app / HA identity
    (0x22, 0x83, "F0 83 22 5A F1"),  # shiatsu
    (0x01, 0x84, "F0 84 01 7A F1"),  # power, iOS identity
    (0x01, 0x82, "F0 82 01 7C F1"),  # power, wired hand controller
]


@pytest.mark.parametrize(("key", "device", "expected"), WORKED_EXAMPLES)
def test_worked_key_examples_encode_byte_for_byte(key: int, device: int, expected: str) -> None:
    assert encode_key(key, device) == bytes.fromhex(expected)


def test_default_device_byte_is_the_android_identity() -> None:
    assert encode_key(0x01) == bytes.fromhex("F0 83 01 7B F1")


@given(key=st.integers(0x00, 0x7F), device=st.sampled_from([0x82, 0x83, 0x84]))
def test_every_key_frame_is_five_bytes_and_checks(key: int, device: int) -> None:
    frame = encode_key(key, device)
    assert len(frame) == 5
    assert (frame[0], frame[1], frame[2], frame[4]) == (0xF0, device, key, 0xF1)
    assert frame[3] == (~(device + key)) & 0x7F
    # Nothing between the markers may look like a marker: there is no byte stuffing.
    assert 0xF0 not in frame[1:-1]
    assert 0xF1 not in frame[1:-1]


def test_every_key_of_the_model_encodes_with_its_device_byte(model: RongtaiModel) -> None:
    codes = [model.keys.power, *model.keys.speeds, *model.keys.widths.values()]
    codes += [t.key for t in model.keys.techniques.values()]
    for code in codes:
        assert encode_key(code, model.protocol.device_byte)[1:3] == bytes(
            (model.protocol.device_byte, code)
        )


@pytest.mark.parametrize("key", [0x80, 0xF0, 0xFF, 0x100, -1])
def test_keys_outside_seven_bits_are_refused(key: int) -> None:
    with pytest.raises(ProtocolError, match="7-bit key"):
        encode_key(key)


@pytest.mark.parametrize("device", [0xBD, 0xA5])
def test_engineering_and_program_download_identities_are_refused(device: int) -> None:
    with pytest.raises(ProtocolError, match="engineering or program-download"):
        encode_key(0x01, device)


@pytest.mark.parametrize("device", [0x00, 0x7F, 0xF0, 0xF1, 0x100])
def test_device_bytes_that_are_no_controller_identity_are_refused(device: int) -> None:
    with pytest.raises(ProtocolError, match="not a controller identity"):
        encode_key(0x01, device)


def test_checksum_is_the_inverted_sum_in_seven_bits() -> None:
    assert checksum(b"") == 0x7F
    assert checksum(bytes((0x83, 0x01))) == 0x7B
    # The sum may pass 255; only its low 7 bits matter.
    assert checksum(bytes([0x7F] * 14)) == (~(0x7F * 14)) & 0x7F


def test_status_fields_of_a_checked_frame_are_b1_to_b14() -> None:
    frame = bytes.fromhex("f0 05 03 00 09 30 00 00 2b 00 00 00 03 00 05 0b f1")
    assert status_fields(frame) == frame[1:15]


def test_status_fields_of_an_unchecked_frame_drop_b15_and_b16() -> None:
    fields = bytes.fromhex("05 03 00 09 30 00 00 2b 00 00 00 03 00 05")
    frame = b"\xf0" + fields + b"\x15\x00" + b"\xf1"
    assert len(frame) == 18
    assert status_fields(frame) == fields


@pytest.mark.parametrize(
    ("frame", "reason"),
    [
        ("f0 05 03 00 09 30 00 00 2b 00 00 00 03 00 05 0c f1", "bad checksum"),
        ("f0 05 03 00 09 30 00 00 2b 00 00 00 03 00 05 f1", "17 or 18 bytes, got 16"),
        ("f0 05 03 00 09 30 00 00 2b 00 00 00 03 00 05 00 00 00 f1", "got 19"),
        ("", "got 0"),
        ("e0 05 03 00 09 30 00 00 2b 00 00 00 03 00 05 0b f1", "starts with F0"),
        ("f0 05 03 00 09 30 00 00 2b 00 00 00 03 00 05 0b f2", "ends with F1"),
        ("f0 85 03 00 09 30 00 00 2b 00 00 00 03 00 05 0b f1", "byte 1 is 85"),
    ],
)
def test_malformed_frames_are_refused_with_one_line(frame: str, reason: str) -> None:
    with pytest.raises(ProtocolError, match=reason) as caught:
        status_fields(bytes.fromhex(frame))
    assert "\n" not in str(caught.value)
