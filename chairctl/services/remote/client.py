"""A client of a bridge: the broker connection of a process that shows a chair a bridge owns
(``chairctl --bridge mqtt://HOST/PREFIX``).

:class:`BridgeClient` keeps one connection to the broker up in a task of its own, reconnecting
for as long as it must; it hears the chair's out-topics (``P/+``: availability, state, library,
profiles, events, errors; never another chair's, never the commands) and publishes commands at
QoS 1, never retained (a retained command would act again whenever the bridge reconnects). It
never talks to a chair: the bridge is the only process that does.
:class:`~chairctl.services.remote.bridged.BridgeControl` turns it into the session surface
the app uses.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

import aiomqtt

from chairctl.clock import Clock
from chairctl.services.remote.target import BridgeTarget
from chairctl.services.remote.topics import Command
from chairctl.vocabulary import LinkError
from chairctl.vocabulary.text import printable

#: Commands arrive at least once: a stop must arrive, and every command is harmless twice.
QOS: Final = 1

#: Hears each message on the chair's out-topics: its topic and its payload.
OnMessage = Callable[[str, bytes], None]
#: Hears the broker come (None) and go (why, in words).
OnReach = Callable[[str | None], None]


@dataclass(frozen=True)
class ClientOptions:
    """How the connection behaves; the defaults suit a person watching the app."""

    #: Seconds between keepalives: a broker that vanishes without closing the socket is
    #: noticed within one and a half of them.
    keepalive_s: int = 10
    #: The first wait before connecting again; it doubles up to :attr:`retry_max_s`.
    retry_first_s: float = 0.5
    retry_max_s: float = 5.0
    #: How long the broker may take to answer a connection or a publish.
    timeout_s: float = 10.0


def _reason(error: BaseException) -> str:
    return printable(str(error) or type(error).__name__)


class BridgeClient:
    """One broker connection kept up for ``target``'s chair, on ``clock`` (real time)."""

    def __init__(
        self,
        target: BridgeTarget,
        *,
        clock: Clock,
        on_message: OnMessage,
        on_reach: OnReach,
        options: ClientOptions | None = None,
    ) -> None:
        self.target = target
        self.clock = clock
        self.options = options or ClientOptions()
        self._on_message = on_message
        self._on_reach = on_reach
        self._client: aiomqtt.Client | None = None
        self._task: asyncio.Task[None] | None = None
        self._closing = False

    @property
    def connected(self) -> bool:
        """True while connected to the broker and subscribed to the chair's topics."""
        return self._client is not None

    def start(self) -> None:
        """Start connecting (and reconnecting) in a task of its own; once."""
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="bridge client")

    def _new_client(self) -> aiomqtt.Client:
        broker = self.target.broker
        return aiomqtt.Client(
            broker.host,
            broker.port,
            username=broker.username,
            password=broker.password,
            keepalive=self.options.keepalive_s,
            timeout=self.options.timeout_s,
            tls_context=broker.tls_context(),
        )

    async def _run(self) -> None:
        delay = self.options.retry_first_s
        said: str | None = None
        while not self._closing:
            try:
                async with self._new_client() as client:
                    # Out-topics only (one level under the prefix): commands are two levels
                    # down, so this client never hears its own or anyone's.
                    await client.subscribe(f"{self.target.topics.prefix}/+", qos=QOS)
                    self._client = client
                    delay = self.options.retry_first_s
                    said = None
                    self._on_reach(None)
                    await self._read(client)
            except aiomqtt.MqttError as error:
                said = self._lost(
                    f"the broker {self.target.broker.url} cannot be reached ({_reason(error)})",
                    said,
                )
            finally:
                self._client = None
            if self._closing:
                return
            await self.clock.sleep(delay)
            delay = min(delay * 2, self.options.retry_max_s)

    def _lost(self, words: str, said: str | None) -> str:
        if words != said and not self._closing:
            # Said once per kind of trouble, not at every attempt while it lasts.
            self._on_reach(words)
        return words

    async def _read(self, client: aiomqtt.Client) -> None:
        async for message in client.messages:
            payload = message.payload
            data = payload if isinstance(payload, bytes | bytearray) else str(payload).encode()
            self._on_message(str(message.topic), bytes(data))

    async def publish(self, command: Command, payload: bytes = b"") -> None:
        """Send ``command`` once (QoS 1, not retained); a :class:`LinkError` when the broker
        is not there to take it."""
        client = self._client
        if client is None:
            raise LinkError(f"the broker {self.target.broker.url} cannot be reached now")
        try:
            await client.publish(
                self.target.topics.command(command), payload, qos=QOS, retain=False
            )
        except aiomqtt.MqttError as error:
            raise LinkError(
                f"the broker {self.target.broker.url} did not take the {command.value} "
                f"({_reason(error)})"
            ) from None

    async def close(self) -> None:
        """Disconnect (cleanly) and stop reconnecting."""
        self._closing = True
        task, self._task = self._task, None
        if task is not None and not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, aiomqtt.MqttError):
                await task
