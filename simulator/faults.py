"""Faults the simulated chair can be given, now or at a clock time, and their text form.

The text form is what ``chairctl sim serve --fault`` takes: ``NAME[:ARG]@SECONDS``, seconds
after the chair starts. ARG is a frame count for ``corrupt`` and ``drop-frames`` and a motor
for ``overload``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Final, Literal

from simulator.errors import SimulatorError

Motor = Literal["walk", "knead", "knock", "foot-roller"]
MOTORS: Final[tuple[Motor, ...]] = ("walk", "knead", "knock", "foot-roller")


@dataclass(frozen=True, slots=True)
class Overload:
    """A motor draws too much current: the chair faults and shows an error code."""

    motor: Motor = "knead"


@dataclass(frozen=True, slots=True)
class LimitSwitchFailure:
    """The actuators' limit switches stop reporting, so the next drive (or the one under way)
    runs into the travel watchdog and the chair faults."""


@dataclass(frozen=True, slots=True)
class CorruptFrames:
    """The next ``count`` status frames each have one byte damaged on the way out."""

    count: int = 5


@dataclass(frozen=True, slots=True)
class DropFrames:
    """The next ``count`` status frames are never sent."""

    count: int = 10


@dataclass(frozen=True, slots=True)
class LinkDrop:
    """The link to the controller breaks: the connection closes."""


Fault = Overload | LimitSwitchFailure | CorruptFrames | DropFrames | LinkDrop

#: Names in the text form.
FAULT_NAMES: Final[tuple[str, ...]] = (
    "overload",
    "actuator-timeout",
    "corrupt",
    "drop-frames",
    "link-drop",
)


@dataclass(frozen=True, slots=True)
class ScheduledFault:
    """A fault and when it strikes, in seconds after the chair starts."""

    fault: Fault
    after: float


_SPEC = re.compile(r"^(?P<name>[a-z-]+)(?::(?P<arg>[a-z0-9-]+))?@(?P<at>[0-9]+(?:\.[0-9]*)?)$")


def parse_fault(spec: str) -> ScheduledFault:
    """Read ``NAME[:ARG]@SECONDS``; :class:`SimulatorError` saying what is wrong otherwise."""
    match = _SPEC.match(spec.strip())
    if match is None:
        raise SimulatorError(
            f"fault '{spec}' is not NAME[:ARG]@SECONDS (for example link-drop@30); "
            f"names: {', '.join(FAULT_NAMES)}"
        )
    name, arg, at = match["name"], match["arg"], float(match["at"])
    if not math.isfinite(at):
        raise SimulatorError(f"fault '{spec}': the time must be a number of seconds")
    return ScheduledFault(_fault(name, arg, spec), at)


def _fault(name: str, arg: str | None, spec: str) -> Fault:
    if name == "overload":
        if arg is None:
            return Overload()
        for motor in MOTORS:
            if motor == arg:
                return Overload(motor)
        raise SimulatorError(f"fault '{spec}': motor must be one of {', '.join(MOTORS)}")
    if name in ("corrupt", "drop-frames"):
        count = _count(arg, spec)
        if name == "corrupt":
            return CorruptFrames() if count is None else CorruptFrames(count)
        return DropFrames() if count is None else DropFrames(count)
    if arg is not None:
        raise SimulatorError(f"fault '{spec}': {name} takes no argument")
    if name == "actuator-timeout":
        return LimitSwitchFailure()
    if name == "link-drop":
        return LinkDrop()
    raise SimulatorError(f"unknown fault '{name}'; known: {', '.join(FAULT_NAMES)}")


def _count(arg: str | None, spec: str) -> int | None:
    if arg is None:
        return None
    if not arg.isdigit() or int(arg) < 1:
        raise SimulatorError(f"fault '{spec}': the frame count must be a positive whole number")
    return int(arg)
