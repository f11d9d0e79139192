"""What a chair could be reached through: BLE devices advertising nearby, and serial ports.

Finding out is the links' business (only this package talks to bleak and pyserial); deciding
which chair model a device is, is the caller's (``chairctl scan`` matches names against the
model registry). A scan that cannot use Bluetooth at all raises
:class:`~chairctl.vocabulary.LinkError` whose message says why in one line.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from serial.tools import list_ports

from chairctl.clock import Clock, RealClock
from chairctl.vocabulary import LinkError

if TYPE_CHECKING:
    from drivers.links.ble import BleBackend


@dataclass(frozen=True)
class BleAdvertiser:
    """One BLE device heard during a scan."""

    address: str
    name: str | None
    rssi: int


@dataclass(frozen=True)
class SerialPort:
    """One serial port of this machine."""

    device: str
    description: str
    hwid: str


async def scan_ble(
    duration: float, *, backend: BleBackend | None = None, clock: Clock | None = None
) -> list[BleAdvertiser]:
    """Listen for ``duration`` seconds of ``clock`` time; every device heard, by address."""
    # bleak loads only when a scan is asked for: it is a good part of every start-up otherwise.
    from bleak import BleakScanner  # noqa: PLC0415

    from drivers.links.ble_errors import BLE_ERRORS, ble_reason  # noqa: PLC0415

    clock = clock or RealClock()
    try:
        scanner = BleakScanner(backend=None if backend is None else backend.scanner)
        await scanner.start()
        try:
            await clock.sleep(duration)
        finally:
            await scanner.stop()
    except BLE_ERRORS as error:
        raise LinkError(ble_reason(error)) from error
    heard = [
        # The advertised local name is the chair's own; the device name may be a user alias.
        BleAdvertiser(device.address, advertisement.local_name or device.name, advertisement.rssi)
        for device, advertisement in scanner.discovered_devices_and_advertisement_data.values()
    ]
    return sorted(heard, key=lambda a: (a.name is None, a.name or "", a.address))


def serial_ports() -> list[SerialPort]:
    """The serial ports the OS lists (USB adapters, built-in UARTs), by device path."""
    ports = [
        SerialPort(port.device, port.description or "", port.hwid or "")
        for port in list_ports.comports()
    ]
    return sorted(ports, key=lambda p: p.device)
