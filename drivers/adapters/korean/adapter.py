"""The adapter for Korean wired-remote chairs: the driver plays the chair's wired remote.

Ties the pieces of this family to the :class:`~drivers.adapters.base.Adapter` interface: the
codec of :mod:`drivers.protocols.korean` (every button a press code then a release code, each
``~XXXX\\r``; the status an image of the remote's display, read over its blink window on the
session's clock by :mod:`.decoding`), the mapping of Setpoints onto the model (:mod:`.targets`),
the reconciler (:mod:`.reconciler`), the safe release (:mod:`.release`) and the off watch that
tells a chair that protected itself from one switched off (:mod:`.watch`).
"""

from __future__ import annotations

import math

from chairctl.clock import Clock
from chairctl.vocabulary import (
    ChairCapabilities,
    ChairStatus,
    NotConfirmed,
    ProtocolError,
    Region,
    Setpoint,
    WorkState,
)
from drivers.adapters.base import TIMER_SLACK_S, Adapter, Port, Release, StatusDecoding
from drivers.adapters.korean.decoding import KoreanStatusDecoder
from drivers.adapters.korean.ledger import PressLedger
from drivers.adapters.korean.reconciler import Reconciler
from drivers.adapters.korean.release import Releaser
from drivers.adapters.korean.targets import FULL_BAND, TargetMapper
from drivers.adapters.korean.view import is_safe, view_of
from drivers.adapters.korean.watch import OffWatch
from drivers.models.korean import KoreanModel
from drivers.protocols.korean import AUTO_PROGRAMS, command_frame


class KoreanAdapter(Adapter):
    """Drives one Korean wired-remote chair model from its remote's line."""

    def __init__(self, model: KoreanModel) -> None:
        if model.protocol.family != "korean-ascii":
            raise ValueError(f"{model.id} speaks {model.protocol.family}, not korean-ascii")
        self.model = model
        names: dict[int, str] = {}
        for name, pair in model.keys.pairs().items():
            names[pair.press] = f"{name.replace('_', ' ')} ({pair.press:04X})"
        for program in model.auto_programs:
            names[program.key.press] = f"auto {program.name} ({program.key.press:04X})"
        for release in sorted(model.releases):
            names.setdefault(release, f"release ({release:04X})")
        self._names = names
        self._mapper = TargetMapper(model)
        self._clock: Clock | None = None
        self._watch = OffWatch()
        ledger = PressLedger()
        self._reconciler = Reconciler(
            model, self.key_name, self._watch, ledger=ledger, switch_off=self.release
        )
        self._releaser = Releaser(
            model,
            self.key_name,
            watch=self._watch,
            upright=lambda: self._reconciler.known_upright,
            ledger=ledger,
        )

    @property
    def capabilities(self) -> ChairCapabilities:
        return self.model.capabilities

    @property
    def key_gap_s(self) -> float:
        return self.model.timing.key_gap_ms / 1000

    def encode_key(self, key: int) -> bytes:
        if key not in self._names:
            raise ProtocolError(f"{key:04X} is not a code of {self.model.id}'s remote")
        return command_frame(key)

    def decoder(self, clock: Clock) -> StatusDecoding:
        # The session's clock: what is decided between applies (restarts_for) is decided at
        # its time too.
        self._clock = clock
        return KoreanStatusDecoder(clock, self._watch.judge)

    def key_name(self, key: int) -> str:
        return self._names.get(key, f"code {key:04X}")

    def check(self, setpoint: Setpoint) -> None:
        self._mapper.targets(setpoint)

    def approximations(self, setpoint: Setpoint) -> list[str]:
        return list(self._mapper.targets(setpoint).notes)

    def expect_session(self, seconds: float) -> None:
        """Set the chair's timer, after each power-on of the adapter's own, to the shortest of
        its steps that covers ``seconds`` and a minute's slack (the longest when none does).
        The countdown starts when something first works, so the body scan does not count.
        The timer is set forward only, each press confirmed by the display: one showing more
        is left as it is (see :mod:`.reconciler`)."""
        needed = seconds + TIMER_SLACK_S
        steps = self.model.timer_steps
        covering = [m for m in steps if m * 60 >= needed]
        self._reconciler.timer_minutes = min(covering) if covering else max(steps)

    @property
    def timer_minutes(self) -> int | None:
        """The timer wanted after each power-on; None until :meth:`expect_session`."""
        return self._reconciler.timer_minutes

    @property
    def watch(self) -> OffWatch:
        """Whether a dark display now reads as the chair having switched itself off."""
        return self._watch

    @property
    def reconciler(self) -> Reconciler:
        """The reconciler, for what it believes of what the status cannot show."""
        return self._reconciler

    def restarts_for(self, setpoint: Setpoint, status: ChairStatus) -> bool:
        now = math.inf if self._clock is None else self._clock.now()
        return self._reconciler.needs_restart(self._mapper.targets(setpoint), view_of(status), now)

    async def reconcile(self, setpoint: Setpoint, port: Port) -> None:
        await self._reconciler.run(self._mapper.targets(setpoint), port)

    async def release(self, port: Port) -> Release:
        released = await self._releaser.release(port)
        if released.safe:
            self._reconciler.switched_off()
        return released

    def regions_worked(self, status: ChairStatus) -> frozenset[Region]:
        # The chair reports no roller position it could be placed by: the band of the mode it
        # runs (the manual mode's full area, an auto program's regions [assumed]).
        view = view_of(status)
        if not view.powered:
            return frozenset()
        if view.auto_program is not None:
            # The indicators name A1..A6; the model file numbers its programs the same way.
            display = AUTO_PROGRAMS.index(view.auto_program) + 1
            return frozenset(
                region
                for program in self.model.auto_programs
                if program.display == display
                for region in program.regions
            )
        if view.manual and view.rollers_working:
            return FULL_BAND
        return frozenset()

    def is_safe(self, status: ChairStatus) -> bool:
        return is_safe(status)

    def forget(self) -> None:
        """Drop every belief the status does not show (the air mode, the posture, whether the
        chair is the adapter's to know, where its body scan stands): until the adapter
        switches the chair on again, it presses neither the air mode nor zero gravity, and a
        chair found on is switched off and started afresh."""
        self._reconciler.forget()

    async def acknowledge_fault(self, port: Port) -> None:
        """The user's word that the chair may be switched on again after it switched itself
        off. Nothing is sent: the chair has no fault to clear, it is off. Returns once a
        status reads as off again rather than as a fault."""
        self._watch.acknowledge()
        window = self._releaser.off_s
        cleared = await port.wait(
            lambda s, _at: s.work_state is not WorkState.FAULT,
            deadline=port.clock.now() + window,
        )
        if cleared is None:
            raise NotConfirmed(f"no status came within {window:g} s to show the fault cleared")
