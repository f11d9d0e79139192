"""The History screen over a real SQLite store whose sessions were written by the store's own
session log from engine-shaped events: newest first, outcomes, the detail pane, the empty
history."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.widgets import DataTable, Static

from chairctl.engine import (
    AdjustmentMade,
    FaultRaised,
    Finished,
    Outcome,
    SessionStarted,
    StepStarted,
    Stopped,
)
from chairctl.plan import PlanEntry
from chairctl.store import Store
from chairctl.tui.screens.history import EMPTY_LINE, HistoryScreen, bar
from chairctl.vocabulary import Region, Setpoint, Technique

REPO = Path(__file__).resolve().parents[2]
PEOPLE_CSS = REPO / "chairctl" / "tui" / "app.tcss"
SIZE = (160, 50)

KNEAD_MID = Setpoint(technique=Technique.KNEAD, regions=(Region.MID_BACK,), intensity=2)
KNEAD_SPAN = Setpoint(
    technique=Technique.KNEAD, regions=(Region.UPPER_BACK, Region.MID_BACK), intensity=3
)
FIRST = PlanEntry(0.0, 60.0, KNEAD_MID, 10, "mid")
SECOND = PlanEntry(60.0, 120.0, KNEAD_SPAN, 14, "span")


class Host(App[None]):
    """Pushes the History screen and keeps what it dismisses with."""

    CSS_PATH = PEOPLE_CSS

    def __init__(self, store: Store) -> None:
        super().__init__()
        self._store = store
        self.results: list[Any] = []

    def on_mount(self) -> None:
        self.push_screen(HistoryScreen(self._store), self.results.append)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "chairctl.db") as opened:
        yield opened


def completed(store: Store) -> None:
    """A two-minute session that ran its plan to the end: mid back 1m30s, upper back 30s."""
    log = store.begin_session("neck", "Neck and shoulders", None, "sim", 120.0)
    for event in (StepStarted(0.0, 0, FIRST, 2), StepStarted(60.0, 1, SECOND, 3)):
        log.on_event(event)
    log.on_event(Finished(120.0, True))


def faulted(store: Store) -> None:
    """A session that faults 100 s in, after the rules held a live change at 4."""
    log = store.begin_session("lower-back", "Lower back", "Ada", "sim", 180.0)
    for event in (
        StepStarted(0.0, 0, FIRST, 2),
        SessionStarted(0.0, "lower-back", "Lower back", 180.0),
        StepStarted(60.0, 1, SECOND, 3),
        AdjustmentMade(90.0, "intensity held at 4 by the rules"),
        StepStarted(90.0, 1, SECOND, 4),
        FaultRaised(100.0, "the chair reported a fault (error code 7)"),
        Stopped(100.0, "the chair reported a fault (error code 7)", Outcome.FAULT, True),
    ):
        log.on_event(event)


def rows(app: App[None]) -> list[list[str]]:
    table: DataTable[Any] = app.screen.query_one("#history-table", DataTable)
    return [[str(cell) for cell in table.get_row(row.key)] for row in table.ordered_rows]


def detail_text(app: App[None]) -> str:
    return str(app.screen.query_one("#history-session", Static).render())


async def test_sessions_are_listed_newest_first_with_their_outcome(store: Store) -> None:
    completed(store)
    faulted(store)
    store.begin_session("feet", "Feet", "Bo", "sim", 600.0)  # still running
    app = Host(store)
    async with app.run_test(size=SIZE):
        listed = rows(app)
        assert [row[1:] for row in listed] == [
            ["Feet", "Bo", "— of 10m", "running"],
            ["Lower back", "Ada", "1m40s of 3m", "fault"],
            ["Neck and shoulders", "—", "2m of 2m", "completed"],
        ]
        # Started, in local time: a date and a time of day.
        assert all(len(row[0]) == len("2026-05-09 14:05") for row in listed)
        assert not app.screen.query_one("#history-empty").display


async def test_the_detail_pane_shows_minutes_per_region_and_safety_events(store: Store) -> None:
    completed(store)
    faulted(store)
    app = Host(store)
    async with app.run_test(size=SIZE) as pilot:
        # The newest, faulted session is highlighted first.
        text = detail_text(app)
        assert "Lower back  fault" in text
        assert "Why it ended: the chair reported a fault (error code 7)" in text
        lines = text.splitlines()
        upper = next(line for line in lines if "upper back" in line)
        mid = next(line for line in lines if "mid back" in line)
        # mid back: 80 s (the longest bar), upper back: 20 s (a quarter of it).
        assert "█" * 16 in mid
        assert mid.rstrip().endswith("1m20s at 2.3")
        assert "█" * 4 in upper
        assert "█" * 5 not in upper
        assert upper.rstrip().endswith("20s at 3.2")
        assert lines.index(upper) < lines.index(mid)  # track order, top first
        assert any("1m30s  adjustment intensity held at 4 by the rules" in line for line in lines)
        assert any("1m40s  fault" in line for line in lines)
        await pilot.press("down")
        text = detail_text(app)
        assert "Neck and shoulders  completed" in text
        assert "Why it ended: the program finished" in text
        assert "mid back" in text
        assert "None." in text  # no safety events


async def test_an_empty_history_says_so(store: Store) -> None:
    app = Host(store)
    async with app.run_test(size=SIZE):
        empty = app.screen.query_one("#history-empty", Static)
        assert empty.display
        assert str(empty.render()) == EMPTY_LINE
        assert not app.screen.query_one("#history-body").display


async def test_b_goes_back(store: Store) -> None:
    app = Host(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("b")
        await pilot.pause()
    assert app.results == [None]


def test_bars_scale_to_the_longest_and_never_vanish() -> None:
    assert bar(10, 10, 4) == "████"
    assert bar(5, 10, 4) == "██"
    assert bar(1, 16, 4) == "▎"
    assert bar(0.001, 100, 4) == "▏"
    assert bar(0, 10, 4) == ""
