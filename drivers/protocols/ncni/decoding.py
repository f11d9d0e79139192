"""NCNI status bytes in, normalised statuses out: the stream reader with the chair's known
transient smoothed over.

:class:`NcniStatusDecoder` reads the stream with
:class:`~drivers.protocols.ncni.stream.StatusDecoder` (which trusts a frame only when the next
repeats it) and maps each frame onto a
:class:`~chairctl.vocabulary.ChairStatus`. A running chair's status sometimes drops its running
flag for a frame or a few while nothing else changes (the upstream project's
``test_predkosc_masazu_stop_does_not_raise_false_unverified``); that is not taken for the chair
stopping. The adapter may pass a ``judge`` that reads each status the way only it can (an off
status as a fault while it has the chair working).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Final

from chairctl.vocabulary import ChairStatus
from drivers.protocols.ncni.status import NcniStatus, to_chair_status
from drivers.protocols.ncni.stream import StatusDecoder

#: The most statuses in a row a running flag that dropped is held as running, when nothing
#: else says the chair stopped: about a second at the chair's 100 ms frames [assumed; upstream
#: names the transient but not its length].
TRANSIENT_STATUSES: Final = 10

#: A status as the adapter reads it (the identity when it has nothing to add).
Judge = Callable[[ChairStatus], ChairStatus]


def _transient(last: NcniStatus, now: NcniStatus) -> bool:
    """``now`` is the known transient of a chair that was running as ``last`` showed: its
    running flag dropped while its mode and pressure stay and its foot-speed bucket is valid."""
    return (
        now.powered
        and not now.running
        and (now.mode, now.manual, now.auto_profile, now.pressure)
        == (last.mode, last.manual, last.auto_profile, last.pressure)
        and now.foot_speed is not None
    )


def _as_is(status: ChairStatus) -> ChairStatus:
    return status


class NcniStatusDecoder:
    """The NCNI stream decoder (with its repeat rule), yielding normalised statuses, each
    passed through ``judge``; the running flag's known transient drop is held as running."""

    def __init__(self, judge: Judge = _as_is) -> None:
        #: The codec's decoder, for its counters.
        self.frames = StatusDecoder()
        self._judge = judge
        self._running: NcniStatus | None = None
        self._held = 0

    def feed(self, data: bytes) -> list[ChairStatus]:
        return [self._judge(to_chair_status(self._steady(s))) for s in self.frames.feed(data)]

    def _steady(self, status: NcniStatus) -> NcniStatus:
        last = self._running
        if status.running:
            self._running, self._held = status, 0
            return status
        if last is not None and self._held < TRANSIENT_STATUSES and _transient(last, status):
            self._held += 1
            return replace(status, running=True)
        self._running = None
        return status

    def reset(self) -> None:
        self.frames.reset()
        self._running = None
