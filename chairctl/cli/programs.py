"""Commands for program files: ``list``, ``validate``, ``show`` and ``schema``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click
from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from chairctl.cli.timeline import render_timeline
from chairctl.plan import Plan, compile_program
from chairctl.program import Program, format_duration, load_program, program_files, total_seconds
from chairctl.program.jsonschema import program_json_schema_text
from chairctl.program.library import find_program, library_dir
from chairctl.vocabulary import (
    FULL_FEATURED,
    ChairCapabilities,
    Location,
    Problem,
    ProgramError,
)
from drivers.models import get_model

#: Width used when the output is not a terminal (a pipe, a file, a test).
PLAIN_WIDTH = 100


def _console(width: int | None = None) -> Console:
    """A console ``width`` wide; at most 140 on a terminal, 100 when piped."""
    probe = Console()
    if width is None:
        width = min(probe.width, 140) if probe.is_terminal else PLAIN_WIDTH
    return Console(highlight=False, soft_wrap=False, width=width)


def _check_files(paths: list[Path]) -> list[tuple[Path, Program | None, list[Problem]]]:
    results: list[tuple[Path, Program | None, list[Problem]]] = []
    for given in paths:
        if not given.exists():
            results.append(
                (given, None, [Problem(Location(given, 1, 1), "no such file or folder")])
            )
            continue
        for path in program_files([given]):
            try:
                results.append((path, load_program(path), []))
            except ProgramError as error:
                results.append((path, None, error.problems))
    return results


@click.command("list")
def list_library() -> None:
    """List the programs of the library (what plain ``chairctl`` shows)."""
    results = _check_files([library_dir()])
    table = Table(title=f"chairctl program library ({library_dir()})", title_justify="left")
    table.add_column("id", style="bold cyan", no_wrap=True)
    table.add_column("category")
    table.add_column("length", justify="right")
    table.add_column("summary")
    bad = [problem for _, _, problems in results for problem in problems]
    for _, program, _ in results:
        if program is not None:
            table.add_row(
                program.id,
                program.category.value,
                format_duration(total_seconds(program)),
                program.summary,
            )
    console = _console()
    console.print(table)
    console.print(
        "[dim]chairctl show ID draws a program; chairctl validate PATH checks your own files.[/]"
    )
    if bad:
        for problem in bad:
            click.echo(str(problem), err=True)
        sys.exit(1)


def _problem_json(problem: Problem) -> dict[str, Any]:
    return {
        "line": problem.location.line,
        "column": problem.location.column,
        "message": problem.message,
    }


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="One JSON document for machines.")
def validate(paths: tuple[Path, ...], as_json: bool) -> None:
    """Check program files (or folders of them); exit 1 if any is invalid."""
    results = _check_files(list(paths))
    invalid = [result for result in results if result[2]]
    if as_json:
        document = {
            "valid": not invalid,
            "files": [
                {
                    "path": str(path),
                    "valid": not problems,
                    "id": program.id if program else None,
                    "problems": [_problem_json(p) for p in problems],
                }
                for path, program, problems in results
            ],
        }
        click.echo(json.dumps(document, indent=2))
    else:
        for _, _, problems in invalid:
            for problem in problems:
                click.echo(str(problem))
        word = "file" if len(results) == 1 else "files"
        if invalid:
            click.echo(f"{len(invalid)} of {len(results)} program {word} invalid", err=True)
        else:
            click.echo(f"{len(results)} program {word} valid", err=True)
    if invalid or not results:
        sys.exit(1)


def _chair_for(model_id: str | None) -> tuple[str, ChairCapabilities]:
    if model_id is None:
        return "a full-featured chair", FULL_FEATURED
    model = get_model(model_id)
    return model.name, model.capabilities


def _header(program: Program, plan: Plan, chair: str) -> Panel:
    lines = Text()
    lines.append(f"{program.summary}\n\n", style="italic")
    lines.append(program.description.strip() + "\n\n")
    facts = [
        ("id", program.id),
        ("category", program.category.value),
        ("goals", ", ".join(program.goals)),
        ("length", format_duration(plan.total_s)),
        ("for", ", ".join(program.for_conditions) or "—"),
        ("compiled for", chair),
    ]
    for label, value in facts:
        lines.append(f"{label:>13}  ", style="dim").append(f"{value}\n")
    if program.evidence:
        lines.append(f"{'evidence':>13}  ", style="dim").append(program.evidence.strip() + "\n")
    for caution in program.cautions:
        lines.append(f"{'caution':>13}  ", style="bold yellow").append(caution + "\n")
    lines.rstrip()
    return Panel(lines, title=f"[bold]{program.name}[/]", title_align="left")


def _regions_table(plan: Plan) -> Table:
    table = Table(title="Time per region", title_justify="left", show_edge=False)
    table.add_column("region")
    table.add_column("minutes", justify="right")
    table.add_column("share", justify="right")
    table.add_column("mean intensity", justify="right")
    seconds = plan.seconds_per_region()
    means = plan.mean_intensity_per_region()
    rollers = sum(seconds.values()) or 1.0
    for region, spent in seconds.items():
        table.add_row(
            region.value, f"{spent / 60:.1f}", f"{spent / rollers:.0%}", f"{means[region]:.1f}"
        )
    return table


@click.command()
@click.argument("program")
@click.option("--model", "model_id", help="Compile for this chair model (see chairctl models).")
@click.option("--width", type=click.IntRange(40, 400), help="Drawing width (default: terminal).")
def show(program: str, model_id: str | None, width: int | None) -> None:
    """Show a program: what it is, its timeline, time per region and every adjustment.

    PROGRAM is a file or the id of a library program.
    """
    path = find_program(program)
    if not path.exists():
        raise click.ClickException(f"no program file or library program '{program}'")
    loaded = load_program(path)
    chair_name, chair = _chair_for(model_id)
    plan = compile_program(loaded, chair=chair)
    console = _console(width)
    adjustments = Text()
    for adjustment in plan.adjustments:
        adjustments.append("• ", style="yellow").append(f"{adjustment}\n")
    adjustments.rstrip()
    parts: list[Any] = [
        _header(loaded, plan, chair_name),
        Text("Timeline", style="bold"),
        render_timeline(plan, console.width),
        Text(""),
        _regions_table(plan),
        Text(""),
        Text("Adjustments made by the compiler", style="bold"),
        adjustments if plan.adjustments else Text("none", style="dim"),
    ]
    console.print(Group(*parts))


@click.command()
def schema() -> None:
    """Print the JSON Schema of program files (draft-07, for editors)."""
    click.echo(program_json_schema_text(), nl=False)
