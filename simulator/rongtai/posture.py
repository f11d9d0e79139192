"""The backrest and leg rest under the firmware's travel watchdog (RT6923 ``errorCode.h``).

Hold-to-move keys start and stop an actuator; a START without a STOP runs to the end stop.
An actuator driven for ``actuator_timeout_s`` without its limit switch reporting an end stop
is a fault. One timer per drive is all the watchdog costs.
"""

from __future__ import annotations

from collections.abc import Callable

from chairctl.clock import Clock
from chairctl.vocabulary import ActuatorMotion
from simulator.config import ChairOptions
from simulator.physics.body import Body
from simulator.physics.parts import Actuator
from simulator.physics.watchdog import ActuatorWatchdog
from simulator.rongtai.codes import ErrorCode
from simulator.rongtai.keymap import Part

_TIMEOUT_CODES = {
    Part.BACKREST: ErrorCode.BACKREST_TIMEOUT,
    Part.LEG_REST: ErrorCode.LEG_REST_TIMEOUT,
}


class PostureControl:
    """Drives the chair's actuators and trips a fault when one overruns its watchdog."""

    def __init__(
        self,
        clock: Clock,
        body: Body,
        options: ChairOptions,
        timeout_s: float,
        on_timeout: Callable[[ErrorCode], None],
    ) -> None:
        self.actuators: dict[Part, Actuator] = {
            Part.BACKREST: body.backrest,
            Part.LEG_REST: body.leg_rest,
        }
        self._zero_g_targets = {
            Part.BACKREST: options.zero_g_backrest,
            Part.LEG_REST: options.zero_g_leg_rest,
        }
        self._watchdog = ActuatorWatchdog(
            clock, self.actuators, timeout_s, lambda part: on_timeout(_TIMEOUT_CODES[part])
        )
        #: True while the zero-gravity posture is selected.
        self.zero_g = False

    def start(self, part: Part, up: bool, now: float) -> None:
        """A START key: run toward that direction's end stop."""
        if part in self.actuators:
            self.zero_g = False
            self._watchdog.drive(part, ActuatorMotion.UP if up else ActuatorMotion.DOWN, None, now)

    def stop(self, part: Part, now: float) -> None:
        """A STOP key, or the firmware cutting a motor: stop where it is."""
        if part in self.actuators:
            self._watchdog.stop(part, now)

    def stop_all(self, now: float) -> None:
        """Cut every actuator where it is (a fault, or the settle cap)."""
        for part in self.actuators:
            self.stop(part, now)
        self.zero_g = False

    def home(self, now: float) -> list[float]:
        """Drive every actuator that has left home back to it; when each drive ends.

        An actuator sitting on its home switch is left alone: the firmware has no reason to
        push it, and with a failed switch that push would run into the watchdog.
        """
        self.zero_g = False
        ends = []
        for part, actuator in self.actuators.items():
            if actuator.at(now) > 0 or actuator.motion(now) is not ActuatorMotion.STOPPED:
                ends.append(self._watchdog.drive(part, actuator.motion_toward(now, 0.0), None, now))
        return ends

    def zero_gravity(self, now: float) -> None:
        """The zero-gravity toggle: into the posture, or back home from it."""
        going = not self.zero_g
        for part, actuator in self.actuators.items():
            target = self._zero_g_targets[part] if going else 0.0
            motion = actuator.motion_toward(now, target)
            self._watchdog.drive(part, motion, target if going else None, now)
        self.zero_g = going

    def zero_g_reached(self, t: float) -> bool:
        """True when zero gravity is selected and both actuators have arrived."""
        return self.zero_g and all(
            actuator.motion(t) is ActuatorMotion.STOPPED
            and abs(actuator.at(t) - self._zero_g_targets[part]) < 1e-9
            for part, actuator in self.actuators.items()
        )

    def fail_limit_switches(self, now: float) -> None:
        """The limit switches stop reporting; a drive under way now runs into the watchdog."""
        self._watchdog.fail_limit_switches(now)

    def shutdown(self) -> None:
        """Cancel every watchdog."""
        self._watchdog.shutdown()
