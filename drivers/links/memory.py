"""An in-memory link: bytes handed straight to an endpoint in the same process.

The fastest link for tests and for ``chairctl check``: the far end (a simulated chair, or a
test) is any object that takes writes and can be closed, opened through a function that also
hands it our callbacks. Nothing here knows what is on the other side.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from chairctl.vocabulary import LinkError
from drivers.links.base import DataCallback, Link, LostCallback


class Endpoint(Protocol):
    """The far end of an in-memory link."""

    def write(self, data: bytes) -> None:
        """Bytes from us to the far end."""

    def close(self) -> None:
        """We hang up."""


#: Opens the far end, given where its bytes and its hang-up should go.
EndpointOpener = Callable[[DataCallback, LostCallback], Endpoint]


class MemoryLink(Link):
    """A link whose far end lives in this process."""

    def __init__(self, opener: EndpointOpener, description: str = "in-memory link") -> None:
        self._opener = opener
        self._description = description
        self._endpoint: Endpoint | None = None
        self._on_lost: LostCallback | None = None
        self._closing = False

    @property
    def description(self) -> str:
        return self._description

    @property
    def is_open(self) -> bool:
        return self._endpoint is not None

    async def open(self, on_data: DataCallback, on_lost: LostCallback) -> None:
        if self._endpoint is not None or self._closing:
            raise LinkError("a link is opened once; make a new one to reconnect")
        self._on_lost = on_lost
        # A far end that refuses (a chair with a controller already attached) raises LinkError.
        self._endpoint = self._opener(on_data, self._lost)

    def _lost(self, reason: str) -> None:
        if self._endpoint is None or self._closing:
            return
        self._endpoint = None
        if self._on_lost is not None:
            self._on_lost(reason)

    async def _send(self, chunk: bytes) -> None:
        if self._endpoint is None:
            raise LinkError(f"{self._description} is not open")
        self._endpoint.write(chunk)

    async def close(self) -> None:
        self._closing = True
        endpoint, self._endpoint = self._endpoint, None
        if endpoint is not None:
            endpoint.close()
