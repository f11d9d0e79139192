"""One Bluetooth LE chair for a whole session: found once, then always that same device.

A session makes a new link for every connection attempt (see :mod:`drivers.links.base`). Were
each of them to scan by name again, a reconnection after a dropped link could reach another
chair advertising a matching name (a second chair of the same make, in the next room), find it
at rest, and report "reconnected, safe" while the chair the person sits in goes on working.
:class:`BleChair` is the link factory that rules this out: a chair given by address is reached
at that address; a chair given by name is found by a scan that must match exactly one device
(:func:`~drivers.links.ble_find.find_one`), and from the first connection that opens, every
later link goes to that device's address and no other. A chair that is not there any more is
then a failed reconnection, said as such, never a different chair.

The address is the device's identity here. A module that changed its address between
connections (a resolvable private address) would be refused as a stranger; the chairs'
modules advertise a fixed one.
"""

from __future__ import annotations

from collections.abc import Sequence

from chairctl.clock import Clock
from chairctl.vocabulary import LinkError
from drivers.links.ble import BleBackend, BleLink
from drivers.links.ble_find import DEFAULT_HINT, BlePeer
from drivers.models.schema import ChairModel


class BleChair:
    """A :data:`~drivers.links.base.LinkFactory` for one BLE chair, pinned to its address from
    the first connection on."""

    def __init__(
        self,
        model: ChairModel,
        *,
        address: str | None = None,
        names: Sequence[str] | None = None,
        backend: BleBackend | None = None,
        clock: Clock | None = None,
        ambiguity_hint: str = DEFAULT_HINT,
    ) -> None:
        if address is None and names is None:
            names = model.match.ble_names
        self._model = model
        self._names = tuple(names or ())
        self._backend = backend
        self._clock = clock
        self._hint = ambiguity_hint
        self._pinned = None if address is None else BlePeer(address, None)

    @property
    def pinned(self) -> BlePeer | None:
        """The device every link goes to: the address given, or the device the first
        connection by name reached; None until then."""
        return self._pinned

    def __call__(self) -> BleLink:
        """A fresh, unopened link: to the pinned device, or by name until one is pinned."""
        # A model that cannot be reached over BLE says so when a link is asked for, as a
        # LinkError the session reports, like any other failure to connect.
        model, pinned = self._model, self._pinned
        profile = model.match.ble
        if profile is None:
            raise LinkError(f"chair model {model.id} has no Bluetooth LE profile")
        if pinned is None and not self._names:
            raise LinkError(f"chair model {model.id} names no BLE advertised name to scan for")
        if pinned is not None:
            return BleLink(
                profile,
                address=pinned.address,
                name=pinned.name,
                backend=self._backend,
                clock=self._clock,
            )
        return BleLink(
            profile,
            names=self._names,
            backend=self._backend,
            clock=self._clock,
            on_connected=self._pin,
            ambiguity_hint=self._hint,
        )

    def _pin(self, peer: BlePeer) -> None:
        # The first connection by name decides; a link made before it cannot change it.
        if self._pinned is None:
            self._pinned = peer
