"""The History screen: the sessions the chair has run, newest first, and what each one did.

The table shows when a session started (local time), its program, whose profile, how long it
ran of how long it was planned and how it ended; the pane beside it shows the highlighted
session's minutes per region as small bars, the mean intensity per region, why it ended and
what the safety layer did during it. The figures are the store's, which counts what the engine
actually did, not what the plan said. ``b`` goes back; the screen only reads the store.

The database is data that something other than chairctl may have written: names, reasons and
messages are shown as plain text without control characters, a row that cannot be read is left
out with one note, and a database that cannot be read at all is one notification.
"""

from __future__ import annotations

from typing import ClassVar, Final

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.theme import Theme
from textual.widgets import DataTable, Footer, Static

from chairctl.engine import Outcome
from chairctl.program import format_duration
from chairctl.services.safetext import plain, printable
from chairctl.store import SessionRecord, Store
from chairctl.vocabulary import ChairctlError

#: How many sessions the screen reads.
HISTORY_LIMIT: Final = 100

#: What the table and the pane show when there is nothing to show.
EMPTY_LINE: Final = "No sessions yet — pick a program in the library."

#: The theme variable each outcome is shown in: a fault is an error, a stop or an interrupted
#: session is worth a look, a completed one is fine.
OUTCOME_COLOUR: Final[dict[str, str]] = {
    Outcome.COMPLETED.value: "success",
    Outcome.STOPPED.value: "warning",
    Outcome.FAULT.value: "error",
    Outcome.INTERRUPTED.value: "warning",
    "running": "accent",
}

#: Safety event kinds and their theme variables.
EVENT_COLOUR: Final[dict[str, str]] = {"fault": "error", "adjustment": "warning"}

#: The longest bar in the pane, in cells.
BAR_WIDTH: Final = 16
_EIGHTHS: Final = " ▏▎▍▌▋▊▉"


def outcome_word(record: SessionRecord) -> str:
    """How the session ended, or "running"."""
    return "running" if record.outcome is None else record.outcome.value


def started_text(record: SessionRecord) -> str:
    """When the session started, in local time, short."""
    return record.started_at.astimezone().strftime("%Y-%m-%d %H:%M")


def length_text(record: SessionRecord) -> str:
    """How long it ran of how long it was planned, e.g. "3m20s of 15m"."""
    ran = "—" if record.session_s is None else format_duration(record.session_s)
    return f"{ran} of {format_duration(record.planned_s)}"


def bar(value: float, top: float, width: int = BAR_WIDTH) -> str:
    """A bar of ``value`` against ``top`` in at most ``width`` cells, to an eighth of a cell;
    at least a sliver for any time at all, so a short visit is not mistaken for none."""
    if top <= 0 or value <= 0:
        return ""
    eighths = max(1, round(value / top * width * 8))
    full, rest = divmod(eighths, 8)
    return "█" * full + (_EIGHTHS[rest] if rest else "")


def detail(record: SessionRecord) -> Content:
    """The pane for one session: facts, minutes and intensity per region, safety events."""
    word = outcome_word(record)
    lines: list[Content] = [
        Content.assemble(
            (printable(record.program_name), "bold"),
            "  ",
            (word, f"bold ${OUTCOME_COLOUR.get(word, 'foreground')}"),
        ),
        Content(
            f"Started {started_text(record)}, ran {length_text(record)}; "
            f"profile {printable(record.profile_name or '—')}; chair {printable(record.chair)}"
        ),
        Content(
            "Still running."
            if record.outcome is None
            else f"Why it ended: {printable(record.reason or '—')}"
        ),
        Content(""),
        Content.styled("Time per region, at its mean intensity", "bold"),
    ]
    minutes = record.minutes_per_region
    if not minutes:
        lines.append(Content.styled("  No roller time recorded.", "$text-muted"))
    top = max(minutes.values(), default=0.0)
    for region, value in minutes.items():
        mean = record.mean_intensity_per_region.get(region)
        lines.append(
            Content.assemble(
                f"  {region.label:<15}",
                (f"{bar(value, top):<{BAR_WIDTH}}", "$accent"),
                f" {format_duration(value * 60):>6}",
                ("" if mean is None else f" at {mean:.1f}", "$text-muted"),
            )
        )
    lines += [Content(""), Content.styled("Safety events", "bold")]
    if not record.safety_events:
        lines.append(Content.styled("  None.", "$text-muted"))
    for event in record.safety_events:
        lines.append(
            Content.assemble(
                f"  {format_duration(event.at):>6}  ",
                (f"{printable(event.kind):<10}", f"${EVENT_COLOUR.get(event.kind, 'foreground')}"),
                f" {printable(event.message)}",
            )
        )
    return Content("\n").join(lines)


class HistoryScreen(Screen[None]):
    """The session log, newest first, with the highlighted session in detail."""

    # Escape, x, q and ctrl+c belong to the app (Escape stops the chair everywhere).
    BINDINGS: ClassVar[list[BindingType]] = [Binding("b", "back", "Back")]
    AUTO_FOCUS = "#history-table"

    def __init__(self, store: Store) -> None:
        super().__init__()
        self._store = store
        self._records: dict[str, SessionRecord] = {}
        # What was said about the database: a reload (a theme change) does not say it again.
        self._told: set[str] = set()

    def compose(self) -> ComposeResult:
        yield Static(EMPTY_LINE, id="history-empty", markup=False)
        with Horizontal(id="history-body"):
            table: DataTable[str | Text] = DataTable(id="history-table", cursor_type="row")
            table.add_column("started", key="started")
            table.add_column("program", key="program")
            table.add_column("profile", key="profile")
            table.add_column("length", key="length")
            table.add_column("outcome", key="outcome")
            yield table
            with VerticalScroll(id="history-detail"):
                yield Static("", id="history-session")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "History"
        # The outcome colours come from the theme; redraw the table when it changes.
        self.app.theme_changed_signal.subscribe(self, self._theme_changed)
        self._load()

    def _theme_changed(self, _theme: Theme) -> None:
        self._load()

    def _load(self) -> None:
        try:
            read = self._store.read_history(limit=HISTORY_LIMIT)
        except ChairctlError as error:
            self._tell(printable(str(error)), title="The history cannot be read", severity="error")
            records = []
        else:
            records = read.records
            if read.notes:
                self._tell(
                    "\n".join(printable(note) for note in read.notes),
                    title="Some sessions could not be read and are left out",
                    severity="warning",
                )
        table: DataTable[str | Text] = self.query_one("#history-table", DataTable)
        was = self._highlighted()
        table.clear()
        self._records = {str(record.id): record for record in records}
        colours = self.app.get_css_variables()
        for key, record in self._records.items():
            word = outcome_word(record)
            table.add_row(
                started_text(record),
                # Rich Text, not markup: names may hold brackets.
                plain(record.program_name),
                plain(record.profile_name or "—"),
                length_text(record),
                Text(word, style=colours.get(OUTCOME_COLOUR.get(word, ""), "")),
                key=key,
            )
        empty = not self._records
        self.query_one("#history-empty").display = empty
        self.query_one("#history-body").display = not empty
        if was is not None and was in self._records:
            table.move_cursor(row=table.get_row_index(was))
        self._show_detail()

    def _tell(self, message: str, *, title: str, severity: SeverityLevel) -> None:
        if message not in self._told:
            self._told.add(message)
            # markup=False: the words hold paths and the database's own text.
            self.notify(message, title=title, severity=severity, timeout=20, markup=False)

    def _highlighted(self) -> str | None:
        table: DataTable[str | Text] = self.query_one("#history-table", DataTable)
        if table.row_count == 0:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return row_key.value

    @on(DataTable.RowHighlighted, "#history-table")
    def _show_detail(self) -> None:
        key = self._highlighted()
        record = self._records.get(key) if key is not None else None
        self.query_one("#history-session", Static).update(
            detail(record) if record is not None else ""
        )

    def action_back(self) -> None:
        """Back to where the screen was opened from."""
        self.dismiss(None)
