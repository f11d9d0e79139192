"""How the session screen words a bridge's chair, from the bridge's state
(:class:`~chairctl.services.remote.payloads.ChairState`): the step, the chair and its link,
and what the body figure draws.

Only what the bridge said its chair confirmed is drawn as the chair's: where the rollers work
and the technique are the chair's own report (the bridge left out what its status cannot be
believed for), the step and its intensity the bridge's engine's. While the bridge cannot be
heard nothing is said of the chair at all: what it does then is not known here.
"""

from __future__ import annotations

from typing import Final

from rich.text import Text

from chairctl.services.control import SessionProgress
from chairctl.services.remote.payloads import ChairState
from chairctl.services.safetext import plain, printable
from chairctl.vocabulary import TRACK_ORDER, AirbagZone, Region, Technique

#: Where a bridge's session's minutes per region are, in its summary.
BRIDGE_FIGURES: Final = (
    "Minutes per region: in the bridge's history (chairctl history, where the bridge runs)."
)


def _regions(state: ChairState) -> list[Region]:
    return [region for region in TRACK_ORDER if region.value in state.regions]


def bridge_step_text(state: ChairState, engine: SessionProgress | None, *, ended: bool) -> Text:
    """The step line: its name, the technique and regions the chair reports, the intensity."""
    text = Text()
    text.append(plain(state.step_name or "", style="bold"))
    text.append("\n")
    try:
        technique = Technique(state.technique).label if state.technique else None
    except ValueError:
        technique = printable(state.technique or "")
    where = ", ".join(region.label for region in _regions(state)) or "no rollers"
    text.append(f"{technique or 'no technique reported'} · {where}")
    if state.intensity is not None:
        text.append(" · ")
        text.append(f"intensity {state.intensity}", style="bold")
    if ended:
        pass
    elif engine is not None and engine.paused:
        text.append("\nPaused · Space resumes", style="bold")
    elif engine is not None and engine.preparing:
        text.append("\nThe chair is getting ready (body scan)…", style="dim")
    return text


def bridge_chair_line(state: ChairState | None, trouble: str | None, link_lost: str | None) -> Text:
    """The chair's line: the bridge's word on the chair and its link, or why there is none."""
    line = Text()
    if trouble is not None:
        line.append("The bridge cannot be heard · ", style="bold")
        line.append(printable(trouble))
        line.append(
            "\nWhat the chair does now is not known here: the bridge goes on by its own rules, "
            "and a stop goes out as soon as the bridge is heard again. To stop the chair now, "
            "use its remote or switch it off."
        )
        return line
    if state is None:
        line.append("Waiting for the bridge's word on the chair…")
        return line
    if state.link == "reconnecting":
        line.append("The bridge lost its link to the chair · ", style="bold")
        line.append("reconnecting to stop the chair…")
        return line
    if state.link == "lost" and state.stop == "stopped" and state.work_state is not None:
        # Back, and released when it answered: the bridge takes no session until told.
        line.append("The bridge lost its link to the chair · ", style="bold")
        line.append("it stopped the chair when the chair answered again")
        return line
    if state.link in ("lost", "closed") or (link_lost is not None and state.link != "connected"):
        line.append("The bridge lost its link to the chair · ", style="bold")
        line.append("the chair could not be reached: use its remote or switch it off")
        return line
    work = printable(state.work_state) if state.work_state else "no status yet"
    line.append(f"Chair: {work} · link {state.link} · through the bridge")
    if state.heat_withheld:
        line.append(" · heat withheld")
    return line


def bridge_figure(
    state: ChairState | None, *, ended: bool
) -> tuple[frozenset[Region], dict[AirbagZone, int]]:
    """Where the rollers work and which airbags inflate, as the bridge's chair reports them
    (nothing once the session is over, or while nothing is known)."""
    if state is None or ended:
        return frozenset(), {}
    rollers = frozenset(_regions(state))
    zones = state.airbags or []
    airbags = {zone: 1 for zone in AirbagZone if zone.value in zones}
    return rollers, airbags
