"""The Personalise screen: how this session of a program should go, before it starts.

The person picks an intensity offset, a region to focus on, regions to skip, heat on or off and
a length; the summary beside the controls shows the plan those choices give on this chair (its
length, what the compiler adjusted, its timeline), updated at every change. Enter starts:
the screen dismisses with the :class:`Personalisation`; ``b`` goes back with None.

The caps of the person's health screening always win, and the screen says so: a capped
intensity or length is written out, a region the caps keep the rollers off is ticked and
cannot be unticked, and the heat switch is off and disabled when the caps forbid heat. The
result is built so that no choice can loosen a cap (:meth:`Caps.limit`).

On a bridge's chair (``bridged``) the person's answers and caps are the bridge's, and a start
over the network carries only the program and the person: the screen shows the program as
written, says that the bridge applies the person's screening and caps, and offers no choices
it could not send (nor a guest, whom a bridge never starts a session for).
"""

from __future__ import annotations

import math
from enum import StrEnum
from typing import ClassVar, Final

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Checkbox, Footer, Header, Select, Static, Switch

from chairctl.plan import AS_WRITTEN, Personalisation, Plan, compile_program
from chairctl.program import Program, format_duration, total_seconds
from chairctl.safety.screening import NO_CAPS, Caps, Screening
from chairctl.services.safetext import plain, printable
from chairctl.tui.widgets.plan_timeline import PlanTimeline
from chairctl.vocabulary import (
    FULL_FEATURED,
    MAX_INTENSITY,
    TRACK_ORDER,
    ChairCapabilities,
    ChairctlError,
    Region,
)

#: The intensity offsets offered, with their words.
OFFSETS: Final[tuple[tuple[str, int], ...]] = (
    ("−2  much gentler", -2),
    ("−1  gentler", -1),
    ("0  as written", 0),
    ("+1  stronger", 1),
    ("+2  much stronger", 2),
)
#: The lengths offered besides "as written", when shorter than the program.
LENGTHS: Final[tuple[int, ...]] = (5, 10, 15, 20, 25, 30)
#: The value of the length Select that means "as written".
AS_WRITTEN_LENGTH: Final = 0
#: The value of the focus Select that means no focus.
NO_FOCUS: Final = "none"
#: How many adjustments the summary lists before "and N more".
SHOWN_ADJUSTMENTS: Final = 6
#: What Personalise says on a bridge's chair, instead of offering choices.
BRIDGED_NOTE: Final = (
    "The bridge keeps {person}'s health answers and limits and applies them to this program "
    "(a shorter session, a gentler intensity, regions kept off, no heat, where they say so); "
    "what it changes, the session screen shows as it runs. The choices of this screen are not "
    "sent over the network: shown here is the program as written. A program that reclines "
    "runs upright, since nobody at the chair confirmed the space around it clear."
)


def region_label(region: Region) -> str:
    """A region in words, capitalised: "Lower back"."""
    return region.value.replace(
        "_", " and " if region is Region.SACRUM_GLUTES else " "
    ).capitalize()


def _minutes_label(seconds: float) -> str:
    return f"{math.floor(seconds / 60 + 0.5)} min"


class Who(StrEnum):
    """Someone other than the person shown is in the chair: the screen is left for them."""

    SOMEONE_ELSE = "someone-else"
    GUEST = "guest"


class PersonaliseScreen(Screen[Personalisation | Who | None]):
    """Adjust a program for this session; dismisses with the Personalisation, or None.

    It also asks who is in the chair, every time: Enter starts for the person shown, ``w``
    leaves it to choose someone else (a :class:`Who`), ``g`` for a guest.
    """

    # Escape, x, q, c, p, h and ctrl+c belong to the app (Escape and x stop the chair). Enter
    # starts wherever the focus is (a priority binding), except in an open Select, whose
    # Enter picks an option, and on a Button, which presses it (see check_action).
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "start", "Start", priority=True),
        Binding("b", "back", "Back"),
        Binding("w", "someone_else", "Someone else"),
        Binding("g", "guest", "A guest"),
    ]
    AUTO_FOCUS = "#personalise-offset"

    def __init__(
        self,
        program: Program,
        *,
        screening: Screening | None,
        chair: ChairCapabilities = FULL_FEATURED,
        remembered: Personalisation | None = None,
        person: str | None = None,
        bridged: bool = False,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.program = program
        self.person = person
        #: A bridge's chair: the program as written, the bridge applies the person's answers.
        self.bridged = bridged
        self._screening = screening
        self._chair = chair
        self._caps: Caps = screening.caps if screening is not None else NO_CAPS
        self._refusal = " ".join(screening.blocked) if screening is not None else ""
        self._defaults = self._starting_point(remembered)
        self._written_s = total_seconds(program)
        self._plan: Plan | None = None
        self._error: str | None = None

    def _starting_point(self, remembered: Personalisation | None) -> Personalisation:
        if remembered is not None:
            return remembered
        screening = self._screening
        if screening is not None and not screening.blocked:
            return screening.personalisation()
        return AS_WRITTEN

    # --- public API -------------------------------------------------------------------------

    @property
    def personalisation(self) -> Personalisation:
        """What the controls say now, under the caps (as written, on a bridge's chair)."""
        if self.bridged:
            return AS_WRITTEN
        return self._caps.limit(self._chosen())

    @property
    def plan(self) -> Plan | None:
        """The plan the current choices give; None when it cannot be compiled."""
        return self._plan

    @property
    def error(self) -> str | None:
        """Why the current choices give no plan; None when they do."""
        return self._error

    # --- layout -----------------------------------------------------------------------------

    def _length_options(self) -> tuple[list[tuple[str, int]], int]:
        defaults, cap = self._defaults, self._caps.max_minutes
        minutes = {m for m in LENGTHS if m * 60 < self._written_s}
        wanted = defaults.max_minutes
        if wanted is not None and cap is not None:
            wanted = min(wanted, cap)
        if wanted is not None and wanted * 60 < self._written_s:
            minutes.add(wanted)
        else:
            wanted = None
        if cap is not None:
            minutes = {m for m in minutes if m <= cap}
        options = [(f"as written ({_minutes_label(self._written_s)})", AS_WRITTEN_LENGTH)]
        options += [(f"{m} min", m) for m in sorted(minutes)]
        return options, wanted if wanted is not None else AS_WRITTEN_LENGTH

    def _cap_lines(self) -> list[str]:
        caps = self._caps
        lines: list[str] = []
        if self._refusal:
            lines.append(f"Your health answers rule out sessions: {self._refusal}")
        if caps.max_intensity < MAX_INTENSITY:
            lines.append(f"Your health answers keep the intensity at most {caps.max_intensity}.")
        if caps.max_minutes is not None:
            lines.append(f"Your health answers keep sessions to at most {caps.max_minutes} min.")
        if not caps.heat_allowed:
            lines.append("Your health answers keep the heat off.")
        if caps.skip_regions:
            names = ", ".join(
                region_label(r).lower() for r in TRACK_ORDER if r in caps.skip_regions
            )
            lines.append(f"Your health answers keep the rollers off the {names}.")
        if not caps.percussion_allowed:
            lines.append("No tapping or knocking: kneading takes its place.")
        if not caps.stretch_allowed:
            lines.append("No stretching: the chair rests instead.")
        if caps.airbags_off:
            zones = ", ".join(sorted(caps.airbags_off))
            lines.append(f"These airbags stay off: {zones}.")
        return lines

    def _intensity_note(self) -> str:
        caps_max, own_max = self._caps.max_intensity, self._defaults.max_intensity
        if caps_max < MAX_INTENSITY and caps_max <= own_max:
            return f"Your health answers keep the intensity at most {caps_max}."
        if own_max < MAX_INTENSITY:
            return f"Your profile keeps the intensity at most {own_max}."
        return ""

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="personalise-body"):
            with VerticalScroll(id="personalise-controls"):
                yield Static(plain(self.program.name, style="bold"), id="personalise-title")
                yield Static(self._who_line(), id="personalise-who")
                if self.bridged:
                    note = BRIDGED_NOTE.format(person=self.person or "the person")
                    yield Static(plain(note), id="personalise-bridged")
                else:
                    yield from self._controls()
            with VerticalScroll(id="personalise-summary"):
                yield Static("This session", id="personalise-summary-title")
                yield Static("", id="personalise-length")
                yield Static("", id="personalise-error")
                yield Static("", id="personalise-adjustments")
                yield PlanTimeline(id="personalise-timeline", empty="")
                with Horizontal(id="personalise-buttons"):
                    yield Button("Start", variant="success", id="personalise-start")
                    yield Button("Back", id="personalise-back")
        yield Footer()

    def _controls(self) -> ComposeResult:
        """The choices: intensity, focus, length, heat, regions to skip; the caps above them."""
        defaults, caps = self._defaults, self._caps
        cap_lines = self._cap_lines()
        caps_note = Static("\n".join(cap_lines), id="personalise-caps")
        caps_note.display = bool(cap_lines)
        yield caps_note

        yield Static("Intensity", classes="personalise-label")
        yield Select(
            OFFSETS,
            value=defaults.intensity_offset,
            allow_blank=False,
            id="personalise-offset",
        )
        note = self._intensity_note()
        if note:
            yield Static(note, id="personalise-intensity-cap", classes="personalise-note")

        yield Static("Focus on", classes="personalise-label")
        focus_options = [("no particular region", NO_FOCUS)] + [
            (region_label(r), r.value) for r in TRACK_ORDER
        ]
        focus = defaults.focus_region.value if defaults.focus_region else NO_FOCUS
        yield Select(focus_options, value=focus, allow_blank=False, id="personalise-focus")

        yield Static("Length", classes="personalise-label")
        length_options, length = self._length_options()
        yield Select(length_options, value=length, allow_blank=False, id="personalise-minutes")
        if caps.max_minutes is not None:
            yield Static(
                f"Your health answers keep sessions to at most {caps.max_minutes} min.",
                id="personalise-length-cap",
                classes="personalise-note",
            )

        yield Static("Heat", classes="personalise-label")
        with Horizontal(id="personalise-heat-row"):
            yield Switch(
                value=defaults.heat_allowed and caps.heat_allowed,
                disabled=not caps.heat_allowed,
                id="personalise-heat",
            )
            yield Static(
                "on when the program warms" if caps.heat_allowed else "kept off",
                id="personalise-heat-note",
            )

        yield Static("Skip regions", classes="personalise-label")
        with Vertical(id="personalise-skip"):
            for region in TRACK_ORDER:
                capped = region in caps.skip_regions
                label = region_label(region) + (" (kept off)" if capped else "")
                yield Checkbox(
                    label,
                    value=capped or region in defaults.skip_regions,
                    disabled=capped,
                    id=f"skip-{region.value}",
                )

    def on_mount(self) -> None:
        self._update_summary()

    # --- the choices and the summary --------------------------------------------------------

    def _chosen(self) -> Personalisation:
        offset = self.query_one("#personalise-offset", Select).value
        focus = self.query_one("#personalise-focus", Select).value
        minutes = self.query_one("#personalise-minutes", Select).value
        skipped = frozenset(
            region
            for region in TRACK_ORDER
            if self.query_one(f"#skip-{region.value}", Checkbox).value
        )
        return Personalisation(
            intensity_offset=offset if isinstance(offset, int) else 0,
            max_intensity=self._defaults.max_intensity,
            skip_regions=skipped,
            heat_allowed=self.query_one("#personalise-heat", Switch).value,
            max_minutes=minutes if isinstance(minutes, int) and minutes else None,
            focus_region=Region(focus) if isinstance(focus, str) and focus != NO_FOCUS else None,
        )

    def _update_summary(self) -> None:
        length = self.query_one("#personalise-length", Static)
        error = self.query_one("#personalise-error", Static)
        adjustments = self.query_one("#personalise-adjustments", Static)
        timeline = self.query_one("#personalise-timeline", PlanTimeline)
        try:
            if self._refusal:
                raise ChairctlError(self._refusal)
            compiled = compile_program(self.program, person=self.personalisation, chair=self._chair)
        except (ChairctlError, ValueError) as problem:
            self._plan, self._error = None, str(problem)
        else:
            self._plan, self._error = compiled, None
        plan = self._plan
        if plan is None:
            length.update("No session with these choices.")
            error.update(plain(f"This program cannot run: {self._error}"))
            error.display = True
            adjustments.update("")
            timeline.plan = None
        else:
            words = f"Length {format_duration(plan.total_s)}"
            if round(plan.total_s) != self._written_s:
                words += f" (as written {format_duration(self._written_s)})"
            length.update(words)
            error.display = False
            adjustments.update(self._adjustments_text(plan))
            timeline.plan = plan
        self.query_one("#personalise-start", Button).disabled = plan is None

    @staticmethod
    def _adjustments_text(plan: Plan) -> Text:
        count = len(plan.adjustments)
        if not count:
            return Text("No adjustments: the program runs as written.", end="")
        # The same change made to several steps is listed once, with how many steps.
        steps: dict[str, int] = {}
        for adjustment in plan.adjustments:
            steps[adjustment.message] = steps.get(adjustment.message, 0) + 1
        text = Text(f"{count} adjustment{'s' if count != 1 else ''}:", end="")
        for message, times in list(steps.items())[:SHOWN_ADJUSTMENTS]:
            text.append("\n• ").append(plain(message))
            if times > 1:
                text.append(f" ({times} steps)", style="dim")
        if len(steps) > SHOWN_ADJUSTMENTS:
            text.append(f"\n… and {len(steps) - SHOWN_ADJUSTMENTS} more")
        return text

    @on(Select.Changed)
    @on(Switch.Changed)
    @on(Checkbox.Changed)
    def _changed(self) -> None:
        if self.is_mounted:
            self._update_summary()

    # --- actions ----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Enter is not Start in an open Select (it picks) or on a Button (it presses).

        Without a plan Enter stays Start, which then says why it cannot start: falling
        through would open whichever Select has the focus.
        """
        if action == "start":
            if any(select.expanded for select in self.query(Select)):
                return False
            if isinstance(self.focused, Button):
                return False
        if action == "guest":
            # A bridge never starts a guest's session: a guest may be anyone.
            return not self.bridged
        return True

    def action_start(self) -> None:
        """Start the session with the current choices, or say why it cannot start."""
        if self._plan is None:
            self.notify(
                printable(self._error or ""),
                title="This session cannot start",
                severity="warning",
                markup=False,
            )
            return
        self.dismiss(self.personalisation)

    def action_back(self) -> None:
        """Back to the library, starting nothing."""
        self.dismiss(None)

    def action_someone_else(self) -> None:
        """Someone else is in the chair: leave, to choose who."""
        self.dismiss(Who.SOMEONE_ELSE)

    def action_guest(self) -> None:
        """A guest is in the chair: leave, to start again with a guest's limits."""
        self.dismiss(Who.GUEST)

    def _who_line(self) -> Text:
        line = Text("Who is in the chair? ")
        if self.person is not None:
            line.append_text(plain(self.person, style="bold"))
            line.append(" (Enter starts for them) · ")
        line.append("w someone else" if self.bridged else "w someone else · g a guest", style="dim")
        return line

    @on(Button.Pressed, "#personalise-start")
    def _start_pressed(self) -> None:
        self.action_start()

    @on(Button.Pressed, "#personalise-back")
    def _back_pressed(self) -> None:
        self.action_back()
