"""Streaming frame decoding: bytes as a serial link delivers them in, frames out.

Bytes arrive in arbitrary pieces and sometimes with garbage (line noise, a link picked up
mid-frame). The decoder hunts for the ``55 AA`` header, never raises, and never waits for a
frame longer than :data:`~drivers.protocols.tuya.frames.MAX_DATA_LENGTH` data bytes: such a
length means the header was a false one. A candidate that fails (absurd length, bad checksum)
costs only its first byte, and the hunt resumes right after it, so a false header inside
garbage or inside a damaged frame never hides a good frame behind it. What it drops, it counts.
"""

from __future__ import annotations

from typing import Final

from drivers.protocols.tuya.frames import (
    HEADER,
    MAX_DATA_LENGTH,
    PREFIX_LENGTH,
    Frame,
    checksum,
)

_HEADER_FIRST: Final = HEADER[0]


class FrameDecoder:
    """Cuts a byte stream into complete, checksum-verified :class:`Frame` objects.

    Every byte fed ends up in exactly one of: a delivered frame, :attr:`discarded`, or
    :attr:`pending` (a frame still being received, at most one frame's worth).
    """

    def __init__(self) -> None:
        self._buffer = bytearray()
        self._frames = 0
        self._bad_checksums = 0
        self._discarded = 0

    @property
    def frames(self) -> int:
        """Frames delivered so far."""
        return self._frames

    @property
    def bad_checksums(self) -> int:
        """Candidate frames dropped because their checksum did not match."""
        return self._bad_checksums

    @property
    def discarded(self) -> int:
        """Bytes dropped: noise, false headers, the first byte of each bad-checksum frame."""
        return self._discarded

    @property
    def pending(self) -> int:
        """Bytes held for a frame not yet complete."""
        return len(self._buffer)

    def reset(self) -> None:
        """Drop a partly received frame, e.g. after a reconnect, so it cannot join new bytes."""
        self._drop(len(self._buffer))

    def feed(self, data: bytes) -> list[Frame]:
        """The frames ``data`` completes, in order."""
        self._buffer += data
        frames: list[Frame] = []
        while (frame := self._next()) is not None:
            frames.append(frame)
        return frames

    def _drop(self, count: int) -> None:
        self._discarded += count
        del self._buffer[:count]

    def _next(self) -> Frame | None:
        """Take one frame off the front of the buffer, or ``None`` when more bytes are needed."""
        buffer = self._buffer
        while True:
            start = buffer.find(HEADER)
            if start < 0:
                # Keep a last 55: it may be the first half of a header split across reads.
                keep = 1 if buffer and buffer[-1] == _HEADER_FIRST else 0
                self._drop(len(buffer) - keep)
                return None
            self._drop(start)
            if len(buffer) < PREFIX_LENGTH:
                return None
            length = int.from_bytes(buffer[4:6], "big")
            if length > MAX_DATA_LENGTH:
                self._drop(1)
                continue
            end = PREFIX_LENGTH + length
            if len(buffer) <= end:
                return None
            if checksum(buffer[:end]) != buffer[end]:
                self._bad_checksums += 1
                self._drop(1)
                continue
            frame = Frame(
                version=buffer[2], command=buffer[3], data=bytes(buffer[PREFIX_LENGTH:end])
            )
            del buffer[: end + 1]
            self._frames += 1
            return frame
