"""Validating a read YAML document with pydantic, every error located in the file.

Each pydantic error becomes one :class:`~chairctl.vocabulary.errors.Problem`: the words are the
one mapper's (:mod:`chairctl.yamlsource.words`), the place is where the value (or the key)
stands in the file, and an unknown key gets a "did you mean" from the keys that fit there.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from pathlib import Path
from types import UnionType
from typing import Annotated, Any, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from chairctl.vocabulary.errors import Problem
from chairctl.vocabulary.text import printable
from chairctl.yamlsource.reader import Path_, SourceDocument, YamlSourceProblems, read_yaml
from chairctl.yamlsource.words import TYPE_WORDS, shown, suggest, words_for


def describe_error(
    error: ErrorDetails, doc: SourceDocument, hints: Mapping[str, str] | None = None
) -> Problem:
    """One pydantic error as a located, plain-English problem.

    ``hints`` add a word of advice when a key that belongs to another kind of entry at the
    same place turns up (the file format knows what would make it fit).
    """
    hints = hints or {}
    loc = tuple(error["loc"])
    path, rest = doc.resolve(loc)
    kind = error["type"]
    ctx = error.get("ctx") or {}
    # Name things by where they are in the file, not by pydantic's internal labels.
    names = [p for p in path if isinstance(p, str)]
    name = names[-1] if names else "value"
    where = doc.value_location(path)
    if "[key]" in rest:
        # The path ends at the key itself (a name or a number): the mapping holding it names it.
        holders = [p for p in path[:-1] if isinstance(p, str)]
        name = f"{holders[-1]} key" if holders else "key"
        where = doc.key_location(path)

    if kind == "extra_forbidden":
        key = rest[0] if rest else path[-1] if path else name
        full = (*path, key) if rest else path
        allowed = [str(k) for k in ctx.get("allowed", ())]
        if key in allowed:
            # Valid for another kind of entry at this place (a step carrying a block's
            # 'steps', say): suggesting the key itself would say nothing.
            return Problem(
                doc.key_location(full),
                f"key '{key}' does not go with the other keys of this entry"
                + (f" ({hints[str(key)]})" if str(key) in hints else ""),
            )
        return Problem(doc.key_location(full), f"unknown key '{key}'{suggest(key, allowed)}")
    if kind == "missing":
        missing = next((p for p in reversed(rest) if isinstance(p, str)), name)
        return Problem(where, words_for(error, name, missing=str(missing)))
    return Problem(where, words_for(error, name))


def _merge_alternatives(errors: list[ErrorDetails], doc: SourceDocument) -> list[ErrorDetails]:
    """Keep, for a value that could take several forms, only the errors of the form it took.

    A field like ``intensity: 7`` (a number or a ramp) fails both ways; "expected a mapping"
    says nothing useful, "must be at most 5" does. Errors of one data path where some are
    plain type mismatches and some are not: the type mismatches go. When all are type
    mismatches, one error listing the expected forms stays.
    """
    by_path: dict[Path_, list[ErrorDetails]] = {}
    for error in errors:
        path, rest = doc.resolve(tuple(error["loc"]))
        # What is left of the location after the data path is a branch label (Ramp, int...),
        # except for missing and unknown keys, where it names the key.
        named = error["type"] in ("missing", "extra_forbidden") or "[key]" in rest
        by_path.setdefault(path + tuple(rest) if named else path, []).append(error)
    kept: list[ErrorDetails] = []
    for group in by_path.values():
        if len(group) == 1:
            kept.extend(group)
            continue
        mismatches = [e for e in group if e["type"] in TYPE_WORDS]
        others = [e for e in group if e["type"] not in TYPE_WORDS]
        if others:
            kept.extend(others)
        else:
            forms = " or ".join(dict.fromkeys(TYPE_WORDS[e["type"]] for e in mismatches))
            first = mismatches[0]
            kept.append(
                {
                    **first,
                    "type": "value_error",
                    "msg": f"expected {forms}, got {shown(first.get('input'))}",
                }
            )
    return kept


def describe_validation(
    exc: ValidationError,
    doc: SourceDocument,
    *,
    allowed_keys: Callable[[Path_], Collection[str]] | None = None,
    hints: Mapping[str, str] | None = None,
) -> list[Problem]:
    """Every error of ``exc`` as a located problem; ``allowed_keys`` feeds "did you mean"."""
    problems = []
    for error in _merge_alternatives(exc.errors(include_url=False), doc):
        if error["type"] == "extra_forbidden" and allowed_keys is not None:
            path, rest = doc.resolve(tuple(error["loc"]))
            # The unknown key is in the data, so the mapping that holds it is one level up.
            holder = path if rest else path[:-1]
            ctx = dict(error.get("ctx") or {})
            ctx["allowed"] = tuple(allowed_keys(holder))
            problem = describe_error({**error, "ctx": ctx}, doc, hints)
        else:
            problem = describe_error(error, doc, hints)
        # Messages quote keys and values of the file: none may carry a terminal's orders.
        problems.append(Problem(problem.location, printable(problem.message)))
    return problems


def _unwrap(annotation: Any) -> list[Any]:
    """The concrete types an annotation can stand for (Annotated, Optional and unions opened)."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _unwrap(get_args(annotation)[0])
    if origin in (Union, UnionType):
        return [t for arg in get_args(annotation) for t in _unwrap(arg)]
    return [annotation]


def _step(candidate: Any, part: str | int) -> list[Any]:
    origin = get_origin(candidate)
    if isinstance(candidate, type) and issubclass(candidate, BaseModel) and isinstance(part, str):
        for name, info in candidate.model_fields.items():
            if part in (name, info.alias):
                return _unwrap(info.annotation)
        return []
    if origin in (list, tuple, set, frozenset) and isinstance(part, int):
        return [t for arg in get_args(candidate) if arg is not Ellipsis for t in _unwrap(arg)]
    if origin is dict:
        args = get_args(candidate)
        return _unwrap(args[1]) if len(args) == 2 else []
    return []


def allowed_keys_for(model: type[BaseModel]) -> Callable[[Path_], Collection[str]]:
    """For "did you mean": the keys any model that can stand at a data path would accept."""

    def keys_at(path: Path_) -> Collection[str]:
        candidates: list[Any] = [model]
        for part in path:
            candidates = [t for c in candidates for t in _step(c, part)]
        keys: set[str] = set()
        for candidate in candidates:
            if isinstance(candidate, type) and issubclass(candidate, BaseModel):
                keys.update(info.alias or name for name, info in candidate.model_fields.items())
        return keys

    return keys_at


M = TypeVar("M", bound=BaseModel)


def read_model(
    path: Path,
    model: type[M],
    *,
    max_bytes: int,
    what: str,
    hints: Mapping[str, str] | None = None,
) -> tuple[M, SourceDocument]:
    """Read a YAML file and validate it as ``model``, with its source document for locating.

    Raises :class:`YamlSourceProblems` carrying every located problem, for the caller to wrap
    in its own error type.
    """
    doc = read_yaml(path, max_bytes=max_bytes, what=what)
    return validate_source(doc, model, hints=hints), doc


def validate_source(
    doc: SourceDocument, model: type[M], *, hints: Mapping[str, str] | None = None
) -> M:
    """Validate a read document as ``model``; :class:`YamlSourceProblems`, located, if bad."""
    try:
        return model.model_validate(doc.data)
    except ValidationError as error:
        problems = describe_validation(
            error, doc, allowed_keys=allowed_keys_for(model), hints=hints
        )
        raise YamlSourceProblems(problems) from None
