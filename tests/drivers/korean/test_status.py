"""The Korean chair's status frames, field by field, pinned to the public source.

Long frames are the twelve captures of ``sebastianrcnt/massage-chair-hack``'s ``reverse.md``
(``tests/data/korean-ascii-frames.txt``), each under the minutes the remote showed, or one of
them with named bits changed. Field positions are the source's ``spec/chair.yml``."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from drivers.protocols.korean import (
    AUTO_PROGRAMS,
    DIGESTION,
    LONG_LENGTH,
    SEVEN_SEGMENT,
    SHORT_LENGTH,
    LongStatus,
    ShortStatus,
    parse_long,
    parse_short,
    seven_segment_digit,
)
from tests.drivers.korean.kframes import AT_REST, CAPTURES, edited, short


def _long(payload: bytes) -> LongStatus:
    status = parse_long(payload)
    assert status is not None
    return status


def _short(payload: bytes) -> ShortStatus:
    status = parse_short(payload)
    assert status is not None
    return status


# -- the timer: the field the source calls confirmed -----------------------------------------


@pytest.mark.parametrize("key", sorted(CAPTURES))
def test_every_capture_reads_the_minutes_the_remote_showed(key: str) -> None:
    # The key is "timer-MM[-x]": reverse.md's "MM: <frame>", the display when it was captured.
    assert _long(CAPTURES[key]).timer_minutes == int(key.split("-")[1])


def test_the_timer_is_two_seven_segment_digits_the_ones_split_over_two_bytes() -> None:
    # docs/decoding.md's worked example: 28: 23 5B F0 D7 ..., tens 5B -> 2,
    # ones ((D7 & 0F) << 4) | ((F0 & F0) >> 4) = 7F -> 8.
    status = _long(CAPTURES["timer-28-a"])
    assert (status.tens_segments, status.ones_segments) == (0x5B, 0x7F)


def test_the_seven_segment_table() -> None:
    # spec/chair.yml maps.seven_segment, reverse.md's table.
    assert dict(SEVEN_SEGMENT) == {
        0x3F: 0,
        0x06: 1,
        0x5B: 2,
        0x4F: 3,
        0x66: 4,
        0x6D: 5,
        0x7D: 6,
        0x07: 7,
        0x7F: 8,
        0x6F: 9,
    }


@pytest.mark.parametrize(
    "payload",
    [
        # tests/test_chair_decode.py: "23FFF0D70B068180E0" has no timer (FF is no digit).
        bytes.fromhex("23FFF0D70B068180E0"),
        # A blank tens digit (00), and a ones digit with one segment lost (7F -> 7E).
        edited(CAPTURES["timer-28-a"], clear=tuple((1, b) for b in range(8))),
        edited(CAPTURES["timer-28-a"], clear=((2, 4),)),
    ],
    ids=["FF-tens", "blank-tens", "broken-ones"],
)
def test_a_display_that_shows_no_digit_reads_no_timer(payload: bytes) -> None:
    assert _long(payload).timer_minutes is None


@pytest.mark.parametrize("segments", [s for s in range(256) if s not in SEVEN_SEGMENT])
def test_only_the_ten_images_are_digits(segments: int) -> None:
    assert seven_segment_digit(segments) is None


# -- the other long fields -------------------------------------------------------------------


def test_the_sample_of_protocols_md_field_by_field() -> None:
    # 23 5B F0 D7 0B 06 81 80 E0 by spec/chair.yml's rules: B3[b4] = 1 air on; B4[b6:b5] = 00
    # strength 1; B5[b3:b2] = 01 speed 3; B6 = 81: foot roller (b7) on, nothing moving,
    # width 01 medium; last byte E0: b1 = 0, heater off.
    status = _long(CAPTURES["timer-28-a"])
    assert status.air
    assert status.air_strength == 1
    assert status.speed == 3
    assert status.foot_roller
    assert not status.motion_active
    assert status.width == "medium"
    assert not status.heater


@pytest.mark.parametrize("key", sorted(CAPTURES))
def test_the_captures_agree_on_the_fields_nothing_changed(key: str) -> None:
    # All twelve were taken in one session: only the timer and blinking lamps differ.
    status = _long(CAPTURES[key])
    steady = (status.air, status.air_strength, status.speed, status.width, status.heater)
    assert steady == (True, 1, 3, "medium", False)


def test_the_captures_show_the_rolling_tapping_lamp_blinking() -> None:
    # B4 is 0B or 0F across the captures: b2, the 롤링 두드림 (rolling with tapping) lamp,
    # "Default 1; blinks 0/1 when 롤링 두드림 active" — and no other technique bit ever leaves 1.
    away = {_long(frame).away_in("technique") for frame in CAPTURES.values()}
    assert away == {frozenset(), frozenset({"rolling_tapping"})}


def test_the_captures_show_the_roller_passing_positions() -> None:
    # B0 23/27/26 and B8 E0/A0/60: positions 1, 3 (B0 b2, b0) and 5, 4 (B8 b6, b7) blink low.
    assert _long(CAPTURES["timer-28-a"]).away_in("roller") == {"1"}
    assert _long(CAPTURES["timer-27-b"]).away_in("roller") == {"3"}
    assert _long(CAPTURES["timer-10"]).away_in("roller") == {"5"}
    assert _long(CAPTURES["timer-19-a"]).away_in("roller") == {"4"}
    assert _long(AT_REST).away == frozenset()


@pytest.mark.parametrize(
    ("b6", "width"),
    [
        # tests/test_chair_decode.py's width cases, on 235BF0D70B06__80E0: 80 wide, 81 medium,
        # 82 narrow, 83 reserved.
        (0x80, "wide"),
        (0x81, "medium"),
        (0x82, "narrow"),
        (0x83, None),
    ],
)
def test_the_width(b6: int, width: str | None) -> None:
    payload = bytes.fromhex(f"235BF0D70B06{b6:02X}80E0")
    assert _long(payload).width == width


@pytest.mark.parametrize(("bits", "level"), [(0b00, 1), (0b01, 3), (0b11, 5), (0b10, None)])
def test_air_strength_and_speed_are_1_3_5_with_10_reserved(bits: int, level: int | None) -> None:
    # B4[b6:b5] air strength, B5[b3:b2] speed: "00 -> lv 1, 01 -> lv 3, 11 -> lv 5, 10 reserved".
    payload = bytearray(AT_REST)
    payload[4] = payload[4] & 0x9F | bits << 5
    payload[5] = payload[5] & 0xF3 | bits << 2
    status = _long(bytes(payload))
    assert (status.air_strength, status.speed) == (level, level)


def test_air_heater_and_foot_roller_bits() -> None:
    off = _long(edited(AT_REST, clear=((3, 4), (6, 7))))
    assert (off.air, off.foot_roller, off.heater) == (False, False, False)
    # The heater is bit 1 of the last byte (tests/test_chair_decode.py: "AA02" on, "AA04" off).
    heated = _long(edited(AT_REST, set_=((8, 1),)))
    assert heated.heater
    # The air bit does not move the timer's ones digit, which shares its byte.
    assert off.timer_minutes == _long(AT_REST).timer_minutes == 5


@pytest.mark.parametrize(
    ("bit", "lamp"),
    [(6, "leg_raise"), (5, "leg_recline"), (3, "back_recline"), (2, "back_raise")],
)
def test_motion_lamps_and_the_motion_bit(bit: int, lamp: str) -> None:
    status = _long(edited(AT_REST, set_=((6, bit), (6, 4))))
    assert status.away_in("motion") == {lamp}
    assert status.motion_active
    assert status.width == "medium"


@pytest.mark.parametrize(("bit", "zone"), [(0, "shoulder"), (1, "wrist"), (5, "calf"), (6, "foot")])
def test_air_zone_lamps(bit: int, zone: str) -> None:
    # B7: "Default 0; blinks 1 ... when active"; b7 "usually observed as 1" is no zone.
    assert _long(edited(AT_REST, set_=((7, bit),))).away_in("air_zone") == {zone}


@pytest.mark.parametrize(
    ("byte", "bit", "technique"),
    [
        (3, 6, "kneading"),
        (4, 1, "kneading_tapping"),
        (3, 7, "rolling"),
        (4, 2, "rolling_tapping"),
        (4, 0, "slow_tapping"),
        (4, 3, "combination"),
    ],
)
def test_technique_lamps_rest_at_1(byte: int, bit: int, technique: str) -> None:
    assert _long(edited(AT_REST, clear=((byte, bit),))).away_in("technique") == {technique}


# -- the short frame ---------------------------------------------------------------------------


@pytest.mark.parametrize(("b4", "area"), [(0x09, "point"), (0x0B, "local"), (0x0D, "full")])
def test_the_area_from_the_values_the_source_saw(b4: int, area: str) -> None:
    # docs/decoding.md (an earlier version): B4 "09 -> point, 0D -> full, 0B -> local", which
    # its spec/chair.yml later wrote as B4[b2:b1] 00 point, 01 local, 10 full, 11 reserved.
    assert _short(short(b4=b4)).area == area
    assert _short(short(b4=0x0F)).area is None


def test_the_manual_bit() -> None:
    # spec/chair.yml short B3[b5]: "0 -> manual mode, 1 -> auto / non-manual mode".
    assert _short(short(b3=0x00)).manual
    assert not _short(short(b3=0x20)).manual


@pytest.mark.parametrize(
    ("b0", "b1", "program"),
    [
        # spec/chair.yml decode.short.auto_mode_indicator: A1 charging B1[b7], A2 healing
        # B0[b0], A3 stretching B0[b1], A4 sleep B0[b2], A5 classic B1[b3]; A6 digestion
        # "only when all listed indicator bits are 0" in auto.
        (0x00, 0x80, "charging"),
        (0x01, 0x00, "healing"),
        (0x02, 0x00, "stretching"),
        (0x04, 0x00, "sleep"),
        (0x00, 0x08, "classic"),
        (0x00, 0x00, DIGESTION),
        # Unmapped bits around them change nothing.
        (0xF8, 0x77, DIGESTION),
        # Two indicators at once: no program can be named.
        (0x01, 0x08, None),
    ],
)
def test_the_auto_program_of_one_frame(b0: int, b1: int, program: str | None) -> None:
    assert _short(short(b0=b0, b1=b1)).auto_program == program


def test_no_auto_program_in_manual_mode() -> None:
    assert _short(short(b0=0x01, b3=0x00)).auto_program is None


def test_the_auto_programs_are_a1_to_a6() -> None:
    assert AUTO_PROGRAMS == ("charging", "healing", "stretching", "sleep", "classic", DIGESTION)


# -- totality ----------------------------------------------------------------------------------


@given(st.binary(min_size=LONG_LENGTH, max_size=LONG_LENGTH))
def test_any_nine_bytes_are_a_long_status(payload: bytes) -> None:
    status = _long(payload)
    assert status.timer_minutes is None or 0 <= status.timer_minutes <= 99


@given(st.binary(min_size=SHORT_LENGTH, max_size=SHORT_LENGTH))
def test_any_five_bytes_are_a_short_status(payload: bytes) -> None:
    assert _short(payload).payload == payload


@given(st.binary(max_size=20).filter(lambda b: len(b) not in (LONG_LENGTH, SHORT_LENGTH)))
def test_other_lengths_are_no_status(payload: bytes) -> None:
    assert parse_long(payload) is None
    assert parse_short(payload) is None
