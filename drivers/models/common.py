"""What every chair model file says, whatever its protocol family.

How a chair is recognised (:class:`Match`), how its parts move (:class:`Mechanics`, which the
simulator's physics takes), how fast it may be driven (:class:`Timing`) and what it is
(:class:`ModelBase`: name, track, levels, heaters, postures). Each protocol family adds how to
talk to it, in its own ``drivers/models/F.py`` (:data:`drivers.models.schema.MODEL_CLASSES`).
"""

from __future__ import annotations

import fnmatch
import re
from abc import abstractmethod
from typing import Annotated, Final, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from chairctl.vocabulary import (
    PERCUSSION,
    ChairCapabilities,
    Heater,
    HeatLevel,
    Posture,
    Region,
    Technique,
    TrackType,
)
from chairctl.vocabulary.limits import SESSION_CAP_S
from chairctl.vocabulary.text import BlockText, LineText

#: The longest timer a model file may give the chair, in minutes: the session cap. The chair's
#: own timer is what stops it should chairctl be killed, so it may not outlast a session.
SESSION_CAP_MIN: Final = SESSION_CAP_S // 60


def _within_cap(minutes: int) -> int:
    if minutes < 1:
        raise ValueError(f"a timer of {minutes} minutes is no timer; give 1 to {SESSION_CAP_MIN}")
    if minutes > SESSION_CAP_MIN:
        raise ValueError(
            f"a {minutes}-minute timer outlasts the {SESSION_CAP_MIN}-minute session cap: the "
            "chair would run on by itself after chairctl is gone"
        )
    return minutes


#: A timer setting of the chair's own, in minutes: 1 to the session cap.
TimerMinutes = Annotated[int, AfterValidator(_within_cap)]

#: The kinds of link a chair can be reached on: its BLE module, or a wire to its board.
Transport = Literal["ble", "wired"]

_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


class Strict(BaseModel):
    """A model file section: unknown keys are errors, numbers are finite, values never change
    once read."""

    # Infinity and NaN are never a measurement: a travel time of .inf divides by zero in the
    # physics and makes a wait endless.
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


def _uuid(value: str) -> str:
    value = value.lower()
    if re.fullmatch(r"[0-9a-f]{4}", value):
        # Bluetooth SIG 16-bit short form, expanded on the base UUID.
        value = f"0000{value}-0000-1000-8000-00805f9b34fb"
    if not _UUID.match(value):
        raise ValueError(f"'{value}' is not a UUID (nnnnnnnn-nnnn-nnnn-nnnn-nnnnnnnnnnnn or nnnn)")
    return value


class SerialSettings(Strict):
    """Line settings of the wired controller port."""

    baudrate: int = Field(description="Bits per second.", ge=300, le=4_000_000)
    bytesize: Literal[5, 6, 7, 8] = Field(8, description="Data bits.")
    parity: Literal["N", "E", "O"] = Field("N", description="Parity: none, even or odd.")
    stopbits: Literal[1, 2] = Field(1, description="Stop bits.")


class BleProfile(Strict):
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


class Match(Strict):
    """How a chair of this model is recognised."""

    ble_names: list[Annotated[LineText, Field(min_length=1, max_length=64)]] = Field(
        default_factory=list, description="Advertised-name glob patterns, e.g. 'EVOLUTION-*'."
    )
    ble: BleProfile | None = Field(None, description="The GATT profile, when reached over BLE.")
    serial: SerialSettings | None = Field(None, description="Line settings of the wired port.")

    def matches_name(self, name: str | None) -> bool:
        """True when a BLE advertised name fits one of the patterns."""
        return name is not None and any(
            fnmatch.fnmatchcase(name, pattern) for pattern in self.ble_names
        )


class Mechanics(Strict):
    """How the chair's parts move; the simulator's physics takes these numbers."""

    roller_positions: int = Field(ge=2, le=32, description="Carriage positions reported.")
    roller_travel_s: float = Field(ge=1, le=120, description="Bottom-to-top carriage travel time.")
    seat_line_position: float = Field(
        ge=0, le=32, description="Carriage position of the seat line (where back meets seat)."
    )
    default_shoulder_position: int = Field(
        ge=0, le=32, description="Carriage position of the shoulder line for an average sitter."
    )
    shoulder_window: tuple[float, float] | None = Field(
        None,
        description="The lowest and highest shoulder line the body scan accepts, in carriage "
        "positions: where the shortest and the tallest sitter the chair can place have theirs. "
        "None: the top third of the track [assumed].",
    )
    body_scan_s: float = Field(ge=1, le=120, description="How long the body scan takes.")
    partial_half_span: float = Field(
        gt=0,
        le=16,
        description="Half the band the partial range sweeps around its centre (positions).",
    )
    point_half_span: float = Field(
        gt=0, le=16, description="Half the band the point range covers around its spot (positions)."
    )
    depth_travel_s: float = Field(
        ge=0.5, le=60, description="3D axis travel, weakest to strongest."
    )
    airbag_inflate_s: float = Field(ge=0.5, le=60, description="Inflation time to full pressure.")
    airbag_vent_s: float = Field(ge=0.5, le=60, description="Venting time from full pressure.")
    heater_setpoint_c: float = Field(gt=0, le=60, description="Element set point when on.")
    heater_contact_c: float | None = Field(
        None,
        gt=0,
        le=60,
        description="Skin-contact temperature through the cover, with the element at its set "
        "point. None: taken to be the element's own, the worst case.",
    )
    heater_time_constant_s: float = Field(
        ge=1, le=3600, description="Heater first-order time constant."
    )
    backrest_travel_s: float = Field(ge=12, le=35, description="Backrest end-to-end travel.")
    leg_rest_travel_s: float = Field(ge=12, le=35, description="Leg-rest end-to-end travel.")
    actuator_timeout_s: float = Field(
        30, ge=12, le=120, description="Travel without reaching a limit that counts as a fault."
    )


class Timing(Strict):
    """How fast the chair may be driven."""

    key_gap_ms: int = Field(ge=10, le=2000, description="Smallest gap between two key frames.")
    power_to_mode_s: float = Field(
        ge=0, le=10, description="Wait after POWER from standby before a mode key."
    )
    idle_sleep_s: float = Field(ge=5, le=3600, description="Waiting with no key this long → sleep.")
    settle_cap_s: float = Field(ge=10, le=300, description="Longest return to home.")
    default_session_min: TimerMinutes = Field(
        description="The chair's own session timer when none is set; at most the session cap, "
        "so that a chair left alone stops by itself within it.",
    )


class RollerMode(Strict):
    """A mode the chair runs by itself over some back regions, with techniques of its own
    choosing: the nearest thing to placing the rollers on a chair that cannot."""

    regions: list[Region] = Field(min_length=1, description="The roller regions it works.")
    techniques: list[Technique] = Field(
        min_length=1,
        description="The techniques it uses. List percussion whenever it may use any: a mode "
        "with percussion is used only where percussion was asked for.",
    )

    @model_validator(mode="after")
    def _no_neck_percussion(self) -> RollerMode:
        if Region.NECK in self.regions and PERCUSSION & set(self.techniques):
            # The neck rule (no percussion at the neck) cannot be kept inside a mode the chair
            # runs by itself.
            raise ValueError("a mode that works the neck must not use percussion")
        if Technique.NONE in self.techniques or Technique.STRETCH in self.techniques:
            raise ValueError("a roller mode's techniques are roller techniques")
        return self

    @property
    def percussive(self) -> bool:
        """True when the mode may use percussion."""
        return bool(PERCUSSION & set(self.techniques))


class ModelBase(Strict):
    """The part of a model file every protocol family shares."""

    format: Literal[1] = Field(description="Version of the model file format.")
    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", description="Kebab-case id = file name.")
    name: LineText = Field(min_length=1, max_length=80, description="Display name.")
    maker: LineText = Field(min_length=1, max_length=80, description="Manufacturer.")
    notes: BlockText = Field("", max_length=4000, description="Provenance and caveats, for people.")
    match: Match = Field(description="How the chair is recognised.")
    track: TrackType = Field(description="Shape of the roller track.")
    intensity_levels: int = Field(ge=1, le=5, description="3D strength levels; 1 means 2D.")
    heat_levels: list[HeatLevel] = Field(description="Heat levels, 'off' included.")
    heaters: list[Heater] = Field(default_factory=list, description="Heaters present.")
    postures: list[Posture] = Field(description="Postures the chair can take.")
    mechanics: Mechanics = Field(description="Physical behaviour, for the simulator.")
    timing: Timing = Field(description="Pacing and timeouts.")

    @model_validator(mode="after")
    def _mechanics_consistent(self) -> ModelBase:
        mechanics = self.mechanics
        if mechanics.default_shoulder_position >= mechanics.roller_positions:
            raise ValueError("default_shoulder_position must be below roller_positions")
        if mechanics.seat_line_position >= mechanics.default_shoulder_position:
            raise ValueError("seat_line_position must be below default_shoulder_position")
        low, high = self.shoulder_window
        if not mechanics.seat_line_position + 1 <= low < high <= mechanics.roller_positions - 1:
            raise ValueError(
                "shoulder_window must run upward, from at least one position above the seat "
                "line to at most the top of the track"
            )
        if not low <= mechanics.default_shoulder_position <= high:
            raise ValueError("default_shoulder_position must lie in the shoulder_window")
        heat = mechanics.heater_contact_c
        if heat is not None and heat > mechanics.heater_setpoint_c:
            raise ValueError("heater_contact_c cannot be hotter than heater_setpoint_c")
        for name in ("backrest_travel_s", "leg_rest_travel_s"):
            if getattr(mechanics, name) >= mechanics.actuator_timeout_s:
                # The firmware faults an actuator that travels this long without its limit.
                raise ValueError(f"{name} must be shorter than actuator_timeout_s")
        return self

    @property
    @abstractmethod
    def family(self) -> str:
        """The protocol family's name (a key of :data:`drivers.models.schema.MODEL_CLASSES`)."""

    @property
    def transports(self) -> frozenset[Transport]:
        """The kinds of link the chair can be reached on, from what :attr:`match` describes."""
        kinds: set[Transport] = set()
        if self.match.ble is not None:
            kinds.add("ble")
        if self.match.serial is not None:
            kinds.add("wired")
        return frozenset(kinds)

    @property
    def shoulder_window(self) -> tuple[float, float]:
        """The shoulder lines the body scan accepts, lowest first, in carriage positions."""
        mechanics = self.mechanics
        if mechanics.shoulder_window is not None:
            return mechanics.shoulder_window
        top = float(mechanics.roller_positions - 1)
        return top * 2 / 3, top

    @property
    def depth_retract_s(self) -> float:
        """How long the 3D axis takes from its deepest level to none: ``depth_travel_s`` runs
        from the weakest level to the strongest, one step short of the whole way."""
        levels = self.intensity_levels
        return self.mechanics.depth_travel_s * levels / max(1, levels - 1)

    @property
    def heat_contact_c(self) -> float | None:
        """The skin-contact temperature of a heater when on (None: no heater)."""
        if not self.heaters:
            return None
        mechanics = self.mechanics
        contact = mechanics.heater_contact_c
        return mechanics.heater_setpoint_c if contact is None else contact

    # Each family computes it once per model (a cached property): the judge asks per sample.
    @property
    @abstractmethod
    def capabilities(self) -> ChairCapabilities:
        """What the compiler may ask of this chair."""
