"""Where the person in the chair has their shoulder line, as far as anything tells.

A chair that places its rollers places each region relative to the sitter's shoulder line
(docs/sources.md sections 2.1-2.2). Its own body scan finds that line, but real chairs do not
report what it found: no real RT8600S frame carries the "scan succeeded" bit, the RT6923
firmware clears the scan byte once the scan is over, and neither source gives the rest of
that byte as a carriage position. So two sources, best first:

1. a value measured on this chair and kept in the person's profile, if it lies in the chair's
   scan window;
2. otherwise nothing is known but the scan window itself: from the shortest sitter the chair
   places to the tallest.

A :class:`ShoulderLine` is that knowledge as an interval, with its source. Placement is then
conservative over the whole interval: what must stay clear of a region stays clear of it for
every shoulder line in it, and neck work is placed for the tallest.
"""

from __future__ import annotations

from dataclasses import dataclass

from chairctl.vocabulary import Unsupported
from drivers.models.schema import ChairModel


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
            "out and the rollers are placed for anyone in the window"
        )
    return ShoulderLine(value, value, "the profile")


def shoulder_line(model: ChairModel, profile: ShoulderLine | None) -> ShoulderLine:
    """The best knowledge there is: the profile's value, else the scan window."""
    return profile or scan_window_line(model)
