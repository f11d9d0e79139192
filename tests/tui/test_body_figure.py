"""BodyFigure: the right band, zone and heater light up, in plain text as well as in colour.

The tests find rows by the labels a reader sees ("upper back", "seat", ...) rather than by the
module's own tables, so a figure that lights the wrong band fails them.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from rich.style import Style
from textual.app import App, ComposeResult

from chairctl.tui.widgets.body_figure import FIGURE_HEIGHT, BodyFigure, figure_lines, figure_text
from chairctl.vocabulary import TRACK_ORDER, AirbagZone, Heater, HeatLevel, Region

LABELS = {
    Region.NECK: "neck",
    Region.SHOULDERS: "shoulders",
    Region.UPPER_BACK: "upper back",
    Region.MID_BACK: "mid back",
    Region.LOWER_BACK: "lower back",
    Region.SACRUM_GLUTES: "glutes",
}
#: How many rows each band is drawn with.
BAND_HEIGHTS = {
    Region.NECK: 1,
    Region.SHOULDERS: 1,
    Region.UPPER_BACK: 2,
    Region.MID_BACK: 2,
    Region.LOWER_BACK: 2,
    Region.SACRUM_GLUTES: 1,
}
#: The labelled rows beside which each airbag zone's markers belong.
ZONE_ROWS = {
    AirbagZone.SHOULDERS: {"shoulders"},
    AirbagZone.ARMS: {"upper back"},
    AirbagZone.WAIST: {"mid back", "lower back"},
    AirbagZone.SEAT: {"seat"},
    AirbagZone.THIGHS: {"thighs"},
    AirbagZone.CALVES: {"calves"},
    AirbagZone.FEET: {"feet"},
}
HEATER_ROWS = {
    Heater.LUMBAR: {"mid back", "lower back"},
    Heater.SEAT: {"seat"},
    Heater.CALVES: {"calves"},
}
MARKS = "█▓◍~≈≋"
LABEL = re.compile(r"[a-z][a-z ]*$")


def rows(**state: Any) -> list[str]:
    """The body of the figure (no legend), one string a row."""
    return figure_text(legend=False, **state).splitlines()


def label_of(row: str) -> str | None:
    found = LABEL.search(row)
    return found.group() if found else None


def groups(lines: list[str]) -> list[str]:
    """For each row, the label it is drawn under: its own, or the nearest one above it."""
    current = "head"
    out = []
    for row in lines:
        current = label_of(row) or current
        out.append(current)
    return out


def marked_groups(lines: list[str], marks: str) -> set[str]:
    """The labels of the rows that show any of ``marks``."""
    return {group for row, group in zip(lines, groups(lines), strict=True) if set(row) & set(marks)}


BASE = rows()


def test_labels_are_in_track_order_then_the_legs() -> None:
    labels = [label for row in BASE if (label := label_of(row))]
    assert labels == [LABELS[r] for r in TRACK_ORDER] + ["seat", "thighs", "calves", "feet"]


def test_nothing_lit_marks_nothing() -> None:
    assert not set("".join(BASE)) & set(MARKS)
    deflated = rows(
        regions=frozenset(),
        rollers=frozenset(),
        airbags=dict.fromkeys(AirbagZone, 0),
        heat=dict.fromkeys(Heater, HeatLevel.OFF),
    )
    assert deflated == BASE


@pytest.mark.parametrize("region", list(Region))
def test_a_region_lights_its_own_band_and_no_other(region: Region) -> None:
    lit = rows(regions=frozenset({region}))
    changed = [
        i for i, (before, after) in enumerate(zip(BASE, lit, strict=True)) if before != after
    ]
    assert changed, "lighting a region must change the figure"
    assert {groups(BASE)[i] for i in changed} == {LABELS[region]}
    assert len(changed) == BAND_HEIGHTS[region]
    for i in changed:
        diffs = {(a, b) for a, b in zip(BASE[i], lit[i], strict=True) if a != b}
        assert diffs == {("░", "▓")}, "only the band's fill turns to the worked glyph"
        assert "░" not in lit[i][:11], "the whole band is lit"


def test_the_roller_is_drawn_stronger_than_a_worked_region() -> None:
    worked = rows(regions=frozenset({Region.LOWER_BACK}))
    rolling = rows(rollers=frozenset({Region.LOWER_BACK}))
    assert worked != rolling
    assert marked_groups(rolling, "█") == {"lower back"}
    assert not set("".join(rolling)) & set("▓◍")
    both = rows(
        regions=frozenset({Region.MID_BACK, Region.LOWER_BACK}),
        rollers=frozenset({Region.LOWER_BACK}),
    )
    assert marked_groups(both, "█") == {"lower back"}
    assert marked_groups(both, "▓") == {"mid back"}


def test_a_mode_band_the_chair_runs_by_itself_is_drawn_whole() -> None:
    band = frozenset({Region.SHOULDERS, Region.UPPER_BACK, Region.MID_BACK, Region.LOWER_BACK})
    running = rows(regions=frozenset({Region.LOWER_BACK}), rollers=band)
    assert marked_groups(running, "█") == {"shoulders", "upper back", "mid back", "lower back"}
    assert "▓" not in "".join(running)


@pytest.mark.parametrize("zone", list(AirbagZone))
def test_an_inflated_zone_shows_its_markers_in_its_place(zone: AirbagZone) -> None:
    inflated = rows(airbags={zone: 3})
    assert marked_groups(inflated, "◍") == ZONE_ROWS[zone]
    assert not set("".join(inflated)) & set("█▓~≈≋")
    assert rows(airbags={zone: 0}) == BASE


@pytest.mark.parametrize("heater", list(Heater))
@pytest.mark.parametrize(
    ("level", "mark"), [(HeatLevel.LOW, "~"), (HeatLevel.MEDIUM, "≈"), (HeatLevel.HIGH, "≋")]
)
def test_a_heater_marks_the_rows_it_warms(heater: Heater, level: HeatLevel, mark: str) -> None:
    warm = rows(heat={heater: level})
    assert marked_groups(warm, mark) == HEATER_ROWS[heater]
    # The mark sits between the body and the label, and leaves the body as it was.
    for before, after in zip(BASE, warm, strict=True):
        assert after.ljust(11)[:11] == before.ljust(11)[:11]
        if mark in after:
            assert after.rstrip(" abcdefghijklmnopqrstuvwxyz").endswith(mark)
    assert rows(heat={heater: HeatLevel.OFF}) == BASE


def test_the_head_is_never_lit() -> None:
    everything = rows(
        regions=frozenset(Region),
        rollers=frozenset({Region.NECK}),
        airbags=dict.fromkeys(AirbagZone, 5),
        heat=dict.fromkeys(Heater, HeatLevel.HIGH),
    )
    assert groups(BASE)[:2] == ["head", "head"]
    assert everything[:2] == BASE[:2]
    assert not set("".join(everything[:2])) & set(MARKS)


def test_the_figure_fits_a_narrow_pane() -> None:
    text = figure_text()
    assert max(len(row) for row in text.splitlines()) <= 24
    assert len(text.splitlines()) <= 20
    assert all(row == row.rstrip() for row in text.splitlines())


def test_each_mark_is_drawn_in_its_role() -> None:
    lines = figure_lines(
        regions=frozenset({Region.MID_BACK}),
        rollers=frozenset({Region.LOWER_BACK}),
        airbags={AirbagZone.WAIST: 3},
        heat={Heater.LUMBAR: HeatLevel.LOW},
        legend=False,
    )
    roles = {char: role for line in lines for run, role in line for char in run}
    assert roles["█"] == "roller"
    assert roles["▓"] == "lit"
    assert roles["◍"] == "airbag"
    assert roles["~"] == "heat"
    assert roles["░"] == "dim"

    def label_role(label: str) -> str:
        return next(role for line in lines for run, role in line if run.endswith(label))

    assert label_role("lower back") == "roller"
    assert label_role("mid back") == "lit"
    assert label_role("neck") == "dim"


class FigureApp(App[None]):
    def compose(self) -> ComposeResult:
        yield BodyFigure(regions=frozenset({Region.SHOULDERS, Region.UPPER_BACK}))


def painted(figure: BodyFigure) -> list[str]:
    """What the widget painted, row by row."""
    return [figure.render_line(y).text.rstrip() for y in range(figure.size.height)]


def style_of(figure: BodyFigure, lines: list[str], char: str) -> Style:
    """The on-screen style of the first cell showing ``char``."""
    y = next(y for y, row in enumerate(lines) if char in row)
    return figure.get_style_at(lines[y].index(char), y)


async def test_show_state_repaints_the_figure() -> None:
    app = FigureApp()
    async with app.run_test(size=(40, 24)) as pilot:
        figure = app.query_one(BodyFigure)
        library = painted(figure)
        assert (
            library
            == figure_text(regions=frozenset({Region.SHOULDERS, Region.UPPER_BACK})).splitlines()
        )
        assert figure.size.width == 24

        figure.show_state(
            regions=frozenset({Region.MID_BACK, Region.LOWER_BACK}),
            rollers=frozenset({Region.LOWER_BACK}),
            airbags={AirbagZone.WAIST: 3},
            heat={Heater.LUMBAR: HeatLevel.MEDIUM},
        )
        await pilot.pause()
        session = painted(figure)
        assert session != library
        body = session[:FIGURE_HEIGHT]
        assert marked_groups(body, "█") == {"lower back"}
        assert marked_groups(body, "▓") == {"mid back"}
        assert marked_groups(body, "◍") == {"mid back", "lower back"}
        assert marked_groups(body, "≈") == {"mid back", "lower back"}

        roller, worked, rest = (style_of(figure, body, c) for c in "█▓░")
        assert len({roller.color, worked.color, rest.color}) == 3
        assert roller.bold


async def test_the_figure_follows_the_theme() -> None:
    app = FigureApp()
    async with app.run_test(size=(40, 24)) as pilot:
        figure = app.query_one(BodyFigure)
        figure.rollers = frozenset({Region.NECK})
        await pilot.pause()
        before = style_of(figure, painted(figure)[:FIGURE_HEIGHT], "█").color
        app.theme = "nord"
        await pilot.pause()
        after = style_of(figure, painted(figure)[:FIGURE_HEIGHT], "█").color
        assert before != after


async def test_a_changed_mapping_assigned_again_is_seen() -> None:
    app = FigureApp()
    async with app.run_test(size=(40, 24)) as pilot:
        figure = app.query_one(BodyFigure)
        bags = {AirbagZone.FEET: 2}
        figure.airbags = bags
        await pilot.pause()
        assert marked_groups(painted(figure)[:FIGURE_HEIGHT], "◍") == {"feet"}
        bags[AirbagZone.FEET] = 0
        figure.airbags = bags
        await pilot.pause()
        assert marked_groups(painted(figure)[:FIGURE_HEIGHT], "◍") == set()
