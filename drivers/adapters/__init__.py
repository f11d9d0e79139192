"""Adapters: reconcile a desired Setpoint with a chair's observed status, one protocol family
each, and bring the chair to its safe state. :func:`adapter_for` picks one for a model."""

from drivers.adapters.base import Accept, Adapter, Cadence, Port, Release, StatusDecoding
from drivers.models.schema import ChairModel


def adapter_for(model: ChairModel, *, shoulder_position: float | None = None) -> Adapter:
    """The adapter for ``model``'s protocol family (:mod:`drivers.families`).

    ``shoulder_position`` is the sitter's shoulder line in carriage positions (None: not
    known); regions are placed relative to it on a chair that places its rollers.
    """
    from drivers.families import family_of  # noqa: PLC0415 - the registry imports the adapters

    return family_of(model).adapter(model, shoulder_position)


__all__ = [
    "Accept",
    "Adapter",
    "Cadence",
    "Port",
    "Release",
    "StatusDecoding",
    "adapter_for",
]
