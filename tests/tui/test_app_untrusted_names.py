"""Names in the app are data: shown as written, never read as markup, and never letting a
control character (ESC, OSC, C1) through to the terminal, whether they come from a program
file or from what the database holds (a profile stored before names were checked)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from textual.app import App
from textual.widgets import DataTable, OptionList, Static

from chairctl.clock import VirtualClock
from chairctl.program import Program
from chairctl.store import Store
from chairctl.tui.screens.library import LibraryScreen
from chairctl.tui.screens.profiles import ProfilesScreen
from tests.tui.apphelpers import LIBRARY, advance, make_app

CSS = Path(__file__).resolve().parents[2] / "chairctl" / "tui" / "app.tcss"
SIZE = (140, 50)
#: Markup Textual would read, or choke on ('[/bold]' closes nothing; '[$accent]' is a variable).
MARKUP = "[/bold]Evil [$accent]back[/]"
#: Control sequences a terminal would obey: clear screen, window title, clipboard write, CSI.
SEQUENCES = "\x1b[2J\x1b]0;owned\x07\x1b]52;c;aGk=\x07\x9b31m"


def hostile(program: Program) -> Program:
    """``program`` with data in every text field: markup, and control sequences (a program
    read before names were checked, or built by other code; the loader refuses them now)."""
    return program.model_copy(
        update={
            "name": f"{MARKUP}{SEQUENCES}",
            "summary": f"[/i]Sum{SEQUENCES}",
            "description": f"[red]Said {SEQUENCES}plainly.",
            "cautions": [f"[/] caution{SEQUENCES}"],
        }
    )


def clean(text: str) -> bool:
    return not any(char in text for char in "\x1b\x07\x9b")


class Host(App[None]):
    """Pushes one screen."""

    CSS_PATH = CSS

    def __init__(self, screen: Any) -> None:
        super().__init__()
        self._screen = screen

    def on_mount(self) -> None:
        self.push_screen(self._screen)


async def test_the_library_shows_a_program_s_text_as_written() -> None:
    program = hostile(LIBRARY[0])
    screen = LibraryScreen(programs=[program])
    app = Host(screen)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        prompt = str(screen.query_one("#library-list", OptionList).get_option(program.id).prompt)
        assert MARKUP in prompt
        assert clean(prompt), repr(prompt)
        shown = {
            part: str(screen.query_one(f"#library-{part}", Static).render())
            for part in ("name", "summary", "description", "cautions")
        }
        assert MARKUP in shown["name"]
        assert shown["summary"].startswith("[/i]Sum\ufffd[2J")
        assert shown["description"].startswith("[red]Said \ufffd[2J")
        assert "[/] caution\ufffd" in shown["cautions"]
        assert all(clean(text) for text in shown.values()), shown


async def test_profiles_stored_with_control_characters_show_without_them(tmp_path: Path) -> None:
    name = f"Ann{SEQUENCES}{MARKUP}"
    with Store.open(tmp_path / "chairctl.db") as store:
        store.put_profile(name, json.dumps({"name": name, "health": {"age": 40}}))
        screen = ProfilesScreen(store)
        app = Host(screen)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            table: DataTable[Any] = screen.query_one("#profiles-table", DataTable)
            cells = [str(cell) for cell in table.get_row_at(0)]
            assert any(cell.startswith("Ann\ufffd[2J") and MARKUP in cell for cell in cells)
            assert all(clean(cell) for cell in cells), cells
            title = str(screen.query_one("#profiles-detail-title", Static).render())
            assert title.startswith("Ann\ufffd[2J")
            assert clean(title), repr(title)


async def test_every_notification_and_the_title_are_plain(tmp_path: Path) -> None:
    clock = VirtualClock()
    app = make_app(tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await advance(pilot, clock, 1)
        app.notify(f"{MARKUP}{SEQUENCES}", title=f"Title{SEQUENCES}")
        app.sub_title = f"chair{SEQUENCES}"
        await pilot.pause()
        # A toast shows its title as plain text, and its message as markup only when asked.
        note = list(app._notifications)[-1]
        assert not note.markup
        assert note.title.startswith("Title\ufffd[2J")
        assert note.message.startswith(MARKUP)
        assert clean(note.title + note.message), repr(note)
        header = str(app.format_title(app.title, app.sub_title))
        assert header.endswith("chair\ufffd[2J\ufffd]0;owned\ufffd\ufffd]52;c;aGk=\ufffd\ufffd31m")
