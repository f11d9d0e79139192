"""A real ChairSession with an NcniAdapter, over an in-memory link, on the simulated NCNI chair.

Nothing of ours is mocked. The chair's own key listener logs what it heard, and the link's
writes are logged byte by byte (each byte is one panel tick), to judge what crossed the line.
Judgements about the massage use the chair's ground truth (its trace).
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from chairctl.clock import VirtualClock
from drivers.adapters.ncni import DEFAULT_SETTLE_WINDOW_S, NcniAdapter
from drivers.chair import ChairSession
from drivers.links import Link
from drivers.models import get_model_as
from drivers.models.ncni import NcniModel
from drivers.protocols.ncni import Key, press_ticks
from simulator import SimulatedChair, Sitter
from simulator.families import simulated_chair
from simulator.ncni.chair import NcniChair
from simulator.reach import links_to

MODEL = get_model_as("ncni-chair", NcniModel)
assert isinstance(MODEL, NcniModel)


@dataclass
class NcniRig:
    """A connected session, its adapter and chair, and what crossed the line."""

    session: ChairSession
    adapter: NcniAdapter
    chair: SimulatedChair
    clock: VirtualClock
    #: (time, key) as the chair heard each key event.
    heard: list[tuple[float, int]] = field(default_factory=list)
    #: (time, byte) for every tick the driver wrote.
    ticks: list[tuple[float, int]] = field(default_factory=list)

    def heard_keys(self, since: float = float("-inf")) -> list[int]:
        """The keys the chair heard from ``since`` on, in order."""
        return [key for at, key in self.heard if at >= since]

    def when(self, key: int) -> list[float]:
        """When the chair heard ``key``."""
        return [at for at, heard in self.heard if heard == key]


@contextlib.asynccontextmanager
async def ncni_rig(
    *,
    chair_model: NcniModel | None = None,
    sitter: Sitter | None = None,
    settle_window_s: float = DEFAULT_SETTLE_WINDOW_S,
    attempts: int = 1,
    model: NcniModel = MODEL,
    on_for_s: float | None = None,
    pressure_needs_airbags: bool = False,
) -> AsyncIterator[NcniRig]:
    """A session connected to a simulated NCNI chair in standby (``chair_model``: the chair's
    own model, when a test needs a chair that differs from what the driver believes (``model``);
    ``sitter``: who sits in it; ``on_for_s``: switched on at its own panel that long before the
    session connects; ``pressure_needs_airbags``: a chair whose pressure keys act only while an
    airbag zone is selected)."""
    clock = VirtualClock()
    chair = simulated_chair(chair_model or model, clock, sitter=sitter)
    assert isinstance(chair, NcniChair)
    chair.board.pressure_needs_airbags = pressure_needs_airbags
    try:
        if on_for_s is not None:
            chair.receive(press_ticks(Key.POWER))
            await clock.advance(on_for_s)
        async with links_to("memory", model, chair, clock) as links:
            adapter = NcniAdapter(model, settle_window_s=settle_window_s, attempts=attempts)
            rig = NcniRig(
                ChairSession(model, lambda: _logged(links(), rig), clock, adapter=adapter),
                adapter,
                chair,
                clock,
            )
            chair.listen_keys(lambda key: rig.heard.append((clock.now(), key)))
            await clock.run(rig.session.connect())
            try:
                yield rig
            finally:
                await clock.run(rig.session.close())
    finally:
        chair.close()


def _logged(link: Link, rig: NcniRig) -> Link:
    write = link.write

    async def logged(data: bytes) -> None:
        now = rig.clock.now()
        rig.ticks.extend((now, byte) for byte in data)
        await write(data)

    link.write = logged  # type: ignore[method-assign]
    return link
