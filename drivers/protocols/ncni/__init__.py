"""The NCNI chair protocol: single-byte panel keys out, 33-byte status frames in.

Panel to chair (UART 9600 8N1): one byte per 100 ms tick; a press is the key for 3 ticks and
``0x00`` for 3 (:func:`press_ticks`), a backrest hold the key on every tick for up to 80
(:func:`hold_ticks`). Chair to panel: ``AA 55`` + 27 payload bytes + ``00 00 00 00``, no
checksum (:func:`parse_status`, :class:`StatusDecoder`, which trusts a frame only when the next
one repeats it). Pure code: no I/O, no clock. Reference: protocols.md section 3, corrected
against the upstream project's state code and tests (``docs/protocols/ncni.md``).
"""

from drivers.protocols.ncni.keys import (
    ACK_TIMEOUT_S,
    BAUD,
    DONE_TIMEOUT_S,
    HOLD_KEYS,
    MAX_HOLD_TICKS,
    NO_KEY,
    PRESS_TICKS,
    RELEASE_TICKS,
    SETTLE_WINDOW_S,
    TICK_S,
    Key,
    code_press_ticks,
    hold_ticks,
    press_ticks,
)
from drivers.protocols.ncni.status import (
    AIRBAG_ZONES,
    AUTO_PROGRAM_END_S,
    AUTO_PROGRAM_S,
    BLANK_AFTER_POSTURE_S,
    BOOT_SETTLE_FAIL_OPEN_S,
    BOOT_SETTLE_FRAMES,
    BOOT_SETTLE_MIN_S,
    FRAME_LENGTH,
    HEADER,
    INTENSITY_SCALE,
    MANUAL_ORDER,
    OPTIMISTIC_MUTE_S,
    TRAILER,
    NcniStatus,
    check_frame,
    parse_status,
    program_name,
    to_chair_status,
)
from drivers.protocols.ncni.stream import FRAME_STALE_S, StatusDecoder

__all__ = [
    "ACK_TIMEOUT_S",
    "AIRBAG_ZONES",
    "AUTO_PROGRAM_END_S",
    "AUTO_PROGRAM_S",
    "BAUD",
    "BLANK_AFTER_POSTURE_S",
    "BOOT_SETTLE_FAIL_OPEN_S",
    "BOOT_SETTLE_FRAMES",
    "BOOT_SETTLE_MIN_S",
    "DONE_TIMEOUT_S",
    "FRAME_LENGTH",
    "FRAME_STALE_S",
    "HEADER",
    "HOLD_KEYS",
    "INTENSITY_SCALE",
    "MANUAL_ORDER",
    "MAX_HOLD_TICKS",
    "NO_KEY",
    "OPTIMISTIC_MUTE_S",
    "PRESS_TICKS",
    "RELEASE_TICKS",
    "SETTLE_WINDOW_S",
    "TICK_S",
    "TRAILER",
    "Key",
    "NcniStatus",
    "StatusDecoder",
    "check_frame",
    "code_press_ticks",
    "hold_ticks",
    "parse_status",
    "press_ticks",
    "program_name",
    "to_chair_status",
]
