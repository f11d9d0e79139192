"""Where the program library and the program JSON Schema are, installed or in a checkout."""

from __future__ import annotations

import difflib
from pathlib import Path

from chairctl.vocabulary import ChairctlError

_PACKAGE = Path(__file__).resolve().parent.parent
_INSTALLED = _PACKAGE / "_data"
_CHECKOUT = _PACKAGE.parent


def _data_dir(name: str) -> Path:
    # A wheel carries the folders inside the package; a source checkout (and an editable
    # install) has them beside it.
    installed = _INSTALLED / name
    return installed if installed.is_dir() else _CHECKOUT / name


def library_dir() -> Path:
    """The folder of the program library shipped with chairctl."""
    return _data_dir("programs")


def schema_file() -> Path:
    """The committed JSON Schema of program files."""
    return _data_dir("schema") / "program.schema.json"


class ProgramNotFound(ChairctlError):
    """A program named by a path that does not exist, or an id the library does not hold."""


def library_ids() -> list[str]:
    """The ids of the library's programs (their file names), sorted."""
    return sorted(path.stem for path in library_dir().glob("*.yaml"))


def names_a_path(name: str) -> bool:
    """True when ``name`` is written as a path (a folder in it, or a YAML suffix), not an id."""
    path = Path(name)
    return path.exists() or path.suffix in (".yaml", ".yml") or "/" in name


def find_program(name: str) -> Path:
    """A program file by path, or by id in the library (``lower-back-relief``); the path may
    not exist (:func:`locate_program` says so)."""
    return Path(name) if names_a_path(name) else library_dir() / f"{name}.yaml"


def locate_program(name: str) -> Path:
    """The program file ``name`` means (a path, or a library id); :class:`ProgramNotFound`
    with the library ids closest to it when there is none."""
    path = find_program(name)
    if path.exists():
        return path
    if names_a_path(name):
        raise ProgramNotFound(f"no such file or folder: {name}")
    message = f"no program file or library program '{name}'"
    close = difflib.get_close_matches(Path(name).stem, library_ids(), n=2, cutoff=0.8)
    if close:
        message += "; did you mean " + " or ".join(f"'{c}'" for c in close) + "?"
    raise ProgramNotFound(message)
