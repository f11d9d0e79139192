"""The clocks: virtual time moves only when advanced, wakes in order, never deadlocks quietly."""

from __future__ import annotations

import asyncio
import socket
import time

import pytest

from chairctl.clock import Deadlock, PacedClock, ScaledClock, VirtualClock


async def test_sleepers_wake_in_deadline_order_at_their_own_time() -> None:
    clock = VirtualClock()
    woke: list[tuple[str, float]] = []

    async def sleeper(name: str, seconds: float) -> None:
        await clock.sleep(seconds)
        woke.append((name, clock.now()))

    tasks = [
        asyncio.create_task(sleeper(n, s)) for n, s in [("c", 3), ("a", 1), ("b", 2), ("a2", 1)]
    ]
    await clock.advance(1.5)
    assert woke == [("a", 1.0), ("a2", 1.0)]
    assert clock.now() == 1.5
    await clock.advance(10)
    assert [name for name, _ in woke] == ["a", "a2", "b", "c"]
    assert woke[-1] == ("c", 3.0)
    await asyncio.gather(*tasks)


async def test_a_woken_task_reacts_before_time_moves_on() -> None:
    clock = VirtualClock()
    seen: list[float] = []

    async def chain() -> None:
        for _ in range(3):
            await clock.sleep(1)
            seen.append(clock.now())

    task = asyncio.create_task(chain())
    await clock.advance(3)
    assert seen == [1.0, 2.0, 3.0]
    await task


async def test_timers_fire_in_order_and_cancelled_ones_do_not() -> None:
    clock = VirtualClock()
    fired: list[str] = []
    clock.call_later(2, lambda: fired.append("two"))
    handle = clock.call_later(1, lambda: fired.append("cancelled"))
    clock.call_at(1, lambda: fired.append("one"))
    handle.cancel()
    assert clock.next_deadline() == 1
    await clock.advance(5)
    assert fired == ["one", "two"]
    assert clock.next_deadline() is None


async def test_run_jumps_to_each_deadline() -> None:
    clock = VirtualClock()

    async def long_job() -> str:
        await clock.sleep(3600)
        await clock.sleep(1800)
        return "done"

    assert await clock.run(long_job()) == "done"
    assert clock.now() == 5400


async def test_run_reports_a_task_that_can_never_wake() -> None:
    clock = VirtualClock()
    never: asyncio.Future[None] = asyncio.get_running_loop().create_future()
    with pytest.raises(Deadlock):
        await clock.run(never)


async def test_run_stops_at_its_limit() -> None:
    clock = VirtualClock()
    with pytest.raises(TimeoutError):
        await clock.run(clock.sleep(100), limit=10)
    assert clock.now() == 10


async def test_wait_for_times_out_in_virtual_time() -> None:
    clock = VirtualClock()

    async def slow() -> int:
        await clock.sleep(5)
        return 1

    async def scenario() -> None:
        with pytest.raises(TimeoutError):
            await clock.wait_for(slow(), 2)
        assert clock.now() == 2
        assert await clock.wait_for(slow(), 10) == 1
        assert clock.now() == 7

    await clock.run(scenario())


async def test_a_caller_cancelled_while_wait_for_unwinds_its_awaitable_hears_of_it() -> None:
    # The awaitable takes a moment to unwind once its time ran out; the caller is cancelled in
    # that moment. The caller's cancellation must reach it, not be swallowed with the
    # awaitable's own.
    clock = VirtualClock()
    unwinding = asyncio.Event()
    unwound = asyncio.Event()

    async def slow_to_unwind() -> None:
        try:
            await clock.sleep(100)
        finally:
            unwinding.set()
            await unwound.wait()

    caller = asyncio.ensure_future(clock.wait_for(slow_to_unwind(), 1))

    async def scenario() -> None:
        await clock.sleep(1)
        await unwinding.wait()
        caller.cancel()
        unwound.set()
        with pytest.raises(asyncio.CancelledError):
            await caller

    await clock.run(scenario())


async def test_time_does_not_run_backwards() -> None:
    with pytest.raises(ValueError, match="backwards"):
        await VirtualClock().advance(-1)


async def test_scaled_clock_maps_its_time_onto_the_loop() -> None:
    clock = ScaledClock(50)
    start = clock.now()
    handle = clock.call_later(100, lambda: None)
    # 100 s on a clock 50 times faster than real time is due 2 s of loop time from now
    # (its own time moves on 50 times faster while the test runs, hence the bound).
    assert start + 100 <= handle.when < start + 101
    loop_due = clock._to_real(start + 100) - asyncio.get_running_loop().time()
    assert loop_due == pytest.approx(2.0, abs=0.05)
    handle.cancel()
    with pytest.raises(ValueError, match="positive"):
        ScaledClock(0)


async def test_a_paced_clock_never_runs_ahead_of_its_pace() -> None:
    clock = PacedClock(100)
    loop = asyncio.get_running_loop()
    began = loop.time()
    await clock.run(clock.sleep(5.0))
    # 5 s at 100 times real time: at least 50 ms of real time (a slow machine only adds).
    assert loop.time() - began >= 0.05 - 0.002
    assert clock.now() == 5.0
    with pytest.raises(ValueError, match="positive"):
        PacedClock(0)


async def test_a_paced_clock_lets_a_reaction_finish_however_long_the_machine_stalls() -> None:
    # A key's answer, hop by hop, with the machine stalled in the middle: on sped-up wall
    # time the stall alone would carry the chair 20 s on; here time waits for the answer.
    clock = PacedClock(200)
    answered: list[float] = []

    def hop(left: int) -> None:
        if left == 2:
            time.sleep(0.1)  # the machine stalls (20 s of this clock's pace)
        if left:
            asyncio.get_running_loop().call_soon(hop, left - 1)
        else:
            answered.append(clock.now())

    clock.call_at(1.0, lambda: hop(4))
    await clock.run(clock.sleep(1.5))
    assert answered == [1.0]
    assert clock.now() == 1.5


async def test_time_stands_still_while_a_quiescence_waiter_has_work_in_flight() -> None:
    clock = VirtualClock()
    loop = asyncio.get_running_loop()
    ours, theirs = socket.socketpair()
    in_flight: set[asyncio.Future[bytes]] = set()
    received: list[tuple[bytes, float]] = []
    asked = 0

    def send() -> None:
        # Received in a worker thread, as pyserial opens ports: the answer comes back whenever
        # the thread gets to run, never as a callback the clock could see ready.
        answer = loop.run_in_executor(None, theirs.recv, 64)
        in_flight.add(answer)
        answer.add_done_callback(in_flight.discard)
        answer.add_done_callback(lambda done: received.append((done.result(), clock.now())))
        ours.send(b"ping")

    async def waiter() -> bool:
        nonlocal asked
        asked += 1
        if not in_flight:
            return False
        await asyncio.wait(set(in_flight), timeout=5)
        return True

    remove = clock.add_quiescence(waiter)
    try:
        clock.call_at(1, send)
        clock.call_at(2, send)
        await clock.advance(10)
        assert received == [(b"ping", 1.0), (b"ping", 2.0)]
        assert clock.now() == 10
        remove()
        before = asked
        await clock.advance(1)
        assert asked == before
    finally:
        ours.close()
        theirs.close()
