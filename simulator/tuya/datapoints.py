"""The product's data-point table as the MCU keeps it: id, type and value map of every code.

A Tuya product numbers its data points its own way, so the MCU's table comes from the model
file's ``datapoints``: each code's DP id, its wire type (bool, value, enum, bitmap: the model
file's, else the standard's), and its value map: an enum's range in the product's order (the
index crosses the wire), a switch's on and off values (the neck massager's power is a bool
whose 0 means on), a value DP's bounds. The table decides which records the MCU can take
(right id, right type, a value in range) and turns the MCU's values back into records for a
report. The MCU keeps a switch as on or off (``True``/``False``) whatever its wire values;
like the neck massager's firmware, it takes a switch's on value as on and anything else as off.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from chairctl.vocabulary import ProtocolError
from drivers.models.tuya import CLOSE, REPORT_ONLY, SWITCHES, TuyaModel
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
#: Mode DPs whose "close" is the only way to stop what they run, so the range must have it
#: (unless the model says the mode runs whenever the product is on).
NEED_CLOSE: Final = ("manual_mode", "auto_mode", "aircell_location")


@dataclass(frozen=True, slots=True)
class DpSpec:
    """One data point of the product."""

    code: str
    dpid: int
    kind: int
    #: An enum's values in the product's order (empty for other kinds).
    values: tuple[str, ...]
    #: A switch's on and off values as they cross the wire (a bool, or an enum's name);
    #: None for a DP that is not a switch.
    on_off: tuple[bool | str, bool | str] | None = None
    #: The numbers a value DP takes.
    bounds: tuple[int, int] = (-(2**31), 2**31 - 1)

    @property
    def writable(self) -> bool:
        """False for a DP the module may not set."""
        return self.code not in REPORT_ONLY

    def read(self, kind: int, body: bytes) -> Value | None:
        """The value a delivered record sets, None when the MCU must ignore the record: a
        report-only DP, the wrong kind, a malformed body, or a value out of range. A switch
        reads as on for its on value and off for anything else."""
        if not self.writable or kind != self.kind:
            return None
        try:
            value = Dp(self.dpid, kind, body).python()
        except ProtocolError:
            return None
        found: Value
        if self.kind == KIND_BOOL:
            if not isinstance(value, bool):
                return None
            found = value
        elif not isinstance(value, int):
            return None
        elif self.kind == KIND_ENUM:
            if value >= len(self.values):
                return None
            found = self.values[value]
        else:
            low, high = self.bounds
            if not low <= value <= high:
                return None
            found = value
        if self.on_off is not None:
            return found == self.on_off[0]
        return found

    def encode(self, value: Value) -> Dp:
        """The record a report carries for ``value``."""
        if self.on_off is not None:
            value = self.on_off[0] if value is True else self.on_off[1]
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
            DpSpec(
                code,
                point.id,
                _KINDS[model.kind_of(code)],
                model.range_of(code),
                model.switch_values(code) if code in SWITCHES else None,
                model.value_bounds(code),
            )
            for code, point in model.datapoints.items()
        ]
        for spec in specs:
            if spec.kind == KIND_ENUM and not spec.values:
                raise SimulatorError(f"chair model {model.id}: {spec.code} has no range")
            if model.always_on(spec.code):
                continue
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
                case "switch" | "heat" | "foot_control" | "low_battery":
                    values[spec.code] = False
                case "time_set":
                    values[spec.code] = model.timing.default_session_min
                case "fault":
                    values[spec.code] = 0
                case "strength":
                    # The gentlest level (the neck massager powers up at first_gear,
                    # tuya_massage_func_logic.c line 31).
                    values[spec.code] = model.strength_levels[0]
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
