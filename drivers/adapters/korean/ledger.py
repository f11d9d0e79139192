"""The one button on its way: no press goes out, and no release judges the chair, while an
earlier press may still be changing what the status will show.

Every button of this chair is a toggle or a cycle, judged by statuses that show a change a
second or more after the press (the blink window). An apply cut short by a newer setpoint or by
a stop may leave a press sent but not judged: the chair may have taken it, and the status not
show it yet. Were the next apply to plan from that status, it would press the same toggle again
and undo it; were a release to judge the chair by it, a power press that is switching the chair
on would read "off". So the press is written down before it goes out, with the time by which a
status shows what it did, and struck off once a status judged it. Until then, the next press
and the release wait for a status from that time on.
"""

from __future__ import annotations

import math
from typing import Final

from drivers.adapters.base import Port

#: A wait for the status gives up this many windows after its time (the session's watchdog
#: declares a silent link lost long before).
_SILENCE_WINDOWS: Final = 10


class PressLedger:
    """The press sent whose effect the status may not show yet, if any."""

    def __init__(self) -> None:
        #: From when a status shows what the open press did; -inf: no press is open.
        self._shows_by = -math.inf
        self._window_s = 0.0

    @property
    def open(self) -> bool:
        """True while a press is sent (or going out) and not judged."""
        return not math.isinf(self._shows_by)

    def sending(self, now: float, gap_s: float, window_s: float) -> None:
        """A press goes out from ``now`` (within a key gap): open until a status shows it."""
        self._window_s = window_s
        self._shows_by = max(self._shows_by, now + gap_s + window_s)

    def sent(self, at: float, window_s: float) -> None:
        """The press went out at ``at``."""
        self._window_s = window_s
        self._shows_by = at + window_s

    def judged(self) -> None:
        """A status judged the open press."""
        self._shows_by = -math.inf

    async def settled(self, port: Port) -> None:
        """Return once a status arrived from when the open press shows (at once when none is
        open, or the latest status is late enough); the press is then struck off."""
        shows_by = self._shows_by
        if math.isinf(shows_by):
            return
        if port.status_at < shows_by:
            await port.wait(
                lambda _s, at: at >= shows_by,
                deadline=shows_by + _SILENCE_WINDOWS * self._window_s,
            )
        self.judged()
