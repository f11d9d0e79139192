"""What each key code means to the simulated mainboard, read from the chair model's key table.

The firmware acts on key codes; the model file says which code is which function. Turning the
table into typed commands once keeps the state machine free of key-code lookups and makes a
model that gives two functions the same code fail loudly at start-up.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from chairctl.vocabulary import MassageRange, Technique, Width
from drivers.models.schema import HoldKeys, Keys
from simulator.errors import SimulatorError


class Part(Enum):
    """Something a hold-to-move key pair drives."""

    WALK = "walk"
    BACKREST = "backrest"
    LEG_REST = "leg_rest"


@dataclass(frozen=True, slots=True)
class Power:
    """The power toggle."""


@dataclass(frozen=True, slots=True)
class SelectTechnique:
    """A manual technique key."""

    technique: Technique
    status_code: int


@dataclass(frozen=True, slots=True)
class CycleStrength:
    """Steps the 3D strength 1 -> 2 -> ... -> top -> 1."""


@dataclass(frozen=True, slots=True)
class SetSpeed:
    """A speed key; ``level`` counts from 1 (slowest)."""

    level: int


@dataclass(frozen=True, slots=True)
class SetWidth:
    """A width key."""

    width: Width


@dataclass(frozen=True, slots=True)
class SetRange:
    """A massage range key."""

    massage_range: MassageRange


@dataclass(frozen=True, slots=True)
class ToggleHeat:
    """The lumbar heater toggle."""


@dataclass(frozen=True, slots=True)
class ToggleAirbagGroup:
    """Toggles one airbag group (by its index in the model's list) in the airbag program."""

    index: int


@dataclass(frozen=True, slots=True)
class SetAirbagLevel:
    """An airbag level key, 1 gentlest."""

    level: int


@dataclass(frozen=True, slots=True)
class AirbagOff:
    """Turns every airbag off."""


@dataclass(frozen=True, slots=True)
class SetFootRoller:
    """A foot-roller key: speed 1..n, or 0 for off."""

    speed: int


@dataclass(frozen=True, slots=True)
class SetSession:
    """A session-length preset."""

    minutes: int


@dataclass(frozen=True, slots=True)
class StartAuto:
    """A built-in program (by its index in the model's list)."""

    index: int


@dataclass(frozen=True, slots=True)
class Hold:
    """One key of a hold-to-move pair: START or STOP of one direction of one part."""

    part: Part
    up: bool
    start: bool


@dataclass(frozen=True, slots=True)
class ZeroGravity:
    """The zero-gravity toggle."""


@dataclass(frozen=True, slots=True)
class ToggleAnion:
    """The anion (ionizer) toggle."""


Command = (
    Power
    | SelectTechnique
    | CycleStrength
    | SetSpeed
    | SetWidth
    | SetRange
    | ToggleHeat
    | ToggleAirbagGroup
    | SetAirbagLevel
    | AirbagOff
    | SetFootRoller
    | SetSession
    | StartAuto
    | Hold
    | ZeroGravity
    | ToggleAnion
)


def build_keymap(keys: Keys) -> dict[int, Command]:
    """Key code -> command for a model's key table; :class:`SimulatorError` on a shared code."""
    entries: list[tuple[int, Command, str]] = [(keys.power, Power(), "power")]
    for technique, spec in keys.techniques.items():
        entries.append(
            (spec.key, SelectTechnique(technique, spec.status_code), f"technique {technique}")
        )
    if keys.intensity_cycle is not None:
        entries.append((keys.intensity_cycle, CycleStrength(), "intensity_cycle"))
    entries += [(k, SetSpeed(i), f"speed {i}") for i, k in enumerate(keys.speeds, 1)]
    entries += [(k, SetWidth(w), f"width {w}") for w, k in keys.widths.items()]
    entries += [(k, SetRange(MassageRange(r)), f"range {r}") for r, k in keys.ranges.items()]
    if keys.heat_toggle is not None:
        entries.append((keys.heat_toggle, ToggleHeat(), "heat_toggle"))
    entries += [
        (g.key, ToggleAirbagGroup(i), f"airbag group {i}") for i, g in enumerate(keys.airbag_groups)
    ]
    entries += [
        (k, SetAirbagLevel(i), f"airbag level {i}") for i, k in enumerate(keys.airbag_levels, 1)
    ]
    if keys.airbag_off is not None:
        entries.append((keys.airbag_off, AirbagOff(), "airbag_off"))
    entries += [
        (k, SetFootRoller(i), f"foot roller {i}") for i, k in enumerate(keys.foot_roller, 1)
    ]
    if keys.foot_roller_off is not None:
        entries.append((keys.foot_roller_off, SetFootRoller(0), "foot_roller_off"))
    entries += [(k, SetSession(m), f"session {m} min") for m, k in keys.session_presets.items()]
    entries += [
        (p.key, StartAuto(i), f"auto program {p.name}") for i, p in enumerate(keys.auto_programs)
    ]
    entries += _hold_entries(Part.WALK, keys.walk)
    if keys.backrest is not None:
        entries += _hold_entries(Part.BACKREST, keys.backrest)
    if keys.leg_rest is not None:
        entries += _hold_entries(Part.LEG_REST, keys.leg_rest)
    if keys.zero_gravity is not None:
        entries.append((keys.zero_gravity, ZeroGravity(), "zero_gravity"))
    if keys.anion_toggle is not None:
        entries.append((keys.anion_toggle, ToggleAnion(), "anion_toggle"))

    table: dict[int, Command] = {}
    names: dict[int, str] = {}
    for code, command, name in entries:
        if code in table:
            raise SimulatorError(f"key 0x{code:02X} is both {names[code]} and {name} in the model")
        table[code] = command
        names[code] = name
    return table


def _hold_entries(part: Part, keys: HoldKeys) -> list[tuple[int, Command, str]]:
    return [
        (keys.up_start, Hold(part, up=True, start=True), f"{part.value} up start"),
        (keys.up_stop, Hold(part, up=True, start=False), f"{part.value} up stop"),
        (keys.down_start, Hold(part, up=False, start=True), f"{part.value} down start"),
        (keys.down_stop, Hold(part, up=False, start=False), f"{part.value} down stop"),
    ]
