"""Chair → panel status frames of the NCNI chair (protocols.md section 3).

A status frame is 33 bytes: ``AA 55``, 27 payload bytes (indices 2..28), and the trailer
``00 00 00 00`` (29..32). No checksum is known, so a frame's shape is all that can be checked
here; :class:`~drivers.protocols.ncni.stream.StatusDecoder` adds the repeat rule that keeps a
damaged byte from becoming a status.

The fields, as the upstream project (``Vijtus/NCNI_Massage_Chair_Control``) reads them in its
state code and its tests, which have moved on since its docs (byte index into the frame):

===========  =================================================================================
``[2..28]``  any non-zero byte: the chair is powered (a powered chair shows ``[2] = 08``)
``[3] [4]``  ``04 02``: auto mode. Manual: ``[4] = 0E`` the neck is on, else ``[4] = 0C``;
             ``[3] = 04`` back and waist is on (``04 0C`` back and waist, ``00 0E`` neck,
             ``04 0E`` both). ``00 00`` shows no mode: none is selected, or it is the second
             or so after a zero-gravity or backrest press, when ``[3] [4] [11] [12]`` read 0
             while the chair stays on and its mode unchanged.
``[5]``      pressure bucket ``00``/``0C``/``0F`` = 1/2/3, believed only while ``[6] = 0F``
``[6]``      ``0F``: running (it may drop for a moment while the chair works: a transient)
``[7]``      foot-speed bucket, encoded like ``[5]``
``[11]``     in manual mode, the roller speed bucket (``0C`` = 2, ``0F`` = 3); elsewhere a
             register the last level key touched
``[12]``     follows ``[6]``
``[17..20]`` auto-profile tail: ``0A 0B 0C 08`` or ``04 00 0A 00`` A, ``04 0D 06 00`` B,
             ``04 09 0E 00`` C, ``04 02 0E 00`` D; the tail also carries countdown values later
             in a program, so an unknown tail is an unknown profile, never a guess
``[21]``     airbags as reported: bit 0 shoulders, bit 1 forearms, bit 2 legs. **Not trusted**
``[23]``     heat as reported, when ``[23] & 0x0C``. **Not trusted**
===========  =================================================================================

Upstream trusts neither ``[21]`` nor ``[23]`` any more: its panel model owns the zones and the
heat. They are decoded here for people reading captures, and nothing that keeps a person safe
may rest on them (the adapter tracks airbags and heat by what it pressed, and a release is
judged by the all-zero payload alone). The status says nothing of technique, session time,
airbag pressure, posture, pause or whether the foot rollers turn.

Timing the adapter needs (upstream's measured values; nothing here uses a clock): right after a
press, fields the driver set optimistically are not trusted from the frames for
:data:`OPTIMISTIC_MUTE_S` while the chair settles; after power-on, frames are believed only past
a boot-settle gate of :data:`BOOT_SETTLE_MIN_S` and :data:`BOOT_SETTLE_FRAMES` running frames,
which opens anyway after :data:`BOOT_SETTLE_FAIL_OPEN_S`. Power starts auto profile A; auto
programs end by themselves after :data:`AUTO_PROGRAM_END_S` seconds (by profile), and the chair
then powers off.
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
#: Seconds each auto profile runs before the chair powers off (upstream's
#: ``bridge/auto_speed_pattern.py``: "TIME OVER" at 827, 833, 838 and 855 s).
AUTO_PROGRAM_S: Final[Mapping[str, float]] = MappingProxyType(
    {"A": 827.0, "B": 833.0, "C": 838.0, "D": 855.0}
)
#: The range of seconds after which an auto program ends and the chair powers off.
AUTO_PROGRAM_END_S: Final = (min(AUTO_PROGRAM_S.values()), max(AUTO_PROGRAM_S.values()))
#: How long ``[3] [4] [11] [12]`` read 0 after a zero-gravity or backrest press: "about a
#: second" upstream (its panel shows the overlay for 0.9 s); the adapter allows twice that.
BLANK_AFTER_POSTURE_S: Final = 2.0

_AUTO_MODE: Final = (0x04, 0x02)
_RUNNING: Final = 0x0F
#: ``[3]`` in manual mode when the back-and-waist mode is on.
_BACK_WAIST_BIT: Final = 0x04
_NECK: Final = 0x0E
_BACK_ONLY: Final = 0x0C
#: The level buckets of ``[5]``, ``[7]`` and (in manual mode) ``[11]``.
_LEVELS: Final[Mapping[int, int]] = MappingProxyType({0x00: 1, 0x0C: 2, 0x0F: 3})
_PROFILES: Final[Mapping[bytes, Literal["A", "B", "C", "D"]]] = MappingProxyType(
    {
        bytes((0x0A, 0x0B, 0x0C, 0x08)): "A",
        bytes((0x04, 0x00, 0x0A, 0x00)): "A",
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

#: ``none``: ``[3] [4]`` are ``00 00`` (no mode shown); ``unknown``: a combination no source
#: describes.
Mode = Literal["auto", "manual", "none", "unknown"]
ManualRegion = Literal["back_waist", "neck"]
AutoProfile = Literal["A", "B", "C", "D"]
NcniAirbag = Literal["shoulders", "forearms", "legs"]
#: The manual modes in the order the status's program names them.
MANUAL_ORDER: Final[tuple[ManualRegion, ...]] = ("back_waist", "neck")


@dataclass(frozen=True, slots=True)
class NcniStatus:
    """The fields of one status frame, in the chair's own terms.

    Levels are the chair's 1..3; None where the frame holds a value outside the known buckets
    or the chair is off (an unpowered frame is all zeros, which would otherwise read as 1).
    """

    powered: bool
    #: ``[6] = 0F``.
    running: bool
    mode: Mode
    #: The manual modes on (empty outside manual mode).
    manual: frozenset[ManualRegion]
    #: ``[5]`` as a level. Believe it only while :attr:`running` (:attr:`shown_pressure`).
    pressure: int | None
    #: ``[11]`` as a level in manual mode: the roller speed; None elsewhere.
    roller_speed: int | None
    foot_speed: int | None
    #: Only in auto mode, and only for a known tail.
    auto_profile: AutoProfile | None
    #: ``[21]`` as reported: not trusted (module notes).
    airbags: frozenset[NcniAirbag]
    #: ``[23]`` as reported: not trusted (module notes).
    heat: bool
    #: ``[11]`` as sent.
    register_11: int

    @property
    def shown_pressure(self) -> int | None:
        """The pressure level the frame can be believed for: only while the chair runs."""
        return self.pressure if self.running else None


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


def _mode(b3: int, b4: int) -> tuple[Mode, frozenset[ManualRegion]]:
    if (b3, b4) == _AUTO_MODE:
        return "auto", frozenset()
    if (b3, b4) == (0x00, 0x00):
        return "none", frozenset()
    if b4 == _NECK and b3 in (0x00, _BACK_WAIST_BIT):
        both = b3 == _BACK_WAIST_BIT
        return "manual", frozenset({"neck", "back_waist"} if both else {"neck"})
    if (b3, b4) == (_BACK_WAIST_BIT, _BACK_ONLY):
        return "manual", frozenset({"back_waist"})
    return "unknown", frozenset()


def parse_status(frame: bytes) -> NcniStatus:
    """The fields of one complete 33-byte frame; :class:`ProtocolError` if it is not one.

    Payload values outside the known encodings do not refuse the frame (the protocol is only
    partly known, and unknown bytes are normal); they read as None or mode ``"unknown"``.
    """
    check_frame(frame)
    powered = any(frame[i] for i in PAYLOAD)
    mode, manual = _mode(frame[3], frame[4])
    return NcniStatus(
        powered=powered,
        running=frame[6] == _RUNNING,
        mode=mode,
        manual=manual,
        pressure=_LEVELS.get(frame[5]) if powered else None,
        roller_speed=_LEVELS.get(frame[11]) if mode == "manual" else None,
        foot_speed=_LEVELS.get(frame[7]) if powered else None,
        auto_profile=_PROFILES.get(bytes(frame[17:21])) if mode == "auto" else None,
        airbags=frozenset(name for bit, name in _AIRBAG_BITS if frame[21] & bit),
        heat=bool(frame[23] & _HEAT_MASK),
        register_11=frame[11],
    )


#: The chair's levels 1..3 on the vocabulary's 1..5: both ends kept, the middle in the middle.
#: This never reads the chair as softer than it is, which is the safe side for intensity caps.
INTENSITY_SCALE: Final[Mapping[int, int]] = MappingProxyType({1: 1, 2: 3, 3: 5})

#: The chair's airbag groups as vocabulary zones. "legs" is the leg rest, whose bags squeeze
#: the calves (docs/sources.md 2.2: ``calves`` = leg rest, ``thighs`` = under the seat; the NCNI
#: panel's seat key is "buttocks", a separate function). Both are in the safety screen's
#: leg-compression group, so the choice cannot loosen a rule.
AIRBAG_ZONES: Final[Mapping[str, AirbagZone]] = MappingProxyType(
    {
        "shoulders": AirbagZone.SHOULDERS,
        "forearms": AirbagZone.ARMS,
        "legs": AirbagZone.CALVES,
    }
)


def program_name(s: NcniStatus) -> str | None:
    """The status's program: ``auto A`` (``auto`` for an unknown tail), ``manual neck``,
    ``manual back_waist+neck``, ``unknown`` for mode bytes no source describes, None when no
    mode is shown."""
    if s.mode == "auto":
        return f"auto {s.auto_profile}" if s.auto_profile else "auto"
    if s.mode == "manual":
        return "manual " + "+".join(m for m in MANUAL_ORDER if m in s.manual)
    if s.mode == "unknown":
        return "unknown"
    return None


def to_chair_status(s: NcniStatus) -> ChairStatus:
    """``s`` in the project's vocabulary.

    work_state: off → STANDBY, on and ``[6]=0F`` → RUNNING, on otherwise → WAITING.

    technique: always None. The NCNI chair has no technique selection, and its frames do not
    say what the rollers are doing; None is what :class:`ChairStatus` uses for a technique it
    cannot name (the Rongtai decoder does the same for an unknown code). ``Technique.NONE``
    would claim the rollers rest, and any other value would invent a technique.

    intensity: :data:`INTENSITY_SCALE` (1, 2, 3 → 1, 3, 5) of the pressure while the chair
    runs; 0 (unknown) otherwise. speed: the manual mode's roller speed 1..3, 0 elsewhere.
    airbags_active, heat: ``[21]`` and ``[23]`` as the chair reports them, which nothing safety
    related may rest on (module notes). airbag_level stays 0: the frame has no pressure field.
    foot_roller_speed: the foot-speed bucket 1..3 as is; whether the foot roller turns is not
    in the frame, so ``foot_roller`` stays False.
    """
    if not s.powered:
        work_state = WorkState.STANDBY
    elif s.running:
        work_state = WorkState.RUNNING
    else:
        work_state = WorkState.WAITING
    pressure = s.shown_pressure
    return ChairStatus(
        running=s.powered,
        work_state=work_state,
        technique=None,
        speed=s.roller_speed or 0,
        intensity=INTENSITY_SCALE[pressure] if pressure is not None else 0,
        foot_roller_speed=s.foot_speed or 0,
        heat=s.heat,
        airbags_active=frozenset(AIRBAG_ZONES[a] for a in s.airbags),
        program=program_name(s),
        # Upstream trusts neither [21] nor [23] any more: reported, never the chair's word.
        unconfirmed=frozenset({"airbags_active", "heat"}),
    )
