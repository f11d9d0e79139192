"""A person's profile: who they are to the chair, what they prefer, and their health answers.

The health answers are what the person (or their carer) says, not a diagnosis; what they mean
for a session is decided by :mod:`chairctl.safety.screening`. Sources for the conditions:
docs/sources.md sections 4.2, 4.3 and 5.2.
"""

from __future__ import annotations

from typing import Annotated, Final

from pydantic import BaseModel, ConfigDict, Field, Strict, model_validator

from chairctl.vocabulary import MAX_INTENSITY, Condition, Intensity, Region
from chairctl.vocabulary.text import LineText

# Condition lives in the vocabulary (programs name conditions too); profiles still offer it.
__all__ = [
    "GUEST_NAME",
    "MAX_SHOULDER_POSITION",
    "Condition",
    "HealthScreening",
    "Profile",
    "guest_profile",
    "is_guest",
]

#: The highest carriage position any chair's status can report (a five-bit field, the widest
#: any family's status has).
MAX_SHOULDER_POSITION: Final = 31


class HealthScreening(BaseModel):
    """A person's answers to the health questions asked before their first session."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    age: Annotated[int, Strict()] | None = Field(
        None,
        ge=0,
        le=130,
        description="Age in years; None: not given (a guest), screened as an unknown adult age.",
    )
    conditions: frozenset[Condition] = Field(
        frozenset(), description="Conditions the person has, or might have."
    )
    first_use: bool = Field(
        True, description="True until the person has used a massage chair without trouble."
    )
    clinician_cleared: frozenset[Condition] = Field(
        frozenset(),
        description="Conditions a clinician has cleared for chair massage; only conditions that "
        "allow clearance are honoured.",
    )
    affected_regions: dict[Condition, frozenset[Region]] = Field(
        default_factory=dict,
        description="For a local condition (e.g. acute-strain), the regions it concerns; "
        "without it a local condition refuses the whole session.",
    )

    @model_validator(mode="after")
    def _declared(self) -> HealthScreening:
        # A clearance or a site for a condition the person did not declare is almost surely a
        # slip in the answers; refusing it makes them look again rather than guessing.
        for field, named in (
            ("clinician_cleared", self.clinician_cleared),
            ("affected_regions", set(self.affected_regions)),
        ):
            if stray := sorted(set(named) - self.conditions):
                raise ValueError(f"{field} names conditions not declared: {', '.join(stray)}")
        return self


class Profile(BaseModel):
    """One person: name, body scan, preferences and health answers."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: LineText = Field(
        min_length=1, max_length=80, description="Display name: plain text on one line."
    )
    shoulder_position: float | None = Field(
        None,
        gt=0,
        le=MAX_SHOULDER_POSITION,
        allow_inf_nan=False,
        description="Shoulder line measured on the chair, in its carriage positions; None: not "
        "measured. Used only where it lies in the chair's body-scan window, and only on a "
        "chair that does not report its own scan.",
    )
    intensity_offset: Annotated[int, Strict()] = Field(
        0, ge=-2, le=2, description="Added to every roller intensity, -2..+2."
    )
    max_intensity: Intensity = Field(MAX_INTENSITY, description="No roller intensity above.")
    focus_region: Region | None = Field(
        None, description="The region the person most wants worked, for choosing programs."
    )
    skip_regions: frozenset[Region] = Field(
        frozenset(), description="Regions the person does not want worked."
    )
    heat_allowed: bool = Field(True, description="False: the person does not want heat.")
    preferred_minutes: Annotated[int, Strict()] | None = Field(
        None, ge=5, le=30, description="Longest session the person wants; None: as written."
    )
    remote_start: bool = Field(
        False,
        description="May be started from the home network (Home Assistant, the MQTT bridge); "
        "off unless the person turns it on. A stop is always allowed from there.",
    )
    health: HealthScreening = Field(description="The person's health answers.")

    @model_validator(mode="after")
    def _name_not_blank(self) -> Profile:
        if not self.name.strip():
            raise ValueError("the name must not be blank")
        return self


#: The name of someone trying the chair without a profile of their own. A profile of that name
#: is a guest's: shared by whoever sits down, so nothing a person acknowledged is kept for it.
GUEST_NAME: Final = "Guest"


def guest_profile() -> Profile:
    """Someone without a profile: no age and no health answers given."""
    return Profile(name=GUEST_NAME, health=HealthScreening())


def is_guest(profile: Profile) -> bool:
    """Whether ``profile`` is a guest's (see :data:`GUEST_NAME`)."""
    return profile.name == GUEST_NAME
