"""Test helpers for the simulated Korean chair: the example model loaded through KoreanModel's
validation, a remote that sends press and release frames on virtual time, and the status frames
read back by hand from the source's bit map (``sebastianrcnt/massage-chair-hack``
``spec/chair.yml``), independently of the simulator's encoder and of the driver's codec."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from chairctl.clock import VirtualClock
from chairctl.vocabulary import ModelError
from chairctl.yamlsource import YamlSourceProblems, read_yaml, validate_source
from drivers.models.korean import KeyPair, KoreanModel
from simulator.chair import SimulatedChair
from simulator.link import Connection

#: The example model file, shipped with the family.
EXAMPLE = Path(__file__).parents[3] / "drivers" / "models" / "korean-ascii-remote.yaml"
#: Time a test remote leaves between a press and its release, and after the release.
PACE = 0.1

_DIGITS = {0x3F: 0, 0x06: 1, 0x5B: 2, 0x4F: 3, 0x66: 4, 0x6D: 5, 0x7D: 6, 0x07: 7, 0x7F: 8, 0x6F: 9}
_LEVELS = {0b00: 1, 0b01: 3, 0b11: 5}
_WIDTHS = {0b00: "wide", 0b01: "medium", 0b10: "narrow"}
_AREAS = {0b00: "point", 0b01: "local", 0b10: "full"}


def load_korean(path: Path = EXAMPLE) -> KoreanModel:
    """A model file of the family, validated as the registry will (located problems)."""
    try:
        doc = read_yaml(path, max_bytes=64 * 1024, what="model file")
        model = validate_source(doc, KoreanModel)
    except YamlSourceProblems as error:
        raise ModelError(error.problems) from None
    assert model.id == path.stem
    return model


@dataclass(frozen=True)
class Long:
    """One long status, read bit by bit as the source's map says."""

    timer: int | None
    air: bool
    air_strength: int | None
    speed: int | None
    width: str | None
    foot_roller: bool
    heater: bool
    moving: bool
    #: Bits that read other than at rest: technique slots 1..6 and roller positions 1..6 low,
    #: air zones and motions high.
    techniques_low: frozenset[int]
    positions_low: frozenset[int]
    zones_high: frozenset[str]
    motions_high: frozenset[str]


def _bit(value: int, bit: int) -> bool:
    return bool(value >> bit & 1)


def read_long(payload: bytes) -> Long:
    """Decode a 9-byte long status by hand (spec/chair.yml decode.long, blink_indicators)."""
    assert len(payload) == 9, payload.hex(" ")
    b = payload
    tens = _DIGITS.get(b[1])
    ones = _DIGITS.get((b[3] & 0x0F) << 4 | b[2] >> 4)
    timer = None if tens is None or ones is None else 10 * tens + ones
    techniques = {1: (3, 6), 2: (4, 1), 3: (3, 7), 4: (4, 2), 5: (4, 0), 6: (4, 3)}
    positions = {1: (0, 2), 2: (0, 1), 3: (0, 0), 4: (8, 7), 5: (8, 6), 6: (8, 5)}
    zones = {"shoulder": 0, "wrist": 1, "calf": 5, "foot": 6}
    motions = {"back_raise": 2, "back_recline": 3, "leg_lower": 5, "leg_raise": 6}
    return Long(
        timer=timer,
        air=_bit(b[3], 4),
        air_strength=_LEVELS.get(b[4] >> 5 & 0b11),
        speed=_LEVELS.get(b[5] >> 2 & 0b11),
        width=_WIDTHS.get(b[6] & 0b11),
        foot_roller=_bit(b[6], 7),
        heater=_bit(b[-1], 1),
        moving=_bit(b[6], 4),
        techniques_low=frozenset(n for n, (i, k) in techniques.items() if not _bit(b[i], k)),
        positions_low=frozenset(n for n, (i, k) in positions.items() if not _bit(b[i], k)),
        zones_high=frozenset(z for z, k in zones.items() if _bit(b[7], k)),
        motions_high=frozenset(m for m, k in motions.items() if _bit(b[6], k)),
    )


@dataclass(frozen=True)
class Short:
    """One short status, read as the source's map says."""

    manual: bool
    area: str | None
    #: The auto-program indicator bits set: A1..A5.
    programs: frozenset[int]


def read_short(payload: bytes) -> Short:
    """Decode a 5-byte short status by hand (spec/chair.yml decode.short)."""
    assert len(payload) == 5, payload.hex(" ")
    indicators = {1: (1, 7), 2: (0, 0), 3: (0, 1), 4: (0, 2), 5: (1, 3)}
    return Short(
        manual=not _bit(payload[3], 5),
        area=_AREAS.get(payload[4] >> 1 & 0b11),
        programs=frozenset(n for n, (i, k) in indicators.items() if _bit(payload[i], k)),
    )


_HEX = frozenset(b"0123456789ABCDEF")


def split_frames(data: bytes) -> tuple[list[str], int]:
    """The bodies of the well-formed ``~...\\r`` frames in ``data`` (upper-case hex, an even
    number of digits), and how many pieces were not (a damaged frame)."""
    bodies, garbled = [], 0
    for chunk in data.split(b"~")[1:]:
        body, end, rest = chunk.partition(b"\r")
        if end and not rest and body and set(body) <= _HEX and len(body) % 2 == 0:
            bodies.append(body.decode("ascii"))
        else:
            garbled += 1
    return bodies, garbled


class Remote:
    """A test's wired remote: sends button frames on virtual time, keeps what the chair says."""

    def __init__(self, chair: SimulatedChair, clock: VirtualClock) -> None:
        self.chair = chair
        self.clock = clock
        #: (time, frame body) of everything the chair sent.
        self.frames: list[tuple[float, str]] = []
        #: Pieces of what the chair sent that were no well-formed frame.
        self.garbled = 0
        self.closed_because: str | None = None
        self.link: Connection = chair.connect(self._data, self._closed)

    def _data(self, data: bytes) -> None:
        now = self.clock.now()
        bodies, garbled = split_frames(data)
        self.frames.extend((now, body) for body in bodies)
        self.garbled += garbled

    def _closed(self, reason: str) -> None:
        self.closed_because = reason

    def send(self, code: int) -> None:
        """One frame with ``code``, now."""
        self.link.write(f"~{code:04X}\r".encode("ascii"))

    async def tap(self, key: KeyPair, *, held: float = PACE) -> None:
        """Press the button, keep it down ``held`` seconds, release it, and wait a pace and
        then for the next status, so that :attr:`long` and :attr:`short` show the result."""
        self.send(key.press)
        await self.clock.advance(held)
        self.send(key.release)
        await self.clock.advance(PACE)
        await self.fresh()

    async def fresh(self) -> None:
        """Wait for the next status frame."""
        now = self.clock.now()
        while not self.longs(now):
            await self.clock.advance(0.05)

    async def wait(self, seconds: float) -> None:
        """Let time pass."""
        await self.clock.advance(seconds)

    def acks(self, since: float = -1.0) -> list[str]:
        """The acknowledgement frames sent at or after ``since``."""
        return [body for t, body in self.frames if t >= since and len(body) == 4]

    def longs(self, since: float = -1.0) -> list[tuple[float, bytes]]:
        """Every long status sent after ``since``, as bytes, with its time."""
        return [(t, bytes.fromhex(b)) for t, b in self.frames if t > since and len(b) == 18]

    def shorts(self, since: float = -1.0) -> list[tuple[float, bytes]]:
        """Every short status sent after ``since``, as bytes, with its time."""
        return [(t, bytes.fromhex(b)) for t, b in self.frames if t > since and len(b) == 10]

    @property
    def long(self) -> Long:
        """The latest long status, decoded."""
        return read_long(self.longs()[-1][1])

    @property
    def short(self) -> Short:
        """The latest short status, decoded."""
        return read_short(self.shorts()[-1][1])

    def seen(self, since: float) -> list[Long]:
        """Every long status after ``since``, decoded."""
        return [read_long(p) for _, p in self.longs(since)]


async def power_on(remote: Remote, model: KoreanModel) -> None:
    """Power from off and wait out the body scan: on, nothing working yet."""
    await remote.tap(model.keys.power)
    await remote.wait(model.mechanics.body_scan_s)
