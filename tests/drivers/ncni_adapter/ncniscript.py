"""A scripted NCNI chair behind a Port, for reconciler tests that need a chair to misbehave
in one exact way (a stale frame, a silent spell, a key it ignores) on a VirtualClock.

The statuses go through the session's real :class:`~drivers.session.feed.StatusFeed`, so the
adapter waits on them exactly as it does in a session. A press takes the panel's six ticks;
the chair acts on it when the key's ticks end, three ticks before the press returns.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field

from chairctl.clock import VirtualClock
from chairctl.vocabulary import ChairStatus, WorkState
from drivers.adapters.base import Accept
from drivers.session.feed import StatusFeed

OFF = ChairStatus()
#: On with no mode and nothing running (its level not shown): a chair found on.
ON = ChairStatus(running=True, work_state=WorkState.WAITING)


@dataclass
class ScriptedPort:
    """A Port over a chair whose status is :attr:`shown`, sent every :attr:`period_s`."""

    clock: VirtualClock
    shown: ChairStatus = OFF
    period_s: float = 0.1
    #: Key -> what it does to the shown status (keys not here change nothing).
    effects: dict[int, Callable[[ChairStatus], ChairStatus]] = field(default_factory=dict)
    #: (when sent, key) for every press.
    pressed: list[tuple[float, int]] = field(default_factory=list)
    #: Statuses are not sent before this time (a dropped burst).
    silent_until: float = float("-inf")
    #: (until, status): sent instead of :attr:`shown` until then (a stale frame).
    stale: list[tuple[float, ChairStatus]] = field(default_factory=list)
    #: What the decoder makes of each status (the adapter's off watch, say).
    judge: Callable[[ChairStatus], ChairStatus] = lambda status: status
    #: When set, what the chair shows now (a chair whose status changes by itself), read
    #: instead of :attr:`shown` at each status and after each press.
    source: Callable[[], ChairStatus] | None = None
    feed: StatusFeed = field(init=False)
    _task: asyncio.Task[None] | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        self.feed = StatusFeed(self.clock)

    def start(self) -> None:
        """Send statuses from now on."""
        self._task = asyncio.ensure_future(self._send())

    def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()

    async def _send(self) -> None:
        while True:
            now = self.clock.now()
            if now >= self.silent_until:
                self.stale = [(until, s) for until, s in self.stale if until > now]
                if self.source is not None:
                    self.shown = self.source()
                self.feed.push(self.judge(self.stale[0][1] if self.stale else self.shown))
            await self.clock.sleep(self.period_s)

    def sent(self) -> list[int]:
        return [key for _at, key in self.pressed]

    def when(self, key: int) -> list[float]:
        """When each press of ``key`` was sent."""
        return [at for at, pressed in self.pressed if pressed == key]

    # -- the Port --------------------------------------------------------------------------

    @property
    def status(self) -> ChairStatus:
        assert self.feed.latest is not None
        return self.feed.latest

    @property
    def status_at(self) -> float:
        return self.feed.latest_at

    async def press(self, key: int) -> float:
        await self.clock.sleep(0.3)
        effect = self.effects.get(key)
        if effect is not None:
            self.shown = effect(self.shown)
        if self.source is not None:
            self.shown = self.source()
        await self.clock.sleep(0.3)
        sent = self.clock.now()
        self.pressed.append((sent, key))
        return sent

    async def send(self, frame: bytes) -> float:
        raise AssertionError("an NCNI adapter sends keys only")

    async def hold(self, start: int, stop: int) -> float:
        raise AssertionError("an NCNI adapter holds no key")

    async def release(self, stop: int) -> float:
        raise AssertionError("an NCNI adapter holds no key")

    async def wait(self, accept: Accept, deadline: float | None = None) -> ChairStatus | None:
        return await self.feed.wait(accept, deadline)
