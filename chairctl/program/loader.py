"""Loading a program file: read, validate, check the whole-file rules, or say where it is wrong.

:func:`load_program` either returns a valid :class:`Program` (each step knowing its source line)
or raises :class:`ProgramError` carrying every problem of the file, each as ``path:line:col``.
It never raises anything else for any content of the file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Final

from pydantic import ValidationError

from chairctl.program.rules import check_program
from chairctl.program.schema import KEBAB, Program, Repeat, Step
from chairctl.vocabulary import Problem, ProgramError
from chairctl.vocabulary.limits import MAX_PROGRAM_BYTES
from chairctl.yamlsource import SourceDocument, YamlSourceProblems, read_yaml, validate_source

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


#: Stand-ins for the fields that describe a program rather than what it does: with a wrong one
#: replaced, the whole-file rules (the neck, the length) can still be checked, so a file's
#: problems are all said at once.
_DESCRIPTIVE: Final[dict[str, Any]] = {
    "name": "x",
    "summary": "x",
    "description": "x",
    "category": "relaxation",
    "goals": ["tension"],
    "for_conditions": [],
    "cautions": [],
    "evidence": None,
    "sources": [],
    "contraindications": [],
}


def load_program(path: Path) -> Program:
    """Read and validate one program file."""
    try:
        doc = read_yaml(path, max_bytes=MAX_PROGRAM_BYTES, what="program file")
    except YamlSourceProblems as error:
        raise ProgramError(error.problems) from None
    try:
        program = validate_source(doc, Program, hints=_HINTS)
    except YamlSourceProblems as error:
        raise ProgramError(error.problems + _rules_despite(doc)) from None
    _attach_lines(program, doc)
    problems = check_program(program, doc)
    if problems:
        raise ProgramError(problems)
    return program


def _rules_despite(doc: SourceDocument) -> list[Problem]:
    """The whole-file rules' problems of a file whose only schema problems are in the fields
    that describe it (its id, name, category...), judged with those fields stood in for; none
    when anything else is wrong too (the steps must be read as written to be judged)."""
    if not isinstance(doc.data, dict):
        return []
    try:
        Program.model_validate(doc.data)
    except ValidationError as invalid:
        wrong = {str(entry["loc"][0]) for entry in invalid.errors() if entry["loc"]}
    else:
        return []
    stem = doc.path.stem
    stand_ins = {**_DESCRIPTIVE, "id": stem if re.fullmatch(KEBAB, stem) else "x"}
    if not wrong or not wrong <= stand_ins.keys():
        return []
    patched = {**doc.data, **{key: stand_ins[key] for key in wrong}}
    try:
        program = Program.model_validate(patched)
    except ValidationError:
        return []
    _attach_lines(program, doc)
    # The stood-in id is not the file's: what the rules say of it is not news.
    id_at = doc.value_location(("id",))
    return [p for p in check_program(program, doc) if "id" not in wrong or p.location != id_at]


def program_files(paths: Iterable[Path]) -> Iterator[Path]:
    """The program files named by ``paths``: files as given, folders searched for ``*.yaml``."""
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*.yaml") if p.is_file())
        else:
            yield path
