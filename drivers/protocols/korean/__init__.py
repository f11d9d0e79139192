"""The Korean wired-remote chair's protocol ("korean-ascii"): ASCII-hex text frames at 9600 8N1.

Remote to chair: key codes, a press then a release, each one frame ``~XXXX\\r``
(:func:`command_frame`). Chair to remote: acknowledgement beeps (:class:`Ack`) and the image of
the remote's display as long (9-byte) and short (5-byte) status frames
(:class:`LongStatus`, :class:`ShortStatus`), without a checksum. :class:`FrameDecoder` cuts the
byte stream into frames and trusts a status only when it repeats; :class:`BlinkReader` reads
the display's blinking lamps over a time window into a :class:`Steady` reading, and
:func:`to_chair_status` turns that into a ChairStatus. :func:`record` is one frame as
``chairctl decode`` prints it. Pure code: no I/O, no clock (times are given).

Facts from the public project ``sebastianrcnt/massage-chair-hack`` (its ``spec/chair.yml``,
``docs/``, ``reverse.md``, tests and bridge firmware); what is known, what is [assumed] and
where each fact comes from: ``docs/protocols/korean-ascii.md``.
"""

from drivers.protocols.korean.blink import (
    BLINK_WINDOW_S,
    MAX_GAP_S,
    MIN_FRAMES,
    SIGHTINGS,
    BlinkReader,
    Reading,
    Steady,
)
from drivers.protocols.korean.frames import (
    ACK_MEANINGS,
    BAUD,
    END,
    MAX_PAYLOAD_DIGITS,
    START,
    Ack,
    AckFrame,
    Frame,
    UnknownFrame,
    classify,
    command_frame,
    parse_frame,
)
from drivers.protocols.korean.normalise import AIR_ZONES, MANUAL, to_chair_status
from drivers.protocols.korean.record import frame_record, record
from drivers.protocols.korean.status import (
    AIR_ZONE_LAMPS,
    AUTO_LAMPS,
    AUTO_PROGRAMS,
    DIGESTION,
    LONG_LENGTH,
    LONG_STEADY_MASK,
    MOTION_LAMPS,
    ROLLER_LAMPS,
    SEVEN_SEGMENT,
    SHORT_LENGTH,
    SHORT_STEADY_MASK,
    TECHNIQUE_LAMPS,
    Lamp,
    LongStatus,
    ShortStatus,
    parse_long,
    parse_short,
    seven_segment_digit,
)
from drivers.protocols.korean.stream import FrameDecoder

__all__ = [
    "ACK_MEANINGS",
    "AIR_ZONES",
    "AIR_ZONE_LAMPS",
    "AUTO_LAMPS",
    "AUTO_PROGRAMS",
    "BAUD",
    "BLINK_WINDOW_S",
    "DIGESTION",
    "END",
    "LONG_LENGTH",
    "LONG_STEADY_MASK",
    "MANUAL",
    "MAX_GAP_S",
    "MAX_PAYLOAD_DIGITS",
    "MIN_FRAMES",
    "MOTION_LAMPS",
    "ROLLER_LAMPS",
    "SEVEN_SEGMENT",
    "SHORT_LENGTH",
    "SHORT_STEADY_MASK",
    "SIGHTINGS",
    "START",
    "TECHNIQUE_LAMPS",
    "Ack",
    "AckFrame",
    "BlinkReader",
    "Frame",
    "FrameDecoder",
    "Lamp",
    "LongStatus",
    "Reading",
    "ShortStatus",
    "Steady",
    "UnknownFrame",
    "classify",
    "command_frame",
    "frame_record",
    "parse_frame",
    "parse_long",
    "parse_short",
    "record",
    "seven_segment_digit",
    "to_chair_status",
]
