"""The adapter for Tuya MCU chairs: data points set and confirmed, reports decoded, safe release.

Ties the pieces of this family to the :class:`~drivers.adapters.base.Adapter` interface: the
codec of :mod:`drivers.protocols.tuya`, the decoder that keeps the product's DP table
(:mod:`.decoding`), the mapping of Setpoints onto the model (:mod:`.targets`), the reconciler
(:mod:`.reconciler`) and the safe release (:mod:`.release`). A Tuya chair takes no keys: the
adapter sends its own DP deliver frames through :meth:`Port.send`, and the session's cadences
keep the link alive (heartbeat) and the statuses coming (DP query), since the MCU reports only
when asked or when something changes. The wire type of every DP, as the chair reports it, is
held against the model file (:meth:`TuyaAdapter.mismatch`): on connecting, before anything is
sent, and before every set.
"""

from __future__ import annotations

import math
from typing import Final

from chairctl.clock import Clock
from chairctl.vocabulary import (
    ChairCapabilities,
    ChairStatus,
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
from drivers.adapters.tuya.reconciler import Reconciler
from drivers.adapters.tuya.release import Releaser, is_safe
from drivers.adapters.tuya.targets import TargetMapper
from drivers.models.tuya import TIME_SET_MAX_MIN, TuyaModel
from drivers.protocols.tuya import dp_query, heartbeat
from drivers.protocols.tuya.decoding import TuyaDecoder
from drivers.protocols.tuya.points import DpMap
from drivers.protocols.tuya.wiretypes import WireTypes

_FAMILY: Final = "tuya-mcu"


class TuyaAdapter(Adapter):
    """Drives one Tuya MCU chair model."""

    def __init__(
        self,
        model: TuyaModel,
        *,
        settle_window_s: float | None = None,
        attempts: int | None = None,
    ) -> None:
        if model.protocol.family != _FAMILY:
            raise ValueError(f"{model.id} speaks {model.protocol.family}, not {_FAMILY}")
        self.model = model
        protocol = model.protocol
        #: How long a set waits for a report that shows it before it is sent again.
        self.settle_window_s = protocol.resend_s if settle_window_s is None else settle_window_s
        #: How often a set is sent in all before it counts as not taken.
        self.attempts = protocol.resends + 1 if attempts is None else attempts
        self._mapper = TargetMapper(model)
        #: The wire type of each DP as the chair reports it: learnt by the decoder, held
        #: against the model by everything that sends.
        self.types = WireTypes()
        self._points = DpMap(model)
        self._reconciler = Reconciler(model, self.settle_window_s, self.attempts, self.types)
        self._releaser = Releaser(model, self.settle_window_s, self.attempts, self.types)
        self._manual_regions = frozenset(model.manual_regions)
        self._mode_regions = {mode.value: frozenset(mode.regions) for mode in model.region_modes}
        #: Where the rollers may be (see :meth:`_carriage`).
        self._rollers_in: frozenset[Region] = AFTER_SCAN

    @property
    def capabilities(self) -> ChairCapabilities:
        return self.model.capabilities

    @property
    def key_gap_s(self) -> float:
        return self.model.timing.key_gap_ms / 1000

    def encode_key(self, key: int) -> bytes:
        raise ProtocolError(
            f"a Tuya chair takes no keys (asked to send {self.key_name(key)}): it is driven by "
            "setting data points"
        )

    def cadences(self) -> tuple[Cadence, ...]:
        protocol = self.model.protocol
        return (
            Cadence(protocol.heartbeat_s, heartbeat()),
            Cadence(protocol.query_period_ms / 1000, dp_query()),
        )

    def decoder(self, clock: Clock) -> StatusDecoding:
        return TuyaDecoder(self.model, self.types)

    def key_name(self, key: int) -> str:
        return f"key 0x{key:02X} (not a Tuya command)"

    def check(self, setpoint: Setpoint) -> None:
        self._mapper.targets(setpoint, self._rollers_in)

    def approximations(self, setpoint: Setpoint) -> list[str]:
        return list(self._mapper.targets(setpoint, self._rollers_in).notes)

    def expect_session(self, seconds: float) -> None:
        # The whole minutes that cover the session and the sets before its clock starts:
        # the chair's own stop, should this controller fail, comes no later than it must.
        needed = seconds + TIMER_SLACK_S
        minutes = max(1, min(TIME_SET_MAX_MIN, math.ceil(needed / 60 - 1e-9)))
        self._reconciler.timer_minutes = minutes

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
        # A mode sweeps the band of its regions, so only a one-region band names where the
        # rollers are.
        band = self.regions_worked(status)
        return next(iter(band)) if len(band) == 1 else None

    def regions_worked(self, status: ChairStatus) -> frozenset[Region]:
        # The running mode's band; nothing during the body scan after switching on, before
        # the rollers start.
        if not status.running or status.work_state is WorkState.FAULT:
            return frozenset()
        clock = self._reconciler.clock
        scan_ends = self._reconciler.powered_at + self.model.mechanics.body_scan_s
        if clock is not None and clock.now() < scan_ends:
            return frozenset()
        if status.technique_code:
            return frozenset(self._manual_regions)
        if status.program is not None:
            # An auto mode the model file does not describe works the manual band (the wire
            # brief's rule for the simulated chair; a real one may differ).
            return frozenset(self._mode_regions.get(status.program, self._manual_regions))
        return frozenset()

    def mismatch(self, status: ChairStatus) -> str | None:
        # The types come with the reports, not the status: every report so far counts.
        return self.types.mismatch(self._points)

    def is_safe(self, status: ChairStatus) -> bool:
        return is_safe(status)

    def forget(self) -> None:
        self._reconciler.forget()

    async def acknowledge_fault(self, port: Port) -> None:
        await self._releaser.acknowledge_fault(port)
