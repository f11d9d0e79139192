"""Streaming decoding of NCNI status frames: bytes in any chunking in, statuses out.

The UART delivers bytes in arbitrary pieces, and sometimes noise or the middle of a frame
(the bridge picked up mid-stream). The decoder hunts for ``AA 55``, takes 33 bytes, and checks
the trailer ``00 00 00 00``. It never raises and never holds more than one frame's worth of
bytes; what it drops, it counts.

Two rules make it stricter than a plain "header ... trailer" cutter:

* A frame is trusted only when the next frame repeats it byte for byte. There is no checksum,
  and a damaged payload byte almost always still parses into a plausible status ("intensity
  3", "heat on") that would make a closed-loop controller press a toggle it should not press.
  The chair resends its state continually and changes it far more slowly, so a second opinion
  costs one frame of delay. This is the rule the Rongtai decoder applies to its unchecked form.
* ``AA 55`` is taken to start a frame wherever it appears: a candidate with another ``AA 55``
  inside it is cut there. Without this, a decoder that synchronised on an ``AA 55`` inside a
  payload could lock onto a wrong alignment whose copies repeat each other (and so pass the
  repeat rule). That payloads never contain ``AA 55`` is our assumption (the known field values
  are all below ``0x10``); if a chair breaks it, its frames are dropped, and the driver sees stale
  status (after :data:`FRAME_STALE_S`), which fails safe.
"""

from __future__ import annotations

from typing import Final

from drivers.protocols.ncni.status import (
    FRAME_LENGTH,
    HEADER,
    TRAILER,
    NcniStatus,
    parse_status,
)

#: The last status is stale this many seconds after the last delivered frame (for the adapter).
FRAME_STALE_S: Final = 5.0


class StatusDecoder:
    """Decodes a byte stream from one NCNI chair into :class:`NcniStatus` values.

    Every byte fed ends up in exactly one of: an accepted frame (:attr:`frames`),
    :attr:`discarded_bytes`, or :attr:`pending`.
    """

    def __init__(self) -> None:
        self._buffer = bytearray()
        self._frames = 0
        self._bad_frames = 0
        self._discarded = 0
        self._unconfirmed_dropped = 0
        #: The last well-formed frame, waiting for the next one to repeat it.
        self._unconfirmed: bytes | None = None

    @property
    def frames(self) -> int:
        """Well-formed frames received (delivered or not)."""
        return self._frames

    @property
    def bad_frames(self) -> int:
        """Candidates dropped: a trailer that is not ``00 00 00 00``, or cut by an inner
        ``AA 55`` before their end."""
        return self._bad_frames

    @property
    def discarded_bytes(self) -> int:
        """Bytes that never made it into a well-formed frame."""
        return self._discarded

    @property
    def unconfirmed(self) -> int:
        """Well-formed frames dropped because the next frame differed from them."""
        return self._unconfirmed_dropped

    @property
    def pending(self) -> int:
        """Bytes held for a frame not yet complete (fewer than one frame's worth)."""
        return len(self._buffer)

    def reset(self) -> None:
        """Forget a partly received frame and the frame awaiting confirmation (reconnects)."""
        self._discard(len(self._buffer))
        self._unconfirmed = None

    def feed(self, data: bytes) -> list[NcniStatus]:
        """The statuses of the confirmed frames ``data`` completes, in order."""
        self._buffer.extend(data)
        return [parse_status(frame) for frame in self._cut() if self._confirmed(frame)]

    def _discard(self, count: int) -> None:
        self._discarded += count
        del self._buffer[:count]

    def _cut(self) -> list[bytes]:
        buffer = self._buffer
        frames: list[bytes] = []
        while True:
            start = buffer.find(HEADER)
            if start < 0:
                # Keep a trailing AA: it may be the first half of the next header.
                self._discard(len(buffer) - 1 if buffer.endswith(HEADER[:1]) else len(buffer))
                return frames
            self._discard(start)
            inner = buffer.find(HEADER, 1, FRAME_LENGTH)
            if inner > 0:
                # A header can only start a frame: the bytes before it are a broken one.
                self._bad_frames += 1
                self._discard(inner)
                continue
            if len(buffer) < FRAME_LENGTH:
                return frames
            candidate = bytes(buffer[:FRAME_LENGTH])
            if not candidate.endswith(TRAILER):
                # No header at 1..31 (checked above), but byte 32 may begin the next one.
                self._bad_frames += 1
                self._discard(FRAME_LENGTH - 1)
                continue
            del buffer[:FRAME_LENGTH]
            self._frames += 1
            frames.append(candidate)

    def _confirmed(self, frame: bytes) -> bool:
        # The whole frame is compared, so damage anywhere in it is caught.
        previous, self._unconfirmed = self._unconfirmed, frame
        if previous is None:
            return False
        if previous != frame:
            self._unconfirmed_dropped += 1
            return False
        return True
