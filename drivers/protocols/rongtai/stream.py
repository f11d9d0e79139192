"""Streaming status decoding: bytes as a link delivers them in, statuses out.

Links deliver bytes in arbitrary pieces (BLE notifications, serial reads) and sometimes
garbage (line noise, a connection picked up mid-frame). The framer resynchronises on the next
``F0``, never holds more than one frame's worth of bytes, and never raises: a decoder that
throws on noise would take the driver's view of the chair down with it. What it drops, it
counts, so a bad cable shows up in the numbers rather than as silence.
"""

from __future__ import annotations

from chairctl.vocabulary import ChairStatus, ProtocolError
from drivers.models.rongtai import RongtaiModel
from drivers.protocols.rongtai.frames import (
    CHECKED_LENGTH,
    EOI,
    SOI,
    STATUS_FIELDS,
    STATUS_LENGTHS,
    UNCHECKED_LENGTH,
    checksum,
    status_fields,
)
from drivers.protocols.rongtai.status import StatusCodes, decode_fields


class StatusFramer:
    """Cuts a byte stream into complete status frames of either form.

    Every byte fed ends up in exactly one of: a delivered frame, :attr:`discarded_bytes`, or
    :attr:`pending` (the frame still being received).
    """

    def __init__(self) -> None:
        self._buffer = bytearray()
        self._frames = 0
        self._bad_checksum = 0
        self._discarded_bytes = 0

    @property
    def frames(self) -> int:
        """Frames delivered so far."""
        return self._frames

    @property
    def bad_checksum(self) -> int:
        """17-byte frames dropped because their checksum did not match."""
        return self._bad_checksum

    @property
    def discarded_bytes(self) -> int:
        """Bytes dropped: noise between frames, broken frames, bad-checksum frames."""
        return self._discarded_bytes

    @property
    def pending(self) -> int:
        """Bytes of a frame started but not finished (at most one frame's worth)."""
        return len(self._buffer)

    def reset(self) -> None:
        """Drop a partly received frame, e.g. after a reconnect, so it cannot join new bytes."""
        self._discard()

    def feed(self, data: bytes) -> list[bytes]:
        """The frames ``data`` completes, in order, markers included."""
        frames: list[bytes] = []
        for byte in data:
            frame = self._push(byte)
            if frame is not None:
                frames.append(frame)
        return frames

    def _discard(self, extra: int = 0) -> None:
        self._discarded_bytes += len(self._buffer) + extra
        self._buffer.clear()

    def _push(self, byte: int) -> bytes | None:
        if byte == SOI:
            # A start marker can only begin a frame, so whatever came before it is lost.
            self._discard()
            self._buffer.append(byte)
            return None
        if not self._buffer:
            self._discarded_bytes += 1
            return None
        if byte == EOI:
            self._buffer.append(byte)
            return self._complete()
        if byte >= 0x80 or len(self._buffer) + 1 >= UNCHECKED_LENGTH:
            # Payload bytes are 7-bit, and a frame whose end marker has not come by its last
            # byte is not a frame: start hunting for the next F0.
            self._discard(extra=1)
            return None
        self._buffer.append(byte)
        return None

    def _complete(self) -> bytes | None:
        frame = bytes(self._buffer)
        if len(frame) not in STATUS_LENGTHS:
            self._discard()
            return None
        if len(frame) == CHECKED_LENGTH and checksum(frame[1 : 1 + STATUS_FIELDS]) != frame[-2]:
            self._bad_checksum += 1
            self._discard()
            return None
        self._buffer.clear()
        self._frames += 1
        return frame


class StatusDecoder:
    """Decodes a byte stream from one chair into statuses; never raises on any input.

    A frame of the 18-byte form carries no checksum, and a damaged one mostly still decodes
    into a plausible status: one that says "intensity 5" when the chair is at 2 would make a
    controller press toward a harder massage. So a frame of that form is trusted only when
    the next frame says the same; the chair sends them every 50 ms and its state changes far
    more slowly, so this costs one frame of delay. Checksummed frames are trusted at once.
    """

    def __init__(self, model: RongtaiModel) -> None:
        self._framer = StatusFramer()
        self._codes = StatusCodes.of(model)
        self._rejected = 0
        self._last_error: str | None = None
        #: The fields of the last unchecked frame, waiting for a second opinion.
        self._unconfirmed: bytes | None = None
        self._unconfirmed_dropped = 0

    @property
    def framer(self) -> StatusFramer:
        """The framer underneath, with its counters."""
        return self._framer

    @property
    def bad_checksum(self) -> int:
        """Frames dropped for a bad checksum."""
        return self._framer.bad_checksum

    @property
    def discarded_bytes(self) -> int:
        """Bytes that never made it into a frame (see :class:`StatusFramer`)."""
        return self._framer.discarded_bytes

    @property
    def rejected(self) -> int:
        """Well-formed frames dropped because a field held an undefined value."""
        return self._rejected

    @property
    def unconfirmed(self) -> int:
        """Unchecked frames dropped because the next frame disagreed with them."""
        return self._unconfirmed_dropped

    @property
    def last_error(self) -> str | None:
        """Why the most recent rejected frame was dropped, for logs."""
        return self._last_error

    def reset(self) -> None:
        """Forget a partly received frame and any frame awaiting confirmation."""
        self._framer.reset()
        self._unconfirmed = None

    def _confirmed(self, frame: bytes, fields: bytes) -> bool:
        if len(frame) == CHECKED_LENGTH:
            return True
        # The whole frame is compared, so damage anywhere in it is caught.
        previous, self._unconfirmed = self._unconfirmed, frame
        if previous is None:
            return False
        if previous != frame:
            self._unconfirmed_dropped += 1
            return False
        return True

    def feed(self, data: bytes) -> list[ChairStatus]:
        """The statuses of the frames ``data`` completes, in order."""
        statuses: list[ChairStatus] = []
        for frame in self._framer.feed(data):
            try:
                fields = status_fields(frame)
                status = decode_fields(fields, self._codes)
            except ProtocolError as error:
                self._rejected += 1
                self._last_error = str(error)
                continue
            if self._confirmed(frame, fields):
                statuses.append(status)
        return statuses
