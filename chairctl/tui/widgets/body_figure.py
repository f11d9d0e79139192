"""BodyFigure: a person's back seen from behind, seated in the chair, lit where the chair works.

The app shows it in two places. The library's detail pane lights every roller region a program
works, as a still picture. The running session lights where the rollers work now (the region
under them, or the band of the mode a chair runs by itself), the airbag zones inflated now and
the heaters on now, and is updated with :meth:`show_state`.

Each state has a glyph of its own as well as a colour, so the figure reads without colour too
(plain-text snapshots, screen readers, monochrome terminals)::

    █  the rollers work here now               ░  nothing here now
    ▓  a region worked                         ◍  airbags inflated
    ~ ≈ ≋  heat low, medium, high (in the column before the row's label)

Colours come from theme variables through the component classes of ``DEFAULT_CSS``, so the
figure follows the app's theme. The drawing itself is the pure function :func:`figure_lines`
(plain text: :func:`figure_text`), which the widget only styles, so tests need no terminal.
"""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from types import MappingProxyType
from typing import ClassVar, Final, Literal

from rich.style import Style
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from chairctl.vocabulary import AirbagZone, Heater, HeatLevel, Region

#: What a piece of the figure shows; the widget styles it with ``body-figure--<role>``.
Role = Literal["roller", "lit", "airbag", "heat", "dim"]
ROLES: Final[tuple[Role, ...]] = ("roller", "lit", "airbag", "heat", "dim")

#: A run of text drawn in one role, and a row of the figure.
Segment = tuple[str, Role]
Line = tuple[Segment, ...]

ROLLER_GLYPH: Final = "█"
WORKED_GLYPH: Final = "▓"
AIRBAG_GLYPH: Final = "◍"
#: The heat mark grows with the level; OFF has none.
HEAT_GLYPHS: Final[Mapping[HeatLevel, str]] = MappingProxyType(
    {HeatLevel.LOW: "~", HeatLevel.MEDIUM: "≈", HeatLevel.HIGH: "≋"}
)

#: The label beside each roller band. "glutes" rather than "sacrum/glutes" to fit the width.
REGION_LABELS: Final[Mapping[Region, str]] = MappingProxyType(
    {
        Region.NECK: "neck",
        Region.SHOULDERS: "shoulders",
        Region.UPPER_BACK: "upper back",
        Region.MID_BACK: "mid back",
        Region.LOWER_BACK: "lower back",
        Region.SACRUM_GLUTES: "glutes",
    }
)

#: The label beside the rows of the airbag zones that have rows of their own.
ZONE_LABELS: Final[Mapping[AirbagZone, str]] = MappingProxyType(
    {
        AirbagZone.SEAT: "seat",
        AirbagZone.THIGHS: "thighs",
        AirbagZone.CALVES: "calves",
        AirbagZone.FEET: "feet",
    }
)

_HEAD: Final = "head"
_Part = Region | AirbagZone | Literal["head"]

#: The letters of the masks below: which part of the body each cell of the art belongs to.
_CODES: Final[Mapping[str, _Part]] = MappingProxyType(
    {
        "h": _HEAD,
        "N": Region.NECK,
        "S": Region.SHOULDERS,
        "U": Region.UPPER_BACK,
        "M": Region.MID_BACK,
        "L": Region.LOWER_BACK,
        "G": Region.SACRUM_GLUTES,
        "s": AirbagZone.SHOULDERS,
        "a": AirbagZone.ARMS,
        "w": AirbagZone.WAIST,
        "e": AirbagZone.SEAT,
        "t": AirbagZone.THIGHS,
        "c": AirbagZone.CALVES,
        "f": AirbagZone.FEET,
    }
)


@dataclass(frozen=True)
class _Row:
    """One row of the drawing: its art when nothing is lit, the part under each cell, its label
    (on the first row of a part only) and the heater that warms it."""

    art: str
    mask: str
    label: Region | AirbagZone | None = None
    heater: Heater | None = None


# The upper back, mid back and lower back get two rows each so the torso keeps a back's
# proportions (a cell is about twice as tall as wide). The shoulder airbags are the shoulder
# tips, the arm airbags hang from them beside the upper back, and the waist airbags press on the
# sides where the mid back meets the lower back. Seen from behind, the thighs and calves of a
# seated person are schematic: they are there for their airbags and heater.
_FIGURE: Final[tuple[_Row, ...]] = (
    _Row("   ╭───╮   ", "   hhhhh   "),
    _Row("   ╰───╯   ", "   hhhhh   "),
    _Row("    ░░░    ", "    NNN    ", Region.NECK),
    _Row("╭░░░░░░░░░╮", "sSSSSSSSSSs", Region.SHOULDERS),
    _Row("│ ░░░░░░░ │", "a UUUUUUU a", Region.UPPER_BACK),
    _Row("│ ░░░░░░░ │", "a UUUUUUU a"),
    _Row("  ░░░░░░░  ", "  MMMMMMM  ", Region.MID_BACK, Heater.LUMBAR),
    _Row(" ·░░░░░░░· ", " wMMMMMMMw ", None, Heater.LUMBAR),
    _Row(" ·░░░░░░░· ", " wLLLLLLLw ", Region.LOWER_BACK, Heater.LUMBAR),
    _Row("  ░░░░░░░  ", "  LLLLLLL  ", None, Heater.LUMBAR),
    _Row(" ░░░░░░░░░ ", " GGGGGGGGG ", Region.SACRUM_GLUTES),
    _Row(" ═════════ ", " eeeeeeeee ", AirbagZone.SEAT, Heater.SEAT),
    _Row(" ░░░░ ░░░░ ", " tttt tttt ", AirbagZone.THIGHS),
    _Row("  ░░   ░░  ", "  cc   cc  ", AirbagZone.CALVES, Heater.CALVES),
    _Row("  ░░   ░░  ", "  cc   cc  ", None, Heater.CALVES),
    _Row(" ▀▀▀   ▀▀▀ ", " fff   fff ", AirbagZone.FEET),
)

#: Rows of the body itself; the legend follows them.
FIGURE_HEIGHT: Final = len(_FIGURE)
#: Columns of the body; then a space, the heat mark, a space and the label.
FIGURE_WIDTH: Final = len(_FIGURE[0].art)

_LEGEND: Final[tuple[Line, ...]] = (
    (),
    ((ROLLER_GLYPH, "roller"), (" roller  ", "dim"), (WORKED_GLYPH, "lit"), (" worked", "dim")),
    ((AIRBAG_GLYPH, "airbag"), (" airbag  ", "dim"), ("≈", "heat"), (" heat", "dim")),
)

_NO_AIRBAGS: Final[Mapping[AirbagZone, int]] = MappingProxyType({})
_NO_HEAT: Final[Mapping[Heater, HeatLevel]] = MappingProxyType({})


def inflated(airbags: Mapping[AirbagZone, int] | None) -> Mapping[AirbagZone, int]:
    """The zones of ``airbags`` that are inflated (level above 0), as a read-only copy.

    A copy, so a caller that changes its dict and assigns it again is seen as a change.
    """
    if not airbags:
        return _NO_AIRBAGS
    return MappingProxyType(
        {AirbagZone(zone): level for zone, level in airbags.items() if level > 0}
    )


def heated(heat: Mapping[Heater, HeatLevel] | None) -> Mapping[Heater, HeatLevel]:
    """The heaters of ``heat`` that are on, as a read-only copy."""
    if not heat:
        return _NO_HEAT
    return MappingProxyType(
        {
            Heater(heater): HeatLevel(level)
            for heater, level in heat.items()
            if HeatLevel(level) is not HeatLevel.OFF
        }
    )


def _cell_role(
    part: _Part,
    regions: AbstractSet[Region],
    rollers: AbstractSet[Region],
    airbags: Mapping[AirbagZone, int],
) -> Role:
    # Region and AirbagZone are StrEnums, and Region.SHOULDERS == AirbagZone.SHOULDERS as
    # strings, so a part is tested for its type before any lookup.
    if isinstance(part, Region):
        if part in rollers:
            return "roller"
        return "lit" if part in regions else "dim"
    if isinstance(part, AirbagZone) and airbags.get(part, 0) > 0:
        return "airbag"
    return "dim"


_FILL: Final[Mapping[Role, str]] = MappingProxyType(
    {"roller": ROLLER_GLYPH, "lit": WORKED_GLYPH, "airbag": AIRBAG_GLYPH}
)


def _append(segments: list[Segment], text: str, role: Role) -> None:
    """Add ``text`` to a row, joining it to the last run when it has the same role."""
    if segments and segments[-1][1] == role:
        segments[-1] = (segments[-1][0] + text, role)
    else:
        segments.append((text, role))


def _strip_end(segments: list[Segment]) -> Line:
    """The row without trailing blanks, so the plain text has no invisible tails."""
    while segments:
        text, role = segments[-1]
        stripped = text.rstrip()
        if stripped:
            segments[-1] = (stripped, role)
            break
        segments.pop()
    return tuple(segments)


def figure_lines(
    *,
    regions: AbstractSet[Region] = frozenset(),
    rollers: AbstractSet[Region] = frozenset(),
    airbags: Mapping[AirbagZone, int] | None = None,
    heat: Mapping[Heater, HeatLevel] | None = None,
    legend: bool = True,
) -> list[Line]:
    """The figure, row by row, as runs of text each with the role it is drawn in.

    ``regions`` are lit as worked and ``rollers`` as where the rollers work now (it wins over
    worked); ``airbags`` maps zones to levels (0 or absent: deflated) and ``heat`` heaters to
    levels. The head is never lit: no chair works it. With ``legend`` two legend rows follow
    the body after a blank row (:data:`FIGURE_HEIGHT` rows of body come first).
    """
    airbags = inflated(airbags)
    heat = heated(heat)
    lines: list[Line] = []
    for row in _FIGURE:
        segments: list[Segment] = []
        for glyph, code in zip(row.art, row.mask, strict=True):
            if code == " ":
                _append(segments, glyph, "dim")
                continue
            role = _cell_role(_CODES[code], regions, rollers, airbags)
            _append(segments, _FILL.get(role, glyph), role)

        level = heat.get(row.heater, HeatLevel.OFF) if row.heater is not None else HeatLevel.OFF
        _append(segments, " ", "dim")
        if level is HeatLevel.OFF:
            _append(segments, " ", "dim")
        else:
            _append(segments, HEAT_GLYPHS[level], "heat")
        _append(segments, " ", "dim")

        if row.label is not None:
            label_role = _cell_role(row.label, regions, rollers, airbags)
            if label_role == "dim" and level is not HeatLevel.OFF:
                label_role = "heat"
            text = (
                REGION_LABELS[row.label]
                if isinstance(row.label, Region)
                else ZONE_LABELS[row.label]
            )
            _append(segments, text, label_role)
        lines.append(_strip_end(segments))
    if legend:
        lines.extend(_LEGEND)
    return lines


def figure_text(
    *,
    regions: AbstractSet[Region] = frozenset(),
    rollers: AbstractSet[Region] = frozenset(),
    airbags: Mapping[AirbagZone, int] | None = None,
    heat: Mapping[Heater, HeatLevel] | None = None,
    legend: bool = True,
) -> str:
    """The figure of :func:`figure_lines` as plain text, one row a line."""
    lines = figure_lines(
        regions=regions, rollers=rollers, airbags=airbags, heat=heat, legend=legend
    )
    return "\n".join("".join(text for text, _ in line) for line in lines)


class BodyFigure(Widget):
    """A seated person's back seen from behind, lit where the chair works on it."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {f"body-figure--{role}" for role in ROLES}
    """
    | Class | Description |
    | :- | :- |
    | `body-figure--roller` | Where the rollers work now, and the labels there. |
    | `body-figure--lit` | Regions worked, and their labels. |
    | `body-figure--airbag` | Airbag zones inflated, and their labels. |
    | `body-figure--heat` | Heat marks, and the labels of rows warmed and not otherwise lit. |
    | `body-figure--dim` | Everything not lit: the head, the body at rest, labels, legend. |
    """

    # The roller is the strongest thing on the figure: bold, in the accent colour. Worked regions
    # take the primary colour, so a program's whole span stays calm next to it.
    DEFAULT_CSS = """
    BodyFigure {
        width: auto;
        height: auto;

        & > .body-figure--roller {
            color: $text-accent;
            text-style: bold;
        }
        & > .body-figure--lit {
            color: $text-primary;
        }
        & > .body-figure--airbag {
            color: $text-success;
        }
        & > .body-figure--heat {
            color: $text-error;
        }
        & > .body-figure--dim {
            color: $text-muted;
        }
    }
    """

    regions: reactive[frozenset[Region]] = reactive[frozenset[Region]](frozenset())
    """Regions lit as worked: in the library all a program works, in a session the step's."""
    rollers: reactive[frozenset[Region]] = reactive[frozenset[Region]](frozenset())
    """Where the rollers work now (sessions only); drawn over ``regions``."""
    airbags: reactive[Mapping[AirbagZone, int]] = reactive[Mapping[AirbagZone, int]](_NO_AIRBAGS)
    """Airbag zones with their level 1..5; a zone at 0 or absent is deflated."""
    heat: reactive[Mapping[Heater, HeatLevel]] = reactive[Mapping[Heater, HeatLevel]](_NO_HEAT)
    """Heaters with their level; OFF or absent is off."""

    def __init__(
        self,
        *,
        regions: AbstractSet[Region] = frozenset(),
        rollers: AbstractSet[Region] = frozenset(),
        airbags: Mapping[AirbagZone, int] | None = None,
        heat: Mapping[Heater, HeatLevel] | None = None,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        # set_reactive skips the validators, so the values are normalised here as they do.
        self.set_reactive(BodyFigure.regions, frozenset(regions))
        self.set_reactive(BodyFigure.rollers, frozenset(rollers))
        self.set_reactive(BodyFigure.airbags, inflated(airbags))
        self.set_reactive(BodyFigure.heat, heated(heat))

    def validate_regions(self, regions: AbstractSet[Region]) -> frozenset[Region]:
        """Keep an immutable copy, so later changes to the caller's set are not missed."""
        return frozenset(regions)

    def validate_rollers(self, rollers: AbstractSet[Region]) -> frozenset[Region]:
        """Keep an immutable copy, as for ``regions``."""
        return frozenset(rollers)

    def validate_airbags(self, airbags: Mapping[AirbagZone, int]) -> Mapping[AirbagZone, int]:
        """Keep only inflated zones, in a copy."""
        return inflated(airbags)

    def validate_heat(self, heat: Mapping[Heater, HeatLevel]) -> Mapping[Heater, HeatLevel]:
        """Keep only heaters that are on, in a copy."""
        return heated(heat)

    def show_state(
        self,
        *,
        regions: AbstractSet[Region],
        rollers: AbstractSet[Region],
        airbags: Mapping[AirbagZone, int],
        heat: Mapping[Heater, HeatLevel],
    ) -> None:
        """Show a whole state at once.

        Each assignment only marks the widget for repainting, and Textual paints after the
        current handler returns, so the four together cost one repaint and never show a mix.
        """
        self.regions = frozenset(regions)
        self.rollers = frozenset(rollers)
        self.airbags = airbags
        self.heat = heat

    def render(self) -> Text:
        """The figure, each run styled by its role's component class."""
        styles: dict[Role, Style] = {
            role: self.get_component_rich_style(f"body-figure--{role}", partial=True)
            for role in ROLES
        }
        text = Text(no_wrap=True, overflow="crop", end="")
        for index, line in enumerate(
            figure_lines(
                regions=self.regions, rollers=self.rollers, airbags=self.airbags, heat=self.heat
            )
        ):
            if index:
                text.append("\n")
            for run, role in line:
                text.append(run, styles[role])
        return text
