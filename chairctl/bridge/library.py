"""The programs a remote start may name: the library shipped with chairctl, and nothing else.

A command from the network names a program by its id or its name; it never names a file, so
nobody on the network can make the bridge read a path of their choosing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from chairctl.program import Program, load_program, total_seconds
from chairctl.program.library import library_dir
from chairctl.services.remote.payloads import LibraryEntry
from chairctl.vocabulary import ChairctlError


@dataclass(frozen=True)
class Library:
    """The library's valid programs, and the files that are not (said once, at start)."""

    programs: tuple[Program, ...]
    problems: tuple[str, ...] = ()

    def find(self, key: str) -> Program | None:
        """The program whose id is ``key``, else the one whose name is (any case)."""
        for program in self.programs:
            if program.id == key:
                return program
        folded = key.casefold()
        for program in self.programs:
            if program.name.casefold() == folded:
                return program
        return None

    def entries(self) -> list[LibraryEntry]:
        """What ``P/library`` lists."""
        return [
            LibraryEntry(
                id=program.id,
                name=program.name,
                category=program.category.value,
                minutes=round(total_seconds(program) / 60, 1),
            )
            for program in self.programs
        ]


def read_library(programs: Sequence[Program] | None = None) -> Library:
    """The library folder's programs (or ``programs``, for tests); a bad file is a problem
    said, not an end."""
    if programs is not None:
        return Library(tuple(programs))
    found: list[Program] = []
    problems: list[str] = []
    for path in sorted(library_dir().glob("*.yaml")):
        try:
            found.append(load_program(path))
        except ChairctlError as error:
            problems.append(f"{path.name}: {error}")
    return Library(tuple(found), tuple(problems))
