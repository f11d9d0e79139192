"""The chair's state as ``P/state`` says it: what the session controller knows, what the
engine's events told, and what a client chose for the next start.

Only what the chair confirmed is given as the chair's: the work state, technique, airbags and
heat come from its latest status (a field its status cannot be believed for is null), where
the rollers work is what the status shows, the step and its intensity are the engine's.
"""

from __future__ import annotations

from dataclasses import dataclass

from chairctl.engine import (
    Event,
    Finished,
    SessionStarted,
    StepStarted,
    Stopped,
)
from chairctl.services.remote.payloads import ChairState, LinkWord, SessionWord
from chairctl.services.session import ChairControl, StopState
from drivers.session import LinkState


@dataclass
class _Session:
    """The session under way, or the last one."""

    program: str
    program_name: str
    profile: str | None
    step: StepStarted | None = None
    ended: bool = False


class StateTracker:
    """Builds :class:`ChairState` snapshots of ``control``."""

    def __init__(self, control: ChairControl) -> None:
        self.control = control
        self.selected_program: str | None = None
        self.selected_profile: str | None = None
        self._session: _Session | None = None
        self._before: _Session | None = None
        self._was_connected = False

    def starting(self, program: str, program_name: str, profile: str | None) -> None:
        """A session of ``program`` for ``profile`` is about to start."""
        self._before = self._session
        self._session = _Session(program, program_name, profile)

    def not_started(self) -> None:
        """The session announced by :meth:`starting` was refused (or cancelled) before
        anything moved: the state is the last session's again."""
        self._session, self._before = self._before, None

    def on_event(self, event: Event) -> None:
        """One engine event of the session under way."""
        session = self._session
        if session is None:
            return
        match event:
            case SessionStarted():
                session.ended = False
            case StepStarted():
                session.step = event
            case Stopped() | Finished():
                session.ended = True
                session.step = None
            case _:
                pass

    @property
    def intensity(self) -> int | None:
        """The current step's intensity as the engine applied it; None with no rollers."""
        session = self._session
        if session is None or session.ended or session.step is None:
            return None
        if not session.step.entry.setpoint.rollers_active:
            return None
        return session.step.intensity

    def _link(self) -> LinkWord:
        state = self.control.link_state
        if state is LinkState.CONNECTED:
            self._was_connected = True
            # Back, but the session it carried was lost: said until someone's clear_fault.
            return "lost" if self.control.interrupted else "connected"
        if state is LinkState.RECONNECTING:
            return "reconnecting"
        if state is LinkState.CLOSED:
            return "closed"
        return "lost" if self._was_connected else "connecting"

    def _session_word(self) -> SessionWord:
        control = self.control
        engine = control.engine
        session = self._session
        under_way = engine is not None or (session is not None and not session.ended)
        if control.stop_state is StopState.STOPPING and under_way:
            return "stopping"
        if engine is not None:
            if engine.preparing or not engine.started:
                return "preparing"
            return "paused" if engine.paused else "running"
        if session is not None:
            # Accepted and about to begin, or over.
            return "ended" if session.ended else "preparing"
        return "idle"

    def snapshot(self) -> ChairState:
        """The state now."""
        control = self.control
        status = control.status
        engine = control.engine
        session = self._session
        step = session.step if session is not None and not session.ended else None
        time_left: int | None = None
        session_s: int | None = None
        if engine is not None:
            done = 0.0 if engine.preparing else min(engine.elapsed(), engine.end_s)
            time_left = round(engine.end_s - done)
            session_s = round(done)
        airbags: list[str] | None = None
        heat: bool | None = None
        regions: list[str] = []
        if status is not None:
            if "airbags_active" not in status.unconfirmed:
                airbags = sorted(zone.value for zone in status.airbags_active)
            if "heat" not in status.unconfirmed:
                heat = status.heat
            regions = sorted(region.value for region in control.rollers_on(status))
        fault = control.fault
        return ChairState(
            link=self._link(),
            work_state=status.work_state.value if status is not None else None,
            session=self._session_word(),
            program=session.program if session is not None else None,
            program_name=session.program_name if session is not None else None,
            profile=session.profile if session is not None else None,
            step=step.index if step is not None else None,
            step_name=step.entry.step if step is not None else None,
            regions=regions,
            technique=status.technique.value
            if status is not None and status.technique is not None
            else None,
            intensity=self.intensity,
            airbags=airbags,
            heat=heat,
            heat_withheld=engine.heat_withheld if engine is not None else False,
            time_left_s=time_left,
            session_s=session_s,
            fault=str(fault) if fault is not None else None,
            stop=control.stop_state.value,
            selected_program=self.selected_program,
            selected_profile=self.selected_profile,
        )
