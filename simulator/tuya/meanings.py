"""What the product's DP values make the chair do, in the simulator's physical terms.

The model file says what most values mean (which manual mode is which technique, which auto
mode works which regions, which airbag location inflates which zones). Where it is silent the
chair still does something sensible, named after the standard's value: ``tuina`` rolls, an
unknown auto mode kneads the manual band, ``all`` inflates every airbag the chair has.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from chairctl.vocabulary import AirbagZone, Posture, Region, Technique, Width
from drivers.models.tuya import RegionMode, TuyaModel
from simulator.config import ChairOptions
from simulator.tuya.actuators import Part
from simulator.tuya.datapoints import Value

#: The standard's manual modes and the technique each is, for values a model does not map.
STANDARD_TECHNIQUES: Final[Mapping[str, Technique]] = {
    "pinch": Technique.KNEAD,
    "beat": Technique.TAP,
    "knock": Technique.KNOCK,
    "shiatsu": Technique.SHIATSU,
    "tuina": Technique.ROLL,
}
STANDARD_WIDTHS: Final[Mapping[str, Width]] = {
    "narrow": Width.NARROW,
    "middle": Width.MEDIUM,
    "wide": Width.WIDE,
}
#: The standard's gravity_control values and the posture each takes, for unmapped values.
STANDARD_GRAVITY: Final[Mapping[str, Posture]] = {
    "gravity_adjust1": Posture.ZERO_G_1,
    "gravity_adjust2": Posture.ZERO_G_2,
    "reset": Posture.UPRIGHT,
}
#: How much further zero_g_2 takes each actuator than zero_g_1 (the sources give no number);
#: gravity_adjust3, when a product has it unmapped, goes as much further again.
ZERO_G_STEP: Final = 0.15
#: The firmest airbag level the physics knows.
MAX_AIRBAG_LEVEL: Final = 5
#: The least depth working rollers press with, however gentle the strength.
MIN_DEPTH: Final = 0.5


@dataclass(frozen=True, slots=True)
class RollerPlan:
    """What the rollers should do: a technique over a band of regions."""

    technique: Technique
    regions: tuple[Region, ...]


class Meanings:
    """Looks up what a value of each DP does on this product."""

    def __init__(self, model: TuyaModel, options: ChairOptions) -> None:
        self.model = model
        self._techniques = {mode.value: t for t, mode in model.techniques.items()}
        self._widths = {value: width for width, value in model.widths.items()}
        self._gravity = {value: posture for posture, value in model.gravity.items()}
        self.region_modes: dict[str, RegionMode] = {m.value: m for m in model.region_modes}
        self._zero_g = {
            Part.BACKREST: options.zero_g_backrest,
            Part.LEG_REST: options.zero_g_leg_rest,
        }
        self.all_zones = tuple(
            dict.fromkeys(zone for zones in model.airbag_locations.values() for zone in zones)
        )

    def technique(self, manual: str) -> Technique:
        """The technique a manual_mode value works with (knead when nothing says)."""
        return self._techniques.get(manual, STANDARD_TECHNIQUES.get(manual, Technique.KNEAD))

    def manual(self, manual: str) -> RollerPlan:
        """A manual mode: its technique over the model's manual band."""
        return RollerPlan(self.technique(manual), tuple(self.model.manual_regions))

    def auto(self, auto: str, step: int) -> RollerPlan:
        """An auto mode at its ``step``-th technique; unknown modes knead the manual band."""
        mode = self.region_modes.get(auto)
        if mode is None:
            return RollerPlan(Technique.KNEAD, tuple(self.model.manual_regions))
        return RollerPlan(mode.techniques[step % len(mode.techniques)], tuple(mode.regions))

    def auto_steps(self, auto: str) -> int:
        """How many techniques an auto mode cycles through."""
        mode = self.region_modes.get(auto)
        return 1 if mode is None else len(mode.techniques)

    def width(self, ball_location: str | None) -> Width:
        if ball_location is None:
            return Width.MEDIUM
        return self._widths.get(ball_location, STANDARD_WIDTHS.get(ball_location, Width.MEDIUM))

    def speed(self, massage_speed: str | None) -> int:
        """The speed setting (1 slowest): the place in the model's ``speeds``, else in range."""
        return _level(massage_speed, self.model.speeds, self.model.range_of("massage_speed"))

    def airbag_level(self, aircell_speed: str | None) -> int:
        """The airbag level (1..5): the place in ``airbag_levels``, else the index + 1."""
        level = _level(
            aircell_speed, self.model.airbag_levels, self.model.range_of("aircell_speed")
        )
        return min(MAX_AIRBAG_LEVEL, level)

    def depth(self, strength: Value | None) -> float:
        """How hard the rollers press at a strength value, on the intensity scale (1 the
        first of the model's ``strength_levels``). Between two levels, in proportion; past the
        last, further by the last step's size, so a strength chairctl never sets still shows as
        harder than its top level. A chair without a strength DP presses at its one level."""
        model = self.model
        levels = model.strength_levels
        if not levels or strength is None or isinstance(strength, bool):
            return float(model.intensity_levels)
        places = [model.strength_place(level) for level in levels]
        place = model.strength_place(strength)
        if len(places) == 1:
            return max(MIN_DEPTH, 1.0 + place - places[0])
        # The segment that holds the place, or the end one it lies beyond.
        index = next((i for i in range(len(places) - 1) if place <= places[i + 1]), -2)
        index = index if index >= 0 else len(places) - 2
        low, high = places[index], places[index + 1]
        return max(MIN_DEPTH, index + 1 + (place - low) / (high - low))

    def zones(self, aircell_location: str) -> tuple[AirbagZone, ...]:
        """The zones a location inflates; an unmapped one inflates every zone the chair has."""
        zones = self.model.airbag_locations.get(aircell_location)
        return self.all_zones if zones is None else tuple(zones)

    def posture(self, gravity: str) -> dict[Part, float] | None:
        """Where a gravity_control value takes the actuators (None: the value does nothing)."""
        posture = self._gravity.get(gravity, STANDARD_GRAVITY.get(gravity))
        steps = 2 if gravity == "gravity_adjust3" and posture is None else None
        if posture is Posture.UPRIGHT:
            return dict.fromkeys(self._zero_g, 0.0)
        if posture is Posture.RECLINE:
            return {Part.BACKREST: 1.0, Part.LEG_REST: 0.0}
        if posture is Posture.ZERO_G_1:
            steps = 0
        elif posture is Posture.ZERO_G_2:
            steps = 1
        if steps is None:
            return None
        return {part: min(1.0, at + steps * ZERO_G_STEP) for part, at in self._zero_g.items()}


def _level(value: str | None, listed: Sequence[str], standard: Sequence[str]) -> int:
    if value is None:
        return 1
    if value in listed:
        return list(listed).index(value) + 1
    return list(standard).index(value) + 1 if value in standard else 1
