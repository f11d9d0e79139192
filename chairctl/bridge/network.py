"""The bridge's connection to the broker: its own task, reconnecting for as long as the bridge
runs, never in the chair's way.

The chair's side never waits on the broker: it hands its news to the :class:`Outbox`, and a
lost broker only means the news waits (retained topics are sent again on reconnection). The
connection carries a last will (``P/availability`` = ``offline``, retained), so a bridge that
dies without a word still shows offline; a bridge that ends says ``offline`` itself before it
disconnects. Reconnection waits double from one second up to thirty, on the network's clock
(real time, whatever clock the chair runs on).
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Final

import aiomqtt

from chairctl.bridge.outbox import Message, Outbox
from chairctl.clock import Clock
from chairctl.services.remote.broker import BrokerSettings
from chairctl.services.remote.topics import HA_STATUS, OFFLINE, ChairTopics
from chairctl.vocabulary.text import printable

#: Commands arrive at least once (a stop must arrive; every command is harmless twice); what
#: the bridge says goes out the same way.
QOS: Final = 1

#: TCP_NODELAY on the connection's socket.
NO_DELAY: Final = (socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

#: Hears each message: its topic, its payload and whether the broker kept it (retained).
OnMessage = Callable[[str, bytes, bool], None]


@dataclass(frozen=True)
class LinkOptions:
    """How the connection behaves; the defaults are the bridge's."""

    keepalive_s: int = 30
    #: The first wait before connecting again; it doubles up to :attr:`retry_max_s`.
    retry_first_s: float = 1.0
    retry_max_s: float = 30.0
    #: How long a broker may take to answer a connection or a publish.
    timeout_s: float = 10.0
    #: The MQTT client id; None: the client library makes a random one.
    client_id: str | None = None


def _reason(error: BaseException) -> str:
    return printable(str(error) or type(error).__name__)


class MqttLink:
    """One broker connection kept up for :attr:`topics`' chair."""

    def __init__(
        self,
        settings: BrokerSettings,
        topics: ChairTopics,
        outbox: Outbox,
        *,
        clock: Clock,
        on_message: OnMessage,
        on_connected: Callable[[], None],
        say: Callable[[str], None],
        options: LinkOptions | None = None,
    ) -> None:
        self.settings = settings
        self.topics = topics
        self.outbox = outbox
        self.clock = clock
        self.options = options or LinkOptions()
        self._on_message = on_message
        self._on_connected = on_connected
        self._say = say
        self._client: aiomqtt.Client | None = None
        self._writer: asyncio.Task[None] | None = None
        self._task: asyncio.Task[None] | None = None
        self._closing = False
        self._said_down: str | None = None

    @property
    def connected(self) -> bool:
        """True while connected to the broker."""
        return self._client is not None

    def start(self) -> asyncio.Task[None]:
        """Start connecting (and reconnecting) in a task of its own."""
        self._task = asyncio.create_task(self._run(), name="mqtt")
        return self._task

    def _new_client(self) -> aiomqtt.Client:
        settings = self.settings
        return aiomqtt.Client(
            settings.host,
            settings.port,
            username=settings.username,
            password=settings.password,
            identifier=self.options.client_id,
            will=aiomqtt.Will(self.topics.availability, OFFLINE, qos=QOS, retain=True),
            keepalive=self.options.keepalive_s,
            timeout=self.options.timeout_s,
            tls_context=settings.tls_context(),
            # Small messages go out at once: Nagle's algorithm, against the peer's delayed
            # acknowledgements, held a command or a state back by some 40 ms.
            socket_options=[NO_DELAY],
        )

    async def _run(self) -> None:
        delay = self.options.retry_first_s
        while not self._closing:
            try:
                async with self._new_client() as client:
                    self._client = client
                    delay = self.options.retry_first_s
                    if self._said_down is not None:
                        self._say(f"the broker {self.settings.url} is back")
                    self._said_down = None
                    await self._serve(client)
            except aiomqtt.MqttError as error:
                reason = _reason(error)
                if not self._closing and self._said_down != reason:
                    # Said once per kind of trouble, not every few seconds while it lasts.
                    self._say(
                        f"the broker {self.settings.url} cannot be reached ({reason}); the "
                        "chair goes on by its own rules, and a stop still works here"
                    )
                    self._said_down = reason
            finally:
                self._client = None
            if self._closing:
                return
            await self.clock.sleep(delay)
            delay = min(delay * 2, self.options.retry_max_s)

    async def _serve(self, client: aiomqtt.Client) -> None:
        await client.subscribe(self.topics.commands, qos=QOS)
        await client.subscribe(HA_STATUS, qos=QOS)
        self._on_connected()
        self.outbox.connected()
        reader = asyncio.create_task(self._read(client))
        writer = self._writer = asyncio.create_task(self._write(client))
        try:
            await asyncio.wait({reader, writer}, return_when=asyncio.FIRST_COMPLETED)
            if self._closing and writer.done():
                # close() stopped the writer to say goodbye itself: the connection stays up
                # (the reader hears the broker's acknowledgements) until close() ends it.
                await reader
            for task in (reader, writer):
                if task.done() and not task.cancelled():
                    task.result()  # the broker's trouble (MqttError) ends this connection
        finally:
            self.outbox.interrupt()
            reader.cancel()
            await _ended(reader, writer, limit_s=self.options.timeout_s)
            self._writer = None

    async def _read(self, client: aiomqtt.Client) -> None:
        async for message in client.messages:
            payload = message.payload
            data = payload if isinstance(payload, bytes | bytearray) else str(payload).encode()
            self._on_message(str(message.topic), bytes(data), bool(message.retain))

    async def _write(self, client: aiomqtt.Client) -> None:
        while batch := await self.outbox.next():
            for message in batch:
                await client.publish(
                    message.topic, message.payload, qos=message.qos, retain=message.retain
                )

    async def close(self, final: Sequence[Message], limit_s: float = 5.0) -> None:
        """Say ``final`` (the last state, ``offline``) if the broker is there, within
        ``limit_s``, then disconnect cleanly (a clean disconnect sends no last will)."""
        self._closing = True
        client, writer = self._client, self._writer
        if writer is not None:
            self.outbox.interrupt()
            await _ended(writer, limit_s=limit_s)
        if client is not None:
            with contextlib.suppress(aiomqtt.MqttError, TimeoutError):
                async with asyncio.timeout(limit_s):
                    await _publish_all(client, final)
        task = self._task
        if task is not None and not task.done():
            task.cancel()
            await _ended(task, limit_s=limit_s)


async def _ended(*tasks: asyncio.Task[None], limit_s: float) -> None:
    """Wait (at most ``limit_s``, real time) for ``tasks`` to end, cancelling those that do
    not end by themselves; never raises their errors (each connection's end is said once)."""
    pending = {task for task in tasks if not task.done()}
    if pending:
        _, pending = await asyncio.wait(pending, timeout=limit_s)
    for task in pending:
        # A cancellation can be lost in a publish's own wait: asked once more, not awaited.
        task.cancel()
    for task in tasks:
        if task.done() and not task.cancelled():
            task.exception()  # retrieved: the connection's trouble was said already


async def _publish_all(client: aiomqtt.Client, messages: Sequence[Message]) -> None:
    for message in messages:
        # The last words at QoS 1, whatever they are: nothing follows them to supersede them.
        await client.publish(message.topic, message.payload, qos=QOS, retain=message.retain)


async def publish_once(
    settings: BrokerSettings,
    messages: Sequence[Message],
    *,
    clock: Clock,
    limit_s: float = 10.0,
) -> None:
    """Connect, publish ``messages`` and disconnect (``--remove``); a
    :class:`aiomqtt.MqttError` when the broker cannot be reached."""

    async def once() -> None:
        async with aiomqtt.Client(
            settings.host,
            settings.port,
            username=settings.username,
            password=settings.password,
            timeout=limit_s,
            tls_context=settings.tls_context(),
        ) as client:
            await _publish_all(client, messages)

    await clock.wait_for(once(), limit_s)
