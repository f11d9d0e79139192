"""Tuya MCU chair model files: the product's data-point map and what its values mean.

A Tuya chair is driven by setting data points (DPs), not by pressing keys. Tuya's standard
instruction set for massage chairs (category ``amy``) names each function by a code
(``switch``, ``manual_mode``, ...), but every product numbers its DPs its own way, and an enum
DP carries the index of its value in the product's own range. So a model file maps each code
the chair has to its DP id (and its range when the product's differs from the standard's), and
says what the values mean in chairctl's terms: which manual mode is which technique, which auto
mode works which regions, which airbag location inflates which zones. See
``docs/chair-models.md`` and ``docs/protocols/tuya.md``.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property
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

#: Tuya's standard massage-chair function codes (category ``amy``), plus ``fault``, the
#: bitmap DP Tuya products in every category use to report faults.
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
]

DpKind = Literal["bool", "value", "enum", "bitmap"]

#: The DP type of each standard code.
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
    }
)

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
#: The enum value that turns a function off.
CLOSE: Final = "close"
#: The codes a chair must have for chairctl to drive it safely: on/off, and the mode DPs that
#: say whether the rollers work.
REQUIRED_CODES: Final = ("switch", "manual_mode", "auto_mode")


class DataPoint(Strict):
    """Where one standard function lives on this product."""

    id: int = Field(ge=1, le=255, description="The product's DP id for this code.")
    range: list[Annotated[LineText, Field(min_length=1, max_length=40)]] | None = Field(
        None,
        min_length=1,
        description="The enum's values in the product's order, when not the standard's.",
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


class TuyaModel(ModelBase):
    """A chair whose MCU speaks the Tuya serial protocol."""

    protocol: TuyaProtocol = Field(description="Wire protocol and timing.")
    datapoints: dict[TuyaCode, DataPoint] = Field(
        description="Standard function code -> this product's DP (id, and range when not "
        "the standard's)."
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

    @property
    def family(self) -> str:
        return self.protocol.family

    def range_of(self, code: str) -> tuple[str, ...]:
        """The enum range of ``code`` on this product (empty for a code it lacks)."""
        point = self.datapoints.get(code)  # type: ignore[call-overload]
        if point is None:
            return ()
        return tuple(point.range) if point.range is not None else STANDARD_RANGES.get(code, ())

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
            if point.range is not None and CODE_KINDS[code] != "enum":
                raise ValueError(f"{code} is a {CODE_KINDS[code]} DP: it has no range")
            if point.range is not None and len(set(point.range)) != len(point.range):
                raise ValueError(f"the range of {code} repeats a value")
        if self.intensity_levels != 1:
            # The standard instruction set has no strength DP: a Tuya chair presses as it does.
            raise ValueError("intensity_levels must be 1: Tuya chairs have no strength DP")
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
            intensity_levels=1,
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
