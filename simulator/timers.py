"""Named one-shot timers on a Clock, as a simulated firmware keeps them.

A firmware has one timer per purpose (the scan, the idle wait, the session, the settle cap):
arming one again replaces the earlier one of that name, and a state change cancels some or all
of them. The name is any hashable key, so the same holder serves timers kept per part.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from chairctl.clock import Clock, TimerHandle

K = TypeVar("K", bound=Hashable)


class NamedTimers(Generic[K]):
    """At most one pending timer per name on ``clock``."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self._handles: dict[K, TimerHandle] = {}

    def at(self, name: K, when: float, callback: Callable[[], None]) -> None:
        """Call ``callback`` at ``when``, in place of any timer of that name still pending."""
        self.cancel(name)

        def fire() -> None:
            # Forgotten before the callback runs, so the callback may arm the name again.
            self._handles.pop(name, None)
            callback()

        self._handles[name] = self.clock.call_at(when, fire)

    def pending(self, name: K) -> bool:
        """True while a timer of that name is armed and has not fired."""
        return name in self._handles

    def cancel(self, name: K) -> None:
        """Keep the timer of that name from firing (nothing when there is none)."""
        handle = self._handles.pop(name, None)
        if handle is not None:
            handle.cancel()

    def cancel_all(self) -> None:
        """Cancel every pending timer."""
        for name in list(self._handles):
            self.cancel(name)
