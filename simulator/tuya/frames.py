"""The chair MCU's framing for the Tuya serial protocol: module frames in, MCU frames out.

Written from the protocol rules (protocols.md section 5), independently of the driver's codec,
so a misreading on one side is not mirrored on the other. Every frame is
``55 AA ver cmd len_hi len_lo payload… sum`` with ``sum`` the low byte of the sum of all bytes
before it. The module talks with version 00; this MCU answers with version 03. A DP payload is
a run of records ``dpid kind len_hi len_lo body…``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from chairctl.vocabulary import ProtocolError

#: Version byte of every frame this MCU sends.
MCU_VERSION: Final = 3
#: The most payload bytes the MCU's receive buffer holds; a header announcing more is noise.
RECEIVE_LIMIT: Final = 1024

# Command codes, as the Tuya docs number them.
HEARTBEAT: Final = 0x00
QUERY_PRODUCT: Final = 0x01
WORK_MODE: Final = 0x02
NETWORK_STATUS: Final = 0x03
RESET_NETWORK: Final = 0x04
DP_DELIVER: Final = 0x06
DP_REPORT: Final = 0x07
DP_QUERY: Final = 0x08
LOCAL_TIME: Final = 0x1C

# DP kinds, named as the Tuya docs name them ("value" is a signed 32-bit integer).
KIND_RAW: Final = 0
KIND_BOOL: Final = 1
KIND_VALUE: Final = 2
KIND_STRING: Final = 3
KIND_ENUM: Final = 4
KIND_BITMAP: Final = 5
_KIND_NAMES: Final = {0: "raw", 1: "bool", 2: "value", 3: "string", 4: "enum", 5: "bitmap"}


def frame_sum(head_and_payload: bytes | bytearray) -> int:
    """The last byte of a frame: everything before it added up, low 8 bits."""
    total = 0
    for byte in head_and_payload:
        total = (total + byte) % 256
    return total


@dataclass(frozen=True, slots=True)
class ModuleFrame:
    """A frame the module sent, with a good sum."""

    version: int
    command: int
    payload: bytes


@dataclass(frozen=True, slots=True)
class Dp:
    """One data point as the MCU keeps it: id, kind and the body bytes it goes out with.

    Build one with the constructors (:meth:`boolean`, :meth:`value`, …); :meth:`python` gives
    the value back. Raises :class:`ProtocolError` if the body does not suit the kind.
    """

    dpid: int
    kind: int
    body: bytes

    def __post_init__(self) -> None:
        if self.dpid not in range(256):
            raise ProtocolError(f"dpid {self.dpid} does not fit one byte")
        name = _KIND_NAMES.get(self.kind)
        if name is None:
            raise ProtocolError(f"dpid {self.dpid}: no DP kind {self.kind}")
        size = len(self.body)
        if size > 0xFFFF:
            raise ProtocolError(f"dpid {self.dpid}: body of {size} bytes is too long")
        allowed = {KIND_BOOL: (1,), KIND_VALUE: (4,), KIND_ENUM: (1,), KIND_BITMAP: (1, 2, 4)}
        sizes = allowed.get(self.kind)
        if sizes is not None and size not in sizes:
            raise ProtocolError(
                f"dpid {self.dpid} ({name}): body of {size} byte(s), must be "
                + " or ".join(str(s) for s in sizes)
            )
        if self.kind == KIND_BOOL and self.body[0] not in (0, 1):
            raise ProtocolError(f"dpid {self.dpid} (bool): body {self.body[0]:#04x} is not 0/1")
        if self.kind == KIND_STRING:
            try:
                self.body.decode("utf-8")
            except UnicodeDecodeError:
                raise ProtocolError(f"dpid {self.dpid} (string): body is not UTF-8") from None

    @classmethod
    def boolean(cls, dpid: int, on: bool) -> Dp:
        return cls(dpid, KIND_BOOL, bytes([int(on)]))

    @classmethod
    def value(cls, dpid: int, number: int) -> Dp:
        if not -0x8000_0000 <= number <= 0x7FFF_FFFF:
            raise ProtocolError(f"dpid {dpid} (value): {number} is not a signed 32-bit number")
        return cls(dpid, KIND_VALUE, (number & 0xFFFF_FFFF).to_bytes(4, "big"))

    @classmethod
    def string(cls, dpid: int, text: str) -> Dp:
        return cls(dpid, KIND_STRING, text.encode("utf-8"))

    @classmethod
    def enum(cls, dpid: int, index: int) -> Dp:
        if index not in range(256):
            raise ProtocolError(f"dpid {dpid} (enum): {index} does not fit one byte")
        return cls(dpid, KIND_ENUM, bytes([index]))

    @classmethod
    def bitmap(cls, dpid: int, bits: int, size: int) -> Dp:
        if size not in (1, 2, 4) or not 0 <= bits < 256**size:
            raise ProtocolError(f"dpid {dpid} (bitmap): {bits} does not fit {size} byte(s)")
        return cls(dpid, KIND_BITMAP, bits.to_bytes(size, "big"))

    @classmethod
    def raw(cls, dpid: int, data: bytes) -> Dp:
        return cls(dpid, KIND_RAW, bytes(data))

    def python(self) -> bool | int | str | bytes:
        """The body as a Python value: bool, int (value, enum, bitmap), str or bytes."""
        if self.kind == KIND_BOOL:
            return self.body == b"\x01"
        if self.kind == KIND_VALUE:
            unsigned = int.from_bytes(self.body, "big")
            return unsigned - (1 << 32) if unsigned & 0x8000_0000 else unsigned
        if self.kind in (KIND_ENUM, KIND_BITMAP):
            return int.from_bytes(self.body, "big")
        if self.kind == KIND_STRING:
            return self.body.decode("utf-8")
        return self.body


def pack_dps(dps: Iterable[Dp]) -> bytes:
    """Records back to back, as a DP report carries them."""
    out = b""
    for dp in dps:
        size = len(dp.body)
        out += bytes([dp.dpid, dp.kind, size >> 8, size & 0xFF]) + dp.body
    return out


def unpack_dps(payload: bytes) -> list[Dp]:
    """The records of a DP deliver's payload; :class:`ProtocolError` if any is malformed."""
    dps: list[Dp] = []
    rest = payload
    while rest:
        if len(rest) < 4:
            raise ProtocolError(f"DP record cut short: {len(rest)} byte(s) left of a 4-byte head")
        size = rest[2] * 256 + rest[3]
        if len(rest) - 4 < size:
            raise ProtocolError(
                f"dpid {rest[0]}: body of {size} byte(s) announced, {len(rest) - 4} present"
            )
        dps.append(Dp(rest[0], rest[1], bytes(rest[4 : 4 + size])))
        rest = rest[4 + size :]
    return dps


def mcu_frame(command: int, payload: bytes = b"") -> bytes:
    """A frame from this MCU (version 03)."""
    if command not in range(256):
        raise ProtocolError(f"command {command} does not fit one byte")
    if len(payload) > RECEIVE_LIMIT:
        raise ProtocolError(f"payload of {len(payload)} bytes exceeds {RECEIVE_LIMIT}")
    size = len(payload)
    head = bytes([0x55, 0xAA, MCU_VERSION, command, size >> 8, size & 0xFF])
    return head + payload + bytes([frame_sum(head + payload)])


def heartbeat_reply(*, first: bool) -> bytes:
    """The answer to a heartbeat: payload 00 for the first since power-up, 01 after."""
    return mcu_frame(HEARTBEAT, b"\x00" if first else b"\x01")


class HeartbeatReplies:
    """Answers heartbeats the way the MCU does: 00 once after power-up, then 01."""

    def __init__(self) -> None:
        self._answered = False

    def power_up(self) -> None:
        """Forget every earlier heartbeat: the next reply says 00 again."""
        self._answered = False

    def reply(self) -> bytes:
        first = not self._answered
        self._answered = True
        return heartbeat_reply(first=first)


def product_info_reply(product_key: str, version: str = "1.0.0", mode: int = 0) -> bytes:
    """The answer to a product query: ``{"p":"<key>","v":"<version>","m":<mode>}``."""
    text = json.dumps({"p": product_key, "v": version, "m": mode}, separators=(",", ":"))
    return mcu_frame(QUERY_PRODUCT, text.encode("utf-8"))


def dp_report(dps: Iterable[Dp]) -> bytes:
    """A DP report (command 07) carrying ``dps``."""
    return mcu_frame(DP_REPORT, pack_dps(dps))


class ModuleFrameParser:
    """A byte-at-a-time parser for frames from the module; never raises on any input.

    A candidate that breaks (no ``AA`` after ``55``, a length over :data:`RECEIVE_LIMIT`, a bad
    sum) gives up only its ``55``: the bytes after it are scanned again, so a frame hidden
    behind a false start is still found. :attr:`skipped` counts bytes that are in no frame.
    """

    def __init__(self) -> None:
        self._candidate = bytearray()
        self._wanted = 0
        self.frames = 0
        self.bad_sums = 0
        self.skipped = 0

    def feed(self, data: bytes) -> list[ModuleFrame]:
        found: list[ModuleFrame] = []
        queue = bytearray(data)
        index = 0
        while index < len(queue):
            verdict = self._take(queue[index])
            index += 1
            if isinstance(verdict, ModuleFrame):
                found.append(verdict)
            elif verdict is False:
                again = self._candidate[1:]
                self._candidate = bytearray()
                self.skipped += 1
                queue[index:index] = again
        return found

    def _take(self, byte: int) -> ModuleFrame | bool:
        """Add one byte; a frame when one completes, ``False`` when the candidate broke."""
        held = self._candidate
        if not held:
            if byte == 0x55:
                held.append(byte)
            else:
                self.skipped += 1
            return True
        held.append(byte)
        count = len(held)
        if count == 2:
            return byte == 0xAA
        if count == 6:
            size = held[4] * 256 + held[5]
            if size > RECEIVE_LIMIT:
                return False
            self._wanted = 6 + size + 1
        if count < 6 or count < self._wanted:
            return True
        if frame_sum(held[:-1]) != held[-1]:
            self.bad_sums += 1
            return False
        frame = ModuleFrame(held[2], held[3], bytes(held[6:-1]))
        self._candidate = bytearray()
        self.frames += 1
        return frame


def split_records(payload: bytes) -> list[tuple[int, int, bytes]]:
    """A DP payload's records as ``(dpid, kind, body)``, with nothing checked but the layout.

    Unlike :func:`unpack_dps` this takes a record of an unknown kind or an odd body as it
    comes, so the MCU can ignore that one record and still apply the others. Raises
    :class:`ProtocolError` only when the payload does not divide into whole records.
    """
    records: list[tuple[int, int, bytes]] = []
    at = 0
    while at < len(payload):
        if len(payload) - at < 4:
            raise ProtocolError(
                f"DP record cut short: {len(payload) - at} byte(s) of a 4-byte head"
            )
        size = payload[at + 2] * 256 + payload[at + 3]
        body = payload[at + 4 : at + 4 + size]
        if len(body) < size:
            raise ProtocolError(
                f"dpid {payload[at]}: body of {size} byte(s) announced, {len(body)} present"
            )
        records.append((payload[at], payload[at + 1], bytes(body)))
        at += 4 + size
    return records
