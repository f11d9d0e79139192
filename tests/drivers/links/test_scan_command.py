"""``chairctl scan`` and the discovery it runs on: BLE over the simulated air, serial ports, and
what happens when Bluetooth cannot be used."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from bleak.backends.scanner import BaseBleakScanner
from bleak.exc import BleakBluetoothNotAvailableError, BleakBluetoothNotAvailableReason

from chairctl.clock import VirtualClock
from chairctl.vocabulary import LinkError
from drivers.links import BleBackend
from drivers.links.ble_errors import ble_reason, bluetooth_unavailable
from drivers.links.discovery import scan_ble, serial_ports
from drivers.models import ChairModel, registry
from simulator.ble import SimulatedAir, SimulatedBleakClient, SimulatedPeripheral
from simulator.families import simulated_chair

if TYPE_CHECKING:
    from tests.conftest import Run


def test_scan_sim_json_lists_the_simulated_chair_with_its_model(
    chairctl: Callable[..., Run],
) -> None:
    run = chairctl("scan", "--sim", "--json")
    assert run.code == 0, run.err
    found = json.loads(run.out)
    assert found["ble"]["simulated"] is True
    assert found["ble"]["error"] is None
    [chair] = found["ble"]["chairs"]
    assert chair["name"].startswith("EVOLUTION-")
    assert chair["models"] == ["rongtai-rt8600s"]
    assert found["serial"]["error"] is None
    for port in found["serial"]["ports"]:
        assert port["device"]
        # Every shipped model with a wired controller line: a serial port cannot say which.
        assert port["models"] == sorted(m.id for m in registry() if m.match.serial)


def test_scan_sim_as_a_table(chairctl: Callable[..., Run]) -> None:
    run = chairctl("scan", "--sim", "--timeout", "30")
    assert run.code == 0, run.err
    assert "EVOLUTION-" in run.out
    assert "rongtai-rt8600s" in run.out
    assert "in 30 s" in run.out


def test_a_bad_timeout_is_a_usage_error(chairctl: Callable[..., Run]) -> None:
    run = chairctl("scan", "--sim", "--timeout", "0")
    assert run.code == 2
    assert "--timeout" in run.err


@pytest.mark.skipif(
    Path("/run/dbus/system_bus_socket").exists()
    or Path("/var/run/dbus/system_bus_socket").exists(),
    reason="this machine may have Bluetooth: a real scan would really scan",
)
def test_without_bluetooth_a_real_scan_says_so_in_one_line_and_lists_serial_ports(
    chairctl: Callable[..., Run],
) -> None:
    run = chairctl("scan", "--json", "--timeout", "0.01")
    assert run.code == 0
    found = json.loads(run.out)
    assert "BlueZ" in found["ble"]["error"]
    assert found["ble"]["chairs"] == []
    assert isinstance(found["serial"]["ports"], list)
    [line] = run.err.splitlines()
    assert line.startswith("chairctl scan: Bluetooth LE not scanned: ")
    assert "Traceback" not in run.err


def test_serial_port_listing_runs() -> None:
    ports = serial_ports()
    assert [p.device for p in ports] == sorted(p.device for p in ports)


async def test_scan_ble_hears_every_advertiser_in_virtual_time(
    model: ChairModel, air: SimulatedAir, peripheral: SimulatedPeripheral, clock: VirtualClock
) -> None:
    lamp = air.add(simulated_chair(model, clock, transport="ble"), name="LAMP-7")
    heard = await clock.run(scan_ble(60.0, backend=air.backend, clock=clock))
    assert clock.now() == pytest.approx(60.0)
    assert [(a.name, a.address) for a in heard] == [
        (peripheral.name, peripheral.address),
        (lamp.name, lamp.address),
    ]


class _NoAdapterScanner(BaseBleakScanner):
    """A bleak platform backend on a machine without a Bluetooth adapter."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(None, None)

    async def start(self) -> None:
        raise BleakBluetoothNotAvailableError(
            "No Bluetooth adapters found.", BleakBluetoothNotAvailableReason.NO_BLUETOOTH
        )

    async def stop(self) -> None:
        pass


async def test_scan_ble_without_an_adapter_is_one_link_error() -> None:
    backend = BleBackend(scanner=_NoAdapterScanner, client=SimulatedBleakClient)
    with pytest.raises(LinkError) as failed:
        await scan_ble(1.0, backend=backend)
    assert str(failed.value) == "Bluetooth is not available: No Bluetooth adapters found."


def test_bleak_errors_read_as_one_line() -> None:
    no_adapter = BleakBluetoothNotAvailableError(
        "No Bluetooth adapters found.", BleakBluetoothNotAvailableReason.NO_BLUETOOTH
    )
    assert bluetooth_unavailable(no_adapter)
    assert bluetooth_unavailable(FileNotFoundError(2, "No such file or directory"))
    assert not bluetooth_unavailable(TimeoutError())
    assert "no such file or directory" in ble_reason(
        FileNotFoundError(2, "No such file or directory")
    )
    assert ble_reason(TimeoutError()) == "no answer in time"
