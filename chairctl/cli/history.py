"""``chairctl history``: the sessions ``chairctl run`` recorded, newest first.

What the database holds is data, possibly written by something other than chairctl: it is
shown as plain text (no markup, no control characters), and a row that cannot be read is left
out with a note on stderr, never a traceback.
"""

from __future__ import annotations

import json
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from chairctl.cli.people import home_option
from chairctl.program import format_duration
from chairctl.services.people import open_store
from chairctl.services.safetext import plain
from chairctl.store import SessionRecord

_OUTCOME_STYLE = {
    "completed": "green",
    "stopped": "yellow",
    "fault": "bold red",
    "interrupted": "red",
}


def _regions(record: SessionRecord) -> str:
    worked = sorted(record.minutes_per_region.items(), key=lambda item: -item[1])
    return ", ".join(
        f"{region.value} {minutes:.1f}m @{record.mean_intensity_per_region.get(region, 0):.1f}"
        for region, minutes in worked[:3]
    )


@click.command()
@home_option
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON document for machines.")
def history(home: Path | None, limit: int, as_json: bool) -> None:
    """The sessions chairctl run recorded, newest first.

    A session whose process was killed shows as interrupted: the next start of chairctl finds
    it and marks it so.
    """
    with open_store(home, create=False) as store:
        read = store.read_history(limit)
    records = read.records
    notes = Console(stderr=True, highlight=False)
    for note in read.notes:
        notes.print(plain(f"• {note}", "yellow"))
    if as_json:
        click.echo(json.dumps([r.to_dict() for r in records], indent=2))
        return
    console = Console(highlight=False)
    if not records:
        if read.notes:
            console.print("No sessions to show: the rows that could not be read are named above.")
        else:
            console.print("No sessions yet: chairctl run PROGRAM records one.")
        return
    table = Table(title="Sessions, newest first", title_justify="left")
    table.add_column("started")
    table.add_column("program")
    table.add_column("profile")
    table.add_column("chair")
    table.add_column("outcome")
    table.add_column("length", justify="right")
    table.add_column("regions (minutes @ mean intensity)")
    for record in records:
        outcome = record.outcome.value if record.outcome is not None else "running"
        style = _OUTCOME_STYLE.get(outcome, "")
        length = format_duration(record.session_s) if record.session_s is not None else "—"
        table.add_row(
            record.started_at.astimezone().strftime("%Y-%m-%d %H:%M"),
            plain(record.program_id),
            plain(record.profile_name or "—"),
            plain(record.chair or "—"),
            Text(outcome, style=style),
            length,
            _regions(record),
        )
    console.print(table)
