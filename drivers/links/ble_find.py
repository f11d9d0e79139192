"""Finding the one BLE chair an advertised-name pattern means, or saying that it means several.

A name pattern (a model's ``EVOLUTION-*``, or one a person typed) may match more than one chair
in range: two chairs of one make in a house, a neighbour's. Taking whichever answers first
could connect to the wrong chair, and on a reconnection could report a chair at rest while the
one the person sits in goes on working. So a scan by name does not stop at the first match: it
listens :data:`SETTLE_S` longer for others, and more than one device matching is an error that
lists them, name and address, so the person can name theirs by its address.

Names heard on the air are data from strangers: they are shown only with their control
characters replaced, so none can reach a terminal as a control sequence.
"""

from __future__ import annotations

import asyncio
import fnmatch
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from bleak import BleakScanner
from bleak.backends.device import BLEDevice
from bleak.backends.scanner import AdvertisementData

from chairctl.clock import Clock
from chairctl.vocabulary import LinkError

if TYPE_CHECKING:
    from drivers.links.ble import BleBackend

#: How long a scan by name goes on listening after the first match, for another chair that
#: matches too. Our choice: BLE modules advertise every 0.1 to 1 s (the simulated chair every
#: 1 s), so this hears any chair in range at least twice.
SETTLE_S: Final = 2.5

#: What a person is told to do when a name matches several chairs.
DEFAULT_HINT: Final = "connect to yours by its address"


@dataclass(frozen=True)
class BlePeer:
    """A BLE device a link found or connected to: its address and advertised name."""

    address: str
    name: str | None

    def __str__(self) -> str:
        return f"{self.address} ({printable(self.name)})" if self.name else self.address


def printable(text: str | None) -> str:
    """``text`` with every control character shown as ``?`` (names come from the air)."""
    if text is None:
        return "?"
    return "".join(c if c.isprintable() else "?" for c in text)


def matches(name: str | None, patterns: Sequence[str]) -> bool:
    """True when ``name`` matches one of the glob ``patterns`` (case matters, as BLE names)."""
    return name is not None and any(fnmatch.fnmatchcase(name, p) for p in patterns)


async def find_one(
    patterns: Sequence[str],
    *,
    clock: Clock,
    scan_s: float,
    settle: float = SETTLE_S,
    backend: BleBackend | None = None,
    hint: str = DEFAULT_HINT,
) -> tuple[BLEDevice, str]:
    """The one advertising device whose name matches ``patterns``, and the name it advertised.

    Listens until a first device matches (at most ``scan_s`` seconds of ``clock`` time), then
    ``settle`` seconds more. Raises :class:`~chairctl.vocabulary.LinkError` when none matched,
    or when several did (listing each, and ``hint`` on how to choose). bleak's own errors pass
    through for the caller to word.
    """
    heard: dict[str, tuple[BLEDevice, str]] = {}
    first = asyncio.Event()

    def detected(device: BLEDevice, advertisement: AdvertisementData) -> None:
        # The advertised local name is the chair's own; the device name may be a user alias.
        name = advertisement.local_name or device.name
        if name is not None and matches(name, patterns):
            heard[device.address] = (device, name)
            first.set()

    scanner = BleakScanner(
        detection_callback=detected, backend=None if backend is None else backend.scanner
    )
    wanted = " or ".join(patterns)
    await scanner.start()
    try:
        try:
            await clock.wait_for(first.wait(), scan_s)
        except TimeoutError:
            raise LinkError(
                f"no BLE device named {printable(wanted)} found within {scan_s:g} s "
                "(is the chair on, in range, and free of the vendor's app?)"
            ) from None
        await clock.sleep(settle)
    finally:
        await scanner.stop()
    if len(heard) > 1:
        found = sorted(heard.values(), key=lambda item: (item[1], item[0].address))
        listed = "; ".join(f"{printable(name)} at {device.address}" for device, name in found)
        raise LinkError(
            f"{len(found)} BLE devices are named {printable(wanted)}: {listed}. "
            f"They may be different chairs: {hint}"
        )
    return next(iter(heard.values()))
