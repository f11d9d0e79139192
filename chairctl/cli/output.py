"""Output that a vanished reader cannot break.

A command that drives a chair writes progress while the chair works; the reader of that output
can go away at any moment: ``chairctl run --json | head -2`` closes the pipe (EPIPE), a closed
terminal fails every write (EIO). A write that raises there would tear through whatever was
writing (a status listener, the progress display's refresh thread) while the chair is still
working. So every write goes through a :class:`GuardedStream`: the first failure marks the
output lost, tells the owner once (who stops the chair), and from then on writes are dropped.
The file descriptor is pointed at /dev/null too, so nothing later (Python's own flush at exit,
an error message) fails on it again or prints a traceback about it.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
from collections.abc import Callable
from typing import TextIO

#: Why an output is lost, by the error that showed it.
_LOST_BECAUSE = {
    errno.EPIPE: "its output was closed (broken pipe)",
    errno.EIO: "its terminal was closed",
    errno.ENXIO: "its terminal was closed",
}


class GuardedStream(io.TextIOBase):
    """A text stream over ``stream`` whose writes never raise; ``on_lost(reason)`` is called
    once, from whichever thread wrote, when the reader turns out to be gone."""

    def __init__(self, stream: TextIO, on_lost: Callable[[str], None]) -> None:
        super().__init__()
        self._stream = stream
        self._on_lost = on_lost
        self.lost: str | None = None

    def write(self, text: str) -> int:
        if self.lost is None:
            try:
                self._stream.write(text)
                if "\n" in text:
                    self._stream.flush()
            except OSError as error:
                self._lose(error)
        return len(text)

    def flush(self) -> None:
        if self.lost is None:
            try:
                self._stream.flush()
            except OSError as error:
                self._lose(error)

    def isatty(self) -> bool:
        if self.lost is not None:
            return False
        try:
            return self._stream.isatty()
        except (OSError, ValueError):
            return False

    def fileno(self) -> int:
        return self._stream.fileno()

    def writable(self) -> bool:
        return True

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self._stream, "encoding", None) or "utf-8"

    def _lose(self, error: OSError) -> None:
        if self.lost is not None:
            return
        self.lost = _LOST_BECAUSE.get(error.errno or 0, f"its output failed ({error.strerror})")
        _silence(self._stream)
        self._on_lost(self.lost)


def _silence(stream: TextIO) -> None:
    """Point ``stream``'s descriptor at /dev/null, dropping what its buffer still holds."""
    with contextlib.suppress(OSError, ValueError, io.UnsupportedOperation):
        descriptor = stream.fileno()
        null = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(null, descriptor)
        finally:
            os.close(null)
    # The text layer may still hold the bytes that failed; with the descriptor on /dev/null,
    # flushing them now succeeds quietly (and they are not retried at exit).
    with contextlib.suppress(OSError, ValueError):
        stream.flush()
