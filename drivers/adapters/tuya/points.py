"""One product's data points in chairctl's terms: standard codes and value names, not numbers.

A Tuya product numbers its data points its own way and an enum DP carries the index of its
value in the product's own range (``drivers.models.tuya``). :class:`DpMap` turns a code and a
value (a bool, an int, or an enum's value name) into the record that sets it, and a reported
record back into a code and a value, refusing what does not fit the product's map: an unknown
id, the wrong type, an enum index outside the range. Pure code.
"""

from __future__ import annotations

from typing import Final

from chairctl.vocabulary import ProtocolError
from drivers.models.tuya import CODE_KINDS, TIME_SET_MAX_MIN, DpKind, TuyaCode, TuyaModel
from drivers.protocols.tuya import DataPoint, DpType

#: A DP's value as chairctl holds it: bool for bool DPs, int for value and bitmap DPs, the
#: value's name for enum DPs.
DpValue = bool | int | str

_TYPES: Final[dict[DpKind, DpType]] = {
    "bool": DpType.BOOL,
    "value": DpType.INT,
    "enum": DpType.ENUM,
    "bitmap": DpType.BITMAP,
}
#: The fault bitmap is one byte (the wire brief: bit 0 motor overload, bit 1 actuator timeout).
_BITMAP_WIDTH: Final = 1


class DpMap:
    """The data points of one Tuya model."""

    def __init__(self, model: TuyaModel) -> None:
        self.model = model
        self._codes: dict[int, TuyaCode] = {p.id: code for code, p in model.datapoints.items()}

    def has(self, code: TuyaCode) -> bool:
        """True when the product has ``code``."""
        return code in self.model.datapoints

    def range_of(self, code: TuyaCode) -> tuple[str, ...]:
        """The product's enum range of ``code`` (empty when it has no such enum)."""
        return self.model.range_of(code)

    def level(self, code: TuyaCode, value: str) -> int:
        """An enum value's place in the product's range, from 1 (what statuses report)."""
        return self.range_of(code).index(value) + 1

    def encode(self, code: TuyaCode, value: DpValue) -> DataPoint:
        """The record that sets ``code`` to ``value``.

        Raises :class:`ProtocolError` for a code the product lacks or a value that does not
        fit it (a value name outside the range, an int for a bool, ...).
        """
        point = self.model.datapoints.get(code)
        if point is None:
            raise ProtocolError(f"this chair has no '{code}' data point")
        kind = CODE_KINDS[code]
        where = f"{code} (DP {point.id}, {kind})"
        if kind == "bool":
            if not isinstance(value, bool):
                raise ProtocolError(f"{where}: {value!r} is not a bool")
            return DataPoint(point.id, DpType.BOOL, value)
        if kind == "enum":
            allowed = self.range_of(code)
            if not isinstance(value, str) or value not in allowed:
                raise ProtocolError(f"{where}: {value!r} is not one of {', '.join(allowed)}")
            return DataPoint(point.id, DpType.ENUM, allowed.index(value))
        if not isinstance(value, int) or isinstance(value, bool):
            raise ProtocolError(f"{where}: {value!r} is not an int")
        if kind == "value":
            return DataPoint(point.id, DpType.INT, value)
        return DataPoint(point.id, DpType.BITMAP, value, width=_BITMAP_WIDTH)

    def decode(self, point: DataPoint) -> tuple[TuyaCode, DpValue] | None:
        """The code and value a reported record gives; None for a record that does not fit
        the product's map (the MCU of another product, or line damage that kept its sum)."""
        code = self._codes.get(point.dp_id)
        if code is None:
            return None
        kind = CODE_KINDS[code]
        if point.type is not _TYPES[kind]:
            return None
        value = point.value
        if kind == "bool":
            return (code, value) if isinstance(value, bool) else None
        if not isinstance(value, int) or isinstance(value, bool):
            return None
        if kind == "enum":
            allowed = self.range_of(code)
            return (code, allowed[value]) if 0 <= value < len(allowed) else None
        if code == "time_set" and not 0 <= value <= TIME_SET_MAX_MIN:
            return None
        return code, value

    def code_of(self, dp_id: int) -> TuyaCode | None:
        """The code the product gives DP ``dp_id``, None when it has none."""
        return self._codes.get(dp_id)
