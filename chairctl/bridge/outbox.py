"""What the bridge has to say on the broker, kept apart from whether the broker is there.

The chair's side never waits on the network: it puts its news here and goes on. The retained
topics (availability, state, library, profiles, discovery) keep only their latest payload and
are all sent again on every new connection, so a broker that was away learns the present, not
the history. The state is rate-limited (a status every 50 ms must not become a message every
50 ms) except when it is urgent: a stop, a fault, the end of a session, a link lost go out at
once. Events and errors queue, boundedly: while the broker is away the oldest are dropped.
"""

from __future__ import annotations

import asyncio
import math
from collections import deque
from dataclasses import dataclass
from typing import Final

from chairctl.clock import Clock

#: Events and errors kept while they cannot be sent.
BACKLOG: Final = 200


@dataclass(frozen=True)
class Message:
    """One MQTT message to publish."""

    topic: str
    payload: bytes
    retain: bool
    #: The state goes at QoS 0: the next one supersedes it (and it is retained), and a QoS 1
    #: publish twice a second has the broker owe the bridge an acknowledgement that a stop
    #: command coming the other way can wait behind (up to 40 ms on mosquitto's defaults).
    qos: int = 1


class Outbox:
    """The messages waiting for the broker; :meth:`next` hands them to the connection."""

    def __init__(self, clock: Clock, *, state_topic: str, state_interval_s: float) -> None:
        self._clock = clock
        self._state_topic = state_topic
        self._interval = state_interval_s
        self._retained: dict[str, bytes] = {}
        self._dirty: dict[str, None] = {}  # retained topics to send, in the order they came
        self._queue: deque[Message] = deque(maxlen=BACKLOG)
        self._state: bytes | None = None
        self._state_sent: bytes | None = None
        self._state_due: float | None = None
        self._state_at = -math.inf
        self._interrupted = False
        self._wake = asyncio.Event()

    @property
    def state(self) -> bytes | None:
        """The latest state put in, sent or not."""
        return self._state

    def retain(self, topic: str, payload: bytes) -> None:
        """The retained ``topic`` now says ``payload`` (empty: clear it on the broker)."""
        if self._retained.get(topic) == payload and topic not in self._dirty:
            return
        self._retained[topic] = payload
        self._dirty[topic] = None
        self._wake.set()

    def send(self, topic: str, payload: bytes) -> None:
        """Send ``payload`` on ``topic`` once (not retained)."""
        self._queue.append(Message(topic, payload, retain=False))
        self._wake.set()

    def put_state(self, payload: bytes, *, urgent: bool = False) -> None:
        """The chair's state changed to ``payload``: sent at once when ``urgent``, else no
        sooner than the interval after the last one."""
        if payload == self._state and not (urgent and self._state_due is not None):
            return
        self._state = payload
        if payload == self._state_sent:
            self._state_due = None  # back to what the broker has: nothing to send
            return
        now = self._clock.now()
        due = now if urgent else max(now, self._state_at + self._interval)
        self._state_due = due if self._state_due is None else min(self._state_due, due)
        self._wake.set()

    def interrupt(self) -> None:
        """Make the writer waiting in :meth:`next` get nothing, so that it ends: asking is
        surer than cancelling it (a cancellation can be lost in a publish's own wait)."""
        self._interrupted = True
        self._wake.set()

    def connected(self) -> None:
        """A new connection: every retained topic and the state are sent again."""
        self._interrupted = False
        self._dirty = dict.fromkeys(self._retained)
        self._state_sent = None
        if self._state is not None:
            self._state_due = self._clock.now()
        self._wake.set()

    def _take(self) -> list[Message]:
        now = self._clock.now()
        # Availability and the descriptions first (a client learns the chair is there before
        # what it does), then the state, then events and errors in the order they came.
        taken = [Message(topic, self._retained[topic], True) for topic in self._dirty]
        self._dirty.clear()
        if self._state is not None and self._state_due is not None and self._state_due <= now:
            taken.append(Message(self._state_topic, self._state, retain=True, qos=0))
            self._state_sent, self._state_due, self._state_at = self._state, None, now
        taken.extend(self._queue)
        self._queue.clear()
        return taken

    async def next(self) -> list[Message]:
        """The messages due now, waiting until there are some; none once interrupted."""
        while True:
            self._wake.clear()
            if self._interrupted:
                self._interrupted = False
                return []
            taken = self._take()
            if taken:
                return taken
            # A timer, not a timeout around the wait: a cancelled writer must stay cancelled.
            timer = (
                self._clock.call_at(self._state_due, self._wake.set)
                if self._state_due is not None
                else None
            )
            try:
                await self._wake.wait()
            finally:
                if timer is not None:
                    timer.cancel()
