"""The GATT table a simulated chair's BLE module shows a central: the model's service, its
command (write) and status (notify) characteristics, and the notify characteristic's CCCD.

Built as bleak's own :class:`~bleak.backends.service.BleakGATTServiceCollection` objects, the
way bleak's BlueZ backend builds them after service discovery, so that bleak's UUID resolution
(and its refusal of UUIDs the device does not have) runs unchanged over the simulator. A fresh
table is built for every connection, because a backend drops its services on disconnect.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from bleak.assigned_numbers import CharacteristicPropertyName
from bleak.backends.characteristic import BleakGATTCharacteristic
from bleak.backends.descriptor import BleakGATTDescriptor
from bleak.backends.service import BleakGATTService, BleakGATTServiceCollection
from bleak.uuids import normalize_uuid_16, normalize_uuid_str

from drivers.models.schema import BleProfile

#: The ATT minimum: what a connection carries before any MTU exchange (20 bytes of payload).
DEFAULT_MTU: Final = 23
#: Client Characteristic Configuration: where a central switches notifications on.
CCCD_UUID: Final = normalize_uuid_16(0x2902)
#: Handles below this belong to the module's own GAP and GATT services, which a BLE stack
#: keeps to itself (BlueZ does not export them), so the table starts above them.
FIRST_HANDLE: Final = 0x000C


@dataclass(frozen=True)
class GattWrite:
    """One write a central made to a simulated peripheral, as it arrived over the air."""

    uuid: str
    data: bytes
    response: bool


def write_properties(profile: BleProfile) -> list[CharacteristicPropertyName]:
    """The command characteristic takes exactly the write type the model file names."""
    return ["write"] if profile.write_with_response else ["write-without-response"]


def build_services(
    profile: BleProfile, mtu: int, requested: set[str] | None = None
) -> BleakGATTServiceCollection:
    """The table for one connection; only services in ``requested`` when it is given."""
    services = BleakGATTServiceCollection()
    if requested is not None and normalize_uuid_str(profile.service) not in requested:
        return services
    # Each attribute takes one handle, as on the wire: the service declaration, then per
    # characteristic its declaration, its value and (when it notifies) its CCCD.
    service = BleakGATTService(None, FIRST_HANDLE, normalize_uuid_str(profile.service))
    services.add_service(service)
    handle = FIRST_HANDLE + 1
    for uuid, properties in _characteristics(profile):
        characteristic = BleakGATTCharacteristic(
            None, handle, uuid, properties, lambda: mtu - 3, service
        )
        services.add_characteristic(characteristic)
        handle += 2
        if "notify" in properties:
            services.add_descriptor(BleakGATTDescriptor(None, handle, CCCD_UUID, characteristic))
            handle += 1
    return services


def _characteristics(
    profile: BleProfile,
) -> list[tuple[str, list[CharacteristicPropertyName]]]:
    write, notify = normalize_uuid_str(profile.write), normalize_uuid_str(profile.notify)
    if write == notify:
        # Some modules carry both directions on one characteristic.
        return [(write, [*write_properties(profile), "notify"])]
    return [(write, write_properties(profile)), (notify, ["notify"])]
