"""What a person's preferences and health caps ask of the compiler."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, Strict

from chairctl.vocabulary import MAX_INTENSITY, AirbagZone, Intensity, Region


class Personalisation(BaseModel):
    """The adjustments one person brings to every program.

    Profiles (with their health screening) produce one of these; the compiler applies it after
    the program and before the safety rules, which always win.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    intensity_offset: Annotated[int, Strict()] = Field(
        0, ge=-2, le=2, description="Added to every roller intensity, -2..+2."
    )
    max_intensity: Intensity = Field(MAX_INTENSITY, description="No roller intensity above.")
    skip_regions: frozenset[Region] = Field(
        frozenset(), description="Regions the rollers must not work."
    )
    heat_allowed: bool = Field(True, description="False turns every heater off.")
    percussion_allowed: bool = Field(True, description="False replaces percussion by kneading.")
    stretch_allowed: bool = Field(True, description="False rests the chair instead of stretching.")
    airbags_off: frozenset[AirbagZone] = Field(
        frozenset(), description="Airbag zones that must stay deflated."
    )
    max_minutes: Annotated[int, Strict()] | None = Field(
        None,
        ge=1,
        le=30,
        description="A longer plan is scaled down to this many minutes; None: as written.",
    )
    focus_region: Region | None = Field(
        None, description="Steps working this region get more time, the others less."
    )


#: Nobody's adjustments: the program as written.
AS_WRITTEN = Personalisation()
