"""A decoded status as the JSON object ``chairctl decode`` prints, for every family that
decodes frames into a :class:`~chairctl.vocabulary.ChairStatus`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from chairctl.vocabulary import AirbagZone, ChairStatus


def _zones(zones: frozenset[AirbagZone]) -> list[str]:
    # Enum order (top of the body down) so equal statuses print identically.
    return [zone.value for zone in AirbagZone if zone in zones]


def status_record(
    status: ChairStatus, technique_label: Callable[[int], str | None] | None = None
) -> dict[str, Any]:
    """The JSON object for one status. ``technique_label`` names a technique code the model
    has no technique for (the family's own words for its codes); None: left unnamed."""
    technique = (
        status.technique.value
        if status.technique is not None
        else technique_label(status.technique_code)
        if technique_label is not None
        else None
    )
    return {
        "running": status.running,
        "work_state": status.work_state.value,
        "technique": technique,
        "technique_code": status.technique_code,
        "width": status.width.value if status.width else None,
        "speed": status.speed,
        "intensity": status.intensity,
        "range": status.massage_range.value if status.massage_range else None,
        "roller_position": status.roller_position,
        "heat": status.heat,
        "airbag_level": status.airbag_level,
        "airbag_program": _zones(status.airbag_program),
        "airbags_active": _zones(status.airbags_active),
        "foot_roller": status.foot_roller,
        "foot_roller_speed": status.foot_roller_speed,
        "remaining_s": status.remaining_s,
        "preset_minutes": status.preset_minutes,
        "error_code": status.error_code,
        "program": status.program,
        "program_code": status.program_code,
        "backrest": status.backrest.value,
        "leg_rest": status.leg_rest.value,
        "slide": status.slide.value,
        "zero_g": status.zero_g,
        "anion": status.anion,
        "unconfirmed": sorted(status.unconfirmed),
        **(status.detail.record() if status.detail is not None else {}),
    }
