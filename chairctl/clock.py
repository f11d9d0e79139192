"""Time for everything that waits: :class:`RealClock` for chairs, :class:`VirtualClock` for tests.

Every component that waits takes a :class:`Clock` instead of calling ``asyncio.sleep`` or
``time.monotonic``. On a :class:`VirtualClock` time moves only when someone advances it, so the
engine, a driver and the simulated chair can run a 30-minute session in a fraction of a second,
deterministically, on one clock.

A VirtualClock sees only the event loop's ready callbacks. Work happening outside it (bytes
crossing a pty or a socket in the kernel, a port opened in a worker thread) is invisible, so
whoever starts such work registers a :data:`Quiescence` waiter, and time does not move on
until every waiter says nothing is in flight.

A :class:`PacedClock` is a VirtualClock that never runs ahead of a chosen multiple of real
time: the built-in simulator watched at ``--speed``, as deterministic as a test however busy
the machine. (:class:`ScaledClock` is sped-up wall time, for a chair in another process.)
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TypeVar

T = TypeVar("T")

#: Waits, in real time and bounded by itself, until work the event loop cannot see is done;
#: True when it had to wait (what arrived may have woken tasks), False when nothing was in
#: flight. Raises when what it waits for does not come.
Quiescence = Callable[[], Awaitable[bool]]


class TimerHandle(ABC):
    """A callback scheduled on a clock; cancel it to keep it from firing."""

    @abstractmethod
    def cancel(self) -> None:
        """Keep the callback from firing. Harmless when it already fired."""

    @property
    @abstractmethod
    def when(self) -> float:
        """The clock time the callback is due."""


class Clock(ABC):
    """A source of monotonic time in seconds and a way to wait for it."""

    @abstractmethod
    def now(self) -> float:
        """Seconds on this clock; only differences are meaningful."""

    @abstractmethod
    async def sleep_until(self, deadline: float) -> None:
        """Return once :meth:`now` has reached ``deadline`` (at once if it has)."""

    @abstractmethod
    def call_at(self, when: float, callback: Callable[[], None]) -> TimerHandle:
        """Run ``callback`` (synchronously, in the event loop) once time reaches ``when``."""

    async def sleep(self, seconds: float) -> None:
        """Wait ``seconds`` of this clock's time."""
        await self.sleep_until(self.now() + max(0.0, seconds))

    def call_later(self, delay: float, callback: Callable[[], None]) -> TimerHandle:
        """Run ``callback`` after ``delay`` seconds of this clock's time."""
        return self.call_at(self.now() + max(0.0, delay), callback)

    async def wait_for(self, awaitable: Awaitable[T], limit: float) -> T:
        """Await ``awaitable`` for at most ``limit`` seconds of this clock's time.

        Raises :class:`TimeoutError` and cancels the awaitable when time runs out. Unlike
        ``asyncio.wait_for`` this measures time on this clock, so it works in virtual time.
        """
        task = asyncio.ensure_future(awaitable)
        timer = asyncio.ensure_future(self.sleep(limit))
        try:
            await asyncio.wait({task, timer}, return_when=asyncio.FIRST_COMPLETED)
        except asyncio.CancelledError:
            task.cancel()
            raise
        finally:
            timer.cancel()
        if task.done():
            return task.result()
        task.cancel()
        try:
            await task
        except asyncio.CancelledError:
            # The awaitable's own cancellation is what was asked for; a cancellation of this
            # caller, arriving meanwhile, must go on, or the caller would never hear of it.
            current = asyncio.current_task()
            if current is not None and current.cancelling():
                raise
        raise TimeoutError(f"no answer within {limit:g} s")


class _AsyncioTimer(TimerHandle):
    def __init__(self, handle: asyncio.TimerHandle, when: float) -> None:
        self._handle = handle
        self._when = when

    def cancel(self) -> None:
        self._handle.cancel()

    @property
    def when(self) -> float:
        return self._when


class RealClock(Clock):
    """Wall-clock time, from the running event loop's monotonic clock."""

    def now(self) -> float:
        return asyncio.get_running_loop().time()

    async def sleep_until(self, deadline: float) -> None:
        await asyncio.sleep(max(0.0, deadline - self.now()))

    def call_at(self, when: float, callback: Callable[[], None]) -> TimerHandle:
        return _AsyncioTimer(asyncio.get_running_loop().call_at(when, callback), when)


@dataclass(order=True)
class _Entry:
    when: float
    seq: int
    callback: Callable[[], None] | None = field(compare=False, default=None)
    waiter: asyncio.Future[None] | None = field(compare=False, default=None)
    cancelled: bool = field(compare=False, default=False)


class _VirtualTimer(TimerHandle):
    def __init__(self, entry: _Entry) -> None:
        self._entry = entry

    def cancel(self) -> None:
        self._entry.cancelled = True

    @property
    def when(self) -> float:
        return self._entry.when


class Deadlock(RuntimeError):
    """A task waits on a virtual clock that has nothing scheduled: it can never wake."""


#: How many event-loop turns :meth:`VirtualClock.settle` allows before deciding something spins.
_SETTLE_LIMIT = 10_000
#: How many times one settle may find real I/O in flight before deciding it never ends.
_QUIESCENCE_LIMIT = 10_000
#: How much virtual time a cancelled task gets to unwind in :meth:`VirtualClock.run`.
_UNWIND_LIMIT_S = 600.0
#: The longest real wait of a paced run before it looks again for something new to do.
_PACE_POLL_S = 0.02
#: How far (real seconds) a paced clock may fall behind its pace before it stops catching up.
_PACE_SLACK_S = 0.25


class VirtualClock(Clock):
    """Simulated time that moves only when advanced.

    Sleepers and timers wake in deadline order (ties in scheduling order). After each wake the
    clock lets the event loop run until nothing is ready, so a woken task finishes reacting
    before time moves on. That keeps runs deterministic and makes hours take milliseconds.
    """

    def __init__(self, start: float = 0.0) -> None:
        self._now = start
        self._queue: list[_Entry] = []
        self._seq = itertools.count()
        self._quiescence: list[Quiescence] = []

    def now(self) -> float:
        return self._now

    def _push(self, entry: _Entry) -> None:
        heapq.heappush(self._queue, entry)

    async def sleep_until(self, deadline: float) -> None:
        if deadline <= self._now:
            await asyncio.sleep(0)
            return
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        entry = _Entry(deadline, next(self._seq), waiter=waiter)
        self._push(entry)
        try:
            await waiter
        finally:
            entry.cancelled = True

    def call_at(self, when: float, callback: Callable[[], None]) -> TimerHandle:
        entry = _Entry(max(when, self._now), next(self._seq), callback=callback)
        self._push(entry)
        return _VirtualTimer(entry)

    def next_deadline(self) -> float | None:
        """When the next live sleeper or timer is due, None when nothing waits."""
        while self._queue and self._queue[0].cancelled:
            heapq.heappop(self._queue)
        return self._queue[0].when if self._queue else None

    def add_quiescence(self, waiter: Quiescence) -> Callable[[], None]:
        """Hold time still while ``waiter`` reports real I/O in flight; returns its remover.

        Real I/O (a pty, a socket, a worker thread) finishes outside the event loop's ready
        queue, so without a waiter the clock would jump past a deadline while a frame written
        at that time is still on its way, and the reader would see it late.
        """
        self._quiescence.append(waiter)

        def remove() -> None:
            with contextlib.suppress(ValueError):
                self._quiescence.remove(waiter)

        return remove

    async def settle(self) -> None:
        """Let the event loop run until no callback is ready (woken tasks have reacted) and
        no :meth:`quiescence waiter <add_quiescence>` has anything in flight."""
        for _ in range(_QUIESCENCE_LIMIT):
            await self._idle()
            waited = False
            for waiter in list(self._quiescence):
                # Every waiter is asked each round, so none is starved by another's traffic.
                waited = await waiter() or waited
            if not waited:
                return
        raise RuntimeError("real I/O never went quiet: something keeps a conversation going")

    async def _idle(self) -> None:
        """Turn the event loop until its ready queue is empty."""
        loop = asyncio.get_running_loop()
        ready = getattr(loop, "_ready", None)
        for _ in range(_SETTLE_LIMIT):
            await asyncio.sleep(0)
            if ready is not None and not ready:
                return
            if ready is None:
                # An event loop without a visible ready queue: a fixed number of turns is
                # the best that can be done.
                for _ in range(16):
                    await asyncio.sleep(0)
                return
        raise RuntimeError("the event loop never went idle: some task spins without waiting")

    def _fire_due(self, until: float) -> bool:
        """Fire every entry due by ``until`` that is at the front with the same deadline."""
        deadline = self.next_deadline()
        if deadline is None or deadline > until:
            return False
        self._now = max(self._now, deadline)
        while self._queue and self._queue[0].when <= deadline:
            entry = heapq.heappop(self._queue)
            if entry.cancelled:
                continue
            entry.cancelled = True
            if entry.waiter is not None:
                if not entry.waiter.done():
                    entry.waiter.set_result(None)
            elif entry.callback is not None:
                entry.callback()
        return True

    async def advance(self, seconds: float) -> None:
        """Move time forward by ``seconds``, waking everything due on the way, in order."""
        if seconds < 0:
            raise ValueError("time does not run backwards")
        target = self._now + seconds
        await self.settle()
        while self._fire_due(target):
            await self.settle()
        self._now = target

    async def advance_to(self, when: float) -> None:
        """Move time forward to ``when``."""
        await self.advance(max(0.0, when - self._now))

    async def run(self, awaitable: Awaitable[T], *, limit: float | None = None) -> T:
        """Run ``awaitable`` to completion, jumping time to each next deadline as needed.

        ``limit`` bounds the virtual time spent (TimeoutError past it). Raises
        :class:`Deadlock` when the awaitable waits but nothing on this clock could wake it.
        When either happens the awaitable is cancelled, and time keeps moving while it
        unwinds (a cancelled session still stops its chair, which takes clock time).
        """
        task = asyncio.ensure_future(awaitable)
        end = None if limit is None else self._now + limit
        try:
            while True:
                await self.settle()
                if task.done():
                    return task.result()
                deadline = self.next_deadline()
                if deadline is None:
                    raise Deadlock("the task waits, but nothing is scheduled on the clock")
                if end is not None and deadline > end:
                    self._now = end
                    raise TimeoutError(f"still running after {limit:g} s of virtual time")
                wait = self._real_wait(deadline)
                if wait > 0:
                    # Real time passes, and with it whatever arrives from outside (a signal,
                    # a worker thread): look again before moving time on.
                    await asyncio.sleep(min(wait, _PACE_POLL_S))
                    continue
                self._fire_due(deadline)
        finally:
            if not task.done():
                task.cancel()
                await self._unwind(task)

    def _real_wait(self, deadline: float) -> float:
        """Real seconds :meth:`run` waits before moving time to ``deadline``: none here."""
        return 0.0

    async def _unwind(self, task: asyncio.Future[T]) -> None:
        """Let a cancelled task finish its cleanup, advancing time for it (bounded)."""
        end = self._now + _UNWIND_LIMIT_S
        while True:
            await self.settle()
            if task.done():
                break
            deadline = self.next_deadline()
            if deadline is None or deadline > end:
                break
            self._fire_due(deadline)
        if task.done() and not task.cancelled():
            # Its own error is moot: the run is already failing for a reason of its own.
            task.exception()


class PacedClock(VirtualClock):
    """Virtual time that :meth:`run <VirtualClock.run>` moves no faster than ``factor`` times
    real time.

    For the built-in simulator watched at ``--speed``: it shares the event loop with the
    session, so every reaction (the chair's to a key, the session's to a status) finishes
    before time moves, as in the tests, however busy the machine. On sped-up wall time a
    pause of a few milliseconds would move the chair seconds past a key's answer. A machine
    that falls behind catches up without waiting, but never by more than a moment: after a
    longer pause the pace starts again from there, as if the chair had paused too.
    """

    def __init__(self, factor: float, start: float = 0.0) -> None:
        if factor <= 0:
            raise ValueError("the speed factor must be positive")
        super().__init__(start)
        self.factor = factor
        self._anchor: tuple[float, float] | None = None  # (real, virtual) time paced from

    def _real_wait(self, deadline: float) -> float:
        real = asyncio.get_running_loop().time()
        if self._anchor is None:
            self._anchor = (real, self._now)
        anchor_real, anchor_virtual = self._anchor
        wait = anchor_real + (deadline - anchor_virtual) / self.factor - real
        if wait < -_PACE_SLACK_S:
            self._anchor = (real, self._now)
            return self._real_wait(deadline)
        return wait


class ScaledClock(Clock):
    """Wall-clock time sped up by a factor: 1 s of real time is ``factor`` s on this clock.

    The simulated chair runs on it when served to other programs with ``--speed``.
    """

    def __init__(self, factor: float) -> None:
        if factor <= 0:
            raise ValueError("the speed factor must be positive")
        self.factor = factor
        self._origin: float | None = None

    def _real(self) -> float:
        return asyncio.get_running_loop().time()

    def _origin_real(self) -> float:
        if self._origin is None:
            self._origin = self._real()
        return self._origin

    def now(self) -> float:
        origin = self._origin_real()
        return (self._real() - origin) * self.factor

    def _to_real(self, when: float) -> float:
        return self._origin_real() + when / self.factor

    async def sleep_until(self, deadline: float) -> None:
        await asyncio.sleep(max(0.0, self._to_real(deadline) - self._real()))

    def call_at(self, when: float, callback: Callable[[], None]) -> TimerHandle:
        loop = asyncio.get_running_loop()
        return _AsyncioTimer(loop.call_at(self._to_real(when), callback), when)
