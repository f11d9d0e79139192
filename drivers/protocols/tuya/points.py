"""One product's data points in chairctl's terms: function codes and meanings, not numbers.

A Tuya product numbers its data points its own way, gives each a wire type, and an enum DP
carries the index of its value in the product's own range (``drivers.models.tuya``). A switch
may be a bool whose false means on, or an enum whose index 0 does. :class:`DpMap` turns a code
and a value in chairctl's terms (a switch's on as ``True``, an enum's value name, an integer)
into the record that sets it, and a reported record back into a code and such a value,
refusing what does not fit the product's map: an unknown id, another type, an enum index
outside the range, an integer outside its bounds. Pure code.
"""

from __future__ import annotations

from typing import Final

from chairctl.vocabulary import ProtocolError
from drivers.models.tuya import SWITCHES, DpKind, TuyaCode, TuyaModel
from drivers.protocols.tuya import DataPoint, DpType

#: A DP's value as chairctl holds it: ``True``/``False`` for a switch (on/off, whatever
#: crosses the wire), bool for other bool DPs, int for value and bitmap DPs, the value's name
#: for enum DPs.
DpValue = bool | int | str

#: The wire type of each kind a model file names.
WIRE_TYPES: Final[dict[DpKind, DpType]] = {
    "bool": DpType.BOOL,
    "value": DpType.INT,
    "enum": DpType.ENUM,
    "bitmap": DpType.BITMAP,
}
#: The fault bitmap is one byte (the wire brief: bit 0 motor overload, bit 1 actuator timeout).
_BITMAP_WIDTH: Final = 1


def type_name(kind: DpType) -> str:
    """A wire type as the model file and people name it (``value`` for Tuya's integer)."""
    return "value" if kind is DpType.INT else kind.name.lower()


def a_type(kind: DpType) -> str:
    """A wire type with its article, for sentences: ``an enum``, ``a bool``."""
    name = type_name(kind)
    return f"an {name}" if name[0] in "aeiou" else f"a {name}"


class DpMap:
    """The data points of one Tuya model."""

    def __init__(self, model: TuyaModel) -> None:
        self.model = model
        self._codes: dict[int, TuyaCode] = {p.id: code for code, p in model.datapoints.items()}
        self._wire: dict[TuyaCode, DpType] = {
            code: WIRE_TYPES[model.kind_of(code)] for code in model.datapoints
        }

    def has(self, code: TuyaCode) -> bool:
        """True when the product has ``code``."""
        return code in self.model.datapoints

    def range_of(self, code: TuyaCode) -> tuple[str, ...]:
        """The product's enum range of ``code`` (empty when it has no such enum)."""
        return self.model.range_of(code)

    def level(self, code: TuyaCode, value: str) -> int:
        """An enum value's place in the product's range, from 1 (what statuses report)."""
        return self.range_of(code).index(value) + 1

    def wire_type(self, code: TuyaCode) -> DpType:
        """The type byte the model says ``code`` carries."""
        wire = self._wire.get(code)
        return WIRE_TYPES[self.model.kind_of(code)] if wire is None else wire

    def dp_id(self, code: TuyaCode) -> int:
        """The product's DP id of ``code`` (:class:`ProtocolError` when it has none)."""
        point = self.model.point(code)
        if point is None:
            raise ProtocolError(f"this chair has no '{code}' data point")
        return point.id

    def encode(self, code: TuyaCode, value: DpValue) -> DataPoint:
        """The record that sets ``code`` to ``value``.

        Raises :class:`ProtocolError` for a code the product lacks or a value that does not
        fit it (a value name outside the range, an int for a switch, ...).
        """
        dp_id = self.dp_id(code)
        kind = self.model.kind_of(code)
        where = f"{code} (DP {dp_id}, {kind})"
        if code in SWITCHES:
            if not isinstance(value, bool):
                raise ProtocolError(f"{where}: {value!r} is not on (True) or off (False)")
            on, off = self.model.switch_values(code)
            value = on if value else off
        if kind == "bool":
            if not isinstance(value, bool):
                raise ProtocolError(f"{where}: {value!r} is not a bool")
            return DataPoint(dp_id, DpType.BOOL, value)
        if kind == "enum":
            allowed = self.range_of(code)
            if not isinstance(value, str) or value not in allowed:
                raise ProtocolError(f"{where}: {value!r} is not one of {', '.join(allowed)}")
            return DataPoint(dp_id, DpType.ENUM, allowed.index(value))
        if not isinstance(value, int) or isinstance(value, bool):
            raise ProtocolError(f"{where}: {value!r} is not an int")
        if kind == "value":
            low, high = self.model.value_bounds(code)
            if not low <= value <= high:
                raise ProtocolError(f"{where}: {value} is outside {low}..{high}")
            return DataPoint(dp_id, DpType.INT, value)
        return DataPoint(dp_id, DpType.BITMAP, value, width=_BITMAP_WIDTH)

    def decode(self, point: DataPoint) -> tuple[TuyaCode, DpValue] | None:
        """The code and value a reported record gives; None for a record that does not fit
        the product's map (the MCU of another product, or line damage that kept its sum).

        A switch reads off only on its off value: anything else it may carry is on, so that
        nothing unknown is ever taken for a chair at rest."""
        code = self._codes.get(point.dp_id)
        if code is None or point.type is not self.wire_type(code):
            return None
        kind = self.model.kind_of(code)
        value = point.value
        if kind == "enum":
            allowed = self.range_of(code)
            if not isinstance(value, int) or not 0 <= value < len(allowed):
                return None
            value = allowed[value]
        elif kind == "bool":
            if not isinstance(value, bool):
                return None
        elif not isinstance(value, int) or isinstance(value, bool):
            return None
        elif kind == "value":
            low, high = self.model.value_bounds(code)
            if not low <= value <= high:
                return None
        if code in SWITCHES:
            _, off = self.model.switch_values(code)
            return code, value != off
        return code, value

    def code_of(self, dp_id: int) -> TuyaCode | None:
        """The code the product gives DP ``dp_id``, None when it has none."""
        return self._codes.get(dp_id)
