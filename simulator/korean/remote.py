"""The chair's end of the remote's command line: text frames in, button codes out.

The remote sends each button as two frames, ``~XXXX\\r`` with the press code and then with the
release code (``spec/chair.yml``; the upstream bridge's ``sendToChair``). The chair reads the
line byte by byte, in any chunking:

- ``~`` starts a frame, dropping whatever was collected; ``\\r`` ends it.
- A frame that is not exactly four upper-case hex digits is dropped and counted (the remote
  sends upper case; a lower-case digit is taken as garbage [assumed]).
- A frame longer than :data:`MAX_FRAME` characters is dropped as soon as it is too long, and the
  line waits for the next ``~`` [assumed: the chair's own bound is not known; four digits is
  all a button ever sends].
- Bytes outside a frame are ignored.

Whether a code is a press, a release or neither is the model's (:mod:`.firmware`): the line
hands over every well-formed code. Nothing here raises on any input.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from simulator.korean.frames import END, START

#: The longest frame body the chair collects before it gives up on the frame.
MAX_FRAME: Final = 16
_DIGITS: Final = frozenset(b"0123456789ABCDEF")


@dataclass
class LineStats:
    """How the command line fared, for tests and diagnostics."""

    codes: int = 0
    #: Frames that were not four upper-case hex digits.
    malformed: int = 0
    #: Frames cut off for running past :data:`MAX_FRAME`.
    overlong: int = 0


class RemoteLine:
    """Reads the remote's frames; hands each code to ``on_code``."""

    def __init__(self, on_code: Callable[[int], None]) -> None:
        self._on_code = on_code
        self._body: bytearray | None = None
        self.stats = LineStats()

    def feed(self, data: bytes) -> None:
        """Take bytes that arrived now, in order."""
        for byte in data:
            if byte == START:
                self._body = bytearray()
            elif self._body is None:
                continue
            elif byte == END:
                body, self._body = bytes(self._body), None
                self._frame(body)
            elif len(self._body) >= MAX_FRAME:
                self._body = None
                self.stats.overlong += 1
            else:
                self._body.append(byte)

    def _frame(self, body: bytes) -> None:
        if len(body) != 4 or not set(body) <= _DIGITS:
            self.stats.malformed += 1
            return
        self.stats.codes += 1
        self._on_code(int(body, 16))
