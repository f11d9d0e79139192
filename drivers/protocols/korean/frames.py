"""The line of the Korean wired-remote chair: ASCII-hex text frames ``~XXXX\\r`` at 9600 8N1.

Two one-way lines: the remote sends key codes to the chair, the chair sends status frames and
acknowledgements to the remote. Every frame is ``~``, upper-case hex digits, ``\\r``; there is no
checksum. A key is a press code, then a release code (:func:`command_frame` frames one code; the
model file says which release follows which press). On the chair's line a payload of 2 bytes is
an acknowledgement (:class:`Ack`), 9 bytes a long status, 5 bytes a short one
(:mod:`~drivers.protocols.korean.status`); anything else is an :class:`UnknownFrame`.

Sources (``sebastianrcnt/massage-chair-hack``): the framing from the bridge's
``firmware/micropython/bridge_core.py`` (``~`` starts a frame, ``\\r`` ends it) and ``main.py``
(it sends ``~`` + 4 hex digits + ``\\r``, 9600 8N1); the codes and acknowledgements from
``spec/chair.yml``; the upper case from the captures and ``src/chair_decode.py``, which takes
only ``0-9A-F`` as hex. Pure code: no I/O, no clock.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import IntEnum
from types import MappingProxyType
from typing import Final

from chairctl.vocabulary import ProtocolError
from drivers.protocols.korean.status import LongStatus, ShortStatus, parse_long, parse_short

#: The line rate of both lines (8N1).
BAUD: Final = 9600
START: Final = b"~"
END: Final = b"\r"
#: The longest payload read, in hex digits. The longest frame known is 18 digits; the bridge
#: caps a line at 96 characters with its own 8-character prefix. A longer line can only be
#: damage (a lost ``\r`` and ``~``) or a frame nothing here could use. [assumed]
MAX_PAYLOAD_DIGITS: Final = 32
#: Payload bytes of an acknowledgement (and of a key code on the remote's line).
CODE_LENGTH: Final = 2

_HEX: Final = re.compile(rb"(?:[0-9A-F]{2})+")


class Ack(IntEnum):
    """The chair's acknowledgements on its status line (spec/chair.yml ``acks``; every one is
    "tentative" there)."""

    #: Seen after a massage-position up/down key is released, not after position reset; the
    #: source guesses "the position is reached".
    MOVED = 0x1100
    #: A single beep on the remote: the chair took a key.
    BEEP = 0x1103
    #: A double beep: a cycle key wrapped round to its first step (seen for speed and air
    #: strength; "likely" for the timer and others).
    DOUBLE_BEEP = 0x1104


_ACK_CODES: Final = frozenset(int(ack) for ack in Ack)

ACK_MEANINGS: Final[Mapping[Ack, str]] = MappingProxyType(
    {
        Ack.MOVED: "seen after a massage-position key is released (position reached?)",
        Ack.BEEP: "single beep: the chair took a key",
        Ack.DOUBLE_BEEP: "double beep: a cycle key wrapped round to its first step",
    }
)


@dataclass(frozen=True, slots=True)
class AckFrame:
    """An acknowledgement the chair sent."""

    ack: Ack


@dataclass(frozen=True, slots=True)
class UnknownFrame:
    """A well-formed frame no source describes: a length or a code of its own."""

    payload: bytes


#: Every frame the chair's line carries.
Frame = LongStatus | ShortStatus | AckFrame | UnknownFrame


def command_frame(code: int) -> bytes:
    """The frame of one key code (a press or a release): ``0x0303`` -> ``b"~0303\\r"``.

    Raises :class:`ProtocolError` for a code that is not 4 hex digits."""
    if not 0 <= code <= 0xFFFF:
        raise ProtocolError(f"a key code is 4 hex digits (0x0000..0xFFFF), not {code}")
    return b"~%04X\r" % code


def hex_payload(digits: bytes) -> bytes | None:
    """The bytes of a frame's payload text, or None unless it is a non-empty, even run of
    upper-case hex digits."""
    if not _HEX.fullmatch(digits):
        return None
    return bytes.fromhex(digits.decode("ascii"))


def classify(payload: bytes) -> Frame:
    """What the chair meant by one frame's payload bytes. Total: never raises."""
    if len(payload) == CODE_LENGTH:
        code = int.from_bytes(payload, "big")
        if code in _ACK_CODES:
            return AckFrame(Ack(code))
        return UnknownFrame(bytes(payload))
    return parse_long(payload) or parse_short(payload) or UnknownFrame(bytes(payload))


def _shown(data: bytes) -> str:
    # Hex, never the bytes themselves: a frame may hold control sequences.
    return data.hex(" ").upper() or "nothing"


def parse_frame(frame: bytes) -> Frame:
    """The one wire frame ``~HEX\\r`` in ``frame`` (nothing before or after it).

    Raises :class:`ProtocolError`, saying what is wrong, for anything else: a missing ``~`` or
    ``\\r``, a payload that is empty, too long, not upper-case hex or an odd number of digits.
    A well-formed frame of no known kind is an :class:`UnknownFrame`, not an error."""
    if not frame.startswith(START):
        raise ProtocolError(f"a frame starts with '~' (7E), not {_shown(frame[:1])}")
    if not frame.endswith(END) or len(frame) < 2:
        raise ProtocolError(f"a frame ends with '\\r' (0D), not {_shown(frame[-1:])}")
    digits = frame[1:-1]
    if not digits:
        raise ProtocolError("a frame's payload is hex digits, and this one is empty")
    if len(digits) > MAX_PAYLOAD_DIGITS:
        raise ProtocolError(
            f"a frame's payload is at most {MAX_PAYLOAD_DIGITS} hex digits, not {len(digits)}"
        )
    payload = hex_payload(digits)
    if payload is None:
        bad = next((i for i, c in enumerate(digits) if c not in b"0123456789ABCDEF"), None)
        if bad is not None:
            raise ProtocolError(
                f"a frame's payload is upper-case hex digits; character {bad + 1} is "
                f"0x{digits[bad]:02X}, not one"
            )
        raise ProtocolError(
            f"a frame's payload is whole bytes of hex digits, not an odd {len(digits)} digits"
        )
    return classify(payload)
