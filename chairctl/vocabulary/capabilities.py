"""What a chair can physically do, as data the compiler and the drivers both understand.

Chair model files (``drivers/models``) produce a :class:`ChairCapabilities`; the compiler reads
it to decide what a program can be mapped onto. :data:`FULL_FEATURED` stands for a chair that
can do everything the program format can say.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from chairctl.vocabulary.terms import (
    AirbagZone,
    Heater,
    HeatLevel,
    Posture,
    Region,
    Technique,
    TrackType,
    Width,
)

#: Regions each track shape reaches; only tracks that run under the seat reach the glutes.
TRACK_REACH: dict[TrackType, frozenset[Region]] = {
    TrackType.S: frozenset(Region) - {Region.SACRUM_GLUTES},
    TrackType.L: frozenset(Region),
    TrackType.SL: frozenset(Region),
    TrackType.FLEX: frozenset(Region),
}


class ChairCapabilities(BaseModel):
    """The control surface of one chair model."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    track: TrackType = Field(description="Shape of the roller track.")
    techniques: frozenset[Technique] = Field(description="Techniques the chair can perform.")
    intensity_levels: int = Field(
        ge=1, le=5, description="Distinct roller intensities (3D depths); 1 means no 3D."
    )
    speeds: int = Field(ge=1, le=6, description="Distinct roller speeds.")
    widths: frozenset[Width] = Field(description="Kneading widths the chair can select.")
    airbag_zones: frozenset[AirbagZone] = Field(description="Airbag zones present.")
    airbag_levels: int = Field(ge=0, le=5, description="Airbag pressure levels (0: no airbags).")
    airbag_groups: tuple[frozenset[AirbagZone], ...] = Field(
        (),
        description="Zones the chair can only inflate together (one key works them all); a "
        "zone in no group is worked on its own.",
    )
    heaters: frozenset[Heater] = Field(description="Heaters present.")
    heat_levels: frozenset[HeatLevel] = Field(description="Heat levels a heater can be set to.")
    foot_roller_speeds: int = Field(ge=0, le=3, description="Foot-roller speeds (0: none).")
    postures: frozenset[Posture] = Field(description="Postures the chair can take.")
    intensity_steps_down: bool = Field(
        True,
        description="False when the chair lowers its roller intensity only by stopping the "
        "rollers and starting them again (a restart: return home and body scan), which begins "
        "a new contact with the body.",
    )
    rollers_rest_alone: bool = Field(
        True,
        description="False when the chair rests its rollers only by switching off and on "
        "again (a restart), which vents its airbags too and begins new contacts.",
    )
    restart_s: float = Field(
        0.0,
        ge=0,
        description="How long a restart takes before the chair works again (return home, body "
        "scan, the wait after power-on): where a plan expects its new contacts to begin.",
    )
    airbag_fixed_level: int | None = Field(
        None,
        ge=1,
        le=5,
        description="The one pressure, on the program's 1..5 scale, of a chair whose airbag "
        "pressure cannot be set; None when it can.",
    )
    heat_contact_c: float | None = Field(
        None,
        description="The skin-contact temperature a heater settles at when on, by the chair "
        "model's contact model; None when the chair has no heater.",
    )
    stop_moves_posture: bool = Field(
        True,
        description="True when the chair's safe release (its power key) also drives the "
        "backrest and leg rest home, as every family supported today does.",
    )

    def inflated_with(self, zone: AirbagZone) -> frozenset[AirbagZone]:
        """Every zone that inflates when ``zone`` does, ``zone`` included."""
        together = {zone}
        for group in self.airbag_groups:
            if zone in group:
                together |= group
        return frozenset(together)

    @property
    def regions(self) -> frozenset[Region]:
        """Roller regions the track reaches."""
        return TRACK_REACH[self.track]


#: A chair that can do everything a program can ask for.
FULL_FEATURED = ChairCapabilities(
    track=TrackType.SL,
    techniques=frozenset(Technique),
    intensity_levels=5,
    speeds=5,
    widths=frozenset(Width),
    airbag_zones=frozenset(AirbagZone),
    airbag_levels=5,
    heaters=frozenset(Heater),
    heat_levels=frozenset(HeatLevel),
    foot_roller_speeds=3,
    postures=frozenset(Posture),
    heat_contact_c=40.0,
)
