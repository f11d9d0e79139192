"""Loading a program file: read, validate, check the whole-file rules, or say where it is wrong.

:func:`load_program` either returns a valid :class:`Program` (each step knowing its source line)
or raises :class:`ProgramError` carrying every problem of the file, each as ``path:line:col``.
It never raises anything else for any content of the file.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from chairctl.program.rules import check_program
from chairctl.program.schema import Program, Repeat, Step
from chairctl.vocabulary import ProgramError
from chairctl.vocabulary.limits import MAX_PROGRAM_BYTES
from chairctl.yamlsource import SourceDocument, YamlSourceProblems, read_model

#: Advice for a key of the other kind of entry (a step carrying a block's 'steps').
_HINTS = {"steps": "a block of steps needs 'repeat: N'"}


def _attach_lines(program: Program, doc: SourceDocument) -> None:
    def visit(items: list[Step | Repeat], path: tuple[str | int, ...]) -> None:
        for index, item in enumerate(items):
            here = (*path, index)
            item._line = doc.value_location(here).line
            if isinstance(item, Repeat):
                visit(item.steps, (*here, "steps"))

    visit(program.steps, ("steps",))


def load_program(path: Path) -> Program:
    """Read and validate one program file."""
    try:
        program, doc = read_model(
            path, Program, max_bytes=MAX_PROGRAM_BYTES, what="program file", hints=_HINTS
        )
    except YamlSourceProblems as error:
        raise ProgramError(error.problems) from None
    _attach_lines(program, doc)
    problems = check_program(program, doc)
    if problems:
        raise ProgramError(problems)
    return program


def program_files(paths: Iterable[Path]) -> Iterator[Path]:
    """The program files named by ``paths``: files as given, folders searched for ``*.yaml``."""
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*.yaml") if p.is_file())
        else:
            yield path
