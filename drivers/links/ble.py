"""A Bluetooth LE link: bytes to a chair's write characteristic, status from its notifications.

One :class:`BleLink` is one connection made with one :class:`~bleak.BleakClient`; reconnecting
means a new BleLink from the :data:`~drivers.links.base.LinkFactory`. The chair is found by
address, or by scanning for an advertised name matching glob patterns (a model's
``match.ble_names``), which must then match exactly one device (:mod:`.ble_find`); the device
it connected to is :attr:`BleLink.peer`, which :class:`~drivers.links.ble_chair.BleChair` pins
for every later connection of a session. Commands go out with the write type the model names
(``response=`` is always explicit, because these modules often misreport their characteristic
properties) in chunks no longer than the model's ``max_write`` and what the connection can
carry.

Every wait is bounded and measured on a :class:`~chairctl.clock.Clock`: the real one for a
real radio, the simulated chair's VirtualClock when bleak runs over the simulator's backend,
so a scan that finds nothing ends at once in virtual time instead of after seconds of sleep.

bleak's disconnected callback fires on every link loss, our own disconnect included (BlueZ
does, and so does the simulated backend). The link hands ``on_lost`` only losses it did not
cause, and only those of its current client: a client we abandoned or closed is no longer
current, so its late callback is ignored.
"""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from bleak import BleakClient
from bleak.backends.characteristic import BleakGATTCharacteristic
from bleak.backends.client import BaseBleakClient
from bleak.backends.device import BLEDevice
from bleak.backends.scanner import BaseBleakScanner

from chairctl.clock import Clock, RealClock
from chairctl.vocabulary import LinkError
from drivers.links.base import DataCallback, Link, LostCallback
from drivers.links.ble_errors import BLE_ERRORS, ble_reason
from drivers.links.ble_find import DEFAULT_HINT, SETTLE_S, BlePeer, find_one, printable
from drivers.models.schema import BleProfile, ChairModel

T = TypeVar("T")

#: The longest write-with-response value ATT allows.
MAX_ATTRIBUTE_VALUE = 512


@dataclass(frozen=True)
class BleBackend:
    """The bleak backend classes to use instead of the platform's (BlueZ, CoreBluetooth, …).

    bleak takes a scanner class and a client class separately (``backend=`` of
    :class:`~bleak.BleakScanner` and of :class:`~bleak.BleakClient`); this keeps the pair
    together. ``simulator.ble.SimulatedAir.backend`` is one.
    """

    scanner: type[BaseBleakScanner]
    client: type[BaseBleakClient]


class BleLink(Link):
    """One BLE connection to a chair, by address or by advertised-name patterns."""

    def __init__(
        self,
        profile: BleProfile,
        *,
        address: str | None = None,
        names: Sequence[str] = (),
        name: str | None = None,
        backend: BleBackend | None = None,
        clock: Clock | None = None,
        on_connected: Callable[[BlePeer], None] | None = None,
        scan_timeout: float = 10.0,
        scan_settle: float = SETTLE_S,
        ambiguity_hint: str = DEFAULT_HINT,
        connect_timeout: float = 20.0,
        write_timeout: float = 5.0,
        disconnect_timeout: float = 5.0,
    ) -> None:
        if (address is None) == (not names):
            raise ValueError("give a BLE address or name patterns, not both and not neither")
        self._profile = profile
        self._address = address
        self._names = tuple(names)
        self._name = name
        self._backend = backend
        self._clock = clock or RealClock()
        self._scan_timeout = scan_timeout
        self._scan_settle = scan_settle
        self._ambiguity_hint = ambiguity_hint
        self._connect_timeout = connect_timeout
        self._write_timeout = write_timeout
        self._disconnect_timeout = disconnect_timeout
        self._on_connected = on_connected
        if address is None:
            self._target = f"named {printable(' or '.join(names))}"
        else:
            # ``name``: what the device at ``address`` advertised, for people to recognise it.
            self._target = address if name is None else f"{address} ({printable(name)})"
        #: The client of the connection under way or open; None once closed or lost.
        self._client: BleakClient | None = None
        #: The device this link connected to, once it is open.
        self._peer: BlePeer | None = None
        self._write_char: BleakGATTCharacteristic | None = None
        self._open = False
        self._used = False
        self._closing = False
        self._on_data: DataCallback | None = None
        self._on_lost: LostCallback | None = None
        self.max_write = profile.max_write

    @classmethod
    def for_model(
        cls,
        model: ChairModel,
        *,
        address: str | None = None,
        names: Sequence[str] | None = None,
        backend: BleBackend | None = None,
        clock: Clock | None = None,
        ambiguity_hint: str = DEFAULT_HINT,
    ) -> BleLink:
        """A link to a chair of ``model``: at ``address``, or else advertising a name that
        matches ``names`` (the model's own patterns when not given), which must be the only
        device in range that does (else a LinkError listing them ends with
        ``ambiguity_hint``)."""
        profile = model.match.ble
        if profile is None:
            raise LinkError(f"chair model {model.id} has no Bluetooth LE profile")
        if address is None and names is None:
            names = model.match.ble_names
            if not names:
                raise LinkError(f"chair model {model.id} names no BLE advertised name to scan for")
        return cls(
            profile,
            address=address,
            names=names or (),
            backend=backend,
            clock=clock,
            ambiguity_hint=ambiguity_hint,
        )

    @property
    def description(self) -> str:
        return f"BLE {self._target}"

    @property
    def is_open(self) -> bool:
        return self._open and self._client is not None

    @property
    def peer(self) -> BlePeer | None:
        """The device this link connected to (its address, and the name it advertised when
        found by name); None until :meth:`open` succeeded. Stays set after the link closes."""
        return self._peer

    # -- connecting -------------------------------------------------------------------------

    async def open(self, on_data: DataCallback, on_lost: LostCallback) -> None:
        if self._used or self._closing:
            raise LinkError("a link is opened once; make a new one to reconnect")
        self._used = True
        self._on_data, self._on_lost = on_data, on_lost
        try:
            await self._connect()
        except BLE_ERRORS as error:
            await self._abandon()
            raise LinkError(f"cannot connect to {self.description}: {ble_reason(error)}") from error
        except BaseException:
            # LinkError of our own, or a cancelled open: leave no connection behind either way.
            await self._abandon()
            raise

    async def _connect(self) -> None:
        device: BLEDevice | str
        if self._address is None:
            device, name = await self._find()
            peer = BlePeer(device.address, name)
        else:
            device = self._address
            peer = BlePeer(self._address, self._name)
        client = BleakClient(
            device,
            disconnected_callback=self._disconnected,
            timeout=self._connect_timeout,
            backend=None if self._backend is None else self._backend.client,
        )
        self._client = client
        await self._bounded(client.connect(), self._connect_timeout)
        profile = self._profile
        write = client.services.get_characteristic(profile.write)
        if write is None:
            raise LinkError(
                f"{self.description} has no command characteristic {profile.write}: "
                "is it the chair model you think?"
            )
        self._write_char = write
        if not profile.write_with_response:
            # The connection may carry less than the model says: never send more than it takes.
            self.max_write = min(profile.max_write, write.max_write_without_response_size)
        else:
            self.max_write = min(profile.max_write, MAX_ATTRIBUTE_VALUE)

        def notified(_: BleakGATTCharacteristic, data: bytearray) -> None:
            # A client we replaced may still be delivering; only the current one counts.
            if client is self._client and self._on_data is not None:
                self._on_data(bytes(data))

        await self._bounded(client.start_notify(profile.notify, notified), self._write_timeout)
        if self._client is not client or not client.is_connected:
            raise LinkError(f"{self.description} dropped the connection while it was set up")
        if self._closing:
            raise LinkError(f"{self.description} was closed while connecting")
        self._open = True
        self._peer = peer
        if self._on_connected is not None:
            self._on_connected(peer)

    async def _find(self) -> tuple[BLEDevice, str]:
        found, name = await find_one(
            self._names,
            clock=self._clock,
            scan_s=self._scan_timeout,
            settle=self._scan_settle,
            backend=self._backend,
            hint=self._ambiguity_hint,
        )
        self._target = f"{found.address} ({printable(name)})"
        return found, name

    async def _bounded(self, step: Awaitable[T], limit: float) -> T:
        return await self._clock.wait_for(step, limit)

    async def _abandon(self) -> None:
        """Drop a connection that could not be set up; its disconnect is not news."""
        self._open = False
        client, self._client = self._client, None
        if client is not None:
            await self._disconnect(client)

    async def _disconnect(self, client: BleakClient) -> None:
        # A failed disconnect leaves nothing to do: the client is forgotten either way, and
        # bleak's backends drop their side of the connection even when the stack complains.
        with contextlib.suppress(*BLE_ERRORS):
            await self._bounded(client.disconnect(), self._disconnect_timeout)

    # -- the open link ----------------------------------------------------------------------

    def _disconnected(self, client: BleakClient) -> None:
        if client is not self._client:
            # Our own close or an abandoned attempt: we already know.
            return
        self._client = None
        if not self._open:
            # Lost while connecting: open() notices and raises; on_lost is for open links.
            return
        self._open = False
        if self._on_lost is not None:
            self._on_lost(f"{self.description} dropped the connection")

    async def _send(self, chunk: bytes) -> None:
        client, write = self._client, self._write_char
        if client is None or write is None or not self._open:
            raise LinkError(f"{self.description} is not open")
        try:
            await self._bounded(
                client.write_gatt_char(write, chunk, response=self._profile.write_with_response),
                self._write_timeout,
            )
        except BLE_ERRORS as error:
            raise LinkError(f"write to {self.description} failed: {ble_reason(error)}") from error

    async def close(self) -> None:
        self._closing = True
        self._open = False
        client, self._client = self._client, None
        if client is not None:
            await self._disconnect(client)
