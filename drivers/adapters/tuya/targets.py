"""What a Setpoint means on a Tuya MCU chair: the data-point values that should hold.

Pure translation, no I/O: a Setpoint and a chair model in, :class:`Targets` out (the roller
mode, speed, width, airbag location and level, heat, foot roller, gravity posture) with the
approximations the chair forces, one plain sentence each. What the chair cannot do at all is
refused with :class:`~chairctl.vocabulary.Unsupported`, before anything is sent.

A Tuya chair cannot place its rollers. Its manual modes sweep a band of its own
(``manual_regions``) with one technique; its region auto modes work a few regions, cycling
techniques of their own. :func:`choose_rollers` takes whichever is nearest to the regions
asked (by overlap, Jaccard), never one that adds the neck when it was not asked, that works
the neck above the neck's intensity, that may use percussion for work that asked none, or that
works a region the person keeps off or passes over one on its way (:mod:`..modes`); when
every mode would, the rollers rest.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from typing import Final, Literal

from chairctl.vocabulary import (
    MAX_INTENSITY,
    PERCUSSION,
    TRACK_ORDER,
    AirbagZone,
    Posture,
    Region,
    Setpoint,
    Technique,
    Unsupported,
    Width,
    scale_level,
)
from chairctl.vocabulary.limits import NECK, NECK_MAX_INTENSITY
from drivers.adapters.heat import one_switch_heat
from drivers.adapters.modes import AFTER_SCAN, kept_off_on_the_way, rest_note
from drivers.models.tuya import TuyaModel

#: The top of the program scales for speed and airbag pressure (Setpoint: 1..5).
_PROGRAM_TOP: Final = 5
_WIDTH_ORDER: Final = (Width.NARROW, Width.MEDIUM, Width.WIDE)

ModeCode = Literal["manual_mode", "auto_mode"]


#: Levels are mapped by the vocabulary's one rule (ties toward the gentler level).
scale = scale_level


def _words(items: Iterable[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``: names as a sentence says them."""
    names = [str(item).replace("_", " ") for item in items]
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def _the(regions: Iterable[Region]) -> str:
    return "the " + _words(sorted(regions, key=TRACK_ORDER.index))


@dataclass(frozen=True)
class Rollers:
    """A roller mode the chair runs: a manual mode or a region auto mode."""

    code: ModeCode
    #: The mode DP's value.
    value: str
    #: The regions it works, top first.
    regions: tuple[Region, ...]
    #: The techniques it uses (a manual mode: its one).
    techniques: tuple[Technique, ...]

    @property
    def percussive(self) -> bool:
        """True when the mode may use percussion."""
        return bool(PERCUSSION & set(self.techniques))

    @property
    def manual(self) -> bool:
        """True for a manual mode."""
        return self.code == "manual_mode"


@dataclass(frozen=True)
class Targets:
    """A Setpoint in the chair's own terms: the DP values that should hold.

    ``None`` for speed, width and airbag level means "leave as it is"; for the rollers and
    the airbags it means "closed".
    """

    rollers: Rollers | None
    #: massage_speed value.
    speed: str | None
    #: ball_location value.
    width: str | None
    #: strength value (a name or an integer); None: the chair has no strength DP.
    strength: int | str | None
    #: aircell_location value; None: close.
    airbags: str | None
    #: The zones it inflates.
    airbag_zones: frozenset[AirbagZone]
    #: aircell_speed value.
    airbag_level: str | None
    heat: bool
    foot: bool
    #: gravity_control value to set; None: leave the posture alone.
    gravity: str | None
    #: gravity_control value that leaves zero gravity, used only when this session took the
    #: chair there (the person's own posture is not ours to move); None: not to be left.
    upright: str | None
    #: What the chair can only approximate, one sentence each.
    notes: tuple[str, ...]

    @property
    def needs_power(self) -> bool:
        """True when something needs the chair switched on (postures do not)."""
        return self.rollers is not None or self.airbags is not None or self.heat or self.foot


def _jaccard(asked: frozenset[Region], worked: Iterable[Region]) -> Fraction:
    worked_set = frozenset(worked)
    union = asked | worked_set
    return Fraction(len(asked & worked_set), len(union)) if union else Fraction(0)


def _candidates(model: TuyaModel, technique: Technique) -> list[Rollers]:
    found: list[Rollers] = []
    manual = model.techniques.get(technique)
    if manual is not None:
        regions = tuple(sorted(set(model.manual_regions), key=TRACK_ORDER.index))
        found.append(Rollers("manual_mode", manual.value, regions, (technique,)))
    for mode in model.region_modes:
        regions = tuple(sorted(set(mode.regions), key=TRACK_ORDER.index))
        found.append(Rollers("auto_mode", mode.value, regions, tuple(mode.techniques)))
    return found


def _refusal(mode: Rollers, setpoint: Setpoint) -> str | None:
    """Why ``mode`` may not run ``setpoint`` wherever the rollers are; None when it may."""
    asked = setpoint.regions
    percussive_work = setpoint.technique in PERCUSSION
    if mode.percussive and not percussive_work:
        return f"{mode.value} may use percussion, which was not asked for"
    if NECK in mode.regions:
        if NECK not in asked:
            return f"{mode.value} also works the neck, which was not asked for"
        if setpoint.intensity > NECK_MAX_INTENSITY:
            return (
                f"{mode.value} works the neck, where intensity {setpoint.intensity} is above "
                f"the neck's {NECK_MAX_INTENSITY}"
            )
        if mode.percussive:
            return f"{mode.value} works the neck, where percussion is never used"
    return None


def choose_rollers(
    model: TuyaModel, setpoint: Setpoint, carriage: frozenset[Region] = AFTER_SCAN
) -> tuple[Rollers | None, list[str]]:
    """The mode nearest to ``setpoint``'s roller work, and what it approximates; None (the
    rollers rest) when every mode that could would touch a region kept off.

    Nearest: the largest overlap (Jaccard) of the regions it works with the regions asked;
    on a tie a manual mode (it has the technique asked), then a region mode that uses the
    technique asked, then the one with the fewest other techniques, then the model's order.
    ``carriage`` is where the rollers may be now, which a mode's way to its band starts
    from. Raises :class:`Unsupported` when no mode may run it for any other reason.
    """
    technique = setpoint.technique
    asked = frozenset(setpoint.regions)
    allowed: list[tuple[int, Rollers]] = []
    refused: list[str] = []
    kept_off: list[Region] = []
    for order, mode in enumerate(_candidates(model, technique)):
        why = _refusal(mode, setpoint)
        touched = kept_off_on_the_way(carriage, mode.regions, setpoint.keep_off)
        if why is not None:
            refused.append(why)
        elif _jaccard(asked, mode.regions) == 0:
            continue
        elif touched is not None:
            kept_off.append(touched)
        else:
            allowed.append((order, mode))
    if not allowed and kept_off:
        return None, [rest_note(kept_off)]
    if not allowed:
        reasons = f" ({'; '.join(refused)})" if refused else ""
        raise Unsupported(
            f"this chair has no mode that may work {_the(asked)} with {technique}{reasons}"
        )

    def rank(item: tuple[int, Rollers]) -> tuple[Fraction, bool, bool, int, int]:
        order, mode = item
        return (
            _jaccard(asked, mode.regions),
            mode.manual,
            technique in mode.techniques,
            -len(set(mode.techniques) - {technique}),
            -order,
        )

    chosen = max(allowed, key=rank)[1]
    return chosen, _roller_notes(model, chosen, setpoint)


def _roller_notes(model: TuyaModel, mode: Rollers, setpoint: Setpoint) -> list[str]:
    technique, asked = setpoint.technique, frozenset(setpoint.regions)
    notes: list[str] = []
    if mode.manual:
        spec = model.techniques[technique]
        if set(mode.regions) != asked:
            notes.append(
                f"this chair cannot place its rollers: its {mode.value} mode works {technique} "
                f"over {_the(mode.regions)} instead of {_the(asked)}"
            )
        if spec.approximates:
            notes.append(f"{technique}: this chair's {spec.value} mode stands in for it")
    elif set(mode.regions) != asked or set(mode.techniques) != {technique}:
        notes.append(
            f"this chair cannot place its rollers: its {mode.value} mode works "
            f"{_the(mode.regions)}, with {_words(mode.techniques)}, instead of {technique} on "
            f"{_the(asked)}"
        )
    return notes


class TargetMapper:
    """Maps Setpoints onto one Tuya chair model."""

    def __init__(self, model: TuyaModel) -> None:
        self.model = model

    def _has(self, code: str) -> bool:
        return code in self.model.datapoints

    def targets(self, setpoint: Setpoint, carriage: frozenset[Region] = AFTER_SCAN) -> Targets:
        """The targets for ``setpoint`` with the rollers somewhere in ``carriage`` now;
        :class:`Unsupported` for what the chair cannot do."""
        notes: list[str] = []
        rollers = self._rollers(setpoint, notes, carriage)
        speed = width = strength = None
        if rollers is not None:
            speed = self._speed(setpoint, notes)
            width = self._width(setpoint, notes)
            strength = self._strength(setpoint, notes)
        airbags, zones, level = self._airbags(setpoint, notes)
        heat = self._heat(setpoint, notes)
        if heat and rollers is None and self.model.always_on("manual_mode"):
            # Switching on to heat would start the massage too, which was not asked for.
            notes.append(
                "heat: left off, because this chair massages whenever it is on and no "
                "massage was asked for"
            )
            heat = False
        foot = self._foot(setpoint, notes)
        gravity, upright = self._posture(setpoint, notes)
        return Targets(
            rollers=rollers,
            speed=speed,
            width=width,
            strength=strength,
            airbags=airbags,
            airbag_zones=zones,
            airbag_level=level,
            heat=heat,
            foot=foot,
            gravity=gravity,
            upright=upright,
            notes=tuple(notes),
        )

    # -- rollers ------------------------------------------------------------------------------

    def _rollers(
        self, setpoint: Setpoint, notes: list[str], carriage: frozenset[Region]
    ) -> Rollers | None:
        technique = setpoint.technique
        if technique is Technique.NONE:
            return None
        if technique is Technique.STRETCH:
            raise Unsupported("this chair has no stretch")
        if not setpoint.regions:
            raise Unsupported(f"'{technique}' needs a region for the rollers to work")
        unreachable = [r for r in setpoint.regions if r not in self.model.capabilities.regions]
        if unreachable:
            raise Unsupported(
                f"this chair's {self.model.track} track cannot reach {_words(unreachable)}"
            )
        mode, mode_notes = choose_rollers(self.model, setpoint, carriage)
        notes.extend(mode_notes)
        return mode

    def _speed(self, setpoint: Setpoint, notes: list[str]) -> str | None:
        speeds = self.model.speeds
        if not speeds or not self._has("massage_speed"):
            notes.append("speed: this chair's roller speed cannot be set")
            return None
        return speeds[scale(setpoint.speed, _PROGRAM_TOP, len(speeds)) - 1]

    def _width(self, setpoint: Setpoint, notes: list[str]) -> str | None:
        widths = self.model.widths
        if not widths or not self._has("ball_location"):
            notes.append("width: this chair's kneading width cannot be set")
            return None
        wanted = setpoint.width
        if wanted in widths:
            return widths[wanted]
        # The nearest width; between two, the narrower (the gentler on the spine).
        nearest = min(widths, key=lambda w: (_distance(w, wanted), _WIDTH_ORDER.index(w)))
        notes.append(f"width: this chair has no {wanted} width; {nearest} instead")
        return widths[nearest]

    def _strength(self, setpoint: Setpoint, notes: list[str]) -> int | str | None:
        levels = self.model.strength_levels
        if not levels:
            return None  # one strength: the chair presses as it does
        level = scale(setpoint.intensity, MAX_INTENSITY, len(levels))
        if len(levels) != MAX_INTENSITY:
            notes.append(
                f"intensity {setpoint.intensity} is this chair's level {level} of {len(levels)}"
            )
        return levels[level - 1]

    # -- airbags, heat, foot roller, posture --------------------------------------------------

    def _airbags(
        self, setpoint: Setpoint, notes: list[str]
    ) -> tuple[str | None, frozenset[AirbagZone], str | None]:
        asked = setpoint.airbags
        if not asked:
            return None, frozenset(), None
        model = self.model
        locations = model.airbag_locations
        present = {zone for zones in locations.values() for zone in zones}
        missing = [zone for zone in asked if zone not in present]
        if missing or not self._has("aircell_location"):
            raise Unsupported(f"this chair has no {_words(missing or asked)} airbags")
        if not model.airbag_levels or not self._has("aircell_speed"):
            # Inflating at whatever pressure the chair holds could mean its firmest.
            raise Unsupported("this chair's airbag pressure cannot be set from here")
        # Never a zone not asked for: only locations inside the zones asked; of those, the
        # one that covers most (the model's order on a tie).
        fitting = [(v, frozenset(z)) for v, z in locations.items() if set(z) <= asked.keys()]
        if not fitting:
            notes.append(
                f"airbags: left off, because every airbag location of this chair also inflates "
                f"a zone not asked for ({_words(asked)} asked)"
            )
            return None, frozenset(), None
        value, zones = max(fitting, key=lambda item: len(item[1]))
        left_out = [zone for zone in asked if zone not in zones]
        if left_out:
            notes.append(
                f"airbags: only {_words(sorted(zones))} (this chair's {value} location): no "
                f"location inflates {_words(left_out)} without a zone not asked for"
            )
        worked = {zone: level for zone, level in asked.items() if zone in zones}
        # One pressure for every zone, so the lowest asked: no zone presses harder than asked.
        lowest = min(worked.values())
        higher = [zone for zone, level in worked.items() if level > lowest]
        if higher:
            notes.append(
                f"airbags: one pressure for every zone: level {lowest}, the lowest asked, also "
                f"for {_words(higher)}"
            )
        levels = model.airbag_levels
        level = scale(lowest, _PROGRAM_TOP, len(levels))
        if len(levels) != _PROGRAM_TOP:
            notes.append(f"airbags: level {lowest} is this chair's level {level} of {len(levels)}")
        return value, zones, levels[level - 1]

    def _heat(self, setpoint: Setpoint, notes: list[str]) -> bool:
        if setpoint.heat and not self._has("heat"):
            raise Unsupported("this chair has no heater it can switch")
        model = self.model
        return one_switch_heat(
            setpoint.heat, model.heaters, model.heat_levels, notes, switch="switch"
        )

    def _foot(self, setpoint: Setpoint, notes: list[str]) -> bool:
        speed = setpoint.foot_rollers
        if speed == 0:
            return False
        if not self._has("foot_control"):
            raise Unsupported("this chair has no foot rollers it can switch")
        if speed > 1:
            notes.append(f"foot rollers: this chair runs them at its one speed, not speed {speed}")
        return True

    def _posture(self, setpoint: Setpoint, notes: list[str]) -> tuple[str | None, str | None]:
        posture = setpoint.posture
        gravity = self.model.gravity if self._has("gravity_control") else {}
        if posture is Posture.UPRIGHT:
            return None, gravity.get(Posture.UPRIGHT)
        if posture not in self.model.postures:
            raise Unsupported(f"this chair cannot take the '{posture}' posture")
        value = gravity.get(posture)
        if value is not None:
            return value, None
        if posture is Posture.RECLINE:
            notes.append(
                "recline: chairctl does not time blind backrest moves, so the backrest stays "
                "where it is (use a zero-gravity posture, or the chair's remote)"
            )
            return None, None
        raise Unsupported(f"this chair has no gravity_control value for '{posture}'")


def _distance(a: Width, b: Width) -> int:
    return abs(_WIDTH_ORDER.index(a) - _WIDTH_ORDER.index(b))
