"""The simulated chair as a bleak backend: BLE without Bluetooth hardware.

Put simulated chairs in a :class:`SimulatedAir` and hand its :attr:`~SimulatedAir.backend` to
bleak (or to a :class:`~drivers.links.ble.BleLink`): the real ``BleakScanner`` and
``BleakClient`` then scan, connect, discover services, subscribe and write as they would over
BlueZ, and reach the simulated chairs instead::

    with SimulatedAir() as air:
        chair = simulated_chair(model, clock, transport="ble")
        peripheral = air.add(chair, name="EVOLUTION-012345")
        link = BleLink.for_model(model, backend=air.backend, clock=clock)
"""

from simulator.ble.air import SimulatedAir, SimulatedPeripheral
from simulator.ble.client import SimulatedBleakClient
from simulator.ble.gatt import GattWrite
from simulator.ble.scanner import SimulatedBleakScanner

__all__ = [
    "GattWrite",
    "SimulatedAir",
    "SimulatedBleakClient",
    "SimulatedBleakScanner",
    "SimulatedPeripheral",
]
