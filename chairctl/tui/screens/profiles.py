"""The Profiles screen: the people who use the chair, what their screening allows, and which
one the next session is for.

A table lists every stored profile with its age, whether the screening allows sessions and its
caps in short; the pane beside it explains the highlighted profile's screening in full. ``n``
and ``e`` open the :class:`ProfileFormScreen` and store what it returns, ``d`` removes after a
confirmation, Enter chooses the highlighted profile (the screen dismisses with its name) and
``b`` goes back. A stored document that no longer validates is listed as invalid, so one bad
profile neither hides the others nor crashes the app, and it can still be edited or removed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from pydantic import ValidationError
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.theme import Theme
from textual.widgets import Button, DataTable, Footer, Static

from chairctl.safety.profile import Profile
from chairctl.safety.screening import Screening, screen
from chairctl.services.safetext import plain, printable
from chairctl.store import Store
from chairctl.tui.screens.profile_form import ProfileFormScreen, ScreeningView
from chairctl.vocabulary import ChairctlError


class ConfirmScreen(ModalScreen[bool]):
    """A yes-or-no question over the current screen: ``y`` or Yes is True, ``n`` or No False."""

    # Escape stays the app's (it stops the chair), so "no" is n, not Escape.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n", "answer(False)", "No"),
    ]
    AUTO_FOCUS = "#confirm-no"

    def __init__(self, question: str) -> None:
        super().__init__()
        self._question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            yield Static(plain(self._question), id="confirm-question")
            with Horizontal(id="confirm-buttons"):
                yield Button("Yes", variant="error", id="confirm-yes")
                yield Button("No", variant="primary", id="confirm-no")
        yield Footer()

    def action_answer(self, answer: bool) -> None:
        """Dismiss with ``answer``."""
        self.dismiss(answer)

    @on(Button.Pressed, "#confirm-yes")
    def _yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#confirm-no")
    def _no(self) -> None:
        self.dismiss(False)


@dataclass(frozen=True)
class _Entry:
    """One stored profile: its screening, or why its document is not a valid profile."""

    name: str
    profile: Profile | None
    screening: Screening | None
    problem: str | None


def _read(store: Store, name: str) -> _Entry:
    document = store.get_profile(name)
    if document is None:
        # Removed by another process between listing and reading.
        return _Entry(name, None, None, "removed meanwhile")
    try:
        profile = Profile.model_validate_json(document)
    except ValidationError as error:
        count = error.error_count()
        problems = "1 problem" if count == 1 else f"{count} problems"
        return _Entry(
            name,
            None,
            None,
            f"The stored profile is not valid any more ({problems}). Edit it to answer the "
            "questions afresh, or delete it.",
        )
    return _Entry(name, profile, screen(profile), None)


class ProfilesScreen(Screen[str | None]):
    """Stored profiles: list, new, edit, delete; dismisses with the chosen name, or None."""

    # Escape, x, q and ctrl+c belong to the app (Escape stops the chair everywhere).
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "use", "Use"),
        Binding("n", "new", "New"),
        Binding("e", "edit", "Edit"),
        Binding("d", "delete", "Delete"),
        Binding("b", "back", "Back"),
    ]
    AUTO_FOCUS = "#profiles-table"

    def __init__(self, store: Store, *, active: str | None = None) -> None:
        super().__init__()
        self._store = store
        self._active = active
        self._entries: dict[str, _Entry] = {}

    def compose(self) -> ComposeResult:
        with Horizontal(id="profiles-body"):
            with Vertical(id="profiles-list"):
                yield Static(
                    "Enter uses the highlighted profile for the next sessions.",
                    id="profiles-hint",
                    markup=False,
                )
                table: DataTable[str | Text] = DataTable(id="profiles-table", cursor_type="row")
                table.add_column("", key="active", width=1)
                table.add_column("name", key="name")
                table.add_column("age", key="age")
                table.add_column("allowed", key="allowed")
                table.add_column("limits", key="caps")
                yield table
                yield Static(
                    "No profiles yet: press n to make one.", id="profiles-empty", markup=False
                )
                with Horizontal(id="profiles-buttons"):
                    yield Button("Use", variant="primary", id="profiles-use")
                    yield Button("New", id="profiles-new")
                    yield Button("Edit", id="profiles-edit")
                    yield Button("Delete", variant="error", id="profiles-delete")
                    yield Button("Back", id="profiles-back")
            with VerticalScroll(id="profiles-detail"):
                yield Static("", id="profiles-detail-title", classes="detail-title")
                yield ScreeningView(id="profiles-screening")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Profiles"
        # The table's colours come from the theme; redraw it when the theme changes.
        self.app.theme_changed_signal.subscribe(self, self._theme_changed)
        self._reload()

    def _theme_changed(self, _theme: Theme) -> None:
        self._reload(self._highlighted())

    # -- the table -------------------------------------------------------------------------

    def _reload(self, select: str | None = None) -> None:
        """Read the profiles again and show them, the cursor on ``select`` if given."""
        try:
            names = self._store.profile_names()
            self._entries = {name: _read(self._store, name) for name in names}
        except ChairctlError as error:
            self.notify(str(error), severity="error")
            return
        colours = self.app.get_css_variables()
        table: DataTable[str | Text] = self.query_one("#profiles-table", DataTable)
        table.clear()
        for entry in self._entries.values():
            table.add_row(*self._cells(entry, colours), key=entry.name)
        empty = not self._entries
        table.display = not empty
        self.query_one("#profiles-empty").display = empty
        if select is not None and select in self._entries:
            table.move_cursor(row=table.get_row_index(select))
        self._show_detail()

    def _cells(self, entry: _Entry, colours: dict[str, str]) -> list[str | Text]:
        # Rich Text, not markup: a name may hold brackets.
        mark = Text("●", style=colours["accent"]) if entry.name == self._active else Text("")
        name = plain(entry.name, style="bold")
        if entry.profile is None or entry.screening is None:
            return [mark, name, "", Text("invalid", style=colours["error"]), "edit or delete it"]
        age = entry.profile.health.age
        screening = entry.screening
        if screening.allowed:
            allowed = Text("yes", style=colours["success"])
            caps = screening.caps.describe(short=True) or "none"
        else:
            allowed = Text("refused", style=colours["error"])
            caps = "—"
        return [mark, name, "—" if age is None else str(age), allowed, Text(caps)]

    def _highlighted(self) -> str | None:
        table: DataTable[str | Text] = self.query_one("#profiles-table", DataTable)
        if not self._entries or table.row_count == 0:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return row_key.value

    @on(DataTable.RowHighlighted, "#profiles-table")
    def _highlight(self) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        title = self.query_one("#profiles-detail-title", Static)
        view = self.query_one("#profiles-screening", ScreeningView)
        name = self._highlighted()
        entry = self._entries.get(name) if name is not None else None
        view.display = entry is not None
        if entry is None:
            title.update("")
            return
        active = " (in use)" if entry.name == self._active else ""
        title.update(plain(f"{entry.name}{active}"))
        if entry.screening is None:
            view.show_problem("This profile cannot be used.", entry.problem or "")
        else:
            view.show(entry.screening)

    # -- the actions -----------------------------------------------------------------------

    @on(DataTable.RowSelected, "#profiles-table")
    @on(Button.Pressed, "#profiles-use")
    def action_use(self) -> None:
        """Choose the highlighted profile for the next sessions."""
        name = self._highlighted()
        if name is None:
            self.notify("No profile to use: press n to make one.", severity="warning")
            return
        if self._entries[name].profile is None:
            self.notify(
                printable(f"The profile '{name}' is not valid; edit it first."),
                severity="error",
                markup=False,
            )
            return
        self.dismiss(name)

    @on(Button.Pressed, "#profiles-new")
    def action_new(self) -> None:
        """Make a profile with the form, and store it."""
        self.app.push_screen(
            ProfileFormScreen(taken_names=list(self._entries)),
            lambda profile: self._store_profile(profile, replacing=None),
        )

    @on(Button.Pressed, "#profiles-edit")
    def action_edit(self) -> None:
        """Change the highlighted profile with the form (answer afresh if it is invalid)."""
        name = self._highlighted()
        if name is None:
            return
        entry = self._entries[name]
        if entry.profile is None:
            self.notify("This profile is not valid any more: answer the questions afresh.")
        form = ProfileFormScreen(entry.profile, taken_names=list(self._entries), name=name)
        self.app.push_screen(form, lambda profile: self._store_profile(profile, replacing=name))

    def _store_profile(self, profile: Profile | None, *, replacing: str | None) -> None:
        if profile is None:
            return
        try:
            self._store.put_profile(profile.name, profile.model_dump_json())
            if replacing is not None and replacing != profile.name:
                # Renamed: the old name goes, or the person would be listed twice.
                self._store.remove_profile(replacing)
                if self._active == replacing:
                    self._active = profile.name
        except ChairctlError as error:
            self.notify(printable(str(error)), severity="error", markup=False)
        else:
            self.notify(printable(f"Saved the profile '{profile.name}'."), markup=False)
        self._reload(profile.name)

    @on(Button.Pressed, "#profiles-delete")
    def action_delete(self) -> None:
        """Remove the highlighted profile, once confirmed."""
        name = self._highlighted()
        if name is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._remove(name)

        self.app.push_screen(
            ConfirmScreen(f"Remove the profile '{name}'? Sessions in the history keep the name."),
            answered,
        )

    def _remove(self, name: str) -> None:
        try:
            self._store.remove_profile(name)
        except ChairctlError as error:
            self.notify(printable(str(error)), severity="error", markup=False)
        else:
            self.notify(printable(f"Removed the profile '{name}'."), markup=False)
            if self._active == name:
                self._active = None
        self._reload()

    @on(Button.Pressed, "#profiles-back")
    def action_back(self) -> None:
        """Leave without choosing a profile."""
        self.dismiss(None)
