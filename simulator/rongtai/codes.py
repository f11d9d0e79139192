"""The H10 protocol's fixed numbering, as the simulated firmware reports it.

These are facts of the protocol (protocols.md section 1.5), not of a chair model: work-state
numbers, width, range and preset codes, airbag bits, actuator motion codes. Key codes and
technique/program status codes are per model and come from the model file instead. Error codes
are the simulator's own: the public sources name the RT6923 fault classes but not their numbers.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Final

from chairctl.vocabulary import ActuatorMotion, AirbagZone, MassageRange, Width, WorkState

WORK_STATE_CODES: Final[dict[WorkState, int]] = {
    WorkState.STANDBY: 0,
    WorkState.RESETTING: 1,
    WorkState.WAITING: 2,
    WorkState.RUNNING: 3,
    WorkState.STORING: 4,
    WorkState.FAULT: 5,
}
WIDTH_CODES: Final[dict[Width, int]] = {Width.NARROW: 1, Width.MEDIUM: 2, Width.WIDE: 3}
RANGE_CODES: Final[dict[MassageRange, int]] = {
    MassageRange.FULL: 1,
    MassageRange.PARTIAL: 2,
    MassageRange.POINT: 3,
}
#: Session preset minutes -> b12 bits 0-1.
PRESET_CODES: Final[dict[int, int]] = {10: 1, 20: 2, 30: 3}
#: b13 program number of a manually chosen massage.
MANUAL_PROGRAM: Final = 7
MOTION_CODES: Final[dict[ActuatorMotion, int]] = {
    ActuatorMotion.STOPPED: 0,
    ActuatorMotion.UP: 1,
    ActuatorMotion.DOWN: 2,
}
#: b13 bits 0-1. The field map names the field but not its values; the simulator reports the
#: carriage like the actuators: 1 moving up, 2 moving down.
DIRECTION_UP: Final = 1
DIRECTION_DOWN: Final = 2

#: Zones whose inflation b6 bits 0-4 report (foot, calf, thigh, seat, arm).
AIRBAG_BITS_B6: Final[dict[AirbagZone, int]] = {
    AirbagZone.FEET: 0,
    AirbagZone.CALVES: 1,
    AirbagZone.THIGHS: 2,
    AirbagZone.SEAT: 3,
    AirbagZone.ARMS: 4,
}
#: Zones whose inflation b7 bits 4-6 report (shoulder, back/waist; the neck has no zone here).
AIRBAG_BITS_B7: Final[dict[AirbagZone, int]] = {AirbagZone.SHOULDERS: 0, AirbagZone.WAIST: 1}
#: b12 airbag-program bits 2-5 (shifted down) and the body parts each names.
AIRBAG_PROGRAM_BITS: Final[tuple[tuple[int, frozenset[AirbagZone]], ...]] = (
    (0, frozenset({AirbagZone.CALVES, AirbagZone.FEET})),
    (1, frozenset({AirbagZone.WAIST})),
    (2, frozenset({AirbagZone.ARMS, AirbagZone.SHOULDERS})),
    (3, frozenset({AirbagZone.SEAT, AirbagZone.THIGHS})),
)
#: b12 bit 6, shifted down: the full-body airbag program.
AIRBAG_PROGRAM_FULL_BODY: Final = 4


class ErrorCode(IntEnum):
    """Error codes the simulated firmware shows in b4/b5 in fault state (its own numbering)."""

    BACKREST_TIMEOUT = 11
    LEG_REST_TIMEOUT = 12
    WALK_OVERLOAD = 21
    KNEAD_OVERLOAD = 22
    KNOCK_OVERLOAD = 23
    FOOT_ROLLER_OVERLOAD = 24


def airbag_program_bits(zones: frozenset[AirbagZone]) -> int:
    """b12 bits 2-5 (shifted down) for an airbag program of group keys working ``zones``:
    each body part with a zone in the program lights its bit. The firmware ORs the groups
    (``nKeyAirBagLocate |= ...``), so even all of them is not the full-body program, bit 6,
    which only a built-in program selects."""
    bits = 0
    for bit, part in AIRBAG_PROGRAM_BITS:
        if zones & part:
            bits |= 1 << bit
    return bits
