"""bleak's client backend over the simulated air: a GATT connection to a simulated chair.

Behaves as bleak's BlueZ backend does where a controller can tell the difference:

- connecting attaches to the chair (:meth:`SimulatedChair.connect`), which takes one controller
  at a time, so a second central is refused; an address nobody has is
  :class:`~bleak.exc.BleakDeviceNotFoundError` at once (the simulated adapter knows every
  peripheral in the air, as BlueZ knows devices it has seen);
- services are discovered on connect and dropped on disconnect;
- the disconnected callback fires on every loss of the link, our own :meth:`disconnect`
  included, exactly once per connection, after the services are gone;
- a write needs the characteristic's matching property (``write`` for ``response=True``,
  ``write-without-response`` otherwise) and must fit: at most MTU − 3 bytes without response,
  512 with; anything else is refused with a GATT protocol error;
- status frames reach the handler given to ``start_notify`` as ``bytearray`` notifications of
  at most MTU − 3 bytes each, and only while notifications are on.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from bleak.args import SizedBuffer
from bleak.backends.characteristic import BleakGATTCharacteristic
from bleak.backends.client import BaseBleakClient, NotifyCallback
from bleak.backends.descriptor import BleakGATTDescriptor
from bleak.backends.device import BLEDevice
from bleak.exc import (
    BleakDeviceNotFoundError,
    BleakError,
    BleakGATTProtocolError,
    BleakGATTProtocolErrorCode,
)
from bleak.uuids import normalize_uuid_str

from chairctl.vocabulary import LinkError
from simulator.ble.gatt import CCCD_UUID, DEFAULT_MTU, GattWrite, build_services
from simulator.link import Connection

if TYPE_CHECKING:
    from simulator.ble.air import SimulatedAir, SimulatedPeripheral

_logger = logging.getLogger(__name__)

#: The longest attribute value ATT allows in one write with response.
MAX_ATTRIBUTE_VALUE = 512


class SimulatedBleakClient(BaseBleakClient):
    """A central's connection to one peripheral of a :class:`~simulator.ble.air.SimulatedAir`;
    take the class from the air's ``backend``."""

    #: The air this class connects in; set on the subclass the air makes.
    air: ClassVar[SimulatedAir]

    def __init__(
        self,
        address_or_ble_device: BLEDevice | str,
        services: set[str] | None = None,
        *,
        disconnected_callback: Callable[[], None] | None,
        timeout: float,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            address_or_ble_device, disconnected_callback=disconnected_callback, timeout=timeout
        )
        air = getattr(type(self), "air", None)
        if air is None:
            raise BleakError("use the client class of a SimulatedAir: SimulatedAir().backend")
        self._air: SimulatedAir = air
        self._requested = services
        #: The peripheral of the connection, None while not connected.
        self.peripheral: SimulatedPeripheral | None = None
        self._connection: Connection | None = None
        self._status_handle: int | None = None
        self._notify: dict[int, NotifyCallback] = {}

    # -- connection -------------------------------------------------------------------------

    @property
    def name(self) -> str:
        peripheral = self.peripheral or self._air.find(self.address)
        return peripheral.name if peripheral is not None else self.address.replace(":", "-")

    @property
    def mtu_size(self) -> int:
        peripheral = self.peripheral or self._air.find(self.address)
        return peripheral.mtu if peripheral is not None else DEFAULT_MTU

    @property
    def is_connected(self) -> bool:
        return self._connection is not None

    async def connect(self, pair: bool, **kwargs: Any) -> None:
        if self.is_connected:
            raise BleakError("Client is already connected")
        peripheral = self._air.find(self.address)
        if peripheral is None:
            raise BleakDeviceNotFoundError(
                self.address, f"Device with address {self.address} was not found."
            )
        try:
            connection = peripheral.chair.connect(on_data=self._from_chair, on_close=self._lost)
        except LinkError as error:
            raise BleakError(f"{self.address} refused the connection: {error}") from None
        self.peripheral = peripheral
        self._connection = connection
        self.services = build_services(peripheral.profile, peripheral.mtu, self._requested)
        status = self.services.get_characteristic(peripheral.profile.notify)
        self._status_handle = None if status is None else status.handle
        self._air.client_connected(self)

    async def disconnect(self) -> None:
        connection = self._connection
        if connection is None:
            return
        # Hanging up comes back through _lost, which tears down and calls back, as BlueZ's
        # "Connected" property change does after its Disconnect call.
        connection.close()

    def drop(self, reason: str) -> None:
        """The link breaks from the air's side (the chair left, the air shut down)."""
        if self._connection is not None:
            self._connection.sever(reason)

    def _lost(self, reason: str) -> None:
        _logger.debug("simulated BLE link to %s closed: %s", self.address, reason)
        self._connection = None
        self.peripheral = None
        self._notify.clear()
        self.services = None
        self._air.client_disconnected(self)
        if self._disconnected_callback is not None:
            self._disconnected_callback()

    async def pair(self, *args: Any, **kwargs: Any) -> None:
        # The chairs' modules use no pairing; a backend that cannot pair ignores the request.
        _logger.debug("pairing with a simulated chair is not needed; ignored")

    async def unpair(self) -> None:
        await self.disconnect()

    # -- GATT -------------------------------------------------------------------------------

    def _attached(self, characteristic: BleakGATTCharacteristic) -> SimulatedPeripheral:
        """The peripheral, once it is sure ``characteristic`` is one of this connection's."""
        peripheral, services = self.peripheral, self.services
        if peripheral is None or services is None:
            raise BleakError("Not connected")
        if services.characteristics.get(characteristic.handle) is not characteristic:
            # A characteristic object from an earlier connection, or from another device.
            raise BleakError(f"characteristic {characteristic.uuid} is not on this connection")
        return peripheral

    async def read_gatt_char(
        self, characteristic: BleakGATTCharacteristic, *, use_cached: bool = False, **kwargs: Any
    ) -> bytearray:
        self._attached(characteristic)
        raise BleakGATTProtocolError(BleakGATTProtocolErrorCode.READ_NOT_PERMITTED)

    async def write_gatt_char(
        self, characteristic: BleakGATTCharacteristic, data: SizedBuffer, response: bool
    ) -> None:
        peripheral = self._attached(characteristic)
        needed = "write" if response else "write-without-response"
        if needed not in characteristic.properties:
            raise BleakGATTProtocolError(BleakGATTProtocolErrorCode.WRITE_NOT_PERMITTED)
        value = bytes(data)
        limit = MAX_ATTRIBUTE_VALUE if response else peripheral.mtu - 3
        if len(value) > limit:
            raise BleakGATTProtocolError(BleakGATTProtocolErrorCode.INVALID_ATTRIBUTE_VALUE_LENGTH)
        peripheral.writes.append(GattWrite(characteristic.uuid, value, response))
        if characteristic.uuid == normalize_uuid_str(peripheral.profile.write):
            connection = self._connection
            if connection is None:
                raise BleakError("Not connected")
            connection.write(value)

    async def read_gatt_descriptor(
        self, descriptor: BleakGATTDescriptor, *, use_cached: bool = False, **kwargs: Any
    ) -> bytearray:
        if self.services is None or self.services.get_descriptor(descriptor.handle) is None:
            raise BleakError("Not connected")
        if descriptor.uuid == CCCD_UUID:
            on = descriptor.characteristic_handle in self._notify
            return bytearray([1 if on else 0, 0])
        raise BleakGATTProtocolError(BleakGATTProtocolErrorCode.READ_NOT_PERMITTED)

    async def write_gatt_descriptor(
        self, descriptor: BleakGATTDescriptor, data: SizedBuffer
    ) -> None:
        if self.services is None or self.services.get_descriptor(descriptor.handle) is None:
            raise BleakError("Not connected")
        # As under BlueZ, the stack owns the CCCD: notifications go on with start_notify.
        raise BleakGATTProtocolError(BleakGATTProtocolErrorCode.WRITE_NOT_PERMITTED)

    async def start_notify(
        self, characteristic: BleakGATTCharacteristic, callback: NotifyCallback, **kwargs: Any
    ) -> None:
        self._attached(characteristic)
        if "notify" not in characteristic.properties:
            raise BleakError(f"characteristic {characteristic.uuid} does not notify")
        self._notify[characteristic.handle] = callback

    async def stop_notify(self, characteristic: BleakGATTCharacteristic) -> None:
        self._attached(characteristic)
        self._notify.pop(characteristic.handle, None)

    def _from_chair(self, frame: bytes) -> None:
        peripheral, handle = self.peripheral, self._status_handle
        callback = None if handle is None else self._notify.get(handle)
        if peripheral is None or callback is None:
            # Notifications off: the module sends nothing, and the frame is gone.
            return
        size = peripheral.mtu - 3
        for start in range(0, len(frame), size):
            callback(bytearray(frame[start : start + size]))
