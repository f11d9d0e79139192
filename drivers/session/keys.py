"""Key frames out: one at a time, paced, with every hold-to-move START owed its STOP.

The chair's firmware takes one key per main-loop pass and drops a key that follows the
previous one too closely (``key_gap_ms``), so every key waits for the gap, STOPs included: a
lost STOP is the worst key to lose. A START is recorded as owing its STOP *before* it is
written, so even a write that fails half-way leaves the debt on the books; the debt is paid
only once the STOP is on the wire, which after a dropped link means on the next link.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from chairctl.clock import Clock
from chairctl.vocabulary import LinkError
from drivers.links import Link


class KeySender:
    """Writes key frames to the current link, paced by the chair's key gap."""

    def __init__(self, clock: Clock, gap_s: float, encode: Callable[[int], bytes]) -> None:
        self._clock = clock
        self._gap_s = gap_s
        self._encode = encode
        self._lock = asyncio.Lock()
        self._link: Link | None = None
        self._last = float("-inf")
        #: STOP key -> the START it ends, in the order the STARTs went out.
        self._held: dict[int, int] = {}
        #: Keys written so far.
        self.count = 0

    @property
    def held(self) -> dict[int, int]:
        """STOP keys owed to the chair, each with its START."""
        return dict(self._held)

    def attach(self, link: Link | None) -> None:
        """Send on ``link`` from now on (None: no link, sending fails)."""
        self._link = link

    async def press(self, key: int) -> float:
        """Send ``key`` once the gap since the previous key has passed; when it was sent."""
        async with self._lock:
            await self._clock.sleep_until(self._last + self._gap_s)
            link = self._link
            if link is None:
                raise LinkError("no link to the chair: the key was not sent")
            await link.write(self._encode(key))
            self._last = self._clock.now()
            self.count += 1
            return self._last

    async def hold(self, start: int, stop: int) -> float:
        """Send a START; ``stop`` is owed from before the first byte goes out."""
        self._held[stop] = start
        return await self.press(start)

    async def release(self, stop: int) -> float:
        """Send a STOP and strike it off the debts once sent."""
        sent = await self.press(stop)
        self._held.pop(stop, None)
        return sent

    async def release_all(self) -> list[int]:
        """Send every STOP owed, oldest START first; the STOPs sent."""
        sent = []
        for stop in list(self._held):
            await self.release(stop)
            sent.append(stop)
        return sent
