"""Links: bytes to and from a chair over a serial line, Bluetooth LE, or memory.

The BLE link is imported when first asked for: bleak takes a good part of a second to import,
and only a Bluetooth chair needs it (``chairctl --help`` and a simulated chair do not).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from drivers.links.base import DataCallback, Link, LinkFactory, LostCallback
from drivers.links.memory import Endpoint, EndpointOpener, MemoryLink
from drivers.links.serial import SerialLink

if TYPE_CHECKING:
    from drivers.links.ble import BleBackend, BleLink
    from drivers.links.ble_chair import BleChair

__all__ = [
    "BleBackend",
    "BleChair",
    "BleLink",
    "DataCallback",
    "Endpoint",
    "EndpointOpener",
    "Link",
    "LinkFactory",
    "LostCallback",
    "MemoryLink",
    "SerialLink",
]


def __getattr__(name: str) -> Any:
    if name in ("BleBackend", "BleLink"):
        from drivers.links import ble  # noqa: PLC0415 - imported on first use, see above

        return getattr(ble, name)
    if name == "BleChair":
        from drivers.links import ble_chair  # noqa: PLC0415 - imported on first use, see above

        return ble_chair.BleChair
    raise AttributeError(f"module 'drivers.links' has no attribute {name!r}")
