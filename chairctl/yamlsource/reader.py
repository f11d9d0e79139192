"""Reading a user's YAML file so that every problem in it can be pointed at, line and column.

Program files and chair model files are both YAML 1.2 that people write by hand. This module
reads one such file into plain Python data (dicts, lists, str, int, float, bool) plus a table of
where each key and value stands, and refuses the YAML features a data file has no use for
(anchors, aliases, tags, several documents, duplicate keys). It is the one module that knows
about ruamel.yaml.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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
