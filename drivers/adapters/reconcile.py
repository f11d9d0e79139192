"""The one reconcile loop: from the latest status to the next action, until they agree.

Every family reconciles the same way. Each turn reads the latest status, asks the family for
the one action that brings the chair closest to its targets, performs it (the status judges
it: the toggle rule of :mod:`drivers.adapters.confirm`, or a set shown in a report), then reads
again. Every decision starts from what the chair reports, so a chair that changed by itself
(its own timer, its remote) is planned from where it really is. A chair that never settles
(something keeps undoing the work) ends the run after the family's most actions with one
:class:`~chairctl.vocabulary.NotConfirmed`.

The loop lives here once, in :class:`ReconcileLoop`; a family brings only what differs: how it
reads a status, the step it decides on, how it performs its steps, what one run keeps across
them, and what it does once the status matches. :class:`Await`, the step of a family that must
let the chair finish something of its own (a body scan, a return home, a posture move), is
performed here too.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar, Generic, TypeVar

from chairctl.vocabulary import ChairStatus, NotConfirmed
from drivers.adapters.base import Port

#: What a family aims the chair at (its targets for one setpoint).
TargetsT = TypeVar("TargetsT")
#: A status as the family plans from it (the status itself, or the family's view of it).
SeenT = TypeVar("SeenT")
#: The family's steps.
StepT = TypeVar("StepT")
#: What one run keeps across its steps (the refutations counted so far).
RunT = TypeVar("RunT")


@dataclass(frozen=True)
class Await:
    """Send nothing until the chair is done with something of its own."""

    #: What is waited for, as people read it ("the body scan").
    label: str
    done: Callable[[ChairStatus], bool]
    #: How long it may take, from when the wait begins.
    limit_s: float
    #: Only a status that arrived at this clock time or later counts.
    after: float = -math.inf


class ReconcileLoop(ABC, Generic[TargetsT, SeenT, StepT, RunT]):
    """Brings one chair to a family's targets, one performed step at a time.

    :meth:`run` is the only run loop; the family supplies the hooks.
    """

    #: More actions than any setpoint of the family needs: reaching it means the chair keeps
    #: undoing the work.
    max_steps: ClassVar[int]

    async def run(self, targets: TargetsT, port: Port) -> None:
        """Act until the status matches ``targets``; :class:`NotConfirmed` if it will not."""
        run = self.begin_run(port)
        for _ in range(self.max_steps):
            seen = self.observe(port)
            step = self.decide(targets, seen, port.clock.now())
            if step is None:
                self.reached(targets, seen)
                return
            await self.perform(step, port, run)
        raise NotConfirmed(
            f"the chair did not settle on the setpoint after {self.max_steps} actions: "
            "something keeps changing it (is the remote in use?)"
        )

    @abstractmethod
    def begin_run(self, port: Port) -> RunT:
        """What one run keeps across its steps, fresh for each run: each setpoint has its own
        attempts."""

    @abstractmethod
    def observe(self, port: Port) -> SeenT:
        """The latest status on ``port`` as the family plans from it. A status that ends the
        run before any decision (a fault only the family can read) raises here."""

    @abstractmethod
    def decide(self, targets: TargetsT, seen: SeenT, now: float) -> StepT | None:
        """The one step to take at ``now``, or None when ``seen`` already matches
        ``targets``."""

    def reached(self, targets: TargetsT, seen: SeenT) -> None:
        """``seen`` matches ``targets``: what the family notes before the run returns (most
        families nothing)."""

    @abstractmethod
    async def perform(self, step: StepT, port: Port, run: RunT) -> None:
        """Perform ``step`` and let the status judge it. A step the status refutes returns
        (the next turn plans again from that status) until its attempts are spent."""

    def describe(self, status: ChairStatus) -> str:
        """What ``status`` shows, in words, for a message that names it."""
        return str(status.work_state)

    async def await_done(self, step: Await, port: Port) -> None:
        """Send nothing until a status shows ``step`` done, for at most its limit;
        :class:`NotConfirmed` naming it and what the status shows when it is not."""
        done, since = step.done, step.after
        got = await port.wait(
            lambda s, at: at >= since and done(s), deadline=port.clock.now() + step.limit_s
        )
        if got is None:
            raise NotConfirmed(
                f"waited {step.limit_s:g} s for {step.label}; the status shows "
                f"{self.describe(port.status)}"
            )
