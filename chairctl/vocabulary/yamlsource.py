"""Reading a user's YAML file so that every problem in it can be pointed at, line and column.

Program files and chair model files are both YAML 1.2 that people write by hand. This module
reads one such file into plain Python data (dicts, lists, str, int, float, bool) plus a table of
where each key and value stands, refuses the YAML features a data file has no use for (anchors,
aliases, tags, several documents, duplicate keys), and turns pydantic validation errors into
located, plain-English :class:`~chairctl.vocabulary.errors.Problem` lines with a "did you mean"
where a spelling is close. It is the one place of the vocabulary that knows about ruamel.yaml.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import UnionType
from typing import Annotated, Any, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import (
    AliasEvent,
    CollectionStartEvent,
    DocumentStartEvent,
    NodeEvent,
    ScalarEvent,
)
from ruamel.yaml.parser import RoundTripParser
from ruamel.yaml.reader import ReaderError

from chairctl.vocabulary.errors import Location, Problem
from chairctl.vocabulary.files import FileRefused, read_regular_file
from chairctl.vocabulary.text import printable

#: A path into the data: mapping keys and list indices from the root.
Path_ = tuple[str | int, ...]

_ROOT: Path_ = ()


@dataclass
class SourceDocument:
    """A YAML file read into plain data, with the position of every node."""

    path: Path
    data: Any
    #: Where each value starts, by path (1-based line and column).
    values: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    #: Where each mapping key stands, by the path of its value.
    keys: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def at(self, line: int, column: int) -> Location:
        """A location in this file."""
        return Location(self.path, line, column)

    def value_location(self, path: Path_) -> Location:
        """Where the value at ``path`` starts; the nearest enclosing node when it is absent."""
        for depth in range(len(path), -1, -1):
            if (found := self.values.get(path[:depth])) is not None:
                return self.at(*found)
        return self.at(1, 1)

    def key_location(self, path: Path_) -> Location:
        """Where the key of the entry at ``path`` stands (its value when there is no key)."""
        if (found := self.keys.get(path)) is not None:
            return self.at(*found)
        return self.value_location(path)

    def get(self, path: Path_) -> Any:
        """The value at ``path`` (KeyError/IndexError when absent)."""
        node = self.data
        for part in path:
            node = node[part]
        return node

    def resolve(self, loc: tuple[str | int, ...]) -> tuple[Path_, tuple[str | int, ...]]:
        """Split a pydantic error location into the data path it reaches and what is left.

        Pydantic locations can hold names that are not in the data (union tags, model names);
        those are skipped. What is left is the part that names something absent.
        """
        node = self.data
        path: list[str | int] = []
        rest = list(loc)
        while rest:
            part = rest[0]
            if _has(node, part):
                node = node[part]
            elif isinstance(node, dict) and isinstance(part, str) and len(rest) > 1:
                rest.pop(0)  # a tag or model name pydantic put into the location
                continue
            else:
                break
            path.append(part)
            rest.pop(0)
        return tuple(path), tuple(rest)


def _has(node: Any, part: str | int) -> bool:
    if isinstance(node, dict):
        return part in node
    return isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)


class YamlSourceProblems(Exception):
    """Raised by :func:`read_yaml`; the caller wraps the problems in its own error type."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems


def _location_of_offset(path: Path, raw: bytes, offset: int) -> Location:
    before = raw[:offset]
    line = before.count(b"\n") + 1
    column = offset - (before.rfind(b"\n") + 1) + 1
    return Location(path, line, column)


def _mark(path: Path, mark: Any) -> Location:
    if mark is None:
        return Location(path, 1, 1)
    return Location(path, int(mark.line) + 1, int(mark.column) + 1)


def _describe_yaml_error(error: MarkedYAMLError) -> str:
    problem = (error.problem or "").strip()
    context = (error.context or "").strip()
    if "found duplicate key" in (problem + context) or type(error).__name__ == "DuplicateKeyError":
        key = re.search(r'duplicate key "?(.+?)"? with value', problem + " " + context)
        name = key.group(1) if key else "a key"
        return f"duplicate key '{printable(name)}': each key may appear once in a mapping"
    text = problem or context or "not valid YAML"
    if context and problem and context not in problem:
        text = f"{problem} ({context})"
    return "YAML syntax error: " + printable(" ".join(text.split()))


class _EventCheck:
    """Refuses anchors, aliases, explicit tags and extra documents, event by event."""

    def __init__(self, path: Path, *, quote: bool) -> None:
        self.path = path
        #: Whether names from the text (anchors, tags) may be quoted in a message.
        self.quote = quote
        self.problems: list[Problem] = []
        self._documents = 0

    def _named(self, text: str) -> str:
        return f" '{printable(text)}'" if self.quote else ""

    def see(self, event: Any) -> None:
        where = _mark(self.path, event.start_mark)
        problems = self.problems
        if isinstance(event, DocumentStartEvent):
            self._documents += 1
            if self._documents == 2:
                problems.append(Problem(where, "only one YAML document is allowed in a file"))
        if isinstance(event, AliasEvent):
            problems.append(
                Problem(
                    where,
                    f"alias{self._named('*' + str(event.anchor))} is not allowed: write the "
                    "value out",
                )
            )
        elif isinstance(event, NodeEvent) and event.anchor is not None:
            problems.append(
                Problem(
                    where,
                    f"anchor{self._named('&' + str(event.anchor))} is not allowed: write "
                    "values out",
                )
            )
        tag = getattr(event, "tag", None)
        if isinstance(event, ScalarEvent | CollectionStartEvent) and tag is not None:
            # The parser reports a tag only when the text writes one (!!str, !foo): a data file
            # has no use for them, and custom tags are how YAML loaders get tricked.
            problems.append(Problem(where, f"YAML tag{self._named(str(tag))} is not allowed"))


class _CheckedParser(RoundTripParser):
    """ruamel's round-trip parser, showing each event to a check as the loader takes it: one
    parse both checks and loads a file (parsing is most of a program's reading time)."""

    check: _EventCheck | None = None

    def get_event(self) -> Any:
        event = super().get_event()
        if self.check is not None and event is not None:
            self.check.see(event)
        return event


def _load(path: Path, text: str, *, quote: bool) -> Any:
    """The round-trip document of ``text``; :class:`YamlSourceProblems` for what a data file
    may not use, found in the same parse (``quote``: naming what the text wrote)."""
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    yaml.version = (1, 2)
    yaml.Parser = _CheckedParser
    check = _EventCheck(path, quote=quote)
    parser = yaml.parser
    assert isinstance(parser, _CheckedParser)
    parser.check = check
    try:
        node = yaml.load(text)
    except MarkedYAMLError:
        # A second document stops the loader: say what the check saw, not the composer.
        if check.problems:
            raise YamlSourceProblems(check.problems) from None
        raise
    if check.problems:
        raise YamlSourceProblems(check.problems)
    return node


def _plain(doc: SourceDocument, node: Any, path: Path_) -> Any:
    """Copy ruamel's round-trip nodes into plain data, recording positions on the way."""
    if isinstance(node, CommentedMap):
        out: dict[Any, Any] = {}
        for key, value in node.items():
            child = (*path, key)
            kline, kcol = node.lc.key(key)
            vline, vcol = node.lc.value(key)
            plain_key = _scalar(key)
            child = (*path, plain_key)
            doc.keys[child] = (kline + 1, kcol + 1)
            doc.values[child] = (vline + 1, vcol + 1)
            out[plain_key] = _plain(doc, value, child)
        return out
    if isinstance(node, CommentedSeq):
        items: list[Any] = []
        for index, value in enumerate(node):
            line, col = node.lc.item(index)
            child = (*path, index)
            doc.values[child] = (line + 1, col + 1)
            items.append(_plain(doc, value, child))
        return items
    return _scalar(node)


def _scalar(value: Any) -> Any:
    # ruamel's round-trip scalars subclass the plain types; plain copies make pydantic's
    # strict checks and equality behave as for ordinary Python values.
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, str):
        return str(value)
    return value


def _nulls(doc: SourceDocument, node: Any, path: Path_) -> Iterator[Problem]:
    if isinstance(node, dict):
        for key, value in node.items():
            if value is None:
                yield Problem(
                    doc.key_location((*path, key)), f"'{printable(str(key))}' has no value"
                )
            else:
                yield from _nulls(doc, value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            if value is None:
                yield Problem(doc.value_location((*path, index)), "empty list item")
            else:
                yield from _nulls(doc, value, (*path, index))


#: A top-level ``format:`` key: what every file chairctl reads as YAML (programs and chair
#: models) starts with. Until a file shows it, nothing of its text is quoted in a message: a
#: path that leads to some other file (a password file, a key) must not have it printed.
_DECLARED = re.compile(r"""^(?:\{[ \t]*)?["']?format["']?[ \t]*:""", re.MULTILINE)


def _undeclared(where: Location, what: str) -> Problem:
    return Problem(
        where, f"not valid YAML, and no 'format:' line: is this a {what}? (nothing of it is shown)"
    )


def read_yaml(path: Path, *, max_bytes: int, what: str = "file") -> SourceDocument:
    """Read one YAML 1.2 mapping from ``path`` with every node's position.

    Raises :class:`YamlSourceProblems` with located problems for anything that is not a clean,
    single, UTF-8 YAML mapping of at most ``max_bytes`` bytes, read from a regular file (see
    :func:`~chairctl.vocabulary.files.read_regular_file`). A file that does not show a
    top-level ``format`` key has none of its text quoted back.
    """
    start = Location(path, 1, 1)
    try:
        raw = read_regular_file(path, max_bytes=max_bytes, what=what)
    except FileRefused as error:
        raise YamlSourceProblems([Problem(start, str(error))]) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        where = _location_of_offset(path, raw, error.start)
        byte = raw[error.start]
        raise YamlSourceProblems(
            [Problem(where, f"not UTF-8 text (byte 0x{byte:02x}); save the {what} as UTF-8")]
        ) from None
    if "\x00" in text:
        where = _location_of_offset(path, raw, raw.index(b"\x00"))
        raise YamlSourceProblems([Problem(where, "the file holds a NUL byte; is it text?")])
    text = text.removeprefix("\ufeff")
    if not any(line.strip() and not line.lstrip().startswith("#") for line in text.splitlines()):
        raise YamlSourceProblems([Problem(start, f"the {what} is empty")])
    declared = _DECLARED.search(text) is not None

    try:
        node = _load(path, text, quote=declared)
    except MarkedYAMLError as error:
        where = _mark(path, error.problem_mark or error.context_mark)
        if not declared:
            raise YamlSourceProblems([_undeclared(where, what)]) from None
        raise YamlSourceProblems([Problem(where, _describe_yaml_error(error))]) from None
    except ReaderError as error:
        # A character YAML does not allow (a control character): located by its offset.
        where = _location_of_offset(
            path, text.encode("utf-8"), len(text[: error.position].encode())
        )
        code = error.character if isinstance(error.character, int) else ord(str(error.character))
        raise YamlSourceProblems(
            [Problem(where, f"character U+{code:04X} is not allowed in a YAML file")]
        ) from None
    except (YAMLError, ValueError, TypeError, OverflowError, RecursionError):
        # ruamel can fail on pathological scalars (huge exponents, odd timestamps); its words
        # quote the text, so they are not repeated.
        raise YamlSourceProblems(
            [Problem(start, "not valid YAML: a value could not be read")]
        ) from None

    doc = SourceDocument(path=path, data=None)
    if not isinstance(node, CommentedMap):
        kind = "a list" if isinstance(node, CommentedSeq) else "a single value"
        raise YamlSourceProblems(
            [Problem(start, f"the {what} must be a mapping of keys to values, not {kind}")]
        )
    if not declared and "format" not in node:
        # Some other YAML (or a text that reads as one): its keys are its content.
        raise YamlSourceProblems(
            [Problem(start, f"missing required key 'format': is this a {what}?")]
        )
    doc.values[_ROOT] = (1, 1)
    doc.data = _plain(doc, node, _ROOT)
    nulls = list(_nulls(doc, doc.data, _ROOT))
    if nulls:
        raise YamlSourceProblems(nulls)
    return doc


# --- pydantic errors, in words ------------------------------------------------------------

_CHOICE_SPLIT = re.compile(r", | or ")


def _choices(expected: str) -> list[str]:
    """The choices of pydantic's "'a', 'b' or 3" text, unquoted."""
    return [part.strip().strip("'") for part in _CHOICE_SPLIT.split(expected) if part.strip()]


def suggest(word: object, choices: Collection[str]) -> str:
    """' (did you mean 'x'?)' when ``word`` is a near miss of one of ``choices``, else ''."""
    if not isinstance(word, str) or not choices:
        return ""
    close = difflib.get_close_matches(word.lower(), list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


#: The longest value quoted in a message; the location shows the rest.
_SHOWN_MAX = 40


def _shown(value: object) -> str:
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


_TYPE_WORDS = {
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
    value = error.get("input")
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
        return Problem(where, f"missing required key '{missing}'")
    if kind in ("enum", "literal_error"):
        expected = _choices(str(ctx.get("expected", "")))
        listed = ", ".join(expected)
        return Problem(
            where,
            f"{name}: {_shown(value)} is not one of {listed}{suggest(value, expected)}",
        )
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        bound = next(iter(ctx.values()), "?")
        word = {
            "greater_than_equal": "at least",
            "greater_than": "more than",
            "less_than_equal": "at most",
            "less_than": "less than",
        }[kind]
        return Problem(where, f"{name}: must be {word} {bound}, got {_shown(value)}")
    if kind == "finite_number":
        return Problem(where, f"{name}: must be a finite number, got {_shown(value)}")
    if kind in _TYPE_WORDS:
        return Problem(where, f"{name}: expected {_TYPE_WORDS[kind]}, got {_shown(value)}")
    if kind in ("too_short", "too_long"):
        return Problem(where, f"{name}: {error['msg'].lower()}")
    message = error["msg"]
    message = message.removeprefix("Value error, ").removeprefix("Assertion failed, ")
    return Problem(where, f"{name}: {message}")


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
        mismatches = [e for e in group if e["type"] in _TYPE_WORDS]
        others = [e for e in group if e["type"] not in _TYPE_WORDS]
        if others:
            kept.extend(others)
        else:
            forms = " or ".join(dict.fromkeys(_TYPE_WORDS[e["type"]] for e in mismatches))
            first = mismatches[0]
            kept.append(
                {
                    **first,
                    "type": "value_error",
                    "msg": f"expected {forms}, got {_shown(first.get('input'))}",
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
