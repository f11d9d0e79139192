"""Test helpers for the simulated NCNI chair: a panel that writes paced ticks and reads the
status frames back, decoded by hand from the field layout (protocols.md section 3, as the
upstream project's state code and tests correct it)."""

from __future__ import annotations

from dataclasses import dataclass

from chairctl.clock import VirtualClock
from drivers.models.ncni import NcniModel
from simulator.chair import SimulatedChair
from simulator.link import Connection

#: One panel tick.
TICK = 0.1
_LEVELS = {0x00: 1, 0x0C: 2, 0x0F: 3}
#: The profile tails upstream's state code knows (A has two).
_PROFILES = {
    bytes.fromhex("0a0b0c08"): "A",
    bytes.fromhex("04000a00"): "A",
    bytes.fromhex("040d0600"): "B",
    bytes.fromhex("04090e00"): "C",
    bytes.fromhex("04020e00"): "D",
}
#: ``[3] [4]`` in manual mode (upstream's state code).
_MANUAL = {(0x04, 0x0C): "back_waist", (0x00, 0x0E): "neck", (0x04, 0x0E): "back_waist+neck"}


@dataclass(frozen=True)
class Seen:
    """One status frame, read field by field."""

    powered: bool
    running: bool
    #: auto, back_waist, neck, back_waist+neck, or none (``[3] [4]`` = ``00 00``).
    mode: str
    profile: str | None
    intensity: int | None
    #: ``[11]`` in manual mode.
    speed: int | None
    foot_speed: int | None
    airbags: frozenset[str]
    heat: bool


def read_frame(frame: bytes) -> Seen:
    """Decode a 33-byte status frame by hand."""
    assert len(frame) == 33, frame.hex(" ")
    assert frame[:2] == b"\xaa\x55", frame.hex(" ")
    assert frame[-4:] == bytes(4), frame.hex(" ")
    powered = any(frame[2:29])
    if powered:
        assert frame[2] == 0x08, frame.hex(" ")
        assert frame[12] == frame[6], frame.hex(" ")
    if (frame[3], frame[4]) == (0x04, 0x02):
        mode = "auto"
    elif (frame[3], frame[4]) == (0x00, 0x00):
        mode = "none"
    else:
        mode = _MANUAL[frame[3], frame[4]]
    bits = {0x01: "shoulders", 0x02: "forearms", 0x04: "legs"}
    return Seen(
        powered=powered,
        running=frame[6] == 0x0F,
        mode=mode,
        profile=_PROFILES.get(bytes(frame[17:21]), "?") if mode == "auto" else None,
        intensity=_LEVELS.get(frame[5]) if powered else None,
        speed=_LEVELS.get(frame[11]) if mode not in ("auto", "none") else None,
        foot_speed=_LEVELS.get(frame[7]) if powered else None,
        airbags=frozenset(name for bit, name in bits.items() if frame[21] & bit),
        heat=bool(frame[23] & 0x0C),
    )


class Panel:
    """A test's touch panel: one tick byte per 100 ms of clock time, every status frame kept."""

    def __init__(self, chair: SimulatedChair, clock: VirtualClock) -> None:
        self.chair = chair
        self.clock = clock
        self.frames: list[tuple[float, bytes]] = []
        self.closed_because: str | None = None
        self.link: Connection = chair.connect(self._frame, self._closed)

    def _frame(self, data: bytes) -> None:
        self.frames.append((self.clock.now(), data))

    def _closed(self, reason: str) -> None:
        self.closed_because = reason

    async def ticks(self, code: int, count: int) -> None:
        """Send ``code`` on ``count`` ticks, one per tick period."""
        for _ in range(count):
            self.link.write(bytes((code,)))
            await self.clock.advance(TICK)

    async def press(self, code: int) -> None:
        """A panel press: the key for 3 ticks, then 3 idle ticks (the chair acts on the 4th)."""
        await self.ticks(code, 3)
        await self.ticks(0x00, 3)

    async def hold(self, code: int, count: int) -> None:
        """Hold a key for ``count`` ticks, then release it with 3 idle ticks."""
        await self.ticks(code, count)
        await self.ticks(0x00, 3)

    async def wait(self, seconds: float) -> None:
        """Let time pass with the line silent (the chair ignores idle ticks anyway)."""
        await self.clock.advance(seconds)

    @property
    def seen(self) -> Seen:
        """The latest status frame, decoded."""
        return read_frame(self.frames[-1][1])

    def seen_since(self, since: float) -> list[Seen]:
        """Every status frame received after ``since``, decoded."""
        return [read_frame(f) for t, f in self.frames if t > since]


async def power_on(panel: Panel, model: NcniModel) -> None:
    """Power from off and wait out the body scan: the chair runs auto profile A."""
    await panel.press(model.keys.power)
    await panel.wait(model.mechanics.body_scan_s)


async def manual_idle(panel: Panel, model: NcniModel) -> None:
    """Power from off, leave auto profile A for the back-and-waist mode (which drops its
    airbags and foot rollers) and switch that off too: on, with nothing working."""
    await power_on(panel, model)
    await panel.press(model.keys.back_waist)
    await panel.press(model.keys.back_waist)
