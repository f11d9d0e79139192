"""Data on the terminal: never read as markup, never carrying a control character.

Every name, summary, note or message that comes from a file or the database goes through one
of these before the command line or the app shows it. Both start from
:func:`chairctl.vocabulary.text.printable` (control characters replaced), so ESC, OSC and C1
sequences never reach the terminal whatever the store holds; they differ in how markup is kept
out:

- :func:`plain` makes a Rich ``Text``, which neither Rich nor Textual reads as markup: the form
  for table cells, panel titles, Textual widgets and anything Textual shows.
- :func:`escaped` escapes Rich markup, for the places that build a Rich markup string around
  a value (``console.print(f"[dim]... {escaped(name)}[/]")``) or take a string that Rich's
  markup reads (a cell of Textual's DataTable). Textual's own markup reads more than Rich's
  (``[$variable]``), so its widgets take :func:`plain`, and a notification ``markup=False``
  with :func:`printable` text.
"""

from __future__ import annotations

from rich.markup import escape
from rich.text import Text

from chairctl.vocabulary.text import printable

__all__ = ["escaped", "plain", "printable"]


def plain(text: str, style: str = "", *, newlines: bool = False) -> Text:
    """``text`` as Rich Text in ``style``: not markup, control characters replaced
    (``newlines``: line breaks and tabs kept, for a description)."""
    return Text(printable(text, newlines=newlines), style=style)


def escaped(text: str, *, newlines: bool = False) -> str:
    """``text`` for a Rich markup string: its brackets escaped, control characters replaced."""
    return escape(printable(text, newlines=newlines))
