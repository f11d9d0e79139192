"""Step durations as program authors write them: ``"90s"``, ``"2m"``, ``"1m30s"`` or seconds."""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import BeforeValidator, WithJsonSchema

from chairctl.vocabulary.limits import STEP_MAX_S, STEP_MIN_S

_FORM = re.compile(r"^(?:(?P<m>\d+)m)?(?:(?P<s>\d+)s)?$")
#: The same form for editors, in the JSON Schema.
DURATION_PATTERN = r"^(?=\d)(?:\d+m)?(?:\d+s)?$"


def parse_duration(value: Any) -> int:
    """Whole seconds from an int or a ``"1m30s"``-style string; ValueError otherwise."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError('write a duration like "90s", "2m", "1m30s" or a number of seconds')
    if isinstance(value, str):
        text = value.strip()
        match = _FORM.match(text)
        if not text or match is None or not (match["m"] or match["s"]):
            raise ValueError(f'\'{value}\' is not a duration; write it like "90s", "2m" or "1m30s"')
        seconds = int(match["m"] or 0) * 60 + int(match["s"] or 0)
    else:
        seconds = value
    if not STEP_MIN_S <= seconds <= STEP_MAX_S:
        raise ValueError(
            f"a step lasts from {format_duration(STEP_MIN_S)} to {format_duration(STEP_MAX_S)},"
            f" not {format_duration(seconds) if seconds >= 0 else value}"
        )
    return seconds


def format_duration(seconds: float) -> str:
    """``"1m30s"``-style text for a number of seconds (rounded to whole seconds)."""
    total = round(seconds)
    minutes, rest = divmod(total, 60)
    if minutes and rest:
        return f"{minutes}m{rest}s"
    return f"{minutes}m" if minutes else f"{rest}s"


#: A duration field: accepts the author's forms, holds whole seconds.
Duration = Annotated[
    int,
    BeforeValidator(parse_duration),
    WithJsonSchema(
        {
            "description": 'Seconds, or text like "90s", "2m", "1m30s"; 5 s to 30 min.',
            "anyOf": [
                {"type": "integer", "minimum": STEP_MIN_S, "maximum": STEP_MAX_S},
                {"type": "string", "pattern": DURATION_PATTERN},
            ],
        }
    ),
]
