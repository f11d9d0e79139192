"""Framing and data points of the Tuya MCU serial protocol, from the module's (our) side.

A frame is ``55 AA <ver> <cmd> <len_hi> <len_lo> <data…> <chk>``, where ``chk`` is the sum of
every byte before it, mod 256. The module (the driver) sends version ``00``; the MCU (the chair)
answers with ``03``. A DP deliver (``06``) or report (``07``) carries data-point records back to
back, each ``<dpid> <type> <len_hi> <len_lo> <value>``. Reference: protocols.md section 5.

Timing, for the adapter that will drive this codec (no behaviour here yet):
:data:`HEARTBEAT_INTERVAL_S` (ESPHome's ``tuya`` component), and an unanswered packet is resent
:data:`RESEND_COUNT` times, :data:`RESEND_INTERVAL_S` apart (Tuya Wi-Fi MCU integration docs).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum
from typing import Final

from chairctl.vocabulary import ProtocolError

HEADER: Final = b"\x55\xaa"
#: Header, version, command and the two length bytes.
PREFIX_LENGTH: Final = 6
#: The version byte of frames the module sends.
MODULE_VERSION: Final = 0x00
#: The version byte of frames the MCU sends.
MCU_VERSION: Final = 0x03
#: The most data bytes one frame may carry here. The format allows 65535, but a length above
#: this is far more likely a damaged header than a real frame, so the decoder treats it as
#: garbage rather than wait for it, and the encoder refuses to build what it could not read.
MAX_DATA_LENGTH: Final = 1024

#: The module sends a heartbeat this often (ESPHome: ``set_interval("heartbeat", 15000, …)``).
HEARTBEAT_INTERVAL_S: Final = 15.0
#: An unanswered packet is resent this many times …
RESEND_COUNT: Final = 3
#: … this far apart.
RESEND_INTERVAL_S: Final = 1.0

#: A checksum one below the sum of the bytes before it: some Tuya MCU firmware ends its frames
#: so (a Tuya dimmer's MCU in esphome/feature-requests#352, 2019-10-11: three frames of version
#: 01 whose sums come to 02, 16 and 10 where the frames carry 01, 15 and 0F). Such a frame is
#: refused like any other bad sum (a byte damaged on the line would look the same), but it is
#: named, so that a chair whose every frame is refused is recognised.
ONE_LOW_FAULT: Final = (
    "one too low: a fault known in some Tuya MCU firmware (esphome/feature-requests#352); "
    "chairctl refuses such frames"
)

_INT_MIN: Final = -(2**31)
_INT_MAX: Final = 2**31 - 1
_BITMAP_WIDTHS: Final = (1, 2, 4)
_RECORD_HEADER: Final = 4
_MAX_VALUE_LENGTH: Final = 0xFFFF


class Command(IntEnum):
    """The command byte of a frame."""

    HEARTBEAT = 0x00
    PRODUCT_QUERY = 0x01
    WORK_MODE = 0x02
    WIFI_STATE = 0x03
    RESET = 0x04
    DP_DELIVER = 0x06
    DP_REPORT = 0x07
    DP_QUERY = 0x08
    LOCAL_TIME = 0x1C


class DpType(IntEnum):
    """The type byte of a data-point record."""

    RAW = 0x00
    BOOL = 0x01
    INT = 0x02
    STRING = 0x03
    ENUM = 0x04
    BITMAP = 0x05


@dataclass(frozen=True, slots=True)
class Frame:
    """One complete frame with a correct checksum."""

    version: int
    command: int
    data: bytes


@dataclass(frozen=True, slots=True)
class DataPoint:
    """One data-point record: its id, its type and a value of the matching Python type.

    ``bool`` for :attr:`DpType.BOOL`, ``int`` for INT (signed 32-bit), ENUM (0..255) and BITMAP,
    ``str`` for STRING, ``bytes`` for RAW. ``width`` is the size of a bitmap on the wire (1, 2
    or 4 bytes); left out, it is the smallest that holds the value. Other types have no width.
    Raises :class:`ProtocolError` for a value that does not fit its type.
    """

    dp_id: int
    type: DpType
    value: bool | int | str | bytes
    width: int | None = None

    def __post_init__(self) -> None:
        if not 0 <= self.dp_id <= 0xFF:
            raise ProtocolError(f"DP id {self.dp_id} is not a byte (0..255)")
        try:
            kind = DpType(self.type)
        except ValueError:
            raise ProtocolError(f"DP {self.dp_id}: unknown type {self.type!r}") from None
        object.__setattr__(self, "type", kind)
        value = self.value
        where = f"DP {self.dp_id} ({kind.name.lower()})"
        if kind is not DpType.BITMAP and self.width is not None:
            raise ProtocolError(f"{where}: only a bitmap has a width")
        if kind is DpType.BOOL:
            if not isinstance(value, bool):
                raise ProtocolError(f"{where}: value {value!r} is not a bool")
        elif kind in (DpType.INT, DpType.ENUM, DpType.BITMAP):
            if not isinstance(value, int) or isinstance(value, bool):
                raise ProtocolError(f"{where}: value {value!r} is not an int")
            self._check_number(where, value)
        elif kind is DpType.STRING:
            if not isinstance(value, str):
                raise ProtocolError(f"{where}: value {value!r} is not a str")
            _check_value_length(where, len(value.encode("utf-8")))
        elif kind is DpType.RAW:
            if not isinstance(value, bytes):
                raise ProtocolError(f"{where}: value {value!r} is not bytes")
            _check_value_length(where, len(value))

    def _check_number(self, where: str, value: int) -> None:
        if self.type is DpType.INT:
            if not _INT_MIN <= value <= _INT_MAX:
                raise ProtocolError(f"{where}: {value} is outside signed 32 bits")
        elif self.type is DpType.ENUM:
            if not 0 <= value <= 0xFF:
                raise ProtocolError(f"{where}: {value} is outside 0..255")
        elif self.width is None:
            if value < 0 or value >= 1 << 32:
                raise ProtocolError(f"{where}: {value} does not fit in 4 bytes")
            width = next(w for w in _BITMAP_WIDTHS if value < 1 << (8 * w))
            object.__setattr__(self, "width", width)
        elif self.width not in _BITMAP_WIDTHS:
            raise ProtocolError(f"{where}: width {self.width} is not 1, 2 or 4 bytes")
        elif not 0 <= value < 1 << (8 * self.width):
            raise ProtocolError(f"{where}: {value} does not fit in {self.width} byte(s)")

    def encode_value(self) -> bytes:
        """The value bytes of this record, without its 4-byte record header."""
        value = self.value
        if isinstance(value, bytes):
            return value
        if isinstance(value, str):
            return value.encode("utf-8")
        if self.type is DpType.BOOL:
            return b"\x01" if value else b"\x00"
        if self.type is DpType.INT:
            return value.to_bytes(4, "big", signed=True)
        if self.type is DpType.ENUM:
            return value.to_bytes(1, "big")
        assert self.width is not None  # set for every bitmap by __post_init__
        return value.to_bytes(self.width, "big")


def _check_value_length(where: str, length: int) -> None:
    if length > _MAX_VALUE_LENGTH:
        raise ProtocolError(f"{where}: value of {length} bytes does not fit a 16-bit length")


def checksum(data: Iterable[int]) -> int:
    """The checksum byte over ``data``: the sum of its bytes mod 256."""
    return sum(data) & 0xFF


def is_one_low(expected: int, got: int) -> bool:
    """True when a frame's checksum ``got`` is one below the sum ``expected`` (mod 256)."""
    return (expected - got) & 0xFF == 1


def encode_frame(command: int, data: bytes = b"", version: int = MODULE_VERSION) -> bytes:
    """One frame ``55 AA ver cmd len data chk``.

    Raises :class:`ProtocolError` for a command or version that is not a byte, or for more than
    :data:`MAX_DATA_LENGTH` data bytes.
    """
    if not 0 <= command <= 0xFF:
        raise ProtocolError(f"command {command} is not a byte (0..255)")
    if not 0 <= version <= 0xFF:
        raise ProtocolError(f"version {version} is not a byte (0..255)")
    if len(data) > MAX_DATA_LENGTH:
        raise ProtocolError(f"{len(data)} data bytes exceed the limit of {MAX_DATA_LENGTH}")
    body = HEADER + bytes((version, command)) + len(data).to_bytes(2, "big") + data
    return body + bytes((checksum(body),))


def decode_frame(frame: bytes) -> Frame:
    """The fields of one complete frame, after checking its header, length and checksum.

    Raises :class:`ProtocolError` with a one-line reason otherwise.
    """
    if len(frame) < PREFIX_LENGTH + 1:
        raise ProtocolError(f"a frame is at least {PREFIX_LENGTH + 1} bytes, got {len(frame)}")
    if frame[:2] != HEADER:
        raise ProtocolError(f"a frame starts with 55 AA, not {frame[:2].hex(' ').upper()}")
    length = int.from_bytes(frame[4:6], "big")
    if len(frame) != PREFIX_LENGTH + length + 1:
        raise ProtocolError(
            f"the header announces {length} data bytes, the frame holds "
            f"{len(frame) - PREFIX_LENGTH - 1}"
        )
    expected, got = checksum(frame[:-1]), frame[-1]
    if expected != got:
        known = f" ({ONE_LOW_FAULT})" if is_one_low(expected, got) else ""
        raise ProtocolError(
            f"bad checksum: frame says {got:02X}, bytes sum to {expected:02X}{known}"
        )
    return Frame(version=frame[2], command=frame[3], data=bytes(frame[PREFIX_LENGTH:-1]))


def encode_dps(points: Iterable[DataPoint]) -> bytes:
    """The records of ``points`` back to back, as a DP deliver or report carries them."""
    out = bytearray()
    for point in points:
        value = point.encode_value()
        out += bytes((point.dp_id, point.type)) + len(value).to_bytes(2, "big") + value
    return bytes(out)


def decode_dps(data: bytes) -> list[DataPoint]:
    """Every record in ``data``, in order.

    Raises :class:`ProtocolError` for a truncated record, an unknown type, or a value whose
    length or content does not fit its type (a bool not 0/1, an int not 4 bytes, …).
    """
    points: list[DataPoint] = []
    offset = 0
    while offset < len(data):
        if len(data) - offset < _RECORD_HEADER:
            raise ProtocolError(
                f"truncated DP record at offset {offset}: "
                f"{len(data) - offset} byte(s), a record header is {_RECORD_HEADER}"
            )
        dp_id, type_byte = data[offset], data[offset + 1]
        length = int.from_bytes(data[offset + 2 : offset + 4], "big")
        start = offset + _RECORD_HEADER
        value = data[start : start + length]
        if len(value) < length:
            raise ProtocolError(
                f"truncated DP {dp_id} at offset {offset}: announces {length} value byte(s), "
                f"{len(value)} present"
            )
        points.append(_decode_value(dp_id, type_byte, value))
        offset = start + length
    return points


def _decode_value(dp_id: int, type_byte: int, value: bytes) -> DataPoint:
    try:
        kind = DpType(type_byte)
    except ValueError:
        raise ProtocolError(f"DP {dp_id}: unknown type {type_byte:02X}") from None
    where = f"DP {dp_id} ({kind.name.lower()})"
    if kind is DpType.RAW:
        return DataPoint(dp_id, kind, bytes(value))
    if kind is DpType.STRING:
        try:
            return DataPoint(dp_id, kind, value.decode("utf-8"))
        except UnicodeDecodeError as error:
            raise ProtocolError(f"{where}: value is not UTF-8 ({error.reason})") from None
    if kind is DpType.BITMAP:
        if len(value) not in _BITMAP_WIDTHS:
            raise ProtocolError(f"{where}: value is {len(value)} bytes, not 1, 2 or 4")
        return DataPoint(dp_id, kind, int.from_bytes(value, "big"), width=len(value))
    wanted = 4 if kind is DpType.INT else 1
    if len(value) != wanted:
        raise ProtocolError(f"{where}: value is {len(value)} byte(s), not {wanted}")
    if kind is DpType.INT:
        return DataPoint(dp_id, kind, int.from_bytes(value, "big", signed=True))
    if kind is DpType.ENUM:
        return DataPoint(dp_id, kind, value[0])
    if value[0] > 1:
        raise ProtocolError(f"{where}: value {value[0]:02X} is not 00 or 01")
    return DataPoint(dp_id, kind, value[0] == 1)


def heartbeat() -> bytes:
    """The module's heartbeat: ``55 AA 00 00 00 00 FF``."""
    return encode_frame(Command.HEARTBEAT)


def product_query() -> bytes:
    """Ask the MCU for its product information (answered with a JSON string)."""
    return encode_frame(Command.PRODUCT_QUERY)


def dp_deliver(points: Iterable[DataPoint]) -> bytes:
    """Set data points on the MCU."""
    return encode_frame(Command.DP_DELIVER, encode_dps(points))


def dp_query() -> bytes:
    """Ask the MCU to report every data point."""
    return encode_frame(Command.DP_QUERY)


def parse_product_info(data: bytes) -> dict[str, object]:
    """The JSON object of a product query reply, e.g. ``{"p": "<key>", "v": "1.0.0", "m": 0}``.

    Raises :class:`ProtocolError` when ``data`` is not UTF-8 JSON holding an object.
    """
    try:
        info = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ProtocolError(f"product info is not JSON: {error}") from None
    if not isinstance(info, dict):
        raise ProtocolError(f"product info is JSON but not an object: {data[:40]!r}")
    return info
