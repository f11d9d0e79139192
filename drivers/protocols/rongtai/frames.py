"""Framing of the Rongtai H10 protocol: key frames out, status frame shape and checksum in.

Every frame runs from ``F0`` to ``F1``. Payload bytes are 7-bit, so neither marker can appear
inside a frame and no byte stuffing exists. Status frames come in two forms: 17 bytes with a
checksum (BLE) and 18 bytes without one (wired controller, newer BLE firmware).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from chairctl.vocabulary import ProtocolError

SOI: Final = 0xF0
EOI: Final = 0xF1

#: ``F0 b1..b14 chk F1``.
CHECKED_LENGTH: Final = 17
#: ``F0 b1..b16 F1``.
UNCHECKED_LENGTH: Final = 18
STATUS_LENGTHS: Final = (CHECKED_LENGTH, UNCHECKED_LENGTH)
#: The status fields b1..b14 are the same in both forms.
STATUS_FIELDS: Final = 14

#: Identity of the Android app; what a host sends unless its model says otherwise.
DEFAULT_DEVICE_BYTE: Final = 0x83
#: Engineering/test mode and program download (writes chair flash): never ours to send.
FORBIDDEN_DEVICE_BYTES: Final = frozenset({0xBD, 0xA5})


def checksum(payload: Iterable[int]) -> int:
    """The 7-bit checksum of the bytes between ``F0`` and the checksum: ``~sum & 0x7F``."""
    return ~sum(payload) & 0x7F


def encode_key(key: int, device_byte: int = DEFAULT_DEVICE_BYTE) -> bytes:
    """One key press as a 5-byte frame ``F0 dev key chk F1``.

    ``device_byte`` is the controller identity of the chair model
    (``model.protocol.device_byte``). Raises :class:`ProtocolError` for a key outside 7 bits
    and for a device byte that is not a controller identity we may use.
    """
    if not 0 <= key < 0x80:
        # The firmware drops keys >= 0x80, and a 7-bit checksum cannot cover them.
        raise ProtocolError(f"key 0x{key:02X} is not a 7-bit key code (0x00..0x7F)")
    if device_byte in FORBIDDEN_DEVICE_BYTES:
        raise ProtocolError(
            f"device byte 0x{device_byte:02X} selects engineering or program-download mode; "
            "chairctl never sends it"
        )
    if not 0x80 <= device_byte <= 0xFF or device_byte in (SOI, EOI):
        raise ProtocolError(
            f"device byte 0x{device_byte:02X} is not a controller identity (0x80..0xFF, "
            "not a frame marker)"
        )
    return bytes((SOI, device_byte, key, checksum((device_byte, key)), EOI))


def status_fields(frame: bytes) -> bytes:
    """The fields b1..b14 of one complete status frame, after checking its shape.

    Accepts both forms; the 17-byte form must carry a correct checksum. Raises
    :class:`ProtocolError` with a one-line reason otherwise.
    """
    if len(frame) not in STATUS_LENGTHS:
        raise ProtocolError(
            f"a status frame is {CHECKED_LENGTH} or {UNCHECKED_LENGTH} bytes, got {len(frame)}"
        )
    if frame[0] != SOI:
        raise ProtocolError(f"a status frame starts with F0, not {frame[0]:02X}")
    if frame[-1] != EOI:
        raise ProtocolError(f"a status frame ends with F1, not {frame[-1]:02X}")
    inner = frame[1:-1]
    for index, byte in enumerate(inner, start=1):
        if byte >= 0x80:
            raise ProtocolError(f"byte {index} is {byte:02X}; status bytes are 7-bit")
    fields = inner[:STATUS_FIELDS]
    if len(frame) == CHECKED_LENGTH:
        expected, got = checksum(fields), inner[STATUS_FIELDS]
        if expected != got:
            raise ProtocolError(f"bad checksum: frame says {got:02X}, bytes sum to {expected:02X}")
    return bytes(fields)
