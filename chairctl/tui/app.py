"""The chairctl app: the library, a person's profile, a session on the chair, and a stop key
that works from every screen and every modal.

The App owns the chair (:class:`~chairctl.services.session.ChairControl`), the store and the
person in the chair; screens show and ask, and every chair operation runs in a worker on the
app's own event loop, so the interface never waits on the chair. Escape (and ``x``) are
priority bindings of the App: whatever screen or modal is up, they stop the chair first. A
quit stops the chair before the app exits. Errors a person can cause become notifications;
nothing they do closes the app or shows a traceback.

However the app ends, the chair is released first: quitting, SIGTERM, SIGHUP or SIGINT, its
terminal closing (see :mod:`chairctl.tui.terminal`), or an exception (Textual unmounts the app,
and unmounting releases the chair). A signal or a lost terminal exits with the shell's code
for it (143, 129, 130).

On a bridge (``chairctl --bridge URL``) the app drives the chair a bridge owns through
:class:`~chairctl.services.remote.bridged.BridgeControl`, typed as the same
:class:`~chairctl.services.control.SessionControl`: the same screens, Escape a stop command that
goes out at once, the bridge's refusals in their own words. It opens no link to a chair and no
local database (the people, their answers and the history are the bridge's), and however it
ends, the chair and any session stay with the bridge: only Escape stops them.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import ClassVar, Final

from pydantic import ValidationError
from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.driver import Driver
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.widgets import Input, TextArea

from chairctl.clock import Clock, RealClock
from chairctl.engine import Event
from chairctl.plan import AS_WRITTEN, Personalisation, Plan
from chairctl.plan.suitability import check_program_for
from chairctl.program import Program
from chairctl.safety import RECLINE_WARNING
from chairctl.safety.profile import (
    GUEST_NAME,
    HealthScreening,
    Profile,
    guest_profile,
    is_guest,
)
from chairctl.safety.screening import Screening, screen, screen_guest
from chairctl.services.chairs import ChairAddress, parse_chair, resolve_model
from chairctl.services.control import SessionControl
from chairctl.services.endings import SessionEnding
from chairctl.services.people import load_profile, open_store
from chairctl.services.remote.bridged import UNDER_WAY, BridgeControl, ControlOptions
from chairctl.services.remote.payloads import CommandError
from chairctl.services.remote.target import BridgeTarget
from chairctl.services.safetext import printable
from chairctl.services.session import ChairControl, StopOutcome, StopState
from chairctl.store import Store
from chairctl.tui.messages import ChairNews
from chairctl.tui.screens.bridge_people import BridgePeopleScreen
from chairctl.tui.screens.connect import ChairChoice, ConnectScreen, Scanner
from chairctl.tui.screens.history import HistoryScreen
from chairctl.tui.screens.library import LibraryScreen
from chairctl.tui.screens.personalise import PersonaliseScreen, Who
from chairctl.tui.screens.profile_form import ProfileFormScreen
from chairctl.tui.screens.profiles import ConfirmScreen, ProfilesScreen
from chairctl.tui.screens.safety_notice import NOTICE, NOTICE_VERSION, SafetyNoticeScreen
from chairctl.tui.screens.session import STOP_WORDS, SessionScreen
from chairctl.tui.terminal import guarded
from chairctl.vocabulary import FULL_FEATURED, ChairCapabilities, ChairctlError, ChairFault
from chairctl.vocabulary.chair_events import (
    ChairEvent,
    FaultLatched,
    LinkLost,
    Reconnected,
    ReconnectFailed,
)
from drivers.models import ChairModel


class ChairctlApp(App[None]):
    """The app; ``clock`` and ``scanner`` are for tests and demos (virtual time, a simulated
    Bluetooth air). With ``bridge``, the app is a client of that bridge's chair (``address``,
    ``model_id`` and ``home`` are not used; ``profile_name`` is one of the bridge's people)."""

    # Absolute: Textual reads a relative path beside the module of the running App's class,
    # which for a subclass (a test's, a plugin's) is not this one.
    CSS_PATH = Path(__file__).with_name("app.tcss")
    TITLE = "chairctl"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "stop_chair", "Stop", priority=True, id="stop"),
        Binding("x", "stop_chair_x", "Stop", priority=True, show=False, id="stop-x"),
        Binding("ctrl+c", "quit", "Quit", priority=True, show=False),
        Binding("q", "quit", "Quit"),
        Binding("c", "connect", "Connect"),
        Binding("p", "profiles", "Profiles"),
        Binding("h", "history", "History"),
    ]

    def __init__(
        self,
        *,
        address: ChairAddress | None = None,
        model_id: str | None = None,
        profile_name: str | None = None,
        home: Path | None = None,
        clock: Clock | None = None,
        scanner: Scanner | None = None,
        programs: Iterable[Program] | None = None,
        bridge: BridgeTarget | None = None,
        bridge_options: ControlOptions | None = None,
    ) -> None:
        super().__init__()
        self.clock = clock or RealClock()
        #: The bridge whose chair the app shows; None when the app drives a chair itself.
        self.bridge = bridge
        self._bridge_options = bridge_options
        self.home = home
        self.scanner = scanner
        self.programs = list(programs) if programs is not None else None
        self.wanted_profile = profile_name
        # A guest may be anyone: the notice they read counts for their next session only.
        self._guest_read_notice = False
        self.address = address or parse_chair("sim")
        self.model = resolve_model(self.address, model_id) if bridge is None else None
        # Made on mount: the chair lives on the app's event loop, which runs from then on.
        self._control: SessionControl | None = None
        self.store: Store | None = None
        self.profile: Profile | None = None
        self.screening: Screening | None = None
        self.library: LibraryScreen | None = None
        self.session_screen: SessionScreen | None = None
        self._quitting = False
        #: Signals and a closed terminal: each stops the chair, then quits.
        self.ending = SessionEnding()
        #: On a bridge: who is in the chair (one of the bridge's people, by name), whether the
        #: safety notice was read in this run (nothing is stored here), and what was said of
        #: the bridge already (each said once, not at every message).
        self.bridge_person: str | None = None
        self._bridge_notice_read = False
        self._bridge_said: dict[str, str | None] = {}

    # -- start-up ----------------------------------------------------------------------------------

    @property
    def control(self) -> SessionControl:
        """The chair the app drives (from mount on): its own, or a bridge's."""
        if self._control is None:
            raise RuntimeError("the app has no chair before it is mounted")
        return self._control

    @property
    def chair_capabilities(self) -> ChairCapabilities:
        """What the chair can do, as far as the app knows (a bridge judges its own chair)."""
        model = self.control.model
        return model.capabilities if model is not None else FULL_FEATURED

    def _control_for(self, address: ChairAddress, model: ChairModel) -> ChairControl:
        return ChairControl(
            address,
            model,
            self.clock,
            on_link=self._on_link,
            on_stop=self._on_stop,
            store=self.store,
        )

    def get_driver_class(self) -> type[Driver]:
        return guarded(super().get_driver_class())

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        # Every notification of every screen passes here; they carry names and error texts
        # (data), so none is read as markup or lets a control character reach the terminal.
        super().notify(
            printable(message, newlines=True),
            title=printable(title),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    def format_title(self, title: str, sub_title: str) -> Content:
        # The sub-title names the chair: a model's name, an address someone typed.
        return super().format_title(printable(title), printable(sub_title))

    def on_mount(self) -> None:
        # Off the main thread (an embedding host), signals are the host's to handle.
        with contextlib.suppress(RuntimeError, ValueError, NotImplementedError):
            self.ending.install(asyncio.get_running_loop(), self._end_from_outside)
        if self.bridge is not None:
            self._mount_bridged(self.bridge)
            return
        # The store first: the chair's faults kept from earlier sessions live there.
        self._open_store()
        assert self.model is not None
        self._control = self._control_for(self.address, self.model)
        self.sub_title = self.control.title
        self.library = LibraryScreen(programs=self.programs, chair=self.chair_capabilities)
        self.push_screen(self.library)
        self._connect()
        self._choose_profile()

    def _open_store(self) -> None:
        try:
            self.store = open_store(self.home)
        except ChairctlError as error:
            self.notify(
                f"{error}. Profiles and history are off for now.",
                title="The local database cannot be used",
                severity="error",
                timeout=30,
            )

    @work(group="chair", exit_on_error=False)
    async def _connect(self) -> None:
        try:
            await self.control.connect()
        except ChairFault as error:
            self.notify(
                f"{error}. Before a program starts you will be asked whether you checked it.",
                title="The chair reports a fault",
                severity="error",
                timeout=30,
            )
        except ChairctlError as error:
            if self.bridge is not None:
                self.notify(
                    f"{error}. The app keeps trying; the chair stays with the bridge.",
                    title=f"Cannot reach the bridge ({self.bridge.url})",
                    severity="error",
                    timeout=20,
                )
                return
            self.notify(
                f"{error}. Press c to choose a chair.",
                title=f"Cannot reach the chair ({self.control.title})",
                severity="error",
                timeout=20,
            )

    def _choose_profile(self) -> None:
        store = self.store
        if store is None:
            return
        name = self.wanted_profile or _last_used(store)
        if name is not None:
            try:
                self.use_profile(load_profile(store, name))
            except ChairctlError as error:
                self.notify(str(error), title="Profile", severity="error")
        if self.profile is None or not self._acknowledged(self.profile):
            self.push_screen(SafetyNoticeScreen(), self._notice_read)

    def _acknowledged(self, profile: Profile) -> bool:
        if is_guest(profile):
            return self._guest_read_notice
        store = self.store
        return store is None or store.acknowledged(profile.name, NOTICE) == NOTICE_VERSION

    def _notice_read(self, acknowledged: bool | None) -> None:
        if not acknowledged:
            self.notify("The safety notice comes back before your first session.")
            return
        if self.profile is not None:
            self._remember_acknowledgement(self.profile.name)
            return
        self.push_screen(ProfileFormScreen(taken_names=self._profile_names()), self._created)

    def _created(self, profile: Profile | None) -> None:
        if profile is None:
            self.notify("You can make a profile later with p.")
            return
        if self._save_profile(profile):
            self.use_profile(profile)
            self._remember_acknowledgement(profile.name)

    def _remember_acknowledgement(self, name: str) -> None:
        if name == GUEST_NAME:
            self._guest_read_notice = True  # kept for this guest's next session, not stored
            return
        if self.store is not None:
            try:
                self.store.acknowledge(name, NOTICE, NOTICE_VERSION)
            except ChairctlError as error:
                self.notify(str(error), severity="error")

    def _save_profile(self, profile: Profile) -> bool:
        if self.store is None:
            return True  # used for this run only
        try:
            self.store.put_profile(profile.name, profile.model_dump_json())
        except ChairctlError as error:
            self.notify(str(error), title="The profile was not saved", severity="error")
            return False
        return True

    def _profile_names(self) -> list[str]:
        return self.store.profile_names() if self.store is not None else []

    def use_profile(self, profile: Profile) -> None:
        """Seat ``profile`` in the chair: its screening governs the library and every start."""
        self.profile = profile
        unanswered = is_guest(profile) and profile.health == HealthScreening()
        # A guest who answered nothing is told so, beside a guest's caps.
        self.screening = screen_guest(None) if unanswered else screen(profile)
        if self.library is not None:
            self.library.set_person(self.screening)
        for reason in self.screening.blocked:
            self.notify(reason, title=f"Not for {profile.name} now", severity="warning")

    # -- the library, personalising and the session ------------------------------------------------

    def on_library_screen_chosen(self, message: LibraryScreen.Chosen) -> None:
        self._personalise(message.program)

    def _personalise(self, program: Program, *, notice_read: bool = False) -> None:
        """Before each session: who is in the chair (shown, one key to change), the notice
        they have not acknowledged, and their choices for ``program``."""
        if self.bridge is not None:
            self._personalise_bridged(program, notice_read=notice_read)
            return
        if self.profile is None:
            self.notify("First, who is in the chair? Make a profile (Enter for a guest).")
            self.push_screen(SafetyNoticeScreen(), self._notice_read)
            return
        if not notice_read and not self._acknowledged(self.profile):

            def read(acknowledged: bool | None) -> None:
                self._notice_read(acknowledged)
                if acknowledged:
                    self._personalise(program, notice_read=True)

            self.push_screen(SafetyNoticeScreen(), read)
            return
        if self._not_for_them(program):
            return
        screen_ = PersonaliseScreen(
            program,
            screening=self.screening,
            chair=self.chair_capabilities,
            remembered=self._remembered(program),
            person=self.profile.name,
        )
        self.push_screen(screen_, lambda chosen: self._personalised(program, chosen))

    def _someone_else(self, program: Program, who: Who) -> None:
        """Seat whoever is really in the chair, then ask again for ``program``."""
        if self.bridge is not None:
            self._choose_bridge_person(lambda: self._personalise(program))
            return
        if who is Who.GUEST:
            self.use_profile(guest_profile())
            self.notify(f"In the chair: a guest ({self._limits_said()})", markup=False)
            self._personalise(program)
            return
        if self.store is None:
            self.notify("Only a guest can be chosen without the local database.")
            return
        active = self.profile.name if self.profile else None

        def chosen(name: str | None) -> None:
            if name is not None:
                self._profile_chosen(name, ask_notice=False)
            self._personalise(program)

        self.push_screen(ProfilesScreen(self.store, active=active), chosen)

    def _not_for_them(self, program: Program) -> bool:
        """Say so, and True, when the person in the chair may not have ``program``: the
        library greys it, but the person may have changed since it was chosen."""
        if self.screening is None:
            return False
        try:
            reasons = check_program_for(program, self.screening, self.chair_capabilities)
        except ChairctlError as error:
            reasons = [str(error)]
        if not reasons:
            return False
        who = self.profile.name if self.profile is not None else "this person"
        self.notify(" ".join(reasons), title=f"Not for {who}", severity="warning", markup=False)
        return True

    def _limits_said(self) -> str:
        caps = self.screening.caps.describe() if self.screening is not None else ""
        return caps or "no limits from health answers"

    def _remembered(self, program: Program) -> Personalisation | None:
        if self.store is None or self.profile is None:
            return None
        document = self.store.program_preferences(self.profile.name, program.id)
        if document is None:
            return None
        try:
            return Personalisation.model_validate_json(document)
        except ValidationError:
            return None  # written by another version; the profile's defaults serve

    def _personalised(self, program: Program, person: Personalisation | Who | None) -> None:
        if person is None:
            return
        if isinstance(person, Who):
            self._someone_else(program, person)
            return
        if self.store is not None and self.profile is not None:
            try:
                self.store.put_program_preferences(
                    self.profile.name, program.id, person.model_dump_json()
                )
            except ChairctlError as error:
                self.notify(str(error), severity="warning")
        self.start_session(program, person)

    def start_session(self, program: Program, person: Personalisation = AS_WRITTEN) -> None:
        """Compile ``program`` for the person and this chair, show the session, and run it.

        A program that reclines the chair asks first whether the space around it is clear
        (a stop brings the leg rest down); if not, it runs upright.
        """
        if self.control.running:
            self.notify("A session is already running; Escape stops it.", severity="warning")
            return
        if self._not_for_them(program):
            return
        fault = self.control.fault
        if fault is not None:
            question = (
                f"The chair reported a fault: {fault}\n\nHave you checked the chair, and is it "
                "safe to use? Yes clears the fault and starts the program."
            )

            def checked(yes: bool | None) -> None:
                if yes:
                    self._clear_then_start(program, person)
                else:
                    self.notify("Nothing was started: the chair's fault stays until it is checked.")

            self.push_screen(ConfirmScreen(question), checked)
            return
        try:
            plan = self.control.compile(program, person)
            # Asked before the recline question and the session screen: a refusal is one note.
            self.control.check_allowance(plan, store=self.store, profile=self.profile)
        except ChairctlError as error:
            self.notify(str(error), title=f"{program.name} cannot run", severity="error")
            return
        # (On a bridge there is nothing to ask: a start from the network runs upright.)
        if plan.reclines and self.bridge is None and self.chair_capabilities.stop_moves_posture:
            question = f"{RECLINE_WARNING}\n\nIs the space under and beside the chair clear?"

            def answered(clear: bool | None) -> None:
                chosen = person
                if not clear:
                    chosen = person.upright("the space around the chair was not confirmed clear")
                self._start(program, chosen)

            self.push_screen(ConfirmScreen(question), answered)
            return
        self._start(program, person, plan)

    @work(group="chair", exit_on_error=False)
    async def _clear_then_start(self, program: Program, person: Personalisation) -> None:
        try:
            await self.control.clear_fault()
        except ChairctlError as error:
            self.notify(f"The fault is still there: {error}", severity="error")
            return
        self.start_session(program, person)

    def _start(self, program: Program, person: Personalisation, plan: Plan | None = None) -> None:
        try:
            plan = plan or self.control.compile(program, person)
            notes = [str(a) for a in plan.adjustments] + self.control.approximations(plan)
        except ChairctlError as error:
            self.notify(str(error), title=f"{program.name} cannot run", severity="error")
            return
        if self.screening is not None:
            notes = self.screening.notices + notes
        sitter = self.profile.name if self.profile is not None else self.bridge_person
        if self.bridge is not None:
            notes = [BRIDGE_APPLIES.format(person=sitter), *notes]
        session = SessionScreen(
            self.control,
            program,
            plan,
            notes=notes,
            person=sitter,
            bridged=self.bridge is not None,
        )
        self.session_screen = session
        self.push_screen(session, lambda _: self._session_closed(session))
        self._guest_read_notice = False  # the next session's guest may be someone else
        self._run_session(program, plan)

    @work(group="session", exit_on_error=False)
    async def _run_session(self, program: Program, plan: Plan) -> None:
        try:
            await self.control.run(
                program,
                plan,
                store=self.store,
                profile=self.profile,
                listener=self._on_engine_event,
                profile_key=self.bridge_person if self.bridge is not None else None,
            )
        except ChairctlError as error:
            self.notify(str(error), title="The session did not start", severity="error")
            if self.session_screen is not None and self.screen is self.session_screen:
                self.session_screen.not_started()

    def _session_closed(self, session: SessionScreen) -> None:
        if self.session_screen is session:
            self.session_screen = None

    def _on_engine_event(self, event: Event) -> None:
        if self.session_screen is not None:
            self.session_screen.on_engine_event(event)

    # -- the chair's own news ----------------------------------------------------------------------

    def _on_link(self, event: ChairEvent) -> None:
        self.post_message(ChairNews(event))

    def on_chair_news(self, message: ChairNews) -> None:
        event = message.event
        if self.session_screen is not None:
            self.session_screen.on_chair_event(event)
        if self.bridge is not None:
            self._bridge_chair_news(event)
            return
        match event:
            case LinkLost():
                self.notify(
                    "Connection lost · stopping the chair as soon as it answers again.",
                    severity="error",
                    timeout=10,
                )
            case Reconnected(safe=safe):
                self.notify(
                    "Connection lost · chair stopped. Press r on the session screen (or c) to "
                    "go on."
                    if safe
                    else "Reconnected, but the chair did not confirm its safe state: use its "
                    "remote.",
                    severity="warning" if safe else "error",
                    timeout=20,
                )
            case ReconnectFailed():
                self.notify(
                    "Connection lost · the chair could not be reached, so it may still be "
                    f"working. {self.control.left_to_itself()} Press c to connect again.",
                    severity="error",
                    timeout=30,
                )
            case FaultLatched(message=fault):
                self.notify(
                    f"The chair reported a fault: {fault}. It is stopped; check it before "
                    "clearing the fault.",
                    severity="error",
                    timeout=30,
                )
            case _:
                pass

    def _on_stop(self, state: StopState) -> None:
        self._show_sub_title()
        if self.session_screen is not None:
            self.session_screen.on_stop_state(state)

    def _show_sub_title(self) -> None:
        control = self._control
        if control is None:
            return
        words = STOP_WORDS.get(control.stop_state)
        if isinstance(control, BridgeControl):
            words = _bridge_words(control, words)
        self.sub_title = control.title + (f" · {words}" if words else "")

    # -- stop and quit -----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("stop_chair", "stop_chair_x"):
            # With nothing to stop, Escape keeps its usual meaning (close a menu or a modal);
            # with a session or a chair that is not standing by, it stops the chair, always.
            if self._control is None or not self._control.needs_stop():
                return False
            # x is a letter too: while a text field has focus, it is typed.
            return action == "stop_chair" or not isinstance(self.focused, Input | TextArea)
        return True

    def action_stop_chair_x(self) -> None:
        """``x``: the same stop as Escape, where x is not being typed."""
        self.action_stop_chair()

    def action_stop_chair(self) -> None:
        """Stop the chair: a safe release, from any screen. Says "Stopping…" at once."""
        # The stop starts here, before anything is drawn; the worker only reports its end.
        stopping = self.control.request_stop()
        self.notify("Stopping…", timeout=3)
        self._report_stop(stopping)

    @work(group="stop", exit_on_error=False)
    async def _report_stop(self, stopping: asyncio.Future[StopOutcome]) -> None:
        outcome = await asyncio.shield(stopping)
        self.notify(outcome.message, severity="information" if outcome.safe else "error")

    async def action_quit(self) -> None:
        """Quit, stopping the chair first; the screen stays live meanwhile (Escape works).

        On a bridge nothing is stopped: with a session under way the person is asked first
        whether to leave it with the bridge."""
        if self._quitting:
            return
        if self.bridge is not None and self._control is not None and self._control.running:

            def answered(leave: bool | None) -> None:
                if leave:
                    self._quitting = True
                    self._quit()

            self.push_screen(ConfirmScreen(LEAVE_QUESTION), answered)
            return
        self._quitting = True
        if self.bridge is None and self._control is not None and self._control.needs_stop():
            self.notify("Stopping the chair before quitting…", timeout=30)
        self._quit()

    @work(group="quit", exit_on_error=False)
    async def _quit(self) -> None:
        await self.shutdown()
        self.exit(return_code=self.ending.exit_code or 0)

    def terminal_lost(self, reason: str) -> None:
        """The terminal closed under the app (called from any thread): stop, then quit."""
        self.ending.output_lost(reason)

    def _end_from_outside(self, reason: str) -> None:
        """A signal or a closed terminal: the chair's release goes out now, then the app quits
        (with nobody to read the screen, there is nothing to wait for)."""
        control = self._control
        # A bridge's chair is the bridge's: this app's ending is not the chair's.
        if control is not None and self.bridge is None and control.needs_stop():
            control.request_stop(reason)
        if not self._quitting:
            self._quitting = True
            self._quit()

    async def shutdown(self) -> None:
        """Stop the chair (if anything needs it), close the link and the store; on a bridge,
        leave the chair with the bridge and disconnect."""
        try:
            if self._control is not None:
                await self._control.close()
        except ChairctlError as error:
            self.notify(str(error), severity="error")
        if self.store is not None:
            self.store.close()
            self.store = None

    async def on_unmount(self) -> None:
        # However the app ends, the chair is released and the link closed; the screens are
        # gone by now, so nothing is drawn on the way.
        self.session_screen = None
        self.ending.uninstall()
        await self.shutdown()

    # -- on a bridge -------------------------------------------------------------------------------

    def _mount_bridged(self, bridge: BridgeTarget) -> None:
        """The app as a client of ``bridge``: no local database, no link to a chair."""
        control = BridgeControl(
            bridge,
            on_link=self._on_link,
            on_stop=self._on_stop,
            on_news=self._bridge_news,
            on_refused=self._bridge_refused,
            options=self._bridge_options,
        )
        self._control = control
        self.sub_title = control.title
        self.library = LibraryScreen(
            programs=self.programs,
            chair=FULL_FEATURED,
            offered={},
            waiting="Waiting for the bridge's library…",
        )
        self.push_screen(self.library)
        self._connect()

    def _bridge_news(self) -> None:
        """Something the bridge says changed: the library, its people, the session screen and
        the header follow; news of the bridge itself is said once per change."""
        control = self._control
        if not isinstance(control, BridgeControl):
            return
        if self.library is not None and control.library is not None:
            offered = {entry.id: entry.name for entry in control.library}
            if self._said("library", ",".join(sorted(offered))):
                self.library.offer(offered)
        if control.profiles is not None and self.bridge_person is None:
            self._seat_from(control.profiles)
        trouble = control.trouble
        if self._said("trouble", trouble):
            if trouble is not None:
                self.notify(
                    f"{trouble}. {control.left_to_itself()}",
                    title="The bridge cannot be heard",
                    severity="error",
                    timeout=30,
                )
            elif "trouble-before" in self._bridge_said:
                self.notify("The bridge is heard again.")
            self._bridge_said["trouble-before"] = trouble
        problem = control.problem
        if problem is not None and self._said("problem", problem):
            self.notify(problem, severity="warning", timeout=20)
        if self.session_screen is not None:
            self.session_screen.on_bridge_state(control.state, trouble)
        self._show_sub_title()

    def _said(self, key: str, value: str | None) -> bool:
        """True (and remembered) when ``value`` is news under ``key``."""
        if key in self._bridge_said and self._bridge_said[key] == value:
            return False
        self._bridge_said[key] = value
        return True

    def _seat_from(self, names: list[str]) -> None:
        """Seat the person ``--profile`` named, or the bridge's only one."""
        wanted = self.wanted_profile
        if wanted is None:
            if len(names) == 1:
                self.bridge_person = names[0]
            return
        if wanted in names:
            self.bridge_person = wanted
        elif self._said("wanted", ",".join(names)):
            known = ", ".join(names) or "none yet"
            self.notify(
                f"The bridge has no profile '{wanted}'; its profiles: {known}.",
                title="Profile",
                severity="error",
            )

    def _bridge_refused(self, error: CommandError) -> None:
        # In the bridge's words, which are the app's own.
        self.notify(
            error.message,
            title=f"The bridge refused: {error.command}",
            severity="warning",
            timeout=15,
        )

    def _bridge_chair_news(self, event: ChairEvent) -> None:
        match event:
            case LinkLost():
                self.notify(
                    "The bridge lost its link to the chair · it stops the chair as soon as the "
                    "chair answers again.",
                    severity="error",
                    timeout=10,
                )
            case Reconnected(safe=safe):
                self.notify(
                    "The bridge reached the chair again and stopped it."
                    if safe
                    else "The bridge reached the chair again, but the chair did not confirm its "
                    "safe state: use its remote.",
                    severity="warning" if safe else "error",
                    timeout=20,
                )
            case ReconnectFailed():
                self.notify(
                    "The bridge could not reach the chair again, so it may still be working: "
                    "use its remote or switch it off.",
                    severity="error",
                    timeout=30,
                )
            case FaultLatched(message=fault):
                self.notify(
                    f"The chair reported a fault: {fault}. It is stopped; check it before "
                    "clearing the fault.",
                    severity="error",
                    timeout=30,
                )
            case _:
                pass

    def _personalise_bridged(self, program: Program, *, notice_read: bool = False) -> None:
        """Personalise on a bridge: one of the bridge's people, the safety notice once in this
        run, and the program as written (the bridge applies the person's answers)."""
        if self.bridge_person is None:
            self._choose_bridge_person(lambda: self._personalise_bridged(program))
            return
        if not notice_read and not self._bridge_notice_read:

            def read(acknowledged: bool | None) -> None:
                if not acknowledged:
                    self.notify("The safety notice comes back before your first session.")
                    return
                self._bridge_notice_read = True
                self._personalise_bridged(program, notice_read=True)

            self.push_screen(SafetyNoticeScreen(), read)
            return
        screen_ = PersonaliseScreen(
            program, screening=None, person=self.bridge_person, bridged=True
        )
        self.push_screen(screen_, lambda chosen: self._personalised(program, chosen))

    def _choose_bridge_person(self, then: Callable[[], None] | None) -> None:
        """Who is in the chair, among the bridge's people; then ``then``."""
        control = self.control
        names = control.profiles if isinstance(control, BridgeControl) else None
        if names is None:
            self.notify("The bridge has not listed its people yet.", severity="warning")
            return

        def chosen(name: str | None) -> None:
            if name is None:
                return
            self.bridge_person = name
            self.notify(f"In the chair: {name}", markup=False)
            if then is not None:
                then()

        self.push_screen(BridgePeopleScreen(names, active=self.bridge_person), chosen)

    # -- other screens -----------------------------------------------------------------------------

    def action_connect(self) -> None:
        if self.bridge is not None:
            self.notify(
                f"The chair is the bridge's ({self.bridge.url}); to show another bridge's "
                "chair, start chairctl --bridge with its URL."
            )
            return
        if self.control.running:
            self.notify("Stop the session first (Escape).", severity="warning")
            return
        self.push_screen(
            ConnectScreen(current=self.address, scanner=self.scanner), self._chosen_chair
        )

    def _chosen_chair(self, choice: ChairChoice | None) -> None:
        if choice is not None:
            self._switch_chair(choice)

    @work(group="chair", exclusive=True, exit_on_error=False)
    async def _switch_chair(self, choice: ChairChoice) -> None:
        try:
            control = self._control_for(
                choice.address, resolve_model(choice.address, choice.model_id)
            )
        except ChairctlError as error:
            self.notify(str(error), severity="error")
            return
        old, self._control = self.control, control
        self.address = choice.address
        try:
            await old.close()
        except ChairctlError as error:
            self.notify(f"The previous chair: {error}", severity="warning")
        self.sub_title = control.title
        if self.library is not None:
            self.library.set_chair(control.model.capabilities)
        try:
            await control.connect()
        except ChairctlError as error:
            self.notify(f"{error}", title=f"Cannot reach {control.title}", severity="error")
            return
        self.notify(f"Connected: {control.title}")

    def action_profiles(self) -> None:
        if self.bridge is not None:
            self._choose_bridge_person(None)
            return
        if self.store is None:
            self.notify("Profiles need the local database, which cannot be used now.")
            return
        active = self.profile.name if self.profile else None
        self.push_screen(ProfilesScreen(self.store, active=active), self._profile_chosen)

    def _profile_chosen(self, name: str | None, *, ask_notice: bool = True) -> None:
        if name is None or self.store is None:
            return
        try:
            profile = load_profile(self.store, name)
        except ChairctlError as error:
            self.notify(str(error), severity="error")
            return
        self.use_profile(profile)
        self.notify(f"In the chair: {profile.name}", markup=False)
        if ask_notice and not self._acknowledged(profile):
            self.push_screen(SafetyNoticeScreen(), self._notice_read)

    def action_history(self) -> None:
        if self.bridge is not None:
            self.notify(
                "The history is kept where the bridge runs: chairctl history there shows it."
            )
            return
        if self.store is None:
            self.notify("History needs the local database, which cannot be used now.")
            return
        self.push_screen(HistoryScreen(self.store))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Stop the chair", "A safe release, now", self.action_stop_chair)
        yield SystemCommand(
            "Connect a chair", "Bluetooth, serial or simulated", self.action_connect
        )
        yield SystemCommand("Profiles", "Who is in the chair", self.action_profiles)
        yield SystemCommand("History", "Past sessions", self.action_history)


#: The first note of a session on a bridge: who judges the person's answers.
BRIDGE_APPLIES: Final = (
    "The bridge runs this for {person} with their health answers and limits, which it keeps; "
    "what it changes, it says here as the session runs."
)
#: Asked before the app leaves a session running on a bridge.
LEAVE_QUESTION: Final = (
    "A session is running on the bridge's chair. Quit and leave it running with the bridge? "
    "(Escape stops the chair.)"
)


def _bridge_words(control: BridgeControl, stop_words: str | None) -> str | None:
    """The header's words for a bridge's chair: whether the bridge is heard, a stop under
    way, whose session runs."""
    if control.trouble is not None:
        heard = "the bridge cannot be heard"
        return f"{heard} · {stop_words}" if control.stop_state is StopState.STOPPING else heard
    if control.stop_state is StopState.STOPPING:
        return stop_words
    state = control.state
    if state is not None and state.session in UNDER_WAY:
        program = state.program_name or state.program or "a program"
        return f"{state.session}: {program} for {state.profile or 'someone'}"
    return stop_words


def _last_used(store: Store) -> str | None:
    """The profile of the latest session that still exists, else the only profile."""
    names = store.profile_names()
    for record in store.history(limit=20):
        if record.profile_name in names:
            return record.profile_name
    return names[0] if len(names) == 1 else None
