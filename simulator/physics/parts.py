"""The moving parts of a chair, each commanded by the firmware and recorded in the trace.

A part keeps no state of its own beyond its settings: its trace channel holds the trajectory
in force, so what the firmware believes and what the trace says cannot drift apart. Every
command returns when (in clock time) the motion it started will be over, which is all the
firmware needs to schedule its next event instead of polling.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from chairctl.vocabulary import ActuatorMotion, AirbagZone
from simulator.physics.airbags import FULL_LEVEL, ZONES, AirbagCycle
from simulator.physics.motion import Exponential, Path, Polyline, Sweep, Trajectory
from simulator.trace import Channel, RollerActivity


class Carriage:
    """The roller carriage on its track: holds, moves, follows waypoints or sweeps a band."""

    def __init__(
        self,
        path: Channel[Path],
        activity: Channel[RollerActivity | None],
        top: float,
        speed: float,
    ) -> None:
        self._path = path
        self._activity = activity
        self.top = top
        #: Carriage units per second at full travel speed.
        self.speed = speed

    def position(self, t: float) -> float:
        """Where the carriage is at ``t``."""
        return self._path.current.at(t)

    def velocity(self, t: float) -> float:
        """Carriage units per second at ``t``; positive is up."""
        return self._path.current.slope(t)

    @property
    def sweeping(self) -> Sweep | None:
        """The band sweep in force, None when holding or moving to a point."""
        path = self._path.current
        return path if isinstance(path, Sweep) else None

    def _clamp(self, position: float) -> float:
        return min(self.top, max(0.0, position))

    def stop(self, t: float) -> None:
        """Stay where the carriage is at ``t``."""
        self._path.set(t, Polyline.hold(t, self.position(t)))

    def move_to(self, t: float, target: float) -> float:
        """Travel to ``target`` at full speed; returns the arrival time."""
        path = Polyline.ramp(t, self.position(t), self._clamp(target), self.speed)
        self._path.set(t, path)
        return path.rest_time()

    def follow(self, t: float, targets: Sequence[float], duration: float) -> float:
        """Visit ``targets`` in turn, as evenly as possible within ``duration``.

        The speed is what the route needs to take ``duration``, never above full speed (then
        the carriage waits at the last target). Returns when the route ends.
        """
        origin = self.position(t)
        stops = [self._clamp(x) for x in targets]
        length = sum(abs(b - a) for a, b in zip([origin, *stops[:-1]], stops, strict=True))
        rate = min(self.speed, length / duration) if length > 0 and duration > 0 else self.speed
        self._path.set(t, Polyline.through(t, origin, stops, rate))
        return t + duration

    def sweep(self, t: float, low: float, high: float) -> None:
        """Sweep ``[low, high]`` at full speed, keeping the current direction of travel."""
        low, high = self._clamp(low), self._clamp(high)
        current = self.sweeping
        if current is not None and (current.low, current.high) == (low, high):
            return
        self._path.set(
            t,
            Sweep.begin(t, self.position(t), low, high, speed=self.speed, heading=self.velocity(t)),
        )

    @property
    def activity(self) -> RollerActivity | None:
        """What the rollers do now."""
        return self._activity.current

    def work(self, t: float, activity: RollerActivity | None) -> None:
        """Set what the rollers do (None: they stop working)."""
        if activity != self._activity.current:
            self._activity.set(t, activity)


class Axis:
    """A linear axis that moves toward a target at a fixed rate (the 3D depth)."""

    def __init__(self, path: Channel[Path], rate: float) -> None:
        self._path = path
        self.rate = rate

    def at(self, t: float) -> float:
        """Where the axis is at ``t``."""
        return self._path.current.at(t)

    def move_to(self, t: float, target: float) -> float:
        """Head for ``target``; returns the arrival time."""
        current = self._path.current
        if current.rest_time() <= t and current.at(t) == target:
            return t
        path = Polyline.ramp(t, current.at(t), target, self.rate)
        self._path.set(t, path)
        return path.rest_time()

    def stop(self, t: float) -> None:
        """Stay where the axis is."""
        self._path.set(t, Polyline.hold(t, self.at(t)))


class Airbags:
    """Every airbag zone, driven by airbag programs."""

    def __init__(
        self, cycle: Channel[AirbagCycle], inflate_s: float, vent_s: float, hold_s: float
    ) -> None:
        self._cycle = cycle
        self.inflate_rate = FULL_LEVEL / inflate_s
        self.vent_rate = FULL_LEVEL / vent_s
        self.hold_s = hold_s

    def pressure(self, zone: AirbagZone, t: float) -> float:
        """One zone's pressure at ``t`` (level units)."""
        return self._cycle.current.pressure(zone, t)

    def inflating(self, t: float) -> frozenset[AirbagZone]:
        """Zones whose valves are driven at ``t``."""
        return self._cycle.current.inflating_zones(t)

    def _leftover(self, t: float) -> tuple[tuple[AirbagZone, float], ...]:
        cycle = self._cycle.current
        return tuple((z, p) for z in ZONES if (p := cycle.pressure(z, t)) > 0)

    def run(self, t: float, groups: Sequence[Sequence[AirbagZone]], level: int) -> None:
        """Start cycling ``groups`` at ``level`` from the pressures there are now."""
        self._cycle.set(
            t,
            AirbagCycle(
                t,
                self._leftover(t),
                tuple(tuple(g) for g in groups),
                float(level),
                self.inflate_rate,
                self.vent_rate,
                self.hold_s,
            ),
        )

    def vent(self, t: float) -> float:
        """Open every valve; returns when the last zone is empty."""
        current = self._cycle.current
        if not current.groups and current.start <= t:
            return current.vented_by()
        self.run(t, (), 0)
        return self._cycle.current.vented_by()


class Heater:
    """A heating element that approaches its set point, or ambient, with one time constant."""

    def __init__(
        self,
        temperature: Channel[Trajectory],
        switched: Channel[bool],
        setpoint_c: float,
        time_constant_s: float,
        ambient_c: float,
    ) -> None:
        self._temperature = temperature
        self._switched = switched
        self.setpoint_c = setpoint_c
        self.time_constant_s = time_constant_s
        self.ambient_c = ambient_c

    @property
    def on(self) -> bool:
        """True while the element is powered."""
        return self._switched.current

    def temperature(self, t: float) -> float:
        """Element temperature at ``t``, in °C."""
        return self._temperature.current.at(t)

    def switch(self, t: float, on: bool) -> None:
        """Power the element on or off."""
        if on == self.on:
            return
        target = self.setpoint_c if on else self.ambient_c
        self._temperature.set(t, Exponential(t, self.temperature(t), target, self.time_constant_s))
        self._switched.set(t, on)


class Actuator:
    """A linear actuator with an end stop at each end of its travel (0 home .. 1 far end).

    Driven by the firmware, it runs until its limit switch reports an end stop; the time
    that takes is what the firmware's travel watchdog compares with its timeout. A failed
    limit switch never reports, so the motor keeps pushing against the stop.
    """

    def __init__(self, path: Channel[Path], travel_s: float, up_is_home: bool) -> None:
        self._path = path
        self.rate = 1.0 / travel_s
        #: Whether "up" moves toward 0 (the backrest rises toward upright) or toward 1.
        self.up_is_home = up_is_home
        self.limit_switch_ok = True
        self._motion = ActuatorMotion.STOPPED
        self._until = -math.inf
        self._since = -math.inf
        self._to_stop = False

    @property
    def driven_since(self) -> float:
        """When the current drive started (``-math.inf`` when not driven)."""
        return self._since

    def at(self, t: float) -> float:
        """Position at ``t``, 0 home .. 1 far end."""
        return self._path.current.at(t)

    def motion(self, t: float) -> ActuatorMotion:
        """Which way the motor is driven at ``t``."""
        return self._motion if t < self._until else ActuatorMotion.STOPPED

    def end_of(self, motion: ActuatorMotion) -> float:
        """The end stop ``motion`` heads for."""
        return 0.0 if (motion is ActuatorMotion.UP) == self.up_is_home else 1.0

    def motion_toward(self, t: float, target: float) -> ActuatorMotion:
        """The motion that brings the actuator from where it is at ``t`` to ``target``."""
        toward_far = target > self.at(t)
        return ActuatorMotion.UP if toward_far != self.up_is_home else ActuatorMotion.DOWN

    def drive(self, t: float, motion: ActuatorMotion, target: float | None = None) -> float:
        """Run toward ``target`` (default: the end stop of ``motion``).

        Returns when the drive ends by itself: at the end stop, or never (``math.inf``) while
        a failed limit switch keeps the motor pushing at an end stop.
        """
        end = self.end_of(motion) if target is None else target
        path = Polyline.ramp(t, self.at(t), end, self.rate)
        self._path.set(t, path)
        self._motion = motion
        self._since = t
        self._to_stop = end in (0.0, 1.0)
        self._until = path.rest_time()
        if self._to_stop and not self.limit_switch_ok:
            self._until = math.inf
        return self._until

    def fail_limit_switch(self, t: float) -> bool:
        """Break the limit switches; True if a drive under way now never ends by itself."""
        self.limit_switch_ok = False
        if self.motion(t) is ActuatorMotion.STOPPED or not self._to_stop:
            return False
        self._until = math.inf
        return True

    def stop(self, t: float) -> None:
        """Cut the motor where the actuator is."""
        self._path.set(t, Polyline.hold(t, self.at(t)))
        self._motion = ActuatorMotion.STOPPED
        self._until = -math.inf
        self._since = -math.inf
