"""Reaching a simulated chair over each kind of link the driver has, on a VirtualClock.

One place knows how: in memory, over a real pty or a real TCP socket (served by
:mod:`simulator.serve`, with a :class:`~simulator.wire.Wire` so virtual time waits for bytes
crossing the kernel), or over BLE (bleak's real client on the simulator's backend). The
session behaviour suite and the benchmarks both use it.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Final, Literal

from chairctl.clock import VirtualClock
from drivers.links import LinkFactory, MemoryLink, SerialLink
from drivers.links.ble_chair import BleChair
from drivers.models import ChairModel
from simulator.ble import SimulatedAir
from simulator.chair import SimulatedChair
from simulator.serve import PtyServer, TcpServer
from simulator.wire import Wire

LinkKindName = Literal["memory", "serial-pty", "serial-socket", "ble"]

#: Every kind, in the order the suite and the benchmarks list them.
LINK_KIND_NAMES: Final[tuple[LinkKindName, ...]] = ("memory", "serial-pty", "serial-socket", "ble")


@contextlib.asynccontextmanager
async def links_to(
    kind: LinkKindName,
    model: ChairModel,
    chair: SimulatedChair,
    clock: VirtualClock,
    *,
    pty_link_down_s: float = 2.0,
) -> AsyncIterator[LinkFactory]:
    """A fresh link of ``kind`` to ``chair`` per connection attempt, while the context lasts:
    whatever serves the chair on that link runs until it ends. ``pty_link_down_s``: how long
    the pty stays silent after the chair drops the link (a pty cannot hang up)."""
    if kind == "memory":
        yield lambda: MemoryLink(
            lambda on_data, on_lost: chair.connect(on_data=on_data, on_close=on_lost),
            description="memory link to the simulated chair",
        )
    elif kind == "serial-pty":
        pty = PtyServer(chair, link_down_s=pty_link_down_s)
        wire = Wire(pty)
        path = pty.open()
        stop_waiting = clock.add_quiescence(wire.quiesce)
        try:
            yield wire.links(lambda: SerialLink.for_model(model, path))
        finally:
            stop_waiting()
            pty.close()
    elif kind == "serial-socket":
        tcp = TcpServer(chair, "127.0.0.1", 0)
        wire = Wire(tcp)
        host, port = await tcp.start()
        stop_waiting = clock.add_quiescence(wire.quiesce)
        try:
            yield wire.links(lambda: SerialLink.for_model(model, f"socket://{host}:{port}"))
        finally:
            stop_waiting()
            await tcp.close()
    elif kind == "ble":
        # bleak's own BleakScanner and BleakClient over the simulator's backend: no kernel I/O
        # on the way, so nothing for virtual time to wait for. Found by name once, then by its
        # address on every reconnection, as a session reaches a real chair.
        with SimulatedAir() as air:
            air.add(chair)
            yield BleChair(model, backend=air.backend, clock=clock)
    else:
        raise ValueError(f"no link kind {kind!r}")
