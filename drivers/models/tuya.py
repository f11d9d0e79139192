"""Tuya MCU chair model files: the product's data-point map and what its values mean.

A Tuya chair is driven by setting data points (DPs), not by pressing keys. Tuya's standard
instruction set for massage chairs (category ``amy``) names each function by a code
(``switch``, ``manual_mode``, ...), but every product numbers its DPs its own way, and an enum
DP carries the index of its value in the product's own range. So a model file maps each code
the chair has to its DP id and says, per DP, what crosses the wire: its type (bool, value,
enum, bitmap), its value map (which value means on and which off, the enum's names in the
product's order, an integer's range and scale), and what the values mean in chairctl's terms:
which manual mode is which technique, which auto mode works which regions, which airbag
location inflates which zones, which strength value is which intensity. Left out, a DP is the
standard's (a bool ``switch`` whose true is on, and so on), so files written for the standard
read as before. See ``docs/chair-models.md`` and ``docs/protocols/tuya.md``.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property
from itertools import pairwise
from types import MappingProxyType
from typing import Annotated, Final, Literal

from pydantic import Field, model_validator

from chairctl.vocabulary import (
    AirbagZone,
    ChairCapabilities,
    Posture,
    Region,
    Technique,
    Width,
)
from chairctl.vocabulary.text import LineText
from drivers.models.common import ModelBase, RollerMode, Strict

#: Tuya's standard massage-chair function codes (category ``amy``); ``fault``, the bitmap DP
#: Tuya products in every category use to report faults; ``strength``, a product's own
#: intensity DP (the standard set has none, the neck massager has its gear DP); and
#: ``low_battery``, a battery alarm the product reports.
TuyaCode = Literal[
    "switch",
    "time_set",
    "heat",
    "aircell_speed",
    "massage_speed",
    "aircell_location",
    "ball_location",
    "foot_control",
    "back_control",
    "bottom_control",
    "gravity_control",
    "manual_mode",
    "auto_mode",
    "fault",
    "strength",
    "low_battery",
]

#: The wire types a data point of a massage chair may have (Tuya's raw and string carry
#: nothing chairctl drives).
DpKind = Literal["bool", "value", "enum", "bitmap"]

#: The DP type of each code when the model file does not say (the standard's).
CODE_KINDS: Final[Mapping[str, DpKind]] = MappingProxyType(
    {
        "switch": "bool",
        "time_set": "value",
        "heat": "bool",
        "aircell_speed": "enum",
        "massage_speed": "enum",
        "aircell_location": "enum",
        "ball_location": "enum",
        "foot_control": "bool",
        "back_control": "enum",
        "bottom_control": "enum",
        "gravity_control": "enum",
        "manual_mode": "enum",
        "auto_mode": "enum",
        "fault": "bitmap",
        "strength": "value",
        "low_battery": "bool",
    }
)

#: Codes that switch something on or off; their value map says which value is which.
SWITCHES: Final = frozenset({"switch", "heat", "foot_control"})
#: The types each code may have on some product: a switch is a bool or an enum ("0 means on"
#: is said by its value map), a strength an integer or an enum; the rest are the standard's.
ALLOWED_KINDS: Final[Mapping[str, frozenset[DpKind]]] = MappingProxyType(
    {
        **{code: frozenset({kind}) for code, kind in CODE_KINDS.items()},
        **{code: frozenset({"bool", "enum"}) for code in SWITCHES},
        "strength": frozenset({"value", "enum"}),
    }
)
#: Codes the MCU only reports: the module never sets them.
REPORT_ONLY: Final = frozenset({"fault", "low_battery"})
#: Mode codes: ``close`` stops what they run (a manual or auto mode may instead run whenever
#: the product is on, ``always_on``).
MODE_CODES: Final = ("manual_mode", "auto_mode", "aircell_location")

#: The standard's enum ranges, in its order (the index is what crosses the wire).
STANDARD_RANGES: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType(
    {
        "aircell_speed": ("level_1", "level_2", "level_3", "level_4", "level_5"),
        "massage_speed": ("level_1", "level_2", "level_3"),
        "aircell_location": ("leg", "arm", "hip", "leg_hip", "leg_hip_arm", "all", "close"),
        "ball_location": ("narrow", "middle", "wide"),
        "back_control": ("stop", "up", "down"),
        "bottom_control": ("stop", "up", "down"),
        "gravity_control": ("gravity_adjust1", "gravity_adjust2", "gravity_adjust3", "reset"),
        "manual_mode": ("pinch", "beat", "knock", "shiatsu", "tuina", "close"),
        "auto_mode": (
            "female_health",
            "male_health",
            "elderly_health",
            "help_sleep",
            "shoulder_relax",
            "back_relax",
            "waist_relax",
            "hip_relax",
            "close",
        ),
    }
)

#: The standard's session timer range, in minutes.
TIME_SET_MAX_MIN: Final = 500
#: The integers a value DP may carry (signed 32 bits).
INT_MIN: Final = -(2**31)
INT_MAX: Final = 2**31 - 1
#: The enum value that turns a function off.
CLOSE: Final = "close"
#: The codes a chair must have for chairctl to drive it safely: on/off, and the manual mode
#: that says whether the rollers work. An auto mode is optional.
REQUIRED_CODES: Final = ("switch", "manual_mode")

#: A DP value as a model file writes it in a value map: a bool, an integer, an enum's name.
MapValue = bool | int | str


class DataPoint(Strict):
    """Where one function lives on this product, and how its values cross the wire."""

    id: int = Field(ge=1, le=255, description="The product's DP id for this code.")
    type: DpKind | None = Field(
        None,
        description="The DP's wire type (bool, value, enum, bitmap); left out, the "
        "standard's for the code.",
    )
    range: list[Annotated[LineText, Field(min_length=1, max_length=40)]] | None = Field(
        None,
        min_length=1,
        description="An enum's values in the product's order (index 0 first), when not the "
        "standard's.",
    )
    on: MapValue | None = Field(
        None,
        description="A switch (switch, heat, foot_control): the value that means on (a bool, "
        "or an enum name). Left out: true.",
    )
    off: MapValue | None = Field(
        None,
        description="A switch: the value that means off. Left out: false.",
    )
    min: int | None = Field(
        None, ge=INT_MIN, le=INT_MAX, description="A value DP: the lowest it takes."
    )
    max: int | None = Field(
        None, ge=INT_MIN, le=INT_MAX, description="A value DP: the highest it takes."
    )
    scale: int = Field(
        0,
        ge=0,
        le=9,
        description="A value DP: decimal places (Tuya's scale; the wire carries value × 10^scale).",
    )
    always_on: bool = Field(
        False,
        description="A manual or auto mode with no value that stops it: it works whenever "
        "the product is switched on, and only switching off stops it.",
    )


class ManualMode(Strict):
    """A ``manual_mode`` value that performs one of chairctl's techniques."""

    value: str = Field(description="The manual_mode value.")
    approximates: bool = Field(
        False, description="True when the chair's technique only approximates ours."
    )


class RegionMode(RollerMode):
    """An ``auto_mode`` value that works some back regions: the nearest a Tuya chair has to
    placing its rollers."""

    value: str = Field(description="The auto_mode value.")


class TuyaProtocol(Strict):
    """The Tuya MCU serial protocol, as this product speaks it."""

    family: Literal["tuya-mcu"] = Field(description="The protocol family.")
    query_period_ms: int = Field(
        500,
        ge=100,
        le=2000,
        description="How often the driver asks for every DP; the MCU reports on change "
        "otherwise, and the session counts a silent chair as lost.",
    )
    heartbeat_s: float = Field(15.0, ge=1, le=60, description="Heartbeat period (Tuya: 15 s).")
    resend_s: float = Field(
        1.0, ge=0.1, le=10, description="Wait before resending an unanswered set."
    )
    resends: int = Field(3, ge=0, le=5, description="Resends of an unanswered set.")
    one_dp_per_deliver: bool = Field(
        False,
        description="The product applies only the first record of a deliver (the neck "
        "massager's app_dp_handle reads one record), so every deliver carries one.",
    )


class TuyaModel(ModelBase):
    """A chair whose MCU speaks the Tuya serial protocol."""

    protocol: TuyaProtocol = Field(description="Wire protocol and timing.")
    datapoints: dict[TuyaCode, DataPoint] = Field(
        description="Function code -> this product's DP: its id, and its type and value map "
        "when not the standard's."
    )
    techniques: dict[Technique, ManualMode] = Field(
        default_factory=dict, description="Techniques and the manual_mode value of each."
    )
    manual_regions: list[Region] = Field(
        default_factory=lambda: [
            Region.SHOULDERS,
            Region.UPPER_BACK,
            Region.MID_BACK,
            Region.LOWER_BACK,
        ],
        min_length=1,
        description="The regions a manual mode works (the chair sweeps them all).",
    )
    region_modes: list[RegionMode] = Field(
        default_factory=list, description="auto_mode values that work given regions."
    )
    airbag_locations: dict[str, list[AirbagZone]] = Field(
        default_factory=dict, description="aircell_location value -> the zones it inflates."
    )
    airbag_levels: list[str] = Field(
        default_factory=list, description="aircell_speed values, gentlest first."
    )
    speeds: list[str] = Field(
        default_factory=list, description="massage_speed values, slowest first."
    )
    widths: dict[Width, str] = Field(default_factory=dict, description="ball_location values.")
    gravity: dict[Posture, str] = Field(
        default_factory=dict, description="Posture -> gravity_control value."
    )
    strength_levels: list[int | str] = Field(
        default_factory=list,
        max_length=5,
        description="strength values, gentlest first: intensity 1 is the first (an integer "
        "for a value DP, a name for an enum DP).",
    )

    @property
    def family(self) -> str:
        return self.protocol.family

    def point(self, code: str) -> DataPoint | None:
        """The DP of ``code`` on this product, None when it has none."""
        found: DataPoint | None = self.datapoints.get(code)  # type: ignore[call-overload]
        return found

    def kind_of(self, code: str) -> DpKind:
        """The wire type of ``code`` on this product (the standard's when the file is silent)."""
        point = self.point(code)
        if point is not None and point.type is not None:
            return point.type
        return CODE_KINDS[code]

    def range_of(self, code: str) -> tuple[str, ...]:
        """The enum range of ``code`` on this product (empty for a code it lacks or that is
        not an enum here)."""
        point = self.point(code)
        if point is None or self.kind_of(code) != "enum":
            return ()
        return tuple(point.range) if point.range is not None else STANDARD_RANGES.get(code, ())

    def switch_values(self, code: str) -> tuple[bool | str, bool | str]:
        """What ``code`` (a switch) carries for on, and for off: bools for a bool DP (true and
        false unless the file says otherwise), names for an enum DP."""
        point = self.point(code)
        on = True if point is None or point.on is None else point.on
        off = False if point is None or point.off is None else point.off
        assert not isinstance(on, int) or isinstance(on, bool)  # the validator's rule
        assert not isinstance(off, int) or isinstance(off, bool)
        return on, off

    def closes(self, code: str) -> bool:
        """True when ``close`` stops what mode ``code`` runs; False for a mode that runs while
        the product is on (``always_on``) or a code the product lacks."""
        point = self.point(code)
        return point is not None and not point.always_on and CLOSE in self.range_of(code)

    def always_on(self, code: str) -> bool:
        """True for a mode DP that works whenever the product is on."""
        point = self.point(code)
        return point is not None and point.always_on

    def value_bounds(self, code: str) -> tuple[int, int]:
        """The integers a value DP takes: the file's min and max, else the standard's
        (``time_set``: 0..500), else any signed 32-bit integer."""
        point = self.point(code)
        low, high = (0, TIME_SET_MAX_MIN) if code == "time_set" else (INT_MIN, INT_MAX)
        if point is not None:
            low = low if point.min is None else point.min
            high = high if point.max is None else point.max
        return low, high

    def strength_place(self, value: int | str) -> int:
        """Where a strength value lies on the DP's own scale: an enum's index, an integer."""
        if isinstance(value, str):
            return self.range_of("strength").index(value)
        return value

    def intensity_of(self, value: object) -> int:
        """The intensity a strength value is (1 the first of ``strength_levels``); 0 for a
        value that is not one of them, which chairctl never sets."""
        if isinstance(value, bool) or not isinstance(value, int | str):
            return 0
        levels = self.strength_levels
        return levels.index(value) + 1 if value in levels else 0

    @model_validator(mode="after")
    def _map_consistent(self) -> TuyaModel:
        missing = [code for code in REQUIRED_CODES if code not in self.datapoints]
        if missing:
            raise ValueError(f"datapoints must map {', '.join(missing)}")
        ids: dict[int, str] = {}
        for code, point in self.datapoints.items():
            if point.id in ids:
                raise ValueError(f"datapoints {ids[point.id]} and {code} share DP id {point.id}")
            ids[point.id] = code
            self._check_point(code, point)
        self._check_strength()
        uses: list[tuple[str, str, list[str]]] = [
            ("techniques", "manual_mode", [m.value for m in self.techniques.values()]),
            ("region_modes", "auto_mode", [m.value for m in self.region_modes]),
            ("airbag_locations", "aircell_location", list(self.airbag_locations)),
            ("airbag_levels", "aircell_speed", self.airbag_levels),
            ("speeds", "massage_speed", self.speeds),
            ("widths", "ball_location", list(self.widths.values())),
            ("gravity", "gravity_control", list(self.gravity.values())),
        ]
        for section, enum_code, values in uses:
            if not values:
                continue
            allowed = self.range_of(enum_code)
            if not allowed:
                raise ValueError(f"{section} needs the {enum_code} DP in datapoints")
            wrong = [v for v in values if v not in allowed]
            if wrong:
                raise ValueError(
                    f"{section}: {', '.join(wrong)} not in the {enum_code} range "
                    f"({', '.join(allowed)})"
                )
            if CLOSE in values:
                raise ValueError(f"{section}: '{CLOSE}' turns {enum_code} off; it is not a setting")
        if self.airbag_locations and CLOSE not in self.range_of("aircell_location"):
            raise ValueError("aircell_location needs a 'close' value to turn the airbags off")
        for posture in self.gravity:
            if posture not in self.postures:
                raise ValueError(f"gravity maps {posture}, which is not in postures")
        return self

    def _check_point(self, code: str, point: DataPoint) -> None:
        """One DP's type and value map, against what its code needs."""
        kind = self.kind_of(code)
        if kind not in ALLOWED_KINDS[code]:
            allowed = " or ".join(_a(name) for name in sorted(ALLOWED_KINDS[code]))
            raise ValueError(f"{code} (DP {point.id}) must be {allowed} DP, not {_a(kind)}")
        if code == "strength" and point.type is None:
            raise ValueError("strength needs its type: value (an integer) or enum")
        if point.range is not None and kind != "enum":
            raise ValueError(f"{code} is a {kind} DP: it has no range")
        values = self.range_of(code)
        if kind == "enum" and not values:
            raise ValueError(f"{code} is an enum with no standard range: give its range")
        if len(set(values)) != len(values):
            raise ValueError(f"the range of {code} repeats a value")
        if kind != "value" and (point.min is not None or point.max is not None or point.scale):
            raise ValueError(f"{code} is a {kind} DP: min, max and scale are for value DPs")
        low, high = self.value_bounds(code)
        if low > high:
            raise ValueError(f"{code}: min {low} is above max {high}")
        if point.always_on and code not in ("manual_mode", "auto_mode"):
            raise ValueError(f"{code}: always_on is for manual_mode and auto_mode")
        if code in MODE_CODES and not point.always_on and CLOSE not in values:
            raise ValueError(
                f"{code} needs a '{CLOSE}' value to stop what it runs, or always_on: true when "
                "only switching the product off stops it"
            )
        if point.always_on and CLOSE in values:
            raise ValueError(f"{code} has a '{CLOSE}' value: it is not always_on")
        self._check_switch(code, point, kind, values)

    @staticmethod
    def _check_switch(code: str, point: DataPoint, kind: DpKind, values: tuple[str, ...]) -> None:
        """A switch's on and off values: two different values of its type."""
        if code not in SWITCHES:
            if point.on is not None or point.off is not None:
                raise ValueError(f"{code} is not a switch: on and off are for {_SWITCH_WORDS}")
            return
        if kind == "bool":
            for name in ("on", "off"):
                given = getattr(point, name)
                if given is not None and not isinstance(given, bool):
                    raise ValueError(f"{code} is a bool DP: {name} must be true or false")
            on = True if point.on is None else point.on
            off = False if point.off is None else point.off
        else:
            if point.on is None or point.off is None:
                raise ValueError(f"{code} is an enum DP: say which value is on and which off")
            for name in ("on", "off"):
                given = getattr(point, name)
                if not isinstance(given, str) or given not in values:
                    raise ValueError(
                        f"{code}: {name} {given!r} is not in its range ({', '.join(values)})"
                    )
            on, off = point.on, point.off
        if on == off:
            raise ValueError(f"{code}: on and off are the same value")

    def _check_strength(self) -> None:
        """The strength DP and its levels go together and climb; without one, one strength."""
        point = self.datapoints.get("strength")
        levels = self.strength_levels
        if point is None:
            if levels:
                raise ValueError("strength_levels needs the strength DP in datapoints")
            if self.intensity_levels != 1:
                # The standard instruction set has no strength DP: a chair without one presses
                # as it does.
                raise ValueError(
                    "intensity_levels must be 1: this chair has no strength DP "
                    "(datapoints.strength) to set it with"
                )
            return
        if not levels:
            raise ValueError("the strength DP needs strength_levels: its values, gentlest first")
        if len(levels) != self.intensity_levels:
            raise ValueError(
                f"intensity_levels is {self.intensity_levels} but strength_levels lists "
                f"{len(levels)} values: one value per intensity"
            )
        kind = self.kind_of("strength")
        for value in levels:
            if kind == "enum" and value not in self.range_of("strength"):
                raise ValueError(
                    f"strength_levels: {value!r} is not in the strength range "
                    f"({', '.join(self.range_of('strength'))})"
                )
            if kind == "value":
                low, high = self.value_bounds("strength")
                if isinstance(value, str | bool) or not low <= value <= high:
                    raise ValueError(
                        f"strength_levels: {value!r} is not an integer in {low}..{high}"
                    )
        places = [self.strength_place(value) for value in levels]
        if any(b <= a for a, b in pairwise(places)):
            raise ValueError("strength_levels must climb, gentlest first, each value once")

    @cached_property
    def capabilities(self) -> ChairCapabilities:
        """What the compiler may ask of this chair."""
        zones = {zone for group in self.airbag_locations.values() for zone in group}
        sets = [frozenset(group) for group in self.airbag_locations.values()]
        # Combined locations (leg_hip, all) are not groups: only a location that contains no
        # smaller one inflates zones that cannot be had apart.
        basic = {s for s in sets if not any(other < s for other in sets)}
        return ChairCapabilities(
            track=self.track,
            techniques=frozenset({*self.techniques, Technique.NONE}),
            intensity_levels=self.intensity_levels,
            speeds=max(1, len(self.speeds)),
            widths=frozenset(self.widths),
            airbag_zones=frozenset(zones),
            airbag_levels=len(self.airbag_levels) if zones else 0,
            airbag_groups=tuple(sorted((s for s in basic if len(s) > 1), key=sorted)),
            heaters=frozenset(self.heaters) if "heat" in self.datapoints else frozenset(),
            heat_levels=frozenset(self.heat_levels),
            foot_roller_speeds=1 if "foot_control" in self.datapoints else 0,
            postures=frozenset(self.postures),
            heat_contact_c=self.heat_contact_c,
        )


_SWITCH_WORDS: Final = ", ".join(sorted(SWITCHES))


def _a(kind: str) -> str:
    """A type's name with its article: ``an enum``, ``a bool``."""
    return f"an {kind}" if kind[0] in "aeiou" else f"a {kind}"
