"""Desired state (:class:`Setpoint`) and observed state (:class:`ChairStatus`) of a chair.

A Setpoint is what a plan asks for at one moment; a ChairStatus is what the chair reports.
Drivers reconcile the two. Both are immutable values.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, SerializeAsAny, field_validator

from chairctl.vocabulary.terms import (
    DEFAULT_INTENSITY,
    DEFAULT_SPEED,
    ActuatorMotion,
    AirbagLevel,
    AirbagZone,
    FootRollerLevel,
    Heater,
    HeatLevel,
    Intensity,
    MassageRange,
    Posture,
    Region,
    Speed,
    Technique,
    Width,
    WorkState,
    ordered_span,
)


class Setpoint(BaseModel):
    """Everything the chair should be doing at one moment."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    technique: Technique = Field(Technique.NONE, description="What the rollers do.")
    regions: tuple[Region, ...] = Field(
        (), description="The roller region, or the adjacent regions of a span, top first."
    )
    intensity: Intensity = Field(DEFAULT_INTENSITY, description="Roller intensity 1..5.")
    speed: Speed = Field(DEFAULT_SPEED, description="Roller speed 1..5.")
    width: Width = Field(Width.MEDIUM, description="Kneading width.")
    airbags: Annotated[
        dict[AirbagZone, AirbagLevel], Field(description="Airbag level per zone; absent is 0.")
    ] = Field(default_factory=dict)
    heat: Annotated[
        dict[Heater, HeatLevel], Field(description="Heat per heater; absent is off.")
    ] = Field(default_factory=dict)
    foot_rollers: FootRollerLevel = Field(0, description="Foot-roller speed, 0 is off.")
    posture: Posture = Field(Posture.UPRIGHT, description="Backrest and leg-rest position.")
    keep_off: frozenset[Region] = Field(
        frozenset(),
        description="Regions the rollers must stay clear of, with a margin, whatever they work "
        "(the regions a person's profile or health answers exclude).",
    )

    @field_validator("regions")
    @classmethod
    def _top_first(cls, regions: tuple[Region, ...]) -> tuple[Region, ...]:
        return ordered_span(regions)

    @field_validator("airbags")
    @classmethod
    def _drop_zero_airbags(cls, airbags: dict[AirbagZone, int]) -> dict[AirbagZone, int]:
        # Absent and 0 mean the same; keeping one spelling makes equal setpoints compare equal.
        return {zone: level for zone, level in sorted(airbags.items()) if level > 0}

    @field_validator("heat")
    @classmethod
    def _drop_heat_off(cls, heat: dict[Heater, HeatLevel]) -> dict[Heater, HeatLevel]:
        return {h: level for h, level in sorted(heat.items()) if level is not HeatLevel.OFF}

    @property
    def rollers_active(self) -> bool:
        """True when the roller carriage is asked to work a region."""
        return self.technique not in (Technique.NONE, Technique.STRETCH) and bool(self.regions)

    def airbag(self, zone: AirbagZone) -> int:
        """The level asked of one airbag zone (0 when off)."""
        return self.airbags.get(zone, 0)

    def heat_of(self, heater: Heater) -> HeatLevel:
        """The level asked of one heater."""
        return self.heat.get(heater, HeatLevel.OFF)

    def __hash__(self) -> int:
        return hash(
            (
                self.technique,
                self.regions,
                self.intensity,
                self.speed,
                self.width,
                tuple(self.airbags.items()),
                tuple(self.heat.items()),
                self.foot_rollers,
                self.posture,
                self.keep_off,
            )
        )


#: The safe state: nothing moves, nothing presses, nothing heats.
SAFE_SETPOINT = Setpoint()


class StatusDetail(BaseModel):
    """What one family's status reports beyond :class:`ChairStatus`'s shared fields: the
    chair's own codes and flags. Each family derives its own (in ``drivers/protocols/F``); only
    that family's adapter reads it, and reports print it as it is."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    def record(self) -> dict[str, object]:
        """The fields as a JSON object, for ``decode`` and the session log."""
        return self.model_dump(mode="json")


class ChairStatus(BaseModel):
    """What a chair last reported about itself, normalised across protocols.

    Fields a protocol does not report keep their defaults. ``technique_code`` and
    ``program_code`` keep the chair's own numbers where our vocabulary has no word for them;
    whatever else a family reports is in its own :attr:`detail`.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    running: bool = Field(
        False, description="The chair is on (out of standby); see work_state for what it does."
    )
    work_state: WorkState = Field(WorkState.STANDBY, description="The mainboard's state.")
    technique: Technique | None = Field(None, description="The technique, None when stopped.")
    technique_code: int = Field(0, ge=0, description="The chair's own technique number.")
    width: Width | None = Field(None, description="Kneading width, None when unknown.")
    speed: int = Field(0, ge=0, le=6, description="Mechanism speed, 0 when stopped.")
    intensity: int = Field(0, ge=0, le=5, description="Roller intensity (3D strength).")
    massage_range: MassageRange | None = Field(None, description="Full, partial or point.")
    roller_position: int = Field(0, ge=0, description="Roller carriage position, 0 = bottom.")
    heat: bool = Field(False, description="Some heater is on.")
    airbag_level: int = Field(0, ge=0, le=5, description="Airbag pressure level, 0 is off.")
    airbag_program: frozenset[AirbagZone] = Field(
        frozenset(), description="Zones the selected airbag program works."
    )
    airbags_active: frozenset[AirbagZone] = Field(
        frozenset(), description="Zones inflating right now."
    )
    foot_roller: bool = Field(False, description="The foot roller turns.")
    foot_roller_speed: int = Field(0, ge=0, le=3, description="0 auto, 1 slow .. 3 fast.")
    remaining_s: int = Field(0, ge=0, description="Seconds left on the session timer.")
    preset_minutes: int | None = Field(None, description="The session preset, if any.")
    error_code: int | None = Field(None, description="The chair's error code in fault state.")
    program: str | None = Field(None, description="The chair's running program, by name.")
    program_code: int = Field(0, ge=0, description="The chair's own program number.")
    backrest: ActuatorMotion = Field(ActuatorMotion.STOPPED, description="Backrest motion.")
    leg_rest: ActuatorMotion = Field(ActuatorMotion.STOPPED, description="Leg-rest motion.")
    slide: ActuatorMotion = Field(ActuatorMotion.STOPPED, description="Slide/zero-G motion.")
    zero_g: bool = Field(False, description="The zero-gravity position is reached.")
    shoulder_position: float | None = Field(
        None,
        description="The shoulder line the chair's own body scan found, in carriage positions; "
        "None when the chair does not report one (or has not scanned).",
    )
    anion: bool | None = Field(
        None, description="The anion (ionizer) is on; None when the chair does not report one."
    )
    unconfirmed: frozenset[str] = Field(
        frozenset(),
        description="The names of fields this chair's status reports but cannot be believed "
        "for (its own bits are known to lag or lie): shown as such, never as the chair's word.",
    )
    detail: SerializeAsAny[StatusDetail] | None = Field(
        None,
        description="What this family's status says beyond the shared fields (its own codes "
        "and flags), for its adapter and for reports; None when it says nothing more.",
    )

    @property
    def actuators_moving(self) -> bool:
        """True while any linear actuator is driven."""
        return any(
            m is not ActuatorMotion.STOPPED for m in (self.backrest, self.leg_rest, self.slide)
        )
