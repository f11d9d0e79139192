"""The backrest and leg rest as the Tuya MCU drives them, under its travel watchdog.

``back_control`` / ``bottom_control`` run one actuator toward an end stop until told to stop;
``gravity_control`` drives both to a posture. A drive that has not reached its end stop after
``actuator_timeout_s`` is a fault (limit switches that never report). One timer per actuator
is the watchdog, one more says when a held drive arrives so the MCU can report it stopped.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from enum import Enum

from chairctl.clock import Clock
from chairctl.vocabulary import ActuatorMotion
from simulator.physics.body import Body
from simulator.physics.parts import Actuator
from simulator.physics.watchdog import ActuatorWatchdog
from simulator.timers import NamedTimers


class Part(Enum):
    """The chair's two posture actuators."""

    BACKREST = "backrest"
    LEG_REST = "leg_rest"


class Actuators:
    """Drives the backrest and leg rest; calls ``on_timeout`` when a drive overruns."""

    def __init__(
        self,
        clock: Clock,
        body: Body,
        timeout_s: float,
        on_timeout: Callable[[], None],
        on_arrived: Callable[[Part], None],
    ) -> None:
        self.parts: dict[Part, Actuator] = {
            Part.BACKREST: body.backrest,
            Part.LEG_REST: body.leg_rest,
        }
        self._watchdog = ActuatorWatchdog(clock, self.parts, timeout_s, lambda _: on_timeout())
        self._on_arrived = on_arrived
        self._arrivals: NamedTimers[Part] = NamedTimers(clock)

    def hold(self, part: Part, motion: ActuatorMotion, now: float) -> None:
        """Run ``part`` toward the end stop of ``motion``; ``on_arrived`` when it gets there."""
        self._arrivals.cancel(part)
        ends = self._watchdog.drive(part, motion, None, now)
        # A drive long enough to be watched either trips or is stopped: it never arrives.
        if not self._watchdog.armed(part):
            self._arrivals.at(part, ends, lambda: self._on_arrived(part))

    def stop(self, part: Part, now: float) -> None:
        """Cut ``part``'s motor where it is."""
        self._watchdog.stop(part, now)
        self._arrivals.cancel(part)

    def stop_all(self, now: float) -> None:
        """Cut every motor where it is (a fault, or the settle cap)."""
        for part in self.parts:
            self.stop(part, now)

    def posture(self, targets: Mapping[Part, float], now: float) -> list[float]:
        """Drive each part to its target (0 home .. 1 far end); when each drive ends.

        A part already resting at home is left alone when sent home: nothing needs pushing
        there, and with a failed limit switch the push would run into the watchdog.
        """
        ends = []
        for part, target in targets.items():
            actuator = self.parts[part]
            self._arrivals.cancel(part)
            resting = actuator.motion(now) is ActuatorMotion.STOPPED
            if target == 0.0 and resting and actuator.at(now) == 0.0:
                self._watchdog.disarm(part)
                continue
            ends.append(
                self._watchdog.drive(part, actuator.motion_toward(now, target), target, now)
            )
        return ends

    def home(self, now: float) -> list[float]:
        """Drive every part home (upright, legs down); when each drive ends."""
        return self.posture(dict.fromkeys(self.parts, 0.0), now)

    def fail_limit_switches(self, now: float) -> None:
        """The limit switches stop reporting; a drive under way now runs into the watchdog."""
        for part in self._watchdog.fail_limit_switches(now):
            # That drive now never ends, so it never arrives either.
            self._arrivals.cancel(part)

    def shutdown(self) -> None:
        """Cancel every timer."""
        self._watchdog.shutdown()
        self._arrivals.cancel_all()
