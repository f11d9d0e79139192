"""The simulated air: which simulated BLE chairs are around, and the bleak backend reaching them.

A :class:`SimulatedAir` holds peripherals (a :class:`~simulator.chair.SimulatedChair` with an
address, an advertised name and its model's GATT profile) and hands out, as
:attr:`SimulatedAir.backend`, bleak scanner and client classes bound to it. Pass those to
bleak (``BleakScanner(backend=...)``, ``BleakClient(..., backend=...)``, or a
:class:`~drivers.links.ble.BleLink`) and bleak's own code path runs against the simulated
chairs. Each air is separate, so tests do not share state; use it as a context manager (or
call :meth:`SimulatedAir.close`) to hang up every simulated connection at the end.
"""

from __future__ import annotations

import fnmatch
import itertools
from types import TracebackType
from typing import Final, TypeVar, cast

from bleak.backends.scanner import AdvertisementData

from drivers.links.ble import BleBackend
from drivers.models.schema import BleProfile
from simulator.ble.client import SimulatedBleakClient
from simulator.ble.gatt import DEFAULT_MTU, GattWrite
from simulator.ble.scanner import SimulatedBleakScanner
from simulator.chair import SimulatedChair
from simulator.errors import SimulatorError

#: Seconds between two advertisements of one peripheral, on the chair's clock.
ADVERTISING_INTERVAL: Final = 1.0

B = TypeVar("B", bound=type)


class SimulatedPeripheral:
    """One simulated chair as a BLE peripheral: its address, its name, its GATT profile."""

    def __init__(
        self,
        address: str,
        name: str,
        chair: SimulatedChair,
        profile: BleProfile,
        *,
        rssi: int,
        mtu: int,
    ) -> None:
        self.address = address
        self.name = name
        self.chair = chair
        self.profile = profile
        self.rssi = rssi
        self.mtu = mtu
        #: Every GATT write received, in order: what the central really sent, chunk by chunk.
        self.writes: list[GattWrite] = []

    @property
    def advertising(self) -> bool:
        """False while a controller is attached: a single-connection BLE module stops
        advertising once a central has it, so a second central does not even see it."""
        return not self.chair.connected

    def advertisement(self) -> AdvertisementData:
        """What a scanner hears from this peripheral."""
        return AdvertisementData(
            local_name=self.name,
            manufacturer_data={},
            service_data={},
            service_uuids=[self.profile.service],
            tx_power=None,
            rssi=self.rssi,
            platform_data=(self,),
        )

    def __repr__(self) -> str:
        return f"SimulatedPeripheral({self.address}, {self.name!r}, {self.chair.model.id})"


class SimulatedAir:
    """Simulated BLE chairs in range, and bleak backend classes that reach only them."""

    def __init__(self, *, advertising_interval: float = ADVERTISING_INTERVAL) -> None:
        self.advertising_interval = advertising_interval
        self._peripherals: dict[str, SimulatedPeripheral] = {}
        self._scanners: set[SimulatedBleakScanner] = set()
        self._clients: set[SimulatedBleakClient] = set()
        self._numbers = itertools.count(1)
        self._closed = False
        #: The bleak backend of this air: pass it as ``backend=`` (or to a BleLink).
        self.backend = BleBackend(
            scanner=_bind(SimulatedBleakScanner, self), client=_bind(SimulatedBleakClient, self)
        )

    # -- peripherals ------------------------------------------------------------------------

    def add(
        self,
        chair: SimulatedChair,
        *,
        name: str | None = None,
        address: str | None = None,
        rssi: int = -60,
        mtu: int = DEFAULT_MTU,
    ) -> SimulatedPeripheral:
        """Put ``chair`` in the air, advertising ``name`` (by default one its model's name
        patterns match) from ``address`` (by default a made-up one, unique in this air)."""
        model = chair.model
        profile = model.match.ble
        if profile is None:
            raise SimulatorError(f"chair model {model.id} has no BLE profile to simulate")
        if chair.transport != "ble":
            raise SimulatorError(
                "a chair reached over BLE sends BLE status frames: make it with transport='ble'"
            )
        if mtu < DEFAULT_MTU:
            raise SimulatorError(f"an ATT MTU is at least {DEFAULT_MTU} bytes, not {mtu}")
        number = next(self._numbers)
        address = (address or _made_up_address(number)).upper()
        if address in self._peripherals:
            raise SimulatorError(f"a simulated peripheral already has address {address}")
        name = name or _name_for(model.match.ble_names, number)
        if name is None:
            raise SimulatorError(f"chair model {model.id} has no plain BLE name: give one")
        peripheral = SimulatedPeripheral(address, name, chair, profile, rssi=rssi, mtu=mtu)
        self._peripherals[address] = peripheral
        for scanner in list(self._scanners):
            scanner.listen_to(peripheral)
        return peripheral

    def remove(self, peripheral: SimulatedPeripheral) -> None:
        """The chair leaves the air (switched off, out of range): connections to it drop."""
        if self._peripherals.get(peripheral.address) is not peripheral:
            return
        del self._peripherals[peripheral.address]
        for client in list(self._clients):
            if client.peripheral is peripheral:
                client.drop("the chair went out of range")

    def away(self, peripheral: SimulatedPeripheral, seconds: float) -> None:
        """The chair goes out of range (connections to it drop) and comes back ``seconds``
        later on its own clock: the same peripheral, address and name, advertising again
        (unless the air was shut down meanwhile)."""
        if peripheral not in self:
            raise SimulatorError(f"{peripheral} is not in this air")
        self.remove(peripheral)
        peripheral.chair.clock.call_later(seconds, lambda: self._come_back(peripheral))

    def _come_back(self, peripheral: SimulatedPeripheral) -> None:
        if self._closed or peripheral.address in self._peripherals:
            return
        self._peripherals[peripheral.address] = peripheral
        for scanner in list(self._scanners):
            scanner.listen_to(peripheral)

    def find(self, address: str) -> SimulatedPeripheral | None:
        """The peripheral at ``address`` (any letter case), if it is in the air."""
        return self._peripherals.get(address.upper())

    def __contains__(self, peripheral: object) -> bool:
        return (
            isinstance(peripheral, SimulatedPeripheral)
            and self._peripherals.get(peripheral.address) is peripheral
        )

    @property
    def peripherals(self) -> list[SimulatedPeripheral]:
        """Every peripheral in the air, in the order they were added."""
        return list(self._peripherals.values())

    # -- the backend's bookkeeping ----------------------------------------------------------

    def scanner_started(self, scanner: SimulatedBleakScanner) -> None:
        """A scanner listens: it hears every peripheral, and those added later."""
        self._scanners.add(scanner)
        for peripheral in self.peripherals:
            scanner.listen_to(peripheral)

    def scanner_stopped(self, scanner: SimulatedBleakScanner) -> None:
        """A scanner stopped listening."""
        self._scanners.discard(scanner)

    def client_connected(self, client: SimulatedBleakClient) -> None:
        """A central connected to one of the peripherals."""
        self._clients.add(client)

    def client_disconnected(self, client: SimulatedBleakClient) -> None:
        """A central's connection ended, whoever ended it."""
        self._clients.discard(client)

    # -- lifetime ---------------------------------------------------------------------------

    def close(self) -> None:
        """Stop every scan, drop every connection, and empty the air."""
        self._closed = True
        for scanner in list(self._scanners):
            scanner.halt()
        for client in list(self._clients):
            client.drop("the simulated air was shut down")
        self._peripherals.clear()

    def __enter__(self) -> SimulatedAir:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def _bind(base: B, air: SimulatedAir) -> B:
    """A subclass of a backend class that reaches ``air``: bleak instantiates backend classes
    itself, with its own arguments, so the air travels on the class."""
    namespace = {"air": air, "__module__": base.__module__, "__doc__": base.__doc__}
    return cast(B, type(base.__name__, (base,), namespace))


def _made_up_address(number: int) -> str:
    # 0x5A has the locally-administered bit set: no real device carries such an address.
    octets = [0x5A, 0x1C, 0x00, (number >> 16) & 0xFF, (number >> 8) & 0xFF, number & 0xFF]
    return ":".join(f"{octet:02X}" for octet in octets)


def _name_for(patterns: list[str], number: int) -> str | None:
    """A name the patterns match: a plain one as it is, else a glob with its wildcards
    filled in (``EVOLUTION-*`` becomes ``EVOLUTION-000001``)."""
    for pattern in patterns:
        if not any(mark in pattern for mark in "*?["):
            return pattern
    for pattern in patterns:
        if "[" not in pattern:
            name = pattern.replace("*", f"{number:06d}").replace("?", "0")
            if fnmatch.fnmatchcase(name, pattern):
                return name
    return None
