"""One Korean-chair frame as the JSON object ``chairctl decode`` prints.

A frame is given either as its payload bytes (``235BF0D70B068180E0``: the hex a capture or the
source's notes show) or as the wire's text itself, ``~`` to ``\\r``, written as hex bytes
(``7E 31 31 30 33 0D`` is ``~1103\\r``). Bytes that start with ``7E``, end with ``0D`` and are
an even number, at least 4, are read as the wire's text: a status payload (9 or 5 bytes) is
never an even number, so no status can be taken for it. A status prints its fields, the timer
among them; blinking lamps print as this one instant shows them, since one frame cannot say
more. An acknowledgement prints its meaning; a frame of no known kind says so.
"""

from __future__ import annotations

from typing import Any

from drivers.protocols.korean.frames import (
    ACK_MEANINGS,
    END,
    START,
    AckFrame,
    Frame,
    classify,
    parse_frame,
)
from drivers.protocols.korean.status import (
    AIR_ZONE_LAMPS,
    AUTO_LAMPS,
    MOTION_LAMPS,
    ROLLER_LAMPS,
    TECHNIQUE_LAMPS,
    Lamp,
    LongStatus,
    ShortStatus,
)

_LAMP_NOTE = (
    "lamps_away: LEDs away from rest in this one frame; they blink about once a second while "
    "on, so one frame cannot tell on from off"
)


def _hex(data: bytes) -> str:
    return data.hex(" ").upper()


def _names(away: frozenset[Lamp], table: tuple[Lamp, ...]) -> list[str]:
    # Table order, so equal frames print identically.
    return [lamp.name for lamp in table if lamp in away]


def _long(s: LongStatus) -> dict[str, Any]:
    return {
        "frame": "long status",
        "hex": _hex(s.payload),
        "timer_minutes": s.timer_minutes,
        "timer_segments": f"{s.tens_segments:02X} {s.ones_segments:02X}",
        "air": s.air,
        "air_strength": s.air_strength,
        "speed": s.speed,
        "width": s.width,
        "foot_roller": s.foot_roller,
        "heater": s.heater,
        "motion_active": s.motion_active,
        "lamps_away": {
            "technique": _names(s.away, TECHNIQUE_LAMPS),
            "roller_position": [int(n) for n in _names(s.away, ROLLER_LAMPS)],
            "air_zone": _names(s.away, AIR_ZONE_LAMPS),
            "motion": _names(s.away, MOTION_LAMPS),
        },
        "note": _LAMP_NOTE,
    }


def _short(s: ShortStatus) -> dict[str, Any]:
    return {
        "frame": "short status",
        "hex": _hex(s.payload),
        "manual": s.manual,
        "area": s.area,
        "auto_indicators": _names(s.away, AUTO_LAMPS),
        "auto_program": s.auto_program,
        "note": "digestion (A6) has no indicator: it is read from none being set in auto mode",
    }


def frame_record(frame: Frame) -> dict[str, Any]:
    """The JSON object for one classified frame."""
    if isinstance(frame, LongStatus):
        return _long(frame)
    if isinstance(frame, ShortStatus):
        return _short(frame)
    if isinstance(frame, AckFrame):
        return {
            "frame": "ack",
            "code": f"{frame.ack.value:04X}",
            "meaning": ACK_MEANINGS[frame.ack],
        }
    return {
        "frame": "unknown",
        "hex": _hex(frame.payload),
        "bytes": len(frame.payload),
        "meaning": "no frame the public source describes: not a status (5 or 9 bytes) "
        "or a known acknowledgement (1100, 1103, 1104)",
    }


def record(frame: bytes) -> dict[str, Any]:
    """The JSON object ``decode`` prints for one frame (module notes for the two forms).

    Raises :class:`~chairctl.vocabulary.ProtocolError` only for the wire's text form that is
    not one well-formed frame; any payload bytes make a record."""
    if len(frame) >= 4 and len(frame) % 2 == 0 and frame.startswith(START) and frame.endswith(END):
        return frame_record(parse_frame(frame))
    return frame_record(classify(frame))
