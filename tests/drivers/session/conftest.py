"""Fixtures of the session behaviour suite: a connected ChairSession on a simulated chair.

Every test here runs once per protocol family and link kind the family's chair can be reached
on (:data:`FAMILY_MODELS`: BLE only for a chair with a BLE module). :func:`simulator.reach.links_to`
is the one place that knows how to reach the simulated chair over a link; adding a kind means
adding it there and to :data:`LINK_KINDS`, and nothing else. A test about one property of some
kinds (the checksummed status form, say) names them with ``@pytest.mark.link_kinds``, and a
test of one family's ways (Rongtai's hold-to-move keys, say) names it with
``@pytest.mark.families``; each says why beside the mark.

Nothing of ours is mocked: the session talks to a real :class:`SimulatedChair` through a real
link (a real pty or TCP socket for the serial kinds, bleak's real ``BleakClient`` over the
simulator's backend for BLE), and tests judge it by the chair's status and its ground-truth
trace. The only things wrapped are the chair's mainboard key input, to log what the chair
received, and on the serial kinds the link, to count the bytes crossing the kernel so that
virtual time waits for them (see :mod:`simulator.wire`).
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Iterable

import pytest

from chairctl.clock import VirtualClock
from drivers.chair import ChairSession, EventListener
from drivers.models import ChairModel, get_model
from drivers.models.schema import Transport
from drivers.session import LinkState, SessionConfig
from simulator import ChairOptions, SimulatedChair, Sitter
from simulator.families import simulated_chair
from simulator.reach import LinkKindName, links_to
from tests.drivers.session.sessionhelpers import (
    FAMILY_MODELS,
    LINK_KINDS,
    KeyLog,
    Rig,
    RigMaker,
    assert_every_start_stopped,
)

#: How long the pty stays silent after the chair drops the link (chair seconds). A pty cannot
#: hang up, so the session notices a drop only by its status watchdog; the server's default
#: gap (2 s) is shorter than the watchdog, and the session rightly rides that out.
PTY_LINK_DOWN_S = SessionConfig().status_timeout_s + 2.0


def transport_of(model: ChairModel, link_kind: LinkKindName) -> Transport:
    """How ``model``'s chair is reached on a link kind (only Rongtai chairs have two ways)."""
    return LINK_KINDS[link_kind].form if "ble" in model.transports else "wired"


def _reachable(family: str, link_kind: str) -> bool:
    # Memory reaches any chair; BLE only a chair with a BLE module; serial one with a wire.
    transports = get_model(FAMILY_MODELS[family]).transports
    return link_kind == "memory" or (("ble" if link_kind == "ble" else "wired") in transports)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "link_kinds(*kinds): run only over these link kinds (say why beside it)"
    )
    config.addinivalue_line(
        "markers", "families(*families): run only for these protocol families (say why)"
    )


def _marked(metafunc: pytest.Metafunc, name: str, known: Iterable[str]) -> list[str]:
    names = list(known)
    mark = metafunc.definition.get_closest_marker(name)
    if mark is None:
        return names
    unknown = set(mark.args) - set(names)
    if unknown or not mark.args:
        raise ValueError(f"{name} names none, or unknown ones: {sorted(unknown)}")
    return [n for n in names if n in mark.args]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Every test using a rig runs once per family and link kind that family's chair can be
    reached on, or per those its marks name."""
    if "link_kind" not in metafunc.fixturenames:
        return
    families = _marked(metafunc, "families", FAMILY_MODELS)
    kinds = _marked(metafunc, "link_kinds", LINK_KINDS)
    pairs = [(f, k) for f in families for k in kinds if _reachable(f, k)]
    metafunc.parametrize(("chair_family", "link_kind"), pairs, ids=[f"{f}-{k}" for f, k in pairs])


@pytest.fixture
def chair_family() -> str:
    """The family of a test that needs no rig (rig tests are parametrized over every family)."""
    return "rongtai-h10"


@pytest.fixture
def model(chair_family: str) -> ChairModel:
    """The model of the family under test."""
    return get_model(FAMILY_MODELS[chair_family])


@pytest.fixture
async def make_rig(link_kind: LinkKindName, model: ChairModel) -> AsyncIterator[RigMaker]:
    """Connected rigs on demand (``chair_model``: the chair's own model, when a test needs a
    chair that differs from what the session believes); each is closed and checked after."""
    rigs: list[Rig] = []
    chairs: list[SimulatedChair] = []
    # What serves each chair on its link: closed after the sessions, before the chairs.
    served = contextlib.AsyncExitStack()

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
        chair = simulated_chair(
            chair_model or model,
            clock,
            transport=transport_of(model, link_kind),
            sitter=sitter,
            options=options,
        )
        chairs.append(chair)
        keys = KeyLog.attach(chair)
        links = await served.enter_async_context(
            links_to(link_kind, model, chair, clock, pty_link_down_s=PTY_LINK_DOWN_S)
        )
        session = ChairSession(
            model,
            links,
            clock,
            config=config,
            shoulder_position=shoulder_position,
            on_event=on_event,
        )
        await clock.run(session.connect())
        rig = Rig(session, chair, clock, keys)
        rigs.append(rig)
        return rig

    try:
        yield make
        for rig in rigs:
            # Checked after every test, before close() could pay any debt: whatever the test
            # did, no START was left without its STOP, and the session owes none.
            if rig.session.link_state is LinkState.CONNECTED:
                assert rig.session.keys.held == {}
                assert_every_start_stopped(rig.keys, model)
            await rig.clock.run(rig.session.close())
            assert_every_start_stopped(rig.keys, model)
    finally:
        await served.aclose()
        for chair in chairs:
            chair.close()


@pytest.fixture
async def rig(make_rig: RigMaker) -> Rig:
    """A session connected to a simulated chair in standby, with the chair's key log."""
    return await make_rig()
