"""NCNI chair model files: the panel's key codes and what the chair's modes work.

An NCNI chair is driven the way its touch panel drives it: one byte per 100 ms tick, every key
a toggle or a cycle (``docs/protocols/ncni.md``). The chair cannot be told a technique or a
roller position; it has two manual modes, back and waist or neck, that work their regions with
techniques of the chair's own choosing. A model file says which regions and techniques those
are, the key codes (the known panel's by default), the timer's steps, and which reading of the
panel's "pressure" it assumes (:data:`PressureReading`).
"""

from __future__ import annotations

from functools import cached_property
from typing import Annotated, Literal

from pydantic import Field, model_validator

from chairctl.vocabulary import (
    AirbagZone,
    ChairCapabilities,
    Region,
    Technique,
    Width,
)
from drivers.models.common import ModelBase, RollerMode, Strict, TimerMinutes

#: A panel key code: one byte, 0x00 being "no key".
PanelCode = Annotated[int, Field(ge=0x01, le=0xFF)]

#: The chair's manual modes.
ManualModeName = Literal["back_waist", "neck"]

#: What the panel's pressure keys set. ``roller_depth``: how deep the rollers press (the
#: airbags keep one pressure of their own); ``airbag_pressure``: how hard the airbags squeeze
#: (the rollers keep a depth of their own). The upstream project's panel shows its pressure
#: control only while an airbag zone is on, which suggests the second; the status cannot tell.
PressureReading = Literal["roller_depth", "airbag_pressure"]

#: The airbag zone each airbag key works, in the order of its status bits (shoulders,
#: forearms, legs).
AIRBAG_ZONES: dict[str, AirbagZone] = {
    "shoulders_arms": AirbagZone.SHOULDERS,
    "forearms": AirbagZone.ARMS,
    "legs": AirbagZone.CALVES,
}


class NcniProtocol(Strict):
    """The NCNI panel protocol, as this chair speaks it."""

    family: Literal["ncni"] = Field(description="The protocol family.")
    status_period_ms: int = Field(
        100, ge=10, le=1000, description="How often the chair sends a status frame."
    )


class NcniKeys(Strict):
    """The panel's key codes; the defaults are the known panel's."""

    power: PanelCode = 0x01
    foot_speed: PanelCode = 0x02
    heat: PanelCode = 0x03
    full_body: PanelCode = 0x04
    auto: PanelCode = 0x05
    backrest_down: PanelCode = 0x06
    time: PanelCode = 0x07
    zero_gravity: PanelCode = 0x08
    backrest_up: PanelCode = 0x09
    pause: PanelCode = 0x0B
    foot_massage: PanelCode = 0x0D
    buttocks: PanelCode = 0x0E
    pressure_down: PanelCode = 0x0F
    pressure_up: PanelCode = 0x10
    legs: PanelCode = 0x11
    forearms: PanelCode = 0x12
    shoulders_arms: PanelCode = 0x13
    speed_down: PanelCode = 0x14
    speed_up: PanelCode = 0x15
    forward_back_1: PanelCode = 0x16
    back_waist: PanelCode = 0x17
    forward_back_2: PanelCode = 0x18
    neck: PanelCode = 0x19

    def names(self) -> dict[int, str]:
        """Key code -> the function's name."""
        return {code: name for name, code in self.model_dump().items()}


def _default_modes() -> dict[ManualModeName, RollerMode]:
    return {
        "back_waist": RollerMode(
            regions=[Region.SHOULDERS, Region.UPPER_BACK, Region.MID_BACK, Region.LOWER_BACK],
            techniques=[Technique.KNEAD, Technique.SHIATSU],
        ),
        "neck": RollerMode(regions=[Region.NECK], techniques=[Technique.KNEAD]),
    }


class NcniModel(ModelBase):
    """A chair of the NCNI panel family."""

    protocol: NcniProtocol = Field(description="Wire protocol and status period.")
    keys: NcniKeys = Field(default_factory=NcniKeys, description="Panel key codes.")
    manual_modes: dict[ManualModeName, RollerMode] = Field(
        default_factory=_default_modes,
        description="What each manual mode works, and with which techniques.",
    )
    pressure: PressureReading = Field(
        "roller_depth",
        description="What the panel's pressure keys set, which the status cannot show. "
        "chairctl keeps its rules under either reading: no neck mode while the pressure is "
        "above 1, and airbags only at a pressure whose level, read either way, is not above "
        "the level asked. With airbag_pressure the neck mode is never used, since nothing "
        "then bounds the rollers' depth at the neck.",
    )
    airbag_level: int = Field(
        3,
        ge=1,
        le=5,
        description="The one pressure its airbags inflate to, on the program's 1..5 scale, "
        "when the pressure keys set the rollers' depth (with airbag_pressure, the pressure "
        "level read on the 1, 3, 5 scale of the status) [assumed: the status shows none].",
    )
    session_minutes: list[TimerMinutes] = Field(
        [15, 20, 25, 30],
        min_length=1,
        description="The timer's steps in the order the time key cycles them; the first is "
        "where the chair starts after power-on. Each at most the session cap.",
    )

    @property
    def family(self) -> str:
        return self.protocol.family

    @model_validator(mode="after")
    def _consistent(self) -> NcniModel:
        codes = self.keys.model_dump()
        seen: dict[int, str] = {}
        for name, code in codes.items():
            if code in seen:
                raise ValueError(f"keys {seen[code]} and {name} share the code 0x{code:02X}")
            seen[code] = name
        if self.intensity_levels > 3:
            raise ValueError("intensity_levels is at most 3: the status reports three levels")
        if len(set(self.session_minutes)) != len(self.session_minutes):
            raise ValueError("session_minutes repeats a step")
        return self

    @cached_property
    def capabilities(self) -> ChairCapabilities:
        """What the compiler may ask of this chair."""
        techniques = {t for mode in self.manual_modes.values() for t in mode.techniques}
        return ChairCapabilities(
            track=self.track,
            techniques=frozenset({*techniques, Technique.NONE}),
            intensity_levels=self.intensity_levels,
            # The status reports no roller speed or width, so neither can be confirmed.
            speeds=1,
            widths=frozenset({Width.MEDIUM}),
            airbag_zones=frozenset(AIRBAG_ZONES.values()),
            airbag_levels=1,
            heaters=frozenset(self.heaters),
            heat_levels=frozenset(self.heat_levels),
            # The foot-speed byte reads the same for "off" and "slowest", so whether the foot
            # rollers turn cannot be confirmed: chairctl leaves them off.
            foot_roller_speeds=0,
            postures=frozenset(self.postures),
            heat_contact_c=self.heat_contact_c,
            airbag_fixed_level=self.airbag_level,
        )
