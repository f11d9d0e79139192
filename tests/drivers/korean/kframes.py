"""Frames for the Korean codec's tests: the captures of the public source, and bit edits of them.

The captures are ``tests/data/korean-ascii-frames.txt`` (``sebastianrcnt/massage-chair-hack``,
``reverse.md``). Frames a test needs that no capture shows are one capture with named bits
changed, by the bit positions of the source's ``spec/chair.yml``, so each test says which bits
it sets."""

from __future__ import annotations

from tests.conftest import golden_frames

CAPTURES = golden_frames("korean-ascii-frames.txt")
#: A capture with every lamp at rest (B0 = 27, B3 = D6, B4 = 0F, B6 = 81, B7 = 80, B8 = E0):
#: timer 05, air on at strength 1, speed 3, medium width, foot roller on, heater off.
AT_REST = CAPTURES["timer-05"]

Bit = tuple[int, int]


def wire(payload: bytes) -> bytes:
    """The frame as the chair sends it: ``~``, upper-case hex digits, ``\\r``."""
    return b"~" + payload.hex().upper().encode() + b"\r"


def edited(payload: bytes, *, set_: tuple[Bit, ...] = (), clear: tuple[Bit, ...] = ()) -> bytes:
    """``payload`` with the bits ``(byte, bit)`` of ``set_`` set and those of ``clear`` cleared."""
    data = bytearray(payload)
    for byte, bit in set_:
        data[byte] |= 1 << bit
    for byte, bit in clear:
        data[byte] &= ~(1 << bit) & 0xFF
    return bytes(data)


def short(b0: int = 0x00, b1: int = 0x00, b2: int = 0x13, b3: int = 0x20, b4: int = 0x09) -> bytes:
    """A short status payload. The defaults: auto (B3[b5] = 1) with no indicator set, and B4 =
    ``09`` (point), a value the source observed (docs/decoding.md, an earlier version: ``09``
    point, ``0B`` local, ``0D`` full); B2 = ``13``, observed there too."""
    return bytes((b0, b1, b2, b3, b4))
