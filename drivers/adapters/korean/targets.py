"""What a Setpoint means on a Korean wired-remote chair: the state each button should bring.

Pure translation, no I/O: a Setpoint and a chair model in, :class:`Targets` out (the manual
technique, its speed and width, the air mode and strength, heat, the foot roller, the posture),
with the approximations the chair forces, one plain sentence each. What the chair cannot do at
all is refused with :class:`~chairctl.vocabulary.Unsupported` before anything is sent.

The chair cannot be told where its rollers go. Its manual mode works an area of its own: the
full area sweeps from the seat line to the shoulder line its body scan found; the point and
local areas work around a roller position whose place on a person is not known (the source
gives none), so they are never used. Every setpoint that works the rollers therefore runs the
manual mode in the full area (:data:`FULL_BAND`: sacrum to shoulders, never the neck: the scan
stops the sweep at the sitter's shoulder line), under rules that always hold:

- **no percussion where none was asked**: the manual button steps through the techniques in
  its own order and only forward, so a gentle technique is used only when no percussive one
  lies before it in the cycle (the chair's rolling comes after its kneading with tapping: a
  setpoint asking for rolling gets kneading, and says so);
- **no region kept off**: the full band, and the way there from the shoulder line where the
  scan leaves the rollers, must touch no region the setpoint keeps off, or the rollers rest;
- **the neck is never worked**: the full band ends at the shoulder line, so a setpoint for the
  neck alone rests the rollers, and one for the neck and more works the rest;
- the auto programs are never started: what each works is [assumed] (the source names them
  only), so none can be held to these rules.

Airbags: each air mode works a fixed set of zones (the model's ``air_modes``), at one strength
for all, shown as 1, 3 or 5. A mode is chosen only if every zone it works was asked or inflates
with an asked zone on this chair (its ``airbag_groups``), and its strength is the strongest
whose shown value is no more than asked of any zone it works.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from chairctl.vocabulary import (
    MAX_INTENSITY,
    PERCUSSION,
    REGION_BANDS,
    TRACK_ORDER,
    AirbagZone,
    Region,
    Setpoint,
    Technique,
    Unsupported,
    Width,
    scale_level,
)
from drivers.adapters.heat import one_switch_heat
from drivers.adapters.modes import AFTER_SCAN, kept_off_on_the_way, rest_note
from drivers.adapters.posture import PostureGoal, one_key_posture
from drivers.models.korean import STATUS_LEVELS, KoreanModel

#: The regions the full area's sweep works, from the seat line (s = 0) to the shoulder line the
#: scan found (s = 1): every band that overlaps that stretch of the track.
FULL_BAND: Final = frozenset(
    region for region, (low, high) in REGION_BANDS.items() if low < 1.0 and high > 0.0
)


@dataclass(frozen=True)
class Targets:
    """A Setpoint in the chair's own terms."""

    #: The place (0 the first) of the manual technique to run in the full area; None when the
    #: rollers should rest.
    technique: int | None
    #: The roller speed as the status shows it (1, 3, 5) while the rollers work; None: any.
    speed: int | None
    #: The kneading width while the rollers work; None: any.
    width: Width | None
    #: The air mode: 0 off, else its place in the model's ``air_modes`` plus one.
    air_mode: int
    #: The air strength as the status shows it (1, 3, 5) while the air works; None when off.
    air_strength: int | None
    heat: bool
    foot: bool
    posture: PostureGoal
    #: What the chair can only approximate, one sentence each.
    notes: tuple[str, ...] = ()

    @property
    def works(self) -> bool:
        """True when something is to work on the body: the rollers, the air, the foot roller."""
        return self.technique is not None or self.air_mode > 0 or self.foot

    @property
    def needs_power(self) -> bool:
        """True when something needs the chair switched on."""
        return self.works or self.heat or self.posture is PostureGoal.ZERO_G


def _span(regions: frozenset[Region] | tuple[Region, ...]) -> str:
    """Regions as people read them, top first: ``shoulders to lower back``."""
    ordered = sorted(set(regions), key=TRACK_ORDER.index)
    names = [region.label for region in ordered]
    indices = [TRACK_ORDER.index(r) for r in ordered]
    if len(names) == 1:
        return names[0]
    if indices == list(range(indices[0], indices[0] + len(indices))):
        return f"{names[0]} to {names[-1]}"
    return f"{', '.join(names[:-1])} and {names[-1]}"


def _zones(zones: Iterable[AirbagZone]) -> str:
    names = [zone.label for zone in AirbagZone if zone in set(zones)]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def shown_level(asked: int) -> int:
    """The strongest level the status shows (1, 3, 5) that is not above ``asked``."""
    return max((level for level in STATUS_LEVELS if level <= asked), default=STATUS_LEVELS[0])


class TargetMapper:
    """Maps Setpoints onto one Korean wired-remote chair model."""

    def __init__(self, model: KoreanModel) -> None:
        self.model = model

    def targets(self, setpoint: Setpoint, carriage: frozenset[Region] = AFTER_SCAN) -> Targets:
        """The targets for ``setpoint`` with the rollers somewhere in ``carriage`` now;
        :class:`Unsupported` for what the chair cannot do."""
        notes: list[str] = []
        technique = self._rollers(setpoint, carriage, notes)
        speed = width = None
        if technique is not None:
            speed = STATUS_LEVELS[
                scale_level(setpoint.speed, MAX_INTENSITY, len(STATUS_LEVELS)) - 1
            ]
            width = setpoint.width
        air_mode, air_strength = self._airbags(setpoint, notes)
        heat = one_switch_heat(
            setpoint.heat, self.model.heaters, self.model.heat_levels, notes, switch="button"
        )
        foot = self._foot(setpoint, notes)
        if setpoint.technique is Technique.NONE and (air_mode or heat or foot):
            notes.append(
                "rollers at rest: this chair stops its rollers only by switching off (and, for "
                "the rest of this setpoint, on again), which also vents its airbags"
            )
        posture = one_key_posture(
            setpoint.posture,
            self.model.postures,
            notes,
            has_key=True,
            confirmed=False,
            remote="remote",
        )
        return Targets(
            technique, speed, width, air_mode, air_strength, heat, foot, posture, tuple(notes)
        )

    # -- rollers ------------------------------------------------------------------------------

    def _rollers(
        self, setpoint: Setpoint, carriage: frozenset[Region], notes: list[str]
    ) -> int | None:
        asked = setpoint.technique
        if asked is Technique.STRETCH:
            raise Unsupported("this chair has no stretch")
        if asked is Technique.NONE:
            return None
        if not setpoint.regions:
            notes.append(f"{asked.label}: no region is asked, so the rollers rest")
            return None
        regions = set(setpoint.regions)
        if not regions & FULL_BAND:
            notes.append(
                f"the rollers rest here: this chair's manual mode works the back from the seat "
                f"to the shoulders, and cannot reach the {_span(setpoint.regions)}"
            )
            return None
        kept = kept_off_on_the_way(carriage, FULL_BAND, setpoint.keep_off)
        if kept is not None:
            notes.append(rest_note(setpoint.keep_off & FULL_BAND))
            return None
        place = self._place(asked, notes)
        if place is None:
            return None
        if regions != FULL_BAND:
            notes.append(
                "this chair cannot place its rollers: its manual mode works the full area, "
                f"{_span(FULL_BAND)} (the seat to the shoulder line its scan finds), instead "
                f"of the {_span(setpoint.regions)}"
            )
        if setpoint.intensity > 1:
            notes.append(
                f"intensity {setpoint.intensity}: this chair's rollers have one strength (no "
                "3D, no strength button), which it keeps"
            )
        shown = STATUS_LEVELS[scale_level(setpoint.speed, MAX_INTENSITY, len(STATUS_LEVELS)) - 1]
        if shown != setpoint.speed:
            notes.append(
                f"speed {setpoint.speed}: this chair's nearest speed, shown as {shown} of 1, 3, 5"
            )
        return place

    def _place(self, asked: Technique, notes: list[str]) -> int | None:
        """The place in the manual cycle of the technique to run for ``asked``: the first that
        is ``asked`` and that the cycle reaches, from its first technique, without passing a
        percussive one when ``asked`` is not percussive. Otherwise the first technique, when
        it is allowed; None (rest) when nothing is."""
        cycle = self.model.manual_techniques
        gentle = asked not in PERCUSSION

        def reachable(place: int) -> bool:
            return not gentle or all(m.technique not in PERCUSSION for m in cycle[: place + 1])

        for place, manual in enumerate(cycle):
            if manual.technique is asked and reachable(place):
                if manual.approximates:
                    notes.append(f"{asked.label}: this chair's {manual.name} only approximates it")
                return place
        if any(m.technique is asked for m in cycle):
            fallback = cycle[0]
            if reachable(0):
                notes.append(
                    f"{asked.label}: this chair's manual button reaches its {asked.label} only "
                    f"through a percussive technique, so it works its first technique, "
                    f"{fallback.name} ({fallback.technique.label}), instead"
                )
                return 0
            notes.append(
                f"the rollers rest here: every technique of this chair's manual button is "
                f"reached through percussion, and {asked.label} asks for none"
            )
            return None
        raise Unsupported(f"this chair's manual mode has no {asked.label}")

    # -- airbags, foot roller -----------------------------------------------------------------

    def _airbags(self, setpoint: Setpoint, notes: list[str]) -> tuple[int, int | None]:
        asked = setpoint.airbags
        if not asked:
            return 0, None
        capabilities = self.model.capabilities
        for zone in asked:
            if zone not in capabilities.airbag_zones:
                raise Unsupported(f"this chair has no {zone.label} airbags")
        # The zones that may inflate: those asked, and those that inflate with one.
        allowed = {partner for zone in asked for partner in capabilities.inflated_with(zone)}
        best: tuple[tuple[int, int, int], int] | None = None
        for place, zones in enumerate(self.model.air_modes, start=1):
            worked = set(zones)
            if not worked <= allowed or not worked & set(asked):
                continue
            rank = (-len(worked & set(asked)), len(worked - set(asked)), place)
            if best is None or rank < best[0]:
                best = (rank, place)
        if best is None:
            notes.append(
                f"airbags: left off: every air mode of this chair works a zone not asked for "
                f"with the {_zones(list(asked))}"
            )
            return 0, None
        mode = best[1]
        works = self.model.air_modes[mode - 1]
        # One strength for every zone of the mode: no asked zone presses harder than asked.
        strength = shown_level(min(asked[zone] for zone in works if zone in asked))
        missing = set(asked) - set(works)
        if missing:
            notes.append(
                f"airbags: the {_zones(list(missing))} left out: no air mode of this chair works "
                "them with the rest"
            )
        extra = set(works) - set(asked)
        if extra:
            notes.append(
                f"airbags: this chair's air mode works the {_zones(works)} together, so the "
                f"{_zones(list(extra))} inflate too"
            )
        levels = {asked[zone] for zone in works if zone in asked}
        if levels != {strength}:
            notes.append(
                f"airbags: this chair has one air strength for every zone; {strength} of 1, 3, 5, "
                "the strongest not above any level asked"
            )
        notes.append(
            "airbags: the status shows the air on and its strength, not which air mode runs: "
            "the mode is counted from the button's presses, each answered by the chair's beep"
        )
        return mode, strength

    def _foot(self, setpoint: Setpoint, notes: list[str]) -> bool:
        if not setpoint.foot_rollers:
            return False
        if setpoint.foot_rollers > 1:
            notes.append(
                f"foot rollers {setpoint.foot_rollers}: this chair's foot roller has one speed"
            )
        return True
