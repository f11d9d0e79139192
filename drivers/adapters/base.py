"""The adapter interface: how one protocol family turns Setpoints into confirmed actions.

An adapter knows a protocol family: its codec (key codes to frames, bytes to statuses), how
to reconcile a desired Setpoint with the observed ChairStatus one confirmed action at a time,
and how to bring the chair to its safe state. It does no I/O of its own. It acts through a
:class:`Port` that the session hands it, which paces keys, remembers held hold-to-move keys
and waits on statuses, so the session (:mod:`drivers.chair`) is the same for every family.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from chairctl.clock import Clock
from chairctl.vocabulary import ChairCapabilities, ChairStatus, Region, Setpoint

#: Added to a session's length when a family sets the chair's own timer from before the
#: session's clock starts (at power-on, or with the first setpoint's sets): the minute or so
#: the chair takes to get going must not come off the end of the session.
TIMER_SLACK_S = 60.0

#: Decides whether a status, received at the given clock time, is the one waited for.
Accept = Callable[[ChairStatus, float], bool]


@dataclass(frozen=True)
class Cadence:
    """A frame a family sends on its own schedule while a link is up: a keep-alive, a
    question the chair answers with its status, or the idle tick of a panel line."""

    #: Seconds between two sends.
    period_s: float
    frame: bytes
    #: True: any other frame on the line restarts the period (an idle tick is needed only
    #: when nothing else is sent). False: sent every period whatever else goes out.
    quiet_only: bool = False


class StatusDecoding(Protocol):
    """Bytes from a link in, statuses out; never raises on any input."""

    def feed(self, data: bytes) -> list[ChairStatus]:
        """The statuses that ``data`` completes, in order."""
        ...

    def reset(self) -> None:
        """Forget a partly received frame (after a reconnect)."""
        ...


class Port(Protocol):
    """What an adapter may do with a connected chair; the session implements it."""

    @property
    def clock(self) -> Clock:
        """The clock everything waits on."""
        ...

    @property
    def status(self) -> ChairStatus:
        """The latest status the chair reported."""
        ...

    @property
    def status_at(self) -> float:
        """When the latest status arrived, on :attr:`clock`."""
        ...

    async def press(self, key: int) -> float:
        """Send one key, paced after the previous one; returns when it was sent."""
        ...

    async def send(self, frame: bytes) -> float:
        """Send a frame the adapter encoded itself (a set-state family's command), paced like
        a key; returns when it was sent."""
        ...

    async def hold(self, start: int, stop: int) -> float:
        """Send a hold-to-move START; the session owes the chair ``stop`` from now on."""
        ...

    async def release(self, stop: int) -> float:
        """Send the STOP of a held START; the debt is paid once it is on the wire."""
        ...

    async def wait(self, accept: Accept, deadline: float | None = None) -> ChairStatus | None:
        """The first status from now on that ``accept`` takes; None once ``deadline`` passes.

        Raises :class:`~chairctl.vocabulary.LinkError` when the link drops meanwhile.
        """
        ...


@dataclass(frozen=True)
class Release:
    """What an adapter's safe release achieved."""

    #: The status showed the safe state before the time allowed ran out.
    safe: bool
    #: What did not go to plan on the way, for people.
    notes: tuple[str, ...] = ()
    #: When the chair began returning home, if it had to.
    settle_started: float | None = None


class Adapter(ABC):
    """Drives one chair model of one protocol family, through a :class:`Port`."""

    @property
    @abstractmethod
    def capabilities(self) -> ChairCapabilities:
        """What the chair can do."""

    @property
    @abstractmethod
    def key_gap_s(self) -> float:
        """The shortest gap the chair needs between two keys."""

    @abstractmethod
    def encode_key(self, key: int) -> bytes:
        """One key as the frame the chair expects (a set-state family that sends no keys
        raises :class:`~chairctl.vocabulary.ProtocolError`)."""

    @property
    def tick_s(self) -> float | None:
        """For a line that carries one byte per tick (a panel's), the tick: every frame then
        goes out a byte per tick. None (most families): a frame goes out whole."""
        return None

    def cadences(self) -> tuple[Cadence, ...]:
        """Frames to send on a schedule while the link is up (keep-alives, status questions,
        idle ticks); none by default."""
        return ()

    @abstractmethod
    def decoder(self, clock: Clock) -> StatusDecoding:
        """A fresh decoder for the chair's status stream. ``clock`` tells it when bytes
        arrive, for a family whose status must be read over time (a display that blinks);
        most families' decoders do not need it."""

    @abstractmethod
    def key_name(self, key: int) -> str:
        """A key as people read it in reports (``POWER``, ``heat 0x27``)."""

    @abstractmethod
    def check(self, setpoint: Setpoint) -> None:
        """Raise :class:`~chairctl.vocabulary.Unsupported` for what the chair cannot do."""

    @abstractmethod
    def approximations(self, setpoint: Setpoint) -> list[str]:
        """What the chair can only approximate of ``setpoint``, one sentence each.

        Raises :class:`~chairctl.vocabulary.Unsupported` like :meth:`check`.
        """

    def use_profile_shoulder(self, shoulder_position: float | None) -> None:  # noqa: B027
        """A shoulder line measured on this chair, from the person's profile (None: none).
        Only a family that places its rollers uses it, until the chair reports its own scan;
        it raises :class:`~chairctl.vocabulary.Unsupported` for a value outside the chair's
        body-scan window."""

    def expect_session(self, seconds: float) -> None:  # noqa: B027 - optional for families
        """The session will run ``seconds``; a family with a chair-side timer sets it to match.
        Families without one ignore it."""

    def restarts_for(self, setpoint: Setpoint, status: ChairStatus) -> bool:
        """True when reaching ``setpoint`` from ``status`` takes the chair through a restart
        (it stops, returns home and starts again), which ends every contact with the body.
        Families that never restart to reach a setpoint keep the default."""
        return False

    @abstractmethod
    async def reconcile(self, setpoint: Setpoint, port: Port) -> None:
        """Drive the chair to ``setpoint``; return once the status confirms it.

        Raises :class:`~chairctl.vocabulary.NotConfirmed` naming what did not take.
        """

    @abstractmethod
    async def release(self, port: Port) -> Release:
        """Bring the chair to its safe state and wait for the status to show it."""

    def region_of(self, status: ChairStatus) -> Region | None:
        """The back region the rollers are on, as far as ``status`` tells; None when it does
        not (stopped, off the bands, or a chair that reports no position)."""
        return None

    def regions_worked(self, status: ChairStatus) -> frozenset[Region]:
        """The back regions the rollers are working, as far as ``status`` tells: the one under
        them on a chair that reports its position, the band of the mode it runs on a chair
        that runs its own; empty when the status does not say."""
        region = self.region_of(status)
        return frozenset() if region is None else frozenset({region})

    def mismatch(self, status: ChairStatus) -> str | None:
        """How ``status`` contradicts the model file, in words (a mechanism the file denies
        or claims); None when it does not, as far as the status tells."""
        return None

    @abstractmethod
    def is_safe(self, status: ChairStatus) -> bool:
        """True when ``status`` shows nothing moving, pressing or heating."""

    @abstractmethod
    def forget(self) -> None:
        """Drop every belief about the chair that the status does not show (after a
        reconnect or a fault, what was true before may not be any more)."""

    @abstractmethod
    async def acknowledge_fault(self, port: Port) -> None:
        """Clear the fault the chair shows, on the chair (only ever on the user's word)."""
