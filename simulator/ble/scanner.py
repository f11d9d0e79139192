"""bleak's scanner backend over the simulated air: advertisements of simulated chairs.

A scan hears every advertising peripheral as soon as the event loop turns after it starts,
then again every advertising interval of that chair's clock, and hears peripherals added while
it runs. Devices go into :attr:`~bleak.backends.scanner.BaseBleakScanner.seen_devices` and to
the detection callbacks the way the BlueZ backend puts them there, so ``BleakScanner.discover``,
``find_device_by_filter`` and ``advertisement_data`` all work unchanged.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from bleak.backends.scanner import AdvertisementDataCallback, BaseBleakScanner
from bleak.exc import BleakError

from chairctl.clock import TimerHandle

if TYPE_CHECKING:
    from simulator.ble.air import SimulatedAir, SimulatedPeripheral


class SimulatedBleakScanner(BaseBleakScanner):
    """Scans a :class:`~simulator.ble.air.SimulatedAir`; take it from the air's ``backend``."""

    #: The air this class listens to; set on the subclass the air makes.
    air: ClassVar[SimulatedAir]

    def __init__(
        self,
        detection_callback: AdvertisementDataCallback | None,
        service_uuids: list[str] | None,
        scanning_mode: Literal["active", "passive"] = "active",
        **kwargs: Any,
    ) -> None:
        super().__init__(detection_callback, service_uuids)
        air = getattr(type(self), "air", None)
        if air is None:
            raise BleakError("use the scanner class of a SimulatedAir: SimulatedAir().backend")
        self._air: SimulatedAir = air
        self._scanning = False
        self._timers: dict[str, TimerHandle] = {}

    async def start(self) -> None:
        self.seen_devices = {}
        self._scanning = True
        self._air.scanner_started(self)

    async def stop(self) -> None:
        self.halt()

    def halt(self) -> None:
        """Stop listening at once (the air calls this when it shuts down)."""
        self._scanning = False
        for timer in self._timers.values():
            timer.cancel()
        self._timers.clear()
        self._air.scanner_stopped(self)

    def listen_to(self, peripheral: SimulatedPeripheral) -> None:
        """Hear ``peripheral`` from the next turn of the event loop on."""
        # Not at once: bleak registers some of its callbacks right after start() returns.
        asyncio.get_running_loop().call_soon(self._hear, peripheral)

    def _hear(self, peripheral: SimulatedPeripheral) -> None:
        if not self._scanning or peripheral not in self._air:
            return
        previous = self._timers.get(peripheral.address)
        if previous is not None:
            previous.cancel()
        self._timers[peripheral.address] = peripheral.chair.clock.call_later(
            self._air.advertising_interval, lambda: self._hear(peripheral)
        )
        if not peripheral.advertising:
            return
        advertisement = peripheral.advertisement()
        if not self.is_allowed_uuid(advertisement.service_uuids):
            return
        device = self.create_or_update_device(
            peripheral.address, peripheral.address, peripheral.name, peripheral, advertisement
        )
        self.call_detection_callbacks(device, advertisement)
