"""The chair's end of the panel line: tick bytes in, key events out, a vanished panel noticed.

Every byte is one tick, taken when it arrives (the chair does not re-time a burst: a controller
that writes a whole press at once has it acted on at once). A run of ticks carrying one code is
one key; the codes are the chair model's (:class:`~drivers.models.ncni.NcniKeys`), not the known
panel's, so a model with other codes is read by its own table.

- A press acts once, when its run ends: at the first tick that is not its code
  (:class:`~simulator.ncni.frames.Press`).
- A hold key (backrest up/down) acts from its first tick (:class:`HoldStart`) until its run
  ends (:class:`~simulator.ncni.frames.Hold`): at the first other tick, or when no tick at all
  has arrived for :data:`SILENCE_TICKS` tick periods.
- A press whose run is cut by that silence never saw its release: it is dropped, not acted on.
- Runs of codes the model does not know change nothing; they are counted.

The silence watch is one clock timer, armed while a key is on the line and re-armed by each
arrival of ticks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from chairctl.clock import Clock, TimerHandle
from drivers.models.ncni import NcniKeys
from simulator.ncni.frames import IDLE_TICK, TICK_S, Hold, Press

#: Tick periods without any tick after which the chair takes the key as released.
SILENCE_TICKS: Final = 3


@dataclass(frozen=True, slots=True)
class HoldStart:
    """The first tick of a hold key: the chair starts moving now."""

    code: int


PanelEvent = Press | Hold | HoldStart


@dataclass
class LineStats:
    """How the ticks fared, for tests and diagnostics."""

    ticks: int = 0
    #: Runs of codes the model has no key for.
    unknown: int = 0
    #: Press runs the line fell silent in, before any release.
    cut_off: int = 0
    #: Holds stopped by silence rather than by a release tick.
    silenced: int = 0


class PanelLine:
    """Reads the panel's ticks for a chair with ``keys``; hands each event to ``on_event``."""

    def __init__(
        self, clock: Clock, keys: NcniKeys, on_event: Callable[[PanelEvent], None]
    ) -> None:
        self.clock = clock
        self._known = frozenset(keys.names())
        self._holds = frozenset({keys.backrest_up, keys.backrest_down})
        self._on_event = on_event
        self._code = IDLE_TICK
        self._ticks = 0
        self._silence: TimerHandle | None = None
        self.stats = LineStats()

    @property
    def held(self) -> tuple[int, int] | None:
        """The code on the line now and for how many ticks, None when no key is down."""
        return (self._code, self._ticks) if self._code != IDLE_TICK else None

    def feed(self, ticks: bytes) -> None:
        """Take ticks that arrived now, in order."""
        for tick in ticks:
            self.stats.ticks += 1
            if tick == self._code:
                self._ticks += 1
                continue
            self._end_run(released=True)
            self._code, self._ticks = tick, (0 if tick == IDLE_TICK else 1)
            if tick in self._holds:
                self._on_event(HoldStart(tick))
        self._watch()

    def _end_run(self, *, released: bool) -> None:
        code, ticks = self._code, self._ticks
        self._code, self._ticks = IDLE_TICK, 0
        if code == IDLE_TICK:
            return
        if code not in self._known:
            self.stats.unknown += 1
        elif code in self._holds:
            if not released:
                self.stats.silenced += 1
            self._on_event(Hold(code, ticks))
        elif released:
            self._on_event(Press(code, ticks))
        else:
            self.stats.cut_off += 1

    def _watch(self) -> None:
        if self._silence is not None:
            self._silence.cancel()
            self._silence = None
        if self._code != IDLE_TICK:
            deadline = self.clock.now() + SILENCE_TICKS * TICK_S
            self._silence = self.clock.call_at(deadline, self._fell_silent)

    def _fell_silent(self) -> None:
        self._silence = None
        self._end_run(released=False)

    def shutdown(self) -> None:
        """Cancel the silence watch."""
        if self._silence is not None:
            self._silence.cancel()
            self._silence = None
