"""What one person brings to every program: their preferences under their health caps.

A profile and its screening (:mod:`chairctl.safety.screening`) produce one of these. The
compiler applies it after the program and before the hard rules, and the engine's runtime
guard holds every setpoint to it, planned or live (:mod:`chairctl.safety.rules`).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, Strict

from chairctl.vocabulary import MAX_INTENSITY, AirbagLevel, AirbagZone, Intensity, Region


class Personalisation(BaseModel):
    """The adjustments and the limits one person brings to every program."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    intensity_offset: Annotated[int, Strict()] = Field(
        0, ge=-2, le=2, description="Added to every roller intensity, -2..+2."
    )
    max_intensity: Intensity = Field(MAX_INTENSITY, description="No roller intensity above.")
    skip_regions: frozenset[Region] = Field(
        frozenset(), description="Regions the rollers must not work, and must keep clear of."
    )
    heat_allowed: bool = Field(True, description="False turns every heater off.")
    percussion_allowed: bool = Field(True, description="False replaces percussion by kneading.")
    stretch_allowed: bool = Field(True, description="False rests the chair instead of stretching.")
    recline_allowed: bool = Field(
        True, description="False keeps the backrest and leg rest upright."
    )
    airbags_off: frozenset[AirbagZone] = Field(
        frozenset(), description="Airbag zones that must stay deflated."
    )
    max_airbag: AirbagLevel = Field(5, description="No airbag pressure above.")
    max_minutes: Annotated[int, Strict()] | None = Field(
        None,
        ge=1,
        le=30,
        description="A longer plan is scaled down to this many minutes; None: as written.",
    )
    focus_region: Region | None = Field(
        None, description="Steps working this region get more time, the others less."
    )
    reasons: dict[str, str] = Field(
        default_factory=dict,
        description="Why a limit is what it is, by limit ('intensity', 'airbags', 'airbags-off', "
        "'heat', 'percussion', 'stretch', 'recline', 'regions', 'minutes'), in a few words "
        "('osteoporosis').",
    )

    def upright(self, reason: str) -> Personalisation:
        """These limits with no recline, for ``reason`` (a few words)."""
        return self.model_copy(
            update={"recline_allowed": False, "reasons": {**self.reasons, "recline": reason}}
        )

    def why(self, limit: str) -> str:
        """ " (osteoporosis)" when the limit has a reason, "" otherwise."""
        reason = self.reasons.get(limit)
        return f" ({reason})" if reason else ""


#: Nobody's adjustments: the program as written.
AS_WRITTEN = Personalisation()
