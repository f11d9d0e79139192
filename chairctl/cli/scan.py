"""``chairctl scan``: the chairs within reach, over Bluetooth LE and on serial ports.

BLE devices are listed when their advertised name matches a known model's name patterns.
Serial ports are all listed, each with the models that have a wired controller line: a serial
port cannot say which chair is behind it. ``--sim`` scans a simulated air holding one
simulated RT8600S instead of the radio, in virtual time, so it needs no hardware and returns
at once.

Exit status: 0 when the scan ran, also when Bluetooth could not be used (no adapter, BlueZ not
running): that is said in one line on stderr, and as ``ble.error`` in the JSON, and the serial
ports are still listed, because a wired chair is still worth finding. 1 when neither Bluetooth
nor the serial ports could be scanned.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from chairctl.cli.models import serial_text
from chairctl.services.discovery import scan_simulated_air
from chairctl.vocabulary import LinkError
from drivers.links.discovery import BleAdvertiser, SerialPort, scan_ble, serial_ports
from drivers.models import ChairModel, registry


@dataclass(frozen=True)
class _Found:
    ble: list[tuple[BleAdvertiser, list[ChairModel]]]
    ble_error: str | None
    serial: list[tuple[SerialPort, list[ChairModel]]]
    serial_error: str | None


@click.command()
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=5.0,
    show_default=True,
    help="Seconds to listen for BLE advertisements.",
)
@click.option(
    "--sim", is_flag=True, help="Scan a simulated air with one simulated RT8600S, not the radio."
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON for machines.")
def scan(timeout: float, sim: bool, as_json: bool) -> None:
    """Find chairs: BLE devices named like a known model, and serial ports.

    Exits 0 even when Bluetooth is unavailable (said on stderr; serial ports still listed).
    """
    found = _scan(timeout, sim)
    if found.ble_error is not None and found.serial_error is not None:
        raise LinkError(
            f"nothing could be scanned: Bluetooth LE: {found.ble_error}; "
            f"serial ports: {found.serial_error}"
        )
    for what, error in (("Bluetooth LE", found.ble_error), ("serial ports", found.serial_error)):
        if error is not None:
            click.echo(f"chairctl scan: {what} not scanned: {error}", err=True)
    if as_json:
        click.echo(json.dumps(_as_json(found, timeout, sim), indent=2))
    else:
        _print(found, timeout, sim)


def _scan(timeout: float, sim: bool) -> _Found:
    models = list(registry())
    ble: list[tuple[BleAdvertiser, list[ChairModel]]] = []
    ble_error = None
    try:
        heard = asyncio.run(scan_simulated_air(timeout) if sim else scan_ble(timeout))
    except LinkError as error:
        ble_error = str(error)
    else:
        for device in heard:
            matching = [m for m in models if m.match.matches_name(device.name)]
            if matching:
                ble.append((device, matching))
    wired = [m for m in models if m.match.serial is not None]
    serial: list[tuple[SerialPort, list[ChairModel]]] = []
    serial_error = None
    try:
        serial = [(port, wired) for port in serial_ports()]
    except OSError as error:
        serial_error = error.strerror or str(error)
    return _Found(ble, ble_error, serial, serial_error)


def _as_json(found: _Found, timeout: float, sim: bool) -> dict[str, Any]:
    return {
        "ble": {
            "simulated": sim,
            "seconds": timeout,
            "error": found.ble_error,
            "chairs": [
                {
                    "address": device.address,
                    "name": device.name,
                    "rssi": device.rssi,
                    "models": [m.id for m in matching],
                }
                for device, matching in found.ble
            ],
        },
        "serial": {
            "error": found.serial_error,
            "ports": [
                {
                    "device": port.device,
                    "description": port.description,
                    "hwid": port.hwid,
                    "models": [m.id for m in wired],
                }
                for port, wired in found.serial
            ],
        },
    }


def _print(found: _Found, timeout: float, sim: bool) -> None:
    console = Console()
    where = "simulated air" if sim else "Bluetooth LE"
    if found.ble_error is None:
        if found.ble:
            table = Table(title=f"Chairs heard on {where} in {timeout:g} s")
            for column in ("name", "address", "signal", "model"):
                table.add_column(column)
            for device, matching in found.ble:
                table.add_row(
                    device.name or "-",
                    device.address,
                    f"{device.rssi} dBm",
                    ", ".join(f"{m.id} ({m.name})" for m in matching),
                )
            console.print(table)
        else:
            console.print(f"No chair heard on {where} in {timeout:g} s.")
    if found.serial_error is None:
        if found.serial:
            # A port does not say which chair is behind it: show every model it could be.
            table = Table(title="Serial ports")
            for column in ("port", "description", "could be"):
                table.add_column(column)
            for port, wired in found.serial:
                table.add_row(
                    port.device,
                    port.description or "-",
                    ", ".join(f"{m.id} ({serial_text(m.match.serial)})" for m in wired) or "-",
                )
            console.print(table)
        else:
            console.print("No serial ports.")
