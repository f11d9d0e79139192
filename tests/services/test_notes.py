"""Notes about a plan are said once each, with every line they concern."""

from __future__ import annotations

from chairctl.services.notes import grouped


def test_a_note_on_many_lines_is_said_once_with_its_lines_in_order() -> None:
    notes = [
        "line 61: this chair cannot heat at low: off instead",
        "line 53: this chair cannot heat at low: off instead",
        "line 53: roll: this chair's nearest mode stands in for it",
        "line 61: this chair cannot heat at low: off instead",
        "the program runs as written",
    ]
    assert grouped(notes) == [
        "lines 53, 61: this chair cannot heat at low: off instead",
        "line 53: roll: this chair's nearest mode stands in for it",
        "the program runs as written",
    ]


def test_a_text_with_a_colon_is_not_taken_for_a_line() -> None:
    assert grouped(["airbags: thighs also inflated", "line 7: a: b"]) == [
        "airbags: thighs also inflated",
        "line 7: a: b",
    ]
