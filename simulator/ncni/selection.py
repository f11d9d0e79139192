"""What the NCNI chair's keys select, and the status frame that shows it.

A key changes the selection (mode, levels, airbags, heat, timer step, pause) at once; the
status frame shows the selection at once too, even during the body scan. Whether and when the
body follows is the board's business (:mod:`.firmware`). Pure state: no clock, no body.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final, Literal

from drivers.models.ncni import ManualModeName
from simulator.ncni.frames import ChairImage

Mode = Literal["idle", "auto", "manual"]
Profile = Literal["A", "B", "C", "D"]

#: How long each auto profile runs before the chair powers itself off (protocols.md 3).
PROGRAM_S: Final[dict[Profile, float]] = {"B": 827.0, "C": 841.0, "D": 855.0, "A": 834.0}
#: The auto key's cycle; the first press from outside auto starts B.
NEXT_PROFILE: Final[dict[Profile, Profile]] = {"B": "C", "C": "D", "D": "A", "A": "B"}
#: Pressure, speed and foot speed run 1..3 (the status's three buckets).
TOP_LEVEL: Final = 3
#: The status's name for each airbag key's group.
AIRBAG_STATUS: Final[dict[str, str]] = {
    "shoulders_arms": "shoulders",
    "forearms": "forearms",
    "legs": "legs",
}


@dataclass
class Selection:
    """What one powered-on session has selected; a fresh one is the power-on state."""

    mode: Mode = "idle"
    region: ManualModeName = "back_waist"
    profile: Profile = "B"
    intensity: int = 1
    speed: int = 2
    foot_on: bool = False
    foot_speed: int = 1
    #: Airbag keys toggled on, in the order they were.
    airbags: list[str] = field(default_factory=list)
    heat: bool = False
    paused: bool = False
    #: Status ``[11]``: the intensity last set with pressure +/-, 0 until then.
    last_level: int = 0
    #: Index into the model's session_minutes.
    minutes: int = 0
    #: Index into the running mode's techniques.
    technique: int = 0

    @property
    def working(self) -> bool:
        """True when something is selected to work: a mode, an airbag zone, the foot roller."""
        return self.mode != "idle" or bool(self.airbags) or self.foot_on

    def take(self, name: str, *, top_intensity: int, timer_steps: int) -> bool:
        """Apply the key ``name`` (a key name of the model's keys); True when it started a
        program afresh (a mode or profile selected, or the mode cleared).

        Keys that select nothing (power, holds, zero gravity, and the full-body, buttocks and
        forward/back keys, whose effect is not known) change nothing here.
        """
        match name:
            case "back_waist" | "neck":
                region: ManualModeName = "neck" if name == "neck" else "back_waist"
                if self.mode == "manual" and self.region == region:
                    self.mode = "idle"
                else:
                    self.mode, self.region = "manual", region
                self.technique = 0
                return True
            case "auto":
                self.profile = NEXT_PROFILE[self.profile] if self.mode == "auto" else "B"
                self.mode = "auto"
                self.technique = 0
                return True
            case "pressure_up" | "pressure_down":
                step = 1 if name == "pressure_up" else -1
                self.intensity = _clamp(self.intensity + step, top_intensity)
                self.last_level = self.intensity
            case "speed_up" | "speed_down":
                self.speed = _clamp(self.speed + (1 if name == "speed_up" else -1), TOP_LEVEL)
            case "foot_massage":
                self.foot_on = not self.foot_on
            case "foot_speed":
                self.foot_speed = self.foot_speed % TOP_LEVEL + 1
            case "legs" | "forearms" | "shoulders_arms":
                if name in self.airbags:
                    self.airbags.remove(name)
                else:
                    self.airbags.append(name)
            case "heat":
                self.heat = not self.heat
            case "time":
                self.minutes = (self.minutes + 1) % timer_steps
            case "pause":
                self.paused = not self.paused
        return False

    def image(self, *, running: bool) -> ChairImage:
        """The status frame of a powered chair with this selection."""
        return ChairImage(
            powered=True,
            running=running,
            mode=self.mode,
            region=self.region,
            profile=self.profile,
            intensity=self.intensity,
            foot_speed=self.foot_speed,
            airbags=frozenset(AIRBAG_STATUS[key] for key in self.airbags),
            heat=self.heat,
            last_level=self.last_level,
        )


def _clamp(level: int, top: int) -> int:
    return min(top, max(1, level))
