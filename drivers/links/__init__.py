"""Links: bytes to and from a chair over a serial line, Bluetooth LE, or memory."""

from drivers.links.base import DataCallback, Link, LinkFactory, LostCallback
from drivers.links.ble import BleBackend, BleLink
from drivers.links.memory import Endpoint, EndpointOpener, MemoryLink
from drivers.links.serial import SerialLink

__all__ = [
    "BleBackend",
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
