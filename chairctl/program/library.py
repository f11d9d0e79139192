"""Where the program library and the program JSON Schema are, installed or in a checkout."""

from __future__ import annotations

from pathlib import Path

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


def find_program(name: str) -> Path:
    """A program file by path, or by id in the library (``lower-back-relief``)."""
    path = Path(name)
    if path.exists() or path.suffix in (".yaml", ".yml") or "/" in name:
        return path
    return library_dir() / f"{name}.yaml"
