"""What the NCNI chair's keys select, and the status frame that shows it.

A key changes the selection (mode, levels, airbags, heat, timer step, pause) at once; the
status frame shows the selection at once too, even during the body scan. Power selects auto
profile A; the rules for leaving and entering auto are the upstream project's state code.
Whether and when the body follows is the board's business (:mod:`.firmware`). Pure state: no
clock, no body.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final, Literal

from drivers.models.ncni import ManualModeName
from simulator.ncni.frames import ChairImage

Mode = Literal["auto", "manual"]
Profile = Literal["A", "B", "C", "D"]

#: How long each auto profile runs before the chair powers itself off: upstream's bench
#: timelines (``bridge/auto_speed_pattern.py``, "TIME OVER").
PROGRAM_S: Final[dict[Profile, float]] = {"A": 827.0, "B": 833.0, "C": 838.0, "D": 855.0}
#: The auto key's cycle in auto mode; from outside auto it starts A (upstream's state code).
NEXT_PROFILE: Final[dict[Profile, Profile]] = {"A": "B", "B": "C", "C": "D", "D": "A"}
#: Pressure, speed and foot speed run 1..3 (the status's three buckets).
TOP_LEVEL: Final = 3
#: The status's name for each airbag key's group.
AIRBAG_STATUS: Final[dict[str, str]] = {
    "shoulders_arms": "shoulders",
    "forearms": "forearms",
    "legs": "legs",
}
#: What each auto profile switches on besides its rollers (upstream's state code, with its
#: bench correction for C): airbag keys, and whether the foot rollers turn. The buttocks
#: massage some profiles add is not modelled.
PROFILE_ZONES: Final[dict[Profile, tuple[tuple[str, ...], bool]]] = {
    "A": (("shoulders_arms", "forearms", "legs"), True),
    "B": (("shoulders_arms", "forearms", "legs"), True),
    "C": (("shoulders_arms",), False),
    "D": (("shoulders_arms", "forearms", "legs"), True),
}
#: The levels an auto profile starts at: pressure, speed and foot speed 2 (upstream).
PROFILE_LEVEL: Final = 2


@dataclass
class Selection:
    """What one powered-on session has selected. A fresh one selects nothing (the chair off);
    :meth:`power_on` is what the power key starts: auto profile A."""

    mode: Mode = "manual"
    #: The manual modes on, in manual mode.
    manual: set[ManualModeName] = field(default_factory=set)
    profile: Profile = "A"
    intensity: int = 1
    speed: int = 2
    foot_on: bool = False
    foot_speed: int = 1
    #: Airbag keys toggled on, in the order they were.
    airbags: list[str] = field(default_factory=list)
    heat: bool = False
    paused: bool = False
    #: Index into the model's session_minutes.
    minutes: int = 0
    #: Index into the running mode's techniques.
    technique: int = 0

    @classmethod
    def power_on(cls) -> Selection:
        """The selection power starts: auto profile A at pressure 2, with the shoulder,
        forearm and leg airbags and the foot rollers, the timer at its first step (upstream's
        ``test_power_on_default_matches_manual``)."""
        selection = cls()
        selection._profile("A")
        return selection

    @property
    def rollers(self) -> bool:
        """True when a mode is selected for the rollers: auto, or a manual mode on."""
        return self.mode == "auto" or bool(self.manual)

    @property
    def working(self) -> bool:
        """True when something is selected to work: a mode, an airbag zone, the foot roller."""
        return self.rollers or bool(self.airbags) or self.foot_on

    def _profile(self, profile: Profile) -> None:
        bags, foot = PROFILE_ZONES[profile]
        self.mode, self.profile = "auto", profile
        self.manual = set()
        self.airbags = list(bags)
        self.foot_on = foot
        self.intensity = self.speed = self.foot_speed = PROFILE_LEVEL
        # Upstream: entering auto clears the heat; a pause does not carry over.
        self.heat = False
        self.paused = False
        self.technique = 0

    def take(self, name: str, *, top_intensity: int, timer_steps: int) -> bool:
        """Apply the key ``name`` (a key name of the model's keys); True when it started a
        program afresh (a mode or profile selected, or a mode switched off).

        Keys that select nothing (power, holds, zero gravity, and the full-body, buttocks and
        forward/back keys, whose effect is not modelled) change nothing here.
        """
        match name:
            case "back_waist" | "neck":
                region: ManualModeName = "neck" if name == "neck" else "back_waist"
                if self.mode == "auto":
                    # Leaving auto for one manual mode clears the profile's airbags and foot
                    # rollers; the heat stays (upstream's state code and its tests).
                    self.mode, self.manual = "manual", {region}
                    self.airbags = []
                    self.foot_on = False
                elif region in self.manual:
                    self.manual.discard(region)
                else:
                    # The two manual modes toggle independently: both may be on.
                    self.manual.add(region)
                self.technique = 0
                return True
            case "auto":
                self._profile(NEXT_PROFILE[self.profile] if self.mode == "auto" else "A")
                return True
            case "pressure_up" | "pressure_down":
                step = 1 if name == "pressure_up" else -1
                self.intensity = _clamp(self.intensity + step, top_intensity)
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

    def image(self, *, running: bool, blank: bool = False) -> ChairImage:
        """The status frame of a powered chair with this selection."""
        return ChairImage(
            powered=True,
            running=running,
            mode=self.mode,
            manual=frozenset(self.manual),
            profile=self.profile,
            intensity=self.intensity,
            speed=self.speed,
            foot_speed=self.foot_speed,
            airbags=frozenset(AIRBAG_STATUS[key] for key in self.airbags),
            heat=self.heat,
            blank=blank,
        )


def _clamp(level: int, top: int) -> int:
    return min(top, max(1, level))
