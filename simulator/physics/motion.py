"""Trajectories: how one physical quantity moves from the moment it was last commanded.

Physics here is lazy. A command (move there, sweep this band, heat toward that) creates one
trajectory, an analytic function of time, and nothing runs until someone asks for a value. A
30-minute session is then a few hundred trajectories rather than millions of ticks, and the
ground-truth trace is exact at any instant, not sampled.
"""

from __future__ import annotations

import itertools
import math
from abc import ABC, abstractmethod
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

#: A straight piece of a path: (start time, start value, end time, end value).
Piece = tuple[float, float, float, float]
#: A sweep band narrower than this (in carriage units, about a millimetre) is a point:
#: bouncing inside it would change nothing but the cost of every question asked of it.
MIN_SPAN = 0.01


class Trajectory(ABC):
    """A value as a function of time, from :attr:`start` on."""

    @property
    @abstractmethod
    def start(self) -> float:
        """When the trajectory begins."""

    @abstractmethod
    def at(self, t: float) -> float:
        """The value at time ``t`` (the start value before :attr:`start`)."""

    @abstractmethod
    def rest_time(self) -> float:
        """When the value stops changing; ``math.inf`` when it never quite does."""


class Path(Trajectory):
    """A trajectory made of straight pieces, so time spent in a band can be computed exactly."""

    @abstractmethod
    def slope(self, t: float) -> float:
        """Rate of change at ``t`` (units per second)."""

    @abstractmethod
    def pieces(self, begin: float, end: float) -> Iterator[Piece]:
        """The straight pieces covering ``[begin, end]``, in order."""


@dataclass(frozen=True, slots=True)
class Polyline(Path):
    """Straight moves through timed waypoints; holds the last value after the last waypoint."""

    times: tuple[float, ...]
    values: tuple[float, ...]

    def __post_init__(self) -> None:
        if not self.times or len(self.times) != len(self.values):
            raise ValueError("a polyline needs as many times as values, at least one")
        if any(b < a for a, b in itertools.pairwise(self.times)):
            raise ValueError("polyline times must not decrease")

    @classmethod
    def hold(cls, t: float, value: float) -> Polyline:
        """Stay at ``value`` from ``t`` on."""
        return cls((t,), (value,))

    @classmethod
    def ramp(cls, t: float, origin: float, target: float, rate: float) -> Polyline:
        """Move from ``origin`` to ``target`` at ``rate`` units per second, then stay."""
        if origin == target:
            return cls.hold(t, origin)
        return cls((t, t + abs(target - origin) / rate), (origin, target))

    @classmethod
    def through(cls, t: float, origin: float, targets: Sequence[float], rate: float) -> Polyline:
        """Visit ``targets`` in turn from ``origin``, at ``rate`` units per second."""
        times = [t]
        values = [origin]
        for target in targets:
            times.append(times[-1] + abs(target - values[-1]) / rate)
            values.append(target)
        return cls(tuple(times), tuple(values))

    @property
    def start(self) -> float:
        return self.times[0]

    def at(self, t: float) -> float:
        times = self.times
        if t <= times[0]:
            return self.values[0]
        if t >= times[-1]:
            return self.values[-1]
        i = bisect_right(times, t) - 1
        t0, t1 = times[i], times[i + 1]
        v0, v1 = self.values[i], self.values[i + 1]
        return v0 + (v1 - v0) * (t - t0) / (t1 - t0)

    def rest_time(self) -> float:
        return self.times[-1]

    def slope(self, t: float) -> float:
        times = self.times
        if t < times[0] or t >= times[-1]:
            return 0.0
        i = bisect_right(times, t) - 1
        dt = times[i + 1] - times[i]
        return (self.values[i + 1] - self.values[i]) / dt if dt > 0 else 0.0

    def pieces(self, begin: float, end: float) -> Iterator[Piece]:
        cuts = [begin, *(x for x in self.times if begin < x < end), end]
        for a, b in itertools.pairwise(cuts):
            yield (a, self.at(a), b, self.at(b))


@dataclass(frozen=True, slots=True)
class Sweep(Path):
    """Back and forth over a band at constant speed, after a straight lead-in to the band.

    Analytic: the position at any time is a triangle wave, so a sweep lasting an hour is
    one object and costs the same to query as one lasting a second.
    """

    begins: float
    origin: float
    low: float
    high: float
    speed: float
    #: When the lead-in ends and the back-and-forth starts.
    band_time: float
    #: Phase at ``band_time``: distance travelled since "at ``low``, heading up", modulo a
    #: round trip.
    phase: float

    @classmethod
    def begin(
        cls, t: float, origin: float, low: float, high: float, *, speed: float, heading: float = 0.0
    ) -> Sweep:
        """Sweep ``[low, high]`` from ``origin``; inside the band keep ``heading`` if given.

        A carriage already moving keeps its direction so a changed band does not jerk it
        back; one at rest heads for the farther edge first.
        """
        if high < low:
            raise ValueError("a sweep band must have low <= high")
        if high - low < MIN_SPAN:
            high = low
        span = high - low
        if origin < low:
            return cls(t, origin, low, high, speed, t + (low - origin) / speed, 0.0)
        if origin > high:
            return cls(t, origin, low, high, speed, t + (origin - high) / speed, span)
        up = heading > 0 if heading else (origin - low) <= (high - origin)
        phase = (origin - low) if up else 2 * span - (origin - low)
        return cls(t, origin, low, high, speed, t, phase)

    @property
    def start(self) -> float:
        return self.begins

    def _edge(self) -> float:
        # The band edge the lead-in ends at.
        return self.low if self.origin < self.low else self.high

    def at(self, t: float) -> float:
        if t <= self.begins:
            return self.origin
        if t < self.band_time:
            edge = self._edge()
            return self.origin + (edge - self.origin) * (t - self.begins) / (
                self.band_time - self.begins
            )
        span = self.high - self.low
        if span <= 0:
            return self.low
        u = (self.phase + self.speed * (t - self.band_time)) % (2 * span)
        return self.low + (u if u <= span else 2 * span - u)

    def rest_time(self) -> float:
        return self.band_time if self.high <= self.low else math.inf

    def slope(self, t: float) -> float:
        if t < self.begins:
            return 0.0
        if t < self.band_time:
            return self.speed if self._edge() > self.origin else -self.speed
        span = self.high - self.low
        if span <= 0:
            return 0.0
        u = (self.phase + self.speed * (t - self.band_time)) % (2 * span)
        return self.speed if u < span else -self.speed

    def pieces(self, begin: float, end: float) -> Iterator[Piece]:
        cuts = [begin]
        cuts += [x for x in (self.begins, self.band_time) if begin < x < end and x > cuts[-1]]
        span = self.high - self.low
        if span > 0:
            # Reversals happen whenever the travelled distance crosses a multiple of the span.
            first = max(begin, self.band_time)
            k = math.floor((self.phase + self.speed * (first - self.band_time)) / span) + 1
            while True:
                when = self.band_time + (k * span - self.phase) / self.speed
                if when >= end:
                    break
                if when > begin:
                    cuts.append(when)
                k += 1
        cuts.append(end)
        for a, b in itertools.pairwise(cuts):
            yield (a, self.at(a), b, self.at(b))


@dataclass(frozen=True, slots=True)
class Exponential(Trajectory):
    """First-order approach to ``target`` with time constant ``tau`` (a heater, say)."""

    begins: float
    origin: float
    target: float
    tau: float

    @property
    def start(self) -> float:
        return self.begins

    def at(self, t: float) -> float:
        if t <= self.begins:
            return self.origin
        return self.target + (self.origin - self.target) * math.exp(-(t - self.begins) / self.tau)

    def rest_time(self) -> float:
        return self.begins if self.origin == self.target else math.inf
