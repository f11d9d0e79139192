"""Airbag pressures: an airbag program cycles its zone groups inflate -> hold -> vent.

Pressure is in airbag-level units (0 empty .. 5 the firmest level), so the trace compares
directly with a program's airbag levels. The RT6923 implements a level as an inflation time,
which makes pressure grow linearly with time at a fixed rate: level 5 takes the model's full
``airbag_inflate_s``. Like the other trajectories, a cycle is analytic: one object answers
for every zone at any time, with no timer per inflation.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from chairctl.vocabulary import AirbagZone

#: The firmest airbag level; the model's inflate and vent times are for this pressure.
FULL_LEVEL = 5.0
ZONES: tuple[AirbagZone, ...] = tuple(AirbagZone)


@dataclass(frozen=True, slots=True)
class AirbagCycle:
    """The airbags from :attr:`start` on: leftover pressure vents, program groups cycle.

    ``groups`` are the zone groups in the order they take turns. Each turn inflates its group
    to ``level``, holds, and vents completely before the next group starts, so one group
    at a time presses; with one group it repeats back to back. Zones in no group vent.
    """

    start: float
    residual: tuple[tuple[AirbagZone, float], ...]
    groups: tuple[tuple[AirbagZone, ...], ...]
    level: float
    inflate_rate: float
    vent_rate: float
    hold_s: float
    # Derived once: a status frame asks every zone several times a second.
    _turn: dict[AirbagZone, int] = field(init=False, repr=False, compare=False)
    _left: dict[AirbagZone, float] = field(init=False, repr=False, compare=False)
    _fill_s: float = field(init=False, repr=False, compare=False)
    _turn_s: float = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        turn = {zone: i for i, group in enumerate(self.groups) for zone in group}
        fill_s = self.level / self.inflate_rate
        object.__setattr__(self, "_turn", turn)
        object.__setattr__(self, "_left", dict(self.residual))
        object.__setattr__(self, "_fill_s", fill_s)
        object.__setattr__(self, "_turn_s", fill_s + self.hold_s + self.level / self.vent_rate)

    @property
    def turn_s(self) -> float:
        """One group's turn: inflate, hold, vent."""
        return self._turn_s

    def _vented(self, zone: AirbagZone, t: float) -> float:
        return max(0.0, self._left.get(zone, 0.0) - self.vent_rate * (t - self.start))

    def _phase(self, zone: AirbagZone, t: float) -> tuple[int, float] | None:
        """(which turn of this zone, seconds into it), None before its first turn."""
        turn = self._turn.get(zone)
        if turn is None or self.level <= 0:
            return None
        first = self.start + turn * self._turn_s
        if t < first:
            return None
        cycle = len(self.groups) * self._turn_s
        k = math.floor((t - first) / cycle)
        return k, t - first - k * cycle

    def pressure(self, zone: AirbagZone, t: float) -> float:
        """Pressure of ``zone`` at ``t``, in level units."""
        phase = self._phase(zone, t)
        if phase is None:
            return self._vented(zone, t)
        k, tau = phase
        level = self.level
        inflate_s = self._fill_s
        if tau < inflate_s:
            # The first turn starts from whatever pressure is left from before the cycle.
            origin = self._vented(zone, t - tau) if k == 0 else 0.0
            if origin <= level:
                return min(level, origin + self.inflate_rate * tau)
            return max(level, origin - self.vent_rate * tau)
        if tau < inflate_s + self.hold_s:
            return level
        return max(0.0, level - self.vent_rate * (tau - inflate_s - self.hold_s))

    def inflating(self, zone: AirbagZone, t: float) -> bool:
        """True while the zone's valve is driven (inflating or holding)."""
        phase = self._phase(zone, t)
        return phase is not None and phase[1] < self._fill_s + self.hold_s

    def inflating_zones(self, t: float) -> frozenset[AirbagZone]:
        """Every zone whose valve is driven at ``t`` (only program zones ever are)."""
        return frozenset(zone for zone in self._turn if self.inflating(zone, t))

    def pressures(self, t: float) -> dict[AirbagZone, float]:
        """Every zone's pressure at ``t``."""
        return {zone: self.pressure(zone, t) for zone in ZONES}

    def vented_by(self) -> float:
        """When every zone is empty, if the cycle only vents (``math.inf`` if it cycles)."""
        if self.groups and self.level > 0:
            return math.inf
        most = max((p for _, p in self.residual), default=0.0)
        return self.start + most / self.vent_rate


def idle_cycle(t: float, inflate_s: float, vent_s: float, hold_s: float) -> AirbagCycle:
    """Every airbag empty and staying so."""
    return AirbagCycle(t, (), (), 0.0, FULL_LEVEL / inflate_s, FULL_LEVEL / vent_s, hold_s)
