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
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from chairctl.vocabulary import Location, ModelError, Problem
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
        "protocol": model.protocol.family,
        "device_byte": model.protocol.device_byte,
        "track": model.track.value,
        "techniques": [t.value for t in model.keys.techniques],
        "intensity_levels": model.intensity_levels,
        "speeds": caps.speeds,
        "widths": _values(caps.widths),
        "airbag_zones": _values(caps.airbag_zones),
        "airbag_levels": caps.airbag_levels,
        "heaters": [h.value for h in model.heaters],
        "heat_levels": [h.value for h in model.heat_levels],
        "foot_roller_speeds": caps.foot_roller_speeds,
        "postures": [p.value for p in model.postures],
        "auto_programs": [p.name for p in model.keys.auto_programs],
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
    ("protocol", lambda m: m.protocol.family),
    ("track", lambda m: m.track.value),
    ("techniques", lambda m: _join(t.value for t in m.keys.techniques)),
    ("intensity levels", lambda m: str(m.intensity_levels)),
    ("airbag zones", lambda m: _join(_values(m.capabilities.airbag_zones))),
    ("heaters", lambda m: _join(h.value for h in m.heaters)),
    ("BLE names", lambda m: _join(m.match.ble_names)),
    ("serial", lambda m: serial_text(m.match.serial)),
)
#: Below this console width a row per model would squeeze every cell to a few letters, so the
#: table turns: one column per model, one row per field.
_WIDE_CONSOLE = 150


def _list_table(models: ModelRegistry, width: int) -> Table:
    fields = (*_LIST_FIELDS, ("source", lambda m: source_text(models, m.id)))
    chair_models = list(models)
    table = Table(title="Chair models")
    if width >= _WIDE_CONSOLE:
        for name, _ in fields:
            table.add_column(name, overflow="fold", no_wrap=name == "id")
        for model in chair_models:
            table.add_row(*(escape(show(model)) for _, show in fields))
        return table
    table.add_column("", style="bold", no_wrap=True)
    for model in chair_models:
        table.add_column(escape(model.id), overflow="fold")
    for name, show in fields[1:]:
        table.add_row(name, *(escape(show(model)) for model in chair_models))
    return table


def _footer() -> str:
    return (
        f"[dim]Your own models go in {escape(str(user_models_dir()))}, one ID.yaml each; one "
        "with a shipped model's id replaces it. chairctl models --check PATH checks a file.[/]"
    )


def _hex(code: int | None) -> str:
    return "-" if code is None else f"0x{code:02X}"


def _detail_tables(model: ChairModel, source: str) -> list[Table]:
    summary = model_summary(model)
    about = Table(title=escape(f"{model.name} ({model.id})"), show_header=False)
    about.add_column(style="bold")
    about.add_column(overflow="fold")
    ble = model.match.ble
    rows = [
        ("source", source),
        ("maker", model.maker),
        ("protocol", f"{model.protocol.family}, device byte {_hex(model.protocol.device_byte)}"),
        *(
            (
                f"status ({link})",
                f"{form.length} bytes, {'checksum' if form.checksum else 'no checksum'}, "
                f"every {form.period_ms} ms",
            )
            for link, form in model.protocol.status_forms.items()
        ),
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
        about.add_row(key, escape(value))

    keys = Table(title="Keys")
    for name in ("function", "key", "status code", "note"):
        keys.add_column(name)
    k = model.keys
    keys.add_row("power", _hex(k.power), "", "toggle; from running it starts settle")
    for technique, tkey in k.techniques.items():
        note = "approximation" if tkey.approximates else ""
        keys.add_row(f"technique {technique.value}", _hex(tkey.key), str(tkey.status_code), note)
    keys.add_row("intensity cycle", _hex(k.intensity_cycle), "", "")
    keys.add_row("speeds", _join(map(_hex, k.speeds)), "", "slowest first")
    for width, code in k.widths.items():
        keys.add_row(f"width {width.value}", _hex(code), "", "")
    for name, code in k.ranges.items():
        keys.add_row(f"range {name}", _hex(code), "", "")
    keys.add_row("heat toggle", _hex(k.heat_toggle), "", "")
    for group in k.airbag_groups:
        keys.add_row(f"airbags {_join(z.value for z in group.zones)}", _hex(group.key), "", "")
    keys.add_row("airbag levels", _join(map(_hex, k.airbag_levels)), "", "level 1 first")
    keys.add_row("airbags off", _hex(k.airbag_off), "", "")
    keys.add_row("foot roller", _join(map(_hex, k.foot_roller)), "", "slowest first")
    keys.add_row("foot roller off", _hex(k.foot_roller_off), "", "")
    for minutes, code in k.session_presets.items():
        keys.add_row(f"session {minutes} min", _hex(code), "", "")
    for program in k.auto_programs:
        regions = _join(r.value for r in program.regions)
        keys.add_row(
            f"program {program.name}", _hex(program.key), str(program.status_code), regions
        )
    for name, hold in (("walk", k.walk), ("backrest", k.backrest), ("leg rest", k.leg_rest)):
        if hold is not None:
            codes = (
                f"up {_hex(hold.up_start)}/{_hex(hold.up_stop)}, "
                f"down {_hex(hold.down_start)}/{_hex(hold.down_stop)}"
            )
            keys.add_row(name, codes, "", "hold: START/STOP")
    keys.add_row("zero gravity", _hex(k.zero_gravity), "", "")

    timing = Table(title="Mechanics and timing", show_header=False)
    timing.add_column(style="bold")
    timing.add_column()
    for section in (model.mechanics, model.timing):
        for name, value in section.model_dump().items():
            timing.add_row(name.replace("_", " "), str(value))
    return [about, keys, timing]


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
                click.echo(str(problem))
            if model is not None:
                replaces = (
                    " (would replace the shipped one)" if replaces_shipped(path, model) else ""
                )
                click.echo(f"{path}: valid, model {model.id}{replaces}")
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
