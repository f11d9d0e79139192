"""Keeping the neck gentle on a chair whose status shows neither depth nor roller position.

The neck is never worked deeper than :data:`~chairctl.vocabulary.limits.NECK_MAX_INTENSITY`
allows. Capping the neck mode's level is not enough on this chair, because a level takes time
to reach the rollers and the status shows neither where they are nor how deep they press:

- **going into the neck mode from a deeper level**: the level is lowered first, and the mode
  key waits until the depth has had time to retract (the model's ``depth_travel_s`` per
  step of the travel);
- **leaving the neck** (the neck mode switched for another, or the rollers stopped, and
  parked, where the neck mode left them; and after power-on, whose scan may end anywhere and
  whose auto program works the neck too):
  the level is raised only once a mode that keeps off the neck has been seen working long
  enough to carry the rollers out of the neck band, at the model's carriage speed.

Times are bounds from the model file, reckoned from what the adapter sent and saw; the
longest neck band the track can hold is assumed, so the sitter's shoulder line never matters.
"""

from __future__ import annotations

import math

from chairctl.vocabulary import REGION_BANDS
from chairctl.vocabulary.limits import NECK
from drivers.models.ncni import NcniModel


class NeckGuard:
    """When the rollers may go deeper, and when a mode may start, for one chair."""

    def __init__(self, model: NcniModel) -> None:
        mechanics = model.mechanics
        top = mechanics.roller_positions - 1
        per_position_s = mechanics.roller_travel_s / top
        low, high = REGION_BANDS[NECK]
        #: The longest the carriage may need to leave the neck band while sweeping below it.
        self.exit_s = (high - low) * (top - mechanics.seat_line_position) * per_position_s
        #: The time the depth takes to travel one level.
        self.level_s = mechanics.depth_travel_s / max(1, model.intensity_levels - 1)
        self._neck_modes = frozenset(
            name for name, mode in model.manual_modes.items() if NECK in mode.regions
        )
        #: From when the rollers are known to be off the neck band; inf: not known to be.
        self.clear_at = math.inf
        #: When the depth will have retracted to the last level lowered to.
        self.retracted_at = -math.inf

    def works_neck(self, mode: str | None) -> bool:
        """True for a mode that may take the rollers to the neck: a manual mode that works it
        (alone or with another, ``back_waist+neck``), or auto, whose profiles all do."""
        if mode is None:
            return False
        return mode == "auto" or any(part in self._neck_modes for part in mode.split("+"))

    def reset(self) -> None:
        """Where the rollers are is not known (power-on, a reconnect)."""
        self.clear_at = math.inf
        self.retracted_at = -math.inf

    def seen(self, mode: str | None, running: bool, now: float) -> None:
        """A status (planned from at ``now``) shows ``mode`` and whether the chair runs."""
        if running and mode is not None and not self.works_neck(mode) and math.isinf(self.clear_at):
            self.clear_at = now + self.exit_s

    def selected(self, mode: str | None, at: float) -> None:
        """The status confirmed ``mode`` (None: the rollers stopped), pressed at ``at``."""
        if self.works_neck(mode) or self.clear_at > at:
            # At the neck, or perhaps still there: parked or not yet swept out of it.
            self.clear_at = math.inf

    def lowered(self, at: float) -> None:
        """A lower level took at ``at`` with the rollers working: the depth retracts."""
        self.retracted_at = max(self.retracted_at, at) + self.level_s
