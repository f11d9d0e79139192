"""Where the person in the chair has their shoulder line, as far as anything tells.

A chair that places its rollers places each region relative to the sitter's shoulder line
(reference/chair-domain.md 2.1-2.2). Three sources, best first:

1. the chair's own body scan, where its status reports it (to the whole carriage position it
   reports, so half a position either way);
2. a value measured on this chair and kept in the person's profile, if it lies in the chair's
   scan window;
3. otherwise nothing is known but the scan window itself: from the shortest sitter the chair
   places to the tallest.

A :class:`ShoulderLine` is that knowledge as an interval, with its source. Placement is then
conservative over the whole interval: what must stay clear of a region stays clear of it for
every shoulder line in it, and neck work is placed for the tallest.
"""

from __future__ import annotations

from dataclasses import dataclass

from chairctl.vocabulary import ChairStatus, Unsupported
from drivers.models.schema import ChairModel

#: Half the step of a position the chair reports: a reported 9 is anything from 8.5 to 9.5.
REPORT_HALF_STEP = 0.5


@dataclass(frozen=True)
class ShoulderLine:
    """The sitter's shoulder line lies somewhere in ``low .. high`` (carriage positions)."""

    low: float
    high: float
    #: Where the knowledge comes from, in words ("the chair's body scan").
    source: str

    @property
    def middle(self) -> float:
        """The best single guess."""
        return (self.low + self.high) / 2


def scan_window_line(model: ChairModel) -> ShoulderLine:
    """Nothing known but the chair's scan window: the shortest to the tallest sitter."""
    low, high = model.shoulder_window
    return ShoulderLine(low, high, "this chair's body-scan window (the sitter is not known)")


def profile_line(model: ChairModel, value: float) -> ShoulderLine:
    """A shoulder line measured on this chair, from a profile; :class:`Unsupported` with a
    clear message when it lies outside the chair's scan window."""
    low, high = model.shoulder_window
    if not low <= value <= high:
        raise Unsupported(
            f"the profile's shoulder line {value:g} lies outside this chair's body-scan window "
            f"({low:g} to {high:g} carriage positions): measure it on this chair, or leave it "
            "out and the chair's own scan is used"
        )
    return ShoulderLine(value, value, "the profile")


def scanned_line(model: ChairModel, status: ChairStatus) -> ShoulderLine | None:
    """What the chair's own body scan found, as its status reports it (None: not reported).

    The chair reports whole positions; its scan accepts only its window, so the interval is
    kept inside the window too.
    """
    found = status.shoulder_position
    if found is None:
        return None
    low, high = model.shoulder_window
    return ShoulderLine(
        max(low, min(high, found - REPORT_HALF_STEP)),
        min(high, max(low, found + REPORT_HALF_STEP)),
        "the chair's body scan",
    )


def shoulder_line(
    model: ChairModel, status: ChairStatus | None, profile: ShoulderLine | None
) -> ShoulderLine:
    """The best knowledge there is: the chair's scan, else the profile's value, else the
    scan window."""
    scanned = scanned_line(model, status) if status is not None else None
    return scanned or profile or scan_window_line(model)
