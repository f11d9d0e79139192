"""The simulator's own error: a simulated chair cannot be set up the way it was asked."""

from __future__ import annotations

from chairctl.vocabulary import ChairctlError


class SimulatorError(ChairctlError):
    """A simulated chair was asked for something it cannot be (bad fault spec, unknown form)."""

    exit_code = 2
