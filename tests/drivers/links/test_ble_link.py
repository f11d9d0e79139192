"""BleLink over the simulated chair's bleak backend: the real BleakClient and BleakScanner, no
radio. Everything runs on the chair's VirtualClock; waits that must run out (a scan that finds
nothing) run under ``clock.run``, which jumps virtual time to the deadline."""

from __future__ import annotations

import pytest

from chairctl.clock import VirtualClock
from chairctl.vocabulary import ChairStatus, LinkError
from drivers.links import BleLink, Link, LinkFactory
from drivers.links.ble_find import BlePeer
from drivers.models.rongtai import RongtaiModel
from drivers.models.schema import BleProfile
from drivers.protocols.rongtai.stream import StatusDecoder
from simulator.ble import GattWrite, SimulatedAir, SimulatedPeripheral
from simulator.families import simulated_chair
from simulator.faults import LinkDrop
from simulator.rongtai.chair import RongtaiChair

POWER = bytes.fromhex("F0 83 01 7B F1")


class Controller:
    """What the link hands up: decoded statuses and every on_lost reason."""

    def __init__(self, model: RongtaiModel) -> None:
        self.decoder = StatusDecoder(model)
        self.statuses: list[ChairStatus] = []
        self.chunks: list[bytes] = []
        self.lost: list[str] = []

    def on_data(self, data: bytes) -> None:
        assert type(data) is bytes
        self.chunks.append(data)
        self.statuses.extend(self.decoder.feed(data))

    async def open(self, link: Link) -> None:
        await link.open(self.on_data, self.lost.append)


def profile_of(model: RongtaiModel, **changes: object) -> BleProfile:
    assert model.match.ble is not None
    return model.match.ble.model_copy(update=changes)


def with_profile(model: RongtaiModel, **changes: object) -> RongtaiModel:
    """The model with its BLE profile changed (the model is frozen, so a copy)."""
    match = model.match.model_copy(update={"ble": profile_of(model, **changes)})
    return model.model_copy(update={"match": match})


# -- connecting ------------------------------------------------------------------------------


async def test_by_address_notifications_arrive_and_keys_reach_the_chair(
    model: RongtaiModel, air: SimulatedAir, peripheral: SimulatedPeripheral, clock: VirtualClock
) -> None:
    link = BleLink.for_model(model, address=peripheral.address, backend=air.backend, clock=clock)
    ctl = Controller(model)
    await ctl.open(link)
    assert link.is_open
    assert link.description == f"BLE {peripheral.address}"
    await clock.advance(1.0)
    assert len(ctl.statuses) == 5
    assert not ctl.statuses[-1].running
    await link.write(POWER)
    await clock.advance(0.5)
    assert ctl.statuses[-1].running
    assert peripheral.writes == [GattWrite(profile_of(model).write, POWER, False)]
    await link.close()


async def test_by_the_models_name_patterns(
    model: RongtaiModel, air: SimulatedAir, peripheral: SimulatedPeripheral, clock: VirtualClock
) -> None:
    link = BleLink.for_model(model, backend=air.backend, clock=clock)
    assert link.description == "BLE named RT8600S or EVOLUTION-*"
    assert link.peer is None
    await clock.run(Controller(model).open(link))
    assert link.description == f"BLE {peripheral.address} ({peripheral.name})"
    assert link.peer == BlePeer(peripheral.address, peripheral.name)
    assert peripheral.chair.connected
    await link.close()


async def test_by_a_pattern_of_our_own_among_several_chairs(
    model: RongtaiModel, air: SimulatedAir, peripheral: SimulatedPeripheral, clock: VirtualClock
) -> None:
    other = air.add(simulated_chair(model, clock, transport="ble"), name="RT8600S")
    link = BleLink.for_model(model, names=["RT86??S"], backend=air.backend, clock=clock)
    await clock.run(Controller(model).open(link))
    assert other.chair.connected
    assert not peripheral.chair.connected
    await link.close()


async def test_a_device_not_found_by_name_is_a_link_error_at_the_scan_timeout(
    model: RongtaiModel, air: SimulatedAir, peripheral: SimulatedPeripheral, clock: VirtualClock
) -> None:
    link = BleLink(profile_of(model), names=["MASSAGE-*"], backend=air.backend, clock=clock)
    ctl = Controller(model)
    with pytest.raises(LinkError, match=r"no BLE device named MASSAGE-\* found within 10 s"):
        await clock.run(ctl.open(link))
    assert clock.now() == pytest.approx(10.0)
    assert not link.is_open


async def test_an_unknown_address_is_a_link_error(
    model: RongtaiModel, air: SimulatedAir, clock: VirtualClock
) -> None:
    link = BleLink.for_model(model, address="5A:00:00:00:00:99", backend=air.backend, clock=clock)
    with pytest.raises(LinkError, match="cannot connect to BLE 5A:00:00:00:00:99: no device"):
        await Controller(model).open(link)


async def test_a_second_central_is_refused(
    model: RongtaiModel, air: SimulatedAir, peripheral: SimulatedPeripheral, clock: VirtualClock
) -> None:
    first = Controller(model)
    first_link = BleLink.for_model(
        model, address=peripheral.address, backend=air.backend, clock=clock
    )
    await first.open(first_link)
    by_address = BleLink.for_model(
        model, address=peripheral.address, backend=air.backend, clock=clock
    )
    with pytest.raises(LinkError, match=r"refused the connection.*one at a time"):
        await Controller(model).open(by_address)
    # The chair stopped advertising when the first central took it: a scan does not see it.
    by_name = BleLink.for_model(model, backend=air.backend, clock=clock)
    with pytest.raises(LinkError, match="no BLE device named"):
        await clock.run(Controller(model).open(by_name))
    assert first_link.is_open
    assert first.lost == []


async def test_a_chair_without_the_models_characteristics_is_refused(
    model: RongtaiModel, air: SimulatedAir, peripheral: SimulatedPeripheral, clock: VirtualClock
) -> None:
    unknown = "e06d5efb-4f4a-45c0-9eb1-371ae5a14ad4"
    wrong_write = BleLink(
        profile_of(model, write=unknown),
        address=peripheral.address,
        backend=air.backend,
        clock=clock,
    )
    with pytest.raises(LinkError, match=f"no command characteristic {unknown}"):
        await Controller(model).open(wrong_write)
    wrong_notify = BleLink(
        profile_of(model, notify=unknown),
        address=peripheral.address,
        backend=air.backend,
        clock=clock,
    )
    ctl = Controller(model)
    with pytest.raises(LinkError, match=f"the device has no characteristic {unknown}"):
        await ctl.open(wrong_notify)
    # Connected, then abandoned: the chair is free again and the abandoned client's
    # disconnected callback (which bleak fires for our own disconnect too) was no news.
    assert not peripheral.chair.connected
    assert ctl.lost == []


async def test_a_link_opens_once(
    model: RongtaiModel, air: SimulatedAir, peripheral: SimulatedPeripheral, clock: VirtualClock
) -> None:
    link = BleLink.for_model(model, address=peripheral.address, backend=air.backend, clock=clock)
    await Controller(model).open(link)
    await link.close()
    with pytest.raises(LinkError, match="opened once"):
        await Controller(model).open(link)


def test_for_model_needs_an_address_or_patterns(model: RongtaiModel) -> None:
    no_ble = model.model_copy(update={"match": model.match.model_copy(update={"ble": None})})
    with pytest.raises(LinkError, match="no Bluetooth LE profile"):
        BleLink.for_model(no_ble)
    with pytest.raises(ValueError, match="not both"):
        BleLink(profile_of(model), address="5A:00:00:00:00:01", names=["X*"])
    with pytest.raises(ValueError, match="not neither"):
        BleLink(profile_of(model))


# -- writing ---------------------------------------------------------------------------------


async def test_writes_are_split_into_20_byte_chunks_without_response(
    model: RongtaiModel, air: SimulatedAir, peripheral: SimulatedPeripheral, clock: VirtualClock
) -> None:
    link = BleLink.for_model(model, address=peripheral.address, backend=air.backend, clock=clock)
    await Controller(model).open(link)
    assert link.max_write == 20
    data = POWER * 9
    await link.write(data)
    assert [len(w.data) for w in peripheral.writes] == [20, 20, 5]
    assert {w.response for w in peripheral.writes} == {False}
    assert b"".join(w.data for w in peripheral.writes) == data


async def test_writes_use_the_models_write_type_and_size(
    model: RongtaiModel, air: SimulatedAir, clock: VirtualClock
) -> None:
    with_response = with_profile(model, write_with_response=True, max_write=8)
    chair = simulated_chair(with_response, clock, transport="ble")
    assert isinstance(chair, RongtaiChair)
    peripheral = air.add(chair)
    link = BleLink.for_model(
        with_response, address=peripheral.address, backend=air.backend, clock=clock
    )
    await Controller(model).open(link)
    await link.write(POWER * 2)
    assert [(len(w.data), w.response) for w in peripheral.writes] == [(8, True), (2, True)]
    await clock.advance(0.5)
    assert chair.status_image().powered
    await link.close()
    chair.close()


async def test_the_connection_caps_what_the_model_asks(
    model: RongtaiModel, air: SimulatedAir, clock: VirtualClock
) -> None:
    roomy = with_profile(model, max_write=100)
    chair = simulated_chair(roomy, clock, transport="ble")
    peripheral = air.add(chair, mtu=33)
    link = BleLink.for_model(roomy, address=peripheral.address, backend=air.backend, clock=clock)
    await Controller(model).open(link)
    assert link.max_write == 30
    await link.close()
    chair.close()


async def test_writing_to_a_closed_link_is_a_link_error(
    model: RongtaiModel, air: SimulatedAir, peripheral: SimulatedPeripheral, clock: VirtualClock
) -> None:
    link = BleLink.for_model(model, address=peripheral.address, backend=air.backend, clock=clock)
    with pytest.raises(LinkError, match="not open"):
        await link.write(POWER)
    await Controller(model).open(link)
    await link.close()
    with pytest.raises(LinkError, match="not open"):
        await link.write(POWER)


# -- losing the link -------------------------------------------------------------------------


async def test_our_close_is_not_a_loss_and_is_idempotent(
    model: RongtaiModel, air: SimulatedAir, peripheral: SimulatedPeripheral, clock: VirtualClock
) -> None:
    link = BleLink.for_model(model, address=peripheral.address, backend=air.backend, clock=clock)
    ctl = Controller(model)
    await ctl.open(link)
    await link.close()
    await link.close()
    assert not link.is_open
    assert not peripheral.chair.connected
    assert ctl.lost == []
    await clock.advance(1.0)
    assert ctl.chunks == []


async def test_a_chair_side_drop_is_lost_once(
    model: RongtaiModel, air: SimulatedAir, peripheral: SimulatedPeripheral, clock: VirtualClock
) -> None:
    link = BleLink.for_model(model, address=peripheral.address, backend=air.backend, clock=clock)
    ctl = Controller(model)
    await ctl.open(link)
    await clock.advance(0.4)
    peripheral.chair.inject(LinkDrop())
    assert ctl.lost == [f"BLE {peripheral.address} dropped the connection"]
    assert not link.is_open
    with pytest.raises(LinkError, match="not open"):
        await link.write(POWER)
    await link.close()
    air.remove(peripheral)
    assert len(ctl.lost) == 1


async def test_reconnecting_makes_a_new_link_and_the_old_one_stays_quiet(
    model: RongtaiModel, air: SimulatedAir, peripheral: SimulatedPeripheral, clock: VirtualClock
) -> None:
    factory: LinkFactory = lambda: BleLink.for_model(model, backend=air.backend, clock=clock)  # noqa: E731
    old, new = Controller(model), Controller(model)
    old_link = factory()
    await clock.run(old.open(old_link))
    peripheral.chair.inject(LinkDrop())
    new_link = factory()
    assert new_link is not old_link
    await clock.run(new.open(new_link))
    await old_link.close()
    await clock.advance(1.0)
    peripheral.chair.inject(LinkDrop())
    assert len(old.lost) == 1
    assert len(new.lost) == 1
    assert len(new.statuses) == 5
    assert old.chunks == []


async def test_the_air_shutting_down_is_a_loss(
    model: RongtaiModel, air: SimulatedAir, peripheral: SimulatedPeripheral, clock: VirtualClock
) -> None:
    link = BleLink.for_model(model, address=peripheral.address, backend=air.backend, clock=clock)
    ctl = Controller(model)
    await ctl.open(link)
    air.close()
    assert len(ctl.lost) == 1
    await link.close()
    assert len(ctl.lost) == 1
