"""A chair's backrest and leg rest, under the travel watchdog: what every family's firmware
drives them with.

A hold moves an actuator toward an end stop until stopped; zero gravity drives both to the
posture (:class:`~simulator.config.ChairOptions` ``zero_g_backrest`` / ``zero_g_leg_rest``) or
back upright; home drives back whatever has left home. An actuator driven for
``actuator_timeout_s`` without its limit switch reporting the end stop trips the watchdog, and
the firmware decides what that means (an error code on the status, or a chair switching
itself off). Generic over how a family names the parts.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from chairctl.clock import Clock
from chairctl.vocabulary import ActuatorMotion
from simulator.config import ChairOptions
from simulator.physics.body import Body
from simulator.physics.parts import Actuator
from simulator.physics.watchdog import ActuatorWatchdog

Part = TypeVar("Part")


class Posture(Generic[Part]):
    """Drives the actuators; calls ``on_overrun`` when one runs into its watchdog."""

    def __init__(
        self,
        clock: Clock,
        body: Body,
        options: ChairOptions,
        timeout_s: float,
        on_overrun: Callable[[Part], None],
        *,
        backrest: Part,
        leg_rest: Part,
    ) -> None:
        self.actuators: dict[Part, Actuator] = {backrest: body.backrest, leg_rest: body.leg_rest}
        self._zero_g: dict[Part, float] = {
            backrest: options.zero_g_backrest,
            leg_rest: options.zero_g_leg_rest,
        }
        self._watchdog = ActuatorWatchdog(clock, self.actuators, timeout_s, on_overrun)
        #: True while the zero-gravity posture is selected.
        self.zero_g = False

    def move(self, part: Part, up: bool, now: float) -> None:
        """A hold begins: run toward that direction's end stop until :meth:`stop`."""
        self.zero_g = False
        self._watchdog.drive(part, ActuatorMotion.UP if up else ActuatorMotion.DOWN, None, now)

    def stop(self, part: Part, now: float) -> None:
        """Stop one actuator where it is (a part that is no actuator: nothing)."""
        if part in self.actuators:
            self._watchdog.stop(part, now)

    def stop_all(self, now: float) -> None:
        """Cut every actuator where it is."""
        for part in self.actuators:
            self.stop(part, now)
        self.zero_g = False

    def toggle_zero_gravity(self, now: float) -> None:
        """Into the zero-gravity posture, or from it back upright."""
        going = not self.zero_g
        for part, actuator in self.actuators.items():
            target = self._zero_g[part] if going else 0.0
            motion = actuator.motion_toward(now, target)
            # Upright is the home end stop: driven "to the stop", as a real return home is.
            self._watchdog.drive(part, motion, target if going else None, now)
        self.zero_g = going

    def home(self, now: float) -> list[float]:
        """Drive every actuator that is away from home back to it; when each drive ends.

        One already resting at home is left alone: pushing it would only run a failed limit
        switch into the watchdog.
        """
        self.zero_g = False
        ends = []
        for part, actuator in self.actuators.items():
            if actuator.at(now) > 0 or actuator.motion(now) is not ActuatorMotion.STOPPED:
                ends.append(self._watchdog.drive(part, actuator.motion_toward(now, 0.0), None, now))
        return ends

    def zero_g_reached(self, t: float) -> bool:
        """True when zero gravity is selected and both actuators have arrived."""
        return self.zero_g and all(
            actuator.motion(t) is ActuatorMotion.STOPPED
            and abs(actuator.at(t) - self._zero_g[part]) < 1e-9
            for part, actuator in self.actuators.items()
        )

    def fail_limit_switches(self, now: float) -> None:
        """The limit switches stop reporting; a drive under way now runs into the watchdog."""
        self._watchdog.fail_limit_switches(now)

    def shutdown(self) -> None:
        """Cancel every watchdog."""
        self._watchdog.shutdown()
