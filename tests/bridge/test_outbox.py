"""The outbox: the state at most once per interval unless urgent, the retained topics sent
again on every connection, nothing sent twice for nothing, and a writer that can be told to
end. On a VirtualClock standing in for the network's time."""

from __future__ import annotations

import asyncio

from chairctl.bridge.outbox import Message, Outbox
from chairctl.clock import VirtualClock


def outbox(clock: VirtualClock) -> Outbox:
    return Outbox(clock, state_topic="p/state", state_interval_s=0.5)


async def taken(clock: VirtualClock, box: Outbox, seconds: float = 0.0) -> list[Message]:
    """What the writer gets within ``seconds`` of the clock (nothing: an empty list)."""
    waiting = asyncio.ensure_future(box.next())
    await clock.advance(seconds)
    if not waiting.done():
        waiting.cancel()
        return []
    return waiting.result()


async def test_the_state_goes_out_at_most_once_per_interval_unless_urgent() -> None:
    clock = VirtualClock()
    box = outbox(clock)
    box.put_state(b"1")
    assert await taken(clock, box) == [Message("p/state", b"1", retain=True, qos=0)]
    box.put_state(b"2")
    box.put_state(b"3")  # the latest wins
    assert await taken(clock, box, 0.4) == []
    assert await taken(clock, box, 0.2) == [Message("p/state", b"3", retain=True, qos=0)]
    box.put_state(b"4", urgent=True)  # a stop, a fault, an end: at once
    assert await taken(clock, box) == [Message("p/state", b"4", retain=True, qos=0)]
    box.put_state(b"4")
    assert await taken(clock, box, 5) == []  # the broker has it already


async def test_a_new_connection_hears_every_retained_topic_again() -> None:
    clock = VirtualClock()
    box = outbox(clock)
    box.retain("p/availability", b"online")
    box.put_state(b"1")
    box.send("p/event", b"e")
    assert [m.topic for m in await taken(clock, box)] == ["p/availability", "p/state", "p/event"]
    box.retain("p/availability", b"online")
    assert await taken(clock, box, 5) == []
    box.connected()
    assert await taken(clock, box) == [
        Message("p/availability", b"online", retain=True),
        Message("p/state", b"1", retain=True, qos=0),
    ]


async def test_an_interrupted_writer_gets_nothing_and_ends() -> None:
    clock = VirtualClock()
    box = outbox(clock)
    waiting = asyncio.ensure_future(box.next())
    await clock.advance(1)
    box.interrupt()
    await clock.advance(0)
    assert waiting.result() == []
    box.connected()  # a new connection's writer is not interrupted
    box.send("p/event", b"e")
    assert await taken(clock, box) == [Message("p/event", b"e", retain=False)]
