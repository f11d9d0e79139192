"""Korean wired-remote chair model files: the remote's press and release codes, what its cycles
step through, and what its manual techniques, auto programs and air modes work.

The chair of the ``korean-ascii`` family is driven the way its wired remote drives it: every
button is a four-hex-digit **press** code, then a **release** code, each sent as ``~XXXX\\r``
at 9600 8N1 (``docs/protocols/korean-ascii.md``; public source ``sebastianrcnt/massage-chair-
hack``, ``spec/chair.yml``). Almost every button is a toggle or a cycle (the timer, the speed,
the area, the width, the air mode and strength, the manual technique); the backrest and leg-rest
buttons move for as long as they are held, until their release. The chair answers with beeps
(acknowledgement frames) and shows its state as an image of the remote's display.

A model file names each button's pair of codes (the defaults are the source's table), the order
each cycle steps in, the timer's steps, the six manual techniques the manual button steps
through and what each is in chairctl's words, the auto programs with the number the remote shows
for each (A1..A6), and the zones each air mode works. What the source does not say is marked
``[assumed]`` in the shipped file.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property
from itertools import pairwise
from types import MappingProxyType
from typing import Annotated, Final, Literal, TypeVar

from pydantic import AfterValidator, Field, ValidationInfo, field_validator, model_validator

from chairctl.vocabulary import (
    AirbagZone,
    ChairCapabilities,
    HeatLevel,
    MassageRange,
    Region,
    Technique,
    Width,
)
from chairctl.vocabulary.text import LineText
from drivers.models.common import ModelBase, RollerMode, Strict, TimerMinutes, Timing

#: The chair's own frames on the status line, never a button's: 1100 (after a position move),
#: 1103 (a single beep), 1104 (a double beep, a cycle wrapped) (``spec/chair.yml`` ``acks``).
ACK_CODES: Final[Mapping[int, str]] = MappingProxyType(
    {
        0x1100: "the chair's answer after a position move",
        0x1103: "the chair's single beep",
        0x1104: "the chair's double beep",
    }
)

#: How many manual techniques the status can show: one blinking bit each (B3 b7:b6, B4 b3:b0).
MANUAL_SLOTS: Final = 6
#: How many auto programs the remote's display numbers (A1..A6).
AUTO_DISPLAYS: Final = 6
#: The airbag zones the status can show, one blinking bit each (B7: shoulder, wrist, calf,
#: foot); an air mode may work no other, or nothing could confirm it.
AIR_ZONES: Final = frozenset(
    {AirbagZone.SHOULDERS, AirbagZone.ARMS, AirbagZone.CALVES, AirbagZone.FEET}
)
#: The levels the status shows for speed and air strength, lowest first (the bits read 00, 01,
#: 11 for 1, 3, 5; ``spec/chair.yml`` ``maps.level_1_3_5``). chairctl counts them 1..3.
STATUS_LEVELS: Final = (1, 3, 5)


def _not_an_ack(code: int) -> int:
    if code in ACK_CODES:
        raise ValueError(f"{code:04X} is {ACK_CODES[code]}, not a button's code")
    return code


#: A button code: four hex digits (``0x0303`` in YAML), never one of the chair's answers.
RemoteCode = Annotated[int, Field(ge=0x0000, le=0xFFFF), AfterValidator(_not_an_ack)]

#: The release code most buttons share (``spec/chair.yml`` ``releases``).
RELEASE: Final = 0x0355
#: The release code of the speed button and the stretching program.
RELEASE_SPEED: Final = 0x0336
#: The release code of the manual and foot-roller buttons.
RELEASE_MANUAL: Final = 0x0339


class KeyPair(Strict):
    """One button: the code sent when it goes down, the code sent when it comes up."""

    press: RemoteCode = Field(description="The code sent when the button goes down.")
    release: RemoteCode = Field(RELEASE, description="The code sent when it comes up.")


def _pair(press: int, release: int = RELEASE) -> KeyPair:
    return KeyPair(press=press, release=release)


class KoreanKeys(Strict):
    """The remote's buttons; the defaults are the source's table (``spec/chair.yml``)."""

    power: KeyPair = Field(default_factory=lambda: _pair(0x0303), description="Power toggle.")
    timer: KeyPair = Field(
        default_factory=lambda: _pair(0x032D), description="Timer: the next step, wrapping."
    )
    pause: KeyPair = Field(default_factory=lambda: _pair(0x0322), description="Pause and resume.")
    heater: KeyPair = Field(default_factory=lambda: _pair(0x0330), description="Heat toggle.")
    speed: KeyPair = Field(
        default_factory=lambda: _pair(0x0327, RELEASE_SPEED),
        description="Roller speed cycle 1, 3, 5 (manual mode only).",
    )
    manual: KeyPair = Field(
        default_factory=lambda: _pair(0x0363, RELEASE_MANUAL),
        description="Manual mode; in it, the next manual technique [assumed].",
    )
    back_recline: KeyPair = Field(
        default_factory=lambda: _pair(0x0304), description="Backrest down while held."
    )
    back_raise: KeyPair = Field(
        default_factory=lambda: _pair(0x0302), description="Backrest up while held."
    )
    leg_lower: KeyPair = Field(
        default_factory=lambda: _pair(0x0301), description="Leg rest down while held."
    )
    leg_raise: KeyPair = Field(
        default_factory=lambda: _pair(0x0307), description="Leg rest up while held."
    )
    air_mode: KeyPair = Field(
        default_factory=lambda: _pair(0x0375), description="Air mode cycle, off included."
    )
    air_strength: KeyPair = Field(
        default_factory=lambda: _pair(0x0315), description="Air strength cycle 1, 3, 5."
    )
    foot_roller: KeyPair = Field(
        default_factory=lambda: _pair(0x0331, RELEASE_MANUAL), description="Foot-roller toggle."
    )
    area: KeyPair = Field(default_factory=lambda: _pair(0x0314), description="Massage area cycle.")
    position_up: KeyPair = Field(
        default_factory=lambda: _pair(0x032C), description="Roller position one step up."
    )
    position_down: KeyPair = Field(
        default_factory=lambda: _pair(0x032F), description="Roller position one step down."
    )
    position_reset: KeyPair = Field(
        default_factory=lambda: _pair(0x0384), description="Roller position back to its start."
    )
    zero_gravity: KeyPair = Field(
        default_factory=lambda: _pair(0x0306), description="Zero-gravity toggle."
    )
    width: KeyPair = Field(default_factory=lambda: _pair(0x0364), description="Roller width cycle.")

    def pairs(self) -> dict[str, KeyPair]:
        """Every button by its function's name."""
        return {name: getattr(self, name) for name in type(self).model_fields}

    @property
    def holds(self) -> dict[str, KeyPair]:
        """The buttons that move something for as long as they are held."""
        return {
            name: getattr(self, name)
            for name in ("back_recline", "back_raise", "leg_lower", "leg_raise")
        }

    @model_validator(mode="after")
    def _codes_distinct(self) -> KoreanKeys:
        _check_codes(self.pairs())
        return self


def _check_codes(pairs: Mapping[str, KeyPair]) -> None:
    """No two buttons share a press code, and no press code is any button's release: the chair
    reads a code by its value alone, so either would make one button act as another."""
    presses: dict[int, str] = {}
    for name, pair in pairs.items():
        if pair.press in presses:
            raise ValueError(
                f"{presses[pair.press]} and {name} share the press code {pair.press:04X}"
            )
        presses[pair.press] = name
    for name, pair in pairs.items():
        if pair.release in presses:
            raise ValueError(
                f"the release code of {name}, {pair.release:04X}, is the press code of "
                f"{presses[pair.release]}"
            )


class ManualTechnique(Strict):
    """One of the techniques the manual button steps through, in the order it does."""

    name: LineText = Field(min_length=1, max_length=40, description="What the remote calls it.")
    technique: Technique = Field(description="What the rollers do, in chairctl's words.")
    approximates: bool = Field(
        False, description="True when the chair's technique only approximates ours."
    )

    @model_validator(mode="after")
    def _a_roller_technique(self) -> ManualTechnique:
        if self.technique in (Technique.NONE, Technique.STRETCH):
            raise ValueError("a manual technique is a roller technique")
        return self


def _default_manual() -> list[ManualTechnique]:
    # The order of the remote's labels and the observed motion of each (spec/chair.yml
    # blink_indicators.manual_techniques): the source renames three, by what the rollers did.
    return [
        ManualTechnique(name="주무름", technique=Technique.KNEAD),
        ManualTechnique(name="주무름 두드림", technique=Technique.KNEAD_KNOCK),
        ManualTechnique(name="롤링", technique=Technique.ROLL, approximates=True),
        ManualTechnique(name="롤링 두드림", technique=Technique.TAP, approximates=True),
        ManualTechnique(name="느린 두드림", technique=Technique.KNOCK, approximates=True),
        ManualTechnique(name="복합", technique=Technique.KNEAD_KNOCK, approximates=True),
    ]


class KoreanAutoProgram(RollerMode):
    """A program built into the chair: its button, the number the remote shows for it, and
    what it works [assumed: the source names the programs, not what they do]."""

    name: LineText = Field(min_length=1, max_length=80, description="Its name, in English.")
    label: LineText = Field(
        "", max_length=40, description="What the remote calls it (the source's Korean label)."
    )
    display: int = Field(
        ge=1, le=AUTO_DISPLAYS, description="The number the remote shows for it (A1..A6)."
    )
    key: KeyPair = Field(description="Its button.")


#: What every shipped auto program is taken to do [assumed]: sweep the back from the shoulders
#: down with every technique the chair has, percussion included, so that chairctl uses them
#: only where percussion is asked for.
_PROGRAM_REGIONS: Final = (
    Region.SHOULDERS,
    Region.UPPER_BACK,
    Region.MID_BACK,
    Region.LOWER_BACK,
)
_PROGRAM_TECHNIQUES: Final = (
    Technique.KNEAD,
    Technique.KNEAD_KNOCK,
    Technique.ROLL,
    Technique.TAP,
    Technique.KNOCK,
)


def _program(
    name: str, label: str, display: int, press: int, release: int = RELEASE
) -> dict[str, object]:
    return {
        "name": name,
        "label": label,
        "display": display,
        "key": {"press": press, "release": release},
        "regions": list(_PROGRAM_REGIONS),
        "techniques": list(_PROGRAM_TECHNIQUES),
    }


def _default_programs() -> list[KoreanAutoProgram]:
    # spec/chair.yml commands (codes, the stretching program's own release) and
    # short.auto_mode_indicator (the A1..A6 each is shown as).
    rows = [
        _program("Charging", "충전", 1, 0x031F),
        _program("Healing", "힐링", 2, 0x0320),
        _program("Stretching", "스트레칭", 3, 0x031E, RELEASE_SPEED),
        _program("Sleep", "숙면", 4, 0x0321),
        _program("Classic", "클래식", 5, 0x0305),
        _program("Digestion", "소화", 6, 0x0391),
    ]
    return [KoreanAutoProgram.model_validate(row) for row in rows]


def _shown_zones(zones: list[AirbagZone]) -> list[AirbagZone]:
    if not zones or len(set(zones)) != len(zones):
        raise ValueError("an air mode names its zones, each once")
    stray = sorted(set(zones) - AIR_ZONES)
    if stray:
        raise ValueError(
            f"works {', '.join(stray)}, which the status cannot show (it shows "
            f"{', '.join(sorted(AIR_ZONES))})"
        )
    return zones


def _default_air_modes() -> list[list[AirbagZone]]:
    # [assumed]: the source says only that the air button "cycles through air massage modes".
    return [
        [AirbagZone.SHOULDERS, AirbagZone.ARMS, AirbagZone.CALVES, AirbagZone.FEET],
        [AirbagZone.SHOULDERS, AirbagZone.ARMS],
        [AirbagZone.CALVES, AirbagZone.FEET],
    ]


E = TypeVar("E", Width, MassageRange)


def _each_once(cycle: list[E], kind: type[E]) -> list[E]:
    """A cycle through every value of ``kind``: each once, in the chair's order."""
    if len(cycle) != len(kind) or set(cycle) != set(kind):
        raise ValueError(f"must list each of {', '.join(kind)} once")
    return cycle


class KoreanProtocol(Strict):
    """The wired remote's protocol, as this chair speaks it."""

    family: Literal["korean-ascii"] = Field(description="The protocol family.")
    status_period_ms: int = Field(
        500,
        ge=100,
        le=2000,
        description="How often the chair sends its long and short status (the source: about "
        "twice a second).",
    )
    blink_period_ms: int = Field(
        1000,
        ge=200,
        le=4000,
        description="One on-and-off of the display's blinking bits (the source: about 1 Hz).",
    )

    @model_validator(mode="after")
    def _blink_seen(self) -> KoreanProtocol:
        if self.blink_period_ms < 2 * self.status_period_ms:
            # A status shorter than half a blink is needed to see both halves of it.
            raise ValueError(
                "blink_period_ms must be at least twice status_period_ms, or a blinking bit "
                "could read the same in every frame"
            )
        return self


class KoreanModel(ModelBase):
    """A chair of the Korean wired-remote family (``korean-ascii``)."""

    protocol: KoreanProtocol = Field(description="Wire protocol and status timing.")
    keys: KoreanKeys = Field(default_factory=KoreanKeys, description="The remote's buttons.")
    manual_techniques: list[ManualTechnique] = Field(
        default_factory=_default_manual,
        min_length=1,
        max_length=MANUAL_SLOTS,
        description="The techniques the manual button steps through, in its order; the "
        "status shows the one running by its place in this list.",
    )
    auto_programs: list[KoreanAutoProgram] = Field(
        default_factory=_default_programs, description="The chair's built-in programs."
    )
    air_modes: list[Annotated[list[AirbagZone], AfterValidator(_shown_zones)]] = Field(
        default_factory=_default_air_modes,
        max_length=7,
        description="The zones each step of the air button's cycle works, after 'off' "
        "(which the cycle starts from and wraps to).",
    )
    timer_steps: list[TimerMinutes] = Field(
        [5, 10, 15, 20, 25, 30],
        min_length=1,
        description="The timer button's steps, in minutes, ascending: it goes to the next one "
        "above the minutes shown and wraps from the last to the first.",
    )
    auto_program_minutes: TimerMinutes = Field(
        15, description="The timer an auto program starts (the source: 15 minutes)."
    )
    width_cycle: list[Width] = Field(
        [Width.WIDE, Width.MEDIUM, Width.NARROW],
        description="The order the width button steps through the widths.",
    )
    area_cycle: list[MassageRange] = Field(
        [MassageRange.POINT, MassageRange.PARTIAL, MassageRange.FULL],
        description="The order the area button steps through point, local (partial) and full.",
    )

    @property
    def family(self) -> str:
        return self.protocol.family

    # Each rule is checked on the field it is about, so that a file breaking it is told at
    # that field's place; fields are validated in order, so a rule may look at earlier ones.

    @field_validator("intensity_levels")
    @classmethod
    def _two_d(cls, value: int) -> int:
        if value != 1:
            raise ValueError(
                "must be 1: the remote has no strength button and the status shows none"
            )
        return value

    @field_validator("heat_levels")
    @classmethod
    def _one_toggle(cls, value: list[HeatLevel]) -> list[HeatLevel]:
        on = [level for level in value if level is not HeatLevel.OFF]
        if HeatLevel.OFF not in value or len(on) > 1:
            raise ValueError("must be 'off' and at most one level: the heater is one toggle")
        return value

    @field_validator("auto_programs")
    @classmethod
    def _programs_apart(
        cls, value: list[KoreanAutoProgram], info: ValidationInfo
    ) -> list[KoreanAutoProgram]:
        displays = [p.display for p in value]
        if len(set(displays)) != len(displays):
            raise ValueError("two auto programs share a display number")
        keys = info.data.get("keys")
        if isinstance(keys, KoreanKeys):
            pairs = dict(keys.pairs())
            for program in value:
                pairs[f"auto program {program.name}"] = program.key
            _check_codes(pairs)
        return value

    @field_validator("timer_steps")
    @classmethod
    def _steps(cls, value: list[int], info: ValidationInfo) -> list[int]:
        if any(b <= a for a, b in pairwise(value)):
            raise ValueError("must climb, each step once")
        timing = info.data.get("timing")
        if isinstance(timing, Timing) and timing.default_session_min not in value:
            raise ValueError(
                f"timing.default_session_min ({timing.default_session_min}) must be one of "
                "the steps: it is the step the timer starts at"
            )
        return value

    @field_validator("width_cycle")
    @classmethod
    def _widths_once(cls, value: list[Width]) -> list[Width]:
        return _each_once(value, Width)

    @field_validator("area_cycle")
    @classmethod
    def _areas_once(cls, value: list[MassageRange]) -> list[MassageRange]:
        return _each_once(value, MassageRange)

    @property
    def releases(self) -> frozenset[int]:
        """Every release code of the model's buttons."""
        codes = {pair.release for pair in self.keys.pairs().values()}
        codes |= {program.key.release for program in self.auto_programs}
        return frozenset(codes)

    @cached_property
    def capabilities(self) -> ChairCapabilities:
        """What the compiler may ask of this chair."""
        sets = [frozenset(zones) for zones in self.air_modes]
        # A mode that contains no smaller one inflates zones that cannot be had apart.
        basic = {s for s in sets if not any(other < s for other in sets)}
        zones = frozenset(zone for s in sets for zone in s)
        mechanics = self.mechanics
        return ChairCapabilities(
            track=self.track,
            techniques=frozenset({*(m.technique for m in self.manual_techniques), Technique.NONE}),
            intensity_levels=1,
            speeds=len(STATUS_LEVELS),
            widths=frozenset(Width),
            airbag_zones=zones,
            airbag_levels=len(STATUS_LEVELS) if zones else 0,
            airbag_groups=tuple(sorted((s for s in basic if len(s) > 1), key=sorted)),
            heaters=frozenset(self.heaters),
            heat_levels=frozenset(self.heat_levels),
            foot_roller_speeds=1,
            postures=frozenset(self.postures),
            # Only pausing (which stops everything) or switching off rests the rollers, and
            # nothing but a new start leaves manual mode.
            rollers_rest_alone=False,
            restart_s=mechanics.roller_travel_s / 2
            + mechanics.body_scan_s
            + self.timing.power_to_mode_s,
            heat_contact_c=self.heat_contact_c,
        )
