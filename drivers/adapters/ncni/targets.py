"""What a Setpoint means on an NCNI chair: the state each panel key should bring about.

Pure translation, no I/O: a Setpoint and a chair model in, :class:`Targets` out (the manual
mode, the intensity level, the airbag zones, heat, the posture), together with the
approximations the chair forces. What the chair cannot do at all is refused with
:class:`~chairctl.vocabulary.Unsupported`, so a caller learns both before anything moves.

The chair cannot be told a technique or a roller position. It has manual modes (back and
waist, neck) that work their own band with techniques of their own choosing, so the rollers
are mapped onto the mode whose regions best overlap the regions asked, under three rules that
always hold: a mode that may use percussion never runs non-percussive work; a mode that works
the neck never runs for a setpoint that did not ask for the neck; the neck is never worked
above :data:`~chairctl.vocabulary.limits.NECK_MAX_INTENSITY`.

Intensity: a Setpoint's intensity is on the vocabulary's 1..5, the chair's on 1..3, and the
chair's status reports its levels as 1, 3 and 5 (:data:`INTENSITY_SCALE`). A setpoint gets the
strongest chair level whose reported value is not above what it asked (1, 2 -> 1; 3, 4 -> 2;
5 -> 3), so the status never reads stronger than the setpoint.

What that level presses is not known: the panel's "pressure" may set the rollers' depth or the
airbags' pressure (:data:`~drivers.models.ncni.PressureReading`). The rules hold either way:
the neck mode runs only at level 1, and with airbags on the level is at most the one whose
reported value is not above the airbag level asked, so the airbags never squeeze harder than
asked whichever the pressure sets. A model that says the pressure sets the airbags never gets
the neck mode: nothing would bound the rollers' depth there.

The neck mode starts only once a status the chair sent shows the pressure at the neck's level,
and the status shows the pressure only while something works. So a setpoint for the neck mode
names the mode that may work first to show it (:attr:`Targets.via`): one that keeps off the
neck and is itself allowed for the setpoint (no percussion for gentle work, no region kept off
on its band or on the way to the neck). When none is, the rollers rest until the chair shows
the level some other way, and the notes say so.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from chairctl.vocabulary import (
    DEFAULT_SPEED,
    PERCUSSION,
    TRACK_ORDER,
    AirbagZone,
    Region,
    Setpoint,
    Technique,
    Unsupported,
    Width,
)
from chairctl.vocabulary.limits import NECK, NECK_MAX_INTENSITY
from drivers.adapters.heat import one_switch_heat
from drivers.adapters.modes import AFTER_SCAN, kept_off_on_the_way, rest_note
from drivers.adapters.posture import PostureGoal, one_key_posture
from drivers.models.common import RollerMode
from drivers.models.ncni import AIRBAG_ZONES, ManualModeName, NcniModel
from drivers.protocols.ncni import INTENSITY_SCALE

#: The chair's airbag keys (model key names) by the zone each works.
AIRBAG_KEYS: Final[dict[AirbagZone, str]] = {zone: key for key, zone in AIRBAG_ZONES.items()}
#: How people read each manual mode's name.
_MODE_NAMES: Final[dict[str, str]] = {"back_waist": "back and waist", "neck": "neck"}


@dataclass(frozen=True)
class Targets:
    """A Setpoint in the chair's own terms."""

    #: The manual mode to run; None when the rollers should rest.
    mode: ManualModeName | None
    #: The chair's intensity level 1..3 while a mode runs; None when the rollers rest.
    level: int | None
    #: The airbag zones to have toggled on (never one the setpoint did not ask for).
    airbags: frozenset[AirbagZone]
    heat: bool
    posture: PostureGoal
    #: What the chair can only approximate, one sentence each.
    notes: tuple[str, ...] = ()
    #: The most the pressure may be (the level, or lower for the airbags' sake); None when
    #: nothing depends on it.
    level_cap: int | None = None
    #: For a mode that works the neck: the mode that may work first, at the same level, so
    #: the status shows the pressure before the neck mode starts; None: none may.
    via: ManualModeName | None = None

    @property
    def most(self) -> int | None:
        """The highest pressure level allowed now: the cap, else the level."""
        if self.level_cap is None:
            return self.level
        return self.level_cap if self.level is None else min(self.level, self.level_cap)

    @property
    def needs_power(self) -> bool:
        """True when something needs the chair switched on."""
        return (
            self.mode is not None
            or bool(self.airbags)
            or self.heat
            or self.posture is PostureGoal.ZERO_G
        )


def chair_level(intensity: int, levels: int) -> int:
    """The strongest chair level (1..``levels``) whose reported value is not above
    ``intensity``; level 1 when even that one reads higher."""
    fitting = [
        level for level in range(1, levels + 1) if INTENSITY_SCALE.get(level, 99) <= intensity
    ]
    return max(fitting, default=1)


def neck_level(levels: int) -> int:
    """The strongest chair level allowed at the neck."""
    return chair_level(NECK_MAX_INTENSITY, levels)


def _name(region: Region) -> str:
    return region.label


def _span(regions: list[Region] | tuple[Region, ...], article: str = "") -> str:
    """Regions as people read them: ``shoulders to lower back``, ``the neck``."""
    ordered = sorted(set(regions), key=TRACK_ORDER.index)
    names = [f"{article}{_name(r)}" for r in ordered]
    indices = [TRACK_ORDER.index(r) for r in ordered]
    if len(names) == 1:
        return names[0]
    if indices == list(range(indices[0], indices[0] + len(indices))):
        return f"{names[0]} to {names[-1]}"
    return f"{', '.join(names[:-1])} and {names[-1]}"


def _techniques(techniques: list[Technique]) -> str:
    names = [t.label for t in techniques]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def choose_mode(
    modes: dict[ManualModeName, RollerMode],
    technique: Technique,
    regions: tuple[Region, ...],
    keep_off: frozenset[Region] = frozenset(),
    carriage: frozenset[Region] = AFTER_SCAN,
) -> ManualModeName | None:
    """The manual mode for ``technique`` on ``regions``: the most regions in common, then one
    that keeps off the neck, then the fewest regions not asked.

    Never a mode that may use percussion for non-percussive work, never a mode that works the
    neck unless the neck is asked, never one that works a region in ``keep_off`` or passes
    over one on its way from ``carriage`` (where the rollers may be now): None when only
    such modes would do (the rollers rest). :class:`Unsupported` when no mode works any region
    asked.
    """
    asked = set(regions)
    percussive_work = technique in PERCUSSION
    best: tuple[tuple[int, bool, int, str], ManualModeName] | None = None
    kept_off = False
    for name, mode in modes.items():
        if mode.percussive and not percussive_work:
            continue
        works = set(mode.regions)
        if NECK in works and NECK not in asked:
            continue
        overlap = len(works & asked)
        if overlap == 0:
            continue
        if kept_off_on_the_way(carriage, mode.regions, keep_off) is not None:
            kept_off = True
            continue
        rank = (-overlap, NECK in works, len(works - asked), name)
        if best is None or rank < best[0]:
            best = (rank, name)
    if best is None and kept_off:
        return None
    if best is None:
        raise Unsupported(
            f"this chair has no manual mode that works {_span(regions, 'the ')} "
            f"for {technique.label}"
        )
    return best[1]


class TargetMapper:
    """Maps Setpoints onto one NCNI chair model."""

    def __init__(self, model: NcniModel) -> None:
        self.model = model

    def targets(self, setpoint: Setpoint, carriage: frozenset[Region] = AFTER_SCAN) -> Targets:
        """The targets for ``setpoint`` with the rollers somewhere in ``carriage`` now;
        :class:`Unsupported` for what the chair cannot do."""
        notes: list[str] = []
        mode, level = self._rollers(setpoint, notes, carriage)
        airbags = self._airbags(setpoint, notes)
        cap = self._airbag_cap(setpoint, airbags)
        if cap is not None and level is not None and level > cap:
            notes.append(
                f"intensity {setpoint.intensity}: this chair's level {cap}, not {level}, while "
                "its airbags work: its pressure keys may set the airbags, which must not "
                "squeeze harder than asked"
            )
            level = cap
        heat = self._heat(setpoint, notes)
        if setpoint.foot_rollers:
            raise Unsupported(
                "this chair's foot rollers cannot be driven from here: its status cannot show "
                "whether they turn"
            )
        posture = self._posture(setpoint, notes)
        via = None
        if mode is not None and NECK in self.model.manual_modes[mode].regions:
            via = self._via(setpoint, carriage, notes)
        return Targets(mode, level, airbags, heat, posture, tuple(notes), cap, via)

    def _via(
        self, setpoint: Setpoint, carriage: frozenset[Region], notes: list[str]
    ) -> ManualModeName | None:
        """The mode that may work before the neck mode starts, so that the status shows the
        pressure: one that keeps off the neck, never percussive for gentle work, whose band
        and the way from the rollers to it and on to the neck touch no region kept off (the
        fewest regions first). None, said in the notes, when there is none."""
        percussive_work = setpoint.technique in PERCUSSION
        allowed = [
            (len(mode.regions), name)
            for name, mode in self.model.manual_modes.items()
            if NECK not in mode.regions
            and (percussive_work or not mode.percussive)
            and kept_off_on_the_way((*carriage, NECK), mode.regions, setpoint.keep_off) is None
        ]
        if allowed:
            return min(allowed)[1]
        kept = ", ".join(sorted(_name(r) for r in setpoint.keep_off))
        notes.append(
            "the rollers rest here unless the chair's status already shows its pressure at "
            f"level {neck_level(self.model.intensity_levels)}: its neck mode starts only then, "
            "the status shows the pressure only while something works, and no other mode of "
            "this chair may work first" + (f" ({kept} kept off)" if kept else "")
        )
        return None

    def _airbag_cap(self, setpoint: Setpoint, airbags: frozenset[AirbagZone]) -> int | None:
        """With airbags on, the highest level whose reported value is not above the gentlest
        airbag level asked: what keeps them within it if the pressure sets them."""
        if not airbags:
            return None
        asked = min(setpoint.airbags[zone] for zone in airbags)
        return chair_level(asked, self.model.intensity_levels)

    # -- rollers ------------------------------------------------------------------------------

    def _rollers(
        self, setpoint: Setpoint, notes: list[str], carriage: frozenset[Region]
    ) -> tuple[ManualModeName | None, int | None]:
        technique = setpoint.technique
        if technique is Technique.STRETCH:
            raise Unsupported("this chair has no stretch")
        if technique is Technique.NONE:
            return None, None
        if not setpoint.regions:
            notes.append(f"{technique}: no region is asked, so the rollers rest")
            return None, None
        model = self.model
        modes = model.manual_modes
        if model.pressure == "airbag_pressure":
            # The pressure may not reach the rollers: nothing bounds their depth at the neck.
            modes = {n: m for n, m in modes.items() if NECK not in m.regions}
            if NECK in setpoint.regions and not set(setpoint.regions) - {NECK}:
                notes.append(
                    "the rollers rest here: this chair's pressure keys set its airbags, so "
                    "nothing would keep its rollers gentle at the neck"
                )
                return None, None
        name = choose_mode(modes, technique, setpoint.regions, setpoint.keep_off, carriage)
        if name is None:
            notes.append(rest_note(setpoint.keep_off))
            return None, None
        note = self._mode_note(name, technique, setpoint.regions)
        if note is not None:
            notes.append(note)

        levels = model.intensity_levels
        level = chair_level(setpoint.intensity, levels)
        reads = INTENSITY_SCALE.get(level, level)
        if NECK in model.manual_modes[name].regions and level > neck_level(levels):
            capped = neck_level(levels)
            notes.append(
                f"intensity {setpoint.intensity} at the neck: this chair's level {capped} of "
                f"{levels}, the strongest allowed there, not its level {level}"
            )
            level = capped
        elif reads != setpoint.intensity:
            notes.append(
                f"intensity {setpoint.intensity} is this chair's level {level} of {levels}, "
                f"which it reports as {reads}: the strongest it has that is not above "
                f"{setpoint.intensity}"
            )
        if setpoint.speed != DEFAULT_SPEED:
            notes.append(
                f"speed {setpoint.speed}: this chair's roller speed is not set from here "
                "(its status shows it only in a manual mode), so it keeps its own"
            )
        if setpoint.width is not Width.MEDIUM:
            notes.append(
                f"width {setpoint.width}: this chair's kneading width cannot be set, so it "
                "keeps its own"
            )
        return name, level

    def _mode_note(
        self, name: ManualModeName, technique: Technique, regions: tuple[Region, ...]
    ) -> str | None:
        mode = self.model.manual_modes[name]
        misplaced = set(mode.regions) != set(regions)
        own_technique = mode.techniques != [technique]
        if not misplaced and not own_technique:
            return None
        what = {
            (False, True): "this chair chooses its own technique",
            (True, False): "this chair cannot place its rollers",
            (True, True): "this chair cannot place its rollers and chooses its own technique",
        }[(misplaced, own_technique)]
        asked = technique.label
        if technique in mode.techniques and own_technique:
            asked = f"{asked} alone"
        if misplaced:
            asked = f"{asked} on {_span(regions, 'the ')}"
        return (
            f"{what}: its {_MODE_NAMES.get(name, name)} mode works {_span(mode.regions)} with "
            f"{_techniques(mode.techniques)}, instead of {asked}"
        )

    # -- airbags, heat, posture ---------------------------------------------------------------

    def _airbags(self, setpoint: Setpoint, notes: list[str]) -> frozenset[AirbagZone]:
        asked = setpoint.airbags
        if not asked:
            return frozenset()
        for zone in asked:
            if zone not in AIRBAG_KEYS:
                raise Unsupported(f"this chair has no {zone} airbags")
        zones = ", ".join(sorted(asked))
        fixed = self.model.airbag_level
        if min(asked.values()) < fixed:
            # Its one pressure would press harder than asked: never above what was asked.
            notes.append(
                f"airbags: left off: this chair inflates its airbags at one pressure (level "
                f"{fixed} [assumed]), above the level asked for {zones}"
            )
            return frozenset()
        notes.append(
            f"airbags: this chair inflates its {zones} airbags at its one pressure (level "
            f"{fixed} [assumed]), which can be neither set nor seen"
        )
        return frozenset(asked)

    def _heat(self, setpoint: Setpoint, notes: list[str]) -> bool:
        model = self.model
        return one_switch_heat(setpoint.heat, model.heaters, model.heat_levels, notes, switch="key")

    def _posture(self, setpoint: Setpoint, notes: list[str]) -> PostureGoal:
        return one_key_posture(
            setpoint.posture,
            self.model.postures,
            notes,
            has_key=True,
            confirmed=False,
            remote="panel",
        )
