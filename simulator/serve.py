"""Serving a simulated chair to other programs: on a pseudo-terminal or a TCP port.

A pty looks like the chair's wired hand-controller port: open its slave path with pyserial
and read and write raw bytes. A TCP port carries the same raw bytes (pyserial reaches it as
``socket://host:port``). Either way only one controller is attached at a time: the chair
refuses a second TCP client. A pty cannot refuse a second process that opens its path (both
would read each other's bytes), so open it from one program only; chairctl's serial link
takes an exclusive lock on it.

The TCP server listens on this machine only unless told otherwise: ``--tcp PORT`` means
``127.0.0.1:PORT``. A chair simulator answers anyone who connects, with no password, so any
other address (``0.0.0.0`` is every interface) is allowed but said out loud
(:func:`exposure_warning`).

Both servers count the bytes they carry and (TCP) the controllers they serve, and call
``on_traffic`` after each change: a test running the chair on a virtual clock uses that to
hold time still until what one side wrote has reached the other.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import os
import tty
from collections.abc import Callable
from typing import Final

from chairctl.clock import TimerHandle
from chairctl.vocabulary import LinkError
from simulator.chair import SimulatedChair
from simulator.link import Connection

Log = Callable[[str], None]
#: Hears that a server's counters changed.
TrafficListener = Callable[[], None]

#: Bytes a server holds for a controller that does not read before it drops status frames:
#: a real UART has no memory either, and an unread pty or socket must not grow without bound.
BACKLOG_LIMIT: Final = 4096
#: How long closing the server waits for a hung-up client's handler before cancelling it.
HANG_UP_S: Final = 1.0
#: How long a dropped serial link stays down (chair clock seconds) before it comes back.
LINK_DOWN_S: Final = 2.0
#: Where a TCP server listens when no host is given: this machine only.
LOOPBACK_HOST: Final = "127.0.0.1"


def tcp_address(text: str) -> tuple[str, int]:
    """Read ``PORT`` or ``:PORT`` (both on :data:`LOOPBACK_HOST`), or ``HOST:PORT`` (an IPv6
    host in brackets, ``[::1]:7001``); ValueError saying what it should be otherwise."""
    text = text.strip()
    host, _, port_text = text.rpartition(":")
    host = host.removeprefix("[").removesuffix("]")
    if not port_text.isascii() or not port_text.isdigit() or int(port_text) > 65535:
        raise ValueError(f"'{text}' is not PORT or HOST:PORT (port 0..65535)")
    if ":" in host and not text.startswith("["):
        raise ValueError(f"'{text}': write an IPv6 host in brackets, as [::1]:7001")
    return host or LOOPBACK_HOST, int(port_text)


def exposure_warning(host: str, port: int) -> str | None:
    """What to tell someone serving on ``host``: None when it is this machine only (a loopback
    address, or ``localhost``), else a warning that other machines may reach the chair."""
    where = format_address(host, port)
    if host.lower() == "localhost":
        return None
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        reach = f"{host} is a name, not a loopback address, so other machines may reach it"
    else:
        if address.is_loopback:
            return None
        if address.is_unspecified:
            reach = "that is every network interface of this machine"
        else:
            reach = f"{host} is not a loopback address, so other machines may reach it"
    return (
        f"warning: serving the simulated chair on {where}: {reach}, and anyone who connects can "
        f"drive it, with no password. Give --tcp {port} to serve this machine only."
    )


def _ignore(_: str) -> None:
    pass


def _nothing() -> None:
    pass


class PtyServer:
    """The chair on a pseudo-terminal in raw mode; :attr:`path` is the end to open."""

    def __init__(
        self,
        chair: SimulatedChair,
        *,
        log: Log = _ignore,
        link_down_s: float = LINK_DOWN_S,
        on_traffic: TrafficListener = _nothing,
    ) -> None:
        self.chair = chair
        self.log = log
        self.link_down_s = link_down_s
        self.on_traffic = on_traffic
        self.path = ""
        #: Bytes read from the controller, whether the chair was attached to take them or not.
        self.bytes_received = 0
        #: Bytes of status frames the kernel took for the controller.
        self.bytes_sent = 0
        self._master = -1
        self._slave = -1
        self._link: Connection | None = None
        self._pending = bytearray()
        self._writing = False
        self._reconnect: TimerHandle | None = None
        self._closing = False
        self._waiting = False

    def open(self) -> str:
        """Create the pty, attach the chair to it, and return the path to open."""
        master, slave = os.openpty()
        tty.setraw(slave)
        os.set_blocking(master, False)
        self._master, self._slave = master, slave
        # The server keeps the slave end open too, so the pty lives on between controllers
        # and the master never reads EIO when a controller closes the port.
        self.path = os.ttyname(slave)
        asyncio.get_running_loop().add_reader(master, self._readable)
        self._attach()
        return self.path

    def _attach(self) -> None:
        self._reconnect = None
        if self._closing:
            return
        try:
            self._link = self.chair.connect(self._send, self._dropped)
        except LinkError:
            # Another controller (a BLE central, a test) holds the chair. A cable plugged into
            # a busy chair finds it busy until it is free, and then hears it from its next
            # frame on: look again every frame slot (saying so once, not every 50 ms).
            if not self._waiting:
                self.log("another controller holds the chair; waiting for it to let go")
                self._waiting = True
            self._reconnect = self.chair.clock.call_later(self.chair.period, self._attach)
            return
        self._waiting = False

    def _dropped(self, reason: str) -> None:
        self._link = None
        if self._closing:
            return
        self.log(f"link down for {self.link_down_s:g} s: {reason}")
        self._reconnect = self.chair.clock.call_later(self.link_down_s, self._attach)

    def _readable(self) -> None:
        try:
            data = os.read(self._master, 4096)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            return
        if not data:
            return
        self.bytes_received += len(data)
        self.on_traffic()
        if self._link is not None:
            # Bytes that arrive while the link is down are lost, as on an unplugged cable.
            self._link.write(data)

    def _send(self, frame: bytes) -> None:
        if self._pending:
            if len(self._pending) + len(frame) <= BACKLOG_LIMIT:
                self._pending += frame
            return
        try:
            written = os.write(self._master, frame)
        except BlockingIOError:
            # Nobody reads the port and its buffer is full: the frame is lost.
            return
        except OSError:
            return
        self._sent(written)
        if written < len(frame):
            # Keep the rest so a frame is never torn, and finish it when the pty drains.
            self._pending += frame[written:]
            self._watch_writable()

    def _sent(self, count: int) -> None:
        self.bytes_sent += count
        self.on_traffic()

    def _watch_writable(self) -> None:
        if not self._writing:
            asyncio.get_running_loop().add_writer(self._master, self._flush)
            self._writing = True

    def _flush(self) -> None:
        try:
            written = os.write(self._master, self._pending)
        except BlockingIOError:
            return
        except OSError:
            # The pty is gone: what was pending is dropped, not sent.
            self._pending.clear()
        else:
            del self._pending[:written]
            self._sent(written)
        if not self._pending:
            asyncio.get_running_loop().remove_writer(self._master)
            self._writing = False

    def close(self) -> None:
        """Detach the chair and remove the pty."""
        self._closing = True
        if self._reconnect is not None:
            self._reconnect.cancel()
        if self._link is not None:
            self._link.close()
        if self._master >= 0:
            loop = asyncio.get_running_loop()
            loop.remove_reader(self._master)
            if self._writing:
                loop.remove_writer(self._master)
            os.close(self._master)
            os.close(self._slave)
            self._master = self._slave = -1


class TcpServer:
    """The chair on a TCP port carrying raw frame bytes, one client at a time."""

    def __init__(
        self,
        chair: SimulatedChair,
        host: str,
        port: int,
        *,
        log: Log = _ignore,
        on_traffic: TrafficListener = _nothing,
    ) -> None:
        self.chair = chair
        self.host = host
        self.port = port
        self.log = log
        self.on_traffic = on_traffic
        #: Bytes read from controllers (refused ones are not read).
        self.bytes_received = 0
        #: Bytes of status frames handed to a controller's connection.
        self.bytes_sent = 0
        self._server: asyncio.Server | None = None
        self._clients: set[asyncio.Task[None]] = set()
        self._writers: set[asyncio.StreamWriter] = set()

    @property
    def connections(self) -> int:
        """Controller connections accepted and not yet finished with (refused ones included,
        until they are hung up on)."""
        return len(self._clients)

    async def start(self) -> tuple[str, int]:
        """Listen; returns the address really bound (port 0 becomes the port chosen)."""
        try:
            self._server = await asyncio.start_server(self._client, self.host, self.port)
        except OSError as error:
            raise LinkError(
                f"cannot listen on {self.host}:{self.port}: {error.strerror or error}"
            ) from None
        name = self._server.sockets[0].getsockname()
        self.host, self.port = str(name[0]), int(name[1])
        return self.host, self.port

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        # asyncio's own done-callback for a connection handler calls ``task.exception()``,
        # which raises (and is printed as a traceback) when the task ended cancelled, so a
        # handler always ends normally: being cancelled by close() is an ordinary ending.
        with contextlib.suppress(asyncio.CancelledError):
            await self._serve_client(reader, writer)

    async def _serve_client(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._clients.add(task)
            self.on_traffic()
        self._writers.add(writer)
        peer = writer.get_extra_info("peername")
        try:
            try:
                link = self.chair.connect(
                    lambda data: self._send(writer, data), lambda reason: writer.close()
                )
            except LinkError as error:
                self.log(f"refused a controller from {_address(peer)}: {error}")
                return
            self.log(f"controller connected from {_address(peer)}")
            try:
                while data := await reader.read(4096):
                    self.bytes_received += len(data)
                    self.on_traffic()
                    link.write(data)
            except (ConnectionError, LinkError):
                pass
            finally:
                if not link.closed:
                    link.close()
                self.log(f"controller {_address(peer)} gone: {link.close_reason}")
        finally:
            self._writers.discard(writer)
            writer.close()
            try:
                with contextlib.suppress(ConnectionError):
                    await writer.wait_closed()
            finally:
                if task is not None:
                    self._clients.discard(task)
                    self.on_traffic()

    def _send(self, writer: asyncio.StreamWriter, data: bytes) -> None:
        if writer.is_closing() or writer.transport.get_write_buffer_size() > BACKLOG_LIMIT:
            return
        writer.write(data)
        self.bytes_sent += len(data)
        self.on_traffic()

    async def close(self) -> None:
        """Stop listening and hang up on the client."""
        if self._server is not None:
            self._server.close()
        # Hanging up ends a client's read with end-of-file, so its handler finishes the
        # way it does when the controller leaves; one that does not is cancelled.
        for writer in list(self._writers):
            writer.close()
        clients = list(self._clients)
        if clients:
            _, stuck = await asyncio.wait(clients, timeout=HANG_UP_S)
            for task in stuck:
                task.cancel()
            if stuck:
                await asyncio.wait(stuck)
        if self._server is not None:
            await self._server.wait_closed()


def _address(peer: object) -> str:
    if isinstance(peer, tuple) and len(peer) >= 2:
        host = str(peer[0])
        return f"[{host}]:{peer[1]}" if ":" in host else f"{host}:{peer[1]}"
    return str(peer)


def format_address(host: str, port: int) -> str:
    """``host:port``, with brackets around an IPv6 host."""
    return _address((host, port))
