"""Streaming decoding of the Korean chair's line: bytes in any chunking in, frames out.

The line delivers bytes in arbitrary pieces, and sometimes noise or the middle of a frame (a
link picked up mid-stream). The decoder cuts lines from ``~`` to ``\\r``, bounds their length,
and never raises; what it drops, it counts.

- ``~`` always starts a frame: a line still open is broken and dropped, and reading starts
  again at this ``~``. Bytes outside a frame (before the first ``~``, after a ``\\r``) are noise.
- A payload longer than :data:`~drivers.protocols.korean.frames.MAX_PAYLOAD_DIGITS` is dropped
  at once, and so is everything up to the next ``~``: memory stays bounded whatever comes.
- A payload that is not an even run of upper-case hex digits is dropped (a flipped bit in a
  digit usually makes a non-digit or a lower-case one).

**No checksum, so a status is trusted only when it repeats**: a long or short status is
delivered only when its steady fields (``LongStatus.steady_bits``: the timer, air, levels,
width, foot roller, motion active, heater; for a short one manual and area) equal those of the
previous status of the same kind, bit for bit. A damaged digit still parses, most of the time,
into a plausible status ("heater on", "timer 23") that would make a closed-loop controller press
a toggle it should not press; the same damage twice in a row is what it would take to fool this
rule. The two kinds are compared each with its own kind, since the chair sends both.

Why not the whole payload, as the NCNI and Rongtai wired decoders compare: the chair pushes its
long status about twice a second (the source's iOS app, ``ChairBLEManager.swift``), and its
lamps blink with phases of about 0.5 s (``spec/chair.yml``), so while anything blinks (the
technique lamp, all through manual mode) two frames in a row almost never match whole, and a
whole-payload rule would deliver nothing while the chair works. The lamp bits are checked where
they are read instead: :class:`~drivers.protocols.korean.blink.BlinkReader` believes a lamp on
only when two frames show it, so one damaged lamp bit is not enough either. The bits no source
maps are compared by neither: nothing reads them.

A line that is dropped, or well formed but of no known kind, may have been the state changing:
it clears both candidates. Acknowledgements come once (a beep is an event), so they are
delivered at once and do not break a repeat; they carry no state the adapter trusts without the
status (every ack is "tentative" upstream).

The price: each new steady state is delivered at its second frame, about half a second late,
and a state the chair sends only once is never delivered.
"""

from __future__ import annotations

from typing import Final, Literal

from drivers.protocols.korean.frames import (
    END,
    MAX_PAYLOAD_DIGITS,
    START,
    AckFrame,
    Frame,
    UnknownFrame,
    classify,
    hex_payload,
)
from drivers.protocols.korean.status import LongStatus, ShortStatus

_START: Final = START[0]
_END: Final = END[0]
_Kind = Literal["long", "short"]


class FrameDecoder:
    """Decodes the byte stream of one chair's status line into :data:`Frame` values.

    Every byte fed ends up in exactly one of: a well-formed line (:attr:`line_bytes`),
    :attr:`discarded_bytes`, or :attr:`pending`.
    """

    def __init__(self) -> None:
        #: The line being read, from its ``~``; None while hunting for the next ``~``.
        self._line: bytearray | None = None
        self._frames = 0
        self._line_bytes = 0
        self._broken = 0
        self._discarded = 0
        self._unconfirmed = 0
        #: The steady bits of the last status of each kind, for the next of its kind to repeat.
        self._last: dict[_Kind, bytes] = {}

    @property
    def frames(self) -> int:
        """Well-formed lines read (delivered or not)."""
        return self._frames

    @property
    def line_bytes(self) -> int:
        """Bytes of well-formed lines, ``~`` and ``\\r`` included."""
        return self._line_bytes

    @property
    def broken(self) -> int:
        """Lines dropped: cut by a ``~``, too long, or not upper-case hex bytes."""
        return self._broken

    @property
    def discarded_bytes(self) -> int:
        """Bytes of broken lines and noise between lines."""
        return self._discarded

    @property
    def unconfirmed(self) -> int:
        """Well-formed statuses not delivered: the steady bits of the previous status of their
        kind differed (or there was none since the last break)."""
        return self._unconfirmed

    @property
    def pending(self) -> int:
        """Bytes of a line started but not finished (at most ``~`` and the longest payload)."""
        return 0 if self._line is None else len(self._line)

    def reset(self) -> None:
        """Forget a line half read and the statuses awaiting their repeat (reconnects)."""
        if self._line is not None:
            self._discarded += len(self._line)
        self._line = None
        self._last.clear()

    def feed(self, data: bytes) -> list[Frame]:
        """The frames ``data`` completes, in order: statuses that repeat their predecessor of
        the same kind, every acknowledgement, and well-formed frames of no known kind."""
        delivered: list[Frame] = []
        for byte in data:
            frame = self._take(byte)
            if frame is not None:
                delivered.append(frame)
        return delivered

    def _take(self, byte: int) -> Frame | None:
        line = self._line
        if byte == _START:
            if line is not None:
                self._drop(len(line))
            self._line = bytearray(START)
            return None
        if line is None:
            self._discarded += 1
            return None
        if byte == _END:
            self._line = None
            return self._complete(bytes(line) + END)
        if len(line) > MAX_PAYLOAD_DIGITS:  # ``~`` and the longest payload are held already
            self._line = None
            self._drop(len(line) + 1)
            return None
        line.append(byte)
        return None

    def _drop(self, count: int) -> None:
        # Whatever the broken line was, it may have been the state changing.
        self._discarded += count
        self._broken += 1
        self._last.clear()

    def _complete(self, line: bytes) -> Frame | None:
        payload = hex_payload(line[1:-1])
        if payload is None:
            self._drop(len(line))
            return None
        self._frames += 1
        self._line_bytes += len(line)
        frame = classify(payload)
        if isinstance(frame, AckFrame):
            return frame
        if isinstance(frame, UnknownFrame):
            self._last.clear()
            return frame
        return frame if self._confirmed(frame) else None

    def _confirmed(self, status: LongStatus | ShortStatus) -> bool:
        kind: _Kind = "long" if isinstance(status, LongStatus) else "short"
        previous = self._last.get(kind)
        self._last[kind] = status.steady_bits
        if previous == status.steady_bits:
            return True
        self._unconfirmed += 1
        return False
