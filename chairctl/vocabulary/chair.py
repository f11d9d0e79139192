"""The :class:`Chair` interface: what the engine needs from any chair, real or simulated."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Protocol

from chairctl.vocabulary.capabilities import ChairCapabilities
from chairctl.vocabulary.state import ChairStatus, Setpoint


class Chair(Protocol):
    """A connected chair that can be asked to reach a Setpoint and to stop safely."""

    @property
    def capabilities(self) -> ChairCapabilities:
        """What this chair can do."""
        ...

    @property
    def status(self) -> ChairStatus | None:
        """The latest status the chair reported, None before the first one."""
        ...

    def statuses(self) -> AsyncIterator[ChairStatus]:
        """Every status from now on, as the chair reports them.

        A lost link is raised once, in its turn, as :class:`LinkError`: statuses may have been
        missed and the chair has been released, so a session reading them must end. A chair
        that stops reporting counts as lost: the chair keeps the one status watchdog (no status
        for a few seconds raises the same way), so whoever reads its statuses needs none.
        """
        ...

    def expect_session(self, seconds: float) -> None:
        """Tell the chair how long the session will run, so its own timer (the last-resort
        stop should the controller fail) is set no longer than the session needs."""
        ...

    def restarts_for(self, setpoint: Setpoint) -> bool:
        """True when reaching ``setpoint`` from where the chair is takes it through a restart
        (it stops, returns home and starts again), which ends every contact with the body."""
        ...

    async def apply(self, setpoint: Setpoint) -> None:
        """Drive the chair toward ``setpoint``; returns once the chair confirms it."""
        ...

    async def stop(self) -> None:
        """Safe release: rollers stop, depth retracts, airbags vent, heat off."""
        ...
