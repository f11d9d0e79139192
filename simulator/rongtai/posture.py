"""The backrest and leg rest under the firmware's travel watchdog (RT6923 ``errorCode.h``).

Hold-to-move keys start and stop an actuator; a START without a STOP runs to the end stop.
An actuator driven for ``actuator_timeout_s`` without its limit switch reporting an end stop
is a fault. One timer per drive is all the watchdog costs.
"""

from __future__ import annotations

from collections.abc import Callable

from chairctl.clock import Clock
from simulator.config import ChairOptions
from simulator.physics.body import Body
from simulator.physics.posture import Posture
from simulator.rongtai.codes import ErrorCode
from simulator.rongtai.keymap import Part

_TIMEOUT_CODES = {
    Part.BACKREST: ErrorCode.BACKREST_TIMEOUT,
    Part.LEG_REST: ErrorCode.LEG_REST_TIMEOUT,
}


class PostureControl(Posture[Part]):
    """The H10's actuators: hold keys start and stop them, and a watchdog trip is the error
    code of the part that overran."""

    def __init__(
        self,
        clock: Clock,
        body: Body,
        options: ChairOptions,
        timeout_s: float,
        on_timeout: Callable[[ErrorCode], None],
    ) -> None:
        super().__init__(
            clock,
            body,
            options,
            timeout_s,
            lambda part: on_timeout(_TIMEOUT_CODES[part]),
            backrest=Part.BACKREST,
            leg_rest=Part.LEG_REST,
        )

    def start(self, part: Part, up: bool, now: float) -> None:
        """A START key: run toward that direction's end stop (the walk is no actuator here)."""
        if part in self.actuators:
            self.move(part, up, now)

    def zero_gravity(self, now: float) -> None:
        """The zero-gravity toggle: into the posture, or back home from it."""
        self.toggle_zero_gravity(now)
