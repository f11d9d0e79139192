"""Panel → chair keys of the NCNI chair: one byte per 100 ms tick (protocols.md section 3).

The touch panel talks to the chair over a UART at 9600 8N1 and sends exactly one byte every
tick. ``0x00`` means "no key". A button press is its key code for :data:`PRESS_TICKS` ticks
(300 ms), then ``0x00`` for :data:`RELEASE_TICKS` ticks, the gap that lets the chair see the
release. A hold key (backrest up/down) is its key code on every tick for as long as the button
is held, at most :data:`MAX_HOLD_TICKS` (8 s), then the same release gap.

Every key except the two backrest holds is a **toggle or a cycle** (power, heat, auto profile
A→B→C→D→A, time 15/20/25/30 min, ...): pressing it twice undoes or skips what once did. So a
press is never retried blindly. The adapter that comes later confirms each press closed-loop
against the status frames: an acknowledgement within :data:`ACK_TIMEOUT_S`, the change itself
within :data:`DONE_TIMEOUT_S`, and no second press of the same key until the status has been
still for :data:`SETTLE_WINDOW_S`. These constants are the upstream project's measured values;
this module only encodes ticks.

Pure code: no I/O, no clock.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Final

from chairctl.vocabulary import ProtocolError

#: The line rate of the panel ↔ chair UART (8N1).
BAUD: Final = 9600
#: Seconds per tick: the panel sends one byte every 100 ms.
TICK_S: Final = 0.1
#: The byte of a tick on which no key is down.
NO_KEY: Final = 0x00
#: Ticks a button press holds its key code (300 ms).
PRESS_TICKS: Final = 3
#: Ticks of ``0x00`` after every press or hold, so the chair sees the release (300 ms).
RELEASE_TICKS: Final = 3
#: The longest hold the panel sends (8 s); the backrest keeps moving only while held.
MAX_HOLD_TICKS: Final = 80

#: A press must be acknowledged (the bridge saw it go out) within this many seconds.
ACK_TIMEOUT_S: Final = 2.0
#: The chair must show the press's effect in its status frames within this many seconds.
DONE_TIMEOUT_S: Final = 5.0
#: The status must stay unchanged this long before the press counts as settled.
SETTLE_WINDOW_S: Final = 2.5


class Key(IntEnum):
    """The panel's key codes (``bridge/commands.py`` upstream; Polish names translated)."""

    POWER = 0x01
    FOOT_SPEED = 0x02
    HEAT = 0x03
    FULL_BODY = 0x04
    #: From manual, starts auto profile A; in auto, cycles A → B → C → D → A (upstream's state
    #: code; its command table lists the cycle from B).
    AUTO = 0x05
    #: Hold key.
    BACKREST_DOWN = 0x06
    #: Cycles the session time 15 → 20 → 25 → 30 min.
    TIME = 0x07
    ZERO_GRAVITY = 0x08
    #: Hold key.
    BACKREST_UP = 0x09
    PAUSE = 0x0B
    FOOT_MASSAGE = 0x0D
    BUTTOCKS = 0x0E
    PRESSURE_DOWN = 0x0F
    PRESSURE_UP = 0x10
    LEGS = 0x11
    FOREARMS = 0x12
    SHOULDERS_ARMS = 0x13
    SPEED_DOWN = 0x14
    SPEED_UP = 0x15
    FORWARD_BACK_1 = 0x16
    BACK_WAIST = 0x17
    FORWARD_BACK_2 = 0x18
    NECK = 0x19


#: Keys the panel repeats for as long as the button is held.
HOLD_KEYS: Final[frozenset[Key]] = frozenset({Key.BACKREST_DOWN, Key.BACKREST_UP})


def _key(key: int) -> Key:
    try:
        return Key(key)
    except ValueError:
        raise ProtocolError(f"0x{key:02X} is not an NCNI key code") from None


def press_ticks(key: Key) -> bytes:
    """The ticks of one button press: the key for 3 ticks, then ``0x00`` for 3.

    A hold key may be pressed too (a 300 ms nudge of the backrest, as a short tap on the
    panel gives). Raises :class:`ProtocolError` for a code that is not a key.
    """
    return code_press_ticks(_key(key))


def code_press_ticks(code: int) -> bytes:
    """The ticks of a press of any panel code (1..255): a chair whose panel has codes of its
    own is pressed the same way. :func:`press_ticks` checks the known panel's table first.
    Raises :class:`ProtocolError` for a code that is no byte or is "no key"."""
    if not 0 < code <= 0xFF:
        raise ProtocolError(f"a panel code is 0x01..0xFF, not {code}")
    return bytes((code,)) * PRESS_TICKS + bytes((NO_KEY,)) * RELEASE_TICKS


def hold_ticks(key: Key, ticks: int) -> bytes:
    """The ticks of holding ``key`` for ``ticks`` ticks (1..80), then ``0x00`` for 3.

    Raises :class:`ProtocolError` for a key that is not a hold key (a toggle held down is still
    one toggle at best, and nothing the panel ever sends) and for a hold outside 1..80 ticks.
    """
    code = _key(key)
    if code not in HOLD_KEYS:
        raise ProtocolError(f"{code.name} is not a hold key (hold keys: backrest up/down)")
    if not 1 <= ticks <= MAX_HOLD_TICKS:
        raise ProtocolError(
            f"a hold lasts 1..{MAX_HOLD_TICKS} ticks ({MAX_HOLD_TICKS * TICK_S:.0f} s), not {ticks}"
        )
    return bytes((code,)) * ticks + bytes((NO_KEY,)) * RELEASE_TICKS
