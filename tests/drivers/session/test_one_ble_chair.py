"""A session by BLE name reconnects to its own chair, never to another of the same name.

Two simulated RT8600S chairs advertise names matching ``EVOLUTION-*``: chair A, which the
session found by name and set kneading, and chair B, switched on later and at rest. A's link
drops while A goes out of range. Reconnecting by name again would find B, release it (at rest
already) and report "reconnected, safe" while A kneads on. The session must reconnect to A
and release it, or fail honestly when A does not come back; it must never touch B. bleak's real
BleakClient and BleakScanner over the simulator's BLE air, wired as ``--chair ble:NAME`` wires
them (:func:`chairctl.services.chairs.links_for`), judged by the chairs' ground truth.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest

from chairctl.clock import VirtualClock
from chairctl.services.chairs import links_for, parse_chair
from chairctl.vocabulary import LinkError, Technique
from chairctl.vocabulary.chair_events import ChairEvent, Reconnected, ReconnectFailed
from drivers.chair import ChairSession
from drivers.models import ChairModel
from drivers.session import LinkState, SessionConfig
from simulator.ble import SimulatedAir, SimulatedPeripheral
from simulator.families import simulated_chair
from tests.drivers.session.sessionhelpers import KNEAD_LOWER_BACK, assert_released


@dataclass
class TwoChairs:
    """A session working chair A by name, with chair B of the same name pattern in the air."""

    session: ChairSession
    air: SimulatedAir
    a: SimulatedPeripheral
    b: SimulatedPeripheral
    clock: VirtualClock
    events: list[ChairEvent]

    @property
    def said(self) -> list[type[ChairEvent]]:
        return [type(e) for e in self.events]


@pytest.fixture
async def two(model: ChairModel) -> AsyncIterator[TwoChairs]:
    clock = VirtualClock()
    events: list[ChairEvent] = []
    a_chair = simulated_chair(model, clock, transport="ble")
    b_chair = simulated_chair(model, clock, transport="ble")
    with SimulatedAir() as air:
        a = air.add(a_chair, name="EVOLUTION-000001")
        connection = links_for(
            parse_chair("ble:EVOLUTION-*"), model, clock, ble_backend=air.backend
        )
        session = ChairSession(
            model,
            connection.links,
            clock,
            config=SessionConfig(reconnect_attempts=4),
            on_event=events.append,
        )
        await clock.run(session.connect())
        await clock.run(session.apply(KNEAD_LOWER_BACK))
        assert a_chair.state().roller_technique is Technique.KNEAD
        # Chair B is switched on in the next room: same make, a name the pattern matches too.
        b = air.add(b_chair, name="EVOLUTION-000002")
        await clock.advance(1.0)
        yield TwoChairs(session, air, a, b, clock, events)
        await clock.run(session.close())
    a_chair.close()
    b_chair.close()


async def test_a_dropped_link_reconnects_to_the_same_chair_and_releases_it(
    two: TwoChairs,
) -> None:
    session, air, a, b, clock = two.session, two.air, two.a, two.b, two.clock
    # A goes out of range for 5 s: its link drops, and B is the only chair advertising.
    air.away(a, 5.0)
    assert session.link_state is LinkState.RECONNECTING

    interruption = await clock.run(session.wait_recovery())

    assert interruption is not None
    assert interruption.reconnected
    assert interruption.safe
    assert any(isinstance(e, Reconnected) and e.safe for e in two.events)
    # The safe release went to A, whose ground truth shows it at rest; B was never touched.
    assert_released(a.chair)
    assert b.writes == []
    assert not b.chair.connected
    assert a.chair.connected


async def test_a_chair_that_does_not_come_back_fails_the_reconnection_honestly(
    two: TwoChairs,
) -> None:
    session, air, a, b, clock = two.session, two.air, two.a, two.b, two.clock
    air.remove(a)  # A is out of range for good, and kneads on (it has no host watchdog)

    interruption = await clock.run(session.wait_recovery())

    assert interruption is not None
    assert not interruption.reconnected
    assert not interruption.safe
    assert ReconnectFailed in two.said
    assert Reconnected not in two.said
    with pytest.raises(LinkError, match="use its remote"):
        await clock.run(session.stop())
    assert b.writes == []
    assert not b.chair.connected
    # Nothing claimed A safe, and indeed it is not: the words matched the chair.
    assert a.chair.state().roller_technique is Technique.KNEAD
