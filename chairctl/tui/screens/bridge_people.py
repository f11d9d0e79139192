"""Who is in the chair, on a bridge's chair: one of the bridge's people, by name.

A bridge publishes its profiles' names and nothing else (their health answers stay where the
bridge runs, which applies them); a person is chosen here and the bridge checks, at the start,
that their profile allows a start from the home network. Enter chooses the highlighted name
(the screen dismisses with it), ``b`` goes back with None. Making or changing a profile is done
where the bridge runs.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, Final

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from chairctl.services.safetext import plain

#: What the screen says under the names.
PEOPLE_NOTE: Final = (
    "These are the bridge's profiles. A session starts from here only for a profile that "
    "allows a start from the home network (chairctl profiles edit NAME --remote-start, where "
    "the bridge runs); the bridge keeps each person's health answers and applies them."
)
NO_PEOPLE: Final = (
    "The bridge has no profiles yet: make one where the bridge runs (chairctl profiles add), "
    "and allow it a start from the home network."
)


class BridgePeopleScreen(Screen[str | None]):
    """The bridge's people; dismisses with the chosen name, or None."""

    # Escape, x, q and ctrl+c belong to the app (Escape stops the chair everywhere).
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "use", "Use", priority=True),
        Binding("b", "back", "Back"),
    ]
    AUTO_FOCUS = "#people-list"

    def __init__(self, names: Sequence[str], *, active: str | None = None) -> None:
        super().__init__()
        self._names = list(names)
        self._active = active

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="people-body"):
            yield Static("Who is in the chair?", id="people-title")
            yield OptionList(
                *(
                    Option(plain(name + ("  (in the chair)" if name == self._active else "")))
                    for name in self._names
                ),
                id="people-list",
            )
            yield Static(plain(PEOPLE_NOTE if self._names else NO_PEOPLE), id="people-note")
        yield Footer()

    def on_mount(self) -> None:
        people = self.query_one("#people-list", OptionList)
        if self._active in self._names:
            people.highlighted = self._names.index(self._active)
        elif self._names:
            people.highlighted = 0

    def action_use(self) -> None:
        """Choose the highlighted person."""
        index = self.query_one("#people-list", OptionList).highlighted
        if index is not None and 0 <= index < len(self._names):
            self.dismiss(self._names[index])

    def action_back(self) -> None:
        """Back, choosing nobody."""
        self.dismiss(None)

    @on(OptionList.OptionSelected, "#people-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_use()
