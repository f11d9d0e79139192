"""The running session: where the chair works now, how long is left, and what the chair says.

The screen follows the engine's events (steps, statuses, adjustments, the end) and the stop
state of the session control (:class:`~chairctl.services.control.SessionControl`); it sends the
person's wishes (stronger, gentler, pause) back through workers. Escape is the app's: it stops
the chair from here as from everywhere. When the session ends, the screen turns into its summary
(minutes per region, and a suggestion to move, since massage works best alongside exercise).

On a bridge's chair (``bridged``) the steps and statuses do not come as the engine's: the
bridge's state says the step, where the rollers work, the intensity, the airbags and the link
(:meth:`SessionScreen.on_bridge_state`, drawn by :mod:`chairctl.tui.screens.bridged_session`),
and the rest of its events come as the engine's own.
"""

from __future__ import annotations

from typing import ClassVar, Final

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, ProgressBar, Static

from chairctl.engine import (
    AdjustmentMade,
    Event,
    FaultRaised,
    Finished,
    LiveChange,
    Outcome,
    Paused,
    Resumed,
    SessionStarted,
    StatusReceived,
    StepStarted,
    Stopped,
    Warned,
)
from chairctl.plan import Plan
from chairctl.program import Program, format_duration
from chairctl.services.control import SessionControl
from chairctl.services.remote.payloads import ChairState
from chairctl.services.safetext import plain, printable
from chairctl.services.session import StopState
from chairctl.store import region_figures
from chairctl.tui.screens.bridged_session import (
    BRIDGE_FIGURES,
    bridge_chair_line,
    bridge_figure,
    bridge_step_text,
)
from chairctl.tui.widgets.body_figure import BodyFigure
from chairctl.vocabulary import AirbagZone, ChairctlError, ChairStatus, Heater, HeatLevel
from chairctl.vocabulary.chair_events import ChairEvent, FaultLatched, LinkLost
from drivers.session import LinkState

#: The one line after every session (docs/sources.md section 5.3: massage is passive; NICE
#: NG59 and ACP 2017 pair it with exercise).
COMPANION: Final = (
    "Massage works best alongside exercise: a 10-minute walk or a few gentle stretches now "
    "helps it last."
)


def live_change_words(change: LiveChange) -> str:
    """What a "stronger" or "gentler" came to, in words: the level now, and what held it."""
    if change.intensity is None:
        words = f"Intensity {change.offset:+d} from the program, once the rollers work again"
    else:
        words = f"Intensity {change.intensity} ({change.offset:+d} from the program)"
    return f"{words}: {change.held}" if change.held else words


STOP_WORDS: Final = {
    StopState.STOPPING: "Stopping…",
    StopState.STOPPED: "Stopped · the chair is safe",
    StopState.UNCONFIRMED: "The chair did not confirm its safe state: use its remote",
}


class SessionScreen(Screen[None]):
    """One session on the chair, from preparation to its summary."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("plus,equals_sign", "stronger", "Stronger"),
        Binding("minus", "gentler", "Gentler"),
        Binding("space", "pause", "Pause/resume"),
        Binding("r", "reconnect", "Reconnect"),
        Binding("f", "clear_fault", "Clear fault"),
        Binding("enter,b", "done", "Library"),
    ]

    def __init__(
        self,
        control: SessionControl,
        program: Program,
        plan: Plan,
        *,
        notes: list[str] | None = None,
        person: str | None = None,
        bridged: bool = False,
    ) -> None:
        super().__init__()
        self.control = control
        #: A bridge's chair: its state (and whether the bridge can be heard) stands in for the
        #: engine's steps and the chair's statuses.
        self.bridged = bridged
        #: The bridge's last state that named a step: the step line shows it.
        self.bridge_state: ChairState | None = None
        self.bridge_trouble: str | None = None
        self.program = program
        #: Who is in the chair, shown under the program's name.
        self.person = person
        self.plan = plan
        self.notes: list[str] = list(notes or [])
        self.steps: list[StepStarted] = []
        self.ended: Stopped | Finished | None = None
        self.step: StepStarted | None = None
        self.status: ChairStatus | None = None
        self.link_lost: str | None = None
        self.fault: str | None = None
        self.stop_state = StopState.IDLE
        #: The bridge's latest state (bridge_state keeps the last one that named a step).
        self._bridge_now: ChairState | None = None
        self._composed = False  # True from on_mount: events before it are drawn then
        self._not_started = False  # the session was refused before this screen was drawn
        self._left_shown = ""

    # -- layout ---------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="session-body"):
            yield BodyFigure(id="session-figure")
            with Vertical(id="session-panel"):
                yield Static(plain(self.program.name, style="bold"), id="session-title")
                if self.person is not None:
                    yield Static(plain(f"For {self.person}", style="dim"), id="session-person")
                yield Static("Preparing the chair (body scan)…", id="session-step")
                yield ProgressBar(
                    total=max(self.plan.total_s, 1.0),
                    show_eta=False,
                    show_percentage=True,
                    id="session-progress",
                )
                yield Static("", id="session-left")
                yield Static("", id="session-chair")
                yield Static("", id="session-stop")
                with VerticalScroll(id="session-notes"):
                    yield Static("", id="session-notes-text")
                yield Static("", id="session-summary")
        yield Footer()

    def on_mount(self) -> None:
        # Events can arrive before the screen is drawn: each part is drawn from what is kept.
        self._composed = True
        self._show_step()
        self._show_notes()
        self._show_chair()
        self._show_stop(self.stop_state)
        self._tick()
        self._show_summary()
        if self._not_started:
            self.dismiss(None)

    # -- what the engine and the chair say ------------------------------------------------------

    def on_engine_event(self, event: Event) -> None:
        """One engine event (the app forwards every one while this screen is shown)."""
        match event:
            case SessionStarted():
                self._show_step()
                self._tick()
            case StepStarted():
                self.steps.append(event)
                self.step = event
                self._show_step()
            case StatusReceived():
                # Statuses come 5 to 20 times a second: redraw only what they change, and
                # leave the key bindings (and so the footer) alone.
                changed = self.status is None or _shown(self.status) != _shown(event.status)
                self.status = event.status
                if changed:
                    self._show_chair()
                # The progress follows the chair's own pace (statuses), not a wall-clock timer,
                # so it is right on any clock, virtual ones included.
                self._tick()
                return
            case AdjustmentMade() | Warned():
                self.notes.append(event.message)
                self._show_notes()
            case FaultRaised():
                # Only what the chair itself reported is a fault to clear on the chair; a lost
                # link or a refused setpoint ends the session but has nothing to clear.
                latched = self.control.fault
                if latched is not None:
                    self.fault = str(latched)
                    self._show_chair()
                self.notes.append(f"Fault: {event.message}")
                self._show_notes()
            case Paused() | Resumed():
                self._show_step()
            case Stopped() | Finished():
                self.ended = event
                self._show_step()
                self._show_figure()
                self._show_summary()
            case _:
                pass
        self.refresh_bindings()

    def on_chair_event(self, event: ChairEvent) -> None:
        """News of the link or the chair from the driver (lost, reconnected, gave up, fault)."""
        match event:
            case LinkLost(reason=reason):
                self.link_lost = reason or "the link dropped"
            case FaultLatched(message=message):
                self.fault = message
            case _:
                pass
        self._show_chair()
        self.refresh_bindings()

    def on_stop_state(self, state: StopState) -> None:
        """The stop state changed (Stopping… at once, then Stopped when confirmed)."""
        self._show_stop(state)

    def on_bridge_state(self, state: ChairState | None, trouble: str | None) -> None:
        """What the bridge last said of its chair (None: nothing readable), and why it cannot
        be heard now (None: it can)."""
        if state is not None and trouble is None:
            # The fault is latched on the bridge: it shows what the bridge holds.
            fault = self.control.fault
            self.fault = str(fault) if fault is not None else None
        if state is not None and state.step_name is not None and self.ended is None:
            self.bridge_state = state
        self._bridge_now = state
        self.bridge_trouble = trouble
        self._show_step()
        self._show_chair()
        self._tick()
        self.refresh_bindings()

    # -- drawing --------------------------------------------------------------------------------

    def _show_step(self) -> None:
        if not self._composed:
            return  # drawn on mount from the state kept meanwhile
        if self.bridged:
            self._show_bridge_step()
            return
        step = self.step
        if step is None:
            return
        setpoint = step.entry.setpoint
        where = ", ".join(r.label for r in setpoint.regions) or "no rollers"
        engine = self.control.engine
        text = Text()
        text.append(plain(step.entry.step, style="bold"))
        text.append(f"  (line {step.entry.line})\n", style="dim")
        text.append(f"{setpoint.technique.label} · {where} · ")
        text.append(f"intensity {step.intensity}", style="bold")
        if engine is not None and engine.intensity_offset:
            text.append(f" ({engine.intensity_offset:+d} by you)", style="dim")
        if self.ended is not None:
            pass
        elif engine is not None and engine.paused:
            text.append("\nPaused · Space resumes", style="bold")
        elif engine is not None and engine.preparing:
            text.append("\nThe chair is getting ready (body scan)…", style="dim")
        self.query_one("#session-step", Static).update(text)
        self._show_figure()

    def _show_bridge_step(self) -> None:
        state = self.bridge_state
        if state is None or state.step_name is None:
            return
        text = bridge_step_text(state, self.control.engine, ended=self.ended is not None)
        self.query_one("#session-step", Static).update(text)
        self._show_figure()

    def _show_figure(self) -> None:
        if not self._composed:
            return  # drawn on mount from the state kept meanwhile
        if self.bridged:
            # While the bridge cannot be heard, nothing is drawn as the chair's.
            known = self._bridge_now if self.bridge_trouble is None else None
            worked, inflated = bridge_figure(known, ended=self.ended is not None)
            self.query_one(BodyFigure).show_state(
                regions=frozenset(), rollers=worked, airbags=inflated, heat={}
            )
            return
        step, status = self.step, self.status
        if self.ended is not None:
            # The session is over and the chair released: nothing is worked any more.
            step, status = None, None
        regions = frozenset(step.entry.setpoint.regions) if step else frozenset()
        rollers = self.control.rollers_on(status) if status is not None else frozenset()
        airbags: dict[AirbagZone, int] = {}
        heat: dict[Heater, HeatLevel] = {}
        if status is not None:
            # A chair whose airbag or heat bits cannot be believed shows neither: the figure
            # draws only what the chair confirmed.
            if "airbags_active" not in status.unconfirmed:
                airbags = dict.fromkeys(status.airbags_active, max(status.airbag_level, 1))
            if status.heat and "heat" not in status.unconfirmed and step is not None:
                # The status says only that some heater is on; the step says which.
                heat = dict(step.entry.setpoint.heat)
        self.query_one(BodyFigure).show_state(
            regions=regions, rollers=rollers, airbags=airbags, heat=heat
        )

    def _show_chair(self) -> None:
        if not self._composed:
            return  # drawn on mount from the state kept meanwhile
        line = self._chair_line()
        if self.fault is not None:
            line.append("\nThe chair reported: ", style="bold")
            line.append(self.fault)
            line.append(
                "\nCheck the chair and the person in it; switch the chair off and on if its "
                "display shows an error, then press f to clear the fault."
            )
        self.query_one("#session-chair", Static).update(line)
        self._show_figure()

    def _chair_line(self) -> Text:
        if self.bridged:
            return bridge_chair_line(self._bridge_now, self.bridge_trouble, self.link_lost)
        status = self.status
        state = self.control.link_state
        line = Text()
        if self.link_lost is not None and state is not LinkState.CONNECTED:
            line.append("Connection lost · ", style="bold")
            line.append(self._lost_words(state))
        elif self.link_lost is not None:
            line.append("Connection lost · chair stopped", style="bold")
            line.append(" · press r to reconnect")
        else:
            work = status.work_state.value if status is not None else "no status yet"
            line.append(f"Chair: {work} · link {state.value}")
            if status is not None and status.anion:
                # Programs never ask for it; a person who switched it on at the remote sees it.
                line.append(" · anion on")
            if status is not None and status.unconfirmed:
                unseen = " and ".join(
                    _UNCONFIRMED_WORDS.get(name, name) for name in sorted(status.unconfirmed)
                )
                line.append(f"\nThis chair does not show its {unseen} reliably: not drawn.")
        return line

    @staticmethod
    def _lost_words(state: LinkState) -> str:
        if state is LinkState.RECONNECTING:
            return "reconnecting to stop the chair…"
        return "the chair could not be reached: use its remote or switch it off · r reconnects"

    def _show_stop(self, state: StopState) -> None:
        self.stop_state = state
        if not self._composed:
            return
        words = STOP_WORDS.get(state, "")
        widget = self.query_one("#session-stop", Static)
        widget.update(Text(words, style="bold"))
        widget.set_class(state is StopState.STOPPING, "-stopping")
        widget.set_class(state is StopState.STOPPED, "-stopped")
        widget.set_class(state is StopState.UNCONFIRMED, "-unconfirmed")
        if self.link_lost is not None and state is StopState.STOPPED:
            self._show_chair()

    def _show_notes(self) -> None:
        if not self._composed:
            return  # drawn on mount from the state kept meanwhile
        text = "\n".join(f"• {note}" for note in self.notes[-12:])
        self.query_one("#session-notes-text", Static).update(
            plain(text, style="dim", newlines=True)
        )

    def _tick(self) -> None:
        engine = self.control.engine
        if not self._composed or engine is None or self.ended is not None:
            return
        done = 0.0 if engine.preparing else min(engine.elapsed(), engine.end_s)
        left = f"{format_duration(engine.end_s - done)} left"
        if left == self._left_shown:
            return  # redrawn once a second, however often statuses come
        self._left_shown = left
        self.query_one(ProgressBar).update(total=max(engine.end_s, 1.0), progress=done)
        self.query_one("#session-left", Static).update(Text(left, style="bold"))

    def _show_summary(self) -> None:
        if not self._composed:
            return  # drawn on mount from the state kept meanwhile
        ended = self.ended
        if ended is None:
            return
        if isinstance(ended, Finished):
            title = Text("Finished ", style="bold")
            # A bridge compiled its own plan for the person: its length is the session's.
            progress = ended.at if self.bridged else self.plan.total_s
        else:
            title = Text(f"{_OUTCOME_WORDS[ended.outcome]} ", style="bold")
            title.append(plain(f"· {ended.reason}"))
            progress = ended.at
        self.query_one(ProgressBar).update(progress=progress)
        self.query_one("#session-left", Static).update(
            Text(f"{format_duration(ended.at)} of massage", style="bold")
        )
        figures = region_figures(self.steps, ended.at)
        lines = Text()
        lines.append_text(title)
        lines.append("\n")
        if self.bridged:
            lines.append(BRIDGE_FIGURES, style="dim")
            lines.append("\n")
        elif figures:
            lines.append("Minutes per region\n", style="bold")
            longest = max(seconds for seconds, _ in figures.values())
            for region, (seconds, intensity) in figures.items():
                bar = "█" * max(1, round(16 * seconds / longest))
                lines.append(f"{region.label:<14}")
                lines.append(bar, style="bold")
                lines.append(f" {seconds / 60:.1f} min, intensity {intensity:.1f}\n")
        else:
            lines.append("No massage time was recorded.\n", style="dim")
        lines.append("\n")
        lines.append(COMPANION, style="italic")
        lines.append("\n\nEnter: back to the library", style="dim")
        self.query_one("#session-summary", Static).update(lines)
        self.add_class("-ended")
        self.refresh_bindings()

    # -- the person's wishes --------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        running = self.ended is None and self.control.engine is not None
        if action in ("stronger", "gentler", "pause"):
            return running
        if action == "done":
            return self.ended is not None
        if action == "reconnect":
            # A bridge reconnects its own chair: there is nothing for this app to reconnect.
            return (
                not self.bridged
                and self.link_lost is not None
                and self.control.link_state is not LinkState.CLOSED
            )
        if action == "clear_fault":
            return self.control.fault is not None and not running
        return True

    def action_stronger(self) -> None:
        self.run_worker(self._change(+1), group="chair-wish", exit_on_error=False)

    def action_gentler(self) -> None:
        self.run_worker(self._change(-1), group="chair-wish", exit_on_error=False)

    async def _change(self, delta: int) -> None:
        try:
            change = await self.control.change_intensity(delta)
        except ChairctlError as error:
            self.notify(printable(str(error)), severity="error", markup=False)
            return
        if change is not None:
            self.notify(
                printable(live_change_words(change)),
                severity="warning" if change.held else "information",
                markup=False,
            )
        self._show_step()

    def action_pause(self) -> None:
        self.run_worker(self._pause_or_resume(), group="chair-wish", exit_on_error=False)

    async def _pause_or_resume(self) -> None:
        engine = self.control.engine
        if engine is None:
            return
        try:
            if engine.preparing:
                self.notify("The chair is still getting ready; Escape stops it.")
            elif engine.paused:
                await self.control.resume()
            else:
                await self.control.pause()
        except ChairctlError as error:
            self.notify(printable(str(error)), severity="error", markup=False)
            return
        self._show_step()

    def action_reconnect(self) -> None:
        self.run_worker(self._reconnect(), group="chair-wish", exit_on_error=False)

    async def _reconnect(self) -> None:
        try:
            await self.control.reconnect()
        except ChairctlError as error:
            self.notify(printable(f"Could not reconnect: {error}"), severity="error", markup=False)
            return
        self.link_lost = None
        self.notify("Connected again. The chair stays stopped until you start a program.")
        self._show_chair()
        self.refresh_bindings()

    def action_clear_fault(self) -> None:
        self.run_worker(self._clear_fault(), group="chair-wish", exit_on_error=False)

    async def _clear_fault(self) -> None:
        try:
            await self.control.clear_fault()
        except ChairctlError as error:
            self.notify(
                printable(f"The fault is still there: {error}"), severity="error", markup=False
            )
            return
        self.fault = None
        self.notify("Fault cleared. The chair stays stopped until you start a program.")
        self._show_chair()
        self.refresh_bindings()

    def action_done(self) -> None:
        self.dismiss(None)

    def not_started(self) -> None:
        """The session was refused before it began: back to where it was started from.

        A refusal can come before this screen has finished mounting; dismissing it then would
        leave its mount drawing into removed widgets, so it closes itself once drawn.
        """
        if self._composed:
            self.dismiss(None)
        else:
            self._not_started = True


#: The status fields a chair may report unreliably, as people say them.
_UNCONFIRMED_WORDS: Final = {"airbags_active": "airbags", "heat": "heat"}


def _shown(status: ChairStatus) -> tuple[object, ...]:
    """What of a status this screen shows; the rest (timers, codes) changes without a redraw."""
    return (
        status.work_state,
        status.technique,
        status.roller_position,
        status.airbags_active,
        status.airbag_level,
        status.heat,
        status.anion,
        status.error_code,
    )


_OUTCOME_WORDS: Final = {
    Outcome.COMPLETED: "Finished",
    Outcome.STOPPED: "Stopped",
    Outcome.FAULT: "Stopped on a fault",
    Outcome.INTERRUPTED: "Interrupted",
}
