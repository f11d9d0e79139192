"""The wire type of each data point, as the chair itself reports it.

A model file says what type each DP has; the chair says what it really has in every report.
Where they differ, the model file is wrong for this chair, and a value of the file's type would
be read by the chair as something else (or not at all): nothing is sent until it is put right.
:class:`WireTypes` keeps the type each DP id last came with, from the reports the MCU sends on
connecting (it answers the first DP query with every DP) and from every report after;
:meth:`WireTypes.mismatch` says, in words, the first DP where the chair contradicts the model.
"""

from __future__ import annotations

from drivers.models.tuya import TuyaCode
from drivers.protocols.tuya import DataPoint, DpType
from drivers.protocols.tuya.points import DpMap, a_type


class WireTypes:
    """The type each DP id came with in the chair's reports since the link opened."""

    def __init__(self) -> None:
        self._types: dict[int, DpType] = {}
        #: What :meth:`mismatch` found, kept until a type changes (it is asked per status).
        self._verdict: tuple[DpMap, str | None] | None = None

    def learn(self, point: DataPoint) -> None:
        """Note the type a reported record came with."""
        if self._types.get(point.dp_id) is not point.type:
            self._types[point.dp_id] = point.type
            self._verdict = None

    def reported(self, dp_id: int) -> DpType | None:
        """The type DP ``dp_id`` last came with; None when the chair has not reported it."""
        return self._types.get(dp_id)

    def clear(self) -> None:
        """Forget every type (a new link: the chair is asked again)."""
        self._types.clear()
        self._verdict = None

    def contradiction(self, points: DpMap, code: TuyaCode) -> str | None:
        """How the chair's type of ``code`` contradicts the model, in words; None when it
        agrees or has not reported it."""
        model = points.model
        dp_id = points.dp_id(code)
        reported = self._types.get(dp_id)
        wanted = points.wire_type(code)
        if reported is None or reported is wanted:
            return None
        return (
            f"DP {dp_id} ({code}): the model file ({model.id}) says it is {a_type(wanted)} "
            f"DP, the chair reports {a_type(reported)}"
        )

    def mismatch(self, points: DpMap) -> str | None:
        """The first DP of the model whose reported type contradicts it, in words."""
        if self._verdict is not None and self._verdict[0] is points:
            return self._verdict[1]
        found = next(
            (
                words
                for code in points.model.datapoints
                if (words := self.contradiction(points, code)) is not None
            ),
            None,
        )
        self._verdict = (points, found)
        return found
