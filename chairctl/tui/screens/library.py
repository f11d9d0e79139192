"""The Library screen, the app's home: every program of the library, and what one would do.

The left column lists the programs grouped by category under a filter; the right column
describes the highlighted program as this person would get it (compiled with their screening's
personalisation for the chair in use): its length, goals and cautions, the regions it works on
a :class:`BodyFigure` and its timeline. A program the person's screening (or the chair) rules
out is greyed and marked ``⊘``, and the detail pane says why. Enter on an allowed program posts
:class:`LibraryScreen.Chosen`; the app then opens the Personalise screen.

On a bridge's chair the list holds only the programs the bridge offers (its ``P/library``,
by id), described from this chairctl's own copy; one the bridge offers that this copy lacks is
named once, since it cannot be shown.

The first paint never waits for the disk: without programs given, the library is read in a
worker while a short line says so. Plans are compiled lazily, one for the highlighted program;
whether each program is ruled out is one cheap compile per program once the programs are there.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar, Final

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from chairctl.plan import AS_WRITTEN, Personalisation, Plan, compile_program
from chairctl.plan.suitability import check_program_for
from chairctl.program import Category, Program, format_duration, load_program, total_seconds
from chairctl.program.library import library_dir
from chairctl.safety.screening import Screening
from chairctl.services.safetext import plain, printable
from chairctl.tui.widgets.body_figure import BodyFigure
from chairctl.tui.widgets.plan_timeline import PlanTimeline
from chairctl.vocabulary import FULL_FEATURED, ChairCapabilities, ChairctlError, Region

#: The categories in the order the list shows them, with their headings.
CATEGORY_HEADINGS: Final[dict[Category, str]] = {
    Category.BACK_PAIN: "Back pain",
    Category.NECK_SHOULDERS: "Neck and shoulders",
    Category.RELAXATION: "Relaxation",
    Category.SLEEP: "Sleep",
    Category.RECOVERY: "Recovery",
    Category.MOBILITY: "Mobility",
    Category.GENTLE: "Gentle",
}

#: The mark of a program the person's screening or the chair rules out.
BLOCKED_MARK: Final = "⊘"

_HEADING_PREFIX: Final = "category:"
_NO_MATCH_ID: Final = "no-match"


@dataclass(frozen=True)
class LibraryLoad:
    """What reading the library folder gave: the programs, and the files that failed."""

    programs: list[Program]
    problems: list[str]


def read_library() -> LibraryLoad:
    """Every valid program of the library folder; a bad file is reported, not raised."""
    programs: list[Program] = []
    problems: list[str] = []
    for path in sorted(library_dir().glob("*.yaml")):
        try:
            programs.append(load_program(path))
        except ChairctlError as error:
            problems.append(f"{path.name}: {error}")
    return LibraryLoad(programs, problems)


def _words(text: str) -> str:
    return text.replace("-", " ").replace("_", " ")


def search_text(program: Program) -> str:
    """What the filter searches, lower-case: name, summary, goals, category and conditions."""
    parts = [
        program.name,
        program.summary,
        program.category.value,
        _words(program.category.value),
        CATEGORY_HEADINGS.get(program.category, ""),
        *program.goals,
        *(_words(goal) for goal in program.goals),
        *program.for_conditions,
        *(_words(condition) for condition in program.for_conditions),
    ]
    return "\n".join(parts).lower()


def matches(program: Program, query: str) -> bool:
    """True when every word of ``query`` is found in the program's :func:`search_text`."""
    haystack = search_text(program)
    return all(word in haystack for word in query.lower().split())


def worked_regions(plan: Plan) -> frozenset[Region]:
    """The roller regions a plan works for some time."""
    return frozenset(region for region, seconds in plan.seconds_per_region().items() if seconds > 0)


class LibraryScreen(Screen[None]):
    """The program library: filter, browse by category, see a program, choose one."""

    # Escape, x, q, c, p, h and ctrl+c belong to the app (Escape and x stop the chair).
    BINDINGS: ClassVar[list[BindingType]] = [
        # A priority binding, so Enter chooses (and the footer says so) whether the focus is in
        # the filter or the list.
        Binding("enter", "choose", "Choose", priority=True),
        Binding("slash", "focus_filter", "Filter"),
        Binding("up", "move(-1)", "Up", show=False),
        Binding("down", "move(1)", "Down", show=False),
    ]
    AUTO_FOCUS = "#library-list"

    class Chosen(Message):
        """The person chose a program they may have."""

        def __init__(self, program: Program) -> None:
            super().__init__()
            self.program = program

    def __init__(
        self,
        *,
        programs: Sequence[Program] | None = None,
        screening: Screening | None = None,
        chair: ChairCapabilities = FULL_FEATURED,
        offered: Mapping[str, str] | None = None,
        waiting: str | None = None,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._programs: list[Program] | None = list(programs) if programs is not None else None
        self._screening = screening
        self._chair = chair
        #: The programs offered, by id (with their names), where a bridge offers them; None:
        #: all of the library. ``waiting`` is what the empty list says until they come.
        self._offered = dict(offered) if offered is not None else None
        self._waiting = waiting
        self._missing_said = False
        self._blocked: dict[str, list[str]] = {}
        self._plans: dict[str, Plan | str] = {}
        self._shown: str | None = None

    # --- public API -------------------------------------------------------------------------

    @property
    def programs(self) -> list[Program]:
        """The programs of the library (empty while it is being read)."""
        return list(self._programs or [])

    @property
    def highlighted_program(self) -> Program | None:
        """The program highlighted in the list, if any."""
        option_list = self.query_one("#library-list", OptionList)
        option = option_list.highlighted_option
        if option is None or option.id is None:
            return None
        return self._by_id().get(option.id)

    def blocked_reasons(self, program: Program) -> list[str]:
        """Why ``program`` is not for this person on this chair; empty when it is."""
        return list(self._blocked.get(program.id, []))

    def set_person(self, screening: Screening | None) -> None:
        """Show the library for another person (None: nobody in particular)."""
        self._screening = screening
        self._reevaluate()

    def set_chair(self, chair: ChairCapabilities) -> None:
        """Show the library for another chair."""
        self._chair = chair
        self._reevaluate()

    def offer(self, offered: Mapping[str, str] | None) -> None:
        """List only the programs ``offered`` (ids, with their names), as a bridge offers
        them; None lists the whole library."""
        self._offered = dict(offered) if offered is not None else None
        self._waiting = None
        self._missing_said = False
        if self.is_mounted and self._programs is not None:
            self._rebuild_list()
            self._say_missing()

    def _say_missing(self) -> None:
        offered = self._offered
        if offered is None or self._missing_said or self._programs is None:
            return
        self._missing_said = True
        known = self._by_id()
        missing = sorted(name for key, name in offered.items() if key not in known)
        if missing:
            self.notify(
                printable(", ".join(missing)),
                title="Offered by the bridge, not in this chairctl's library (another version?)",
                severity="warning",
                markup=False,
            )

    # --- layout -----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="library-body"):
            with Vertical(id="library-left"):
                yield Input(
                    placeholder="Type to filter", id="library-filter", select_on_focus=False
                )
                yield Static("Loading the library…", id="library-loading")
                yield OptionList(id="library-list")
            with VerticalScroll(id="library-detail"):
                yield Static("", id="library-name")
                yield Static("", id="library-summary")
                yield Static("", id="library-blocked")
                yield Static("", id="library-description")
                with Horizontal(id="library-figure-row"):
                    yield BodyFigure(id="library-figure")
                    with Vertical(id="library-facts-column"):
                        yield Static("", id="library-facts")
                        yield Static("", id="library-cautions")
                yield Static("Timeline", id="library-timeline-title")
                yield PlanTimeline(id="library-timeline", empty="")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#library-detail").display = False
        if self._programs is None:
            # After the first frame: the parsing thread would otherwise compete with it for
            # the interpreter, and the screen would appear later.
            self.call_after_refresh(
                self.run_worker, self._load(), name="library-load", exclusive=True
            )
        else:
            self._programs_ready()

    async def _load(self) -> None:
        loaded = await asyncio.to_thread(read_library)
        self._programs = loaded.programs
        if loaded.problems:
            count = len(loaded.problems)
            self.notify(
                printable("\n".join(loaded.problems), newlines=True),
                title=f"{count} library file{'s' if count != 1 else ''} could not be read",
                severity="error",
                markup=False,
            )
        self._programs_ready()

    def _programs_ready(self) -> None:
        self.query_one("#library-loading", Static).display = False
        self._evaluate_blocked()
        self._rebuild_list()
        self._say_missing()

    # --- which programs are for this person --------------------------------------------------

    def _person(self) -> Personalisation:
        screening = self._screening
        if screening is None or screening.blocked:
            return AS_WRITTEN
        return screening.personalisation()

    def _evaluate_blocked(self) -> None:
        self._blocked = {}
        for program in self._programs or []:
            try:
                if self._screening is not None:
                    reasons = check_program_for(program, self._screening, self._chair)
                else:
                    compile_program(program, person=AS_WRITTEN, chair=self._chair)
                    reasons = []
            except ChairctlError as error:
                reasons = [f"This chair cannot run it: {error}"]
            if reasons:
                self._blocked[program.id] = reasons

    def _reevaluate(self) -> None:
        self._plans.clear()
        self._shown = None
        if not self.is_mounted or self._programs is None:
            return
        self._evaluate_blocked()
        self._rebuild_list()

    # --- the list ---------------------------------------------------------------------------

    def _by_id(self) -> dict[str, Program]:
        return {program.id: program for program in self._programs or []}

    def _prompt(self, program: Program) -> Text:
        blocked = program.id in self._blocked
        text = Text(no_wrap=True, overflow="ellipsis", end="")
        text.append(f"{BLOCKED_MARK} " if blocked else "  ")
        text.append(plain(program.name, style="dim" if blocked else ""))
        text.append(f"  {format_duration(total_seconds(program))}", style="dim")
        return text

    def _rebuild_list(self) -> None:
        option_list = self.query_one("#library-list", OptionList)
        before = self.highlighted_program
        query = self.query_one("#library-filter", Input).value
        offered = self._offered
        shown = [
            p
            for p in self._programs or []
            if matches(p, query) and (offered is None or p.id in offered)
        ]
        options: list[Option] = []
        for category, heading in CATEGORY_HEADINGS.items():
            members = sorted((p for p in shown if p.category is category), key=lambda p: p.name)
            if not members:
                continue
            options.append(
                Option(
                    Text(heading, style="bold"), id=f"{_HEADING_PREFIX}{category}", disabled=True
                )
            )
            options.extend(Option(self._prompt(p), id=p.id) for p in members)
        if not options:
            words = f"No program matches “{query.strip()}”." if query.strip() else "No programs."
            if self._waiting is not None and not query.strip():
                words = self._waiting
            options.append(Option(Text(words, style="italic"), id=_NO_MATCH_ID, disabled=True))
        option_list.set_options(options)
        ids = [option.id for option in options if not option.disabled and option.id is not None]
        if not ids:
            option_list.highlighted = None
            self._show_detail(None)
            return
        keep = before.id if before is not None and before.id in ids else ids[0]
        option_list.highlighted = option_list.get_option_index(keep)
        self._show_detail(self._by_id()[keep])

    @on(Input.Changed, "#library-filter")
    def _filter_changed(self) -> None:
        if self._programs is not None:
            self._rebuild_list()

    @on(OptionList.OptionHighlighted, "#library-list")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        program = self._by_id().get(event.option.id or "")
        if program is not None:
            self._show_detail(program)

    # --- the detail pane --------------------------------------------------------------------

    def _plan_for(self, program: Program) -> Plan | str:
        """The plan this person gets, or why it could not be compiled (cached)."""
        if program.id not in self._plans:
            try:
                self._plans[program.id] = compile_program(
                    program, person=self._person(), chair=self._chair
                )
            except ChairctlError as error:
                self._plans[program.id] = str(error)
        return self._plans[program.id]

    def _show_detail(self, program: Program | None) -> None:
        detail = self.query_one("#library-detail", VerticalScroll)
        if program is None:
            self._shown = None
            detail.display = False
            return
        if self._shown == program.id and detail.display:
            return
        self._shown = program.id
        detail.display = True
        plan = self._plan_for(program)
        reasons = self._blocked.get(program.id, [])

        self.query_one("#library-name", Static).update(plain(program.name, style="bold"))
        self.query_one("#library-summary", Static).update(plain(program.summary, style="italic"))
        blocked = self.query_one("#library-blocked", Static)
        blocked.display = bool(reasons)
        blocked.update(plain(f"{BLOCKED_MARK} Not for you: " + " ".join(reasons)))
        self.query_one("#library-description", Static).update(
            plain(program.description.strip(), newlines=True)
        )

        facts = Text(end="")
        written = total_seconds(program)
        if isinstance(plan, Plan):
            length = format_duration(plan.total_s)
            if round(plan.total_s) != written:
                length += f" (as written {format_duration(written)})"
        else:
            length = format_duration(written)
        rows = [
            ("Length", length),
            ("Category", CATEGORY_HEADINGS.get(program.category, program.category.value)),
            ("Goals", ", ".join(_words(goal) for goal in program.goals)),
            ("For", ", ".join(_words(c) for c in program.for_conditions) or "—"),
        ]
        for index, (label, value) in enumerate(rows):
            if index:
                facts.append("\n")
            facts.append(f"{label:<10}", style="dim").append(value)
        self.query_one("#library-facts", Static).update(facts)

        cautions = self.query_one("#library-cautions", Static)
        cautions.display = bool(program.cautions)
        cautions.update(
            plain("\n".join(f"⚠ {caution}" for caution in program.cautions), newlines=True)
        )

        figure = self.query_one("#library-figure", BodyFigure)
        timeline = self.query_one("#library-timeline", PlanTimeline)
        if isinstance(plan, Plan):
            figure.regions = worked_regions(plan)
            timeline.plan = plan
        else:
            figure.regions = frozenset()
            timeline.plan = None
            blocked.display = True
            blocked.update(plain(f"{BLOCKED_MARK} " + (" ".join(reasons) or plan)))
        detail.scroll_home(animate=False)

    # --- actions ----------------------------------------------------------------------------

    def action_move(self, step: int) -> None:
        """Move the highlight in the list, wherever the focus is."""
        option_list = self.query_one("#library-list", OptionList)
        if step < 0:
            option_list.action_cursor_up()
        else:
            option_list.action_cursor_down()

    def action_focus_filter(self) -> None:
        """Put the focus in the filter."""
        self.query_one("#library-filter", Input).focus()

    def on_key(self, event: events.Key) -> None:
        """Type to filter: a letter typed in the list starts the filter with it, unless the
        app or this screen binds that key (c, p, h, q, x keep their meaning there)."""
        field = self.query_one("#library-filter", Input)
        if self.focused is field or not event.is_printable or event.character is None:
            return
        if event.key in self.app.active_bindings:
            return
        event.stop()
        event.prevent_default()
        field.focus()
        field.insert_text_at_cursor(event.character)

    def action_choose(self) -> None:
        """Choose the highlighted program, or say why it is not for this person."""
        program = self.highlighted_program
        if program is None:
            return
        reasons = self._blocked.get(program.id)
        if reasons:
            self.notify(
                printable(" ".join(reasons)),
                title=printable(f"{program.name} is not for you"),
                severity="warning",
                markup=False,
            )
            return
        self.post_message(self.Chosen(program))

    @on(Input.Submitted, "#library-filter")
    @on(OptionList.OptionSelected, "#library-list")
    def _selected(self, event: Input.Submitted | OptionList.OptionSelected) -> None:
        # Enter is the screen's binding; these come from a click on a program, or from a
        # host that calls the widgets' actions.
        event.stop()
        self.action_choose()
