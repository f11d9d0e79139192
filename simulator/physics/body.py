"""A chair body built from a model's mechanics: its parts, their speeds, and the trace."""

from __future__ import annotations

from collections.abc import Callable

from drivers.models import ChairModel
from simulator.config import ChairOptions, Sitter
from simulator.physics.airbags import idle_cycle
from simulator.physics.motion import Polyline
from simulator.physics.parts import Actuator, Airbags, Axis, Carriage, Heater
from simulator.trace import Trace


def _coupling(model: ChairModel, ambient_c: float) -> float:
    """How much of the element's rise above ambient reaches the skin: the model's contact
    temperature over its set point (all of it when the model gives no contact temperature)."""
    mech = model.mechanics
    contact = mech.heater_contact_c
    if contact is None or mech.heater_setpoint_c <= ambient_c:
        return 1.0
    return max(0.0, (contact - ambient_c) / (mech.heater_setpoint_c - ambient_c))


class Body:
    """Every moving part of one simulated chair, with the sitter in it."""

    def __init__(
        self,
        model: ChairModel,
        sitter: Sitter,
        options: ChairOptions,
        start: float,
        horizon: Callable[[], float] | None = None,
    ) -> None:
        mech = model.mechanics
        #: Highest carriage position; positions run 0 .. top.
        self.top = float(mech.roller_positions - 1)
        self.seat_line = mech.seat_line_position
        self.park = self.top - 1 if options.park_position is None else options.park_position
        shoulder = sitter.shoulder_position
        #: The sitter's real shoulder line.
        self.shoulder = float(mech.default_shoulder_position if shoulder is None else shoulder)
        self.strength_levels = model.intensity_levels
        cycle = idle_cycle(start, mech.airbag_inflate_s, mech.airbag_vent_s, options.airbag_hold_s)
        self.trace = Trace(
            start,
            seat_line=self.seat_line,
            shoulder=self.shoulder,
            roller=Polyline.hold(start, self.park),
            depth=Polyline.hold(start, 0.0),
            airbags=cycle,
            heater=Polyline.hold(start, options.ambient_c),
            backrest=Polyline.hold(start, 0.0),
            leg_rest=Polyline.hold(start, 0.0),
            horizon=horizon,
            ambient_c=options.ambient_c,
            contact_coupling=_coupling(model, options.ambient_c),
        )
        trace = self.trace
        self.carriage = Carriage(
            trace.roller, trace.activity, self.top, self.top / mech.roller_travel_s
        )
        # Depth is in strength units; the model's travel time spans weakest to strongest.
        self.depth = Axis(trace.depth, max(1, model.intensity_levels - 1) / mech.depth_travel_s)
        self.airbags = Airbags(
            trace.airbags, mech.airbag_inflate_s, mech.airbag_vent_s, options.airbag_hold_s
        )
        self.heater = Heater(
            trace.heater,
            trace.heat_on,
            mech.heater_setpoint_c,
            mech.heater_time_constant_s,
            options.ambient_c,
        )
        # Backrest "up" raises it toward upright (home); leg-rest "up" raises the legs away
        # from home.
        self.backrest = Actuator(trace.backrest, mech.backrest_travel_s, up_is_home=True)
        self.leg_rest = Actuator(trace.leg_rest, mech.leg_rest_travel_s, up_is_home=False)

    def foot_roller(self, t: float, speed: int) -> None:
        """Run the foot roller at ``speed`` (0 stops it)."""
        if self.trace.foot_roller.current != speed:
            self.trace.foot_roller.set(t, speed)

    @property
    def foot_roller_speed(self) -> int:
        """The foot roller's speed now, 0 when stopped."""
        return self.trace.foot_roller.current
