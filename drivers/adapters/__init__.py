"""Adapters: reconcile a desired Setpoint with a chair's observed status, one protocol family
each, and bring the chair to its safe state. :func:`adapter_for` picks one for a model."""

from drivers.adapters.base import Accept, Adapter, Port, Release, StatusDecoding
from drivers.adapters.rongtai import DEFAULT_ATTEMPTS, DEFAULT_SETTLE_WINDOW_S, RongtaiAdapter
from drivers.models.schema import ChairModel


def adapter_for(
    model: ChairModel,
    *,
    shoulder_position: float | None = None,
    settle_window_s: float = DEFAULT_SETTLE_WINDOW_S,
    attempts: int = DEFAULT_ATTEMPTS,
) -> Adapter:
    """The adapter for ``model``'s protocol family.

    ``shoulder_position`` is the sitter's shoulder line in carriage positions (None: the
    model's average sitter); regions are placed relative to it.
    """
    # One family today: the model schema's protocol.family literal grows with the next one.
    return RongtaiAdapter(
        model,
        shoulder_position=shoulder_position,
        settle_window_s=settle_window_s,
        attempts=attempts,
    )


__all__ = [
    "Accept",
    "Adapter",
    "Port",
    "Release",
    "RongtaiAdapter",
    "StatusDecoding",
    "adapter_for",
]
