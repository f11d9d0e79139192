"""Reading the Korean chair's blinking display over time into steady values.

Several of the status's bits are LEDs of the remote that blink while what they stand for is on
(:data:`~drivers.protocols.korean.status.LONG_LAMPS`: the manual technique, the six roller
positions, the four air zones, the backrest and leg-rest motion; and the short frame's
auto-program indicators, which may or may not blink: no source says). The source describes the
blink as "about once per second", "about every 0.5 s" per phase. One frame shows one phase, so
a lamp at rest in one frame may be off or in the rest phase of a blink.

:class:`BlinkReader` is pure: it is fed trusted frames with the time each arrived (the adapter
passes its clock's time) and answers a :class:`Steady` reading, each lamp one of:

- ``ACTIVE``: seen away from its rest value in at least :data:`SIGHTINGS` (2) frames within the
  last :data:`BLINK_WINDOW_S` seconds. Two, not one: the stream decoder does not compare lamp
  bits (they blink), so one damaged frame must not be enough to claim a technique, an air zone
  or a motion. A blinking lamp and one held away from rest (a meaning no source gives) both
  read active; the reader cannot tell them apart and does not try.
- ``IDLE``: at rest in every frame of the last :data:`BLINK_WINDOW_S` seconds, through which
  frames of its kind came never more than :data:`MAX_GAP_S` apart and at least
  :data:`MIN_FRAMES` of them, so a blink could not have fallen between them.
- ``UNKNOWN``: neither. That is the first window after frames start or resume after a gap (a
  lamp at rest so far may be off, or in the rest phase of a blink whose other phase has not
  come), a lamp seen away in one frame only, and frames too sparse to catch a phase.

The chair pushes its long status about twice a second (the source's iOS app,
``ChairBLEManager.swift``, which reads a technique from one frame with its lamp low in 1.5 s),
so a blink of about 1 Hz shows each phase in about one frame. The window holds three blink
periods and about six frames: two sightings of a blinking lamp fit in it with room, and a blink
up to half again as slow is still read. The gap bound lets one frame in a row go missing or be
held back by the stream decoder's repeat rule (about a second), not more. Every constant is
[assumed]: no source measures the blink or the frame rate closely.

What the window costs: a lamp that starts blinking reads ``ACTIVE`` at its second frame away
from rest (about a second); one that stops reads ``ACTIVE`` until its second-last frame away is
a window old, ``UNKNOWN`` until its last one is, and ``IDLE`` after that (up to three seconds).

Steady fields (air, levels, width, heater, motion active, manual/auto, area) are not blinking
and are taken from the latest trusted frame; the stream decoder checked them. The timer is the
latest reading of two digits within the window, so a display that blanks or blinks its digits
[assumed] keeps its last value for a window.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Final

from drivers.protocols.korean.frames import Frame
from drivers.protocols.korean.status import (
    AUTO_LAMPS,
    DIGESTION,
    LONG_LAMPS,
    Lamp,
    LampGroup,
    LongStatus,
    ShortStatus,
)

#: Seconds a lamp is looked at: three periods of a blink of "about 1 Hz". [assumed]
BLINK_WINDOW_S: Final = 3.0
#: The longest gap between two frames of a kind over which a lamp can still read idle: one
#: frame of the ~2 per second missing, with slack. [assumed]
MAX_GAP_S: Final = 1.25
#: Frames of a kind the window must hold for a lamp to read idle (about six come at ~2 Hz).
MIN_FRAMES: Final = 4
#: Frames showing a lamp away from rest, within the window, for it to read active.
SIGHTINGS: Final = 2
#: Slack for sums of float times (a VirtualClock's steps of 0.1 s do not add up exactly).
_EPS: Final = 1e-9

ALL_LAMPS: Final = LONG_LAMPS + AUTO_LAMPS


class Reading(StrEnum):
    """A lamp's state over the window."""

    ACTIVE = "active"
    IDLE = "idle"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Steady:
    """What the display says once its blinking is read over the window, at :attr:`at_s`."""

    at_s: float
    #: The latest trusted long status (its steady fields: air, levels, width, heater, motion
    #: active); None before the first.
    long: LongStatus | None
    #: The latest trusted short status (manual/auto, area); None before the first.
    short: ShortStatus | None
    #: A long status came within :data:`MAX_GAP_S` before :attr:`at_s`: :attr:`long` is current.
    fresh: bool
    #: The latest two-digit timer reading within the window; None if the window has none.
    timer_minutes: int | None
    readings: Mapping[Lamp, Reading]

    def group(self, group: LampGroup) -> dict[str, Reading]:
        """The readings of one group's lamps, by name, in the order of its table."""
        return {lamp.name: r for lamp, r in self.readings.items() if lamp.group == group}

    def active(self, group: LampGroup) -> frozenset[str]:
        """The names of the group's lamps that read active."""
        return frozenset(n for n, r in self.group(group).items() if r is Reading.ACTIVE)

    def unknown(self, group: LampGroup) -> frozenset[str]:
        """The names of the group's lamps whose state the window cannot tell yet."""
        return frozenset(n for n, r in self.group(group).items() if r is Reading.UNKNOWN)

    @property
    def technique(self) -> str | None:
        """The manual technique whose lamp blinks, when exactly one does."""
        active = self.active("technique")
        return next(iter(active)) if len(active) == 1 else None

    @property
    def auto_program(self) -> str | None:
        """The auto program shown: the one indicator active; digestion (which has none) only
        when the short status says auto and every indicator has read idle for a window, so a
        blinking indicator in its dark phase is never taken for it. None in manual mode, with
        no short status, while more than one reads active, or while the window cannot tell."""
        if self.short is None or self.short.manual:
            return None
        active = self.active("auto")
        if active:
            return next(iter(active)) if len(active) == 1 else None
        readings = self.group("auto").values()
        return DIGESTION if all(r is Reading.IDLE for r in readings) else None


@dataclass
class _Track:
    """When frames of one kind came: within the window, and since when without a gap."""

    #: The times of the frames of the last window, oldest first.
    times: deque[float] = field(default_factory=deque)
    covered_since: float = 0.0

    @property
    def last_at(self) -> float | None:
        return self.times[-1] if self.times else None

    def add(self, at_s: float, window_s: float, max_gap_s: float) -> None:
        last = self.last_at
        if last is None or at_s - last > max_gap_s + _EPS:
            self.covered_since = at_s  # a gap: a whole phase may have passed unseen
        self.times.append(at_s)
        while self.times[0] <= at_s - window_s - max_gap_s:
            self.times.popleft()

    def covered(self, at_s: float, window_s: float, max_gap_s: float) -> bool:
        last = self.last_at
        return (
            last is not None
            and at_s - last <= max_gap_s + _EPS
            and at_s - self.covered_since >= window_s - _EPS
            and sum(1 for t in self.times if t > at_s - window_s + _EPS) >= MIN_FRAMES
        )


@dataclass
class _State:
    long: _Track = field(default_factory=_Track)
    short: _Track = field(default_factory=_Track)
    latest_long: LongStatus | None = None
    latest_short: ShortStatus | None = None
    #: When each lamp was last seen away from rest: the last :data:`SIGHTINGS` times.
    away_at: dict[Lamp, deque[float]] = field(default_factory=dict)
    #: The latest two-digit timer reading and when it came.
    timer: tuple[float, int] | None = None
    #: The latest time fed.
    now: float | None = None


class BlinkReader:
    """Reads trusted status frames, fed with the times they came, into :class:`Steady` values.

    Times only move forward: a time earlier than one already fed (a clock reset) starts the
    reading afresh, since nothing seen before it can be placed in the window.
    """

    def __init__(self, window_s: float = BLINK_WINDOW_S, max_gap_s: float = MAX_GAP_S) -> None:
        if not 0 < max_gap_s < window_s:
            raise ValueError(f"need 0 < max_gap_s < window_s, not {max_gap_s}, {window_s}")
        self.window_s = window_s
        self.max_gap_s = max_gap_s
        self._s = _State()

    def reset(self) -> None:
        """Forget everything seen (a reconnect: the gap in between is unknown)."""
        self._s = _State()

    def feed(self, frame: Frame, at_s: float) -> Steady:
        """Take one trusted frame that came at ``at_s`` seconds; the reading after it.
        Acknowledgements and unknown frames change no reading."""
        s = self._s
        if s.now is not None and at_s < s.now - _EPS:
            self.reset()
            s = self._s
        s.now = at_s if s.now is None else max(s.now, at_s)
        if isinstance(frame, LongStatus):
            self._seen(s.long, frame.away, at_s)
            s.latest_long = frame
            if frame.timer_minutes is not None:
                s.timer = (at_s, frame.timer_minutes)
        elif isinstance(frame, ShortStatus):
            self._seen(s.short, frame.away, at_s)
            s.latest_short = frame
        return self.read(at_s)

    def _seen(self, track: _Track, away: frozenset[Lamp], at_s: float) -> None:
        track.add(at_s, self.window_s, self.max_gap_s)
        for lamp in away:
            self._s.away_at.setdefault(lamp, deque(maxlen=SIGHTINGS)).append(at_s)

    def read(self, at_s: float) -> Steady:
        """The reading at ``at_s`` (no earlier than the last time fed) from what came so far."""
        s = self._s
        if s.now is not None:
            at_s = max(at_s, s.now)
        long_covered = s.long.covered(at_s, self.window_s, self.max_gap_s)
        short_covered = s.short.covered(at_s, self.window_s, self.max_gap_s)
        readings: dict[Lamp, Reading] = {}
        for lamp in ALL_LAMPS:
            recent = sum(1 for t in s.away_at.get(lamp, ()) if at_s - t < self.window_s - _EPS)
            if recent >= SIGHTINGS:
                readings[lamp] = Reading.ACTIVE
            elif not recent and (long_covered if lamp.group != "auto" else short_covered):
                readings[lamp] = Reading.IDLE
            else:
                readings[lamp] = Reading.UNKNOWN
        timer = s.timer
        return Steady(
            at_s=at_s,
            long=s.latest_long,
            short=s.latest_short,
            fresh=s.long.last_at is not None and at_s - s.long.last_at <= self.max_gap_s + _EPS,
            timer_minutes=(
                timer[1] if timer is not None and at_s - timer[0] < self.window_s - _EPS else None
            ),
            readings=MappingProxyType(readings),
        )
