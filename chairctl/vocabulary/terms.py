"""The words programs, plans, drivers and the simulator share: regions, techniques, zones, levels.

The values are the spellings used in program files, so a term's value is also what an author
writes. Ranges follow docs/sources.md section 5.1.
"""

from __future__ import annotations

import math
from enum import StrEnum
from fractions import Fraction
from typing import Annotated, Final

from pydantic import Field, Strict


class Term(StrEnum):
    """A word of the shared vocabulary: its value is what files spell, its label what people
    read (the value with spaces, unless the term says otherwise)."""

    @property
    def label(self) -> str:
        """The term as people read it ("upper back", "zero g 1")."""
        return _LABELS.get(self.value, self.value.replace("_", " "))


#: Labels that are not just the value with spaces.
_LABELS: Final[dict[str, str]] = {"sacrum_glutes": "sacrum / glutes"}


class Region(Term):
    """A band of the back that the roller carriage can work, listed from the top of the track."""

    NECK = "neck"
    SHOULDERS = "shoulders"
    UPPER_BACK = "upper_back"
    MID_BACK = "mid_back"
    LOWER_BACK = "lower_back"
    SACRUM_GLUTES = "sacrum_glutes"


#: Roller regions in track order, top to bottom; two regions are adjacent when neighbours here.
TRACK_ORDER: Final[tuple[Region, ...]] = tuple(Region)


#: Where each roller region lies on the user-normalised track coordinate ``s``: 0 is the seat
#: line, 1 the shoulder line found by the body scan (docs/sources.md section 2.2).
#: Half-open bands ``[low, high)`` that tile the track; first guesses, to be tuned on chairs.
REGION_BANDS: Final[dict[Region, tuple[float, float]]] = {
    Region.NECK: (1.10, 1.45),
    Region.SHOULDERS: (0.90, 1.10),
    Region.UPPER_BACK: (0.65, 0.90),
    Region.MID_BACK: (0.40, 0.65),
    Region.LOWER_BACK: (0.15, 0.40),
    Region.SACRUM_GLUTES: (-0.20, 0.15),
}


def track_s(position: float, seat_position: float, shoulder_position: float) -> float:
    """The normalised coordinate of a carriage position, given the seat and shoulder lines."""
    return (position - seat_position) / (shoulder_position - seat_position)


def track_position(s: float, seat_position: float, shoulder_position: float) -> float:
    """The carriage position of a normalised coordinate (the inverse of :func:`track_s`)."""
    return seat_position + s * (shoulder_position - seat_position)


def region_at(s: float) -> Region | None:
    """The roller region at normalised coordinate ``s``, None off the ends of the bands."""
    for region, (low, high) in REGION_BANDS.items():
        if low <= s < high:
            return region
    return None


def are_adjacent_span(regions: tuple[Region, ...] | list[Region]) -> bool:
    """True when ``regions`` are distinct and form one unbroken run of the track."""
    if not regions or len(set(regions)) != len(regions):
        return False
    indices = sorted(TRACK_ORDER.index(r) for r in regions)
    return indices == list(range(indices[0], indices[0] + len(indices)))


def ordered_span(regions: tuple[Region, ...] | list[Region]) -> tuple[Region, ...]:
    """The regions in track order (top first)."""
    return tuple(sorted(regions, key=TRACK_ORDER.index))


class Technique(Term):
    """What the rollers do; defined by mechanism, each chair model maps them to its own keys."""

    KNEAD = "knead"
    TAP = "tap"
    KNOCK = "knock"
    KNEAD_KNOCK = "knead_knock"
    SHIATSU = "shiatsu"
    ROLL = "roll"
    SWEDISH = "swedish"
    STRETCH = "stretch"
    NONE = "none"


#: Techniques that strike the body. Never at the neck (docs/sources.md section 5.2).
PERCUSSION: Final[frozenset[Technique]] = frozenset(
    {Technique.TAP, Technique.KNOCK, Technique.KNEAD_KNOCK}
)

#: Techniques that do not use the roller carriage, so a step with them needs no region.
REGIONLESS: Final[frozenset[Technique]] = frozenset({Technique.STRETCH, Technique.NONE})


class Width(Term):
    """How far apart the kneading heads sit."""

    NARROW = "narrow"
    MEDIUM = "medium"
    WIDE = "wide"


class AirbagZone(Term):
    """A group of airbags that inflate together."""

    SHOULDERS = "shoulders"
    ARMS = "arms"
    WAIST = "waist"
    SEAT = "seat"
    THIGHS = "thighs"
    CALVES = "calves"
    FEET = "feet"


class Heater(Term):
    """A heating element."""

    LUMBAR = "lumbar"
    SEAT = "seat"
    CALVES = "calves"


class HeatLevel(Term):
    """How hot a heater is asked to be."""

    OFF = "off"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class Posture(Term):
    """Where the backrest and leg rest are."""

    UPRIGHT = "upright"
    RECLINE = "recline"
    ZERO_G_1 = "zero_g_1"
    ZERO_G_2 = "zero_g_2"


class WorkState(Term):
    """What the chair's mainboard says it is doing."""

    STANDBY = "standby"
    RESETTING = "resetting"
    WAITING = "waiting"
    RUNNING = "running"
    STORING = "storing"
    FAULT = "fault"


class MassageRange(Term):
    """How much of the track the rollers sweep: all of it, a band, or one spot."""

    FULL = "full"
    PARTIAL = "partial"
    POINT = "point"


class ActuatorMotion(Term):
    """What a linear actuator (backrest, leg rest, slide) is doing."""

    STOPPED = "stopped"
    UP = "up"
    DOWN = "down"


class TrackType(Term):
    """The shape of the roller track; S tracks cannot reach under the seat."""

    S = "S"
    L = "L"
    SL = "SL"
    FLEX = "Flex"


MIN_INTENSITY: Final = 1
MAX_INTENSITY: Final = 5
#: The firmest airbag level a program can ask for.
MAX_AIRBAG: Final = 5
#: The gentlest intensity that still does something; what every session starts at.
DEFAULT_INTENSITY: Final = 2
DEFAULT_SPEED: Final = 3

#: Roller intensity (3D depth), 1 gentlest to 5 strongest.
Intensity = Annotated[int, Strict(), Field(ge=MIN_INTENSITY, le=MAX_INTENSITY)]
#: Roller speed, 1 slowest to 5 fastest.
Speed = Annotated[int, Strict(), Field(ge=1, le=5)]
#: Airbag pressure, 0 off to 5 firmest.
AirbagLevel = Annotated[int, Strict(), Field(ge=0, le=5)]
#: Foot-roller speed, 0 off to 3 fastest.
FootRollerLevel = Annotated[int, Strict(), Field(ge=0, le=3)]


def scale_level(value: int, top_in: int, top_out: int) -> int:
    """``value`` of a ``1..top_in`` scale on a ``1..top_out`` one, linear, ties toward the
    gentler level: a program's intensity 1..5 on a chair's levels, say. The one rule the
    drivers map levels by and the simulator's judge expects them by."""
    if top_out <= 1 or top_in <= 1:
        return 1
    exact = Fraction((value - 1) * (top_out - 1), top_in - 1)
    return 1 + max(0, math.ceil(exact - Fraction(1, 2)))
