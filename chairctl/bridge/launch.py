"""How ``chairctl bridge`` starts the bridge: :func:`run_bridge`, the ``bridge`` entry point of
the ``chairctl.front_ends`` group (pyproject.toml), which the command line finds there without
importing this package.

Everything that can be refused is checked before the chair or the broker is reached: the topic
prefix, the chair's model, ``--speed``, the TLS settings. The bridge then runs until a signal
(SIGTERM, SIGINT, SIGHUP) or its output going away ends it, releasing the chair first, and
exits with the shell's code for what ended it (143, 130, 129), as ``chairctl run`` does; 1 when
the chair did not confirm its release.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
from collections.abc import Coroutine
from pathlib import Path
from typing import Any, TypeVar

import aiomqtt

from chairctl.bridge.bridge import Bridge
from chairctl.bridge.library import read_library
from chairctl.bridge.network import publish_once
from chairctl.bridge.publish import removal_messages
from chairctl.clock import Clock, RealClock, VirtualClock
from chairctl.services.chairs import ChairAddress, resolve_model
from chairctl.services.endings import SessionEnding
from chairctl.services.output import GuardedStream, QueuedStream, draining
from chairctl.services.people import open_store
from chairctl.services.remote.broker import BrokerSettings
from chairctl.services.remote.topics import ChairTopics
from chairctl.services.speed import check_speed, clock_for, session_config_for
from chairctl.vocabulary import ChairctlError
from chairctl.vocabulary.text import printable

T = TypeVar("T")


def run_bridge(
    address: ChairAddress,
    model_id: str | None,
    *,
    broker: BrokerSettings,
    prefix: str,
    home: Path | None,
    speed: float | None,
    remove: bool,
) -> None:
    """Publish ``address``'s chair under ``prefix`` on ``broker`` until told to end (or, with
    ``remove``, clear what the chair left retained on the broker and end)."""
    topics = ChairTopics(prefix)
    broker.tls_context()  # a CA file that cannot be read is said before anything starts
    if remove:
        _remove(broker, topics)
        return
    model = resolve_model(address, model_id)
    check_speed(address, speed)
    ending = SessionEnding()
    stderr = QueuedStream(GuardedStream(sys.stderr, ending.output_lost))

    def say(line: str) -> None:
        stderr.write(printable(f"chairctl bridge: {line}", newlines=True) + "\n")

    with draining(stderr):
        for warning in broker.warnings():
            say(f"warning: {warning}")
        library = read_library()
        for problem in library.problems:
            say(f"left out of the library: {problem}")
        with open_store(home) as store:
            clock = clock_for(address, speed)
            bridge = Bridge(
                address,
                model,
                clock,
                topics=topics,
                broker=broker,
                library=library,
                store=store,
                config=session_config_for(clock),
                say=say,
            )
            say(f"{bridge.control.title} on {broker.url} as {topics.prefix}")
            outcome = asyncio.run(_on(clock, bridge.run(ending)))
    code = ending.exit_code
    if code is None:
        code = 0 if outcome is None or outcome.safe else 1
    sys.exit(code)


def _remove(broker: BrokerSettings, topics: ChairTopics) -> None:
    try:
        asyncio.run(publish_once(broker, removal_messages(topics), clock=RealClock()))
    except (aiomqtt.MqttError, TimeoutError) as error:
        raise ChairctlError(
            f"the broker {broker.url} cannot be reached ({printable(str(error))}); nothing "
            "was removed"
        ) from None
    print(
        f"Removed the chair under {printable(topics.prefix)} from {broker.url}: Home "
        "Assistant forgets it, and its retained topics are cleared."
    )


async def _on(clock: Clock, work: Coroutine[Any, Any, T]) -> T:
    """``work`` on ``clock``: a virtual (paced) clock's time moves only while it is driven.

    While the bridge waits on the network alone (the chair's link closed, the goodbye to the
    broker under way), nothing may be due on the chair's clock; a heartbeat keeps it from
    taking that for a deadlock.
    """
    if not isinstance(clock, VirtualClock):
        return await work

    async def heartbeat() -> None:
        while True:
            await clock.sleep(60.0)

    async def with_heartbeat() -> T:
        beat = asyncio.create_task(heartbeat())
        try:
            return await work
        finally:
            beat.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await beat

    return await clock.run(with_heartbeat())
