"""The safety layer: the hard rules every setpoint obeys, after the program and the person."""

from chairctl.safety.rules import Correction, enforce, violations

__all__ = ["Correction", "enforce", "violations"]
