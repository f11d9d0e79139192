"""Fixtures of the session behaviour suite: a connected ChairSession on a simulated chair.

Every test here runs once per link kind. :func:`_link_factory` is the one place that knows how
to reach the simulated chair over a link; adding a kind (a serial pty, ``socket://``, the BLE
backend) means adding it to :data:`LINK_KINDS` and to that function, and nothing else.

Nothing of ours is mocked: the session talks to a real :class:`SimulatedChair` through a real
link, and tests judge it by the chair's status and its ground-truth trace. The only thing
wrapped is the chair's mainboard key input, to log what the chair received.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable
from typing import Protocol

import pytest
from sessionhelpers import KeyLog, Rig, assert_every_start_stopped

from chairctl.clock import VirtualClock
from drivers.chair import ChairSession, EventListener
from drivers.links import LinkFactory, MemoryLink
from drivers.models import ChairModel, get_model
from drivers.session import LinkState, SessionConfig
from simulator import ChairOptions, SimulatedChair, Sitter

#: The links the suite runs over. The serial pty, socket:// and BLE links join here.
LINK_KINDS = ["memory"]


def _link_factory(kind: str, chair: SimulatedChair) -> LinkFactory:
    """A fresh link to ``chair`` per connection attempt, of the given kind."""
    if kind == "memory":
        return lambda: MemoryLink(
            lambda on_data, on_lost: chair.connect(on_data=on_data, on_close=on_lost),
            description="memory link to the simulated chair",
        )
    raise ValueError(f"no link kind {kind!r}")


class RigMaker(Protocol):
    """Builds a connected rig; every argument has the suite's default."""

    def __call__(
        self,
        *,
        chair_model: ChairModel | None = None,
        sitter: Sitter | None = None,
        options: ChairOptions | None = None,
        config: SessionConfig | None = None,
        shoulder_position: float | None = None,
        on_event: EventListener | None = None,
    ) -> Awaitable[Rig]: ...


@pytest.fixture(scope="session")
def model() -> ChairModel:
    return get_model("rongtai-rt8600s")


@pytest.fixture(params=LINK_KINDS)
def link_kind(request: pytest.FixtureRequest) -> str:
    kind: str = request.param
    return kind


@pytest.fixture
async def make_rig(link_kind: str, model: ChairModel) -> AsyncIterator[RigMaker]:
    """Connected rigs on demand (``chair_model``: the chair's own model, when a test needs a
    chair that differs from what the session believes); each is closed and checked after."""
    rigs: list[Rig] = []

    async def make(
        *,
        chair_model: ChairModel | None = None,
        sitter: Sitter | None = None,
        options: ChairOptions | None = None,
        config: SessionConfig | None = None,
        shoulder_position: float | None = None,
        on_event: EventListener | None = None,
    ) -> Rig:
        clock = VirtualClock()
        chair = SimulatedChair(chair_model or model, clock, sitter=sitter, options=options)
        keys = KeyLog.attach(chair)
        session = ChairSession(
            model,
            _link_factory(link_kind, chair),
            clock,
            config=config,
            shoulder_position=shoulder_position,
            on_event=on_event,
        )
        await clock.run(session.connect())
        rig = Rig(session, chair, clock, keys)
        rigs.append(rig)
        return rig

    yield make
    for rig in rigs:
        # Checked after every test, before close() could pay any debt: whatever the test
        # did, no START was left without its STOP, and the session owes none.
        if rig.session.link_state is LinkState.CONNECTED:
            assert rig.session.keys.held == {}
            assert_every_start_stopped(rig.keys, model)
        await rig.clock.run(rig.session.close())
        rig.chair.close()
        assert_every_start_stopped(rig.keys, model)


@pytest.fixture
async def rig(make_rig: RigMaker) -> Rig:
    """A session connected to a simulated chair in standby, with the chair's key log."""
    return await make_rig()
