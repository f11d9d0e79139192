"""Telling a chair that protected itself from one switched off, when its status has no fault.

The Korean chair has no fault field. A motor overload or an actuator running into its watchdog
makes it power off where it stands, and its display goes dark, exactly as after a power press,
an idle sleep or the end of its timer. The adapter can tell what the status cannot: while a
setpoint has the chair working (the rollers, the air or the foot roller on, which also keeps it
from falling asleep) and the adapter has not switched it off itself, a display that goes dark
means the chair switched itself off. :class:`OffWatch` then reports every status as
:attr:`~chairctl.vocabulary.WorkState.FAULT`, so the session latches a fault and nothing
switches the chair on again until the user acknowledges it.

It judges by the latest trusted frame's timer (:attr:`KoreanDetail.dark`), not by the blink
reader's, which holds the last digits for a window: a fault is latched within about a second.
Only the latching is that quick; a release still waits for the display to read dark over a
whole window before it calls the chair off (:func:`~.view.is_safe`).

The chair's own timer also switches it off. The adapter sets that timer to outlast the session
(:meth:`~.adapter.KoreanAdapter.expect_session`), so a display gone dark while the chair works
is taken for a fault all the same: nothing is switched on again by itself.
"""

from __future__ import annotations

from chairctl.vocabulary import ChairStatus, WorkState
from drivers.protocols.korean.detail import KoreanDetail


class OffWatch:
    """Whether a dark display now means the chair switched itself off."""

    def __init__(self) -> None:
        #: The chair works for a setpoint: switching off is the chair's own doing.
        self.armed = False
        #: The chair switched itself off: its statuses read as FAULT until acknowledged.
        self.latched = False
        #: The minutes the timer last showed before the display went dark.
        self.last_minutes: int | None = None

    def judge(self, status: ChairStatus, detail: KoreanDetail) -> ChairStatus:
        """``status`` as the session should see it."""
        if not detail.dark:
            # Lit (only a power press lights it again: the user's, on the remote).
            self.latched = False
            self.last_minutes = detail.timer_minutes
            return status
        if self.armed:
            self.armed = False
            self.latched = True
        if self.latched:
            return status.model_copy(update={"work_state": WorkState.FAULT, "running": False})
        return status

    def acknowledge(self) -> None:
        """The user's word: a dark display reads as off again."""
        self.armed = False
        self.latched = False
