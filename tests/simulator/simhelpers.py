"""Test helpers for the simulated chair: a paced controller and common key sequences."""

from __future__ import annotations

from chairctl.clock import Clock, VirtualClock
from chairctl.vocabulary import Technique
from drivers.models.rongtai import RongtaiModel
from drivers.models.schema import Transport
from simulator.chair import SimulatedChair
from simulator.config import ChairOptions, Sitter
from simulator.families import simulated_chair
from simulator.link import Connection
from simulator.rongtai.chair import RongtaiChair
from simulator.rongtai.frames import StatusImage, key_frame

#: Time a test controller leaves after each key: above the 150 ms key gap and the 200 ms
#: frame period, so the latest status frame always reflects the key.
KEY_PACE = 0.25


class Controller:
    """A test's end of the link: sends paced key frames, keeps every status frame with its time."""

    def __init__(self, chair: SimulatedChair, clock: VirtualClock, device: int = 0x83) -> None:
        self.chair = chair
        self.clock = clock
        self.device = device
        self.frames: list[tuple[float, bytes]] = []
        self.closed_because: str | None = None
        self.link: Connection = chair.connect(self._frame, self._closed)

    def _frame(self, data: bytes) -> None:
        self.frames.append((self.clock.now(), data))

    def _closed(self, reason: str) -> None:
        self.closed_because = reason

    async def press(self, key: int, *, pace: float = KEY_PACE) -> None:
        """Send one key frame, then let ``pace`` seconds pass."""
        self.link.write(key_frame(self.device, key))
        await self.clock.advance(pace)

    async def wait(self, seconds: float) -> None:
        """Let time pass."""
        await self.clock.advance(seconds)

    @property
    def status(self) -> StatusImage:
        """The latest status frame, parsed."""
        return StatusImage.parse(self.frames[-1][1])

    def statuses(self, since: float = -1.0) -> list[StatusImage]:
        """Every status frame received after ``since``, parsed."""
        return [StatusImage.parse(f) for t, f in self.frames if t > since]


def rongtai_chair(
    model: RongtaiModel,
    clock: Clock,
    *,
    transport: Transport | None = None,
    sitter: Sitter | None = None,
    options: ChairOptions | None = None,
) -> RongtaiChair:
    """The simulated chair the family registry builds for a Rongtai ``model``, as its own class
    (so a test can look at the mainboard behind it)."""
    chair = simulated_chair(model, clock, transport=transport, sitter=sitter, options=options)
    assert isinstance(chair, RongtaiChair)
    return chair


async def power_up(ctl: Controller, model: RongtaiModel) -> None:
    """POWER from standby and wait out the body scan: the chair is waiting for a command."""
    await ctl.press(model.keys.power)
    await ctl.wait(model.mechanics.body_scan_s)


async def start_knead(ctl: Controller, model: RongtaiModel) -> None:
    """Power up and start kneading."""
    await power_up(ctl, model)
    await ctl.press(model.keys.techniques[Technique.KNEAD].key)
