"""The status frames of the Korean wired-remote chair: long (9 bytes) and short (5 bytes).

The chair broadcasts its state to the remote as the image of the remote's display: a two-digit
7-segment timer, level bits, and LED bits that blink at about 1 Hz while something moves. One
frame is one instant of that display; :mod:`drivers.protocols.korean.blink` reads the blinking
bits over time. Parsing here is total: any payload of the right length gives a record (a value
no source describes reads as None), and nothing raises.

Where each bit comes from: the public project ``sebastianrcnt/massage-chair-hack``,
``spec/chair.yml`` (its ``decode``, ``blink_indicators`` and ``status_maps`` sections, the
newest version read) and ``docs/generated/*.md`` generated from it; the timer and its table also
from ``docs/decoding.md`` and ``reverse.md``. The timer is the one field the source calls
confirmed; every other field there is "tentative" (``docs/protocols/korean-ascii.md``).
Bytes are 0-based, bit 7 the most significant, as the source writes them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final, Literal

#: Payload bytes of the two status forms.
LONG_LENGTH: Final = 9
SHORT_LENGTH: Final = 5

#: The 7-segment images of the digits 0..9 (spec/chair.yml ``maps.seven_segment``,
#: reverse.md's "standard 7-segment table").
SEVEN_SEGMENT: Final[Mapping[int, int]] = MappingProxyType(
    {0x3F: 0, 0x06: 1, 0x5B: 2, 0x4F: 3, 0x66: 4, 0x6D: 5, 0x7D: 6, 0x07: 7, 0x7F: 8, 0x6F: 9}
)

#: Two-bit level fields (air strength, speed): ``00`` 1, ``01`` 3, ``11`` 5; ``10`` is reserved
#: (spec/chair.yml ``maps.level_1_3_5``). The chair's own labels, kept as they are.
LEVELS: Final[Mapping[int, int]] = MappingProxyType({0b00: 1, 0b01: 3, 0b11: 5})

WidthName = Literal["wide", "medium", "narrow"]
#: ``B6[b1:b0]``; ``11`` reserved (spec/chair.yml ``maps.width``).
WIDTHS: Final[Mapping[int, WidthName]] = MappingProxyType(
    {0b00: "wide", 0b01: "medium", 0b10: "narrow"}
)

Area = Literal["point", "local", "full"]
#: Short ``B4[b2:b1]``; ``11`` reserved (spec/chair.yml ``maps.short_area``).
AREAS: Final[Mapping[int, Area]] = MappingProxyType({0b00: "point", 0b01: "local", 0b10: "full"})

LampGroup = Literal["technique", "roller", "air_zone", "motion", "auto"]


@dataclass(frozen=True, slots=True)
class Lamp:
    """One LED bit of the display that blinks while what it stands for is on.

    ``rest`` is the bit's value while the thing is off; while it is on, the bit alternates
    between ``rest`` and the other value about every 0.5 s.
    """

    group: LampGroup
    name: str
    #: The byte of its frame (long, or short for the ``auto`` group) and the bit in it.
    byte: int
    bit: int
    rest: bool

    def away(self, payload: bytes) -> bool:
        """The bit is away from its rest value in this frame (one phase of a blink)."""
        return bool(payload[self.byte] >> self.bit & 1) is not self.rest


# The manual techniques by the names the source settled on for the motion observed (its remote's
# printed labels are said to mislead); spec/chair.yml ``blink_indicators.manual_techniques``:
# "Default 1; blinks 0/1 when ... is the active manual technique".
TECHNIQUE_LAMPS: Final = (
    Lamp("technique", "kneading", 3, 6, rest=True),  # 주무름
    Lamp("technique", "kneading_tapping", 4, 1, rest=True),  # 주무름 두드림 (remote: 두드림)
    Lamp("technique", "rolling", 3, 7, rest=True),  # 롤링 (remote: 지압)
    Lamp("technique", "rolling_tapping", 4, 2, rest=True),  # 롤링 두드림 (remote: 손날 두드림)
    Lamp("technique", "slow_tapping", 4, 0, rest=True),  # 느린 두드림 (remote: 시아추)
    Lamp("technique", "combination", 4, 3, rest=True),  # 복합
)
# Six roller positions, bottom (1) to top (6): "Default 1; bit blinks 0/1 about every 0.5 s as
# the roller passes that position" (spec/chair.yml ``blink_indicators.roller_positions``).
ROLLER_LAMPS: Final = (
    Lamp("roller", "1", 0, 2, rest=True),
    Lamp("roller", "2", 0, 1, rest=True),
    Lamp("roller", "3", 0, 0, rest=True),
    Lamp("roller", "4", 8, 7, rest=True),
    Lamp("roller", "5", 8, 6, rest=True),
    Lamp("roller", "6", 8, 5, rest=True),
)
# "Default 0; blinks 1 about every 0.5 s when active. Multiple B7 air-area bits may blink at the
# same time" (spec/chair.yml ``blink_indicators.air_areas``).
AIR_ZONE_LAMPS: Final = (
    Lamp("air_zone", "shoulder", 7, 0, rest=False),  # 어깨
    Lamp("air_zone", "wrist", 7, 1, rest=False),  # 팔목
    Lamp("air_zone", "calf", 7, 5, rest=False),  # 종아리
    Lamp("air_zone", "foot", 7, 6, rest=False),  # 발
)
# "Blinks 0/1 about once per second while the back is reclining" and so on
# (spec/chair.yml ``status_maps.long`` B6[b6], B6[b5], B6[b3], B6[b2]); at rest 0 in every
# capture (B6 = 81).
MOTION_LAMPS: Final = (
    Lamp("motion", "leg_raise", 6, 6, rest=False),
    Lamp("motion", "leg_recline", 6, 5, rest=False),
    Lamp("motion", "back_recline", 6, 3, rest=False),
    Lamp("motion", "back_raise", 6, 2, rest=False),
)
# The short frame's auto-mode indicator bits (A1..A5), spec/chair.yml
# ``decode.short.auto_mode_indicator``: "1 when displayed auto mode is ...". Whether they blink
# is not said; :mod:`~drivers.protocols.korean.blink` reads them over its window all the same.
# A6 (digestion, 소화) has no bit: all five are 0 while the short frame says auto.
AUTO_LAMPS: Final = (
    Lamp("auto", "charging", 1, 7, rest=False),  # A1 충전
    Lamp("auto", "healing", 0, 0, rest=False),  # A2 힐링
    Lamp("auto", "stretching", 0, 1, rest=False),  # A3 스트레칭
    Lamp("auto", "sleep", 0, 2, rest=False),  # A4 숙면
    Lamp("auto", "classic", 1, 3, rest=False),  # A5 클래식
)
#: The auto program A6, shown by no bit of its own.
DIGESTION: Final = "digestion"  # A6 소화
#: The auto programs, A1..A6, by the names spec/chair.yml gives their ``id``.
AUTO_PROGRAMS: Final = (*(lamp.name for lamp in AUTO_LAMPS), DIGESTION)

LONG_LAMPS: Final = TECHNIQUE_LAMPS + ROLLER_LAMPS + AIR_ZONE_LAMPS + MOTION_LAMPS

#: The bits of a long status read as steady fields, byte by byte: the timer (B1, B2[b7:b4],
#: B3[b3:b0]), air (B3[b4]), air strength (B4[b6:b5]), speed (B5[b3:b2]), foot roller, motion
#: active and width (B6[b7], B6[b4], B6[b1:b0]) and the heater (B8[b1]). Not the lamps, which
#: blink, nor the bits no source maps.
LONG_STEADY_MASK: Final = bytes((0x00, 0xFF, 0xF0, 0x1F, 0x60, 0x0C, 0x93, 0x00, 0x02))
#: The bits of a short status read as steady fields: manual (B3[b5]) and area (B4[b2:b1]).
SHORT_STEADY_MASK: Final = bytes((0x00, 0x00, 0x00, 0x20, 0x06))


def _masked(payload: bytes, mask: bytes) -> bytes:
    return bytes(p & m for p, m in zip(payload, mask, strict=True))


def _bit(value: int, bit: int) -> bool:
    return bool(value >> bit & 1)


def seven_segment_digit(segments: int) -> int | None:
    """The digit a 7-segment image shows; None for anything that is not a digit (a blank, a
    dash, a damaged bit)."""
    return SEVEN_SEGMENT.get(segments)


@dataclass(frozen=True, slots=True)
class LongStatus:
    """One long (9-byte) status frame, field by field, as one instant of the display.

    Levels are the chair's own 1/3/5; None where the bits hold the value the source reserves.
    """

    payload: bytes
    #: ``B1``: the tens digit's 7-segment image.
    tens_segments: int
    #: ``((B3 & 0x0F) << 4) | (B2 >> 4)``: the ones digit's image, split over two bytes.
    ones_segments: int
    #: The minutes the timer shows; None when either digit is not a digit.
    timer_minutes: int | None
    #: ``B3[b4]``.
    air: bool
    #: ``B4[b6:b5]``.
    air_strength: int | None
    #: ``B5[b3:b2]``.
    speed: int | None
    #: ``B6[b7]``.
    foot_roller: bool
    #: ``B6[b4]``: "1 while either back or leg movement is physically active; delayed until
    #: motion starts; 0 at rest or out of travel range". Steady, not blinking.
    motion_active: bool
    #: ``B6[b1:b0]``.
    width: WidthName | None
    #: ``last[b1]`` (the source reads the heater from the last byte, whatever the length).
    heater: bool
    #: The lamps away from their rest value in this frame: one phase of a blink.
    away: frozenset[Lamp]

    @property
    def steady_bits(self) -> bytes:
        """The payload with every bit but those of the steady fields cleared."""
        return _masked(self.payload, LONG_STEADY_MASK)

    def away_in(self, group: LampGroup) -> frozenset[str]:
        """The names of ``group``'s lamps away from rest in this frame."""
        return frozenset(lamp.name for lamp in self.away if lamp.group == group)


@dataclass(frozen=True, slots=True)
class ShortStatus:
    """One short (5-byte) status frame."""

    payload: bytes
    #: ``B3[b5] = 0``: manual mode; 1 is "auto / non-manual".
    manual: bool
    #: ``B4[b2:b1]``; None for the reserved ``11``.
    area: Area | None
    #: The auto-mode indicator lamps set in this frame.
    away: frozenset[Lamp]

    @property
    def steady_bits(self) -> bytes:
        """The payload with every bit but those of the steady fields cleared."""
        return _masked(self.payload, SHORT_STEADY_MASK)

    @property
    def auto_indicators(self) -> frozenset[str]:
        """The auto programs whose indicator bit is set in this frame."""
        return frozenset(lamp.name for lamp in self.away)

    @property
    def auto_program(self) -> str | None:
        """The auto program this one frame shows, by the source's rule: the one bit set, or
        digestion when none is and the frame says auto. None in manual mode and when more than
        one bit is set. From one frame only: :class:`~drivers.protocols.korean.blink.Steady`
        gives the reading over time, which a blinking bit cannot fool into "digestion"."""
        if self.manual:
            return None
        shown = self.auto_indicators
        if not shown:
            return DIGESTION
        return next(iter(shown)) if len(shown) == 1 else None


def parse_long(payload: bytes) -> LongStatus | None:
    """The long status in ``payload``; None unless it is 9 bytes. Never raises."""
    if len(payload) != LONG_LENGTH:
        return None
    b = payload
    tens = b[1]
    ones = (b[3] & 0x0F) << 4 | b[2] >> 4
    tens_digit, ones_digit = seven_segment_digit(tens), seven_segment_digit(ones)
    return LongStatus(
        payload=bytes(b),
        tens_segments=tens,
        ones_segments=ones,
        timer_minutes=(
            None if tens_digit is None or ones_digit is None else tens_digit * 10 + ones_digit
        ),
        air=_bit(b[3], 4),
        air_strength=LEVELS.get(b[4] >> 5 & 0b11),
        speed=LEVELS.get(b[5] >> 2 & 0b11),
        foot_roller=_bit(b[6], 7),
        motion_active=_bit(b[6], 4),
        width=WIDTHS.get(b[6] & 0b11),
        heater=_bit(b[-1], 1),
        away=frozenset(lamp for lamp in LONG_LAMPS if lamp.away(b)),
    )


def parse_short(payload: bytes) -> ShortStatus | None:
    """The short status in ``payload``; None unless it is 5 bytes. Never raises."""
    if len(payload) != SHORT_LENGTH:
        return None
    return ShortStatus(
        payload=bytes(payload),
        manual=not _bit(payload[3], 5),
        area=AREAS.get(payload[4] >> 1 & 0b11),
        away=frozenset(lamp for lamp in AUTO_LAMPS if lamp.away(payload)),
    )
