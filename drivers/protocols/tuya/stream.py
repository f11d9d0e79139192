"""Streaming frame decoding: bytes as a serial link delivers them in, frames out.

Bytes arrive in arbitrary pieces and sometimes with garbage (line noise, a link picked up
mid-frame, a damaged byte). The decoder hunts for the ``55 AA`` header and never raises. What
it drops, it counts. Three rules keep it in step with the good frames around any damage:

* A length above :data:`~drivers.protocols.tuya.frames.MAX_DATA_LENGTH` is a false header,
  dropped at once rather than waited for.
* A candidate that fails its checksum costs only its first byte: the hunt resumes right after
  it, so a false header inside garbage or inside a damaged frame never hides a good frame.
* **A frame never holds a frame.** A candidate whose span (from its header to its checksum
  byte) contains another header that begins a complete frame with a good checksum is false,
  and the hunt resumes at that inner frame. Without this, one damaged length byte made the
  decoder wait for up to 1 KiB of bytes that would complete the false frame, holding back every
  good frame inside them (or, once in 256 times, let a damaged frame's wrong length end on a
  byte that happened to match its sum, deliver it and swallow the head of the next one). So a
  candidate that passes its checksum is delivered only once every header inside its span is
  settled: complete and failing, or absurd. That costs a good frame nothing unless its own
  data holds ``55 AA`` (the massage chairs' data points never do).

The bound: one damaged byte loses the frame it is in, and only that frame's bytes; every good
frame after it is delivered as soon as its last byte arrives. What the 8-bit checksum cannot
rule out: a damaged length that happens to end the frame on a byte matching its sum (one in
256 of such damages) delivers it, wrong; when that byte is the next frame's first ``55`` and
nothing after it has arrived yet, that next frame is lost too. ``tests/drivers/
test_decoders_resync.py`` checks the bound for every byte of the golden frames damaged every
way, fed byte by byte.
"""

from __future__ import annotations

from typing import Final

from drivers.protocols.tuya.frames import (
    HEADER,
    MAX_DATA_LENGTH,
    PREFIX_LENGTH,
    Frame,
    checksum,
    is_one_low,
)

_HEADER_FIRST: Final = HEADER[0]


#: What a candidate frame at some offset of the buffer comes to, so far.
_VALID, _INVALID, _UNSETTLED = "valid", "invalid", "unsettled"


class FrameDecoder:
    """Cuts a byte stream into complete, checksum-verified :class:`Frame` objects.

    Every byte fed ends up in exactly one of: a delivered frame, :attr:`discarded`, or
    :attr:`pending` (a frame still being received: at most one frame's worth, or two while a
    header inside a frame is being settled).
    """

    def __init__(self) -> None:
        self._buffer = bytearray()
        self._frames = 0
        self._bad_checksums = 0
        self._one_low = 0
        self._false_frames = 0
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
    def one_low_checksums(self) -> int:
        """Of :attr:`bad_checksums`, those one below their sum: the fault some Tuya MCU
        firmware has (:data:`~drivers.protocols.tuya.frames.ONE_LOW_FAULT`). Refused too."""
        return self._one_low

    @property
    def false_frames(self) -> int:
        """Candidates dropped because a complete good frame began inside them."""
        return self._false_frames

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
            inner, unsettled = self._inner_frame(end)
            if inner:
                # A good frame starts inside this one: this one is false.
                self._false_frames += 1
                self._drop(inner)
                continue
            if len(buffer) <= end:
                return None
            expected = checksum(buffer[:end])
            if expected != buffer[end]:
                self._bad_checksums += 1
                self._one_low += is_one_low(expected, buffer[end])
                self._drop(1)
                continue
            if unsettled:
                return None
            frame = Frame(
                version=buffer[2], command=buffer[3], data=bytes(buffer[PREFIX_LENGTH:end])
            )
            del buffer[: end + 1]
            self._frames += 1
            return frame

    def _inner_frame(self, end: int) -> tuple[int, bool]:
        """For the candidate at the front, whose checksum byte is at ``end``: the offset of the
        first header inside its span that begins a complete good frame (0: none), and whether
        some header inside it is not settled yet."""
        buffer = self._buffer
        unsettled = False
        at = 0
        while True:
            at = buffer.find(_HEADER_FIRST, at + 1, end + 1)
            if at < 0:
                return 0, unsettled
            if at + 1 == len(buffer):
                # A last 55 (at most the candidate's checksum byte) could begin a header, but
                # waiting for the byte after it would hold back one good frame in 256 until
                # the chair next speaks; see the module's notes.
                return 0, unsettled
            if buffer[at + 1] != HEADER[1]:
                continue
            verdict = self._candidate(at)
            if verdict == _VALID:
                return at, unsettled
            unsettled = unsettled or verdict == _UNSETTLED

    def _candidate(self, at: int) -> str:
        """What the frame whose header is at offset ``at`` comes to with the bytes held."""
        buffer = self._buffer
        if len(buffer) < at + PREFIX_LENGTH:
            return _UNSETTLED
        length = int.from_bytes(buffer[at + 4 : at + 6], "big")
        if length > MAX_DATA_LENGTH:
            return _INVALID
        end = at + PREFIX_LENGTH + length
        if len(buffer) <= end:
            return _UNSETTLED
        return _VALID if checksum(buffer[at:end]) == buffer[end] else _INVALID
