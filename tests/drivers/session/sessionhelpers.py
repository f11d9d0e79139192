"""Helpers of the session behaviour suite: the families and link kinds it runs over, the rig,
the chair's key log, ground-truth checks. (In a module of its own rather than the conftest, so
tests import it by a name no other folder's conftest shares.)"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import NamedTuple, Protocol

from chairctl.clock import VirtualClock
from chairctl.vocabulary import (
    ActuatorMotion,
    AirbagZone,
    Region,
    Setpoint,
    Technique,
    WorkState,
)
from drivers.chair import ChairSession, EventListener
from drivers.families import FAMILIES
from drivers.models import ChairModel
from drivers.models.schema import RongtaiModel, Transport
from drivers.session import LinkState, SessionConfig
from simulator import ChairOptions, LinkDrop, SimulatedChair, Sitter
from simulator.reach import LinkKindName
from simulator.rongtai.chair import RongtaiChair
from simulator.rongtai.firmware import Phase

#: A setpoint with the rollers working one region, gently.
KNEAD_LOWER_BACK = Setpoint(technique=Technique.KNEAD, regions=(Region.LOWER_BACK,), intensity=2)


@dataclass(frozen=True)
class Received:
    """One command the chair received: a key, or the id of a data point set."""

    at: float
    key: int
    #: What the firmware was doing when the key arrived (a Rongtai chair's :class:`Phase`,
    #: which tells the body scan from the return home; another chair's work state).
    phase: Phase | WorkState


@dataclass
class KeyLog:
    """Every key the simulated mainboard received, in order, lost and ignored ones too."""

    entries: list[Received] = field(default_factory=list)
    #: Called with each key as it arrives, before the chair acts on it (to strike then).
    hooks: list[Callable[[Received], None]] = field(default_factory=list)

    @classmethod
    def attach(cls, chair: SimulatedChair) -> KeyLog:
        """Log ``chair``'s commands from now on: a Rongtai chair's mainboard key input (so a
        key pressed on the remote counts too), any other chair's commands off the wire."""
        log = cls()

        def record(key: int, phase: Phase | WorkState) -> None:
            entry = Received(chair.clock.now(), key, phase)
            log.entries.append(entry)
            for hook in list(log.hooks):
                hook(entry)

        if isinstance(chair, RongtaiChair):
            board = chair.board
            press = board.press

            def logged(key: int) -> None:
                record(key, board.phase)
                press(key)

            board.press = logged  # type: ignore[method-assign]
        else:
            chair.listen_keys(lambda key: record(key, chair.work_state))
        return log

    @property
    def keys(self) -> list[int]:
        return [e.key for e in self.entries]

    def since(self, t: float) -> list[Received]:
        return [e for e in self.entries if e.at >= t]

    def count(self, key: int, since: float = float("-inf")) -> int:
        return sum(1 for e in self.entries if e.key == key and e.at >= since)

    def times(self, key: int) -> list[float]:
        return [e.at for e in self.entries if e.key == key]

    def on_next(self, action: Callable[[], None]) -> None:
        """Run ``action`` when the chair receives its next command, whatever it is."""

        def hook(entry: Received) -> None:
            self.hooks.remove(hook)
            action()

        self.hooks.append(hook)

    def on(self, key: int, action: Callable[[], None], *, once: bool = True) -> None:
        """Run ``action`` when the chair receives ``key`` (before it acts on the key)."""

        def hook(entry: Received) -> None:
            if entry.key == key:
                if once:
                    self.hooks.remove(hook)
                action()

        self.hooks.append(hook)


class Rig(NamedTuple):
    """A connected session, its simulated chair, their clock, and the chair's key log."""

    session: ChairSession
    chair: SimulatedChair
    clock: VirtualClock
    keys: KeyLog


async def drop_link(rig: Rig) -> float:
    """The chair drops the link; returns once the session has noticed, with when it dropped.

    Noticing takes what the link takes: nothing in memory and over BLE, the hang-up crossing
    the kernel over TCP, and on a pty (which cannot hang up) the status watchdog's timeout.
    """
    session, chair, clock, _keys = rig
    dropped_at = clock.now()
    chair.inject(LinkDrop())
    noticed_by = dropped_at + session.config.status_timeout_s + chair.period
    await clock.advance(0)
    while session.link_state is LinkState.CONNECTED:
        assert clock.now() < noticed_by, "the session never noticed that the link dropped"
        await clock.advance(chair.period)
    return dropped_at


def hold_pairs(model: ChairModel) -> dict[int, int]:
    """START key -> its STOP key, for every hold-to-move pair of the model (only Rongtai chairs
    have START/STOP pairs: an NCNI hold stops when its ticks do, a Tuya one is a state)."""
    if not isinstance(model, RongtaiModel):
        return {}
    pairs = {}
    for hold in (model.keys.walk, model.keys.backrest, model.keys.leg_rest):
        if hold is not None:
            pairs[hold.up_start] = hold.up_stop
            pairs[hold.down_start] = hold.down_stop
    return pairs


def assert_every_start_stopped(log: KeyLog, model: ChairModel) -> None:
    """Every START the chair received was followed later by its own STOP."""
    pairs = hold_pairs(model)
    open_starts: dict[int, float] = {}
    for entry in log.entries:
        if entry.key in pairs:
            open_starts[pairs[entry.key]] = entry.at
        elif entry.key in open_starts:
            del open_starts[entry.key]
    assert not open_starts, f"STARTs without their STOP: {open_starts}"


def actuators_still(chair: SimulatedChair) -> bool:
    now = chair.clock.now()
    body = chair.body
    return all(
        part.motion(now) is ActuatorMotion.STOPPED for part in (body.backrest, body.leg_rest)
    )


def assert_released(chair: SimulatedChair, *, home: bool = True) -> None:
    """Ground truth of a safe release: rollers idle (and home), depth retracted, airbags
    empty, heater off, foot rollers off, no actuator moving."""
    state = chair.state()
    assert state.roller_technique is None, "the rollers still work"
    if home:
        assert state.roller_position == chair.body.park, "the rollers are not home"
    assert state.depth == 0.0, f"depth {state.depth} is not retracted"
    assert all(p == 0.0 for p in state.airbags.values()), f"airbags not empty: {state.airbags}"
    assert not state.heat_on, "the heater is on"
    assert state.foot_roller == 0, "the foot rollers turn"
    assert actuators_still(chair), "an actuator moves"


def occupancy_share(
    chair: SimulatedChair, regions: Iterable[Region], start: float, end: float
) -> float:
    """The share of working roller time between ``start`` and ``end`` spent in ``regions``."""
    occupancy = chair.trace.roller_occupancy(start, end)
    working = {key: s for key, s in occupancy.items() if key[0] is not None}
    total = sum(working.values())
    wanted = set(regions)
    inside = sum(s for (_, region), s in working.items() if region in wanted)
    return inside / total if total else 0.0


def max_depth(chair: SimulatedChair, start: float, end: float) -> float:
    """The deepest the 3D axis went between ``start`` and ``end`` (exact: piecewise linear)."""
    deepest = 0.0
    for a, b, path in chair.trace.depth.spans(start, end):
        for piece in path.pieces(a, b):
            deepest = max(deepest, piece[1], piece[3])
    return deepest


def peak_pressures(chair: SimulatedChair, start: float, end: float) -> dict[AirbagZone, float]:
    """The highest pressure each airbag zone reached between ``start`` and ``end``."""
    peaks = dict.fromkeys(AirbagZone, 0.0)
    for state in chair.trace.samples(0.25, start, end):
        for zone, pressure in state.airbags.items():
            peaks[zone] = max(peaks[zone], pressure)
    return peaks


#: The model each protocol family is tested with.
#: One chair of each registered family: a family added to the registry joins every test here.
FAMILY_MODELS: dict[str, str] = {name: f.example_model for name, f in FAMILIES.items()}


@dataclass(frozen=True)
class LinkKind:
    """What a test may need to know of a link kind, beyond how to build one."""

    #: How a Rongtai chair is reached on it, which sets its status form: the checksummed
    #: 17-byte form every 200 ms over BLE (and in memory), the 18-byte form without checksum
    #: every 50 ms on the wired hand-controller line that a serial link plugs into. Chairs of
    #: the other families are wired only.
    form: Transport
    #: Chair seconds a connection attempt takes to fail while another controller holds the
    #: chair: nothing where the chair refuses at once, more where it just says nothing.
    busy_attempt_s: float


#: The links the suite runs over.
LINK_KINDS: dict[LinkKindName, LinkKind] = {
    "memory": LinkKind("ble", busy_attempt_s=0.0),
    # A pty cannot refuse: the attempt opens it and waits in vain for a first status.
    "serial-pty": LinkKind("wired", busy_attempt_s=SessionConfig().first_status_timeout_s),
    # The server accepts the connection and hangs up at once.
    "serial-socket": LinkKind("wired", busy_attempt_s=0.0),
    # A reconnection goes to the chair's address (BleChair pins it), and the chair refuses a
    # second central at once.
    "ble": LinkKind("ble", busy_attempt_s=0.0),
}


class RigMaker(Protocol):
    """Builds a connected rig; every argument has the suite's default."""

    def __call__(
        self,
        *,
        chair_model: ChairModel | None = None,
        sitter: Sitter | None = None,
        options: ChairOptions | None = None,
        config: SessionConfig | None = None,
        shoulder_position: float | None = None,
        on_event: EventListener | None = None,
    ) -> Awaitable[Rig]: ...
