"""Decoding of Rongtai H10 status fields (b1..b14) into a :class:`ChairStatus`.

The bit layout is the protocol family's; what the numbers mean on one chair (which of our
techniques a technique code is, what a built-in program is called, which program table its
firmware follows) comes from its model file. A value :class:`ChairStatus` cannot hold
faithfully (an undefined work state, a speed of 7) refuses the frame: guessing would hand the
driver a state the chair is not in.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

from chairctl.vocabulary import (
    ActuatorMotion,
    AirbagZone,
    ChairStatus,
    MassageRange,
    ProtocolError,
    Technique,
    Width,
    WorkState,
)
from drivers.models.rongtai import PROGRAM_TABLES, TECHNIQUE_LABELS, RongtaiModel, StatusMap
from drivers.protocols.rongtai.detail import RongtaiDetail
from drivers.protocols.rongtai.frames import STATUS_FIELDS, status_fields

#: The name of the 3D program in every program table: the rollers work while the technique
#: field reads 0 (RT6923 ``Main_Send``: "in 3D the technique is shown as stopped").
PROGRAM_3D: Final = "3d"

_WORK_STATES: Final = (
    WorkState.STANDBY,
    WorkState.RESETTING,
    WorkState.WAITING,
    WorkState.RUNNING,
    WorkState.STORING,
    WorkState.FAULT,
)
_WIDTHS: Final = (None, Width.NARROW, Width.MEDIUM, Width.WIDE)
_RANGES: Final = (None, MassageRange.FULL, MassageRange.PARTIAL, MassageRange.POINT)
_MOTIONS: Final = (ActuatorMotion.STOPPED, ActuatorMotion.UP, ActuatorMotion.DOWN)
_PRESET_MINUTES: Final = (None, 10, 20, 30)

#: b6 bits 0..4, one zone per bit.
_ACTIVE_B6: Final = (
    AirbagZone.FEET,
    AirbagZone.CALVES,
    AirbagZone.THIGHS,
    AirbagZone.SEAT,
    AirbagZone.ARMS,
)
#: b7 bits 4..6. Our vocabulary has no neck airbag zone; the neck bags sit in the shoulder
#: wings of the backrest on these chairs, so a working neck bag is reported as shoulders.
_ACTIVE_B7: Final = (AirbagZone.SHOULDERS, AirbagZone.WAIST, AirbagZone.SHOULDERS)
#: b12 bits 2..6: the airbag programs the chair's group keys select, as the zones they work.
_PROGRAM_B12: Final = (
    frozenset({AirbagZone.CALVES, AirbagZone.FEET}),
    frozenset({AirbagZone.WAIST}),
    frozenset({AirbagZone.ARMS, AirbagZone.SHOULDERS}),
    frozenset({AirbagZone.SEAT, AirbagZone.THIGHS}),
    frozenset(AirbagZone),
)

MAX_SPEED: Final = 6
MAX_LEVEL: Final = 5


@dataclass(frozen=True)
class StatusCodes:
    """The model-specific meaning of status numbers: technique codes, program codes and the
    status map the chair's firmware follows."""

    techniques: Mapping[int, Technique]
    programs: Mapping[int, str]
    status_map: StatusMap = "firmware"

    @classmethod
    def of(cls, model: RongtaiModel) -> StatusCodes:
        """The codes one chair model declares."""
        return cls(
            techniques=MappingProxyType(
                {key.status_code: technique for technique, key in model.keys.techniques.items()}
            ),
            programs=MappingProxyType(
                {program.status_code: program.name for program in model.keys.auto_programs}
            ),
            status_map=model.protocol.status_map,
        )

    def program_name(self, code: int) -> str | None:
        """The name of program ``code``; None for 0 (no program)."""
        if code == 0:
            return None
        # The table's fixed codes win over a model that claims one of them by mistake.
        fixed = PROGRAM_TABLES[self.status_map].get(code)
        if fixed is not None:
            return fixed
        return self.programs.get(code, f"program {code}")


def technique_label(code: int) -> str | None:
    """The chair's own name for technique ``code``; None for 0 (stopped) or an unknown code."""
    return TECHNIQUE_LABELS.get(code)


def _bits(byte: int, low: int, width: int) -> int:
    return (byte >> low) & ((1 << width) - 1)


def _flag(byte: int, bit: int) -> bool:
    return bool(byte >> bit & 1)


def _zones(byte: int, low: int, zones: tuple[AirbagZone, ...]) -> frozenset[AirbagZone]:
    return frozenset(zone for bit, zone in enumerate(zones, start=low) if _flag(byte, bit))


def _bounded(name: str, value: int, top: int) -> int:
    if value > top:
        raise ProtocolError(f"{name} {value} is out of range (0..{top})")
    return value


def _motion(name: str, code: int) -> ActuatorMotion:
    if code >= len(_MOTIONS):
        raise ProtocolError(f"{name} motion code {code} is not defined (0 stop, 1 up, 2 down)")
    return _MOTIONS[code]


def decode_fields(fields: bytes, codes: StatusCodes) -> ChairStatus:
    """The status of the 14 fields b1..b14 (no markers, no checksum).

    Raises :class:`ProtocolError` for a wrong field count or a value the protocol leaves
    undefined.
    """
    if len(fields) != STATUS_FIELDS:
        raise ProtocolError(f"a status has {STATUS_FIELDS} fields, got {len(fields)}")
    if any(byte >= 0x80 for byte in fields):
        raise ProtocolError("status fields are 7-bit bytes")
    b1, b2, b3, b4, b5, b6, b7, b8, b9, b10, _b11, b12, b13, b14 = fields

    state_code = _bits(b7, 0, 4)
    if state_code >= len(_WORK_STATES):
        raise ProtocolError(f"work state {state_code} is not defined (0..5)")
    work_state = _WORK_STATES[state_code]

    # b4 bits 0..4 and b5 bits 0..6 form one 12-bit number: the session time left, or in the
    # fault state the chair's error code.
    timer = _bits(b4, 0, 5) * 128 + _bits(b5, 0, 7)
    fault = work_state is WorkState.FAULT

    technique_code = _bits(b1, 3, 3)
    program_code = _bits(b13, 2, 4)
    airbag_program: frozenset[AirbagZone] = frozenset()
    for bit, zones in enumerate(_PROGRAM_B12, start=2):
        if _flag(b12, bit):
            airbag_program |= zones

    return ChairStatus(
        running=_flag(b1, 6),
        work_state=work_state,
        technique=codes.techniques.get(technique_code),
        technique_code=technique_code,
        width=_WIDTHS[_bits(b2, 0, 2)],
        speed=_bounded("speed", _bits(b2, 2, 3), MAX_SPEED),
        intensity=_bounded("3D strength", _bits(b14, 0, 3), MAX_LEVEL),
        massage_range=_RANGES[_bits(b4, 5, 2)],
        roller_position=_bits(b8, 0, 5),
        heat=_flag(b2, 6),
        airbag_level=_bounded("airbag level", _bits(b3, 0, 3), MAX_LEVEL),
        airbag_program=airbag_program,
        airbags_active=_zones(b6, 0, _ACTIVE_B6) | _zones(b7, 4, _ACTIVE_B7),
        foot_roller=_flag(b2, 5),
        foot_roller_speed=_bits(b6, 5, 2),
        remaining_s=0 if fault else timer,
        preset_minutes=_PRESET_MINUTES[_bits(b12, 0, 2)],
        error_code=timer if fault else None,
        program=codes.program_name(program_code),
        program_code=program_code,
        backrest=_motion("backrest", _bits(b10, 0, 2)),
        leg_rest=_motion("leg-rest", _bits(b10, 2, 2)),
        slide=_motion("slide", _bits(b10, 4, 2)),
        zero_g=_flag(b10, 6),
        # b3 bit 6: the anion (ozone) generator, bOzonEnable in the firmware.
        anion=_flag(b3, 6),
        detail=RongtaiDetail(
            # b9 is kept raw: bit 6 while the body scan runs. The shoulder line it found is
            # not read from it: no real frame shows the "scan succeeded" bit (4), the RT6923
            # firmware never sets it and clears b9 after the scan, and neither source gives
            # bits 0-3 as a carriage position (the iOS app reads them as a scale around the
            # window's middle).
            body_scan=b9,
            has_3d=_flag(b1, 0),
            # Only the iOS app's map gives b1 bit 1 a meaning (set: the leg rest does NOT
            # extend); the RT6923 firmware leaves it clear, as every real RT8600S frame has it.
            has_leg_extension=codes.status_map == "ios-app" and not _flag(b1, 1),
            # b14 bits 3-5: the 3D program (1..3 on the RT6923, up to 7 in the iOS app's map).
            mode_3d=_bits(b14, 3, 3),
        ),
    )


def decode_status(frame: bytes, model: RongtaiModel) -> ChairStatus:
    """The status one complete frame (either form, markers included) reports.

    Raises :class:`ProtocolError` with a one-line reason for a malformed frame, a bad checksum
    or an undefined value.
    """
    return decode_fields(status_fields(frame), StatusCodes.of(model))
