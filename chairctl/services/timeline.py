"""A plan drawn in the terminal: one row per roller region and per airbag zone, time across.

Each column stands for an equal slice of the session; a cell shows the strongest level that
row reaches in that slice as a bar whose height (and colour, on a colour terminal) grows with
the level, so the drawing also reads in plain text and in logs.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import partial

from rich.text import Text

from chairctl.plan import Plan, PlanEntry
from chairctl.program import format_duration
from chairctl.vocabulary import AirbagZone, Heater, HeatLevel, Region, Setpoint, Technique

#: Bar glyphs for levels 1..5; index 0 is "nothing".
GLYPHS = "·▁▂▄▆█"
_COLOURS = ("grey35", "green", "chartreuse3", "yellow3", "dark_orange", "red")
_HEAT_LEVEL = {HeatLevel.OFF: 0, HeatLevel.LOW: 1, HeatLevel.MEDIUM: 3, HeatLevel.HIGH: 5}
_TECHNIQUE_MARK = {
    Technique.KNEAD: "K",
    Technique.TAP: "t",
    Technique.KNOCK: "k",
    Technique.KNEAD_KNOCK: "X",
    Technique.SHIATSU: "S",
    Technique.ROLL: "R",
    Technique.SWEDISH: "W",
    Technique.STRETCH: "=",
    Technique.NONE: " ",
}
LABEL_WIDTH = 16


def _levels(plan: Plan, columns: int, level: Callable[[Setpoint], int]) -> list[int]:
    """The strongest level of each column, over every entry overlapping it."""
    total = plan.total_s or 1.0
    slot = total / columns
    cells = [0] * columns
    for entry in plan.entries:
        value = level(entry.setpoint)
        if not value:
            continue
        first = int(entry.start_s / slot)
        last = min(columns - 1, max(first, math.ceil(entry.end_s / slot) - 1))
        for column in range(first, last + 1):
            cells[column] = max(cells[column], value)
    return cells


def _roller_level(region: Region, setpoint: Setpoint) -> int:
    return setpoint.intensity if setpoint.rollers_active and region in setpoint.regions else 0


def _airbag(zone: AirbagZone, setpoint: Setpoint) -> int:
    return setpoint.airbag(zone)


def _heat_level(heater: Heater, setpoint: Setpoint) -> int:
    return _HEAT_LEVEL[setpoint.heat_of(heater)]


def _row(label: str, cells: list[int]) -> Text:
    text = Text(f"{label:<{LABEL_WIDTH}}", style="bold" if any(cells) else "dim")
    for value in cells:
        text.append(GLYPHS[value], style=_COLOURS[value])
    return text


def _technique_row(plan: Plan, columns: int) -> Text:
    total = plan.total_s or 1.0
    slot = total / columns
    marks = [" "] * columns
    previous: PlanEntry | None = None
    for entry in plan.entries:
        if previous is None or entry.setpoint.technique != previous.setpoint.technique:
            column = min(columns - 1, int(entry.start_s / slot))
            marks[column] = _TECHNIQUE_MARK[entry.setpoint.technique]
        previous = entry
    return Text(f"{'technique':<{LABEL_WIDTH}}", style="bold").append("".join(marks))


def _axis(plan: Plan, columns: int) -> Text:
    total = plan.total_s
    minutes = max(1, math.ceil(total / 60))
    every = next(step for step in (1, 2, 5, 10, 15, 30) if minutes / step <= columns / 6)
    ruler = [" "] * columns
    for minute in range(0, minutes + 1, every):
        label = f"{minute}m"
        column = min(round(minute * 60 / total * columns) if total else 0, columns - len(label))
        if minute and ruler[column - 1] != " ":
            continue  # too close to the previous label
        ruler[column : column + len(label)] = label
    return Text(" " * LABEL_WIDTH + "".join(ruler).rstrip(), style="dim")


def render_timeline(plan: Plan, width: int = 100) -> Text:
    """The plan as rows of bars, ``width`` characters wide at most."""
    columns = max(20, width - LABEL_WIDTH - 2)
    lines = [_technique_row(plan, columns)]
    for region in Region:
        lines.append(_row(region.value, _levels(plan, columns, partial(_roller_level, region))))
    for zone in AirbagZone:
        lines.append(_row(f"air {zone.value}", _levels(plan, columns, partial(_airbag, zone))))
    for heater in Heater:
        cells = _levels(plan, columns, partial(_heat_level, heater))
        if any(cells):
            lines.append(_row(f"heat {heater.value}", cells))
    feet = _levels(plan, columns, lambda sp: sp.foot_rollers)
    if any(feet):
        lines.append(_row("foot rollers", feet))
    lines.append(_axis(plan, columns))
    legend = Text(" " * LABEL_WIDTH + "level ", style="dim")
    for level in range(1, 6):
        legend.append(f"{level}", style="dim").append(GLYPHS[level], style=_COLOURS[level])
        legend.append(" ")
    legend.append(f"  {format_duration(plan.total_s)} in all", style="dim")
    lines.append(legend)
    used = dict.fromkeys(e.setpoint.technique for e in plan.entries if e.setpoint.rollers_active)
    if used:
        key = "  ".join(f"{_TECHNIQUE_MARK[t]} {t.value}" for t in used)
        lines.append(Text(f"{'':<{LABEL_WIDTH}}technique  {key}", style="dim"))
    return Text("\n").join(lines)
