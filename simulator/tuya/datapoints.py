"""The product's data-point table as the MCU keeps it: id, kind and range of every code.

A Tuya product numbers its data points its own way, so the MCU's table comes from the model
file's ``datapoints``: each standard code's DP id, its kind (bool, value, enum, bitmap: fixed by
the standard) and, for an enum, its range in the product's order (the index crosses the wire).
The table decides which records the MCU can take (right id, right kind, a value in range) and
turns the MCU's values back into records for a report.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from chairctl.vocabulary import ProtocolError
from drivers.models.tuya import CLOSE, CODE_KINDS, TIME_SET_MAX_MIN, TuyaModel
from simulator.config import ChairOptions
from simulator.errors import SimulatorError
from simulator.tuya.frames import KIND_BITMAP, KIND_BOOL, KIND_ENUM, KIND_VALUE, Dp

#: A DP's value as the MCU keeps it: bool, a number (value, bitmap), or an enum's name.
Value = bool | int | str

_KINDS: Final[Mapping[str, int]] = {
    "bool": KIND_BOOL,
    "value": KIND_VALUE,
    "enum": KIND_ENUM,
    "bitmap": KIND_BITMAP,
}
#: The numbers a value DP takes, per code (the standard's time_set is 0..500 minutes).
_VALUE_BOUNDS: Final[Mapping[str, tuple[int, int]]] = {"time_set": (0, TIME_SET_MAX_MIN)}
#: DPs the MCU only reports: Tuya's fault bitmap is the chair's to say.
_REPORT_ONLY: Final = frozenset({"fault"})
#: Mode DPs whose "close" is the only way to stop what they run, so the range must have it.
NEED_CLOSE: Final = ("manual_mode", "auto_mode", "aircell_location")


@dataclass(frozen=True, slots=True)
class DpSpec:
    """One data point of the product."""

    code: str
    dpid: int
    kind: int
    #: An enum's values in the product's order (empty for other kinds).
    values: tuple[str, ...]

    @property
    def writable(self) -> bool:
        """False for a DP the module may not set."""
        return self.code not in _REPORT_ONLY

    def read(self, kind: int, body: bytes) -> Value | None:
        """The value a delivered record sets, None when the MCU must ignore the record: a
        report-only DP, the wrong kind, a malformed body, or a value out of range."""
        if not self.writable or kind != self.kind:
            return None
        try:
            value = Dp(self.dpid, kind, body).python()
        except ProtocolError:
            return None
        if self.kind == KIND_BOOL:
            return value if isinstance(value, bool) else None
        if not isinstance(value, int):
            return None
        if self.kind == KIND_ENUM:
            return self.values[value] if value < len(self.values) else None
        low, high = _VALUE_BOUNDS.get(self.code, (-(2**31), 2**31 - 1))
        return value if low <= value <= high else None

    def encode(self, value: Value) -> Dp:
        """The record a report carries for ``value``."""
        if self.kind == KIND_BOOL:
            return Dp.boolean(self.dpid, bool(value))
        if self.kind == KIND_ENUM:
            return Dp.enum(self.dpid, self.values.index(str(value)))
        if self.kind == KIND_BITMAP:
            return Dp.bitmap(self.dpid, int(value), 1)
        return Dp.value(self.dpid, int(value))


class DpTable:
    """Every data point of one product, by code and by DP id, in DP-id order."""

    def __init__(self, model: TuyaModel) -> None:
        specs = [
            DpSpec(code, point.id, _KINDS[CODE_KINDS[code]], model.range_of(code))
            for code, point in model.datapoints.items()
        ]
        for spec in specs:
            if spec.kind == KIND_ENUM and not spec.values:
                raise SimulatorError(f"chair model {model.id}: {spec.code} has no range")
            if spec.code in NEED_CLOSE and CLOSE not in spec.values:
                raise SimulatorError(
                    f"chair model {model.id}: the simulated chair needs '{CLOSE}' in the range "
                    f"of {spec.code} to stop it"
                )
        #: Every DP, lowest id first (the order of a full report).
        self.specs: tuple[DpSpec, ...] = tuple(sorted(specs, key=lambda s: s.dpid))
        self.by_id: dict[int, DpSpec] = {s.dpid: s for s in self.specs}
        self.by_code: dict[str, DpSpec] = {s.code: s for s in self.specs}

    @property
    def codes(self) -> tuple[str, ...]:
        """Every code of the product, lowest DP id first."""
        return tuple(s.code for s in self.specs)

    def defaults(self, model: TuyaModel, options: ChairOptions) -> dict[str, Value]:
        """Every DP as the MCU powers up: off, modes closed, mid-range settings."""
        values: dict[str, Value] = {}
        for spec in self.specs:
            match spec.code:
                case "switch" | "heat" | "foot_control":
                    values[spec.code] = False
                case "time_set":
                    values[spec.code] = model.timing.default_session_min
                case "fault":
                    values[spec.code] = 0
                case "massage_speed":
                    values[spec.code] = _pick(model.speeds or spec.values, options.initial_speed)
                case "aircell_speed":
                    values[spec.code] = _pick(
                        model.airbag_levels or spec.values, options.initial_airbag_level
                    )
                case "ball_location":
                    width = model.widths.get(options.initial_width)
                    values[spec.code] = _first(spec.values, "middle") if width is None else width
                case "gravity_control":
                    values[spec.code] = _first(spec.values, "reset")
                case "back_control" | "bottom_control":
                    values[spec.code] = _first(spec.values, "stop")
                case _:
                    values[spec.code] = _first(spec.values, CLOSE)
        return values

    def records(self, values: Mapping[str, Value], codes: list[str] | tuple[str, ...]) -> list[Dp]:
        """The records of a report carrying ``codes`` (in that order) at ``values``."""
        return [self.by_code[code].encode(values[code]) for code in codes]


def _pick(values: Sequence[str], level: int) -> str:
    """The ``level``-th value (1-based), kept within the range."""
    return values[max(1, min(level, len(values))) - 1]


def _first(values: Sequence[str], wanted: str) -> str:
    """``wanted`` when the range has it, else its first value."""
    return wanted if wanted in values else values[0]
