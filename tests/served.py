"""A simulated chair served on a real pty from a thread of the test process, for tests that
run chairctl as a real child process and then read what the chair physically did; and a real
pty to be that child's controlling terminal, which a test can close.

The child reaches the chair as a serial chair (``--chair /dev/pts/N``); the chair runs on its
own event loop in a thread, on a clock sped up by the same factor as the child's ``--speed``
(the app has no ``--speed``: it runs at 1). Killing or signalling the child leaves the chair
here, so its ground truth (rollers, airbags, heat) says whether the child released it.

Real processes mean real time: the waits below are hang guards, never measurements.
"""

from __future__ import annotations

import asyncio
import fcntl
import os
import select
import struct
import subprocess
import termios
import threading
import time
from collections.abc import Callable, Coroutine
from types import TracebackType
from typing import Any, TypeVar

from chairctl.clock import Clock, RealClock, ScaledClock
from chairctl.vocabulary import WorkState
from drivers.families import FAMILIES
from drivers.models import get_model
from simulator.chair import SimulatedChair
from simulator.families import simulated_chair
from simulator.faults import Fault
from simulator.serve import PtyServer
from simulator.trace import PhysicalState

T = TypeVar("T")

#: Every family, by a model that ships with it.
#: One chair of each registered family.
FAMILY_MODELS = tuple(family.example_model for family in FAMILIES.values())


def at_rest(state: PhysicalState) -> bool:
    """The chair's safe state on its ground truth: no rollers, no heat, airbags vented."""
    return (
        state.roller_technique is None
        and not state.heat_on
        and all(pressure < 0.05 for pressure in state.airbags.values())
    )


def switched_on(state: PhysicalState) -> bool:
    """The chair is switched on (its body scan counts): left alone, it goes on to massage."""
    return state.work_state is not WorkState.STANDBY


def standing_by(state: PhysicalState) -> bool:
    """Switched off and at rest: nothing starts again by itself."""
    return state.work_state is WorkState.STANDBY and at_rest(state)


def working(state: PhysicalState) -> bool:
    """The rollers are working (or the airbags pressing): something a stop must undo."""
    return state.roller_technique is not None or any(p > 0.05 for p in state.airbags.values())


class ServedChair:
    """``with ServedChair(model_id, speed) as chair:`` the pty path is :attr:`path`."""

    def __init__(self, model_id: str, speed: float = 1.0) -> None:
        self.model_id = model_id
        self.speed = speed
        self.path = ""
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._chair: SimulatedChair | None = None
        self._server: PtyServer | None = None

    def __enter__(self) -> ServedChair:
        self._thread.start()
        self.path = self._call(self._open())
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._call(self._close())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()

    def state(self) -> PhysicalState:
        """What the chair is physically doing now."""
        return self._call(self._state())

    def wait_for(self, what: Callable[[PhysicalState], bool], limit_s: float = 60.0) -> bool:
        """Poll the chair until ``what`` holds; False after ``limit_s`` real seconds."""
        end = time.monotonic() + limit_s
        while time.monotonic() < end:
            if what(self.state()):
                return True
            time.sleep(0.05)
        return False

    def inject(self, fault: Fault) -> None:
        """Make ``fault`` happen in the chair now."""
        self._call(self._inject(fault))

    def unplug(self) -> None:
        """Pull the chair's cable: the pty closes, the chair goes on with what it was doing."""
        self._call(self._unplug())

    def _call(self, work: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(work, self._loop).result(timeout=30)

    async def _open(self) -> str:
        clock: Clock = RealClock() if self.speed == 1 else ScaledClock(self.speed)
        self._chair = simulated_chair(get_model(self.model_id), clock, transport="wired")
        self._server = PtyServer(self._chair)
        return self._server.open()

    async def _state(self) -> PhysicalState:
        assert self._chair is not None
        return self._chair.state()

    async def _inject(self, fault: Fault) -> None:
        assert self._chair is not None
        self._chair.inject(fault)

    async def _unplug(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None

    async def _close(self) -> None:
        await self._unplug()
        if self._chair is not None:
            self._chair.close()


class Terminal:
    """A real pty as a child's controlling terminal; what the child writes is drained."""

    def __init__(self, rows: int = 40, columns: int = 120) -> None:
        self.master, self.slave = os.openpty()
        size = struct.pack("HHHH", rows, columns, 0, 0)
        fcntl.ioctl(self.slave, termios.TIOCSWINSZ, size)
        self._reading = True
        self.output = bytearray()
        self._reader = threading.Thread(target=self._drain, daemon=True)

    def spawn(self, argv: list[str], env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
        def controlling_terminal() -> None:
            # In the child, after setsid: the pty on its stdin becomes its terminal, so
            # closing the master hangs it up, as closing a terminal window does.
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)

        process = subprocess.Popen(
            argv,
            stdin=self.slave,
            stdout=self.slave,
            stderr=self.slave,
            start_new_session=True,
            env=env,
            preexec_fn=controlling_terminal,  # noqa: PLW1509 - only an ioctl, no locks
        )
        os.close(self.slave)
        self._reader.start()
        return process

    def _drain(self) -> None:
        while self._reading:
            ready, _, _ = select.select([self.master], [], [], 0.1)
            if not ready:
                continue
            try:
                data = os.read(self.master, 4096)
            except OSError:
                return
            if not data:
                return
            self.output += data

    def hang_up(self) -> None:
        """Close the terminal: the kernel sends the child SIGHUP, and its writes fail."""
        self._reading = False
        self._reader.join(timeout=5)
        os.close(self.master)

    def write(self, text: str) -> None:
        os.write(self.master, text.encode())
