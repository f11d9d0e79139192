"""Adapters: reconcile a desired Setpoint with a chair's observed status, one protocol family
each, and bring the chair to its safe state. :func:`adapter_for` picks one for a model."""

from drivers.adapters.base import Accept, Adapter, Cadence, Port, Release, StatusDecoding
from drivers.adapters.ncni import NcniAdapter
from drivers.adapters.rongtai import DEFAULT_ATTEMPTS, DEFAULT_SETTLE_WINDOW_S, RongtaiAdapter
from drivers.adapters.tuya import TuyaAdapter
from drivers.models.schema import ChairModel, NcniModel, RongtaiModel, TuyaModel


def adapter_for(
    model: ChairModel,
    *,
    shoulder_position: float | None = None,
    settle_window_s: float = DEFAULT_SETTLE_WINDOW_S,
    attempts: int = DEFAULT_ATTEMPTS,
) -> Adapter:
    """The adapter for ``model``'s protocol family.

    ``shoulder_position`` is the sitter's shoulder line in carriage positions (None: the
    model's average sitter); regions are placed relative to it on a chair that places its
    rollers. ``settle_window_s`` and ``attempts`` tune the Rongtai toggle rule; the other
    families take theirs from their protocol (Tuya's resend timing in the model file, NCNI's
    measured windows).
    """
    match model:
        case RongtaiModel():
            return RongtaiAdapter(
                model,
                shoulder_position=shoulder_position,
                settle_window_s=settle_window_s,
                attempts=attempts,
            )
        case TuyaModel():
            return TuyaAdapter(model)
        case NcniModel():
            return NcniAdapter(model)


__all__ = [
    "Accept",
    "Adapter",
    "Cadence",
    "NcniAdapter",
    "Port",
    "Release",
    "RongtaiAdapter",
    "StatusDecoding",
    "TuyaAdapter",
    "adapter_for",
]
