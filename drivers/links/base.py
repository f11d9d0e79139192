"""The link interface: bytes to and from one chair, over whatever carries them.

A :class:`Link` is one connection: opened once, written to, closed once. Reconnecting means a
new Link from a :data:`LinkFactory`, so no state of a dead connection (a half-read frame, a
stale BLE client and its callbacks) can leak into the next one. Bytes from the chair arrive
through the ``on_data`` callback given to :meth:`Link.open`; a link that drops without being
closed by us calls ``on_lost`` once, with the reason.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable

#: Receives bytes from the chair, in order, as they arrive.
DataCallback = Callable[[bytes], None]
#: Hears, once, why a link dropped when we did not close it.
LostCallback = Callable[[str], None]


class Link(ABC):
    """One byte connection to a chair."""

    #: Largest single write the link takes; longer writes are split.
    max_write: int = 4096

    @property
    @abstractmethod
    def description(self) -> str:
        """What the link connects to, for people (``serial /dev/ttyUSB0``)."""

    @property
    @abstractmethod
    def is_open(self) -> bool:
        """True between a successful :meth:`open` and the link closing or dropping."""

    @abstractmethod
    async def open(self, on_data: DataCallback, on_lost: LostCallback) -> None:
        """Connect; raises :class:`~chairctl.vocabulary.LinkError` when it cannot."""

    @abstractmethod
    async def _send(self, chunk: bytes) -> None:
        """Send one chunk of at most :attr:`max_write` bytes."""

    @abstractmethod
    async def close(self) -> None:
        """Disconnect. Harmless when already closed; never calls ``on_lost``."""

    async def write(self, data: bytes) -> None:
        """Send ``data``, split into chunks the link can carry, in order."""
        for start in range(0, len(data), self.max_write):
            await self._send(data[start : start + self.max_write])


#: Makes a fresh, unopened Link for each connection attempt.
LinkFactory = Callable[[], Link]
