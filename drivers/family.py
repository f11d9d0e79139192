"""What a protocol family gives chairctl, in one shape: what :mod:`drivers.families` registers.

A family is its own folders (``drivers/protocols/F``, ``drivers/adapters/F``,
``drivers/models/F…``, ``simulator/F``). It hands the rest of chairctl one :class:`Family`:
the class of its model files, how to make its adapter, how ``decode`` reads its frames, and
what ``models`` shows of a model (as plain rows and tables: the front end draws them). Nothing
outside the family's folders and the two registries names it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from drivers.adapters.base import Adapter
from drivers.models.common import ModelBase

M = TypeVar("M", bound=ModelBase)

#: One frame's bytes -> the JSON object ``decode`` prints for it; raises ProtocolError.
FrameDecoder = Callable[[bytes], dict[str, Any]]


@dataclass(frozen=True)
class DetailTable:
    """A table of a model's details: its key codes, data points, modes."""

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class ModelDetails:
    """What ``chairctl models ID`` shows of a model that depends on its family."""

    #: How the chair is talked to: (what, how) rows.
    protocol: tuple[tuple[str, str], ...]
    #: The chair's own programs or modes, by name.
    programs: tuple[str, ...]
    tables: tuple[DetailTable, ...]
    #: Family fields of the model's one-line summary (``models --json``).
    summary: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Family(Generic[M]):
    """One protocol family, as the rest of chairctl uses it."""

    #: The name model files give in ``protocol.family``.
    name: str
    model_class: type[M]
    #: The shipped model that stands for the family where one chair of each is wanted (the
    #: cross-family test suite, the benchmarks).
    example_model: str
    #: The adapter for a model, placing regions by the sitter's shoulder line (None: unknown).
    adapter: Callable[[M, float | None], Adapter]
    #: How ``decode`` reads one frame of a model of this family.
    decoder: Callable[[M], FrameDecoder]
    details: Callable[[M], ModelDetails]


def hex_code(code: int | None) -> str:
    """A key code as model files and tables write it ("0x2A"); "-" for none."""
    return "-" if code is None else f"0x{code:02X}"


def joined(items: Any) -> str:
    """Items in one cell, or "-" for none."""
    return ", ".join(str(item) for item in items) or "-"
