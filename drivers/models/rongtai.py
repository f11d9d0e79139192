"""Rongtai H10 chair model files: the key codes of every function and the status forms.

The H10 family takes one key per frame (``F0 <device> <key> <sum> F1``) and answers with status
frames of a form per link (``docs/protocols/rongtai.md``). Most keys are toggles or cycles, so
the model names each function's key and how the status reports it.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property
from types import MappingProxyType
from typing import Annotated, Final, Literal

from pydantic import AfterValidator, Field, field_validator, model_validator

from chairctl.vocabulary import (
    AirbagZone,
    ChairCapabilities,
    Region,
    Technique,
    Width,
)
from chairctl.vocabulary.text import LineText
from drivers.models.common import ModelBase, Strict, TimerMinutes

#: Key codes no model may name, whatever function it gives them (protocols.md 1.4).
REFUSED_KEYS: Final[Mapping[int, str]] = MappingProxyType(
    {
        0x7E: "the reset key: it reboots the mainboard and the controller mid-session",
        0x7F: "the idle code (H10_KEY_NONE): the chair takes it as no key at all",
    }
)
#: Controller identities no model may send as (protocols.md 1.3): the firmware's engineering
#: and test mode, and program download, which writes the chair's flash.
REFUSED_DEVICE_BYTES: Final[Mapping[int, str]] = MappingProxyType(
    {
        0xBD: "the engineering/test identity (ENGGER_CTRL)",
        0xA5: "the program-download identity (PROGARM_CTRL), which writes the chair's flash",
    }
)


def _not_refused(code: int) -> int:
    if code in REFUSED_KEYS:
        raise ValueError(f"key 0x{code:02X} is {REFUSED_KEYS[code]}; chairctl never sends it")
    return code


#: A protocol key code; 7 bits, because the Rongtai checksum leaves no room for more; never
#: one of :data:`REFUSED_KEYS`.
KeyCode = Annotated[int, Field(ge=0x00, le=0x7F), AfterValidator(_not_refused)]

#: The chair's own names for its technique codes (status b1 bits 3..5); 0 means the rollers
#: rest. A fact of the protocol, not of a model: the vendor's app decodes them so for every
#: chair, and the RT6923 firmware encodes them so (protocols.md 1.5).
TECHNIQUE_LABELS: Final[Mapping[int, str]] = MappingProxyType(
    {
        1: "knead",
        2: "knock",
        3: "knead+knock",
        4: "tap",
        5: "shiatsu",
        6: "rhythm",
        7: "rubbing",
    }
)
#: Our techniques that one of those codes is exactly; a model may map the others onto the
#: remaining codes only as approximations.
TECHNIQUE_CODES: Final[Mapping[Technique, int]] = MappingProxyType(
    {
        Technique.KNEAD: 1,
        Technique.KNOCK: 2,
        Technique.KNEAD_KNOCK: 3,
        Technique.TAP: 4,
        Technique.SHIATSU: 5,
    }
)


#: Which reading of the status frame a chair's firmware follows (``protocol.status_map``).
#: ``firmware``: the RT6923 mainboard's encoder (``Main_Send``, ``Main_BlueToothSend``), which
#: real RT8600S/Infinity captures follow: program 11 is 3D, b1 bit 1 is never set.
#: ``ios-app``: the vendor's 2015 iOS decoder (``RTBleConnector.m``): programs 8..11 are the
#: downloaded programs 1..4 and 12 is 3D; b1 bit 1 set means the leg rest does not extend.
StatusMap = Literal["firmware", "ios-app"]

#: Program codes (b13 bits 2..5) whose meaning each status map fixes for every chair that
#: follows it; codes 1..6 are the model's built-in programs.
PROGRAM_TABLES: Final[Mapping[StatusMap, Mapping[int, str]]] = MappingProxyType(
    {
        # RT6923 main.c: 7 << 2 for any other running mode, 0x0B << 2 for its 3D main mode.
        "firmware": MappingProxyType({7: "manual", 11: "3d"}),
        "ios-app": MappingProxyType(
            {
                7: "manual",
                8: "network 1",
                9: "network 2",
                10: "network 3",
                11: "network 4",
                12: "3d",
            }
        ),
    }
)


class StatusForm(Strict):
    """One shape of status frame a chair sends on one kind of link."""

    length: int = Field(ge=3, le=64, description="Bytes per frame, start and end markers included.")
    checksum: bool = Field(description="Whether the byte before the end marker is a checksum.")
    period_ms: int = Field(ge=10, le=2000, description="How often the chair sends a status frame.")


class RongtaiProtocol(Strict):
    """Which wire protocol, and which variant of it."""

    family: Literal["rongtai-h10"] = Field(description="The protocol family.")
    device_byte: int = Field(
        0x83, ge=0x80, le=0xFF, description="Controller identity byte put in every key frame."
    )
    status_forms: dict[Literal["ble", "wired"], StatusForm] = Field(
        description="The status frame the chair sends on each kind of link."
    )
    status_map: StatusMap = Field(
        "firmware",
        description="Which reading of the status frame the chair follows: 'firmware' (the "
        "mainboard firmware and real RT8600S captures: program 11 is 3D) or 'ios-app' (the "
        "vendor's older iOS app: programs 8..11 are downloaded programs, 12 is 3D).",
    )

    @field_validator("device_byte")
    @classmethod
    def _not_privileged(cls, value: int) -> int:
        if value in REFUSED_DEVICE_BYTES:
            raise ValueError(
                f"device byte 0x{value:02X} is {REFUSED_DEVICE_BYTES[value]}: an engineering or "
                "program-download identity, never chairctl's"
            )
        if value in (0xF0, 0xF1):
            raise ValueError(f"device byte 0x{value:02X} is a frame marker")
        return value


class TechniqueKey(Strict):
    """How one program technique is selected and how the status reports it."""

    key: KeyCode = Field(description="The key that selects the technique.")
    status_code: int = Field(ge=1, le=7, description="The technique number in status frames.")
    approximates: bool = Field(
        False, description="True when the chair's technique only approximates ours."
    )


class AutoProgram(Strict):
    """A program built into the chair."""

    key: KeyCode = Field(description="The key that starts it.")
    status_code: int = Field(ge=1, description="Its program number in status frames.")
    name: LineText = Field(min_length=1, max_length=80, description="What the chair calls it.")
    regions: list[Region] = Field(description="The roller regions it works.")


class AirbagGroup(Strict):
    """A key that toggles a group of airbag zones in the chair's airbag program."""

    key: KeyCode = Field(description="The key that toggles the group.")
    zones: list[AirbagZone] = Field(min_length=1, description="The zones it works.")


class HoldKeys(Strict):
    """A hold-to-move function: START and STOP keys, each direction."""

    up_start: KeyCode
    up_stop: KeyCode
    down_start: KeyCode
    down_stop: KeyCode


class Keys(Strict):
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
    session_presets: dict[TimerMinutes, KeyCode] = Field(
        default_factory=dict,
        description="Session length in minutes (at most the session cap) -> key.",
    )
    auto_programs: list[AutoProgram] = Field(default_factory=list, description="Built-ins.")
    walk: HoldKeys = Field(description="Roller carriage up/down.")
    backrest: HoldKeys | None = Field(None, description="Backrest actuator.")
    leg_rest: HoldKeys | None = Field(None, description="Leg-rest actuator.")
    zero_gravity: KeyCode | None = Field(None, description="Zero-gravity toggle.")
    anion_toggle: KeyCode | None = Field(
        None,
        description="Toggles the anion (ionizer). The driver never presses it; a person may, "
        "at the remote, and the status shows it.",
    )

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
            "anion_toggle": self.anion_toggle,
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


class RongtaiModel(ModelBase):
    """A chair of the Rongtai H10 family."""

    protocol: RongtaiProtocol = Field(description="Wire protocol and variant.")
    keys: Keys = Field(description="Key codes.")

    @property
    def family(self) -> str:
        return self.protocol.family

    @model_validator(mode="after")
    def _keys_consistent(self) -> RongtaiModel:
        used: dict[int, str] = {}
        for name, code in self.keys.all_codes():
            if code in used:
                raise ValueError(f"keys {used[code]} and {name} share the code 0x{code:02X}")
            used[code] = name
        codes = [t.status_code for t in self.keys.techniques.values()]
        if len(codes) != len(set(codes)):
            raise ValueError("two techniques share a status code")
        # The status names the technique by the protocol's own numbering: a file that says
        # otherwise would have the driver confirm one technique while the chair does another.
        for technique, spec in self.keys.techniques.items():
            exact = TECHNIQUE_CODES.get(technique)
            meaning = TECHNIQUE_LABELS.get(spec.status_code, "unknown")
            if exact is not None and spec.status_code != exact:
                raise ValueError(
                    f"techniques.{technique}: status code {spec.status_code} is {meaning} in "
                    f"the H10 status (protocols.md 1.5); {technique} is {exact}"
                )
            if exact is None and spec.status_code in TECHNIQUE_CODES.values():
                raise ValueError(
                    f"techniques.{technique}: status code {spec.status_code} is {meaning} in "
                    f"the H10 status (protocols.md 1.5), not {technique}"
                )
        programs = [p.status_code for p in self.keys.auto_programs]
        if len(programs) != len(set(programs)):
            raise ValueError("two auto programs share a status code")
        # In the Rongtai status frame, codes from 7 up are the manual, 3D (and, on chairs
        # following the iOS app's table, downloaded) modes.
        if any(code > 6 for code in programs):
            raise ValueError("rongtai-h10 auto programs have status codes 1..6")
        return self

    @cached_property
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
            # The intensity key only steps up (wrapping at the top): lowering it means a restart.
            intensity_steps_down=False,
            # No key stops the rollers alone: resting them is a restart, airbags and all.
            rollers_rest_alone=False,
            restart_s=self.mechanics.roller_travel_s / 2
            + self.mechanics.body_scan_s
            + self.timing.power_to_mode_s,
            heat_contact_c=self.heat_contact_c,
        )
