"""Statuses as they arrive: the latest one, waiters on a condition, and subscribers.

Everything that waits for the chair waits here, on futures woken by the status that
satisfies them or by a clock timer at their deadline, never by polling: a 15-minute session
is thousands of statuses, and each one costs a predicate call per waiter and a deque append
per subscriber. When the link drops, every waiter hears it at once as a
:class:`~chairctl.vocabulary.LinkError`.
"""

from __future__ import annotations

import asyncio
import weakref
from collections import deque
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from chairctl.clock import Clock, TimerHandle
from chairctl.vocabulary import ChairStatus, LinkError
from drivers.adapters.base import Accept


@dataclass(eq=False)
class _Waiter:
    accept: Accept
    future: asyncio.Future[ChairStatus | None]
    timer: TimerHandle | None = field(default=None)


class StatusSubscription(AsyncIterator[ChairStatus]):
    """Every status from the moment of subscribing, in order, until closed; a link drop comes
    in its place in the order, as a :class:`LinkError` raised to the reader.

    Holds at most ``backlog`` unread statuses; when a reader falls further behind, the oldest
    go first and :attr:`dropped` counts them (a stalled reader must not grow memory).
    """

    def __init__(self, feed: StatusFeed, backlog: int) -> None:
        self._feed = feed
        self._items: deque[ChairStatus | LinkError] = deque(maxlen=backlog)
        self._ready = asyncio.Event()
        self._closed = False
        #: Statuses lost because the reader fell behind by more than the backlog.
        self.dropped = 0

    def put(self, status: ChairStatus) -> None:
        """The feed hands over one status."""
        if len(self._items) == self._items.maxlen:
            self.dropped += 1
        self._items.append(status)
        self._ready.set()

    def end(self) -> None:
        """No more statuses will come; the reader gets what is left, then stops."""
        self._closed = True
        self._ready.set()

    def interrupt(self, reason: str) -> None:
        """The link dropped: once the statuses before it are read, the reader gets a
        :class:`LinkError` saying ``reason`` (and may read on: statuses resume after a
        reconnection)."""
        self._items.append(LinkError(reason))
        self._ready.set()

    async def __anext__(self) -> ChairStatus:
        while not self._items:
            if self._closed:
                raise StopAsyncIteration
            self._ready.clear()
            await self._ready.wait()
        item = self._items.popleft()
        if isinstance(item, LinkError):
            raise item
        return item

    async def aclose(self) -> None:
        """Stop reading: the statuses not read yet are dropped, and iteration ends."""
        self._feed.unsubscribe(self)
        self._items.clear()
        self.end()


class StatusFeed:
    """The latest status, and everyone waiting for one."""

    def __init__(self, clock: Clock, backlog: int = 256) -> None:
        self._clock = clock
        self._backlog = backlog
        self._waiters: list[_Waiter] = []
        # Weak: a reader that stops iterating and drops its subscription must not be fed on.
        self._subscribers: weakref.WeakSet[StatusSubscription] = weakref.WeakSet()
        #: Why waits fail while the link is down; None while it is up.
        self._failure: str | None = None
        #: The latest status, None before the first.
        self.latest: ChairStatus | None = None
        #: When the latest status arrived.
        self.latest_at = float("-inf")
        #: Statuses received so far.
        self.count = 0

    def push(self, status: ChairStatus) -> None:
        """A status arrived now."""
        now = self._clock.now()
        self.latest, self.latest_at = status, now
        self.count += 1
        if self._waiters:
            for waiter in list(self._waiters):
                if waiter.accept(status, now):
                    self._finish(waiter, status)
        for subscriber in self._subscribers:
            subscriber.put(status)

    async def wait(self, accept: Accept, deadline: float | None = None) -> ChairStatus | None:
        """The first status from now on that ``accept`` takes; None at ``deadline``."""
        if self._failure is not None:
            raise LinkError(self._failure)
        future: asyncio.Future[ChairStatus | None] = asyncio.get_running_loop().create_future()
        waiter = _Waiter(accept, future)
        if deadline is not None:
            waiter.timer = self._clock.call_at(deadline, lambda: self._finish(waiter, None))
        self._waiters.append(waiter)
        try:
            return await future
        finally:
            self._drop(waiter)

    def _finish(self, waiter: _Waiter, status: ChairStatus | None) -> None:
        if not waiter.future.done():
            waiter.future.set_result(status)
        self._drop(waiter)

    def _drop(self, waiter: _Waiter) -> None:
        if waiter.timer is not None:
            waiter.timer.cancel()
            waiter.timer = None
        if waiter in self._waiters:
            self._waiters.remove(waiter)

    def fail(self, reason: str) -> None:
        """The link is down: every waiter, and every wait until :meth:`revive`, gets a
        :class:`LinkError` saying ``reason``; so does every subscriber, once, in its turn."""
        self._fail_waiters(reason)
        for subscriber in list(self._subscribers):
            subscriber.interrupt(reason)

    def _fail_waiters(self, reason: str) -> None:
        self._failure = reason
        for waiter in list(self._waiters):
            if not waiter.future.done():
                waiter.future.set_exception(LinkError(reason))
            self._drop(waiter)

    def revive(self) -> None:
        """A link is up again: waits may start."""
        self._failure = None

    def subscribe(self) -> StatusSubscription:
        """Every status from now on."""
        subscription = StatusSubscription(self, self._backlog)
        self._subscribers.add(subscription)
        return subscription

    def unsubscribe(self, subscription: StatusSubscription) -> None:
        """Stop feeding ``subscription``."""
        self._subscribers.discard(subscription)

    def close(self, reason: str) -> None:
        """The session is over: waiters fail with ``reason``, subscriptions end."""
        self._fail_waiters(reason)
        for subscriber in list(self._subscribers):
            subscriber.end()
        self._subscribers.clear()
