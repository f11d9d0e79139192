"""A small stand-in :class:`~chairctl.vocabulary.Chair` for engine tests where the driver stack
is not the point: it confirms every setpoint at once, reports what a test feeds it, says it
restarts for what the test says, and records what the engine asked. The end-to-end engine tests run on the real session and the
simulated chair (``tests/engine/conftest.py``)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable

from chairctl.vocabulary import (
    FULL_FEATURED,
    ChairCapabilities,
    ChairStatus,
    LinkError,
    Setpoint,
    WorkState,
)

#: What the stand-in reports while it works a setpoint.
WORKING = ChairStatus(running=True, work_state=WorkState.RUNNING)
#: What it reports once stopped.
STOPPED = ChairStatus()

_END = object()


class ScriptedChair:
    """A chair that does what it is told at once, on the test's word for everything else."""

    def __init__(self, restarts_for: Callable[[Setpoint], bool] | None = None) -> None:
        self.applied: list[Setpoint] = []
        self._restarts_for = restarts_for
        self.stops = 0
        self._status: ChairStatus | None = STOPPED
        self._queue: asyncio.Queue[ChairStatus | LinkError | object] = asyncio.Queue()

    @property
    def capabilities(self) -> ChairCapabilities:
        return FULL_FEATURED

    @property
    def status(self) -> ChairStatus | None:
        return self._status

    async def statuses(self) -> AsyncIterator[ChairStatus]:
        while True:
            item = await self._queue.get()
            if item is _END:
                return
            if isinstance(item, LinkError):
                raise item
            assert isinstance(item, ChairStatus)
            self._status = item
            yield item

    def expect_session(self, seconds: float) -> None:
        pass

    def restarts_for(self, setpoint: Setpoint) -> bool:
        return self._restarts_for is not None and self._restarts_for(setpoint)

    async def apply(self, setpoint: Setpoint) -> None:
        self.applied.append(setpoint)
        self.report(WORKING)

    async def stop(self) -> None:
        self.stops += 1
        self.report(STOPPED)

    # -- the test's side ------------------------------------------------------------------------

    def report(self, status: ChairStatus) -> None:
        """The chair reports ``status``."""
        self._queue.put_nowait(status)

    def lose_link(self, reason: str) -> None:
        """The link drops (or the chair's status watchdog gives up on it)."""
        self._queue.put_nowait(LinkError(reason))

    def close_statuses(self) -> None:
        """The chair's statuses end: it was closed under the session."""
        self._queue.put_nowait(_END)
