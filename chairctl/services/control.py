"""What a front end asks of the chair it drives, wherever that chair is.

Two things answer it: :class:`~chairctl.services.session.ChairControl`, when this process owns
the chair (its link, its engine, its release), and
:class:`~chairctl.services.remote.client.BridgeControl`, when a bridge owns it and this process
is one of its clients over MQTT (``chairctl --bridge URL``). The app is typed against
:class:`SessionControl`, so it offers the same screens on either, and never learns which one
moves the chair.

What differs is said by the answers themselves, not by the app: a bridge's chair has no model
here (``model`` is None: the bridge judges what its chair can run), compiles programs as
written (the bridge applies the person's screening and caps), and its ``close`` leaves the
chair with the bridge.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Protocol

from chairctl.engine import Event, LiveChange, Result
from chairctl.plan import Personalisation, Plan
from chairctl.program import Program
from chairctl.safety.profile import Profile
from chairctl.services.session import StopOutcome, StopState
from chairctl.store import Store
from chairctl.vocabulary import ChairFault, ChairStatus, Region
from drivers.models import ChairModel
from drivers.session import LinkState
from simulator.chair import SimulatedChair


class SessionProgress(Protocol):
    """Where the session under way stands, as the screens read it (the engine's own answers,
    or what a bridge last published)."""

    @property
    def started(self) -> bool:
        """Session time has started (the chair's preparation is over)."""

    @property
    def preparing(self) -> bool:
        """The chair is getting ready (power-on, body scan)."""

    @property
    def paused(self) -> bool:
        """The session is paused; the chair was released."""

    @property
    def intensity_offset(self) -> int:
        """The person's live stronger/gentler offset (0 where it is not known)."""

    @property
    def end_s(self) -> float:
        """The session's length, in session seconds."""

    def elapsed(self) -> float:
        """Session seconds so far."""


class SessionControl(Protocol):
    """One chair, at most one session, and a stop that always works."""

    @property
    def title(self) -> str:
        """The header's words for the chair."""

    @property
    def model(self) -> ChairModel | None:
        """The chair's model; None when another process owns the chair and judges it."""

    @property
    def link_state(self) -> LinkState:
        """Where the link to the chair stands (as far as it is known here)."""

    @property
    def fault(self) -> ChairFault | None:
        """The chair's latched fault, until a person clears it."""

    @property
    def running(self) -> bool:
        """A session is under way (being prepared, running, paused or stopping)."""

    @property
    def engine(self) -> SessionProgress | None:
        """The session under way, None outside one."""

    @property
    def stop_state(self) -> StopState:
        """Where the last stop stands."""

    @property
    def simulated(self) -> SimulatedChair | None:
        """The simulated chair behind this process's own link; None for a real chair, or for
        one another process owns."""

    def needs_stop(self) -> bool:
        """True when there is something to stop (or the chair's state is not known)."""

    def request_stop(self, reason: str = "stopped by the user") -> asyncio.Future[StopOutcome]:
        """Start a stop in this turn of the event loop; the future tells how it ended."""

    def left_to_itself(self) -> str:
        """What the chair will do on its own, and how to stop it by hand."""

    def rollers_on(self, status: ChairStatus) -> frozenset[Region]:
        """Where the rollers work, as far as ``status`` tells."""

    async def connect(self) -> None:
        """Reach the chair (a :class:`ChairFault` when it shows one); sends nothing to it."""

    async def reconnect(self) -> None:
        """The person's word to go on after a lost link."""

    async def close(self) -> None:
        """End this process's hold: the chair is released where this process owns it."""

    def compile(self, program: Program, person: Personalisation) -> Plan:
        """``program`` as this person gets it, as far as this process can tell."""

    def approximations(self, plan: Plan) -> list[str]:
        """What the chair can only approximate of ``plan``."""

    def check_allowance(self, plan: Plan, *, store: Store | None, profile: Profile | None) -> None:
        """Refuse ``plan`` now when the person's rest or daily cap does not allow it."""

    async def run(
        self,
        program: Program,
        plan: Plan,
        *,
        store: Store | None,
        profile: Profile | None,
        listener: Callable[[Event], None],
        profile_key: str | None = None,
    ) -> Result:
        """Run a session to its end; ``listener`` hears its events. ``profile_key`` names the
        person where ``profile`` is not known here."""

    async def pause(self) -> None:
        """Pause the session."""

    async def resume(self) -> None:
        """Resume a paused session."""

    async def change_intensity(self, delta: int) -> LiveChange | None:
        """Stronger (+1) or gentler (-1); what it came to, None when that is not known here."""

    async def clear_fault(self) -> None:
        """The person's word that the chair's fault is dealt with."""
