"""The adapter for the Rongtai H10 key protocol: codec, reconciler and safe release together.

Ties the pieces of this family to the :class:`~drivers.adapters.base.Adapter` interface:
the codec of :mod:`drivers.protocols.rongtai`, the mapping of Setpoints onto the model
(:mod:`.targets`), the reconciler (:mod:`.reconciler`) and the safe release (:mod:`.release`).
"""

from __future__ import annotations

from chairctl.clock import Clock
from chairctl.vocabulary import (
    ChairCapabilities,
    ChairStatus,
    Region,
    Setpoint,
    WorkState,
    region_at,
    track_s,
)
from drivers.adapters.base import Adapter, Port, Release, StatusDecoding
from drivers.adapters.body import ShoulderLine, profile_line, shoulder_line
from drivers.adapters.confirm import Confirmer
from drivers.adapters.rongtai.reconciler import Reconciler
from drivers.adapters.rongtai.release import Releaser, is_safe
from drivers.adapters.rongtai.targets import TargetMapper
from drivers.models.rongtai import RongtaiModel
from drivers.protocols.rongtai import StatusDecoder, encode_key, rongtai_detail

#: How long after a key the status must still show no change before the key counts as not
#: taken. The chair reacts by its next status frame (200 ms on BLE, 50 ms wired); a second
#: is several frames of margin, short enough not to stall a program.
DEFAULT_SETTLE_WINDOW_S = 1.0
#: How often a key may be refuted before the change is reported as not taking.
DEFAULT_ATTEMPTS = 3


def _key_names(model: RongtaiModel) -> dict[int, str]:
    keys = model.keys
    names: dict[int, str] = {keys.power: "POWER"}
    names.update({spec.key: f"{technique}" for technique, spec in keys.techniques.items()})
    if keys.intensity_cycle is not None:
        names[keys.intensity_cycle] = "intensity"
    names.update({key: f"speed {i}" for i, key in enumerate(keys.speeds, 1)})
    names.update({key: f"width {width}" for width, key in keys.widths.items()})
    names.update({key: f"range {name}" for name, key in keys.ranges.items()})
    if keys.heat_toggle is not None:
        names[keys.heat_toggle] = "heat"
    names.update({g.key: f"airbags {'+'.join(g.zones)}" for g in keys.airbag_groups})
    names.update({key: f"airbag level {i}" for i, key in enumerate(keys.airbag_levels, 1)})
    if keys.airbag_off is not None:
        names[keys.airbag_off] = "airbags off"
    names.update({key: f"foot rollers {i}" for i, key in enumerate(keys.foot_roller, 1)})
    if keys.foot_roller_off is not None:
        names[keys.foot_roller_off] = "foot rollers off"
    for part, hold in (
        ("walk", keys.walk),
        ("backrest", keys.backrest),
        ("leg rest", keys.leg_rest),
    ):
        if hold is not None:
            names[hold.up_start] = f"{part} up START"
            names[hold.up_stop] = f"{part} up STOP"
            names[hold.down_start] = f"{part} down START"
            names[hold.down_stop] = f"{part} down STOP"
    if keys.zero_gravity is not None:
        names[keys.zero_gravity] = "zero gravity"
    return {key: f"{name} (0x{key:02X})" for key, name in names.items()}


class RongtaiAdapter(Adapter):
    """Drives one Rongtai H10 chair model."""

    def __init__(
        self,
        model: RongtaiModel,
        *,
        shoulder_position: float | None = None,
        settle_window_s: float = DEFAULT_SETTLE_WINDOW_S,
        attempts: int = DEFAULT_ATTEMPTS,
    ) -> None:
        if model.protocol.family != "rongtai-h10":
            raise ValueError(f"{model.id} speaks {model.protocol.family}, not rongtai-h10")
        self.model = model
        self.settle_window_s = settle_window_s
        self.attempts = attempts
        self._capabilities = model.capabilities
        self._names = _key_names(model)
        self._profile: ShoulderLine | None = None
        self._mappers: dict[ShoulderLine, TargetMapper] = {}
        self.use_profile_shoulder(shoulder_position)
        self._reconciler = Reconciler(model, settle_window_s, attempts, self.key_name)
        self._releaser = Releaser(model, settle_window_s, attempts, self.key_name)

    @property
    def capabilities(self) -> ChairCapabilities:
        return self._capabilities

    @property
    def key_gap_s(self) -> float:
        return self.model.timing.key_gap_ms / 1000

    @property
    def shoulder(self) -> ShoulderLine:
        """What is known of the sitter's shoulder line now (regions are placed by it)."""
        return shoulder_line(self.model, self._profile)

    def use_profile_shoulder(self, shoulder_position: float | None) -> None:
        """A shoulder line measured on this chair, from the person's profile (None: none), or
        else the chair's whole scan window; :class:`Unsupported` outside that window."""
        self._profile = (
            None if shoulder_position is None else profile_line(self.model, shoulder_position)
        )

    def _mapper(self) -> TargetMapper:
        line = self.shoulder
        mapper = self._mappers.get(line)
        if mapper is None:
            mapper = self._mappers[line] = TargetMapper(self.model, line)
        return mapper

    def encode_key(self, key: int) -> bytes:
        return encode_key(key, self.model.protocol.device_byte)

    def decoder(self, clock: Clock) -> StatusDecoding:
        return StatusDecoder(self.model)

    def key_name(self, key: int) -> str:
        return self._names.get(key, f"key 0x{key:02X}")

    def check(self, setpoint: Setpoint) -> None:
        self._mapper().targets(setpoint)

    def approximations(self, setpoint: Setpoint) -> list[str]:
        return list(self._mapper().targets(setpoint).notes)

    def expect_session(self, seconds: float) -> None:
        presets = sorted(self.model.keys.session_presets)
        if not presets:
            return
        # The shortest preset that covers the session: the chair's own stop, should this
        # controller fail, comes no later than it must.
        covering = [m for m in presets if m * 60 >= seconds]
        self._reconciler.timer_minutes = covering[0] if covering else presets[-1]

    def restarts_for(self, setpoint: Setpoint, status: ChairStatus) -> bool:
        return self._reconciler.would_restart(self._mapper().targets(setpoint), status)

    async def reconcile(self, setpoint: Setpoint, port: Port) -> None:
        await self._reconciler.run(self._mapper().targets(setpoint), port)

    async def release(self, port: Port) -> Release:
        return await self._releaser.release(port)

    def region_of(self, status: ChairStatus) -> Region | None:
        if status.technique is None:
            return None
        mapper = self._mapper()
        return region_at(
            track_s(status.roller_position, mapper.seat_position, mapper.shoulder_position)
        )

    def mismatch(self, status: ChairStatus) -> str | None:
        claimed = self.model.intensity_levels > 1
        if rongtai_detail(status).has_3d == claimed:
            return None
        if rongtai_detail(status).has_3d:
            return (
                f"the chair reports a 3D mechanism, but its model file ({self.model.id}) says "
                "it has none: its depth would be left wherever the chair has it"
            )
        return (
            f"the model file ({self.model.id}) gives this chair {self.model.intensity_levels} "
            "depth levels, but the chair reports no 3D mechanism"
        )

    def is_safe(self, status: ChairStatus) -> bool:
        return is_safe(status)

    def forget(self) -> None:
        self._reconciler.forget()

    async def acknowledge_fault(self, port: Port) -> None:
        # POWER is how the chair's own remote acknowledges a fault; the chair then stands by
        # where it stopped. A toggle like any other: pressed again only on evidence.
        confirmer = Confirmer(self.settle_window_s, self.attempts, self.key_name)
        while port.status.work_state is WorkState.FAULT:
            await confirmer.press(
                port,
                self.model.keys.power,
                "acknowledge the fault",
                lambda s: s.work_state is not WorkState.FAULT,
            )
