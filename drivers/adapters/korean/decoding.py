"""The Korean chair's line in, normalised statuses out, on the session's clock.

:class:`KoreanStatusDecoder` feeds every byte to the codec's
:class:`~drivers.protocols.korean.FrameDecoder` (which trusts a status only when its steady
fields repeat), hands each trusted frame to a :class:`~drivers.protocols.korean.BlinkReader`
with the clock's time as it arrives, and yields
:func:`~drivers.protocols.korean.to_chair_status` of the reading, with a
:class:`~drivers.protocols.korean.detail.KoreanDetail` in its ``detail``. Nothing is yielded
before the first trusted long status: until then nothing about the chair is known, and a status
made of nothing would read "standby".

One status is yielded per trusted long status, the chair's main frame (about twice a second):
a short status only joins the reading, so the next long one carries it. A session's watchdog
and its readers then see one status per frame the chair sends, as with the other families.

The acknowledgements (the chair's beeps) are events, not state: the decoder counts them, and
each status carries the counts so far, with the count of trusted short statuses (so that the
adapter can tell a short status read after a key from one read before it). The counts survive
:meth:`~KoreanStatusDecoder.reset` (a reconnect), so they only ever grow and a change in them is
always news.

The adapter passes a ``judge`` that reads each status the way only it can (a display gone dark
as a fault while it has the chair working, :mod:`.watch`).
"""

from __future__ import annotations

from collections.abc import Callable

from chairctl.clock import Clock
from chairctl.vocabulary import ChairStatus
from drivers.protocols.korean import Ack, AckFrame, BlinkReader, FrameDecoder, to_chair_status
from drivers.protocols.korean.detail import KoreanDetail, detail_of_steady
from drivers.protocols.korean.status import LongStatus, ShortStatus

#: A status as the adapter reads it, given its detail.
Judge = Callable[[ChairStatus, KoreanDetail], ChairStatus]


def _as_is(status: ChairStatus, detail: KoreanDetail) -> ChairStatus:
    del detail
    return status


class KoreanStatusDecoder:
    """Bytes of the chair's line in, statuses with their detail out; never raises."""

    def __init__(self, clock: Clock, judge: Judge = _as_is) -> None:
        self._clock = clock
        self._judge = judge
        #: The codec's stream decoder, for its counters.
        self.frames = FrameDecoder()
        self.blink = BlinkReader()
        self._acks = dict.fromkeys(Ack, 0)
        self._shorts = 0

    def feed(self, data: bytes) -> list[ChairStatus]:
        statuses: list[ChairStatus] = []
        for frame in self.frames.feed(data):
            if isinstance(frame, AckFrame):
                self._acks[frame.ack] += 1
            elif isinstance(frame, ShortStatus):
                self.blink.feed(frame, self._clock.now())
                self._shorts += 1
            elif isinstance(frame, LongStatus):
                steady = self.blink.feed(frame, self._clock.now())
                detail = detail_of_steady(steady, self._acks, self._shorts)
                if detail is not None:
                    status = to_chair_status(steady).model_copy(update={"detail": detail})
                    statuses.append(self._judge(status, detail))
        return statuses

    def reset(self) -> None:
        """A new link: a line half read and the blinking seen before are forgotten (the gap
        in between is unknown); the acknowledgements counted stay counted."""
        self.frames.reset()
        self.blink.reset()
