"""The one reconcile loop (drivers.adapters.reconcile) on a tiny fake family.

The loop is the point here, so the family is a fake: a dial whose one step is "set the
intensity to n", over a port whose statuses go through the session's real StatusFeed on a
VirtualClock. The real families on the real stack are the session suites' business.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest

from chairctl.clock import VirtualClock
from chairctl.vocabulary import ChairFault, ChairStatus, NotConfirmed, WorkState
from drivers.adapters.base import Accept, Port
from drivers.adapters.reconcile import Await, ReconcileLoop
from drivers.session.feed import StatusFeed

#: The chair's answer to a key: the status it shows after it, from the one before.
Answer = Callable[[int, ChairStatus], ChairStatus]


def _takes(key: int, shown: ChairStatus) -> ChairStatus:
    return shown.model_copy(update={"intensity": key})


@dataclass
class _Port:
    """A port whose chair answers each key at once with :attr:`answer`."""

    clock: VirtualClock
    answer: Answer = _takes
    feed: StatusFeed = field(init=False)
    pressed: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.feed = StatusFeed(self.clock)
        self.feed.push(ChairStatus(work_state=WorkState.RUNNING, running=True, intensity=1))

    @property
    def status(self) -> ChairStatus:
        assert self.feed.latest is not None
        return self.feed.latest

    @property
    def status_at(self) -> float:
        return self.feed.latest_at

    async def press(self, key: int) -> float:
        await self.clock.sleep(0.16)
        self.pressed.append(key)
        self.feed.push(self.answer(key, self.status))
        return self.clock.now()

    async def send(self, frame: bytes) -> float:
        raise AssertionError("the dial sends keys only")

    async def hold(self, start: int, stop: int) -> float:
        raise AssertionError("the dial holds no key")

    async def release(self, stop: int) -> float:
        raise AssertionError("the dial holds no key")

    async def wait(self, accept: Accept, deadline: float | None = None) -> ChairStatus | None:
        return await self.feed.wait(accept, deadline)


class _Dial(ReconcileLoop[int, ChairStatus, int, list[int]]):
    """Targets: an intensity. A step: the intensity key to press. A run keeps its steps."""

    max_steps = 5

    def __init__(self) -> None:
        self.runs: list[list[int]] = []
        self.reached_on: list[ChairStatus] = []

    def begin_run(self, port: Port) -> list[int]:
        self.runs.append([])
        return self.runs[-1]

    def observe(self, port: Port) -> ChairStatus:
        if port.status.work_state is WorkState.FAULT:
            raise ChairFault("the dial reports a fault")
        return port.status

    def decide(self, targets: int, seen: ChairStatus, now: float) -> int | None:
        return None if seen.intensity == targets else targets

    def reached(self, targets: int, seen: ChairStatus) -> None:
        self.reached_on.append(seen)

    async def perform(self, step: int, port: Port, run: list[int]) -> None:
        run.append(step)
        await port.press(step)


@pytest.fixture
def clock() -> VirtualClock:
    return VirtualClock()


async def test_the_loop_performs_the_step_decided_and_stops_once_reached(
    clock: VirtualClock,
) -> None:
    port, dial = _Port(clock), _Dial()
    await clock.run(dial.run(3, port))
    assert port.pressed == [3]
    assert dial.runs == [[3]]
    assert [s.intensity for s in dial.reached_on] == [3]


async def test_a_status_that_already_matches_sends_nothing(clock: VirtualClock) -> None:
    port, dial = _Port(clock), _Dial()
    await clock.run(dial.run(1, port))
    assert port.pressed == []
    assert len(dial.reached_on) == 1


async def test_a_chair_that_never_settles_ends_the_run_after_its_most_actions(
    clock: VirtualClock,
) -> None:
    # Something (the remote) puts it back after every key.
    port, dial = _Port(clock, answer=lambda _key, shown: shown), _Dial()
    with pytest.raises(NotConfirmed) as raised:
        await clock.run(dial.run(3, port))
    assert str(raised.value) == (
        "the chair did not settle on the setpoint after 5 actions: something keeps changing "
        "it (is the remote in use?)"
    )
    assert port.pressed == [3] * 5
    assert dial.reached_on == []


async def test_each_run_keeps_its_own_tally(clock: VirtualClock) -> None:
    port, dial = _Port(clock), _Dial()
    await clock.run(dial.run(3, port))
    await clock.run(dial.run(2, port))
    assert dial.runs == [[3], [2]]


async def test_a_status_the_family_reads_as_the_end_stops_the_run_before_any_step(
    clock: VirtualClock,
) -> None:
    port, dial = _Port(clock), _Dial()
    port.feed.push(ChairStatus(work_state=WorkState.FAULT))
    with pytest.raises(ChairFault):
        await clock.run(dial.run(3, port))
    assert port.pressed == []
    assert dial.runs == [[]]


async def test_an_await_ends_with_the_first_status_showing_it_done(clock: VirtualClock) -> None:
    port, dial = _Port(clock), _Dial()
    clock.call_later(2.0, lambda: port.feed.push(port.status))
    clock.call_later(3.0, lambda: port.feed.push(_takes(4, port.status)))
    step = Await("the dial to turn", lambda s: s.intensity == 4, limit_s=10.0)
    await clock.run(dial.await_done(step, port))
    assert clock.now() == 3.0


async def test_an_await_counts_no_status_before_its_time(clock: VirtualClock) -> None:
    port, dial = _Port(clock), _Dial()
    clock.call_later(1.0, lambda: port.feed.push(port.status))
    clock.call_later(2.0, lambda: port.feed.push(port.status))
    step = Await("a later status", lambda _s: True, limit_s=10.0, after=1.5)
    await clock.run(dial.await_done(step, port))
    assert clock.now() == 2.0


async def test_an_await_past_its_limit_names_what_and_what_the_status_shows(
    clock: VirtualClock,
) -> None:
    port, dial = _Port(clock), _Dial()
    step = Await("the body scan", lambda s: s.intensity == 4, limit_s=10.0)
    with pytest.raises(NotConfirmed) as raised:
        await clock.run(dial.await_done(step, port))
    assert str(raised.value) == "waited 10 s for the body scan; the status shows running"
    assert clock.now() == 10.0
