"""Reading a file a user named or dropped in a folder: a regular file, of bounded size.

A program, a chair model or a profile document is read whole before anything is checked. A
name in a folder can be a FIFO (opening it for reading waits for a writer, forever), a device
(``/dev/zero`` never ends), a folder, or a symlink to any of those; a regular file can grow
between a size check and the read. So the file is opened without blocking, checked to be a
regular file once opened (symlinks followed: the check is of what was opened), and read no
further than the limit. The reasons given never quote the file.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from chairctl.vocabulary.errors import ChairctlError


class FileRefused(ChairctlError):
    """A file could not be read, or is not a regular file of at most the allowed size; the
    message says why in words, never with the file's content."""


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _size(count: int) -> str:
    return f"{count / 1024:.0f} KiB" if count >= 1024 else f"{count} bytes"


def read_regular_file(path: Path, *, max_bytes: int, what: str = "file") -> bytes:
    """The bytes of ``path``, a regular file (after symlinks) of at most ``max_bytes``.

    Raises :class:`FileRefused` for a file that cannot be opened, is a FIFO, device, socket or
    folder, or holds more than ``max_bytes``; nothing here waits on the file's other end.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0))
    except OSError as error:
        raise FileRefused(f"cannot read: {error.strerror or 'not readable'}") from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise FileRefused(f"cannot read: it is {_kind(mode)}; a {what} must be a regular file")
        limit = f"a {what} may be at most {_size(max_bytes)}"
        size = os.fstat(fd).st_size
        if size > max_bytes:
            raise FileRefused(f"the {what} is {_size(size)}; {limit}")
        chunks: list[bytes] = []
        total = 0
        # Read to the limit and one byte past it, whatever the size said: a file can grow, and
        # some (those of /proc) report a size of 0.
        while total <= max_bytes:
            try:
                chunk = os.read(fd, max_bytes + 1 - total)
            except OSError as error:
                raise FileRefused(f"cannot read: {error.strerror or 'read failed'}") from None
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > max_bytes:
            raise FileRefused(f"the {what} is larger than {_size(max_bytes)}; {limit}")
        return b"".join(chunks)
    finally:
        os.close(fd)
