"""The chair model file format: one validated YAML file per chair model.

A model file says how to recognise a chair (BLE name patterns, serial settings), how to talk to
it (protocol family and variant, GATT UUIDs), what it can do (capabilities, and which key or
code selects each), how its mechanics behave (travel times, used by the simulator) and how fast
it may be driven (timing). Supporting a new chair of a known protocol family is a new file.
"""

from __future__ import annotations

import fnmatch
import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from chairctl.vocabulary import (
    AirbagZone,
    ChairCapabilities,
    Heater,
    HeatLevel,
    Posture,
    Region,
    Technique,
    TrackType,
    Width,
)

_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")

#: A protocol key code; 7 bits, because the Rongtai checksum leaves no room for more.
KeyCode = Annotated[int, Field(ge=0x00, le=0x7F)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _uuid(value: str) -> str:
    value = value.lower()
    if re.fullmatch(r"[0-9a-f]{4}", value):
        # Bluetooth SIG 16-bit short form, expanded on the base UUID.
        value = f"0000{value}-0000-1000-8000-00805f9b34fb"
    if not _UUID.match(value):
        raise ValueError(f"'{value}' is not a UUID (nnnnnnnn-nnnn-nnnn-nnnn-nnnnnnnnnnnn or nnnn)")
    return value


class SerialSettings(_Strict):
    """Line settings of the wired controller port."""

    baudrate: int = Field(description="Bits per second.", gt=0)
    bytesize: Literal[5, 6, 7, 8] = Field(8, description="Data bits.")
    parity: Literal["N", "E", "O"] = Field("N", description="Parity: none, even or odd.")
    stopbits: Literal[1, 2] = Field(1, description="Stop bits.")


class BleProfile(_Strict):
    """The GATT profile the chair's BLE module exposes."""

    service: str = Field(description="The vendor service UUID.")
    write: str = Field(description="Characteristic commands are written to.")
    notify: str = Field(description="Characteristic status frames are notified on.")
    write_with_response: bool = Field(False, description="Write with or without response.")
    max_write: int = Field(20, ge=1, le=512, description="Largest single write, in bytes.")

    @field_validator("service", "write", "notify")
    @classmethod
    def _full_uuid(cls, value: str) -> str:
        return _uuid(value)


class Match(_Strict):
    """How a chair of this model is recognised."""

    ble_names: list[str] = Field(
        default_factory=list, description="Advertised-name glob patterns, e.g. 'EVOLUTION-*'."
    )
    ble: BleProfile | None = Field(None, description="The GATT profile, when reached over BLE.")
    serial: SerialSettings | None = Field(None, description="Line settings of the wired port.")

    def matches_name(self, name: str | None) -> bool:
        """True when a BLE advertised name fits one of the patterns."""
        return name is not None and any(
            fnmatch.fnmatchcase(name, pattern) for pattern in self.ble_names
        )


class StatusForm(_Strict):
    """One shape of status frame a chair sends on one kind of link."""

    length: int = Field(ge=3, description="Bytes per frame, start and end markers included.")
    checksum: bool = Field(description="Whether the byte before the end marker is a checksum.")
    period_ms: int = Field(gt=0, description="How often the chair sends a status frame.")


class ProtocolSpec(_Strict):
    """Which wire protocol, and which variant of it."""

    family: Literal["rongtai-h10"] = Field(description="The protocol family.")
    device_byte: int = Field(
        0x83, ge=0x80, le=0xFF, description="Controller identity byte put in every key frame."
    )
    status_forms: dict[Literal["ble", "wired"], StatusForm] = Field(
        description="The status frame the chair sends on each kind of link."
    )

    @field_validator("device_byte")
    @classmethod
    def _not_privileged(cls, value: int) -> int:
        # 0xBD is engineering mode and 0xA5 writes chair flash: never ours to send.
        if value in (0xBD, 0xA5):
            raise ValueError(
                f"device byte 0x{value:02X} is an engineering or program-download identity"
            )
        if value in (0xF0, 0xF1):
            raise ValueError(f"device byte 0x{value:02X} is a frame marker")
        return value


class TechniqueKey(_Strict):
    """How one program technique is selected and how the status reports it."""

    key: KeyCode = Field(description="The key that selects the technique.")
    status_code: int = Field(ge=1, le=7, description="The technique number in status frames.")
    approximates: bool = Field(
        False, description="True when the chair's technique only approximates ours."
    )


class AutoProgram(_Strict):
    """A program built into the chair."""

    key: KeyCode = Field(description="The key that starts it.")
    status_code: int = Field(ge=1, description="Its program number in status frames.")
    name: str = Field(description="What the chair calls it.")
    regions: list[Region] = Field(description="The roller regions it works.")


class AirbagGroup(_Strict):
    """A key that toggles a group of airbag zones in the chair's airbag program."""

    key: KeyCode = Field(description="The key that toggles the group.")
    zones: list[AirbagZone] = Field(min_length=1, description="The zones it works.")


class HoldKeys(_Strict):
    """A hold-to-move function: START and STOP keys, each direction."""

    up_start: KeyCode
    up_stop: KeyCode
    down_start: KeyCode
    down_stop: KeyCode


class Keys(_Strict):
    """The key codes of every function the driver may use."""

    power: KeyCode = Field(description="Power toggle; from running it starts settle.")
    techniques: dict[Technique, TechniqueKey] = Field(description="Manual techniques.")
    intensity_cycle: KeyCode | None = Field(
        None, description="Steps the 3D strength up by one, wrapping from the top to 1."
    )
    speeds: list[KeyCode] = Field(description="Speed keys, slowest first.")
    widths: dict[Width, KeyCode] = Field(description="Width keys.")
    ranges: dict[Literal["full", "partial", "point"], KeyCode] = Field(
        description="Massage range keys."
    )
    heat_toggle: KeyCode | None = Field(None, description="Toggles the lumbar heater.")
    airbag_groups: list[AirbagGroup] = Field(default_factory=list, description="Zone groups.")
    airbag_levels: list[KeyCode] = Field(
        default_factory=list, description="Airbag level keys, level 1 first."
    )
    airbag_off: KeyCode | None = Field(None, description="Turns every airbag off.")
    foot_roller: list[KeyCode] = Field(
        default_factory=list, description="Foot-roller speed keys, slowest first."
    )
    foot_roller_off: KeyCode | None = Field(None, description="Turns the foot roller off.")
    session_presets: dict[int, KeyCode] = Field(
        default_factory=dict, description="Session length in minutes -> key."
    )
    auto_programs: list[AutoProgram] = Field(default_factory=list, description="Built-ins.")
    walk: HoldKeys = Field(description="Roller carriage up/down.")
    backrest: HoldKeys | None = Field(None, description="Backrest actuator.")
    leg_rest: HoldKeys | None = Field(None, description="Leg-rest actuator.")
    zero_gravity: KeyCode | None = Field(None, description="Zero-gravity toggle.")

    def all_codes(self) -> list[tuple[str, int]]:
        """Every key code with the name of its function."""
        codes: list[tuple[str, int]] = [("power", self.power)]
        codes += [(f"technique {t}", k.key) for t, k in self.techniques.items()]
        singles = {
            "intensity_cycle": self.intensity_cycle,
            "heat_toggle": self.heat_toggle,
            "airbag_off": self.airbag_off,
            "foot_roller_off": self.foot_roller_off,
            "zero_gravity": self.zero_gravity,
        }
        codes += [(name, code) for name, code in singles.items() if code is not None]
        codes += [(f"speed {i}", code) for i, code in enumerate(self.speeds, 1)]
        codes += [(f"width {w}", code) for w, code in self.widths.items()]
        codes += [(f"range {r}", code) for r, code in self.ranges.items()]
        codes += [(f"airbag group {i}", g.key) for i, g in enumerate(self.airbag_groups, 1)]
        codes += [(f"airbag level {i}", code) for i, code in enumerate(self.airbag_levels, 1)]
        codes += [(f"foot roller {i}", code) for i, code in enumerate(self.foot_roller, 1)]
        codes += [(f"session {m} min", code) for m, code in self.session_presets.items()]
        codes += [(f"auto program {p.name}", p.key) for p in self.auto_programs]
        for part in ("walk", "backrest", "leg_rest"):
            hold = getattr(self, part)
            if hold is not None:
                codes += [(f"{part} {n}", getattr(hold, n)) for n in HoldKeys.model_fields]
        return codes


class Mechanics(_Strict):
    """How the chair's parts move; the simulator's physics takes these numbers."""

    roller_positions: int = Field(ge=2, le=32, description="Carriage positions reported.")
    roller_travel_s: float = Field(gt=0, description="Bottom-to-top carriage travel time.")
    seat_line_position: float = Field(
        ge=0, description="Carriage position of the seat line (where back meets seat)."
    )
    default_shoulder_position: int = Field(
        ge=0, description="Carriage position of the shoulder line for an average sitter."
    )
    body_scan_s: float = Field(gt=0, description="How long the body scan takes.")
    partial_half_span: float = Field(
        gt=0, description="Half the band the partial range sweeps around its centre (positions)."
    )
    point_half_span: float = Field(
        gt=0, description="Half the band the point range covers around its spot (positions)."
    )
    depth_travel_s: float = Field(gt=0, description="3D axis travel, weakest to strongest.")
    airbag_inflate_s: float = Field(gt=0, description="Inflation time to full pressure.")
    airbag_vent_s: float = Field(gt=0, description="Venting time from full pressure.")
    heater_setpoint_c: float = Field(gt=0, le=60, description="Element set point when on.")
    heater_time_constant_s: float = Field(gt=0, description="Heater first-order time constant.")
    backrest_travel_s: float = Field(ge=12, le=35, description="Backrest end-to-end travel.")
    leg_rest_travel_s: float = Field(ge=12, le=35, description="Leg-rest end-to-end travel.")
    actuator_timeout_s: float = Field(
        30, gt=0, description="Travel without reaching a limit that counts as a fault."
    )


class Timing(_Strict):
    """How fast the chair may be driven."""

    key_gap_ms: int = Field(gt=0, description="Smallest gap between two key frames.")
    power_to_mode_s: float = Field(
        ge=0, description="Wait after POWER from standby before a mode key."
    )
    idle_sleep_s: float = Field(gt=0, description="Waiting with no key this long → sleep.")
    settle_cap_s: float = Field(gt=0, description="Longest return to home.")
    default_session_min: int = Field(gt=0, le=30, description="Session timer when not set.")


class ChairModel(_Strict):
    """One chair model file."""

    format: Literal[1] = Field(description="Version of the model file format.")
    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", description="Kebab-case id = file name.")
    name: str = Field(min_length=1, description="Display name.")
    maker: str = Field(min_length=1, description="Manufacturer.")
    notes: str = Field("", description="Provenance and caveats, for people.")
    match: Match = Field(description="How the chair is recognised.")
    protocol: ProtocolSpec = Field(description="Wire protocol and variant.")
    track: TrackType = Field(description="Shape of the roller track.")
    intensity_levels: int = Field(ge=1, le=5, description="3D strength levels; 1 means 2D.")
    heat_levels: list[HeatLevel] = Field(description="Heat levels, 'off' included.")
    heaters: list[Heater] = Field(default_factory=list, description="Heaters present.")
    postures: list[Posture] = Field(description="Postures the chair can take.")
    keys: Keys = Field(description="Key codes.")
    mechanics: Mechanics = Field(description="Physical behaviour, for the simulator.")
    timing: Timing = Field(description="Pacing and timeouts.")

    @model_validator(mode="after")
    def _consistent(self) -> ChairModel:
        mechanics = self.mechanics
        if mechanics.default_shoulder_position >= mechanics.roller_positions:
            raise ValueError("default_shoulder_position must be below roller_positions")
        if mechanics.seat_line_position >= mechanics.default_shoulder_position:
            raise ValueError("seat_line_position must be below default_shoulder_position")
        for name in ("backrest_travel_s", "leg_rest_travel_s"):
            if getattr(mechanics, name) >= mechanics.actuator_timeout_s:
                # The firmware faults an actuator that travels this long without its limit.
                raise ValueError(f"{name} must be shorter than actuator_timeout_s")
        used: dict[int, str] = {}
        for name, code in self.keys.all_codes():
            if code in used:
                raise ValueError(f"keys {used[code]} and {name} share the code 0x{code:02X}")
            used[code] = name
        codes = [t.status_code for t in self.keys.techniques.values()]
        if len(codes) != len(set(codes)):
            raise ValueError("two techniques share a status code")
        programs = [p.status_code for p in self.keys.auto_programs]
        if len(programs) != len(set(programs)):
            raise ValueError("two auto programs share a status code")
        # In the Rongtai status frame, program codes 7..12 mean manual, network and 3D modes.
        if self.protocol.family == "rongtai-h10" and any(code > 6 for code in programs):
            raise ValueError("rongtai-h10 auto programs have status codes 1..6")
        return self

    @property
    def capabilities(self) -> ChairCapabilities:
        """What the compiler may ask of this chair."""
        zones = {zone for group in self.keys.airbag_groups for zone in group.zones}
        return ChairCapabilities(
            track=self.track,
            techniques=frozenset({*self.keys.techniques, Technique.NONE}),
            intensity_levels=self.intensity_levels,
            speeds=max(1, len(self.keys.speeds)),
            widths=frozenset(self.keys.widths),
            airbag_zones=frozenset(zones),
            airbag_levels=len(self.keys.airbag_levels),
            airbag_groups=tuple(
                frozenset(group.zones) for group in self.keys.airbag_groups if len(group.zones) > 1
            ),
            heaters=frozenset(self.heaters),
            heat_levels=frozenset(self.heat_levels),
            foot_roller_speeds=len(self.keys.foot_roller),
            postures=frozenset(self.postures),
        )
