"""Keeping the link to one chair: opening it, watching it, losing it and reconnecting.

The connecting half of a chair session, kept apart from the half that applies setpoints and
stops (:class:`drivers.chair.ChairSession`), as aioesphomeapi keeps its reconnect logic apart
from its client. A fresh link comes from the factory for every attempt; its bytes are decoded
and each status handed to the session; a watchdog counts the chair's silence as a lost link;
after a drop, reconnection runs with backoff and then hands the chair to the session's release.
Nothing here sends a key of its own, and nothing resumes: the session decides what a drop
means for the person in the chair.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import partial

from chairctl.clock import Clock, TimerHandle
from chairctl.vocabulary import ChairctlError, ChairStatus, LinkError, ModelMismatch
from drivers.adapters import StatusDecoding
from drivers.links import Link, LinkFactory
from drivers.session.feed import StatusFeed
from drivers.session.keys import KeySender
from drivers.session.records import LinkState, SessionConfig, StopReport


@dataclass(frozen=True)
class LinkHooks:
    """What the session does at each turn of the link's life."""

    #: Why a first status shows the wrong chair (the model file does not fit), None if not.
    mismatch: Callable[[ChairStatus], str | None]
    #: A status arrived on the current link.
    on_status: Callable[[ChairStatus], None]
    #: The link is gone, whatever the state (cut off what was under way).
    on_lost: Callable[[str], None]
    #: A connected link dropped at ``lost_at``: a reconnection starts.
    on_dropped: Callable[[str, float], None]
    #: The safe release once a link is back (run under the session's operation lock).
    release: Callable[[], Awaitable[StopReport]]
    #: The link came back and the release reported; or every attempt failed.
    on_recovered: Callable[[str, float, StopReport], None]
    on_gave_up: Callable[[str, float], None]


class LinkKeeper:
    """The link of one session: its state, the current link, the watchdog and reconnection."""

    def __init__(
        self,
        links: LinkFactory,
        clock: Clock,
        config: SessionConfig,
        *,
        decoder: StatusDecoding,
        feed: StatusFeed,
        keys: KeySender,
        hooks: LinkHooks,
    ) -> None:
        self.clock = clock
        self.config = config
        self.state = LinkState.DISCONNECTED
        self.link: Link | None = None
        #: The reconnection under way (or the last one), None before the first drop.
        self.recovery: asyncio.Task[None] | None = None
        self._links = links
        self._decoder = decoder
        self._feed = feed
        self._keys = keys
        self._hooks = hooks
        self._closing: set[asyncio.Task[None]] = set()
        self._watchdog: TimerHandle | None = None

    @property
    def description(self) -> str:
        """The current link, in words ("" when there is none)."""
        return self.link.description if self.link is not None else ""

    @property
    def recovering(self) -> bool:
        """True while a reconnection is under way."""
        return self.recovery is not None and not self.recovery.done()

    async def open(self) -> None:
        """A fresh link, open, with a first status in hand; the watchdog armed.

        Raises :class:`~chairctl.vocabulary.LinkError` (and
        :class:`~chairctl.vocabulary.ModelMismatch` for a chair its model file does not fit,
        before anything is sent)."""
        if self._closing:
            await asyncio.wait(self._closing)
        link = self._links()
        self._decoder.reset()
        self._feed.revive()
        self.link = link
        try:
            await self.clock.wait_for(
                link.open(partial(self._on_data, link), partial(self._on_lost, link)),
                self.config.open_timeout_s,
            )
        except TimeoutError:
            self.abandon(link)
            raise LinkError(
                f"{link.description} did not open within {self.config.open_timeout_s:g} s"
            ) from None
        except BaseException:
            self.abandon(link)
            raise
        if self.link is not link:
            raise LinkError(f"{link.description} dropped while it opened")
        self._keys.attach(link)
        first = await self._feed.wait(
            lambda _s, _at: True, deadline=self.clock.now() + self.config.first_status_timeout_s
        )
        if first is None:
            self.abandon(link)
            raise LinkError(
                f"no status from the chair within {self.config.first_status_timeout_s:g} s of "
                f"opening {link.description}"
            )
        mismatch = self._hooks.mismatch(first)
        if mismatch is not None:
            # Before anything is sent: a model file that does not fit the chair drives nothing.
            self.abandon(link)
            raise ModelMismatch(f"{mismatch}; nothing was sent to the chair")
        self._arm_watchdog()

    async def stop_recovering(self) -> None:
        """Cancel a reconnection under way, and wait for it to end."""
        recovery = self.recovery
        if recovery is not None and not recovery.done():
            recovery.cancel()
            await asyncio.wait({recovery})

    async def close(self) -> None:
        """Close the current link (the session sent what it owed first); the state is CLOSED."""
        self.state = LinkState.CLOSED
        link, self.link = self.link, None
        self._keys.attach(None)
        self._disarm_watchdog()
        self._feed.close("the session is closed")
        if link is not None:
            await link.close()

    async def closed(self) -> None:
        """Wait for the links given up to finish closing."""
        if self._closing:
            await asyncio.wait(self._closing)

    def abandon(self, link: Link) -> None:
        """Give ``link`` up: its bytes no longer count, and it is closed in the background."""
        if self.link is link:
            self.link = None
            self._keys.attach(None)
            self._feed.fail(f"{link.description} was given up")
        self._close_later(link)

    # -- internals ------------------------------------------------------------------------------

    def _close_later(self, link: Link) -> None:
        task = asyncio.ensure_future(_close_quietly(link))
        self._closing.add(task)
        task.add_done_callback(self._closing.discard)

    def _on_data(self, link: Link, data: bytes) -> None:
        if link is not self.link:
            return  # a link we gave up: its bytes are not about the chair any more
        for status in self._decoder.feed(data):
            self._hooks.on_status(status)

    def _on_lost(self, link: Link, reason: str) -> None:
        if link is self.link:
            self._lose(reason)

    def _lose(self, reason: str) -> None:
        """The link is gone (it dropped, or the watchdog gave up on it)."""
        link, self.link = self.link, None
        self._keys.attach(None)
        self._disarm_watchdog()
        self._feed.fail(f"the link to the chair dropped: {reason}")
        self._hooks.on_lost(reason)
        if link is not None:
            self._close_later(link)
        if self.state is not LinkState.CONNECTED:
            return  # connecting (the caller hears it) or reconnecting (the attempt fails)
        lost_at = self.clock.now()
        self.state = LinkState.RECONNECTING
        self._hooks.on_dropped(reason, lost_at)
        self.recovery = asyncio.ensure_future(self._recover(reason, lost_at))

    async def _recover(self, reason: str, lost_at: float) -> None:
        """Reconnect with backoff; then the session's release. Never resumes."""
        config = self.config
        for attempt in range(config.reconnect_attempts):
            await self.clock.sleep(config.backoff(attempt))
            try:
                await self.open()
                report = await self._hooks.release()
            except LinkError:
                continue
            self.state = LinkState.CONNECTED
            self._hooks.on_recovered(reason, lost_at, report)
            return
        self.state = LinkState.DISCONNECTED
        self._hooks.on_gave_up(reason, lost_at)

    def _arm_watchdog(self) -> None:
        self._disarm_watchdog()
        due = self._feed.latest_at + self.config.status_timeout_s
        self._watchdog = self.clock.call_at(due, self._watchdog_due)

    def _disarm_watchdog(self) -> None:
        if self._watchdog is not None:
            self._watchdog.cancel()
            self._watchdog = None

    def _watchdog_due(self) -> None:
        # One timer per timeout period rather than one per status: it re-arms from the
        # latest status whenever one came in time.
        self._watchdog = None
        if self.link is None:
            return
        due = self._feed.latest_at + self.config.status_timeout_s
        if self.clock.now() >= due:
            self._lose(f"no status for {self.config.status_timeout_s:g} s")
        else:
            self._watchdog = self.clock.call_at(due, self._watchdog_due)


async def _close_quietly(link: Link) -> None:
    with contextlib.suppress(ChairctlError, OSError):
        await link.close()
