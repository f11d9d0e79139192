"""Ground truth: what the simulated chair physically did, and when.

Each physical quantity is a channel of changes: a value (or a trajectory, for things that
move) and the time it took effect. Nothing is recorded per tick; a channel changes only when
the firmware commands something. Because moving things are analytic trajectories, asking the
state at any instant is exact, and time spent per region is computed from straight pieces,
not from samples. Programs are judged against this record, not against what the driver sent.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

from chairctl.vocabulary import (
    REGION_BANDS,
    AirbagZone,
    Region,
    Technique,
    Width,
    WorkState,
    region_at,
    track_s,
)
from simulator.physics.airbags import AirbagCycle
from simulator.physics.motion import Path, Trajectory

V = TypeVar("V")


class Channel(Generic[V]):
    """One quantity's history: a value from each change time until the next."""

    __slots__ = ("_times", "_values")

    def __init__(self, start: float, initial: V) -> None:
        self._times = [start]
        self._values = [initial]

    @property
    def current(self) -> V:
        """The value in force now."""
        return self._values[-1]

    @property
    def since(self) -> float:
        """When the current value took effect."""
        return self._times[-1]

    def set(self, t: float, value: V) -> None:
        """Record ``value`` from time ``t``; a second change at the same time replaces the first."""
        if t < self._times[-1]:
            raise ValueError(f"history is append-only: {t} is before {self._times[-1]}")
        if t == self._times[-1]:
            self._values[-1] = value
        else:
            self._times.append(t)
            self._values.append(value)

    def at(self, t: float) -> V:
        """The value in force at ``t`` (the first value before the start)."""
        return self._values[max(0, bisect_right(self._times, t) - 1)]

    def changes(self) -> Iterator[tuple[float, V]]:
        """Every (time, value), oldest first."""
        return zip(self._times, self._values, strict=True)

    def spans(self, begin: float, end: float) -> Iterator[tuple[float, float, V]]:
        """(from, to, value) intervals that cover ``[begin, end]``."""
        i = max(0, bisect_right(self._times, begin) - 1)
        times, values = self._times, self._values
        a = begin
        while a < end:
            b = times[i + 1] if i + 1 < len(times) else end
            b = min(b, end)
            if b > a:
                yield a, b, values[i]
            a = b
            i += 1

    def __len__(self) -> int:
        return len(self._times)


@dataclass(frozen=True, slots=True)
class RollerActivity:
    """What the rollers are doing while they work: technique, speed setting, width."""

    technique: Technique
    speed: int
    width: Width


@dataclass(frozen=True, slots=True)
class PhysicalState:
    """Everything physical about the chair at one instant."""

    time: float
    work_state: WorkState
    #: Carriage position in carriage units (0 bottom .. roller_positions - 1 top), continuous.
    roller_position: float
    #: What the rollers do; None when they are not working (moving alone is not massage).
    roller_technique: Technique | None
    roller_speed: int
    roller_width: Width | None
    #: The back region under the carriage, from the sitter's real seat and shoulder lines.
    region: Region | None
    #: 3D depth in strength units: 0 retracted .. the chair's top strength.
    depth: float
    #: Pressure per zone in airbag-level units (0 empty .. 5).
    airbags: Mapping[AirbagZone, float]
    airbags_inflating: frozenset[AirbagZone]
    heater_c: float
    #: The skin's side of the heater's cover, by the model's contact model.
    contact_c: float
    heat_on: bool
    #: Backrest recline, 0 upright .. 1 fully reclined.
    backrest: float
    #: Leg-rest raise, 0 down .. 1 fully raised.
    leg_rest: float
    #: Foot-roller speed, 0 off.
    foot_roller: int


class Trace:
    """The ground-truth record of one simulated chair."""

    def __init__(
        self,
        start: float,
        *,
        seat_line: float,
        shoulder: float,
        roller: Path,
        depth: Path,
        airbags: AirbagCycle,
        heater: Trajectory,
        backrest: Path,
        leg_rest: Path,
        horizon: Callable[[], float] | None = None,
        ambient_c: float = 22.0,
        contact_coupling: float = 1.0,
    ) -> None:
        self.start = start
        #: Where an unpowered heater settles, and how much of the element's rise above it
        #: reaches the skin through the cover (1: all of it).
        self.ambient_c = ambient_c
        self.contact_coupling = contact_coupling
        self.seat_line = seat_line
        #: The sitter's real shoulder line (the scan may clamp what the chair believes).
        self.shoulder = shoulder
        self._horizon = horizon
        self.work_state: Channel[WorkState] = Channel(start, WorkState.STANDBY)
        self.roller: Channel[Path] = Channel(start, roller)
        self.activity: Channel[RollerActivity | None] = Channel(start, None)
        self.depth: Channel[Path] = Channel(start, depth)
        self.airbags: Channel[AirbagCycle] = Channel(start, airbags)
        self.heater: Channel[Trajectory] = Channel(start, heater)
        self.heat_on: Channel[bool] = Channel(start, False)
        self.backrest: Channel[Path] = Channel(start, backrest)
        self.leg_rest: Channel[Path] = Channel(start, leg_rest)
        self.foot_roller: Channel[int] = Channel(start, 0)

    @property
    def end(self) -> float:
        """The latest time the record speaks for (the chair's clock now)."""
        if self._horizon is not None:
            return self._horizon()
        return max(
            c.since for c in (self.work_state, self.roller, self.activity, self.depth, self.airbags)
        )

    def contact_c(self, t: float) -> float:
        """The skin-contact temperature at ``t``: the element's rise above ambient, through the
        cover (docs/sources.md section 3.2: burns are judged at the skin, not the element)."""
        element = self.heater.at(t).at(t)
        return self.ambient_c + self.contact_coupling * (element - self.ambient_c)

    def region_of(self, position: float) -> Region | None:
        """The region under a carriage position."""
        return region_at(track_s(position, self.seat_line, self.shoulder))

    def state_at(self, t: float) -> PhysicalState:
        """The physical state at time ``t`` (not later than :attr:`end`)."""
        if self._horizon is not None and t > self._horizon() + 1e-9:
            raise ValueError(f"the trace does not know the future: {t} is after {self.end}")
        position = self.roller.at(t).at(t)
        activity = self.activity.at(t)
        cycle = self.airbags.at(t)
        return PhysicalState(
            time=t,
            work_state=self.work_state.at(t),
            roller_position=position,
            roller_technique=activity.technique if activity else None,
            roller_speed=activity.speed if activity else 0,
            roller_width=activity.width if activity else None,
            region=self.region_of(position),
            depth=self.depth.at(t).at(t),
            airbags=cycle.pressures(t),
            airbags_inflating=cycle.inflating_zones(t),
            heater_c=self.heater.at(t).at(t),
            contact_c=self.contact_c(t),
            heat_on=self.heat_on.at(t),
            backrest=self.backrest.at(t).at(t),
            leg_rest=self.leg_rest.at(t).at(t),
            foot_roller=self.foot_roller.at(t),
        )

    def samples(
        self, step: float, start: float | None = None, end: float | None = None
    ) -> Iterator[PhysicalState]:
        """The state every ``step`` seconds from ``start`` (default: the start) to ``end``."""
        if step <= 0:
            raise ValueError("the sample step must be positive")
        t0 = self.start if start is None else start
        t1 = self.end if end is None else end
        n = 0
        while (t := t0 + n * step) <= t1 + 1e-9:
            yield self.state_at(min(t, t1))
            n += 1

    def roller_occupancy(
        self, start: float | None = None, end: float | None = None
    ) -> dict[tuple[Technique | None, Region | None], float]:
        """Seconds the carriage spent over each region doing each technique, exactly.

        Keys are (technique or None when the rollers were not working, region or None off
        the bands). Computed from the straight pieces of the carriage's path, so a sweep
        through a band counts the time it really spent there.
        """
        t0 = self.start if start is None else start
        t1 = self.end if end is None else end
        totals: dict[tuple[Technique | None, Region | None], float] = {}
        for a, b, activity in self.activity.spans(t0, t1):
            technique = activity.technique if activity else None
            for c, d, path in self.roller.spans(a, b):
                for piece in path.pieces(c, d):
                    for region, seconds in self._piece_regions(piece):
                        key = (technique, region)
                        totals[key] = totals.get(key, 0.0) + seconds
        return {key: seconds for key, seconds in totals.items() if seconds > 0}

    def _piece_regions(
        self, piece: tuple[float, float, float, float]
    ) -> Iterator[tuple[Region | None, float]]:
        ta, pa, tb, pb = piece
        duration = tb - ta
        if duration <= 0:
            return
        sa = track_s(pa, self.seat_line, self.shoulder)
        sb = track_s(pb, self.seat_line, self.shoulder)
        if sa == sb:
            yield region_at(sa), duration
            return
        low, high = min(sa, sb), max(sa, sb)
        covered = 0.0
        for region, (band_low, band_high) in REGION_BANDS.items():
            overlap = min(high, band_high) - max(low, band_low)
            if overlap > 0:
                share = duration * overlap / (high - low)
                covered += share
                yield region, share
        if duration - covered > 1e-12:
            yield None, duration - covered
