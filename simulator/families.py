"""The registry of simulated chairs: one line per protocol family, built by :func:`simulated_chair`.

Each family's simulated firmware lives in its own folder (``simulator/F``) and offers a
``simulate`` function; this is the one place that names them all (the driver's side is
:mod:`drivers.families`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any, Final

from chairctl.clock import Clock
from drivers.models.schema import ChairModel, Transport
from simulator.chair import SimulatedChair
from simulator.config import ChairOptions, Sitter
from simulator.errors import SimulatorError
from simulator.korean import chair as korean
from simulator.ncni import chair as ncni
from simulator.rongtai import chair as rongtai
from simulator.tuya import chair as tuya

#: How a family's simulated chair is made: (model, clock, transport, sitter, options).
Simulate = Callable[[Any, Clock, Transport, Sitter | None, ChairOptions | None], SimulatedChair]

#: Protocol family name -> its simulated chair.
SIMULATED: Final[Mapping[str, Simulate]] = MappingProxyType(
    {
        "rongtai-h10": rongtai.simulate,
        "tuya-mcu": tuya.simulate,
        "ncni": ncni.simulate,
        "korean-ascii": korean.simulate,
    }
)


def simulated_chair(
    model: ChairModel,
    clock: Clock,
    *,
    transport: Transport | None = None,
    sitter: Sitter | None = None,
    options: ChairOptions | None = None,
) -> SimulatedChair:
    """A simulated chair of ``model``'s protocol family, reached over ``transport`` (by
    default BLE when the model has it, else its wired port)."""
    chosen: Transport = transport or ("ble" if "ble" in model.transports else "wired")
    if chosen not in model.transports:
        raise SimulatorError(f"chair model {model.id} cannot be reached over {chosen}")
    simulate = SIMULATED.get(model.family)
    if simulate is None:
        raise SimulatorError(f"no simulated firmware for protocol {model.family}")
    return simulate(model, clock, chosen, sitter, options)
