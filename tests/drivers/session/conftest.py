"""Fixtures of the session behaviour suite: a connected ChairSession on a simulated chair.

Every test here runs once per link kind. :func:`simulator.reach.links_to` is the one place that
knows how to reach the simulated chair over a link; adding a kind means adding it there and to
:data:`LINK_KINDS`, and nothing else. A test that is about one property of some kinds (the
checksummed status form, say) names them with ``@pytest.mark.link_kinds`` and says why.

Nothing of ours is mocked: the session talks to a real :class:`SimulatedChair` through a real
link (a real pty or TCP socket for the serial kinds, bleak's real ``BleakClient`` over the
simulator's backend for BLE), and tests judge it by the chair's status and its ground-truth
trace. The only things wrapped are the chair's mainboard key input, to log what the chair
received, and on the serial kinds the link, to count the bytes crossing the kernel so that
virtual time waits for them (see :mod:`simulator.wire`).
"""

from __future__ import annotations

import contextlib
import inspect
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol

import pytest
from sessionhelpers import KeyLog, Rig, assert_every_start_stopped

from chairctl.clock import VirtualClock
from drivers.chair import ChairSession, EventListener
from drivers.links import BleLink
from drivers.models import ChairModel, get_model
from drivers.session import LinkState, SessionConfig
from simulator import ChairOptions, SimulatedChair, Sitter
from simulator.reach import links_to
from simulator.rongtai.frames import Form

MODEL_ID = "rongtai-rt8600s"


@dataclass(frozen=True)
class LinkKind:
    """What a test may need to know of a link kind, beyond how to build one."""

    #: The status form the chair sends on it: the checksummed 17-byte form every 200 ms over
    #: BLE (and in memory), the 18-byte form without checksum every 50 ms on the wired
    #: hand-controller line that a serial link plugs into.
    form: Form
    #: Chair seconds a connection attempt takes to fail while another controller holds the
    #: chair: nothing where the chair refuses at once, more where it just says nothing.
    busy_attempt_s: float


#: A busy BLE chair stops advertising, so an attempt ends when BleLink's scan runs out.
_BLE_SCAN_S: float = inspect.signature(BleLink).parameters["scan_timeout"].default

#: The links the suite runs over.
LINK_KINDS: dict[str, LinkKind] = {
    "memory": LinkKind("ble", busy_attempt_s=0.0),
    # A pty cannot refuse: the attempt opens it and waits in vain for a first status.
    "serial-pty": LinkKind("wired", busy_attempt_s=SessionConfig().first_status_timeout_s),
    # The server accepts the connection and hangs up at once.
    "serial-socket": LinkKind("wired", busy_attempt_s=0.0),
    "ble": LinkKind("ble", busy_attempt_s=_BLE_SCAN_S),
}

#: How long the pty stays silent after the chair drops the link (chair seconds). A pty cannot
#: hang up, so the session notices a drop only by its status watchdog; the server's default
#: gap (2 s) is shorter than the watchdog, and the session rightly rides that out.
PTY_LINK_DOWN_S = SessionConfig().status_timeout_s + 2.0


def kinds_where(test: Callable[[LinkKind], bool]) -> list[str]:
    """The link kinds that pass ``test``, for ``@pytest.mark.link_kinds``."""
    return [name for name, kind in LINK_KINDS.items() if test(kind)]


def checksummed(kind: LinkKind) -> bool:
    """The chair's status frames on this kind carry a checksum, so damage to them shows."""
    return get_model(MODEL_ID).protocol.status_forms[kind.form].checksum


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "link_kinds(*kinds): run only over these link kinds (say why beside it)"
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Every test using a rig runs once per link kind, or per kind its mark names."""
    if "link_kind" not in metafunc.fixturenames:
        return
    kinds = list(LINK_KINDS)
    mark = metafunc.definition.get_closest_marker("link_kinds")
    if mark is not None:
        unknown = set(mark.args) - set(LINK_KINDS)
        if unknown or not mark.args:
            raise ValueError(f"link_kinds names no kind, or unknown ones: {sorted(unknown)}")
        kinds = [kind for kind in kinds if kind in mark.args]
    metafunc.parametrize("link_kind", kinds)


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
    return get_model(MODEL_ID)


@pytest.fixture
async def make_rig(link_kind: str, model: ChairModel) -> AsyncIterator[RigMaker]:
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
        chair = SimulatedChair(
            chair_model or model,
            clock,
            form=LINK_KINDS[link_kind].form,
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
