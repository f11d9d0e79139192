"""Chair → panel status frames of the NCNI chair (protocols.md section 3).

A status frame is 33 bytes: ``AA 55``, 27 payload bytes (indices 2..28), and the trailer
``00 00 00 00`` (29..32). No checksum is known, so a frame's shape is all that can be checked
here; :class:`~drivers.protocols.ncni.stream.StatusDecoder` adds the repeat rule that keeps a
damaged byte from becoming a status.

Only the fields the upstream project confirmed on the bench are read (byte index into the frame):

===========  =================================================================================
``[2..28]``  any non-zero byte: the chair is powered
``[3] [4]``  ``04 02``: auto mode; ``[4]`` ``0C``/``0E``: manual, back & waist / neck
``[5]``      intensity bucket ``00``/``0C``/``0F`` = 1/2/3
``[6]``      ``0F``: running
``[7]``      foot-speed bucket, encoded like ``[5]``
``[11]``     the "last-touched level register" (raw)
``[17..20]`` auto-profile signature: ``04 0D 06 00`` B, ``04 09 0E 00`` C, ``04 02 0E 00`` D
``[21]``     airbags: bit 0 shoulders, bit 1 forearms, bit 2 legs
``[23]``     heat when ``[23] & 0x0C``
===========  =================================================================================

Profile A's signature is not known, so A is never reported: an auto frame whose signature is
none of the three known ones has ``auto_profile=None``. The status says nothing of technique,
session time, airbag pressure or posture.

Timing the adapter will need (upstream's measured values; nothing here uses a clock): right
after a press, fields the driver set optimistically are not trusted from the frames for
:data:`OPTIMISTIC_MUTE_S` while the chair settles; after power-on, frames are believed only past
a boot-settle gate of :data:`BOOT_SETTLE_MIN_S` and :data:`BOOT_SETTLE_FRAMES` running frames,
which opens anyway after :data:`BOOT_SETTLE_FAIL_OPEN_S`. Auto programs end by themselves after
about :data:`AUTO_PROGRAM_END_S` seconds (by profile), and the chair then powers off.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final, Literal

from chairctl.vocabulary import AirbagZone, ChairStatus, ProtocolError, WorkState

FRAME_LENGTH: Final = 33
HEADER: Final = b"\xaa\x55"
TRAILER: Final = b"\x00\x00\x00\x00"
#: Payload indices: everything between the header and the trailer.
PAYLOAD: Final = range(2, FRAME_LENGTH - len(TRAILER))

#: Seconds after a press during which optimistic fields ignore the status frames.
OPTIMISTIC_MUTE_S: Final = 0.75
#: Boot-settle gate: at least this long after power-on ...
BOOT_SETTLE_MIN_S: Final = 1.0
#: ... and at least this many running frames ...
BOOT_SETTLE_FRAMES: Final = 3
#: ... but open (fail-open) after this long whatever the frames say.
BOOT_SETTLE_FAIL_OPEN_S: Final = 5.0
#: The range of seconds after which an auto program ends and the chair powers off.
AUTO_PROGRAM_END_S: Final = (827.0, 855.0)

_AUTO_MODE: Final = (0x04, 0x02)
_RUNNING: Final = 0x0F
#: ``[4]`` in manual mode -> the region it works.
_MANUAL_REGIONS: Final[Mapping[int, Literal["back_waist", "neck"]]] = MappingProxyType(
    {0x0C: "back_waist", 0x0E: "neck"}
)
#: The level buckets of ``[5]`` and ``[7]``.
_LEVELS: Final[Mapping[int, int]] = MappingProxyType({0x00: 1, 0x0C: 2, 0x0F: 3})
_PROFILES: Final[Mapping[bytes, Literal["B", "C", "D"]]] = MappingProxyType(
    {
        bytes((0x04, 0x0D, 0x06, 0x00)): "B",
        bytes((0x04, 0x09, 0x0E, 0x00)): "C",
        bytes((0x04, 0x02, 0x0E, 0x00)): "D",
    }
)
_AIRBAG_BITS: Final[tuple[tuple[int, Literal["shoulders", "forearms", "legs"]], ...]] = (
    (0x01, "shoulders"),
    (0x02, "forearms"),
    (0x04, "legs"),
)
_HEAT_MASK: Final = 0x0C

Mode = Literal["auto", "manual", "idle"]
ManualRegion = Literal["back_waist", "neck"]
AutoProfile = Literal["A", "B", "C", "D"]
NcniAirbag = Literal["shoulders", "forearms", "legs"]


@dataclass(frozen=True, slots=True)
class NcniStatus:
    """The confirmed fields of one status frame, in the chair's own terms.

    Levels are the chair's 1..3; None where the frame holds a value outside the known buckets
    or the chair is off (an unpowered frame is all zeros, which would otherwise read as 1).
    """

    powered: bool
    running: bool
    mode: Mode
    manual_region: ManualRegion | None
    intensity: int | None
    foot_speed: int | None
    #: Only in auto mode, and only for a known signature: A's is unknown, so never "A" yet.
    auto_profile: AutoProfile | None
    airbags: frozenset[NcniAirbag]
    heat: bool
    #: ``[11]`` as sent; its meaning beyond "the level last changed" is not known.
    last_level: int


def check_frame(frame: bytes) -> None:
    """Raise :class:`ProtocolError` unless ``frame`` has the shape of one status frame."""
    if len(frame) != FRAME_LENGTH:
        raise ProtocolError(f"a status frame is {FRAME_LENGTH} bytes, got {len(frame)}")
    if frame[:2] != HEADER:
        raise ProtocolError(f"a status frame starts with AA 55, not {frame[:2].hex(' ').upper()}")
    if frame[-len(TRAILER) :] != TRAILER:
        raise ProtocolError(
            f"a status frame ends with 00 00 00 00, not {frame[-4:].hex(' ').upper()}"
        )


def parse_status(frame: bytes) -> NcniStatus:
    """The fields of one complete 33-byte frame; :class:`ProtocolError` if it is not one.

    Payload values outside the known encodings do not refuse the frame (the protocol is only
    partly known, and unknown bytes are normal); they read as None or ``"idle"``.
    """
    check_frame(frame)
    powered = any(frame[i] for i in PAYLOAD)
    region = _MANUAL_REGIONS.get(frame[4])
    mode: Mode
    if (frame[3], frame[4]) == _AUTO_MODE:
        mode = "auto"
    elif region is not None:
        mode = "manual"
    else:
        mode = "idle"
    return NcniStatus(
        powered=powered,
        running=frame[6] == _RUNNING,
        mode=mode,
        manual_region=region if mode == "manual" else None,
        intensity=_LEVELS.get(frame[5]) if powered else None,
        foot_speed=_LEVELS.get(frame[7]) if powered else None,
        auto_profile=_PROFILES.get(bytes(frame[17:21])) if mode == "auto" else None,
        airbags=frozenset(name for bit, name in _AIRBAG_BITS if frame[21] & bit),
        heat=bool(frame[23] & _HEAT_MASK),
        last_level=frame[11],
    )


#: The chair's levels 1..3 on the vocabulary's 1..5: both ends kept, the middle in the middle.
#: This never reads the chair as softer than it is, which is the safe side for intensity caps.
INTENSITY_SCALE: Final[Mapping[int, int]] = MappingProxyType({1: 1, 2: 3, 3: 5})

#: The chair's airbag groups as vocabulary zones. "legs" is the leg rest, whose bags squeeze
#: the calves (chair-domain.md: ``calves`` = leg rest, ``thighs`` = under the seat; the NCNI
#: panel's seat key is "buttocks", a separate function). Both are in the safety screen's
#: leg-compression group, so the choice cannot loosen a rule.
AIRBAG_ZONES: Final[Mapping[str, AirbagZone]] = MappingProxyType(
    {
        "shoulders": AirbagZone.SHOULDERS,
        "forearms": AirbagZone.ARMS,
        "legs": AirbagZone.CALVES,
    }
)


def _program(s: NcniStatus) -> str | None:
    if s.mode == "auto":
        return f"auto {s.auto_profile}" if s.auto_profile else "auto"
    if s.mode == "manual":
        return f"manual {s.manual_region}"
    return None


def to_chair_status(s: NcniStatus) -> ChairStatus:
    """``s`` in the project's vocabulary.

    work_state: off → STANDBY, on and ``[6]=0F`` → RUNNING, on otherwise → WAITING.

    technique: always None. The NCNI chair has no technique selection, and its frames do not
    say what the rollers are doing; None is what :class:`ChairStatus` uses for a technique it
    cannot name (the Rongtai decoder does the same for an unknown code). ``Technique.NONE``
    would claim the rollers rest, and any other value would invent a technique.

    intensity: :data:`INTENSITY_SCALE` (1, 2, 3 → 1, 3, 5); 0 when unknown or off.
    airbags_active: :data:`AIRBAG_ZONES` (legs → CALVES). airbag_level stays 0: the frame has
    no pressure field, so the adapter must not read 0 there as "airbags off".
    foot_roller_speed: the foot-speed bucket 1..3 as is; whether the foot roller turns is not
    in the frame, so ``foot_roller`` stays False.
    """
    if not s.powered:
        work_state = WorkState.STANDBY
    elif s.running:
        work_state = WorkState.RUNNING
    else:
        work_state = WorkState.WAITING
    return ChairStatus(
        running=s.powered,
        work_state=work_state,
        technique=None,
        intensity=INTENSITY_SCALE.get(s.intensity, 0) if s.intensity is not None else 0,
        foot_roller_speed=s.foot_speed or 0,
        heat=s.heat,
        airbags_active=frozenset(AIRBAG_ZONES[a] for a in s.airbags),
        program=_program(s),
    )
