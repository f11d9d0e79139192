"""The History screen over a database in trouble: rows another program wrote badly are left
out with one note, names are shown as the plain text they are, and a table gone is one
notification, never a crash."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.widgets import DataTable, Static

from chairctl.engine import Finished
from chairctl.store import DATABASE_NAME, Store
from chairctl.tui.screens.history import HistoryScreen

REPO = Path(__file__).resolve().parents[2]
SIZE = (160, 50)
HOSTILE = "[b]Neck[/b]\x1b]0;owned\x07"


class Host(App[None]):
    CSS_PATH = REPO / "chairctl" / "tui" / "app.tcss"

    def __init__(self, store: Store) -> None:
        super().__init__()
        self._store = store

    def on_mount(self) -> None:
        self.push_screen(HistoryScreen(self._store))


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / DATABASE_NAME


@pytest.fixture
def store(path: Path) -> Iterator[Store]:
    with Store.open(path) as opened:
        opened.begin_session("neck", "Neck", "Ann", "sim", 60.0).on_event(Finished(60.0, True))
        yield opened


def written_badly(path: Path, *rows: dict[str, object]) -> None:
    """Session rows as a careless tool writes them, past chairctl's own checks."""
    with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as db:
        db.execute("PRAGMA ignore_check_constraints = ON")
        for values in rows:
            row: dict[str, object] = {
                "program_id": "p",
                "program_name": "P",
                "chair": "sim",
                "planned_s": 60.0,
                "started_at": datetime.now(UTC).isoformat(),
                "outcome": "completed",
                "pid": 1,
                "process": "",
                **values,
            }
            db.execute(
                f"INSERT INTO sessions ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                tuple(row.values()),
            )


def rows(app: App[None]) -> list[list[str]]:
    table: DataTable[Any] = app.screen.query_one("#history-table", DataTable)
    return [[str(cell) for cell in table.get_row(row.key)] for row in table.ordered_rows]


async def test_unreadable_rows_are_left_out_with_one_note(store: Store, path: Path) -> None:
    written_badly(
        path,
        {"program_name": "Bad date", "started_at": "last tuesday"},
        {"program_name": "Bad outcome", "outcome": "exploded"},
        {"program_name": HOSTILE, "reason": HOSTILE},
    )
    app = Host(store)
    async with app.run_test(size=SIZE) as pilot:
        names = [row[1] for row in rows(app)]
        assert sorted(names) == sorted(["Neck", "[b]Neck[/b]\ufffd]0;owned\ufffd"])
        notes = [n for n in app._notifications if n.title.startswith("Some sessions")]
        assert len(notes) == 1
        assert "its started_at 'last tuesday' is not a date" in notes[0].message
        assert "its outcome 'exploded' is not one chairctl knows" in notes[0].message
        # The pane shows the hostile session's reason as text, without its control characters.
        table: DataTable[Any] = app.screen.query_one("#history-table", DataTable)
        table.move_cursor(row=names.index("[b]Neck[/b]\ufffd]0;owned\ufffd"))
        await pilot.pause()
        pane = str(app.screen.query_one("#history-session", Static).render())
        assert "Why it ended: [b]Neck[/b]\ufffd]0;owned\ufffd" in pane
        assert "\x1b" not in pane
        # A theme change reloads the table; the note is not said again.
        app.theme = "textual-light"
        await pilot.pause()
        assert len([n for n in app._notifications if n.title.startswith("Some sessions")]) == 1


async def test_a_table_gone_is_one_notification(store: Store, path: Path) -> None:
    with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as db:
        db.execute("DROP TABLE safety_events")
    app = Host(store)
    async with app.run_test(size=SIZE):
        assert rows(app) == []
        (note,) = list(app._notifications)
        assert note.title == "The history cannot be read"
        assert f"{path} is damaged: no such table: safety_events" in note.message
        assert "Keep a copy" in note.message
        assert app.screen.query_one("#history-empty").display
