"""What the Korean chair's buttons select, and what each cycle does when it wraps.

A button changes the selection (mode, manual technique, auto program, area, width, speed, air
mode and strength, foot roller, heat, pause, roller position) at once, and the display shows it
at once. Whether and when the body follows is the board's business (:mod:`.firmware`). Pure
state: no clock, no body.

Every cycle returns whether it wrapped back to its first step, which is when the chair gives
its double beep (``spec/chair.yml``: confirmed for speed and air strength, "likely" for the
others; taken for all [assumed]).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

from chairctl.vocabulary import MassageRange, Width
from drivers.models.korean import KoreanModel
from simulator.config import ChairOptions
from simulator.korean.frames import ROLLER_STEPS

Mode = Literal["none", "manual", "auto"]

#: Speed and air strength run 1..3 (shown 1, 3, 5).
LEVELS: Final = 3
#: The speed power-on leaves: 2, shown 3, as every captured frame has it [assumed].
START_SPEED: Final = 2
#: The air strength power-on leaves: 1, as every captured frame has it [assumed].
START_AIR_STRENGTH: Final = 1


def _step(index: int, count: int) -> tuple[int, bool]:
    """The next index of a cycle of ``count`` and whether it wrapped."""
    following = (index + 1) % count
    return following, following == 0


@dataclass
class Selection:
    """What one powered-on session has selected."""

    area_cycle: tuple[MassageRange, ...]
    width_cycle: tuple[Width, ...]
    mode: Mode = "none"
    #: The manual technique's place in the model's list (0 the first).
    technique: int = 0
    #: The auto program's place in the model's list.
    program: int = 0
    area: int = 0
    width: int = 0
    speed: int = START_SPEED
    #: 0 off, else the air mode's place in the model's list plus one.
    air: int = 0
    air_strength: int = START_AIR_STRENGTH
    foot: bool = False
    heat: bool = False
    paused: bool = False
    #: The roller position point and local massage centre on, 1..6.
    focus: int = 1

    @classmethod
    def power_on(cls, model: KoreanModel, options: ChairOptions, focus: int) -> Selection:
        """The selection power starts: nothing working, the area and width of ``options``,
        the roller position ``focus``."""
        areas, widths = tuple(model.area_cycle), tuple(model.width_cycle)
        return cls(
            area_cycle=areas,
            width_cycle=widths,
            area=areas.index(options.initial_range),
            width=widths.index(options.initial_width),
            focus=focus,
        )

    @property
    def rollers(self) -> bool:
        """True when a mode is selected for the rollers."""
        return self.mode != "none"

    @property
    def working(self) -> bool:
        """True when something is selected to work: a mode, an air mode, the foot roller."""
        return self.rollers or self.air > 0 or self.foot

    @property
    def massage_range(self) -> MassageRange:
        """The area selected."""
        return self.area_cycle[self.area]

    @property
    def width_selected(self) -> Width:
        """The width selected."""
        return self.width_cycle[self.width]

    def manual(self, techniques: int) -> bool:
        """The manual button: into manual mode at the first technique, or the next one
        [assumed]; True when it wrapped."""
        if self.mode != "manual":
            self.mode, self.technique = "manual", 0
            return False
        self.technique, wrapped = _step(self.technique, techniques)
        return wrapped

    def auto(self, program: int) -> None:
        """An auto program's button."""
        self.mode, self.program = "auto", program

    def next_speed(self) -> bool:
        """The speed button; True when it wrapped."""
        index, wrapped = _step(self.speed - 1, LEVELS)
        self.speed = index + 1
        return wrapped

    def next_air_strength(self) -> bool:
        """The air-strength button; True when it wrapped."""
        index, wrapped = _step(self.air_strength - 1, LEVELS)
        self.air_strength = index + 1
        return wrapped

    def next_air(self, modes: int) -> bool:
        """The air button: off, then each mode, then off again; True when back to off."""
        self.air, wrapped = _step(self.air, modes + 1)
        return wrapped

    def next_area(self) -> bool:
        """The area button; True when it wrapped."""
        self.area, wrapped = _step(self.area, len(self.area_cycle))
        return wrapped

    def next_width(self) -> bool:
        """The width button; True when it wrapped."""
        self.width, wrapped = _step(self.width, len(self.width_cycle))
        return wrapped

    def move_focus(self, step: int) -> None:
        """One roller position up (1) or down (-1), staying on the track."""
        self.focus = min(ROLLER_STEPS, max(1, self.focus + step))
