"""Real I/O under virtual time: an account of what is crossing the kernel to a served chair.

The session behaviour suite and the benchmarks reach the simulated chair through a pty or a
TCP socket, with the chair and the session on one VirtualClock. A VirtualClock moves time on
as soon as the event loop has no callback ready, but bytes written to a pty or a socket are
not a ready callback: the kernel hands them to the other end a moment later (a pty from a
kernel worker), and the selector reports them on some later turn. pyserial also opens and
closes ports in a worker thread. Left alone, the clock jumps ahead while a status frame
written at t is still on its way, so the session reads it "late"; a key is logged by the chair
at a later time than it was sent; a port still opening sees its open timeout expire.

A :class:`Wire` keeps the books instead: the bytes each side wrote that the other has not
read yet, the links opening or closing, and over TCP the connections one side holds that the
other does not yet know of. Registered with :meth:`VirtualClock.add_quiescence`, it makes
every settle wait, event-driven and bounded in real time, until the books are square, so every
frame and key is read at the virtual instant it was written, whatever the machine's load.
"""

from __future__ import annotations

import asyncio

from chairctl.vocabulary import LinkError
from drivers.links import DataCallback, Link, LinkFactory, LostCallback
from simulator.serve import PtyServer, TcpServer

#: Real seconds the wire waits for what is in flight before declaring it lost. A bound for
#: failing, never a pace: bytes across a pty or loopback take microseconds.
IN_FLIGHT_LIMIT_S = 10.0


class Wire:
    """What is in flight between a served chair and the session's links right now."""

    def __init__(self, server: PtyServer | TcpServer) -> None:
        self._server = server
        server.on_traffic = self.poke
        self._changed = asyncio.Event()
        #: Links in the middle of opening or closing (pyserial does both in a thread).
        self._busy = 0
        #: Bytes the session's links wrote, and what the server had read before any of them.
        self._up_sent = 0
        self._up_base = server.bytes_received
        #: The link reading the chair now, and the server's count when it began to.
        self._reader: MeteredLink | None = None
        self._down_base = 0
        self._down_received = 0
        #: Links open on the session's side (a TCP connection each).
        self._open_links = 0

    def links(self, make: LinkFactory) -> LinkFactory:
        """``make``, with each link it makes kept on this wire's books."""
        return lambda: MeteredLink(make(), self)

    def poke(self) -> None:
        """Something changed: a waiter looks at the books again."""
        self._changed.set()

    # -- the books -----------------------------------------------------------------------------

    def in_flight(self) -> list[str]:
        """What has not arrived yet, for people; empty when everything has."""
        server = self._server
        pending = []
        if self._busy:
            pending.append(f"{self._busy} link(s) opening or closing")
        up = self._up_sent - (server.bytes_received - self._up_base)
        if up < 0:
            raise RuntimeError(f"the chair read {-up} byte(s) no link of the session wrote")
        if up:
            pending.append(f"{up} byte(s) on their way to the chair")
        if self._reader is not None:
            down = server.bytes_sent - self._down_base - self._down_received
            if down < 0:
                # pyserial flushes a port's input when it opens it, so nothing the chair wrote
                # for an earlier link can reach this one.
                raise RuntimeError(f"the session read {-down} byte(s) the chair never sent it")
            if down:
                pending.append(f"{down} byte(s) on their way to the session")
        if isinstance(server, TcpServer) and server.connections != self._open_links:
            pending.append(
                f"the chair's server holds {server.connections} connection(s), "
                f"the session {self._open_links}"
            )
        return pending

    async def quiesce(self) -> bool:
        """Wait until nothing is in flight; True when there was something to wait for.

        Each wait is on the next change of the books (a read, a write, a connection), which
        the event loop's selector brings, so the loop blocks in the kernel rather than spins.
        """
        if not self.in_flight():
            return False
        try:
            async with asyncio.timeout(IN_FLIGHT_LIMIT_S):
                while self.in_flight():
                    self._changed.clear()
                    await self._changed.wait()
        except TimeoutError:
            raise LinkError(
                f"still in flight after {IN_FLIGHT_LIMIT_S:g} s of real time: "
                + "; ".join(self.in_flight())
            ) from None
        return True

    # -- what the links report -------------------------------------------------------------------

    def _opening(self, link: MeteredLink) -> None:
        self._busy += 1
        # Time stands still while the link opens (it is busy), so the chair writes nothing
        # between here and the port being flushed and read.
        self._reader = link
        self._down_base = self._server.bytes_sent
        self._down_received = 0

    def _opened(self, link: MeteredLink, ok: bool) -> None:
        self._busy -= 1
        if ok:
            self._open_links += 1
        elif self._reader is link:
            self._reader = None
        self.poke()

    def _received(self, link: MeteredLink, count: int) -> None:
        if self._reader is link:
            self._down_received += count
            self.poke()

    def _sending(self, count: int) -> None:
        # Booked before the write: the server may read the bytes before the write returns.
        self._up_sent += count

    def _closing(self, link: MeteredLink) -> None:
        self._busy += 1
        if self._reader is link:
            # What the chair writes from now on is read by no one, and is no one's to wait for.
            self._reader = None

    def _closed(self, was_open: bool) -> None:
        self._busy -= 1
        if was_open:
            self._open_links -= 1
        self.poke()

    def _lost(self, link: MeteredLink) -> None:
        if self._reader is link:
            self._reader = None
        self._open_links -= 1
        # The far end hung up: whatever it had not read of ours it never will.
        self._up_sent = self._server.bytes_received - self._up_base
        self.poke()


class MeteredLink(Link):
    """A link that reports to a :class:`Wire` what passes through it; all else is the link's."""

    def __init__(self, inner: Link, wire: Wire) -> None:
        self._inner = inner
        self._wire = wire
        self._open = False
        self.max_write = inner.max_write

    @property
    def description(self) -> str:
        return self._inner.description

    @property
    def is_open(self) -> bool:
        return self._inner.is_open

    async def open(self, on_data: DataCallback, on_lost: LostCallback) -> None:
        wire = self._wire

        def received(data: bytes) -> None:
            wire._received(self, len(data))
            on_data(data)

        def lost(reason: str) -> None:
            if self._open:
                self._open = False
                wire._lost(self)
            on_lost(reason)

        wire._opening(self)
        try:
            await self._inner.open(received, lost)
        except BaseException:
            wire._opened(self, ok=False)
            raise
        self._open = True
        wire._opened(self, ok=True)

    async def _send(self, chunk: bytes) -> None:
        self._wire._sending(len(chunk))
        try:
            await self._inner.write(chunk)
        except BaseException:
            self._wire._sending(-len(chunk))
            raise

    async def close(self) -> None:
        was_open, self._open = self._open, False
        self._wire._closing(self)
        try:
            await self._inner.close()
        finally:
            self._wire._closed(was_open)
