"""A simulated massage chair: virtual firmware and physics per protocol family, on a Clock.

Build one with :func:`simulated_chair` (a :class:`SimulatedChair` of the model's protocol
family), attach a controller with
:meth:`SimulatedChair.connect`, and judge what it did from :attr:`SimulatedChair.trace`.
:mod:`simulator.serve` puts it on a pty or a TCP port for other programs.
"""

from simulator.chair import SimulatedChair
from simulator.config import ChairOptions, Sitter
from simulator.errors import SimulatorError
from simulator.families import simulated_chair
from simulator.faults import (
    CorruptFrames,
    DropFrames,
    Fault,
    LimitSwitchFailure,
    LinkDrop,
    Overload,
    ScheduledFault,
    parse_fault,
)
from simulator.link import Connection
from simulator.trace import Channel, PhysicalState, RollerActivity, Trace

__all__ = [
    "ChairOptions",
    "Channel",
    "Connection",
    "CorruptFrames",
    "DropFrames",
    "Fault",
    "LimitSwitchFailure",
    "LinkDrop",
    "Overload",
    "PhysicalState",
    "RollerActivity",
    "ScheduledFault",
    "SimulatedChair",
    "SimulatorError",
    "Sitter",
    "Trace",
    "parse_fault",
    "simulated_chair",
]
