"""A compiled plan: the timeline of setpoints a chair will be sent, and what was adjusted."""

from __future__ import annotations

import bisect
from collections import defaultdict
from dataclasses import dataclass, field

from chairctl.safety.personalisation import AS_WRITTEN, Personalisation
from chairctl.vocabulary import Posture, Region, Setpoint


@dataclass(frozen=True)
class Adjustment:
    """A change the compiler made to what the program file says, with the line it concerns."""

    line: int
    kind: str
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line else ""
        return f"{where}{self.message}"


@dataclass(frozen=True)
class PlanEntry:
    """One setpoint held from ``start_s`` for ``duration_s`` seconds."""

    start_s: float
    duration_s: float
    setpoint: Setpoint
    line: int
    step: str

    @property
    def end_s(self) -> float:
        """When the entry ends."""
        return self.start_s + self.duration_s


@dataclass(frozen=True)
class Plan:
    """The timeline of a program for one chair and one person."""

    program_id: str
    program_name: str
    entries: tuple[PlanEntry, ...]
    adjustments: tuple[Adjustment, ...] = ()
    #: The person the plan was compiled for: the engine holds every setpoint, planned or
    #: live, to their limits.
    person: Personalisation = AS_WRITTEN
    _starts: list[float] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_starts", [e.start_s for e in self.entries])

    @property
    def reclines(self) -> bool:
        """True when some entry takes the chair out of upright."""
        return any(e.setpoint.posture is not Posture.UPRIGHT for e in self.entries)

    @property
    def total_s(self) -> float:
        """How long the plan runs."""
        return self.entries[-1].end_s if self.entries else 0.0

    def at(self, elapsed_s: float) -> PlanEntry | None:
        """The entry running ``elapsed_s`` seconds in, None outside the plan."""
        index = bisect.bisect_right(self._starts, elapsed_s) - 1
        if index < 0 or elapsed_s >= self.total_s:
            return None
        return self.entries[index]

    def seconds_per_region(self) -> dict[Region, float]:
        """Roller time per region; a span shares its time equally among its regions."""
        seconds: dict[Region, float] = defaultdict(float)
        for entry in self.entries:
            if entry.setpoint.rollers_active:
                share = entry.duration_s / len(entry.setpoint.regions)
                for region in entry.setpoint.regions:
                    seconds[region] += share
        return {region: seconds[region] for region in Region if region in seconds}

    def mean_intensity_per_region(self) -> dict[Region, float]:
        """Time-weighted mean roller intensity per region."""
        weighted: dict[Region, float] = defaultdict(float)
        seconds = self.seconds_per_region()
        for entry in self.entries:
            if entry.setpoint.rollers_active:
                share = entry.duration_s / len(entry.setpoint.regions)
                for region in entry.setpoint.regions:
                    weighted[region] += share * entry.setpoint.intensity
        return {region: weighted[region] / seconds[region] for region in seconds}
