"""However a session is told to end, the chair is released first, and the words stay true.

A session started from a front end can be ended by the person (Ctrl-C, Escape), by the
system (SIGTERM, SIGHUP when the terminal closes), or by its output going away (a closed pipe,
a closed terminal). :class:`SessionEnding` turns each of these into the same thing: one request
to stop the session (a safe release), and an exit code that says what ended it.

When the chair does not confirm its safe state, :func:`left_to_itself` says what the chair will
do on its own (its own session timer, as far as its statuses tell) and how to stop it by hand,
rather than claiming a release nobody saw.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import signal
from collections.abc import Callable

from chairctl.vocabulary import ChairStatus
from chairctl.vocabulary.limits import SESSION_CAP_S

#: The signals that end a session, and the exit code a shell reports for each.
SIGNAL_EXIT: dict[signal.Signals, int] = {
    signal.SIGINT: 130,
    signal.SIGTERM: 143,
    signal.SIGHUP: 129,
}
#: Exit codes for a session whose output went away, as if by the matching signal.
_LOST_EXIT = {"its output was closed (broken pipe)": 128 + signal.SIGPIPE}

#: How to stop a chair by hand, the same words on every front end.
BY_HAND = "to stop it now, press the power key on its remote or switch it off at the wall"


class SessionEnding:
    """Signals and lost output, each turned into one stop of the session.

    ``stop(reason)`` is called once, on the event loop, with the first reason; later ones are
    remembered only if nothing came before. Signal handlers are installed by :meth:`install`
    and removed by :meth:`uninstall`; :meth:`output_lost` may be called from any thread (a
    display's refresh thread writes too).
    """

    def __init__(self) -> None:
        self.signal: signal.Signals | None = None
        self.lost: str | None = None
        self._stop: Callable[[str], None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._pending: str | None = None

    @property
    def reason(self) -> str | None:
        """Why the session was told to end, if it was."""
        if self.signal is not None:
            return f"stopped by {self.signal.name}"
        if self.lost is not None:
            return f"stopped: {self.lost}"
        return None

    @property
    def exit_code(self) -> int | None:
        """The exit code for the ending, None when nothing ended it from outside."""
        if self.signal is not None:
            return SIGNAL_EXIT[self.signal]
        if self.lost is not None:
            return _LOST_EXIT.get(self.lost, SIGNAL_EXIT[signal.SIGHUP])
        return None

    def install(self, loop: asyncio.AbstractEventLoop, stop: Callable[[str], None]) -> None:
        """Handle the ending signals on ``loop``; ``stop`` ends the session, safely."""
        self._loop, self._stop = loop, stop
        for sig in SIGNAL_EXIT:
            loop.add_signal_handler(sig, self._signalled, sig)
        if self._pending is not None:
            # The output went away before the loop was ready: stop as soon as it runs.
            loop.call_soon(self._request, self._pending)

    def uninstall(self) -> None:
        """Give the signals back to their defaults' handling by the caller."""
        if self._loop is not None:
            for sig in SIGNAL_EXIT:
                self._loop.remove_signal_handler(sig)
        self._stop = None

    def output_lost(self, why: str) -> None:
        """The reader of the output is gone (from any thread): end the session."""
        if self.lost is None:
            self.lost = why
        loop = self._loop
        if loop is None or loop.is_closed():
            self._pending = self._pending or why
            return
        # A loop that is closing refuses it: the session has ended already.
        with contextlib.suppress(RuntimeError):
            loop.call_soon_threadsafe(self._request, why)

    def _signalled(self, sig: signal.Signals) -> None:
        if self.signal is None and self.lost is None:
            self.signal = sig
        self._request(f"stopped by {sig.name}")

    def _request(self, reason: str) -> None:
        stop, self._stop = self._stop, None  # once: a second Ctrl-C is the same stop
        if stop is not None:
            stop(self.reason or reason)


def left_to_itself(status: ChairStatus | None, status_age_s: float) -> str:
    """What a chair that did not confirm its safe state will do on its own, and how to stop
    it by hand; ``status_age_s`` is how long ago (chair seconds) ``status`` came."""
    if status is not None and status.remaining_s > 0:
        left = status.remaining_s - status_age_s
        if left > 0:
            minutes = max(1, math.ceil(left / 60))
            return (
                f"Going by its last status, its own timer ends its program in about {minutes} "
                f"minute{'s' if minutes != 1 else ''}; {BY_HAND}."
            )
        return f"Going by its last status, its own timer should have ended its program; {BY_HAND}."
    if status is not None and status.preset_minutes:
        return (
            f"Its own timer ends its program at most {status.preset_minutes} minutes after it "
            f"started (the chair's last status showed that timer); {BY_HAND}."
        )
    return (
        "Its own timer ends its program at most "
        f"{SESSION_CAP_S // 60} minutes after it started (the longest timer chairctl lets a "
        f"chair's model set; this chair does not show its timer); {BY_HAND}."
    )
