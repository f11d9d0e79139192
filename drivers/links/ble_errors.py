"""One-line reasons for what bleak raises, for :class:`~chairctl.vocabulary.LinkError` messages.

bleak reports failures as :class:`~bleak.exc.BleakError` and its subclasses, as
:class:`TimeoutError` from its own bounds, and as a plain :class:`OSError` when the system's
Bluetooth service cannot be reached at all (a Linux machine without BlueZ has no system D-Bus
socket, and bleak's first connect to it raises ``FileNotFoundError``). People need one line
saying what went wrong, not a class name and a tuple of arguments.
"""

from __future__ import annotations

import sys

from bleak.exc import (
    BleakBluetoothNotAvailableError,
    BleakCharacteristicNotFoundError,
    BleakDeviceNotFoundError,
    BleakError,
    BleakGATTProtocolError,
)

#: Everything a bleak call may raise for reasons outside our code.
BLE_ERRORS = (BleakError, OSError, TimeoutError)


def bluetooth_unavailable(error: BaseException) -> bool:
    """True when the error says Bluetooth cannot be used on this machine at all."""
    if isinstance(error, BleakBluetoothNotAvailableError):
        return True
    # An OSError that is not a timeout comes from reaching the Bluetooth service itself.
    return isinstance(error, OSError) and not isinstance(error, TimeoutError)


def ble_reason(error: BaseException) -> str:
    """What went wrong, in one line, without the exception's class name."""
    if isinstance(error, BleakBluetoothNotAvailableError):
        # args are (message, reason enum); str() would show the tuple.
        return f"Bluetooth is not available: {_line(str(error.args[0]))}"
    if isinstance(error, BleakDeviceNotFoundError):
        return f"no device {error.identifier} is known to the Bluetooth stack"
    if isinstance(error, BleakCharacteristicNotFoundError):
        return f"the device has no characteristic {error.char_specifier}"
    if isinstance(error, BleakGATTProtocolError):
        return f"the device refused: {_line(str(error.args[-1]))}"
    if isinstance(error, TimeoutError):
        return "no answer in time"
    if isinstance(error, OSError) and not isinstance(error, BleakError):
        detail = (error.strerror or str(error) or type(error).__name__).lower()
        if sys.platform == "linux":
            return (
                f"cannot reach BlueZ over the system D-Bus ({detail}): "
                "is there a Bluetooth adapter, and is bluetoothd running?"
            )
        return f"cannot reach the system's Bluetooth service ({detail})"
    return _line(str(error)) or type(error).__name__


def _line(text: str) -> str:
    lines = text.strip().splitlines()
    return lines[0].strip() if lines else ""
