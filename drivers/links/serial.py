"""A serial link: bytes over a chair's wired controller line, or anything pyserial reaches.

Opens a device path (``/dev/ttyUSB0``, a pty such as ``/dev/pts/4``) or any pyserial URL
(``socket://127.0.0.1:7001``, ``rfc2217://…``) with the model's line settings, on
pyserial-asyncio-fast, so bytes arrive through the event loop as they come rather than by
polling. A port that goes away under us (a USB adapter pulled, a TCP peer hanging up, a pty
whose other end closed) calls ``on_lost`` once; closing it ourselves never does.

Device paths are opened exclusively (an advisory ``flock``): two controllers writing key
frames into one chair would each press keys the other does not know about.

The bounds here are wall-clock time: a serial port is always real I/O, even when a simulated
chair sits at the other end of it.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import os
import urllib.parse
from collections.abc import Callable
from typing import Final

import serial
from serial_asyncio_fast import create_serial_connection

from chairctl.vocabulary import LinkError
from drivers.links.base import DataCallback, Link, LostCallback
from drivers.models.schema import ChairModel, SerialSettings

#: Bytes we let queue up unsent before deciding the line does not drain: key frames are
#: 5 bytes at human pace, so a backlog this size means nothing is reading the other end.
WRITE_BACKLOG_LIMIT: Final = 4096

_OPEN_REASONS: Final = {
    errno.ENOENT: "no such device",
    errno.ENODEV: "no such device",
    errno.ENXIO: "no such device",
    errno.EACCES: "permission denied (is your user in the group that owns the port?)",
    errno.EPERM: "permission denied (is your user in the group that owns the port?)",
    errno.EBUSY: "the port is busy (another program has it open)",
    errno.EAGAIN: "the port is in use by another program",
    errno.ECONNREFUSED: "connection refused (is anything listening there?)",
    errno.EHOSTUNREACH: "host unreachable",
    errno.ENETUNREACH: "network unreachable",
}


class _Protocol(asyncio.Protocol):
    """Hands the transport's events to the link that opened it."""

    def __init__(
        self, on_data: Callable[[bytes], None], on_lost: Callable[[Exception | None], None]
    ) -> None:
        self._on_data = on_data
        self._on_lost = on_lost

    def data_received(self, data: bytes) -> None:
        self._on_data(data)

    def connection_lost(self, exc: Exception | None) -> None:
        self._on_lost(exc)


class SerialLink(Link):
    """One open serial port or pyserial URL."""

    def __init__(
        self,
        url: str,
        settings: SerialSettings,
        *,
        open_timeout: float = 5.0,
        close_timeout: float = 2.0,
    ) -> None:
        self._url = url
        self._settings = settings
        self._open_timeout = open_timeout
        self._close_timeout = close_timeout
        self._transport: asyncio.Transport | None = None
        self._gone = asyncio.Event()
        self._used = False
        self._closing = False
        self._on_data: DataCallback | None = None
        self._on_lost: LostCallback | None = None

    @classmethod
    def for_model(cls, model: ChairModel, url: str) -> SerialLink:
        """A link to a chair of ``model`` on its wired controller line at ``url``."""
        settings = model.match.serial
        if settings is None:
            raise LinkError(f"chair model {model.id} has no wired controller line")
        return cls(url, settings)

    @property
    def description(self) -> str:
        return f"serial {self._url}"

    @property
    def is_open(self) -> bool:
        return self._transport is not None

    async def open(self, on_data: DataCallback, on_lost: LostCallback) -> None:
        if self._used or self._closing:
            raise LinkError("a link is opened once; make a new one to reconnect")
        self._used = True
        self._on_data, self._on_lost = on_data, on_lost
        _check_url(self._url)
        settings = self._settings
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout(self._open_timeout):
                transport, _ = await create_serial_connection(
                    loop,
                    lambda: _Protocol(self._received, self._connection_lost),
                    self._url,
                    baudrate=settings.baudrate,
                    bytesize=settings.bytesize,
                    parity=settings.parity,
                    stopbits=settings.stopbits,
                    exclusive=True,
                )
        except TimeoutError:
            raise LinkError(
                f"cannot open {self.description}: no answer within {self._open_timeout:g} s"
            ) from None
        except (serial.SerialException, OSError, ValueError) as error:
            raise LinkError(f"cannot open {self.description}: {_open_reason(error)}") from error
        self._transport = transport

    def _received(self, data: bytes) -> None:
        if self._on_data is not None and not self._closing:
            self._on_data(data)

    def _connection_lost(self, exc: Exception | None) -> None:
        self._transport = None
        self._gone.set()
        if self._closing or self._on_lost is None:
            return
        reason = "the other end closed the line" if exc is None else _line(str(exc))
        self._on_lost(f"{self.description} lost: {reason}")

    async def _send(self, chunk: bytes) -> None:
        transport = self._transport
        if transport is None or transport.is_closing():
            raise LinkError(f"{self.description} is not open")
        if transport.get_write_buffer_size() > WRITE_BACKLOG_LIMIT:
            raise LinkError(f"{self.description} does not drain: nothing reads the other end")
        transport.write(chunk)

    async def close(self) -> None:
        self._closing = True
        transport, self._transport = self._transport, None
        if transport is None:
            return
        transport.close()
        # Wait until the port is really released, so a reconnect can open it again at once.
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(self._close_timeout):
                await self._gone.wait()


def _check_url(url: str) -> None:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme != "socket":
        return
    # pyserial-asyncio-fast opens socket:// URLs itself and would take a missing port for 0.
    try:
        port = parts.port
    except ValueError:
        port = None
    if not parts.hostname or port is None:
        raise LinkError(f"'{url}' is not socket://HOST:PORT")


def _open_reason(error: BaseException) -> str:
    code = error.errno if isinstance(error, OSError) else None
    if code in _OPEN_REASONS:
        return _OPEN_REASONS[code]
    if code is not None:
        # pyserial puts its whole message in strerror; the errno's own text is the reason.
        return os.strerror(code).lower()
    # pyserial's own errors (a malformed URL, an unknown URL scheme) have no errno.
    return _line(str(error)) or type(error).__name__


def _line(text: str) -> str:
    lines = text.strip().splitlines()
    return lines[0].strip() if lines else ""
