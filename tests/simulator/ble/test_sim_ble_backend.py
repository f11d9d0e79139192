"""The simulated chair as a bleak backend, driven through bleak's own BleakScanner and BleakClient.

Everything runs on the fixture chair's VirtualClock: ``clock.advance(0)`` lets the event loop
deliver what is due now (advertisements are heard on the next loop turn), and advancing the
clock makes the chair send its status frames.
"""

from __future__ import annotations

import pytest
from bleak import BleakClient, BleakScanner
from bleak.backends.characteristic import BleakGATTCharacteristic
from bleak.backends.device import BLEDevice
from bleak.backends.scanner import AdvertisementData
from bleak.exc import (
    BleakCharacteristicNotFoundError,
    BleakDeviceNotFoundError,
    BleakError,
    BleakGATTProtocolError,
    BleakGATTProtocolErrorCode,
)

from chairctl.clock import VirtualClock
from drivers.models.common import BleProfile
from drivers.models.rongtai import RongtaiModel
from simulator.ble import GattWrite, SimulatedAir, SimulatedPeripheral
from simulator.errors import SimulatorError
from simulator.families import simulated_chair
from simulator.faults import LinkDrop
from simulator.rongtai.chair import RongtaiChair
from simulator.rongtai.frames import Layout, StatusImage, key_frame

POWER = bytes.fromhex("F0 83 01 7B F1")
#: A characteristic the RT8600S app subscribes to but our model does not name.
UNKNOWN_UUID = "e06d5efb-4f4a-45c0-9eb1-371ae5a14ad4"


def ble(model: RongtaiModel) -> BleProfile:
    """The model's BLE profile (the fixture model is reached over BLE)."""
    profile = model.match.ble
    assert profile is not None
    return profile


class Central:
    """A test's BleakClient with its disconnected callback and notifications recorded."""

    def __init__(self, air: SimulatedAir, target: str | BLEDevice) -> None:
        self.disconnects: list[BleakClient] = []
        self.notifications: list[tuple[BleakGATTCharacteristic, bytearray]] = []
        self.client = BleakClient(
            target, disconnected_callback=self.disconnects.append, backend=air.backend.client
        )

    def notified(self, characteristic: BleakGATTCharacteristic, data: bytearray) -> None:
        self.notifications.append((characteristic, data))

    async def subscribe(self, model: RongtaiModel) -> None:
        assert model.match.ble is not None
        await self.client.start_notify(model.match.ble.notify, self.notified)


async def connected(air: SimulatedAir, peripheral: SimulatedPeripheral) -> Central:
    central = Central(air, peripheral.address)
    await central.client.connect()
    return central


# -- scanning --------------------------------------------------------------------------------


async def test_a_scan_hears_the_chair_by_name(
    air: SimulatedAir, peripheral: SimulatedPeripheral
) -> None:
    device = await BleakScanner.find_device_by_name(peripheral.name, backend=air.backend.scanner)
    assert device is not None
    assert device.address == peripheral.address
    assert device.name == peripheral.name


async def test_advertisements_repeat_and_carry_name_service_and_signal(
    air: SimulatedAir, peripheral: SimulatedPeripheral, clock: VirtualClock, model: RongtaiModel
) -> None:
    heard: list[AdvertisementData] = []
    scanner = BleakScanner(lambda _, ad: heard.append(ad), backend=air.backend.scanner)
    async with scanner:
        await clock.advance(0)
        assert len(heard) == 1
        await clock.advance(2 * air.advertising_interval)
        assert len(heard) == 3
    await clock.advance(5 * air.advertising_interval)
    assert len(heard) == 3
    assert model.match.ble is not None
    assert heard[0].local_name == peripheral.name
    assert heard[0].service_uuids == [model.match.ble.service]
    assert heard[0].rssi == peripheral.rssi
    assert list(scanner.discovered_devices_and_advertisement_data) == [peripheral.address]


async def test_a_chair_added_during_a_scan_is_heard(
    air: SimulatedAir, model: RongtaiModel, clock: VirtualClock
) -> None:
    async with BleakScanner(backend=air.backend.scanner) as scanner:
        await clock.advance(0)
        assert scanner.discovered_devices == []
        late = air.add(simulated_chair(model, clock, transport="ble"))
        await clock.advance(0)
        assert [d.address for d in scanner.discovered_devices] == [late.address]


async def test_a_connected_chair_stops_advertising(
    air: SimulatedAir, peripheral: SimulatedPeripheral, clock: VirtualClock
) -> None:
    central = await connected(air, peripheral)
    async with BleakScanner(backend=air.backend.scanner) as scanner:
        await clock.advance(3 * air.advertising_interval)
        assert scanner.discovered_devices == []
        await central.client.disconnect()
        await clock.advance(air.advertising_interval)
        assert [d.name for d in scanner.discovered_devices] == [peripheral.name]


async def test_a_service_filter_hides_chairs_without_that_service(
    air: SimulatedAir, peripheral: SimulatedPeripheral, clock: VirtualClock
) -> None:
    async with BleakScanner(
        service_uuids=["0000180d-0000-1000-8000-00805f9b34fb"], backend=air.backend.scanner
    ) as scanner:
        await clock.advance(0)
        assert scanner.discovered_devices == []


# -- connecting and services -----------------------------------------------------------------


async def test_services_are_the_models_profile(
    air: SimulatedAir, peripheral: SimulatedPeripheral, model: RongtaiModel
) -> None:
    profile = model.match.ble
    assert profile is not None
    central = await connected(air, peripheral)
    services = central.client.services
    assert [s.uuid for s in services] == [profile.service]
    write = services.get_characteristic(profile.write)
    notify = services.get_characteristic(profile.notify)
    assert write is not None
    assert notify is not None
    assert write.properties == ["write-without-response"]
    assert notify.properties == ["notify"]
    assert write.max_write_without_response_size == 20
    assert [d.uuid for d in notify.descriptors] == ["00002902-0000-1000-8000-00805f9b34fb"]
    assert central.client.name == peripheral.name
    assert central.client.mtu_size == 23


async def test_a_ble_device_from_a_scan_connects(
    air: SimulatedAir, peripheral: SimulatedPeripheral
) -> None:
    device = await BleakScanner.find_device_by_address(
        peripheral.address.lower(), backend=air.backend.scanner
    )
    assert device is not None
    central = Central(air, device)
    await central.client.connect()
    assert central.client.is_connected
    assert peripheral.chair.connected


async def test_an_unknown_address_is_not_found(air: SimulatedAir) -> None:
    central = Central(air, "5A:00:00:00:00:99")
    with pytest.raises(BleakDeviceNotFoundError):
        await central.client.connect()


async def test_a_second_central_is_refused(
    air: SimulatedAir, peripheral: SimulatedPeripheral
) -> None:
    first = await connected(air, peripheral)
    second = Central(air, peripheral.address)
    with pytest.raises(BleakError, match="one at a time"):
        await second.client.connect()
    assert first.client.is_connected
    assert not second.client.is_connected


async def test_connecting_twice_on_one_client_is_refused(
    air: SimulatedAir, peripheral: SimulatedPeripheral
) -> None:
    central = await connected(air, peripheral)
    with pytest.raises(BleakError, match="already connected"):
        await central.client.connect()


# -- notifications ---------------------------------------------------------------------------


async def test_status_frames_arrive_as_bytearray_notifications(
    air: SimulatedAir, peripheral: SimulatedPeripheral, clock: VirtualClock, model: RongtaiModel
) -> None:
    central = await connected(air, peripheral)
    await clock.advance(1.0)
    assert central.notifications == []  # nothing before notifications are on
    await central.subscribe(model)
    await clock.advance(1.0)
    assert len(central.notifications) == 5
    for characteristic, data in central.notifications:
        assert type(data) is bytearray
        assert characteristic.uuid == ble(model).notify
        assert len(data) == Layout.BLE.length
        StatusImage.parse(bytes(data))
    notify = central.client.services.descriptors
    cccd = next(iter(notify.values()))
    assert await central.client.read_gatt_descriptor(cccd) == bytearray([1, 0])
    await central.client.stop_notify(ble(model).notify)
    await clock.advance(1.0)
    assert len(central.notifications) == 5


async def test_notifications_on_a_characteristic_that_does_not_notify_are_refused(
    air: SimulatedAir, peripheral: SimulatedPeripheral, model: RongtaiModel
) -> None:
    central = await connected(air, peripheral)
    with pytest.raises(BleakError, match="does not notify"):
        await central.client.start_notify(ble(model).write, central.notified)


# -- writes ----------------------------------------------------------------------------------


async def test_a_key_frame_written_without_response_presses_the_key(
    air: SimulatedAir, peripheral: SimulatedPeripheral, clock: VirtualClock, model: RongtaiModel
) -> None:
    profile = model.match.ble
    assert profile is not None
    chair = peripheral.chair
    assert isinstance(chair, RongtaiChair)
    central = await connected(air, peripheral)
    assert not chair.status_image().powered
    await central.client.write_gatt_char(profile.write, POWER, response=False)
    await clock.advance(0.5)
    assert chair.status_image().powered
    assert peripheral.writes == [GattWrite(profile.write, POWER, False)]


async def test_writes_without_the_characteristics_property_are_refused(
    air: SimulatedAir, peripheral: SimulatedPeripheral, model: RongtaiModel
) -> None:
    profile = model.match.ble
    assert profile is not None
    central = await connected(air, peripheral)
    with pytest.raises(BleakGATTProtocolError) as refused:
        await central.client.write_gatt_char(profile.write, POWER, response=True)
    assert refused.value.code == BleakGATTProtocolErrorCode.WRITE_NOT_PERMITTED
    with pytest.raises(BleakGATTProtocolError) as refused:
        await central.client.write_gatt_char(profile.notify, POWER, response=False)
    assert refused.value.code == BleakGATTProtocolErrorCode.WRITE_NOT_PERMITTED
    with pytest.raises(BleakGATTProtocolError) as refused:
        await central.client.read_gatt_char(profile.notify)
    assert refused.value.code == BleakGATTProtocolErrorCode.READ_NOT_PERMITTED
    assert peripheral.writes == []


async def test_a_write_longer_than_the_mtu_allows_is_refused(
    air: SimulatedAir, peripheral: SimulatedPeripheral, model: RongtaiModel
) -> None:
    central = await connected(air, peripheral)
    with pytest.raises(BleakGATTProtocolError) as refused:
        await central.client.write_gatt_char(ble(model).write, POWER * 5, response=False)
    assert refused.value.code == BleakGATTProtocolErrorCode.INVALID_ATTRIBUTE_VALUE_LENGTH
    await central.client.write_gatt_char(ble(model).write, POWER * 4, response=False)
    assert len(peripheral.writes) == 1


async def test_unknown_uuids_are_refused(
    air: SimulatedAir, peripheral: SimulatedPeripheral
) -> None:
    central = await connected(air, peripheral)
    with pytest.raises(BleakCharacteristicNotFoundError):
        await central.client.write_gatt_char(UNKNOWN_UUID, POWER, response=False)
    with pytest.raises(BleakCharacteristicNotFoundError):
        await central.client.start_notify(UNKNOWN_UUID, central.notified)
    assert peripheral.writes == []


# -- disconnecting ---------------------------------------------------------------------------


async def test_our_own_disconnect_fires_the_callback_once_and_clears_services(
    air: SimulatedAir, peripheral: SimulatedPeripheral
) -> None:
    central = await connected(air, peripheral)
    await central.client.disconnect()
    assert central.disconnects == [central.client]
    assert not central.client.is_connected
    assert not peripheral.chair.connected
    with pytest.raises(BleakError, match="Service Discovery has not been performed"):
        _ = central.client.services
    await central.client.disconnect()  # already disconnected: nothing happens
    assert central.disconnects == [central.client]


async def test_a_chair_side_link_drop_fires_the_callback_and_stops_writes(
    air: SimulatedAir, peripheral: SimulatedPeripheral, model: RongtaiModel
) -> None:
    central = await connected(air, peripheral)
    write = central.client.services.get_characteristic(ble(model).write)
    assert write is not None
    peripheral.chair.inject(LinkDrop())
    assert central.disconnects == [central.client]
    assert not central.client.is_connected
    # Services are gone with the link, so even the characteristic object is turned away.
    with pytest.raises(BleakError, match="Service Discovery has not been performed"):
        await central.client.write_gatt_char(write, POWER, response=False)


async def test_a_characteristic_of_an_earlier_connection_is_refused(
    air: SimulatedAir, peripheral: SimulatedPeripheral, model: RongtaiModel
) -> None:
    central = await connected(air, peripheral)
    old = central.client.services.get_characteristic(ble(model).write)
    assert old is not None
    await central.client.disconnect()
    await central.client.connect()
    with pytest.raises(BleakError, match="not on this connection"):
        await central.client.write_gatt_char(old, POWER, response=False)
    assert central.disconnects == [central.client]


async def test_a_chair_leaving_the_air_drops_its_connection(
    air: SimulatedAir, peripheral: SimulatedPeripheral
) -> None:
    central = await connected(air, peripheral)
    air.remove(peripheral)
    assert central.disconnects == [central.client]
    assert air.find(peripheral.address) is None
    with pytest.raises(BleakDeviceNotFoundError):
        await central.client.connect()


async def test_closing_the_air_drops_every_connection_and_scan(
    peripheral: SimulatedPeripheral, air: SimulatedAir, clock: VirtualClock
) -> None:
    central = await connected(air, peripheral)
    heard: list[BLEDevice] = []
    scanner = BleakScanner(lambda d, _: heard.append(d), backend=air.backend.scanner)
    await scanner.start()
    air.close()
    await clock.advance(5 * air.advertising_interval)
    assert central.disconnects == [central.client]
    assert heard == []
    assert air.peripherals == []


# -- the air ---------------------------------------------------------------------------------


def test_default_names_and_addresses_fit_the_model(
    air: SimulatedAir, model: RongtaiModel, clock: VirtualClock
) -> None:
    first = air.add(simulated_chair(model, clock, transport="ble"))
    second = air.add(simulated_chair(model, clock, transport="ble"))
    assert model.match.matches_name(first.name)
    assert first.address != second.address
    assert air.find(first.address.lower()) is first


def test_the_air_refuses_what_no_ble_chair_could_be(
    air: SimulatedAir, model: RongtaiModel, clock: VirtualClock, peripheral: SimulatedPeripheral
) -> None:
    with pytest.raises(SimulatorError, match="transport='ble'"):
        air.add(simulated_chair(model, clock, transport="wired"))
    with pytest.raises(SimulatorError, match="already has address"):
        air.add(simulated_chair(model, clock, transport="ble"), address=peripheral.address)
    with pytest.raises(SimulatorError, match="MTU"):
        air.add(simulated_chair(model, clock, transport="ble"), mtu=20)


def test_the_plain_backend_classes_need_an_air() -> None:
    from simulator.ble import SimulatedBleakClient

    with pytest.raises(BleakError, match="SimulatedAir"):
        BleakClient("5A:00:00:00:00:01", backend=SimulatedBleakClient)


async def test_key_frames_reach_the_chair_in_any_chunking(
    air: SimulatedAir, peripheral: SimulatedPeripheral, clock: VirtualClock, model: RongtaiModel
) -> None:
    profile = model.match.ble
    assert profile is not None
    chair = peripheral.chair
    assert isinstance(chair, RongtaiChair)
    central = await connected(air, peripheral)
    frame = key_frame(0x83, model.keys.power)
    for piece in (frame[:2], frame[2:]):
        await central.client.write_gatt_char(profile.write, piece, response=False)
    await clock.advance(0.5)
    assert chair.status_image().powered
