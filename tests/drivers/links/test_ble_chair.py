"""One BLE chair for a session: a name must mean one chair, and once found the chair is reached
at its address on every connection. bleak's real BleakScanner and BleakClient over the
simulator's backend, on the chairs' VirtualClock (waits that run out run under ``clock.run``)."""

from __future__ import annotations

import pytest

from chairctl.clock import VirtualClock
from chairctl.services.chairs import links_for, parse_chair
from chairctl.vocabulary import LinkError
from drivers.links import BleChair, Link
from drivers.links.ble_find import SETTLE_S, BlePeer
from drivers.models import ChairModel
from simulator.ble import SimulatedAir, SimulatedPeripheral
from simulator.families import simulated_chair
from simulator.faults import LinkDrop


async def _open(link: Link) -> None:
    await link.open(lambda _data: None, lambda _reason: None)


def _second(
    air: SimulatedAir, model: ChairModel, clock: VirtualClock, name: str
) -> SimulatedPeripheral:
    return air.add(simulated_chair(model, clock, transport="ble"), name=name)


async def test_a_name_matching_two_chairs_is_refused_and_lists_both(
    model: ChairModel, air: SimulatedAir, peripheral: SimulatedPeripheral, clock: VirtualClock
) -> None:
    other = _second(air, model, clock, "EVOLUTION-067890")
    link = BleChair(model, names=["EVOLUTION-*"], backend=air.backend, clock=clock)()

    with pytest.raises(LinkError) as refused:
        await clock.run(_open(link))

    message = str(refused.value)
    assert message.startswith("2 BLE devices are named EVOLUTION-*: ")
    assert f"{peripheral.name} at {peripheral.address}" in message
    assert f"{other.name} at {other.address}" in message
    assert message.endswith("connect to yours by its address")
    # Nothing was connected to, nothing written.
    assert not peripheral.chair.connected
    assert not other.chair.connected
    assert peripheral.writes == []
    assert other.writes == []
    # It listened a while after the first match, no longer.
    assert clock.now() == pytest.approx(SETTLE_S, abs=0.01)


async def test_the_command_lines_ble_name_says_how_to_choose(
    model: ChairModel, air: SimulatedAir, peripheral: SimulatedPeripheral, clock: VirtualClock
) -> None:
    _second(air, model, clock, "EVOLUTION-067890")
    connection = links_for(parse_chair("ble:EVOLUTION-*"), model, clock, ble_backend=air.backend)

    with pytest.raises(LinkError, match=r"name yours by its address, --chair ble:ADDRESS$"):
        await clock.run(_open(connection.links()))


async def test_a_chair_heard_after_the_first_within_the_settle_is_still_seen(
    model: ChairModel, air: SimulatedAir, peripheral: SimulatedPeripheral, clock: VirtualClock
) -> None:
    # The second chair comes into range a second after the scan heard the first.
    def second_comes_into_range() -> None:
        _second(air, model, clock, "EVOLUTION-067890")

    clock.call_later(1.0, second_comes_into_range)
    link = BleChair(model, backend=air.backend, clock=clock)()
    with pytest.raises(LinkError, match="2 BLE devices are named RT8600S or EVOLUTION-"):
        await clock.run(_open(link))


async def test_names_from_the_air_reach_the_message_without_control_characters(
    model: ChairModel, air: SimulatedAir, peripheral: SimulatedPeripheral, clock: VirtualClock
) -> None:
    _second(air, model, clock, "EVOLUTION-\x1b[2J\x07")
    link = BleChair(model, names=["EVOLUTION-*"], backend=air.backend, clock=clock)()
    with pytest.raises(LinkError) as refused:
        await clock.run(_open(link))
    assert "EVOLUTION-?[2J?" in str(refused.value)
    assert not any(ord(c) < 0x20 for c in str(refused.value))


async def test_a_chair_found_by_name_is_pinned_to_its_address(
    model: ChairModel, air: SimulatedAir, peripheral: SimulatedPeripheral, clock: VirtualClock
) -> None:
    chair = BleChair(model, names=["EVOLUTION-*"], backend=air.backend, clock=clock)
    assert chair.pinned is None
    first = chair()
    await clock.run(_open(first))
    assert chair.pinned == BlePeer(peripheral.address, peripheral.name)
    peripheral.chair.inject(LinkDrop())

    # Another chair of the same name comes into range; the next link still goes to the first.
    other = _second(air, model, clock, "EVOLUTION-067890")
    second = chair()
    assert second.description == f"BLE {peripheral.address} ({peripheral.name})"
    await clock.run(_open(second))
    assert peripheral.chair.connected
    assert not other.chair.connected
    await second.close()


async def test_a_pinned_chair_that_is_gone_is_a_failed_connection_not_another_chair(
    model: ChairModel, air: SimulatedAir, peripheral: SimulatedPeripheral, clock: VirtualClock
) -> None:
    chair = BleChair(model, backend=air.backend, clock=clock)
    await clock.run(_open(chair()))
    air.remove(peripheral)
    other = _second(air, model, clock, "EVOLUTION-067890")

    with pytest.raises(LinkError, match=f"cannot connect to BLE {peripheral.address}"):
        await clock.run(_open(chair()))
    assert not other.chair.connected
    assert other.writes == []


async def test_a_chair_given_by_address_is_pinned_from_the_start(
    model: ChairModel, air: SimulatedAir, peripheral: SimulatedPeripheral, clock: VirtualClock
) -> None:
    chair = BleChair(model, address=peripheral.address, backend=air.backend, clock=clock)
    assert chair.pinned == BlePeer(peripheral.address, None)
    link = chair()
    assert link.description == f"BLE {peripheral.address}"
    await _open(link)
    assert peripheral.chair.connected
    await link.close()


async def test_a_failed_first_connection_pins_nothing(
    model: ChairModel, air: SimulatedAir, peripheral: SimulatedPeripheral, clock: VirtualClock
) -> None:
    _second(air, model, clock, "EVOLUTION-067890")
    chair = BleChair(model, names=["EVOLUTION-*"], backend=air.backend, clock=clock)
    with pytest.raises(LinkError):
        await clock.run(_open(chair()))
    assert chair.pinned is None
    assert chair().description == "BLE named EVOLUTION-*"


def test_a_model_without_ble_has_no_ble_chair(model: ChairModel) -> None:
    no_ble = model.model_copy(update={"match": model.match.model_copy(update={"ble": None})})
    chair = BleChair(no_ble)
    with pytest.raises(LinkError, match="no Bluetooth LE profile"):
        chair()
