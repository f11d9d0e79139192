"""``chairctl models``: the chair models chairctl knows, where each comes from (shipped, or a
file in the user's models folder) and what each can do; ``--check`` validates model files
without installing them."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable
from enum import StrEnum
from pathlib import Path
from typing import Any

import click
from rich.console import Console, Group
from rich.table import Table

from chairctl.cli.model_details import (
    built_in_programs,
    details,
    family_tables,
    protocol_rows,
)
from chairctl.services.safetext import escaped, printable
from chairctl.vocabulary import Location, ModelError, Problem, Technique
from drivers.models import (
    ChairModel,
    ModelRegistry,
    builtin_registry,
    load_model_file,
    registry,
    user_models_dir,
)
from drivers.models.schema import SerialSettings


def _values(items: Iterable[StrEnum]) -> list[str]:
    """The values of some members of one enum, in declaration order (not set order)."""
    chosen = set(items)
    if not chosen:
        return []
    order = list(type(next(iter(chosen))))
    return [member.value for member in sorted(chosen, key=order.index)]


def serial_text(serial: SerialSettings | None) -> str:
    """Line settings the usual way, e.g. '9600 8N1'; '-' when the model has no wired port."""
    if serial is None:
        return "-"
    return f"{serial.baudrate} {serial.bytesize}{serial.parity}{serial.stopbits}"


def model_summary(model: ChairModel) -> dict[str, Any]:
    """What one model is and can do, as plain JSON data."""
    caps = model.capabilities
    serial = model.match.serial
    return {
        "id": model.id,
        "name": model.name,
        "maker": model.maker,
        "protocol": model.family,
        "device_byte": details(model).summary.get("device_byte"),
        "track": model.track.value,
        "techniques": _values(caps.techniques - {Technique.NONE}),
        "intensity_levels": model.intensity_levels,
        "speeds": caps.speeds,
        "widths": _values(caps.widths),
        "airbag_zones": _values(caps.airbag_zones),
        "airbag_levels": caps.airbag_levels,
        "heaters": [h.value for h in model.heaters],
        "heat_levels": [h.value for h in model.heat_levels],
        "foot_roller_speeds": caps.foot_roller_speeds,
        "postures": [p.value for p in model.postures],
        "auto_programs": built_in_programs(model),
        "ble_names": list(model.match.ble_names),
        "serial": serial.model_dump(mode="json") if serial else None,
    }


def source_text(models: ModelRegistry, model_id: str) -> str:
    """Where a model comes from: 'shipped', or the user's file (and whether it replaces the
    shipped model of its id)."""
    source = models.source(model_id)
    if source is None or source.shipped:
        return "shipped"
    if source.overrides_shipped:
        return f"{source.path} (overrides the shipped one)"
    return str(source.path)


def source_json(models: ModelRegistry, model_id: str) -> dict[str, Any]:
    """The ``source``, ``path`` and ``overrides_shipped`` fields of a model's JSON."""
    source = models.source(model_id)
    return {
        "source": "shipped" if source is None or source.shipped else "user",
        "path": str(source.path) if source else None,
        "overrides_shipped": bool(source and source.overrides_shipped),
    }


def _join(items: Iterable[str]) -> str:
    return ", ".join(items) or "-"


#: Columns of the model list, and how to show each for one model.
_LIST_FIELDS: tuple[tuple[str, Callable[[ChairModel], str]], ...] = (
    ("id", lambda m: m.id),
    ("name", lambda m: m.name),
    ("protocol", lambda m: m.family),
    ("track", lambda m: m.track.value),
    ("techniques", lambda m: _join(_values(m.capabilities.techniques - {Technique.NONE}))),
    ("intensity levels", lambda m: str(m.intensity_levels)),
    ("airbag zones", lambda m: _join(_values(m.capabilities.airbag_zones))),
    ("heaters", lambda m: _join(h.value for h in m.heaters)),
    ("BLE names", lambda m: _join(m.match.ble_names)),
    ("serial", lambda m: serial_text(m.match.serial)),
)
#: Below this console width a row per model would squeeze every cell to a few letters, so the
#: table turns: one column per model, one row per field.
_WIDE_CONSOLE = 150


def _list_table(models: ModelRegistry, width: int) -> Table | Group:
    fields = (*_LIST_FIELDS, ("source", lambda m: source_text(models, m.id)))
    chair_models = list(models)
    table = Table(title="Chair models")
    if width >= _WIDE_CONSOLE:
        for name, _ in fields:
            table.add_column(name, overflow="fold", no_wrap=name == "id")
        for model in chair_models:
            table.add_row(*(escaped(show(model)) for _, show in fields))
        return table
    # As many models side by side as leave every id whole; the rest in tables below.
    label = max(len(name) for name, _ in fields)
    longest = max((len(model.id) for model in chair_models), default=1)
    per_table = max(1, (width - label - 4) // (longest + 3))
    tables: list[Table] = []
    for first in range(0, len(chair_models), per_table):
        some = chair_models[first : first + per_table]
        table = Table(title="Chair models" if not first else None)
        table.add_column("", style="bold", no_wrap=True)
        for model in some:
            table.add_column(escaped(model.id), overflow="fold")
        for name, show in fields[1:]:
            table.add_row(name, *(escaped(show(model)) for model in some))
        tables.append(table)
    return tables[0] if len(tables) == 1 else Group(*tables)


def _footer() -> str:
    return (
        f"[dim]Your own models go in {escaped(str(user_models_dir()))}, one ID.yaml each; one "
        "with a shipped model's id replaces it. chairctl models --check PATH checks a file.[/]"
    )


def _detail_tables(model: ChairModel, source: str) -> list[Table]:
    summary = model_summary(model)
    about = Table(title=escaped(f"{model.name} ({model.id})"), show_header=False)
    about.add_column(style="bold")
    about.add_column(overflow="fold")
    ble = model.match.ble
    rows = [
        ("source", source),
        ("maker", model.maker),
        *protocol_rows(model),
        ("BLE names", _join(model.match.ble_names)),
        ("BLE service", ble.service if ble else "-"),
        ("BLE write", ble.write if ble else "-"),
        ("BLE notify", ble.notify if ble else "-"),
        ("serial", serial_text(model.match.serial)),
        ("track", model.track.value),
        ("techniques", _join(summary["techniques"])),
        ("intensity levels", str(model.intensity_levels)),
        ("speeds", str(summary["speeds"])),
        ("widths", _join(summary["widths"])),
        ("airbag zones", _join(summary["airbag_zones"])),
        ("airbag levels", str(summary["airbag_levels"])),
        ("heaters", _join(summary["heaters"])),
        ("heat levels", _join(summary["heat_levels"])),
        ("foot-roller speeds", str(summary["foot_roller_speeds"])),
        ("postures", _join(summary["postures"])),
        ("notes", model.notes or "-"),
    ]
    for key, value in rows:
        about.add_row(key, escaped(value))

    timing = Table(title="Mechanics and timing", show_header=False)
    timing.add_column(style="bold")
    timing.add_column()
    for section in (model.mechanics, model.timing):
        for name, value in section.model_dump().items():
            timing.add_row(name.replace("_", " "), str(value))
    return [about, *family_tables(model), timing]


def _model_files(given: Path) -> list[Path]:
    return sorted(given.glob("*.yaml")) if given.is_dir() else [given]


def _check(paths: list[Path], as_json: bool) -> None:
    """Validate model files as the registry would, without installing them; exit 1 if any
    is invalid (or none was found)."""
    shipped = builtin_registry()

    def replaces_shipped(path: Path, model: ChairModel | None) -> bool:
        source = shipped.source(model.id) if model is not None else None
        return source is not None and source.path != path.resolve()

    results: list[tuple[Path, ChairModel | None, list[Problem]]] = []
    for given in paths:
        if not given.exists():
            results.append(
                (given, None, [Problem(Location(given, 1, 1), "no such file or folder")])
            )
            continue
        for path in _model_files(given):
            try:
                results.append((path, load_model_file(path), []))
            except ModelError as error:
                results.append((path, None, error.problems))
    invalid = [result for result in results if result[2]]
    if as_json:
        files = [
            {
                "path": str(path),
                "valid": not problems,
                "id": model.id if model else None,
                "replaces_shipped": replaces_shipped(path, model),
                "problems": [
                    {"line": p.location.line, "column": p.location.column, "message": p.message}
                    for p in problems
                ],
            }
            for path, model, problems in results
        ]
        click.echo(json.dumps({"valid": not invalid, "files": files}, indent=2))
    else:
        for path, model, problems in results:
            for problem in problems:
                click.echo(printable(str(problem)))
            if model is not None:
                replaces = (
                    " (would replace the shipped one)" if replaces_shipped(path, model) else ""
                )
                click.echo(f"{printable(str(path))}: valid, model {model.id}{replaces}")
        word = "file" if len(results) == 1 else "files"
        if not results:
            click.echo("no model files (*.yaml) found", err=True)
        elif invalid:
            click.echo(f"{len(invalid)} of {len(results)} model {word} invalid", err=True)
        else:
            click.echo(f"{len(results)} model {word} valid", err=True)
    if invalid or not results:
        sys.exit(1)


@click.command()
@click.argument("args", nargs=-1, metavar="[ID] | --check PATH...")
@click.option(
    "--check",
    is_flag=True,
    help="Validate model files (or folders of them) without installing them; exit 1 if any "
    "is invalid.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON for machines.")
def models(args: tuple[str, ...], check: bool, as_json: bool) -> None:
    """List the chair models and what each can do; with ID, show one model in detail.

    Shipped models come with chairctl; your own model files go in the folder the list ends
    with ($CHAIRCTL_HOME/models, else the user config folder's models), and one with a
    shipped model's id replaces it. A user file that is not valid is an error, one located
    line per problem.

    With --check PATH...: validate model files as they would be loaded, without installing
    them. With --json: a list of model summaries (each with its source), or for one ID the
    whole model with its capabilities.
    """
    if check:
        if not args:
            raise click.UsageError("--check needs at least one model file or folder")
        _check([Path(arg) for arg in args], as_json)
        return
    if len(args) > 1:
        raise click.UsageError(
            "give at most one model ID (to validate model files: chairctl models --check PATH...)"
        )
    models = registry()
    if not args:
        if as_json:
            click.echo(
                json.dumps(
                    [{**model_summary(m), **source_json(models, m.id)} for m in models], indent=2
                )
            )
        else:
            console = Console()
            console.print(_list_table(models, console.width))
            console.print(_footer())
        return
    model = models.get(args[0])
    if as_json:
        summary = {**model_summary(model), **source_json(models, model.id)}
        click.echo(json.dumps({**model.model_dump(mode="json"), "summary": summary}, indent=2))
        return
    console = Console()
    for table in _detail_tables(model, source_text(models, model.id)):
        console.print(table)
