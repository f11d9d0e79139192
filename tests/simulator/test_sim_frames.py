"""The chair-side H10 framing against golden frames, and its parser against any bytes."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chairctl.vocabulary import ProtocolError
from drivers.models.rongtai import RongtaiModel
from simulator.errors import SimulatorError
from simulator.rongtai.frames import (
    KeyFrame,
    KeyFrameParser,
    Layout,
    StatusImage,
    key_frame,
    layout_for,
    status_checksum,
)

CAPTURES = Path(__file__).parent.parent / "data" / "rongtai-status-frames.txt"


def captured_frames() -> list[bytes]:
    """The real frames of the corpus with a good checksum (one is marked ``refused=``)."""
    frames = []
    for line in CAPTURES.read_text().splitlines():
        text, _, note = line.partition("#")
        if text.strip() and "refused=" not in note:
            frames.append(bytes.fromhex(text))
    return frames


def test_the_real_frames_are_there() -> None:
    assert len(captured_frames()) == 33


@pytest.mark.parametrize("frame", captured_frames(), ids=lambda f: f.hex()[:20])
def test_every_capture_re_encodes_byte_for_byte(frame: bytes) -> None:
    assert StatusImage.parse(frame).encode(Layout.BLE) == frame


def test_captures_decode_as_the_field_map_says() -> None:
    idle, waiting, knead, heat_off, arm_airbags, leg_airbags = map(
        StatusImage.parse, captured_frames()[:6]
    )
    # Idle: standby, 20-minute default on the timer, 3D chair, strength 5 remembered.
    assert (idle.work_state, idle.powered, idle.timer) == (0, False, 1200)
    assert (idle.has_3d, idle.strength, idle.technique) == (True, 5, 0)
    assert idle.roller_position == 11
    # Powered, waiting for a command.
    assert (waiting.work_state, waiting.powered, waiting.timer) == (2, True, 0)
    # Running manual knead: technique 1, program 7, 816 s left, full range, strength 5.
    assert (knead.work_state, knead.technique, knead.program) == (3, 1, 7)
    assert (knead.timer, knead.massage_range, knead.strength) == (816, 1, 5)
    assert (knead.width, knead.speed) == (2, 2)
    # Heat off, 1778 s left, 30-minute preset, full-body airbag program at level 2.
    assert heat_off.heat_on is False
    assert (heat_off.timer, heat_off.preset_code) == (1778, 3)
    assert heat_off.airbag_program == 0b10000
    assert heat_off.airbag_level == 2
    assert (heat_off.speed, heat_off.foot_roller_on, heat_off.foot_roller_speed) == (6, True, 3)
    assert heat_off.airbags_b6 == 0b10000  # the arm airbag inflates
    assert (heat_off.backrest_motion, heat_off.calf_motion) == (1, 2)
    assert (heat_off.roller_direction, heat_off.strength) == (1, 1)
    # Arm/shoulder airbag program (b12 0x10) and legs/feet (b12 0x04, foot airbag active).
    assert arm_airbags.airbag_program == 0b00100
    assert leg_airbags.airbag_program == 0b00001
    assert leg_airbags.airbags_b6 == 0b00001


def test_every_real_frame_has_the_first_zero_g_flag_and_never_b1_bit_1() -> None:
    # b8 bit 5 ("first zero-G position reached", RT6923 Main_Send) is set in every real
    # frame, idle or running; b1 bit 1 (the iOS app's "no leg extension") in none.
    for frame in captured_frames():
        image = StatusImage.parse(frame)
        assert image.first_zero_g
        assert not image.second_zero_g
        assert not image.no_leg_extension


def test_wired_form_has_eighteen_bytes_and_no_checksum() -> None:
    image = StatusImage.parse(captured_frames()[2]).replace(
        stretch_vigour=1, led_on=True, knead_turn=2, tapping_off=False
    )
    wired = image.encode(Layout.WIRED)
    assert len(wired) == 18
    assert (wired[0], wired[-1], wired[15], wired[16]) == (0xF0, 0xF1, 0x15, 0x00)
    assert wired[1:15] == captured_frames()[2][1:15]
    assert StatusImage.parse(wired) == image


def test_a_bad_status_checksum_is_refused() -> None:
    frame = bytearray(captured_frames()[0])
    frame[15] ^= 0x01
    with pytest.raises(ProtocolError, match="checksum"):
        StatusImage.parse(bytes(frame))


@pytest.mark.parametrize("bad", [b"", b"\xf0\xf1", bytes(17), b"\xf0" + bytes(16) + b"\xf0"])
def test_malformed_status_frames_are_refused(bad: bytes) -> None:
    with pytest.raises(ProtocolError):
        StatusImage.parse(bad)


def test_a_field_that_does_not_fit_is_a_bug_not_a_frame() -> None:
    with pytest.raises(ValueError, match="work_state"):
        StatusImage(work_state=16).encode(Layout.BLE)
    with pytest.raises(ValueError, match="timer"):
        StatusImage(timer=4096).encode(Layout.BLE)


@pytest.mark.parametrize(
    ("frame", "device", "key"),
    [
        ("F0 83 01 7B F1", 0x83, 0x01),
        ("F0 83 22 5A F1", 0x83, 0x22),
        ("F0 84 01 7A F1", 0x84, 0x01),
        ("F0 82 01 7C F1", 0x82, 0x01),
    ],
)
def test_the_worked_key_examples_parse(frame: str, device: int, key: int) -> None:
    assert KeyFrameParser().feed(bytes.fromhex(frame)) == [KeyFrame(device, key)]
    assert key_frame(device, key) == bytes.fromhex(frame)


def test_bad_checksums_are_dropped_unless_the_port_is_lenient() -> None:
    bad = bytes.fromhex("F0 83 01 7C F1")
    strict = KeyFrameParser()
    assert strict.feed(bad) == []
    assert strict.rejected == 1
    assert KeyFrameParser(verify_checksum=False).feed(bad) == [KeyFrame(0x83, 0x01)]


def test_engineering_and_download_identities_are_ignored() -> None:
    parser = KeyFrameParser()
    assert parser.feed(key_frame(0xBD, 0x01) + key_frame(0xA5, 0x10)) == []
    assert parser.privileged == 2
    # A program-download command is longer than a key frame: it must not swallow the next key.
    download = bytes.fromhex("F0 A5 10 01 02 02 47 F1")
    assert parser.feed(download + key_frame(0x83, 0x01)) == [KeyFrame(0x83, 0x01)]


def test_frames_split_across_writes_are_reassembled() -> None:
    parser = KeyFrameParser()
    data = key_frame(0x83, 0x01) + key_frame(0x83, 0x22)
    out = [frame for byte in data for frame in parser.feed(bytes([byte]))]
    assert out == [KeyFrame(0x83, 0x01), KeyFrame(0x83, 0x22)]


def test_layout_comes_from_the_model(model: RongtaiModel) -> None:
    assert layout_for(model, "ble") is Layout.BLE
    assert layout_for(model, "wired") is Layout.WIRED
    forms = {"ble": model.protocol.status_forms["ble"].model_copy(update={"length": 19})}
    odd = model.model_copy(
        update={"protocol": model.protocol.model_copy(update={"status_forms": forms})}
    )
    with pytest.raises(SimulatorError, match="19-byte"):
        layout_for(odd, "ble")
    with pytest.raises(SimulatorError, match="no 'wired'"):
        layout_for(odd, "wired")


good_frames = st.builds(
    KeyFrame, st.sampled_from([0x82, 0x83, 0x84]), st.integers(min_value=0, max_value=0x7F)
)


@given(st.binary(max_size=300))
def test_any_bytes_never_raise(data: bytes) -> None:
    parser = KeyFrameParser()
    for frame in parser.feed(data):
        assert frame.device >= 0x80
        assert frame.device not in (0xBD, 0xA5)
        assert frame.key < 0x80


@given(st.binary(max_size=200), good_frames, st.binary(max_size=50))
def test_garbage_never_hides_the_next_good_frame(
    garbage: bytes, frame: KeyFrame, tail: bytes
) -> None:
    parser = KeyFrameParser()
    before = parser.feed(garbage)
    after = parser.feed(key_frame(frame.device, frame.key))
    # Whatever the garbage left behind, the good frame comes out, last.
    assert after[-1:] == [frame], (before, after)
    parser.feed(tail)


@given(st.lists(st.binary(max_size=12), max_size=30))
def test_chunking_does_not_change_what_is_parsed(chunks: list[bytes]) -> None:
    whole = KeyFrameParser().feed(b"".join(chunks))
    parser = KeyFrameParser()
    pieces = [frame for chunk in chunks for frame in parser.feed(chunk)]
    assert pieces == whole


seven_bit = st.integers(min_value=0, max_value=0x7F)


@given(st.lists(seven_bit, min_size=14, max_size=14))
def test_any_ble_frame_round_trips(body: list[int]) -> None:
    frame = bytes([0xF0, *body, status_checksum(bytes(body)), 0xF1])
    assert StatusImage.parse(frame).encode(Layout.BLE) == frame


@given(st.lists(seven_bit, min_size=16, max_size=16))
def test_any_wired_frame_round_trips(body: list[int]) -> None:
    frame = bytes([0xF0, *body, 0xF1])
    assert StatusImage.parse(frame).encode(Layout.WIRED) == frame
