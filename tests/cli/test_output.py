"""Output that a stalled or vanished reader cannot hold back: writes through a real pipe."""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator

import pytest

from chairctl.services.output import GuardedStream, QueuedStream


@pytest.fixture
def pipe() -> Iterator[tuple[int, int]]:
    read_end, write_end = os.pipe()
    yield read_end, write_end
    for end in (read_end, write_end):
        with contextlib.suppress(OSError):
            os.close(end)


def read_all(descriptor: int) -> bytes:
    chunks = []
    while chunk := os.read(descriptor, 65536):
        chunks.append(chunk)
    return b"".join(chunks)


def queued_over(write_end: int, lost: list[str], limit: int) -> QueuedStream:
    stream = os.fdopen(write_end, "w", encoding="utf-8", closefd=False)
    return QueuedStream(GuardedStream(stream, lost.append), limit=limit)


def test_writes_to_a_reader_that_does_not_read_never_block(pipe: tuple[int, int]) -> None:
    read_end, write_end = pipe
    lost: list[str] = []
    out = queued_over(write_end, lost, limit=200_000)
    line = "x" * 99 + "\n"
    # Far more than a pipe holds (64 KiB), written from this thread: it must come back.
    done = threading.Event()

    def write_many() -> None:
        for _ in range(5000):
            out.write(line)
        done.set()

    writer = threading.Thread(target=write_many, daemon=True)
    writer.start()
    writer.join(timeout=30)
    assert done.is_set(), "a write blocked on the unread pipe"
    # 200 000 characters (2000 lines) are held beyond what the pipe (64 KiB) and the text
    # layer's buffer (8 KiB) took; the rest were counted, not kept.
    kept = 5000 - out.dropped
    assert 2000 <= kept <= 2000 + (65536 + 8192) // 100 + 1
    assert not out.drain(timeout_s=0.2)  # still waiting for the reader
    reading = threading.Thread(target=lambda: received.append(read_all(read_end)))
    received: list[bytes] = []
    reading.start()
    assert out.drain(timeout_s=30)
    os.close(write_end)
    reading.join(timeout=30)
    text = received[0].decode()
    assert text == line * (5000 - out.dropped)  # whole writes, in order
    assert lost == []


def test_a_reader_that_goes_is_heard_once_and_ends_the_wait(pipe: tuple[int, int]) -> None:
    read_end, write_end = pipe
    lost: list[str] = []
    out = queued_over(write_end, lost, limit=1 << 20)
    out.write("first\n")
    assert out.drain(timeout_s=30)
    assert os.read(read_end, 100) == b"first\n"
    os.close(read_end)
    for _ in range(3):
        out.write("nobody reads this\n")
    assert out.drain(timeout_s=30)
    assert lost == ["its output was closed (broken pipe)"]
    assert out.lost == "its output was closed (broken pipe)"
