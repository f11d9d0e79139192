"""The test's end of a simulated Tuya chair's wire: a module that sends frames and reads reports.

Frames to the MCU are built here from the Tuya rules (``55 AA 00 cmd len data sum``) and the
records with :mod:`simulator.tuya.frames`; the MCU's frames are checked byte by byte against
the same rules and decoded with the model file's DP map, not with the chair's own table. The
MCU reports each DP in a frame of its own (as real MCUs do) unless told otherwise: the report
frames that arrive at one instant are one answer, read together.
"""

from __future__ import annotations

from chairctl.clock import VirtualClock
from drivers.models.tuya import TuyaModel
from simulator.link import Connection
from simulator.tuya.chair import TuyaChair
from simulator.tuya.frames import Dp, frame_sum, pack_dps, unpack_dps

HEARTBEAT = 0x00
PRODUCT = 0x01
DELIVER = 0x06
REPORT = 0x07
QUERY = 0x08

Value = bool | int | str


def module_frame(command: int, payload: bytes = b"") -> bytes:
    """A frame as the module sends it (version 00)."""
    head = bytes([0x55, 0xAA, 0x00, command, len(payload) >> 8, len(payload) & 0xFF])
    return head + payload + bytes([frame_sum(head + payload)])


def mcu_parts(frame: bytes) -> tuple[int, bytes]:
    """(command, payload) of a frame from the MCU, after checking it against the rules."""
    assert frame[:3] == b"\x55\xaa\x03", frame.hex(" ")
    size = frame[4] * 256 + frame[5]
    assert len(frame) == 7 + size, frame.hex(" ")
    assert frame[-1] == frame_sum(frame[:-1]), frame.hex(" ")
    return frame[3], frame[6:-1]


def split_frames(data: bytes) -> list[bytes]:
    """``data`` cut into frames by their headers' lengths; what does not divide so (a damaged
    frame) stays whole, as the last piece."""
    frames: list[bytes] = []
    while len(data) >= 7 and data[:2] == b"\x55\xaa":
        end = 7 + data[4] * 256 + data[5]
        if end > len(data):
            break
        frames.append(data[:end])
        data = data[end:]
    return [*frames, data] if data else frames


class Module:
    """Plays the Tuya module: keeps every frame the MCU sends with the time it came."""

    def __init__(self, chair: TuyaChair, clock: VirtualClock, model: TuyaModel) -> None:
        self.chair = chair
        self.clock = clock
        self.model = model
        self.frames: list[tuple[float, bytes]] = []
        self.closed_because: str | None = None
        self.link: Connection = chair.connect(self._frame, self._closed)
        self.ids: dict[str, int] = {code: point.id for code, point in model.datapoints.items()}
        self.codes = {dpid: code for code, dpid in self.ids.items()}

    def _frame(self, data: bytes) -> None:
        # The frames of one instant come back to back in one write: kept one by one.
        for frame in split_frames(data):
            self.frames.append((self.clock.now(), frame))

    def _closed(self, reason: str) -> None:
        self.closed_because = reason

    async def send(self, frame: bytes) -> list[bytes]:
        """Write ``frame`` (or any bytes); the frames the MCU answered with at once."""
        count = len(self.frames)
        self.link.write(frame)
        await self.clock.advance(0)
        return [data for _, data in self.frames[count:]]

    async def wait(self, seconds: float) -> None:
        await self.clock.advance(seconds)

    # -- data points ------------------------------------------------------------------------

    def record(self, code: str, value: Value) -> Dp:
        """The record that sets ``code`` to ``value`` (an enum by its name; a switch by the
        value of its own that the model file names for on or off)."""
        dpid = self.ids[code]
        kind = self.model.kind_of(code)
        if kind == "bool":
            assert isinstance(value, bool)
            return Dp.boolean(dpid, value)
        if kind == "enum":
            return Dp.enum(dpid, self.model.range_of(code).index(str(value)))
        assert isinstance(value, int)
        return Dp.value(dpid, value)

    async def deliver(self, *records: Dp) -> dict[str, Value]:
        """Send one DP deliver; the report the MCU answered with, decoded."""
        return self.answer(await self.send(module_frame(DELIVER, pack_dps(records))))

    def answer(self, frames: list[bytes]) -> dict[str, Value]:
        """The report frames of one answer, read together (at least one)."""
        assert frames, "no answer"
        values: dict[str, Value] = {}
        for frame in frames:
            values.update(self.decode(frame))
        return values

    async def set(self, **values: Value) -> dict[str, Value]:
        """Set codes (in the order given) in one deliver; the answer, decoded."""
        return await self.deliver(*(self.record(code, value) for code, value in values.items()))

    async def query(self) -> dict[str, Value]:
        """Every DP, from a DP query's answer."""
        return self.answer(await self.send(module_frame(QUERY)))

    def decode(self, frame: bytes) -> dict[str, Value]:
        """A DP report's values by code, in the report's order."""
        command, payload = mcu_parts(frame)
        assert command == REPORT
        values: dict[str, Value] = {}
        for dp in unpack_dps(payload):
            code = self.codes[dp.dpid]
            value = dp.python()
            assert not isinstance(value, bytes)
            kind = self.model.kind_of(code)
            assert dp.kind == {"bool": 1, "value": 2, "enum": 4, "bitmap": 5}[kind]
            values[code] = self.model.range_of(code)[int(value)] if kind == "enum" else value
        return values

    def reports(self, since: float = -1.0) -> list[dict[str, Value]]:
        """Every DP report received after ``since``, decoded: the frames of one instant are
        one report."""
        answers: dict[float, list[bytes]] = {}
        for t, frame in self.frames:
            if t > since and frame[3] == REPORT:
                answers.setdefault(t, []).append(frame)
        return [self.answer(frames) for frames in answers.values()]

    async def power_up(self) -> None:
        """switch true, and wait out the body scan."""
        await self.set(switch=True)
        await self.wait(self.model.mechanics.body_scan_s)
