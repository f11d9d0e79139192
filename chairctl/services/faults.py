"""A chair's latched fault outlives the process that saw it.

Faults latch: after one, nothing but STOPs goes to the chair until a person says it was
checked. That word must survive the process. A chair whose status cannot show a fault, and
that protected itself (a motor overload, an actuator's watchdog), looks exactly like one
switched off, so a new ``chairctl`` would take it for a chair that is fine and switch it on
again; a chair that can show one forgets it when power-cycled by hand. So each fault a
session latches is kept in the store under the chair's address, and a later session to that
chair starts with it latched, until the person clears it (the app's ``f``, or ``chairctl run
--fault-checked``).

The built-in simulated chair is new in every process: nothing is kept for it.
"""

from __future__ import annotations

from datetime import datetime

from chairctl.services.chairs import ChairAddress
from chairctl.store import Store
from chairctl.vocabulary import ChairctlError, ChairFault
from chairctl.vocabulary.chair_events import ChairEvent, FaultCleared, FaultLatched
from drivers.chair import ChairSession


class RememberedFault(ChairFault):
    """A fault this chair latched in an earlier session, which nobody has cleared."""


def _when(moment: datetime) -> str:
    return moment.astimezone().strftime("%d %B at %H:%M")


class FaultMemory:
    """Keeps ``address``'s latched faults in ``store`` (none without a store, or for the
    built-in simulated chair); :meth:`on_event` listens to the chair session."""

    def __init__(self, store: Store | None, address: ChairAddress) -> None:
        self._store = store if address.kind != "sim" else None
        self._chair = str(address)
        #: The first failure to keep or forget a fault, said once by the front end.
        self.trouble: str | None = None
        self._recalling = False

    def recall(self, session: ChairSession) -> RememberedFault | None:
        """Latch the fault kept for this chair, if any, on ``session``; the fault."""
        if self._store is None:
            return None
        kept = self._store.remembered_fault(self._chair)
        if kept is None:
            return None
        message, at = kept
        fault = RememberedFault(
            f"this chair reported a fault on {_when(at)} ({message}) and nobody has cleared it "
            "since: check the chair, then clear the fault (the app's f, or chairctl run "
            "--fault-checked)"
        )
        self._recalling = True  # its own FAULT event is not a new fault to keep
        try:
            session.latch(fault)
        finally:
            self._recalling = False
        return fault

    def forget(self) -> None:
        """A person checked the chair: forget its fault."""
        if self._store is not None:
            self._store.forget_fault(self._chair)

    def on_event(self, event: ChairEvent) -> None:
        """Keep a fault the session latched; forget it once it is cleared."""
        if self._store is None or self._recalling:
            return
        try:
            if isinstance(event, FaultLatched):
                self._store.remember_fault(self._chair, event.message)
            elif isinstance(event, FaultCleared):
                self._store.forget_fault(self._chair)
        except ChairctlError:
            # A store in trouble must not break the session's own event path: said once.
            self.trouble = self.trouble or "the chair's fault could not be kept in the database"
