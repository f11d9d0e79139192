"""The adapter for NCNI chairs: the driver plays the chair's touch panel.

Ties the pieces of this family to the :class:`~drivers.adapters.base.Adapter` interface: the
codec of :mod:`drivers.protocols.ncni` (a press is its key for three 100 ms ticks, then three
ticks of ``00``; the line carries an idle ``00`` tick whenever no key is sent, as the panel's
does), the mapping of Setpoints onto the model (:mod:`.targets`), the reconciler
(:mod:`.reconciler`) and the safe release (:mod:`.release`).
"""

from __future__ import annotations

from chairctl.clock import Clock
from chairctl.vocabulary import (
    AirbagZone,
    ChairCapabilities,
    ChairStatus,
    NotConfirmed,
    ProtocolError,
    Region,
    Setpoint,
    WorkState,
)
from drivers.adapters.base import (
    TIMER_SLACK_S,
    Adapter,
    Cadence,
    Port,
    Release,
    StatusDecoding,
)
from drivers.adapters.modes import AFTER_SCAN
from drivers.adapters.ncni.reconciler import Reconciler, view_of
from drivers.adapters.ncni.release import Releaser, is_safe
from drivers.adapters.ncni.targets import TargetMapper
from drivers.adapters.ncni.watch import OffWatch
from drivers.models.ncni import NcniModel
from drivers.protocols.ncni import (
    DONE_TIMEOUT_S,
    NO_KEY,
    SETTLE_WINDOW_S,
    TICK_S,
    code_press_ticks,
)
from drivers.protocols.ncni.decoding import NcniStatusDecoder

#: Statuses that arrived this long after a press judge it (the upstream project's settle
#: window); earlier ones can only confirm it.
DEFAULT_SETTLE_WINDOW_S = SETTLE_WINDOW_S
#: Every key is a toggle or a step: one refutation is reported, never pressed through.
DEFAULT_ATTEMPTS = 1


class NcniAdapter(Adapter):
    """Drives one NCNI chair model from its panel line."""

    def __init__(
        self,
        model: NcniModel,
        *,
        settle_window_s: float = DEFAULT_SETTLE_WINDOW_S,
        attempts: int = DEFAULT_ATTEMPTS,
    ) -> None:
        if model.protocol.family != "ncni":
            raise ValueError(f"{model.id} speaks {model.protocol.family}, not ncni")
        if not 0 < settle_window_s <= DONE_TIMEOUT_S:
            # A press's effect must show within DONE_TIMEOUT_S; judging later would wait on
            # a change that is overdue.
            raise ValueError(f"the settle window must lie in (0, {DONE_TIMEOUT_S:g}] s")
        if attempts < 1:
            raise ValueError("attempts must be at least 1")
        self.model = model
        self.settle_window_s = settle_window_s
        self.attempts = attempts
        self._names = {code: f"{name} (0x{code:02X})" for code, name in model.keys.names().items()}
        self._mapper = TargetMapper(model)
        #: Where the rollers may be (see :meth:`_carriage`).
        self._rollers_in: frozenset[Region] = AFTER_SCAN
        self._watch = OffWatch()
        self._reconciler = Reconciler(
            model,
            settle_window_s,
            attempts,
            self.key_name,
            self._watch,
            # A chair found on, whose hidden state is not known, is switched off first.
            switch_off=self.release,
        )
        self._releaser = Releaser(
            model,
            settle_window_s,
            attempts,
            self.key_name,
            watch=self._watch,
            upright=lambda: self._reconciler.known_upright,
        )

    @property
    def capabilities(self) -> ChairCapabilities:
        return self.model.capabilities

    @property
    def key_gap_s(self) -> float:
        # A press carries its own three release ticks.
        return TICK_S

    @property
    def tick_s(self) -> float:
        return TICK_S

    def cadences(self) -> tuple[Cadence, ...]:
        return (Cadence(TICK_S, bytes((NO_KEY,)), quiet_only=True),)

    def encode_key(self, key: int) -> bytes:
        if key not in self._names:
            raise ProtocolError(f"0x{key:02X} is not a key of {self.model.id}'s panel")
        # The model's table, not the known panel's: a panel with codes of its own is pressed
        # the same way.
        return code_press_ticks(key)

    def decoder(self, clock: Clock) -> StatusDecoding:
        return NcniStatusDecoder(self._watch.judge)

    def key_name(self, key: int) -> str:
        return self._names.get(key, f"key 0x{key:02X}")

    def check(self, setpoint: Setpoint) -> None:
        self._mapper.targets(setpoint, self._rollers_in)

    def approximations(self, setpoint: Setpoint) -> list[str]:
        return list(self._mapper.targets(setpoint, self._rollers_in).notes)

    def expect_session(self, seconds: float) -> None:
        """Set the chair's timer, after each power-on, to the shortest step that covers
        ``seconds`` and the start-up before them (the longest when none does). The status
        does not show the timer, so the time key is pressed as often as it takes from the
        power-on default (the first step), once per power-on, and never when the adapter did
        not see the power-on itself."""
        steps = self.model.session_minutes
        # The timer runs from power-on: the body scan and the first setpoint come first.
        needed = seconds + self.model.mechanics.body_scan_s + TIMER_SLACK_S
        covering = [i for i, minutes in enumerate(steps) if minutes * 60 >= needed]
        chosen = (
            min(covering, key=steps.__getitem__)
            if covering
            else max(range(len(steps)), key=steps.__getitem__)
        )
        self._reconciler.timer_target = chosen

    @property
    def watch(self) -> OffWatch:
        """Whether an off status now reads as the chair having switched itself off."""
        return self._watch

    @property
    def believed(self) -> tuple[frozenset[AirbagZone] | None, bool | None]:
        """The airbag zones on and the heat, as the adapter believes them from what it pressed
        since a power-on of its own (None: not known); the status cannot show them."""
        return self._reconciler.believed

    @property
    def timer_minutes(self) -> int | None:
        """The timer step set after each power-on; None until :meth:`expect_session`."""
        index = self._reconciler.timer_target
        return None if index is None else self.model.session_minutes[index]

    def _carriage(self, status: ChairStatus | None) -> frozenset[Region]:
        """Where the rollers may be: at the shoulder line once the chair switches on (its body
        scan ends there), in the band of the mode they last worked while it stays on."""
        if status is None or not status.running:
            self._rollers_in = AFTER_SCAN
        else:
            self._rollers_in = self.regions_worked(status) or self._rollers_in
        return self._rollers_in

    async def reconcile(self, setpoint: Setpoint, port: Port) -> None:
        carriage = self._carriage(port.status)
        await self._reconciler.run(self._mapper.targets(setpoint, carriage), port)

    async def release(self, port: Port) -> Release:
        return await self._releaser.release(port)

    def region_of(self, status: ChairStatus) -> Region | None:
        # The chair reports no roller position.
        return None

    def regions_worked(self, status: ChairStatus) -> frozenset[Region]:
        # The bands of the modes on while the chair works (its auto profiles work them all:
        # the neck and the back and waist); its status shows no position within them.
        view = view_of(status)
        if not view.running or view.mode is None:
            return frozenset()
        modes = self.model.manual_modes
        names = set(modes) if view.mode in ("auto", "unknown") else view.manual
        return frozenset(r for name, mode in modes.items() if name in names for r in mode.regions)

    def is_safe(self, status: ChairStatus) -> bool:
        return is_safe(status)

    def forget(self) -> None:
        """Drop the posture and timer beliefs, the optimistic fields, where the rollers are,
        and whether the chair works: until the adapter switches the chair on again, it
        presses neither zero gravity nor time, and deepens nothing it has not seen clear of
        the neck."""
        self._reconciler.forget()

    async def acknowledge_fault(self, port: Port) -> None:
        """The user's word that the chair may be switched on again after it switched itself
        off. Nothing is sent: the chair has no fault to clear, it is off. Returns once a
        status reads as off again rather than as a fault."""
        self._watch.acknowledge()
        cleared = await port.wait(
            lambda s, _at: s.work_state is not WorkState.FAULT,
            deadline=port.clock.now() + self.settle_window_s,
        )
        if cleared is None:
            raise NotConfirmed(
                f"no status came within {self.settle_window_s:g} s to show the fault cleared"
            )
