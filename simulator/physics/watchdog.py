"""The firmware's actuator travel watchdog, shared by every chair family.

An actuator driven for longer than ``timeout_s`` without its limit switch reporting an end
stop is a fault. A drive that will take longer than that arms one clock timer; a shorter drive
disarms it, since it ends by itself in time. When the limit switches fail mid-drive, the drive
under way never ends, so its watchdog is armed from when that drive started. What a trip means
(an error code, a protective power-off, a fault bit) is the family's: it hears
``on_overrun(part)``, and only while the actuator is still moving.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from typing import Generic, TypeVar

from chairctl.clock import Clock
from chairctl.vocabulary import ActuatorMotion
from simulator.physics.parts import Actuator
from simulator.timers import NamedTimers

K = TypeVar("K", bound=Hashable)


class ActuatorWatchdog(Generic[K]):
    """Drives ``actuators`` (by part key) and calls ``on_overrun`` when one overruns."""

    def __init__(
        self,
        clock: Clock,
        actuators: Mapping[K, Actuator],
        timeout_s: float,
        on_overrun: Callable[[K], None],
    ) -> None:
        self.clock = clock
        self.actuators = actuators
        self.timeout_s = timeout_s
        self._on_overrun = on_overrun
        self._timers: NamedTimers[K] = NamedTimers(clock)

    def drive(self, part: K, motion: ActuatorMotion, target: float | None, now: float) -> float:
        """Drive ``part`` toward ``target`` (None: the end stop of ``motion``); when it ends."""
        ends = self.actuators[part].drive(now, motion, target)
        if ends - now > self.timeout_s:
            self._arm(part, now + self.timeout_s)
        else:
            self.disarm(part)
        return ends

    def armed(self, part: K) -> bool:
        """True while ``part``'s watchdog is armed."""
        return self._timers.pending(part)

    def stop(self, part: K, now: float) -> None:
        """Cut ``part``'s motor where it is; nothing left to watch."""
        self.actuators[part].stop(now)
        self.disarm(part)

    def disarm(self, part: K) -> None:
        """Stop watching ``part`` (its actuator is left as it is)."""
        self._timers.cancel(part)

    def fail_limit_switches(self, now: float) -> list[K]:
        """The limit switches stop reporting; the parts whose drive now runs into the watchdog."""
        overrunning = []
        for part, actuator in self.actuators.items():
            if actuator.fail_limit_switch(now):
                self._arm(part, max(now, actuator.driven_since + self.timeout_s))
                overrunning.append(part)
        return overrunning

    def shutdown(self) -> None:
        """Cancel every watchdog."""
        self._timers.cancel_all()

    def _arm(self, part: K, when: float) -> None:
        self._timers.at(part, when, lambda: self._trip(part))

    def _trip(self, part: K) -> None:
        # Only a part still driven has overrun: one stopped meanwhile has not.
        if self.actuators[part].motion(self.clock.now()) is not ActuatorMotion.STOPPED:
            self._on_overrun(part)
