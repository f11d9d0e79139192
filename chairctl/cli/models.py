"""``chairctl models``: the chair models chairctl knows and what each can do."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from enum import StrEnum
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from drivers.models import ChairModel, builtin_registry
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


def _list_table(chair_models: list[ChairModel], width: int) -> Table:
    table = Table(title="Chair models")
    if width >= _WIDE_CONSOLE:
        for name, _ in _LIST_FIELDS:
            table.add_column(name, overflow="fold", no_wrap=name == "id")
        for model in chair_models:
            table.add_row(*(show(model) for _, show in _LIST_FIELDS))
        return table
    table.add_column("", style="bold", no_wrap=True)
    for model in chair_models:
        table.add_column(model.id, overflow="fold")
    for name, show in _LIST_FIELDS[1:]:
        table.add_row(name, *(show(model) for model in chair_models))
    return table


def _hex(code: int | None) -> str:
    return "-" if code is None else f"0x{code:02X}"


def _detail_tables(model: ChairModel) -> list[Table]:
    summary = model_summary(model)
    about = Table(title=f"{model.name} ({model.id})", show_header=False)
    about.add_column(style="bold")
    about.add_column()
    ble = model.match.ble
    rows = [
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
        about.add_row(key, value)

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


@click.command()
@click.argument("model_id", required=False, metavar="[ID]")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for machines.")
def models(model_id: str | None, as_json: bool) -> None:
    """List the chair models and what each can do; with ID, show one model in detail.

    With --json: a list of model summaries, or for one ID the whole model with its
    capabilities.
    """
    registry = builtin_registry()
    if model_id is None:
        if as_json:
            click.echo(json.dumps([model_summary(m) for m in registry], indent=2))
        else:
            console = Console()
            console.print(_list_table(list(registry), console.width))
        return
    model = registry.get(model_id)
    if as_json:
        click.echo(
            json.dumps({**model.model_dump(mode="json"), "summary": model_summary(model)}, indent=2)
        )
        return
    console = Console()
    for table in _detail_tables(model):
        console.print(table)
