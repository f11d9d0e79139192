"""Telling a protective power-off from an ordinary one, on a chair whose status has no fault.

A motor overload or an actuator running into its watchdog makes the NCNI chair protect
itself: it stops, vents and powers off, and its status goes all zero, exactly as after a
power press. So the status alone cannot say "fault". The adapter can: while a setpoint has
the chair working (a manual mode or an airbag zone selected, which also keeps it from falling
asleep, and its timer set to outlast the session) and the adapter has not switched it off
itself, an off status means the chair switched itself off. :class:`OffWatch` then reports
every off status as :attr:`~chairctl.vocabulary.WorkState.FAULT`, so the session latches a
fault and nothing switches the chair on again until the user acknowledges it.

The watch is shared by the adapter's decoders (which judge the statuses) and its reconciler
(which arms it once the chair works and disarms it before its own power-off).
"""

from __future__ import annotations

from chairctl.vocabulary import ChairStatus, WorkState


class OffWatch:
    """Whether an off status now means the chair switched itself off."""

    def __init__(self) -> None:
        #: The chair works for a setpoint: switching off is the chair's own doing.
        self.armed = False
        #: The chair switched itself off: its off statuses read as FAULT until acknowledged.
        self.latched = False

    def judge(self, status: ChairStatus) -> ChairStatus:
        """``status`` as the session should see it."""
        if status.work_state is not WorkState.STANDBY:
            # Powered again (only a power press does that): nothing to report any more.
            self.latched = False
            return status
        if self.armed:
            self.armed = False
            self.latched = True
        if self.latched:
            return status.model_copy(update={"work_state": WorkState.FAULT})
        return status

    def acknowledge(self) -> None:
        """The user's word: off statuses read as off again."""
        self.armed = False
        self.latched = False
