"""The controller's end of a link to a simulated chair: bytes in, bytes out, and hang-up.

Transport-neutral on purpose: a pty, a TCP socket, a BLE backend or a test all drive the
chair through one :class:`Connection`. Bytes from the chair go to a callback, or, when none
is given, into an asyncio queue read with :meth:`Connection.read`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from chairctl.vocabulary import LinkError


class Connection:
    """One controller attached to the chair. Made by ``SimulatedChair.connect``."""

    def __init__(
        self,
        receive: Callable[[bytes], None],
        release: Callable[[Connection], None],
        on_data: Callable[[bytes], None] | None,
        on_close: Callable[[str], None] | None,
    ) -> None:
        self._receive = receive
        self._release = release
        self._on_close = on_close
        self._queue: asyncio.Queue[bytes | None] | None = None
        if on_data is None:
            self._queue = asyncio.Queue()
            on_data = self._queue.put_nowait
        self._on_data = on_data
        self._closed = asyncio.Event()
        #: Why the link closed, None while open.
        self.close_reason: str | None = None

    @property
    def closed(self) -> bool:
        """True once either side has hung up."""
        return self.close_reason is not None

    def write(self, data: bytes) -> None:
        """Bytes from the controller to the chair."""
        if self.close_reason is not None:
            raise LinkError(f"the link is closed: {self.close_reason}")
        self._receive(data)

    async def read(self) -> bytes:
        """The next bytes the chair sent (only when no ``on_data`` callback was given).

        Raises :class:`LinkError` once the link is closed and everything sent was read.
        """
        if self._queue is None:
            raise LinkError("this connection delivers to a callback, not to read()")
        data = await self._queue.get()
        if data is None:
            self._queue.put_nowait(None)
            raise LinkError(f"the link is closed: {self.close_reason}")
        return data

    def close(self) -> None:
        """The controller hangs up; the chair is free for the next one."""
        self._shut("the controller hung up")

    async def wait_closed(self) -> None:
        """Return once the link is closed, by either side."""
        await self._closed.wait()

    def deliver(self, data: bytes) -> None:
        """Bytes from the chair to the controller (the chair's side calls this)."""
        if self.close_reason is None:
            self._on_data(data)

    def sever(self, reason: str) -> None:
        """The chair's side breaks the link."""
        self._shut(reason)

    def _shut(self, reason: str) -> None:
        if self.close_reason is not None:
            return
        self.close_reason = reason
        self._closed.set()
        if self._queue is not None:
            self._queue.put_nowait(None)
        self._release(self)
        if self._on_close is not None:
            self._on_close(reason)
