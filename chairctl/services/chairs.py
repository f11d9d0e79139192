"""Addressing a chair: where it is, which model it is, and the links that reach it.

Every front end reads a chair's address the same way. An address is ``sim`` or ``sim:MODEL``
(a simulated chair inside this process, the default), a serial device path or pyserial URL
(``/dev/ttyUSB0``, ``socket://host:port``), or ``ble:ADDRESS`` / ``ble:NAME`` (a Bluetooth LE
chair by address, or by advertised name, which may be a glob like ``EVOLUTION-*`` and must
match one chair in range; that chair is then reached at its address for the whole session).
The model is named where the address does not say it (serial lines say nothing; BLE names
usually do).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final, Literal

import drivers.links
from chairctl.clock import Clock
from chairctl.vocabulary import UnknownModel
from drivers.links import (
    DataCallback,
    Endpoint,
    LinkFactory,
    LostCallback,
    MemoryLink,
    SerialLink,
)
from drivers.models import DEFAULT_MODEL, ChairModel, get_model, registry
from drivers.models.schema import Transport
from simulator.chair import SimulatedChair
from simulator.config import Sitter
from simulator.families import simulated_chair

if TYPE_CHECKING:
    from drivers.links import BleBackend

_BLE_ADDRESS = re.compile(
    r"^([0-9A-Fa-f]{2}:){5}[0-9A-Fa-f]{2}$|^[0-9A-Fa-f]{8}-([0-9A-Fa-f]{4}-){3}[0-9A-Fa-f]{12}$"
)

Kind = Literal["sim", "serial", "ble-address", "ble-name"]
#: How to choose when ``ble:NAME`` matches several chairs in range.
AMBIGUITY_HINT: Final = "name yours by its address, --chair ble:ADDRESS"


@dataclass(frozen=True)
class ChairAddress:
    """Where a chair is, as ``--chair`` said it."""

    kind: Kind
    target: str
    model_id: str | None

    def __str__(self) -> str:
        return {
            "sim": f"the simulated {self.model_id or DEFAULT_MODEL}",
            "serial": f"serial {self.target}",
            "ble-address": f"BLE {self.target}",
            "ble-name": f"BLE device named {self.target}",
        }[self.kind]


def parse_chair(text: str) -> ChairAddress:
    """Read a ``--chair`` value; ValueError with a one-line reason if it is not one."""
    text = text.strip()
    if text == "sim":
        return ChairAddress("sim", "", None)
    if text.startswith("sim:"):
        model = text.removeprefix("sim:")
        if not model:
            raise ValueError(f"write sim:MODEL, e.g. sim:{DEFAULT_MODEL}")
        return ChairAddress("sim", "", model)
    if text.startswith("ble:"):
        target = text.removeprefix("ble:")
        if not target:
            raise ValueError("write ble:ADDRESS or ble:NAME, e.g. ble:EVOLUTION-*")
        kind: Kind = "ble-address" if _BLE_ADDRESS.match(target) else "ble-name"
        return ChairAddress(kind, target, None)
    if "://" in text or text.startswith(("/", "COM", "\\\\.\\")):
        return ChairAddress("serial", text, None)
    raise ValueError(
        f"'{text}' is not a chair: use sim, sim:MODEL, a serial device or URL "
        "(/dev/ttyUSB0, socket://host:port), ble:ADDRESS or ble:NAME"
    )


def resolve_model(address: ChairAddress, model_id: str | None) -> ChairModel:
    """The model of the chair: ``--model``, else what the address says, else the default.

    A serial line cannot say which chair is on it, and a wrong guess would send one family's
    keys to another's board: there is no default for it (UnknownModel says so)."""
    if model_id is not None:
        return get_model(model_id)
    if address.model_id is not None:
        return get_model(address.model_id)
    if address.kind == "serial":
        raise UnknownModel(
            f"a serial line cannot say which chair is on it: give --model for {address.target} "
            "(`chairctl models` lists them)"
        )
    if address.kind == "ble-name":
        matched = registry().match_ble_name(address.target.rstrip("*"))
        if matched is not None:
            return matched
    return get_model(DEFAULT_MODEL)


@dataclass
class Connection:
    """What a command needs to reach a chair: its model and a way to open links to it."""

    model: ChairModel
    links: LinkFactory
    simulated: SimulatedChair | None


def links_for(
    address: ChairAddress,
    model: ChairModel,
    clock: Clock,
    *,
    transport: Transport | None = None,
    sitter: Sitter | None = None,
    ble_backend: BleBackend | None = None,
) -> Connection:
    """A link factory for ``address``; for ``sim``, the simulated chair it reaches (over
    ``transport``, by default the model's BLE module when it has one, else its wire), with
    ``sitter`` in it (by default the model's average sitter). A BLE chair is reached through
    ``ble_backend`` when given (a simulated air), else the machine's Bluetooth."""
    if address.kind == "sim":
        chair = simulated_chair(model, clock, transport=transport, sitter=sitter)

        def memory() -> MemoryLink:
            def opener(on_data: DataCallback, on_lost: LostCallback) -> Endpoint:
                return chair.connect(on_data=on_data, on_close=on_lost)

            return MemoryLink(opener, description=str(address))

        return Connection(model, memory, chair)
    if address.kind == "serial":
        return Connection(model, lambda: SerialLink.for_model(model, address.target), None)
    # One chair for the whole session: a name is resolved to one device's address on the first
    # connection, and every reconnection goes to that address, never to another chair.
    if address.kind == "ble-address":
        ble = drivers.links.BleChair(
            model, address=address.target, backend=ble_backend, clock=clock
        )
    else:
        ble = drivers.links.BleChair(
            model,
            names=[address.target],
            backend=ble_backend,
            clock=clock,
            ambiguity_hint=AMBIGUITY_HINT,
        )
    return Connection(model, ble, None)
