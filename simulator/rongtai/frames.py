"""The chair's side of the Rongtai H10 framing: key frames in, status frames out.

Written from the protocol facts (reference: protocols.md section 1.3 and 1.5), independently of
the driver's codec, so a misreading on one side is not mirrored on the other. Key frames are
``F0 dev key chk F1`` with ``chk = (~(dev + key)) & 0x7F``. Status frames come in two forms:
BLE ``F0 b1..b14 chk F1`` (17 bytes, ``chk = (~sum(b1..b14)) & 0x7F``) and wired
``F0 b1..b16 F1`` (18 bytes, no checksum).
"""

from __future__ import annotations

import dataclasses
import operator
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum
from typing import Any, Final, Literal

from chairctl.vocabulary import ProtocolError
from drivers.models.rongtai import RongtaiModel
from simulator.errors import SimulatorError

SOI: Final = 0xF0
EOI: Final = 0xF1
KEY_FRAME_LENGTH: Final = 5
#: Engineering mode and program download: the simulated chair never enters either.
PRIVILEGED_DEVICES: Final = frozenset({0xBD, 0xA5})
#: ``H10_KEY_NONE``: a frame that presses nothing.
KEY_NONE: Final = 0x7F


def key_checksum(dev: int, key: int) -> int:
    """The checksum byte of a key frame."""
    return (~(dev + key)) & 0x7F


def status_checksum(body: bytes) -> int:
    """The checksum byte of a BLE status frame over ``b1..b14``."""
    return (~sum(body)) & 0x7F


@dataclass(frozen=True, slots=True)
class KeyFrame:
    """One key press a controller sent."""

    device: int
    key: int


class KeyFrameParser:
    """A streaming parser for key frames that never raises on any input.

    Bytes arrive in arbitrary chunks. A candidate frame that fails any check (device byte,
    7-bit key, checksum, end marker) costs only its start marker: the search resumes at the
    next ``F0``, so garbage never hides a good frame behind it. Frames from the engineering
    and program-download identities are dropped, as are bad checksums (the firmware's BT path
    checks them; ``verify_checksum=False`` models the lenient hand-controller UART).
    """

    def __init__(self, *, verify_checksum: bool = True) -> None:
        self.verify_checksum = verify_checksum
        self._buffer = bytearray()
        #: Frames rejected (bad checksum or shape) and privileged frames ignored, for tests.
        self.rejected = 0
        self.privileged = 0

    def feed(self, data: bytes) -> list[KeyFrame]:
        """Take ``data`` and return every complete, valid key frame it finishes, in order."""
        buffer = self._buffer
        buffer.extend(data)
        frames: list[KeyFrame] = []
        while True:
            start = buffer.find(SOI)
            if start < 0:
                buffer.clear()
                break
            if start:
                del buffer[:start]
            if len(buffer) < KEY_FRAME_LENGTH:
                break
            frame = self._check(buffer[1], buffer[2], buffer[3], buffer[4])
            if frame is None:
                self.rejected += 1
                del buffer[:1]
                continue
            del buffer[:KEY_FRAME_LENGTH]
            if frame.device in PRIVILEGED_DEVICES:
                self.privileged += 1
                continue
            frames.append(frame)
        return frames

    def _check(self, dev: int, key: int, chk: int, end: int) -> KeyFrame | None:
        if end != EOI or dev < 0x80 or dev in (SOI, EOI) or key >= 0x80 or chk >= 0x80:
            return None
        if self.verify_checksum and chk != key_checksum(dev, key):
            return None
        return KeyFrame(dev, key)


def key_frame(dev: int, key: int) -> bytes:
    """A well-formed key frame (for tests and tools; the chair only receives them)."""
    return bytes((SOI, dev, key, key_checksum(dev, key), EOI))


class Layout(Enum):
    """The two status-frame forms of the H10 protocol."""

    BLE = (17, True)
    WIRED = (18, False)

    @property
    def length(self) -> int:
        """Bytes per frame, markers included."""
        return self.value[0]

    @property
    def checksum(self) -> bool:
        """Whether the byte before the end marker is a checksum."""
        return self.value[1]


#: The kind of link a status form belongs to, as the model file names it.
Form = Literal["ble", "wired"]


def layout_for(model: RongtaiModel, form: Form) -> Layout:
    """The layout of the status form ``form`` of ``model``."""
    forms = model.protocol.status_forms
    spec = forms.get(form)
    if spec is None:
        known = ", ".join(sorted(forms)) or "none"
        raise SimulatorError(f"model {model.id} has no '{form}' status form (it has: {known})")
    for layout in Layout:
        if (layout.length, layout.checksum) == (spec.length, spec.checksum):
            return layout
    raise SimulatorError(
        f"model {model.id}: a {spec.length}-byte status frame "
        f"{'with' if spec.checksum else 'without'} checksum is not an H10 form"
    )


# (byte, lowest bit, width, field): where each documented field lives in b1..b16. The remaining
# seconds (b4 bits 0-4 high, b5 low 7 bits) are packed separately.
_FIELDS: Final[tuple[tuple[int, int, int, str], ...]] = (
    (1, 0, 1, "has_3d"),
    (1, 1, 1, "no_leg_extension"),
    (1, 2, 1, "new_program_names"),
    (1, 3, 3, "technique"),
    (1, 6, 1, "powered"),
    (2, 0, 2, "width"),
    (2, 2, 3, "speed"),
    (2, 5, 1, "foot_roller_on"),
    (2, 6, 1, "heat_on"),
    (3, 0, 3, "airbag_level"),
    (3, 3, 3, "b3_spare"),
    (3, 6, 1, "anion"),
    (4, 5, 2, "massage_range"),
    (6, 0, 5, "airbags_b6"),
    (6, 5, 2, "foot_roller_speed"),
    (7, 0, 4, "work_state"),
    (7, 4, 3, "airbags_b7"),
    (8, 0, 5, "roller_position"),
    (8, 5, 1, "first_zero_g"),
    (8, 6, 1, "second_zero_g"),
    (9, 0, 4, "scan_position"),
    (9, 4, 1, "scan_succeeded"),
    (9, 5, 1, "shoulder_adjustable"),
    (9, 6, 1, "scan_running"),
    (10, 0, 2, "backrest_motion"),
    (10, 2, 2, "calf_motion"),
    (10, 4, 2, "slide_motion"),
    (10, 6, 1, "zero_g_reached"),
    (11, 0, 7, "b11"),
    (12, 0, 2, "preset_code"),
    (12, 2, 5, "airbag_program"),
    (13, 0, 2, "roller_direction"),
    (13, 2, 4, "program"),
    (13, 6, 1, "b13_spare"),
    (14, 0, 3, "strength"),
    (14, 3, 3, "technique_3d"),
    (14, 6, 1, "b14_spare"),
    (15, 0, 2, "stretch_vigour"),
    (15, 2, 1, "led_on"),
    (15, 3, 2, "knead_turn"),
    (15, 5, 1, "tapping_off"),
    (15, 6, 1, "b15_spare"),
    (16, 0, 7, "b16"),
)
_TIMER_MAX: Final = (0x1F << 7) | 0x7F
# Every field value in one call, and the rest of the table laid out for a tight loop: this
# runs for every frame the chair sends.
_READ_FIELDS: Final = operator.attrgetter(*(name for _, _, _, name in _FIELDS))
_PACKING: Final = tuple((index, shift, 1 << width, name) for index, shift, width, name in _FIELDS)


@dataclass(frozen=True, slots=True)
class StatusImage:
    """The content of one status frame, field by field (protocols.md section 1.5).

    Numbers are the protocol's own codes; :mod:`simulator.rongtai.codes` maps them to the
    vocabulary. ``*_spare`` fields and ``b11``/``b16`` hold bits the field map leaves
    undocumented (or that nothing here acts on), kept so real frames round-trip byte for byte.
    """

    has_3d: bool = False
    no_leg_extension: bool = False
    new_program_names: bool = False
    technique: int = 0
    powered: bool = False
    width: int = 0
    speed: int = 0
    foot_roller_on: bool = False
    heat_on: bool = False
    airbag_level: int = 0
    b3_spare: int = 0
    anion: bool = False
    #: Remaining session seconds, or the error code in fault state (b4 bits 0-4 and b5).
    timer: int = 0
    massage_range: int = 0
    #: Airbags inflating, b6 bits 0-4: foot, calf, thigh, seat, arm.
    airbags_b6: int = 0
    foot_roller_speed: int = 0
    work_state: int = 0
    #: Airbags inflating, b7 bits 4-6 (shifted down): shoulder, back/waist, neck.
    airbags_b7: int = 0
    roller_position: int = 0
    #: b8 bit 5: the first zero-gravity position is reached (RT6923 ``isFIRSTZeroPosition``);
    #: bit 6: the second. Every real RT8600S frame has bit 5 set, in every state.
    first_zero_g: bool = False
    second_zero_g: bool = False
    scan_position: int = 0
    scan_succeeded: bool = False
    shoulder_adjustable: bool = False
    scan_running: bool = False
    backrest_motion: int = 0
    calf_motion: int = 0
    slide_motion: int = 0
    zero_g_reached: bool = False
    b11: int = 0
    preset_code: int = 0
    #: Airbag program, b12 bits 2-6 (shifted down): legs/feet, back/waist, arm/shoulder, seat,
    #: full body.
    airbag_program: int = 0
    roller_direction: int = 0
    program: int = 0
    b13_spare: int = 0
    strength: int = 0
    technique_3d: int = 0
    b14_spare: int = 0
    #: b15, the wired form only (RT6923 ``Main_Send``): stretch vigour, the LED, the knead
    #: direction while kneading, and bit 5 while the tapping toggle is off (the firmware's
    #: default: it taps, rather than pressing, where a program asks for tapping).
    stretch_vigour: int = 0
    led_on: bool = False
    knead_turn: int = 0
    tapping_off: bool = False
    b15_spare: bool = False
    b16: int = 0

    def body(self) -> bytes:
        """The sixteen payload bytes ``b1..b16``; each fits in 7 bits."""
        out = [0] * 17
        for value, (index, shift, limit, name) in zip(_READ_FIELDS(self), _PACKING, strict=True):
            if not 0 <= value < limit:
                raise ValueError(
                    f"status field {name}={value} does not fit in {limit.bit_length() - 1} bits"
                )
            out[index] |= value << shift
        if not 0 <= self.timer <= _TIMER_MAX:
            raise ValueError(f"status field timer={self.timer} does not fit in 12 bits")
        out[4] |= self.timer >> 7
        out[5] = self.timer & 0x7F
        return bytes(out[1:])

    def encode(self, layout: Layout) -> bytes:
        """The frame in ``layout``: BLE drops b15/b16 and adds the checksum."""
        body = self.body()
        if layout is Layout.BLE:
            head = body[:14]
            return bytes((SOI, *head, status_checksum(head), EOI))
        return bytes((SOI, *body, EOI))

    @classmethod
    def parse(cls, frame: bytes) -> StatusImage:
        """Read one whole frame of either form; :class:`ProtocolError` if it is not one."""
        if len(frame) == Layout.BLE.length:
            body = frame[1:15]
            if frame[15] != status_checksum(body):
                raise ProtocolError(
                    f"status checksum 0x{frame[15]:02X}, expected 0x{status_checksum(body):02X}"
                )
            body = body + b"\x00\x00"
        elif len(frame) == Layout.WIRED.length:
            body = frame[1:17]
        else:
            raise ProtocolError(f"a status frame has 17 or 18 bytes, not {len(frame)}")
        if frame[0] != SOI or frame[-1] != EOI:
            raise ProtocolError("a status frame starts with F0 and ends with F1")
        if any(b >= 0x80 for b in body):
            raise ProtocolError("status payload bytes are 7-bit")
        values: dict[str, Any] = {}
        for index, shift, width, name in _FIELDS:
            raw = (body[index - 1] >> shift) & ((1 << width) - 1)
            values[name] = bool(raw) if width == 1 and name not in _INT_FLAGS else raw
        values["timer"] = ((body[3] & 0x1F) << 7) | body[4]
        return cls(**values)

    def replace(self, **changes: Any) -> StatusImage:
        """A copy with some fields changed."""
        return dataclasses.replace(self, **changes)


#: One-bit fields that are numbers, not flags.
_INT_FLAGS: Final = frozenset({"b13_spare", "b14_spare"})


def split_status_frames(data: bytes, layout: Layout) -> Iterator[bytes]:
    """Whole frames of ``layout`` found in ``data`` (a test helper; skips torn frames)."""
    start = data.find(SOI)
    while 0 <= start <= len(data) - layout.length:
        candidate = data[start : start + layout.length]
        if candidate[-1] == EOI and SOI not in candidate[1:] and EOI not in candidate[1:-1]:
            yield bytes(candidate)
            start = data.find(SOI, start + layout.length)
        else:
            start = data.find(SOI, start + 1)
