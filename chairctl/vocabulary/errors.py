"""The one exception tree of chairctl, drivers and simulator.

Every error a user can cause or meet derives from :class:`ChairctlError`; front ends turn
these into one readable line and an exit code. Anything else escaping is a bug.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class ChairctlError(Exception):
    """Root of every error chairctl raises on purpose."""

    exit_code: int = 1


@dataclass(frozen=True, order=True)
class Location:
    """A place in a file: 1-based line and column."""

    path: Path
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Problem:
    """One located problem in a file."""

    location: Location
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


class SourceFileError(ChairctlError):
    """A file a user wrote is not valid; carries every problem found in it, each located."""

    def __init__(self, problems: list[Problem]) -> None:
        if not problems:
            raise ValueError(f"a {type(self).__name__} needs at least one problem")
        self.problems = sorted(set(problems), key=lambda p: (p.location, p.message))
        super().__init__("\n".join(str(p) for p in self.problems))


class ProgramError(SourceFileError):
    """A program file is not valid."""


class PlanError(ChairctlError):
    """A valid program cannot be compiled for this chair or this person."""


class SafetyViolation(ChairctlError):
    """Something would break a safety rule; the safety layer refused it."""


class ModelError(SourceFileError):
    """A chair model file is not valid."""


class UnknownModel(ChairctlError):
    """No chair model has the name asked for, or none matches a device."""


class ProtocolError(ChairctlError):
    """Bytes on the wire do not form a valid frame."""


class LinkError(ChairctlError):
    """The link to the chair failed: it could not open, dropped, or timed out."""


class ChairFault(ChairctlError):
    """The chair reported a fault, or a watchdog tripped; latched until cleared."""

    def __init__(self, message: str, *, error_code: int | None = None) -> None:
        super().__init__(message)
        #: The chair's own error code, when it showed one.
        self.error_code = error_code


class ModelMismatch(ChairFault):
    """The chair does not do what its model file says: a claim the status can check (a 3D
    mechanism, the technique a key selects) came out otherwise. The session stops and nothing
    more is sent until the model file is put right."""


class NotConfirmed(ChairctlError):
    """The chair did not confirm a change: a key it did not take, a state it did not reach."""


class Unsupported(ChairctlError):
    """The chair cannot do what was asked at all; refused before anything moves."""


class StoreError(ChairctlError):
    """The local database cannot be used: damaged, not chairctl's, from a newer chairctl, or
    refused a write. Nothing is reset to get past it; the message says what to do."""

    def __init__(self, message: str, *, path: Path | None = None) -> None:
        super().__init__(message)
        #: The database file concerned, when there is one.
        self.path = path


class Interrupted(ChairctlError):
    """An operation on the chair was cut short (a stop, a newer setpoint, a dropped link).

    Nothing resumes by itself: after a dropped link the chair is made safe and stays so until
    the interruption is acknowledged and a setpoint applied again.
    """
