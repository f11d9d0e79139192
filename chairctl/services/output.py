"""Output that a vanished or stalled reader cannot break.

A command that drives a chair writes progress while the chair works; the reader of that output
can go away at any moment: ``chairctl run --json | head -2`` closes the pipe (EPIPE), a closed
terminal fails every write (EIO). A write that raises there would tear through whatever was
writing (a status listener, the progress display's refresh thread) while the chair is still
working. So every write goes through a :class:`GuardedStream`: the first failure marks the
output lost, tells the owner once (who stops the chair), and from then on writes are dropped.
The file descriptor is pointed at /dev/null too, so nothing later (Python's own flush at exit,
an error message) fails on it again or prints a traceback about it.

A reader can also stall without going: ``chairctl run --json | less`` left unscrolled fills the
pipe, and the next write blocks the event loop that would stop the chair (and hear Ctrl-C).
So a command writes through a :class:`QueuedStream`: writes only queue, a thread of its own
does the blocking, and past a bound the queue drops whole writes and counts them, rather than
hold the session back. :meth:`QueuedStream.drain` waits, once the chair is released, for what
is queued.
"""

from __future__ import annotations

import atexit
import contextlib
import errno
import io
import os
import threading
from collections import deque
from collections.abc import Callable, Iterator
from typing import Final, TextIO

#: Why an output is lost, by the error that showed it.
_LOST_BECAUSE = {
    errno.EPIPE: "its output was closed (broken pipe)",
    errno.EIO: "its terminal was closed",
    errno.ENXIO: "its terminal was closed",
}


#: Characters a :class:`QueuedStream` holds for a reader that does not keep up before it drops
#: writes: minutes of --json status events, and far more than a terminal shows.
BACKLOG_CHARS: Final = 1 << 20


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


class QueuedStream(io.TextIOBase):
    """A text stream over ``stream`` whose writes never block: they are queued, and written by a
    thread of its own. Past ``limit`` queued characters a write is dropped and counted in
    :attr:`dropped`. Safe to write from any thread; order is kept."""

    def __init__(self, stream: GuardedStream, *, limit: int = BACKLOG_CHARS) -> None:
        super().__init__()
        self._stream = stream
        self._limit = limit
        self._queue: deque[str] = deque()
        self._queued = 0
        self._writing = False
        self._changed = threading.Condition()
        self._thread: threading.Thread | None = None
        #: Writes dropped because the reader did not keep up.
        self.dropped = 0

    @property
    def lost(self) -> str | None:
        """Why the reader is gone, once it is."""
        return self._stream.lost

    def write(self, text: str) -> int:
        if not text or self._stream.lost is not None:
            return len(text)
        with self._changed:
            if self._queued + len(text) > self._limit:
                self.dropped += 1
                return len(text)
            self._queue.append(text)
            self._queued += len(text)
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._write_out, name="chairctl-output", daemon=True
                )
                self._thread.start()
                # Whatever ends the process, what was queued is written first.
                atexit.register(self.drain)
            self._changed.notify_all()
        return len(text)

    def flush(self) -> None:
        """Nothing to do here: the writing thread flushes each line it writes (a flush that
        waited for the reader would block like a write)."""

    def drain(self, timeout_s: float | None = None) -> bool:
        """Wait until everything queued is written (or the reader is gone); False if
        ``timeout_s`` passed first. Call it only once waiting cannot hold the chair back."""
        with self._changed:
            return self._changed.wait_for(
                lambda: (not self._queue and not self._writing) or self._stream.lost is not None,
                timeout_s,
            )

    def isatty(self) -> bool:
        return self._stream.isatty()

    def fileno(self) -> int:
        return self._stream.fileno()

    def writable(self) -> bool:
        return True

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self._stream.encoding

    def _write_out(self) -> None:
        while True:
            with self._changed:
                self._changed.wait_for(lambda: bool(self._queue))
                text = "".join(self._queue)
                self._queue.clear()
                self._writing = True
            try:
                self._stream.write(text)
                self._stream.flush()
            finally:
                with self._changed:
                    # Counted until written: the bound covers what is being written too.
                    self._queued -= len(text)
                    self._writing = False
                    self._changed.notify_all()


@contextlib.contextmanager
def draining(*streams: QueuedStream) -> Iterator[None]:
    """Run the block; however it ends, then wait until ``streams`` have written what they
    hold (or their reader is gone)."""
    try:
        yield
    finally:
        for stream in streams:
            stream.drain()


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
