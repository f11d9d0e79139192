"""Text from files and the database, made safe to show on a terminal.

A program's name, a chair model's notes or a profile's name is data someone typed; a terminal
takes some characters as orders. ESC starts a control sequence (clear the screen, set the
window title, write the clipboard through OSC 52), the C1 range has one-byte forms of the same,
and bidirectional overrides make text read other than it is stored. This module is the one
place that knows which characters those are: :func:`printable` replaces each with U+FFFD
wherever text is shown, and :data:`LineText` and :data:`BlockText` refuse them where names and
descriptions are validated, so that a file carrying one is told so, at its place.

Markup (Rich's ``[bold]``) is the front ends' concern: they escape with the helpers in
``chairctl.cli.text``, which start from :func:`printable`.
"""

from __future__ import annotations

from typing import Annotated, Final

from pydantic import AfterValidator

#: What stands in for a character that may not reach a terminal.
REPLACEMENT: Final = "\ufffd"

#: Bidirectional controls (embeddings, overrides, isolates) and the Unicode line and paragraph
#: separators: they make a name read other than it is stored, or break it over lines.
_INVISIBLE_ORDERS: Final = frozenset(
    "\u061c\u200e\u200f\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)


def is_control(char: str) -> bool:
    """True for a character no shown text may carry: C0 controls (tab and newline too), DEL,
    C1 controls, bidirectional controls and the Unicode line separators."""
    code = ord(char)
    return code < 0x20 or 0x7F <= code <= 0x9F or char in _INVISIBLE_ORDERS


def first_control(text: str, *, newlines: bool = False) -> str | None:
    """The first character of ``text`` that :func:`is_control` refuses (``newlines``: a line
    break and a tab are allowed), or None."""
    for char in text:
        if is_control(char) and not (newlines and char in "\n\t"):
            return char
    return None


def printable(text: str, *, newlines: bool = False) -> str:
    """``text`` with every control character replaced by U+FFFD; ``newlines`` keeps line
    breaks and tabs (a description), otherwise they are replaced too (a name)."""
    if first_control(text, newlines=newlines) is None:
        return text
    return "".join(
        REPLACEMENT if is_control(c) and not (newlines and c in "\n\t") else c for c in text
    )


def describe_char(char: str) -> str:
    """A character named so that the message naming it is itself safe: ``U+001B (ESC)``."""
    names = {"\t": "tab", "\n": "line break", "\r": "carriage return", "\x1b": "ESC"}
    name = names.get(char)
    return f"U+{ord(char):04X}" + (f" ({name})" if name else "")


def _line(value: str) -> str:
    char = first_control(value)
    if char is not None:
        raise ValueError(
            f"holds the control character {describe_char(char)}; names are plain text on one line"
        )
    return value


def _block(value: str) -> str:
    char = first_control(value, newlines=True)
    if char is not None:
        raise ValueError(f"holds the control character {describe_char(char)}; write plain text")
    return value


#: A name or a one-line text: no control character, no line break.
LineText = Annotated[str, AfterValidator(_line)]
#: A description: line breaks and tabs allowed, no other control character.
BlockText = Annotated[str, AfterValidator(_block)]
