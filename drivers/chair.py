"""The session with one chair: :class:`ChairSession`, the ``Chair`` the engine drives.

A session owns the link (a fresh :class:`~drivers.links.Link` from its factory for every
connection attempt), decodes the status stream, paces keys, and puts the model's adapter to
work for :meth:`~ChairSession.apply` and :meth:`~ChairSession.stop`. The safety rules that
outlive any one setpoint live here:

- every hold-to-move START gets its STOP: when an apply ends however it ends (done, error,
  cancelled, interrupted), before a stop, on close, and on the next link after a drop;
- a chair fault latches: from then on nothing but stop is sent until :meth:`clear_fault`;
- a dropped link, or no status for ``status_timeout_s``, is reconnected with backoff; then
  the owed STOPs go out and the chair is brought to its safe state, and nothing resumes:
  :meth:`apply` raises :class:`~chairctl.vocabulary.Interrupted` until
  :meth:`acknowledge_interruption`;
- :meth:`stop` raises when the status does not show the safe state in time.

See ``docs/reconciler.md`` for the whole story.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING

from chairctl.clock import Clock
from chairctl.vocabulary import (
    Chair,
    ChairCapabilities,
    ChairctlError,
    ChairFault,
    ChairStatus,
    Interrupted,
    LinkError,
    ModelMismatch,
    NotConfirmed,
    Setpoint,
    WorkState,
)
from chairctl.vocabulary.chair_events import (
    ChairEvent,
    Connected,
    FaultCleared,
    FaultLatched,
    LinkLost,
    Reconnected,
    ReconnectFailed,
    StopConfirmed,
)
from drivers.adapters import Accept, Adapter, Release, adapter_for
from drivers.links import LinkFactory
from drivers.models.schema import ChairModel
from drivers.session.connection import LinkHooks, LinkKeeper
from drivers.session.feed import StatusFeed, StatusSubscription
from drivers.session.keys import KeySender
from drivers.session.records import (
    Interruption,
    LinkState,
    SessionConfig,
    StopReport,
    UnsafeStop,
)

EventListener = Callable[[ChairEvent], None]


class _Port:
    """The session as an adapter sees it; an apply's port refuses keys once a fault latched."""

    def __init__(self, session: ChairSession, *, for_stop: bool) -> None:
        self._session = session
        self._for_stop = for_stop

    @property
    def clock(self) -> Clock:
        return self._session.clock

    @property
    def status(self) -> ChairStatus:
        status = self._session.status
        if status is None:
            raise LinkError("no status from the chair yet")
        return status

    @property
    def status_at(self) -> float:
        return self._session.status_at

    def _check(self) -> None:
        fault = self._session.fault
        if fault is not None and not self._for_stop:
            # Belt and braces: the session interrupts the apply at once, but no key of it may
            # slip out in between.
            raise fault

    async def press(self, key: int) -> float:
        self._check()
        return await self._session.keys.press(key)

    async def send(self, frame: bytes) -> float:
        self._check()
        return await self._session.keys.send(frame)

    async def hold(self, start: int, stop: int) -> float:
        self._check()
        return await self._session.keys.hold(start, stop)

    async def release(self, stop: int) -> float:
        # A STOP is always allowed, fault or not.
        return await self._session.keys.release(stop)

    async def wait(self, accept: Accept, deadline: float | None = None) -> ChairStatus | None:
        return await self._session.feed.wait(accept, deadline)


class ChairSession:
    """A connected chair of one model, reached through a link factory, on a clock."""

    def __init__(
        self,
        model: ChairModel,
        links: LinkFactory,
        clock: Clock,
        *,
        config: SessionConfig | None = None,
        shoulder_position: float | None = None,
        adapter: Adapter | None = None,
        on_event: EventListener | None = None,
    ) -> None:
        self.model = model
        self.clock = clock
        self.config = config or SessionConfig()
        #: The protocol family's adapter; ``shoulder_position`` places regions on the track.
        self.adapter = adapter or adapter_for(model, shoulder_position=shoulder_position)
        self.feed = StatusFeed(clock, self.config.status_backlog)
        self.keys = KeySender(
            clock,
            self.adapter.key_gap_s + self.config.key_gap_margin_s,
            self.adapter.encode_key,
            tick_s=self.adapter.tick_s,
            cadences=self.adapter.cadences(),
        )
        #: The last stop's report, None before the first.
        self.last_stop: StopReport | None = None
        self._on_event = on_event
        self._operation = asyncio.Lock()
        self._interrupt: asyncio.Future[ChairctlError] | None = None
        self._fault: ChairFault | None = None
        self._interruption: Interruption | None = None
        #: The link's half of the session: open, watch, lose, reconnect.
        self.connection = LinkKeeper(
            links,
            clock,
            self.config,
            decoder=self.adapter.decoder(clock),
            feed=self.feed,
            keys=self.keys,
            hooks=LinkHooks(
                mismatch=self.adapter.mismatch,
                on_status=self._on_status,
                on_lost=self._on_lost,
                on_dropped=self._on_dropped,
                release=self._release_after_reconnect,
                on_recovered=self._on_recovered,
                on_gave_up=self._on_gave_up,
            ),
        )

    # -- the Chair interface ------------------------------------------------------------------

    @property
    def capabilities(self) -> ChairCapabilities:
        """What the chair can do (the model's capabilities)."""
        return self.adapter.capabilities

    @property
    def status(self) -> ChairStatus | None:
        """The latest status the chair reported, None before the first."""
        return self.feed.latest

    @property
    def status_at(self) -> float:
        """When the latest status arrived."""
        return self.feed.latest_at

    def statuses(self) -> StatusSubscription:
        """Every status from this call on, across reconnections, until the session closes.

        Each call is an independent reader; ``aclose()`` it when done.
        """
        return self.feed.subscribe()

    def use_profile_shoulder(self, shoulder_position: float | None) -> None:
        """The person's measured shoulder line (None: none), for a chair that places its
        rollers and does not report its own body scan; raises
        :class:`~chairctl.vocabulary.Unsupported` when it lies outside the chair's scan
        window."""
        self.adapter.use_profile_shoulder(shoulder_position)

    def restarts_for(self, setpoint: Setpoint) -> bool:
        """True when reaching ``setpoint`` from where the chair is takes it through a restart
        (it stops, returns home and starts again): every contact with the body ends, and the
        next starts gently (see the engine)."""
        status = self.status
        return status is not None and self.adapter.restarts_for(setpoint, status)

    def expect_session(self, seconds: float) -> None:
        """The session will run ``seconds``: the chair's own timer is set to the shortest preset
        that covers it, after every power-on (see the adapter)."""
        self.adapter.expect_session(seconds)

    async def apply(self, setpoint: Setpoint) -> None:
        """Drive the chair to ``setpoint``; return once the status confirms all of it.

        Raises, and leaves no START without its STOP:
        :class:`~chairctl.vocabulary.Unsupported` (before anything is sent) for what the chair
        cannot do; :class:`~chairctl.vocabulary.NotConfirmed` naming what did not take;
        :class:`~chairctl.vocabulary.ChairFault` when a fault is latched or occurs;
        :class:`~chairctl.vocabulary.LinkError` when the link is down or drops;
        :class:`~chairctl.vocabulary.Interrupted` when a stop or a newer setpoint cut it
        short, or after an unacknowledged link drop.
        """
        self.adapter.check(setpoint)
        self._ready()
        self._interrupt_apply(Interrupted("superseded by a newer setpoint"))
        async with self._operation:
            self._ready()
            interrupt: asyncio.Future[ChairctlError] = asyncio.get_running_loop().create_future()
            self._interrupt = interrupt
            work = asyncio.ensure_future(
                self.adapter.reconcile(setpoint, _Port(self, for_stop=False))
            )
            try:
                await asyncio.wait((work, interrupt), return_when=asyncio.FIRST_COMPLETED)
                if interrupt.done():
                    raise interrupt.result()
                try:
                    work.result()
                except ModelMismatch as mismatch:
                    # The chair did something its model file did not say: nothing more is
                    # sent until the user clears it (and puts the file right).
                    if self._fault is None:
                        self._latch(mismatch)
                    raise
            finally:
                if self._interrupt is interrupt:
                    self._interrupt = None
                # Shielded: a second cancel must not cut the STOPs short.
                await asyncio.shield(self._wind_down(work))

    async def stop(self) -> None:
        """Safe release: rollers stop and go home, depth retracts, airbags vent, heat off.

        Cuts short an apply under way. Sends the STOP of every held hold-to-move key first,
        then the adapter's release, and returns once the status shows the safe state; raises
        :class:`~drivers.session.records.UnsafeStop` (a latched
        :class:`~chairctl.vocabulary.ChairFault` carrying the report) when it does not in
        time, and :class:`~chairctl.vocabulary.LinkError` when the chair cannot be reached.
        The report is :attr:`last_stop` either way. Allowed whatever is latched.
        """
        self._interrupt_apply(Interrupted("stopped"))
        while True:
            recovery = self.connection.recovery
            if recovery is not None and not recovery.done():
                # The reconnection releases the chair itself; its report is this stop's.
                await self._stop_after(recovery)
                return
            if self.link_state is not LinkState.CONNECTED:
                raise LinkError(
                    f"not connected to the chair ({self.link_state}): it cannot be stopped "
                    "from here; use its remote"
                )
            async with self._operation:
                if self.link_state is not LinkState.CONNECTED:
                    continue
                try:
                    report = await self._release_now()
                except LinkError:
                    if self.connection.recovering:
                        continue
                    raise
            self._stopped(report)
            return

    # -- lifecycle ----------------------------------------------------------------------------

    @property
    def link_state(self) -> LinkState:
        """Where the link stands."""
        return self.connection.state

    async def connect(self) -> None:
        """Open a link and wait (bounded) for the chair's first status; sends nothing.

        After a drop that reconnection could not repair, connecting again first sends the
        STOPs still owed and brings the chair to its safe state. Raises
        :class:`~chairctl.vocabulary.LinkError`.

        A chair that reports a fault in its first status is refused before anything moves:
        :class:`~chairctl.vocabulary.ChairFault` saying what the chair reports. The session
        stays connected with the fault latched, so that :meth:`clear_fault` can acknowledge
        it on the chair; a caller that will not, closes the session.
        """
        if self.link_state is LinkState.CLOSED:
            raise LinkError("the session is closed")
        if self.link_state is not LinkState.DISCONNECTED:
            return
        await self.connection.open()
        first = self.feed.latest
        faulted_at_connect = first is not None and first.work_state is WorkState.FAULT
        self.connection.state = LinkState.CONNECTED
        self._emit(Connected(self.clock.now(), self.connection.description))
        interruption = self._interruption
        if self.keys.held or (interruption is not None and not interruption.safe):
            async with self._operation:
                report = await self._release_now()
            if interruption is not None:
                self._interruption = Interruption(
                    interruption.reason, interruption.lost_at, True, report
                )
            if not report.safe:
                self._latch(UnsafeStop(report))
        if faulted_at_connect and first is not None:
            # The fault is latched already (the first status did it); a caller that goes on
            # anyway would only meet it at its first apply, after a start it should not make.
            code = "" if first.error_code is None else f" (error code {first.error_code})"
            raise ChairFault(
                f"the chair reports a fault{code} as chairctl connects; nothing was sent to it "
                "and nothing starts until the fault is dealt with (see the chair's manual for "
                "what it means)",
                error_code=first.error_code,
            )

    async def close(self) -> None:
        """Send the STOPs still owed and close the link. Not a stop: call :meth:`stop` first."""
        if self.link_state is LinkState.CLOSED:
            return
        self._interrupt_apply(Interrupted("the session was closed"))
        await self.connection.stop_recovering()
        async with self._operation:
            if self.connection.link is not None:
                with contextlib.suppress(LinkError):
                    await self.keys.release_all()
            await self.connection.close()
        await self.connection.closed()

    async def wait_recovery(self) -> Interruption | None:
        """Wait for a reconnection under way to end; the latest interruption, if any."""
        recovery = self.connection.recovery
        if recovery is not None and not recovery.done():
            await asyncio.shield(recovery)
        return self._interruption

    # -- latched states -----------------------------------------------------------------------

    @property
    def fault(self) -> ChairFault | None:
        """The latched fault, None when there is none."""
        return self._fault

    def latch(self, fault: ChairFault) -> None:
        """Latch a fault known from elsewhere: one this chair latched in an earlier process,
        which nobody cleared (a chair that protected itself may look switched off). Nothing
        but STOPs is sent until :meth:`clear_fault`."""
        if self._fault is None:
            self._latch(fault)

    async def clear_fault(self) -> None:
        """The user's word that the fault is dealt with: acknowledge it on the chair (which
        then stands by where it stopped) and accept setpoints again. Raises
        :class:`~chairctl.vocabulary.NotConfirmed` if the chair keeps reporting it."""
        if self._fault is None:
            return
        async with self._operation:
            if self.link_state is not LinkState.CONNECTED:
                raise LinkError("not connected to the chair: the fault cannot be cleared")
            status = self.feed.latest
            if status is not None and status.work_state is WorkState.FAULT:
                await self.adapter.acknowledge_fault(_Port(self, for_stop=True))
            self._fault = None
            self.adapter.forget()
            self._emit(FaultCleared(self.clock.now()))

    @property
    def interruption(self) -> Interruption | None:
        """The link drop not yet acknowledged, None when there is none."""
        return self._interruption

    def acknowledge_interruption(self) -> None:
        """The user's word to go on after a link drop; the next :meth:`apply` may run."""
        if self.connection.recovering:
            raise Interrupted("the session is still reconnecting")
        self._interruption = None

    def approximations(self, setpoint: Setpoint) -> list[str]:
        """What this chair can only approximate of ``setpoint``; ask before applying it.

        Raises :class:`~chairctl.vocabulary.Unsupported` for what it cannot do at all.
        """
        return self.adapter.approximations(setpoint)

    # -- internals: operations ----------------------------------------------------------------

    def _ready(self) -> None:
        """Raise why an apply may not run now."""
        if self.link_state is LinkState.CLOSED:
            raise LinkError("the session is closed")
        if self._fault is not None:
            raise ChairFault(
                f"{self._fault} (latched: clear_fault() once it is dealt with)",
                error_code=self._fault.error_code,
            )
        if self.link_state is LinkState.RECONNECTING:
            raise LinkError("the link to the chair dropped; reconnecting")
        if self._interruption is not None:
            state = "made safe" if self._interruption.safe else "NOT confirmed safe"
            raise Interrupted(
                f"the link dropped ({self._interruption.reason}); the chair was {state} and "
                "waits: acknowledge_interruption() to go on"
            )
        if self.link_state is not LinkState.CONNECTED:
            raise LinkError("not connected to the chair")

    def _interrupt_apply(self, error: ChairctlError) -> None:
        interrupt = self._interrupt
        if interrupt is not None and not interrupt.done():
            interrupt.set_result(error)

    async def _wind_down(self, work: asyncio.Future[None]) -> None:
        if not work.done():
            work.cancel()
        await asyncio.wait({work})
        if not work.cancelled():
            work.exception()  # retrieved: it was raised already, or superseded by the cause
        if self.keys.held and self.connection.link is not None:
            # Not sent now (link down)? They stay owed and go out on the next link.
            with contextlib.suppress(LinkError):
                await self.keys.release_all()

    async def _release_now(self) -> StopReport:
        """STOPs owed, then the adapter's release; what happened, as a report."""
        started = self.clock.now()
        stops = await self.keys.release_all()
        await self._status_after_keys()
        try:
            result = await self.adapter.release(_Port(self, for_stop=True))
        except NotConfirmed as error:
            result = Release(False, (str(error),))
        return StopReport(
            safe=result.safe,
            started_at=started,
            finished_at=self.clock.now(),
            settle_started_at=result.settle_started,
            stops_sent=tuple(self.adapter.key_name(key) for key in stops),
            notes=result.notes,
            status=self.feed.latest,
        )

    async def _status_after_keys(self) -> None:
        """Wait (bounded) for a status the chair sent after taking the last key.

        A release judges the chair by its status. A status older than the last key shows the
        chair before that key: a stop a moment after POWER from standby saw "off", called
        the chair safe, and left it switching on and scanning by itself. The chair takes a
        key within its key gap, so a status that arrives after that shows what it made of it.
        """
        shows_keys_from = self.keys.last_sent + self.keys.gap_s
        if self.feed.latest_at >= shows_keys_from:
            return
        deadline = shows_keys_from + self.config.first_status_timeout_s
        await self.feed.wait(lambda _status, at: at >= shows_keys_from, deadline)

    def _stopped(self, report: StopReport) -> None:
        self.last_stop = report
        self._emit(StopConfirmed(self.clock.now(), report.safe))
        if not report.safe:
            error = UnsafeStop(report)
            if self._fault is None:
                self._latch(error)
            raise error

    async def _stop_after(self, recovery: asyncio.Task[None]) -> None:
        try:
            await asyncio.shield(recovery)
        except asyncio.CancelledError:
            task = asyncio.current_task()
            if recovery.cancelled() and (task is None or not task.cancelling()):
                raise LinkError("the session was closed while it reconnected") from None
            raise
        interruption = self._interruption
        if interruption is None:
            raise LinkError("the link to the chair dropped and its outcome is unknown")
        if interruption.report is None:
            raise LinkError(
                f"the link to the chair dropped ({interruption.reason}) and did not come back: "
                "chairctl could not stop the chair; use its remote (its own timer also ends "
                "the session)"
            )
        self._stopped(interruption.report)

    # -- internals: what the link's life means for the session -----------------------------------

    def _on_status(self, status: ChairStatus) -> None:
        mismatch = self.adapter.mismatch(status) if self._fault is None else None
        if mismatch is not None:
            self._latch(ModelMismatch(mismatch))
        if status.work_state is WorkState.FAULT and self._fault is None:
            code = "" if status.error_code is None else f" (error code {status.error_code})"
            # Latched before any waiter sees the status: the apply is cut off first.
            self._latch(
                ChairFault(f"the chair reports a fault{code}", error_code=status.error_code)
            )
        self.feed.push(status)

    def _latch(self, fault: ChairFault) -> None:
        self._fault = fault
        self.adapter.forget()
        self._interrupt_apply(fault)
        self._emit(FaultLatched(self.clock.now(), str(fault)))

    def _on_lost(self, reason: str) -> None:
        self.adapter.forget()
        self._interrupt_apply(LinkError(f"the link to the chair dropped: {reason}"))

    def _on_dropped(self, reason: str, lost_at: float) -> None:
        self._interruption = Interruption(reason, lost_at, False, None)
        self._emit(LinkLost(self.clock.now(), reason))

    async def _release_after_reconnect(self) -> StopReport:
        async with self._operation:
            return await self._release_now()

    def _on_recovered(self, reason: str, lost_at: float, report: StopReport) -> None:
        self._interruption = Interruption(reason, lost_at, True, report)
        self._emit(Reconnected(self.clock.now(), report.safe))
        if not report.safe and self._fault is None:
            self._latch(UnsafeStop(report))

    def _on_gave_up(self, reason: str, lost_at: float) -> None:
        self._interruption = Interruption(reason, lost_at, False, None)
        self._emit(ReconnectFailed(self.clock.now(), self.config.reconnect_attempts))

    def _emit(self, event: ChairEvent) -> None:
        if self._on_event is not None:
            self._on_event(event)


if TYPE_CHECKING:

    def _is_a_chair(session: ChairSession) -> Chair:
        # mypy checks here that a session is the Chair the engine expects.
        return session
