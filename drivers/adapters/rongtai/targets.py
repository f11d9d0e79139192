"""What a Setpoint means on a Rongtai H10 chair: the state each key should bring about.

Pure translation, no I/O: a Setpoint, a chair model and the sitter's shoulder line in,
:class:`Targets` out (technique, range, carriage position, width, speed and intensity levels,
airbag groups and level, heat, foot-roller speed, posture, and the stretches of track the
rollers must not work), together with the approximations the chair forces. What the chair
cannot do at all is refused with :class:`~chairctl.vocabulary.Unsupported`, so a caller learns
both before anything moves. Every mapping decision here is listed in ``docs/reconciler.md``.

Regions are placed on the sitter's shoulder line, known as an interval
(:class:`~drivers.adapters.body.ShoulderLine`): a band that must stay clear of the neck or of a
region the person keeps off stays clear of it for every shoulder line in the interval, with a
margin; a region is worked where the middle of the interval puts it, and neck work where the
tallest sitter's neck is. The chair sweeps a whole band, so a band kept clear that would
sweep further off the regions asked than where it was wanted gives way to the point range.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from chairctl.vocabulary import (
    MAX_INTENSITY,
    PERCUSSION,
    REGION_BANDS,
    MassageRange,
    Region,
    Setpoint,
    Technique,
    Unsupported,
    Width,
    are_adjacent_span,
    scale_level,
    track_position,
)
from chairctl.vocabulary.limits import NECK, NECK_MAX_INTENSITY
from drivers.adapters.body import ShoulderLine, scan_window_line
from drivers.adapters.heat import one_switch_heat
from drivers.adapters.posture import PostureGoal, one_key_posture
from drivers.models.rongtai import RongtaiModel, TechniqueKey

#: The top of the program scales for speed and airbag pressure (Setpoint: 1..5).
_PROGRAM_TOP = 5
#: Spans this long or longer are worked with the chair's full range.
FULL_RANGE_SPAN = 4


@dataclass(frozen=True)
class Targets:
    """A Setpoint in the chair's own terms."""

    #: The technique to select; None when the rollers should rest.
    technique: TechniqueKey | None
    massage_range: MassageRange | None
    #: Carriage position (status units, not rounded) the partial or point band centres on.
    position: float | None
    width: Width | None
    #: Speed key level, 1 = slowest key.
    speed: int | None
    #: 3D strength level, 1 = gentlest.
    intensity: int | None
    #: Indexes into the model's airbag groups that should be in the airbag program.
    airbag_groups: frozenset[int]
    #: Airbag level key, 1 = gentlest; 0 when no airbags.
    airbag_level: int
    heat: bool
    #: Foot-roller speed key, 1 = slowest; 0 = off.
    foot_roller: int
    posture: PostureGoal
    #: What the chair can only approximate, one sentence each.
    notes: tuple[str, ...]
    #: When the setpoint must stay off the neck (percussion, or more than the neck's
    #: intensity): the highest carriage position at which the rollers' band is clear of it.
    neck_clear_below: float | None = None
    #: The gentle technique to start with while the band still reaches the neck, when the
    #: target technique is percussion; None otherwise.
    approach: TechniqueKey | None = None
    #: Stretches of track (carriage positions, low to high, margins included) where the rollers
    #: must not work: the regions the person keeps off. The neck is ``neck_clear_below``.
    keep_clear: tuple[tuple[float, float], ...] = ()
    #: For a band that may reach the neck: where a technique key not yet seen to select what
    #: the model file says is tried first, clear of the neck (point range); None otherwise.
    verify_at: float | None = None

    def blocked(self, low: float, high: float) -> bool:
        """True when working anywhere in ``low .. high`` would work a stretch kept clear."""
        return any(a < high and low < b for a, b in self.keep_clear)

    def crosses(self, here: float, there: float) -> bool:
        """True when the carriage going from ``here`` to ``there`` would pass over a region
        kept off (its band for any shoulder line known, without the margin): working rollers
        must rest to make that move."""
        low, high = min(here, there), max(here, there)
        return any(a + NECK_MARGIN < high and low < b - NECK_MARGIN for a, b in self.keep_clear)

    @property
    def needs_power(self) -> bool:
        """True when something needs the chair switched on (postures do not)."""
        return (
            self.technique is not None
            or bool(self.airbag_groups)
            or self.heat
            or self.foot_roller > 0
        )


@dataclass(frozen=True)
class _Rollers:
    technique: TechniqueKey | None
    massage_range: MassageRange | None
    position: float | None
    width: Width | None
    speed: int | None
    intensity: int | None
    neck_clear_below: float | None = None
    approach: TechniqueKey | None = None
    keep_clear: tuple[tuple[float, float], ...] = ()
    verify_at: float | None = None


#: How far the rollers' band is kept from the neck, or from a region kept off, in carriage
#: positions: what a walk's stop can miss by. The walk is reckoned from the status frame that
#: shows the carriage cross a half-position mark (up to a frame late: 0.2 s) and ends with a
#: STOP that may wait a key gap (0.15 s); at the carriage's 0.8 positions a second that is
#: under 0.3 positions, and 0.1 more is kept. Where the sitter's shoulder line is, and so where
#: the neck begins, is uncertain on its own account: that is the shoulder line's interval
#: (:class:`~drivers.adapters.body.ShoulderLine`), not this margin.
NECK_MARGIN = 0.4


#: How much further off its span a band kept clear may stray than where it was wanted and
#: still count as placed there, in carriage positions: rounding, not placement.
_ON_SPAN_SLACK = 1e-6

#: Levels are mapped by the vocabulary's one rule (ties toward the gentler level).
scale = scale_level


def _span_name(regions: tuple[Region, ...]) -> str:
    return regions[0] if len(regions) == 1 else f"{regions[0]}..{regions[-1]}"


class TargetMapper:
    """Maps Setpoints onto one chair model, for what is known of one sitter's shoulder line
    (by default nothing but the chair's scan window)."""

    def __init__(self, model: RongtaiModel, shoulder: ShoulderLine | None = None) -> None:
        self.model = model
        mechanics = model.mechanics
        self.seat_position = mechanics.seat_line_position
        self.shoulder = shoulder or scan_window_line(model)
        if self.shoulder.low <= self.seat_position:
            raise ValueError("the shoulder line must lie above the seat line")
        self.top_position = mechanics.roller_positions - 1

    @property
    def shoulder_position(self) -> float:
        """The best single guess of the shoulder line (regions are worked around it)."""
        return self.shoulder.middle

    def _at(self, s: float, shoulder: float) -> float:
        return track_position(s, self.seat_position, shoulder)

    def targets(self, setpoint: Setpoint) -> Targets:
        """The targets for ``setpoint``; :class:`Unsupported` for what the chair cannot do."""
        notes: list[str] = []
        rollers = self._rollers(setpoint, notes)
        groups, airbag_level = self._airbags(setpoint, notes)
        heat = self._heat(setpoint, notes)
        foot = self._foot(setpoint)
        posture = self._posture(setpoint, notes)
        if rollers is None and (groups or heat or foot):
            notes.append(
                "no rollers: this chair has no key that stops the rollers alone, so if they "
                "are working it is switched off and on again (it returns home and scans the "
                "back) before the rest of the setpoint is applied"
            )
        r = rollers or _Rollers(None, None, None, None, None, None)
        return Targets(
            technique=r.technique,
            massage_range=r.massage_range,
            position=r.position,
            width=r.width,
            speed=r.speed,
            intensity=r.intensity,
            airbag_groups=groups,
            airbag_level=airbag_level,
            heat=heat,
            foot_roller=foot,
            posture=posture,
            notes=tuple(notes),
            neck_clear_below=r.neck_clear_below,
            approach=r.approach,
            keep_clear=r.keep_clear,
            verify_at=r.verify_at,
        )

    # -- rollers ------------------------------------------------------------------------------

    def _rollers(self, setpoint: Setpoint, notes: list[str]) -> _Rollers | None:
        technique = setpoint.technique
        if technique is Technique.NONE:
            return None
        keys = self.model.keys
        spec = keys.techniques.get(technique)
        if spec is None:
            raise Unsupported(f"this chair has no '{technique}' technique")
        regions = setpoint.regions
        if not regions:
            raise Unsupported(f"'{technique}' needs a region for the rollers to work")
        if not are_adjacent_span(regions):
            raise Unsupported(f"regions {', '.join(regions)} are not one unbroken span")
        unreachable = [r for r in regions if r not in self.model.capabilities.regions]
        if unreachable:
            raise Unsupported(
                f"this chair's {self.model.track} track cannot reach {', '.join(unreachable)}"
            )
        if spec.approximates:
            notes.append(f"{technique}: this chair's nearest mode stands in for it")

        # The neck rules hold for the band the chair really works, not only for the regions
        # asked: a shoulder band centred on the shoulder line reaches into the neck.
        off_neck = NECK not in regions and (
            technique in PERCUSSION or setpoint.intensity > NECK_MAX_INTENSITY
        )
        keep_clear = self._keep_clear(setpoint.keep_off)
        clear_below = self._neck_low() - NECK_MARGIN if off_neck else math.inf
        massage_range, position = self._place(
            regions, technique, setpoint.keep_off, clear_below, notes
        )
        approach: TechniqueKey | None = None
        neck_clear_below: float | None = None
        # Where a technique key the chair has not yet shown to be what the model file says
        # may be tried: clear of the neck, in case the file is wrong and it is percussion.
        verify_at: float | None = None
        if position is not None:
            highest = self._neck_low() - NECK_MARGIN - self._half(MassageRange.POINT)
            if position + self._half(massage_range) > highest - self._half(MassageRange.POINT):
                verify_at = self._nearest_clear(
                    position, self._half(MassageRange.POINT), keep_clear, highest
                )
        if off_neck:
            neck_clear_below = clear_below - self._half(massage_range)
            if technique in PERCUSSION:
                approach = keys.techniques.get(Technique.KNEAD)
                if approach is None:
                    raise Unsupported(
                        "this chair has no gentle technique to start with near the neck"
                    )

        width: Width | None = None
        if keys.widths:
            if setpoint.width not in keys.widths:
                raise Unsupported(f"this chair has no '{setpoint.width}' width")
            width = setpoint.width
        else:
            notes.append("width: this chair's kneading width cannot be set")

        speed: int | None = None
        if keys.speeds:
            speed = scale(setpoint.speed, _PROGRAM_TOP, len(keys.speeds))
        else:
            notes.append("speed: this chair's roller speed cannot be set")

        intensity: int | None = None
        levels = self.model.intensity_levels
        if levels > 1:
            if keys.intensity_cycle is None:
                # Leaving the depth wherever the chair has it could mean its strongest.
                raise Unsupported("this chair's roller intensity cannot be set from here")
            intensity = scale(setpoint.intensity, MAX_INTENSITY, levels)
            if levels != MAX_INTENSITY:
                notes.append(
                    f"intensity {setpoint.intensity} is this chair's level {intensity} of {levels}"
                )
        else:
            notes.append("intensity: this chair has no 3D mechanism; its depth is fixed")
        return _Rollers(
            spec,
            massage_range,
            position,
            width,
            speed,
            intensity,
            neck_clear_below,
            approach,
            keep_clear,
            verify_at,
        )

    def _half(self, massage_range: MassageRange) -> float:
        """Half the band the rollers work in ``massage_range`` (0 for full: the chair's own)."""
        mechanics = self.model.mechanics
        return {
            MassageRange.FULL: 0.0,
            MassageRange.PARTIAL: mechanics.partial_half_span,
            MassageRange.POINT: mechanics.point_half_span,
        }[massage_range]

    def _neck_low(self) -> float:
        """The lowest the neck can begin: the shortest sitter's."""
        return self._at(REGION_BANDS[NECK][0], self.shoulder.low)

    def _keep_clear(self, regions: frozenset[Region]) -> tuple[tuple[float, float], ...]:
        """The stretches of track the rollers must not work to keep off ``regions``: each
        region's band for every shoulder line it may be on, with the margin; the neck runs on
        to the top of the track, the glutes down to the bottom."""
        line = self.shoulder
        stretches = []
        for region in sorted(regions, key=list(Region).index):
            low_s, high_s = REGION_BANDS[region]
            ends = [self._at(x, sh) for x in (low_s, high_s) for sh in (line.low, line.high)]
            low = -math.inf if region is Region.SACRUM_GLUTES else min(ends) - NECK_MARGIN
            high = math.inf if region is NECK else max(ends) + NECK_MARGIN
            stretches.append((low, high))
        return tuple(stretches)

    def _place(
        self,
        regions: tuple[Region, ...],
        technique: Technique,
        keep_off: frozenset[Region],
        clear_below: float,
        notes: list[str],
    ) -> tuple[MassageRange, float | None]:
        """The range and the centre of the band for ``regions``, kept clear of the regions in
        ``keep_off`` and, for work the neck does not allow, of the neck (``clear_below``: the
        highest a band may reach)."""
        keep_clear = self._keep_clear(keep_off)
        span = _span_name(regions)
        # The full range sweeps from the seat line to the shoulder line the chair's own scan
        # found: clear of the neck by the chair's own measure, but of nothing else.
        full_clear = not any(
            REGION_BANDS[r][0] < 1.0 and REGION_BANDS[r][1] > 0.0 for r in keep_off
        )
        if len(regions) >= FULL_RANGE_SPAN and full_clear:
            notes.append(
                f"{span}: the chair's full range sweeps from the seat line to the shoulder "
                "line, not exactly the regions asked"
            )
            return MassageRange.FULL, None
        # Regions are top first: the span runs from the bottom of the last to the top of the
        # first, and the band centres on its middle; neck work on the tallest sitter's neck.
        low_s, high_s = REGION_BANDS[regions[-1]][0], REGION_BANDS[regions[0]][1]
        shoulder = self.shoulder.high if NECK in regions else self.shoulder.middle
        span_at = (self._at(low_s, shoulder), self._at(high_s, shoulder))
        exact = self._at((low_s + high_s) / 2, shoulder)
        wanted = min(float(self.top_position), max(0.0, exact))
        if abs(exact - wanted) > 0.5:
            notes.append(
                f"{span}: its middle lies beyond the end of the track for this shoulder line; "
                "the rollers work the end of the track"
            )
        ranges = (
            [MassageRange.POINT]
            if len(regions) == 1 and technique is Technique.SHIATSU
            else [MassageRange.PARTIAL, MassageRange.POINT]
        )
        # The widest range whose band, kept clear, strays off the span no more than it does
        # where it was wanted (what its size and the ends of the track make it); else the
        # band most on the span. Its centre on the span is not enough: the chair sweeps the
        # whole band, and a partial band pushed down off the neck by its margin can have its
        # centre on the shoulders and over a third of its sweep on the upper back, where a
        # spot would have stayed on them.
        best: tuple[MassageRange, float] | None = None
        best_share = -1.0
        for massage_range in ranges:
            half = self._half(massage_range)
            position = self._nearest_clear(wanted, half, keep_clear, clear_below - half)
            if position is None:
                continue
            _on, unavoidable = self._on_span(wanted, half, span_at)
            on, off = self._on_span(position, half, span_at)
            if off <= unavoidable + _ON_SPAN_SLACK:
                best = (massage_range, position)
                break
            share = on / (on + off) if on + off > 0 else 0.0
            if share > best_share:
                best, best_share = (massage_range, position), share
        if best is None:
            raise Unsupported(
                f"{span}: the rollers cannot work it and stay clear of "
                + ("the neck and " if clear_below < math.inf else "")
                + "the regions kept off"
            )
        massage_range, position = best
        kept = " and ".join(
            words
            for words, present in (
                ("the neck", clear_below < math.inf),
                (f"the {', '.join(r.replace('_', ' ') for r in sorted(keep_off))}", keep_off),
            )
            if present
        )
        if massage_range is MassageRange.POINT and MassageRange.POINT not in ranges[:1]:
            notes.append(
                f"{span}: the chair works one spot, since its partial band, kept clear of "
                f"{kept}, would sweep beyond it"
            )
        if len(regions) > 1 and massage_range is MassageRange.PARTIAL:
            notes.append(
                f"{span}: the chair's partial range works a band of its own size around the "
                "middle of the span"
            )
        if abs(position - wanted) > 1e-6:
            notes.append(f"{span}: the rollers are kept clear of {kept or 'the end of the track'}")
        return massage_range, position

    def _on_span(
        self, position: float, half: float, span: tuple[float, float]
    ) -> tuple[float, float]:
        """How much of a band of ``half`` each way around ``position`` the chair sweeps on
        ``span``, and how much off it (in carriage positions; the band ends at the ends of
        the track)."""
        band_low = max(0.0, position - half)
        band_high = min(float(self.top_position), position + half)
        on = max(0.0, min(band_high, span[1]) - max(band_low, span[0]))
        return on, max(0.0, band_high - band_low - on)

    def _nearest_clear(
        self,
        wanted: float,
        half: float,
        keep_clear: tuple[tuple[float, float], ...],
        highest: float,
    ) -> float | None:
        """The band centre nearest ``wanted`` whose band (``half`` each way) touches no stretch
        of ``keep_clear``, at most ``highest``; None when there is none on the track."""
        # Centres a stretch rules out, widened by the band; what is left of the track is
        # where a centre may go.
        banned = sorted((a - half, b + half) for a, b in keep_clear)
        free: list[tuple[float, float]] = []
        start = 0.0
        for a, b in banned:
            if a > start:
                free.append((start, a))
            start = max(start, b)
        free.append((start, float(self.top_position)))
        candidates = [
            min(max(wanted, low), high, highest) for low, high in free if low <= min(high, highest)
        ]
        if not candidates:
            return None
        return min(candidates, key=lambda c: abs(c - wanted))

    # -- airbags, heat, foot rollers, posture -------------------------------------------------

    def _airbags(self, setpoint: Setpoint, notes: list[str]) -> tuple[frozenset[int], int]:
        asked = setpoint.airbags
        if not asked:
            return frozenset(), 0
        keys = self.model.keys
        groups = keys.airbag_groups
        for zone in asked:
            if not any(zone in group.zones for group in groups):
                raise Unsupported(f"this chair has no {zone} airbags")
        if not keys.airbag_levels:
            raise Unsupported("this chair's airbag pressure cannot be set from here")
        chosen = frozenset(i for i, g in enumerate(groups) if set(g.zones) & asked.keys())
        for i in sorted(chosen):
            extra = [z for z in groups[i].zones if z not in asked]
            if extra:
                notes.append(
                    f"airbags: {', '.join(extra)} also inflated (this chair works "
                    f"{' and '.join(groups[i].zones)} together)"
                )
        # One pressure for every zone, so the lowest asked: no zone presses harder than asked.
        lowest = min(asked.values())
        higher = [z for z, level in asked.items() if level > lowest]
        if higher:
            notes.append(
                f"airbags: one pressure for every zone: level {lowest}, the lowest asked, also "
                f"for {', '.join(higher)}"
            )
        level = scale(lowest, _PROGRAM_TOP, len(keys.airbag_levels))
        if len(keys.airbag_levels) != _PROGRAM_TOP:
            notes.append(
                f"airbags: level {lowest} is this chair's level {level} of "
                f"{len(keys.airbag_levels)}"
            )
        return chosen, level

    def _heat(self, setpoint: Setpoint, notes: list[str]) -> bool:
        if setpoint.heat and self.model.keys.heat_toggle is None:
            raise Unsupported("this chair has no heater it can switch")
        model = self.model
        return one_switch_heat(setpoint.heat, model.heaters, model.heat_levels, notes, switch="key")

    def _foot(self, setpoint: Setpoint) -> int:
        speed = setpoint.foot_rollers
        keys = self.model.keys
        if speed > len(keys.foot_roller):
            raise Unsupported(f"this chair has no foot-roller speed {speed}")
        return speed

    def _posture(self, setpoint: Setpoint, notes: list[str]) -> PostureGoal:
        return one_key_posture(
            setpoint.posture,
            self.model.postures,
            notes,
            has_key=self.model.keys.zero_gravity is not None,
            confirmed=True,
            remote="remote",
        )
