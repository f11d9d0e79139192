"""Pydantic's validation errors in plain English: the one mapper every data file goes through.

Program files, chair model files, profiles (from a JSON document, the database or the app's
form) are all validated by pydantic models; a person reads what is wrong with them in the same
words: "intensity: must be at most 5, got 7", "technique: 'kneed' is not one of knead, ...
(did you mean 'knead'?)". Where the data came from a file, :mod:`.validation` adds the line and
column; where it did not, :func:`field_problems` names the place by its field path.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection
from typing import Final

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from chairctl.vocabulary.text import printable

_CHOICE_SPLIT: Final = re.compile(r", | or ")
#: The longest value quoted in a message; the location shows the rest.
_SHOWN_MAX: Final = 40

#: The pydantic error types that say "this is not the right kind of value", in words.
TYPE_WORDS: Final = {
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "string_type": "text",
    "bool_type": "true or false",
    "dict_type": "a mapping",
    "model_type": "a mapping",
    "model_attributes_type": "a mapping",
    "list_type": "a list",
    "tuple_type": "a list",
    "set_type": "a list",
    "frozen_set_type": "a list",
}

_BOUNDS: Final = {
    "greater_than_equal": "at least",
    "greater_than": "more than",
    "less_than_equal": "at most",
    "less_than": "less than",
}


def choices(expected: str) -> list[str]:
    """The choices of pydantic's "'a', 'b' or 3" text, unquoted."""
    return [part.strip().strip("'") for part in _CHOICE_SPLIT.split(expected) if part.strip()]


def suggest(word: object, candidates: Collection[str]) -> str:
    """' (did you mean 'x'?)' when ``word`` is a near miss of one of ``candidates``, else ''."""
    if not isinstance(word, str) or not candidates:
        return ""
    close = difflib.get_close_matches(word.lower(), list(candidates), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def shown(value: object) -> str:
    """A value as a message quotes it: short, on one line."""
    if isinstance(value, str):
        # One line, and short: a message is one line, and the location points at the value.
        flat = " ".join(value.split())
        if len(flat) > _SHOWN_MAX:
            flat = flat[: _SHOWN_MAX - 1] + "…"
        return f"'{flat}'"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return str(value).lower()
    return repr(value)


def words_for(error: ErrorDetails, name: str, *, missing: str | None = None) -> str:
    """What is wrong, in words, with the value called ``name`` (``missing``: the key that is
    absent, for a missing-key error). Unknown keys are the caller's: it knows the keys that
    would fit."""
    kind = error["type"]
    value = error.get("input")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return f"missing required key '{missing or name}'"
    if kind == "extra_forbidden":
        return f"unknown key '{missing or name}'"
    if kind in ("enum", "literal_error"):
        expected = choices(str(ctx.get("expected", "")))
        listed = ", ".join(expected)
        return f"{name}: {shown(value)} is not one of {listed}{suggest(value, expected)}"
    if kind in _BOUNDS:
        bound = next(iter(ctx.values()), "?")
        return f"{name}: must be {_BOUNDS[kind]} {bound}, got {shown(value)}"
    if kind == "finite_number":
        return f"{name}: must be a finite number, got {shown(value)}"
    if kind in TYPE_WORDS:
        return f"{name}: expected {TYPE_WORDS[kind]}, got {shown(value)}"
    if kind in ("too_short", "too_long"):
        return f"{name}: {error['msg'].lower()}"
    message = error["msg"].removeprefix("Value error, ").removeprefix("Assertion failed, ")
    return f"{name}: {message}"


def field_words(error: ErrorDetails) -> str:
    """One error in words, naming its place by field path ("health.age: must be at most 130,
    got 200"), for data that has no file to point into. Control characters are replaced: the
    words quote the data."""
    place = ".".join(str(part) for part in error["loc"]) or "document"
    last = next((p for p in reversed(error["loc"]) if isinstance(p, str)), place)
    return printable(words_for(error, place, missing=str(last)))


def field_problems(exc: ValidationError) -> list[str]:
    """Every error of ``exc`` in words, by :func:`field_words`."""
    return [field_words(error) for error in exc.errors(include_url=False)]
