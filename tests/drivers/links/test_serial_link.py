"""SerialLink on real pyserial-asyncio-fast I/O: a simulated chair served on a pty and over TCP
(``socket://``) by ``simulator.serve``.

These run in real time, so every wait is for a real event and bounded by a deadline.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from chairctl.clock import RealClock
from chairctl.vocabulary import ChairStatus, LinkError
from drivers.links import SerialLink
from drivers.models.rongtai import RongtaiModel
from drivers.protocols.rongtai.stream import StatusDecoder
from simulator.chair import SimulatedChair
from simulator.families import simulated_chair
from simulator.faults import LinkDrop
from simulator.serve import PtyServer, TcpServer

DEADLINE_S = 5.0
POWER = bytes.fromhex("F0 83 01 7B F1")


class Line:
    """The controller's side: statuses decoded from what the link delivers, and losses."""

    def __init__(self, model: RongtaiModel) -> None:
        self._decoder = StatusDecoder(model)
        self._statuses: asyncio.Queue[ChairStatus] = asyncio.Queue()
        self._lost: asyncio.Queue[str] = asyncio.Queue()
        self.losses: list[str] = []

    def on_data(self, data: bytes) -> None:
        for status in self._decoder.feed(data):
            self._statuses.put_nowait(status)

    def on_lost(self, reason: str) -> None:
        self.losses.append(reason)
        self._lost.put_nowait(reason)

    async def open(self, link: SerialLink) -> None:
        await link.open(self.on_data, self.on_lost)

    async def status(self, test: Callable[[ChairStatus], bool] = lambda _: True) -> ChairStatus:
        """The next status that passes ``test``."""
        async with asyncio.timeout(DEADLINE_S):
            while not test(status := await self._statuses.get()):
                pass
        return status

    async def loss(self) -> str:
        return await asyncio.wait_for(self._lost.get(), DEADLINE_S)


@pytest.fixture
async def wired_chair(model: RongtaiModel) -> AsyncIterator[SimulatedChair]:
    chair = simulated_chair(model, RealClock(), transport="wired")
    yield chair
    chair.close()


@pytest.fixture
async def pty(wired_chair: SimulatedChair) -> AsyncIterator[PtyServer]:
    server = PtyServer(wired_chair)
    server.open()
    yield server
    server.close()


@pytest.fixture
async def tcp(wired_chair: SimulatedChair) -> AsyncIterator[tuple[TcpServer, asyncio.Queue[str]]]:
    log: asyncio.Queue[str] = asyncio.Queue()
    server = TcpServer(wired_chair, "127.0.0.1", 0, log=log.put_nowait)
    await server.start()
    yield server, log
    await server.close()


def url_of(server: TcpServer) -> str:
    return f"socket://{server.host}:{server.port}"


# -- on a pty --------------------------------------------------------------------------------


async def test_on_a_pty_status_comes_in_and_keys_go_out(
    model: RongtaiModel, pty: PtyServer
) -> None:
    link = SerialLink.for_model(model, pty.path)
    line = Line(model)
    await line.open(link)
    assert link.is_open
    assert link.description == f"serial {pty.path}"
    assert not (await line.status()).running
    await link.write(POWER)
    await line.status(lambda s: s.running)
    await link.close()
    assert not link.is_open
    assert line.losses == []


async def test_a_pty_whose_far_end_goes_away_is_lost_once(
    model: RongtaiModel, pty: PtyServer
) -> None:
    link = SerialLink.for_model(model, pty.path)
    line = Line(model)
    await line.open(link)
    await line.status()
    pty.close()
    reason = await line.loss()
    assert reason.startswith(f"serial {pty.path} lost: ")
    assert not link.is_open
    with pytest.raises(LinkError, match="not open"):
        await link.write(POWER)
    await link.close()
    assert line.losses == [reason]


async def test_a_pty_takes_one_controller_at_a_time(model: RongtaiModel, pty: PtyServer) -> None:
    first = SerialLink.for_model(model, pty.path)
    await Line(model).open(first)
    try:
        with pytest.raises(LinkError, match="in use by another program"):
            await Line(model).open(SerialLink.for_model(model, pty.path))
    finally:
        await first.close()
    # Once the first has let go, the port opens again at once.
    again = SerialLink.for_model(model, pty.path)
    await Line(model).open(again)
    await again.close()


async def test_a_pyserial_spy_url_logs_every_byte_of_the_session(
    model: RongtaiModel, pty: PtyServer, tmp_path: Path
) -> None:
    # What docs/chair-models.md tells people to capture their chair's frames with.
    log = tmp_path / "chair.log"
    link = SerialLink.for_model(model, f"spy://{pty.path}?file={log}")
    line = Line(model)
    await line.open(link)
    await line.status()
    await link.write(POWER)
    await line.status(lambda s: s.running)
    await link.close()
    rows = log.read_text().splitlines()
    assert any(row.split()[1:7] == ["TX", "0000", "F0", "83", "01", "7B"] for row in rows), rows
    received = [row for row in rows if row.split()[1] == "RX"]
    assert received
    assert "F0" in received[0]
    assert "F1" in "".join(received)


# -- over TCP --------------------------------------------------------------------------------


async def test_over_socket_status_comes_in_and_keys_go_out(
    model: RongtaiModel, tcp: tuple[TcpServer, asyncio.Queue[str]]
) -> None:
    server, _ = tcp
    link = SerialLink.for_model(model, url_of(server))
    line = Line(model)
    await line.open(link)
    assert not (await line.status()).running
    await link.write(POWER)
    await line.status(lambda s: s.running)
    await link.close()
    assert line.losses == []


async def test_a_chair_dropping_the_tcp_link_is_lost_once(
    model: RongtaiModel, tcp: tuple[TcpServer, asyncio.Queue[str]], wired_chair: SimulatedChair
) -> None:
    server, _ = tcp
    link = SerialLink.for_model(model, url_of(server))
    line = Line(model)
    await line.open(link)
    await line.status()
    wired_chair.inject(LinkDrop())
    assert await line.loss() == f"serial {url_of(server)} lost: the other end closed the line"
    assert not link.is_open
    await link.close()
    assert len(line.losses) == 1


async def test_our_close_is_not_a_loss_and_frees_the_chair(
    model: RongtaiModel, tcp: tuple[TcpServer, asyncio.Queue[str]], wired_chair: SimulatedChair
) -> None:
    server, log = tcp
    link = SerialLink.for_model(model, url_of(server))
    line = Line(model)
    await line.open(link)
    await line.status()
    await link.close()
    await link.close()
    async with asyncio.timeout(DEADLINE_S):
        while "gone" not in await log.get():
            pass
    assert not wired_chair.connected
    assert line.losses == []
    # Reconnecting is a new link.
    again = SerialLink.for_model(model, url_of(server))
    await Line(model).open(again)
    await again.close()


# -- failures --------------------------------------------------------------------------------


def _refused_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # Bound and closed without listening: nothing accepts there now.
    return f"socket://127.0.0.1:{port}"


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("/dev/chairctl-no-such-port", "no such device"),
        ("REFUSED", "connection refused"),  # a port found when the test runs
        ("socket://127.0.0.1", "is not socket://HOST:PORT"),
        ("nope://somewhere", "protocol 'nope' not known"),
    ],
)
async def test_failing_to_open_is_one_line(model: RongtaiModel, url: str, reason: str) -> None:
    # The refused port is found here, not at collection: every test worker must collect the
    # same tests, with the same names.
    link = SerialLink.for_model(model, _refused_url() if url == "REFUSED" else url)
    with pytest.raises(LinkError, match=reason) as failed:
        await Line(model).open(link)
    assert "\n" not in str(failed.value)
    assert not link.is_open
    await link.close()


async def test_a_link_opens_once(model: RongtaiModel, pty: PtyServer) -> None:
    link = SerialLink.for_model(model, pty.path)
    with pytest.raises(LinkError, match="not open"):
        await link.write(POWER)
    await Line(model).open(link)
    await link.close()
    with pytest.raises(LinkError, match="opened once"):
        await Line(model).open(link)


def test_a_model_without_a_wired_line_has_no_serial_link(model: RongtaiModel) -> None:
    wireless = model.model_copy(update={"match": model.match.model_copy(update={"serial": None})})
    with pytest.raises(LinkError, match="no wired controller line"):
        SerialLink.for_model(wireless, "/dev/ttyUSB0")
