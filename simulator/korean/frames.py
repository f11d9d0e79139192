"""The chair's side of the Korean remote protocol: the frames it sends, written from its own view.

Written from the public source's facts (``sebastianrcnt/massage-chair-hack``: ``spec/chair.yml``,
``docs/decoding.md``, ``docs/generated/*.md``, the captured frames of ``reverse.md``),
independently of the driver's codec, so a misreading on one side is not mirrored on the other.

Every frame is ASCII text: ``~``, upper-case hex digits, ``\\r``; no checksum. The chair sends:

- an acknowledgement, four digits: ``1103`` one beep, ``1104`` two beeps (a cycle wrapped),
  ``1100`` (after a position move);
- a **long status**, 9 bytes (:class:`LongStatus`): the remote's display as segments and LEDs,
  with bits that blink while something moves;
- a **short status**, 5 bytes (:class:`ShortStatus`): manual mode, the area, the auto program.

Bit layout, byte ``Bn`` bit ``bk`` (b7 the most significant), as ``spec/chair.yml`` maps it:

====  =====================================================================================
B0    b2, b1, b0: roller positions 1, 2, 3 (1 lowest); b5 set in every captured frame
B1    the timer's tens digit, 7-segment (``0`` shown as ``3F``)
B2    b7..b4: the low nibble of the ones digit's segments
B3    b7: technique 3, b6: technique 1, b4: air on, b3..b0: the high nibble of the ones digit
B4    b6:b5: air strength (00, 01, 11: 1, 3, 5), b3: technique 6, b2: 4, b1: 2, b0: 5
B5    b3:b2: roller speed (00, 01, 11: 1, 3, 5); b1 set in every captured frame
B6    b7: foot roller, b6: leg raise, b5: leg lower, b4: moving, b3: back recline,
      b2: back raise, b1:b0: width (00 wide, 01 medium, 10 narrow)
B7    b6: foot, b5: calf, b1: wrist, b0: shoulder air zones; b7 set in every captured frame
B8    b7, b6, b5: roller positions 4, 5, 6 (6 highest); b1: heater
====  =====================================================================================

Blinking bits: the technique and roller-position bits rest at 1 and the air-zone and motion
bits at 0; the bit of what moves shows its other value every other half of the blink period
(``protocol.blink_period_ms``). Every blinking bit flips in the same half [assumed]; all twelve
captured frames agree with that (where the technique bit is low the roller-position bit is too).
Unknown bits are sent as every captured frame has them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Final, Literal

from chairctl.vocabulary import AirbagZone, MassageRange, Width

START: Final = ord("~")
END: Final = ord("\r")

#: The chair's acknowledgements (``spec/chair.yml`` ``acks``).
ACK_MOVED: Final = 0x1100
ACK_BEEP: Final = 0x1103
ACK_DOUBLE_BEEP: Final = 0x1104

#: Segment patterns of the digits 0..9 (``spec/chair.yml`` ``maps.seven_segment``).
SEGMENTS: Final = (0x3F, 0x06, 0x5B, 0x4F, 0x66, 0x6D, 0x7D, 0x07, 0x7F, 0x6F)
#: A dark digit: nothing lit [assumed: how the display shows "off" is not captured].
BLANK: Final = 0x00

#: Roller positions the status shows, 1 (lowest) .. 6 (highest): (byte, bit) of each.
ROLLER_STEPS: Final = 6
_POSITION_BITS: Final[Mapping[int, tuple[int, int]]] = MappingProxyType(
    {1: (0, 2), 2: (0, 1), 3: (0, 0), 4: (8, 7), 5: (8, 6), 6: (8, 5)}
)
#: Manual techniques by their place in the manual cycle, 1..6: (byte, bit) of each.
_TECHNIQUE_BITS: Final[Mapping[int, tuple[int, int]]] = MappingProxyType(
    {1: (3, 6), 2: (4, 1), 3: (3, 7), 4: (4, 2), 5: (4, 0), 6: (4, 3)}
)
#: Air zones: the bit of B7 of each (shoulder, wrist, calf, foot).
_ZONE_BITS: Final[Mapping[AirbagZone, int]] = MappingProxyType(
    {AirbagZone.SHOULDERS: 0, AirbagZone.ARMS: 1, AirbagZone.CALVES: 5, AirbagZone.FEET: 6}
)

#: The backrest and leg-rest motions B6 shows.
Motion = Literal["back_raise", "back_recline", "leg_raise", "leg_lower"]
_MOTION_BITS: Final[Mapping[Motion, int]] = MappingProxyType(
    {"back_raise": 2, "back_recline": 3, "leg_lower": 5, "leg_raise": 6}
)
_MOVING_BIT: Final = 4

#: Speed and air strength, level 1..3 (shown 1, 3, 5): the two bits of each.
_LEVEL_BITS: Final[Mapping[int, int]] = MappingProxyType({1: 0b00, 2: 0b01, 3: 0b11})
_WIDTH_BITS: Final[Mapping[Width, int]] = MappingProxyType(
    {Width.WIDE: 0b00, Width.MEDIUM: 0b01, Width.NARROW: 0b10}
)
_AREA_BITS: Final[Mapping[MassageRange, int]] = MappingProxyType(
    {MassageRange.POINT: 0b00, MassageRange.PARTIAL: 0b01, MassageRange.FULL: 0b10}
)
#: Auto programs by the number the remote shows: (byte, bit) of the short status's indicator;
#: A6 has none (``spec/chair.yml`` ``short.auto_mode_indicator``).
_PROGRAM_BITS: Final[Mapping[int, tuple[int, int]]] = MappingProxyType(
    {1: (1, 7), 2: (0, 0), 3: (0, 1), 4: (0, 2), 5: (1, 3)}
)

#: Bits every captured long frame has set and no source explains (``reverse.md``).
_B0_CONSTANT: Final = 0x20
_B5_CONSTANT: Final = 0x02
_B7_CONSTANT: Final = 0x80
#: B4 bits 3 and 0 of the short status: set in all three area values the source gives
#: (``docs/decoding.md``: 09 point, 0B local, 0D full).
_SHORT_B4_CONSTANT: Final = 0x09
_SHORT_MANUAL_BIT: Final = 5


def line(payload: bytes) -> bytes:
    """One frame: ``~``, the payload as upper-case hex, ``\\r``."""
    return b"~" + payload.hex().upper().encode("ascii") + b"\r"


def ack_frame(code: int) -> bytes:
    """An acknowledgement frame (``~1103\\r``)."""
    return f"~{code:04X}\r".encode("ascii")


def _set(out: bytearray, where: tuple[int, int], on: bool) -> None:
    byte, bit = where
    if on:
        out[byte] |= 1 << bit
    else:
        out[byte] &= ~(1 << bit) & 0xFF


@dataclass(frozen=True, slots=True)
class LongStatus:
    """What the long status shows: the display's steady fields, what blinks, and in which half
    of the blink it is (``flash``: the half in which blinking bits show their other value).

    ``timer`` is the minutes shown, None for a dark display. ``technique`` is the place of the
    manual technique that runs (1..6) and ``position`` the roller position (1..6), each None
    when nothing of it moves; ``zones`` the air zones working, ``motions`` the actuators moving.
    """

    timer: int | None = None
    air: bool = False
    air_strength: int = 1
    speed: int = 2
    width: Width = Width.MEDIUM
    foot_roller: bool = False
    heater: bool = False
    moving: bool = False
    technique: int | None = None
    position: int | None = None
    zones: frozenset[AirbagZone] = field(default_factory=frozenset)
    motions: frozenset[Motion] = field(default_factory=frozenset)
    flash: bool = False

    def encode(self) -> bytes:
        """The 9 bytes; ValueError for a field the frame cannot carry."""
        if self.timer is not None and not 0 <= self.timer <= 99:
            raise ValueError(f"the display shows two digits, not {self.timer}")
        for label, level in (("air strength", self.air_strength), ("speed", self.speed)):
            if level not in _LEVEL_BITS:
                raise ValueError(f"{label} is 1..3, not {level}")
        if self.technique is not None and self.technique not in _TECHNIQUE_BITS:
            raise ValueError(f"no technique {self.technique}: 1..6")
        if self.position is not None and self.position not in _POSITION_BITS:
            raise ValueError(f"no roller position {self.position}: 1..6")
        stray = self.zones - _ZONE_BITS.keys()
        if stray:
            raise ValueError(f"the status shows no {', '.join(sorted(stray))} air zone")
        out = bytearray(9)
        out[0] = _B0_CONSTANT
        for where in _POSITION_BITS.values():
            _set(out, where, True)
        for where in _TECHNIQUE_BITS.values():
            _set(out, where, True)
        if self.timer is not None:
            tens, ones = SEGMENTS[self.timer // 10], SEGMENTS[self.timer % 10]
        else:
            tens = ones = BLANK
        out[1] = tens
        out[2] |= (ones & 0x0F) << 4
        out[3] |= ones >> 4
        _set(out, (3, 4), self.air)
        out[4] |= _LEVEL_BITS[self.air_strength] << 5
        out[5] = _B5_CONSTANT | _LEVEL_BITS[self.speed] << 2
        out[6] = _WIDTH_BITS[self.width]
        _set(out, (6, 7), self.foot_roller)
        _set(out, (6, _MOVING_BIT), self.moving)
        out[7] = _B7_CONSTANT
        _set(out, (8, 1), self.heater)
        if self.flash:
            # What blinks shows its other value in this half.
            if self.technique is not None:
                _set(out, _TECHNIQUE_BITS[self.technique], False)
            if self.position is not None:
                _set(out, _POSITION_BITS[self.position], False)
            for zone in self.zones:
                _set(out, (7, _ZONE_BITS[zone]), True)
            for motion in self.motions:
                _set(out, (6, _MOTION_BITS[motion]), True)
        return bytes(out)

    def frame(self) -> bytes:
        """The frame on the wire."""
        return line(self.encode())


@dataclass(frozen=True, slots=True)
class ShortStatus:
    """What the short status shows: manual mode, the area, and the auto program's display
    number (1..6; None outside an auto program, and 6 sets no bit)."""

    manual: bool = False
    area: MassageRange = MassageRange.FULL
    program: int | None = None

    def encode(self) -> bytes:
        """The 5 bytes; ValueError for a program number the remote has not."""
        if self.program is not None and not 1 <= self.program <= 6:
            raise ValueError(f"no auto program A{self.program}: A1..A6")
        out = bytearray(5)
        indicator = _PROGRAM_BITS.get(self.program) if self.program is not None else None
        if indicator is not None:
            _set(out, indicator, True)
        # The bit is clear in manual mode and set otherwise (spec/chair.yml short B3 b5).
        _set(out, (3, _SHORT_MANUAL_BIT), not self.manual)
        out[4] = _SHORT_B4_CONSTANT | _AREA_BITS[self.area] << 1
        return bytes(out)

    def frame(self) -> bytes:
        """The frame on the wire."""
        return line(self.encode())
