"""PlanTimeline: a compiled plan drawn as rows of bars, the same drawing as ``chairctl show``.

The drawing is :func:`chairctl.services.timeline.render_timeline`; this widget only feeds it the
width it has, so the timeline fills the space it is given and is drawn afresh when resized.
"""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from chairctl.plan import Plan
from chairctl.services.timeline import render_timeline


class PlanTimeline(Widget):
    """One row per roller region, airbag zone and heater, time across; empty without a plan."""

    DEFAULT_CSS = """
    PlanTimeline {
        width: 1fr;
        height: auto;
    }
    """

    plan: reactive[Plan | None] = reactive[Plan | None](None, layout=True)
    """The plan drawn; None draws a short dim line instead."""

    def __init__(
        self,
        plan: Plan | None = None,
        *,
        empty: str = "No plan to draw.",
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._empty = empty
        self.set_reactive(PlanTimeline.plan, plan)
        self._cache: tuple[Plan, int, Text] | None = None

    def render(self) -> Text:
        """The timeline as wide as the widget's content, cropped rather than wrapped."""
        plan = self.plan
        if plan is None:
            return Text(self._empty, style="dim", no_wrap=True, overflow="ellipsis", end="")
        width = self.content_size.width
        if self._cache is not None and self._cache[0] is plan and self._cache[1] == width:
            return self._cache[2]
        text = render_timeline(plan, width)
        text.no_wrap = True
        text.overflow = "crop"
        text.end = ""
        self._cache = (plan, width, text)
        return text
