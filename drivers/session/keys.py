"""Frames out: one at a time, paced, with every hold-to-move START owed its STOP.

The chair's firmware takes one key per main-loop pass and drops a key that follows the
previous one too closely (``key_gap_ms``), so every frame waits for the gap, STOPs included: a
lost STOP is the worst key to lose. A START is recorded as owing its STOP *before* it is
written, so even a write that fails half-way leaves the debt on the books; the debt is paid
only once the STOP is on the wire, which after a dropped link means on the next link.

Two things some families need besides (see :class:`~drivers.adapters.base.Adapter`):

- a **tick**: a panel line carries one byte per tick, so a frame goes out a byte per tick
  (a panel's press is its key for a few ticks, then a few of nothing);
- **cadences**: frames sent on a schedule while a link is up, the idle tick of a panel line,
  or a keep-alive and a status question (a module's heartbeat and its query for every value).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable

from chairctl.clock import Clock
from chairctl.vocabulary import ChairctlError, LinkError
from drivers.adapters.base import Cadence
from drivers.links import Link


class KeySender:
    """Writes frames to the current link, paced by the chair's gap (and tick, if any)."""

    def __init__(
        self,
        clock: Clock,
        gap_s: float,
        encode: Callable[[int], bytes],
        *,
        tick_s: float | None = None,
        cadences: tuple[Cadence, ...] = (),
    ) -> None:
        self._clock = clock
        self._gap_s = gap_s
        self._encode = encode
        self._tick_s = tick_s
        self._cadences = cadences
        self._lock = asyncio.Lock()
        self._link: Link | None = None
        self._last = float("-inf")
        #: When the line last carried anything (a frame, a byte of one, a cadence).
        self._last_byte = float("-inf")
        #: Writes of frames or their bytes so far (a frame cut short counts what went out).
        self._writes = 0
        self._schedule: asyncio.Task[None] | None = None
        #: STOP key -> the START it ends, in the order the STARTs went out.
        self._held: dict[int, int] = {}
        #: Frames written so far (cadences not counted).
        self.count = 0

    @property
    def last_sent(self) -> float:
        """When the line last carried a byte of a frame (minus infinity before the first): a
        frame cut short by a stop still reached the chair up to there."""
        return max(self._last, self._last_byte)

    @property
    def gap_s(self) -> float:
        """The chair's gap between frames: within it, it has taken the previous one."""
        return self._gap_s

    @property
    def held(self) -> dict[int, int]:
        """STOP keys owed to the chair, each with its START."""
        return dict(self._held)

    def attach(self, link: Link | None) -> None:
        """Send on ``link`` from now on (None: no link, sending fails); the cadences run on
        it while it is attached."""
        self._link = link
        if self._schedule is not None:
            self._schedule.cancel()
            self._schedule = None
        if link is not None and self._cadences:
            self._schedule = asyncio.ensure_future(self._run_cadences(link))

    async def press(self, key: int) -> float:
        """Send ``key`` once the gap since the previous frame has passed; when it was sent."""
        return await self.send(self._encode(key))

    async def send(self, frame: bytes) -> float:
        """Send ``frame`` once the gap since the previous frame has passed; when it was sent
        (on a ticked line, when its last byte was)."""
        async with self._lock:
            await self._clock.sleep_until(self._last + self._gap_s)
            writes = self._writes
            try:
                if self._tick_s is None:
                    await self._write(frame)
                else:
                    for value in frame:
                        await self._clock.sleep_until(self._last_byte + self._tick_s)
                        await self._write(bytes((value,)))
            finally:
                if self._writes != writes:
                    # Cut short or not, the chair saw bytes: the next frame keeps its gap.
                    self._last = self._last_byte
            self.count += 1
            return self._last

    async def _write(self, data: bytes) -> None:
        link = self._link
        if link is None:
            raise LinkError("no link to the chair: the frame was not sent")
        await link.write(data)
        self._last_byte = self._clock.now()
        self._writes += 1

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

    async def _run_cadences(self, link: Link) -> None:
        """Send each cadence's frame when it falls due, for as long as ``link`` is attached."""
        clock = self._clock
        start = clock.now()
        last_sent = dict.fromkeys(self._cadences, start)

        def due(cadence: Cadence) -> float:
            since = last_sent[cadence]
            if cadence.quiet_only:
                since = max(since, self._last_byte)
            return since + cadence.period_s

        while self._link is link:
            cadence = min(self._cadences, key=due)
            await clock.sleep_until(due(cadence))
            if self._link is not link:
                return
            if clock.now() < due(cadence):
                continue  # something else went out meanwhile: a quiet-only frame waits
            async with self._lock:
                if self._link is not link:
                    return
                if clock.now() < due(cadence):
                    # A frame went out while this waited for the line: for a quiet-only
                    # cadence that restarts the wait (a tick, not a second byte in one tick).
                    continue
                with contextlib.suppress(ChairctlError, OSError):
                    # A failed keep-alive is the link's news to tell (it reports the drop);
                    # the schedule goes on until the session detaches the link.
                    await self._write(cadence.frame)
                last_sent[cadence] = clock.now()
