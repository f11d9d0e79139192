"""What a command from the network does, and what it is refused for.

A stop is acted on in the same turn of the event loop it arrives in, always, from anyone with
access to the broker, whatever else is going on (a start not yet under way is cancelled
first). Everything that waits on the chair runs in a task of its own, so nothing a command does
ever holds the next stop back.

A start is refused unless the person's profile allows a start from the home network
(:attr:`~chairctl.safety.profile.Profile.remote_start`; never a guest, who may be anyone), and
for everything ``chairctl run`` and the app refuse it for, in their words: a health screening
that rules it out, a program not for this person, a chair that cannot run it, the person's rest
between sessions or daily cap, a session already running, a fault still latched, no link.
Nobody at the chair can confirm from the network that the space around it is clear, so a
program that reclines runs upright. Each refusal is one message on ``P/error`` and nothing
moves.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Coroutine
from typing import Any, Final

from chairctl.bridge.events import said
from chairctl.bridge.library import Library
from chairctl.bridge.state import StateTracker
from chairctl.engine import Event
from chairctl.plan import Plan
from chairctl.plan.suitability import check_program_for
from chairctl.program import Program
from chairctl.safety.personalisation import Personalisation
from chairctl.safety.profile import Profile, is_guest
from chairctl.safety.screening import screen
from chairctl.services.people import ProfileRefused, load_profile
from chairctl.services.remote.payloads import (
    IntensityAsk,
    SessionEvent,
    parse_intensity,
    parse_name,
    parse_start,
    parse_switch,
)
from chairctl.services.remote.topics import Command
from chairctl.services.session import ALREADY_RUNNING, ChairControl, StopOutcome
from chairctl.store import Store
from chairctl.vocabulary import ChairctlError
from chairctl.vocabulary.text import printable

#: What the session log and the stop's event say ended a session stopped over the network.
STOP_REASON: Final = "stopped by a command over MQTT"
#: Why a program that reclines runs upright when started from the network.
UPRIGHT_REASON: Final = (
    "a start from the home network cannot confirm the space around the chair clear"
)


class RemoteStartRefused(ChairctlError):
    """A start from the network for a person whose profile does not allow one."""


def remote_start_refusal(profile: Profile) -> str | None:
    """Why ``profile``'s sessions may not be started from the network; None when they may."""
    if is_guest(profile):
        return (
            "a guest's session cannot be started from the home network: a guest may be anyone, "
            "so it starts at the chair"
        )
    if not profile.remote_start:
        return (
            f"the profile '{printable(profile.name)}' does not allow a start from the home "
            f"network; allow it with chairctl profiles edit {printable(profile.name)} "
            "--remote-start, or in the app's profile form"
        )
    return None


class Commands:
    """Acts on commands for ``control``'s chair; says refusals with ``refuse(command, words)``,
    news with ``tell``, and asks for the state to be published with ``changed(urgent)``."""

    def __init__(
        self,
        control: ChairControl,
        library: Library,
        store: Store | None,
        tracker: StateTracker,
        *,
        refuse: Callable[[str, str], None],
        tell: Callable[[SessionEvent], None],
        changed: Callable[[bool], None],
        listener: Callable[[Event], None],
        on_bug: Callable[[BaseException], None],
    ) -> None:
        self.control = control
        self.library = library
        self.store = store
        self.tracker = tracker
        self._refuse = refuse
        self._tell = tell
        self._changed = changed
        self._listener = listener
        self._on_bug = on_bug
        #: The session's task, from the accepted start until it ends.
        self.session: asyncio.Task[None] | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        #: The bridge is ending: only a stop is taken from now on.
        self.ending = False
        #: Heat withheld by a command heard after the start was accepted and before its
        #: session began: given to the engine the moment it begins.
        self._heat_withheld = False

    # -- dispatch ----------------------------------------------------------------------------------

    def handle(self, command: Command, payload: bytes) -> None:
        """Act on ``command``; a refusal is said, never raised."""
        try:
            if self.ending and command is not Command.STOP:
                raise ChairctlError("the bridge is ending: only a stop is taken now")
            match command:
                case Command.STOP:
                    self.stop()
                case Command.START:
                    self.start(payload)
                case Command.PAUSE | Command.RESUME:
                    self._session_only(command)
                    work = self.control.pause if command is Command.PAUSE else self.control.resume
                    self._spawn(command, work())
                case Command.INTENSITY:
                    self.intensity(parse_intensity(payload))
                case Command.HEAT:
                    self.heat(parse_switch(payload))
                case Command.CLEAR_FAULT:
                    self.clear_fault()
                case Command.PROGRAM:
                    self.select_program(parse_name(payload, "a program"))
                case Command.PROFILE:
                    self.select_profile(parse_name(payload, "a profile"))
        except ChairctlError as error:
            self._refuse(command.value, str(error))
        except (RecursionError, ValueError, TypeError, UnicodeError) as error:
            # A payload the parsers did not foresee is refused like any other bad one: anyone
            # who can publish must never be able to end the bridge (and its chair's session).
            self._refuse(
                command.value, f"a {command.value} that cannot be read ({type(error).__name__})"
            )

    def _spawn(self, command: Command, work: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
        task = asyncio.create_task(work, name=f"command {command.value}")
        self._tasks.add(task)
        task.add_done_callback(lambda done: self._done(command, done))
        return task

    def _done(self, command: Command, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if task.cancelled():
            return
        error = task.exception()
        if isinstance(error, ChairctlError):
            self._refuse(command.value, str(error))
        elif error is not None:
            self._on_bug(error)
        self._changed(True)

    @property
    def busy(self) -> bool:
        """True while a command other than a session's start is still at work."""
        return any(task is not self.session for task in self._tasks)

    def _session_only(self, command: Command) -> None:
        if not self.control.running:
            raise ChairctlError(f"no session is running: nothing to {command.value}")

    # -- stop --------------------------------------------------------------------------------------

    def stop(self, reason: str = STOP_REASON) -> asyncio.Future[StopOutcome]:
        """Stop now: a start not yet under way never begins, and the chair is released."""
        self.cancel_pending_start()
        stopping = self.control.request_stop(reason)
        stopping.add_done_callback(self._stopped)
        return stopping

    def _stopped(self, stopping: asyncio.Future[StopOutcome]) -> None:
        if stopping.cancelled():
            return
        error = stopping.exception()
        if error is not None:
            self._on_bug(error)
            return
        outcome = stopping.result()
        self._tell(said("StopOutcome", outcome.message))
        self._changed(True)

    def cancel_pending_start(self) -> None:
        """Cancel an accepted start whose session has not begun (nothing moved yet)."""
        task = self.session
        if task is not None and not task.done() and self.control.engine is None:
            task.cancel()
            self.session = None
            self.tracker.not_started()

    # -- start -------------------------------------------------------------------------------------

    def start(self, payload: bytes) -> None:
        """Check a start as the command line and the app would, then run it in a task."""
        ask = parse_start(payload)
        if self.session is not None and not self.session.done():
            raise ChairctlError(ALREADY_RUNNING)  # accepted, and about to begin
        if self.control.running:
            self.control.check_ready()  # says so, in the session controller's words
        program = self._program(ask.program or self.tracker.selected_program)
        profile = self._profile(ask.profile or self.tracker.selected_profile)
        refusal = remote_start_refusal(profile)
        if refusal is not None:
            raise RemoteStartRefused(refusal)
        self.control.check_ready()
        screening = screen(profile)
        if screening.blocked:
            raise ProfileRefused("\n".join(screening.blocked))
        not_for = check_program_for(program, screening, self.control.model.capabilities)
        if not_for:
            raise ProfileRefused("\n".join(not_for))
        person = screening.personalisation()
        plan = self.control.compile(program, person)
        if plan.reclines and self.control.model.capabilities.stop_moves_posture:
            person = person.upright(UPRIGHT_REASON)
            plan = self.control.compile(program, person)
        # A step this chair cannot run refuses the start; what it only approximates is said.
        approximated = self.control.approximations(plan)
        self.control.check_allowance(plan, store=self.store, profile=profile)
        # What the person would read before the start at the chair, for whoever started it.
        for note in dict.fromkeys([*(str(a) for a in plan.adjustments), *approximated]):
            self._tell(said("Planned", note))
        self.tracker.starting(program.id, program.name, profile.name)
        self._heat_withheld = False
        self.session = self._spawn(Command.START, self._run(program, plan, profile, person))
        self._changed(True)

    def _program(self, key: str | None) -> Program:
        if key is None:
            raise ChairctlError(
                'no program chosen: send {"program": ID} with the start, or choose one first '
                "(P/cmd/program)"
            )
        program = self.library.find(key)
        if program is None:
            raise ChairctlError(
                f"no library program '{printable(key)}'; the retained P/library lists them"
            )
        return program

    def _profile(self, name: str | None) -> Profile:
        if name is None:
            raise ChairctlError(
                'who is in the chair? Send {"profile": NAME} with the start, or choose one '
                "first (P/cmd/profile)"
            )
        if self.store is None:
            raise ChairctlError("profiles need the local database, which cannot be used now")
        return load_profile(self.store, name)

    async def _run(
        self, program: Program, plan: Plan, profile: Profile, person: Personalisation
    ) -> None:
        if self._heat_withheld:
            # Heat was turned off between the start's acceptance and now: the plan has none.
            # (Nothing awaits between here and the engine taking over: a later command finds
            # the session running.)
            plan = self.control.compile(program, person.model_copy(update={"heat_allowed": False}))
        try:
            await self.control.run(
                program,
                plan,
                store=self.store,
                profile=profile,
                listener=self._listener,
                on_log_problem=lambda words: self._tell(said("Warned", words)),
            )
        except ChairctlError:
            # Refused before anything moved (said by _done): nothing ran.
            self.tracker.not_started()
            raise
        finally:
            if self.session is asyncio.current_task():
                self.session = None

    # -- during a session --------------------------------------------------------------------------

    def intensity(self, ask: IntensityAsk) -> None:
        """Stronger or gentler, one step at a time, each through the session controller."""
        self._session_only(Command.INTENSITY)
        self._spawn(Command.INTENSITY, self._intensity(ask))

    async def _intensity(self, ask: IntensityAsk) -> None:
        if ask.delta is not None:
            steps = [ask.delta]
        else:
            now = self.tracker.intensity
            if now is None or ask.level is None:
                raise ChairctlError("the rollers are not working now: no intensity to set")
            sign = 1 if ask.level > now else -1
            steps = [sign] * abs(ask.level - now)
        for delta in steps:
            change = await self.control.change_intensity(delta)
            if change is None:
                raise ChairctlError("no session is running: nothing to make stronger or gentler")
            if change.held is not None:
                # What held it back, in the engine's words (the app shows the same).
                raise ChairctlError(change.held)

    def heat(self, on: bool) -> None:
        """OFF withholds heat for the rest of the session (always honoured); ON only lifts
        that: never more heat than the plan and the person allow."""
        if self.control.running:
            self._spawn(Command.HEAT, self._heat(on))
            return
        if self.session is not None and not self.session.done():
            # Accepted and about to begin: held, and given to the engine as it begins.
            self._heat_withheld = not on
            return
        raise ChairctlError("no session is running: heat is off, and the next session's is its own")

    async def _heat(self, on: bool) -> None:
        await self.control.withhold_heat(not on)

    def clear_fault(self) -> None:
        """The person's word that the chair's fault was checked, or, after a lost link, that
        the next session may start (the chair was released; nothing started by itself)."""
        if self.control.running:
            raise ChairctlError("a session is running: stop it before clearing a fault")
        if self.control.fault is None and self.control.interrupted:
            self._spawn(Command.CLEAR_FAULT, self.control.reconnect())
            return
        if self.control.fault is None:
            self._tell(said("FaultCleared", "the chair has no fault latched"))
            return
        self._spawn(Command.CLEAR_FAULT, self.control.clear_fault())

    # -- the next start's choices ------------------------------------------------------------------

    def select_program(self, key: str) -> None:
        """The program the next start runs."""
        self.tracker.selected_program = self._program(key).id
        self._changed(False)

    def select_profile(self, name: str) -> None:
        """The person the next start is for."""
        self.tracker.selected_profile = self._profile(name).name
        self._changed(False)

    # -- the end -----------------------------------------------------------------------------------

    async def settle(self) -> None:
        """Let the session's task end (after the chair's stop) and cancel the others; a
        session that somehow began after the ending's stop is stopped too."""
        self.ending = True
        if self.control.running:
            await self.control.stop()
        session = self.session
        for task in list(self._tasks):
            if task is not session:
                task.cancel()
        for task in list(self._tasks):
            with contextlib.suppress(asyncio.CancelledError, ChairctlError):
                await task
