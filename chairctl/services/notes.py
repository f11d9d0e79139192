"""Notes about a plan, said once each: what the compiler changed and what the chair can only
approximate, with the program lines they concern.

The same note often concerns many lines ("this chair cannot heat at low: off instead" on every
warm step): it is said once, with all its lines, so what a person must read before the chair
moves stays short.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

_LINE: Final = re.compile(r"^line (\d+): (.*)$", re.DOTALL)


def grouped(notes: Iterable[str]) -> list[str]:
    """``notes`` ("line 53: text", or text with no line) with equal texts merged into one
    ("lines 53, 61, 74: text"), in the order each text first appears."""
    lines: dict[str, list[int]] = {}
    for note in notes:
        found = _LINE.match(note)
        text, line = (found.group(2), int(found.group(1))) if found else (note, None)
        seen = lines.setdefault(text, [])
        if line is not None and line not in seen:
            seen.append(line)
    said = []
    for text, at in lines.items():
        if not at:
            said.append(text)
        elif len(at) == 1:
            said.append(f"line {at[0]}: {text}")
        else:
            said.append(f"lines {', '.join(map(str, sorted(at)))}: {text}")
    return said
