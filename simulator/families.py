"""The simulated chair for a model: one per protocol family, built by :func:`simulated_chair`."""

from __future__ import annotations

from chairctl.clock import Clock
from drivers.models.schema import ChairModel, NcniModel, RongtaiModel, Transport, TuyaModel
from simulator.chair import SimulatedChair
from simulator.config import ChairOptions, Sitter
from simulator.errors import SimulatorError
from simulator.ncni.chair import NcniChair
from simulator.rongtai.chair import RongtaiChair
from simulator.tuya.chair import TuyaChair


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
    match model:
        case RongtaiModel():
            return RongtaiChair(model, clock, form=chosen, sitter=sitter, options=options)
        case TuyaModel():
            return TuyaChair(model, clock, sitter=sitter, options=options)
        case NcniModel():
            return NcniChair(model, clock, sitter=sitter, options=options)
    raise SimulatorError(f"no simulated firmware for protocol {model.family}")
