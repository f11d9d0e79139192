"""A simulated chair as a controller meets it: one link, bytes in, frames out, ground truth.

:class:`SimulatedChair` is what every protocol family's simulated chair shares: the body and
its trace on one Clock, one controller at a time (as a real chair's BLE module and panel port
take), the fault injector, and the status-frame timer of a chair that reports on its own.
Each family adds its firmware and its side of the wire (``simulator/F/chair.py``);
:func:`simulator.families.simulated_chair` builds the right one for a model.
"""

from __future__ import annotations

import math
import random
from abc import ABC, abstractmethod
from collections.abc import Callable

from chairctl.clock import Clock, TimerHandle
from chairctl.vocabulary import LinkError, WorkState
from drivers.models import ChairModel
from drivers.models.schema import Transport
from simulator.config import ChairOptions, Sitter
from simulator.errors import SimulatorError
from simulator.faults import (
    CorruptFrames,
    DropFrames,
    Fault,
    LimitSwitchFailure,
    LinkDrop,
    Motor,
    Overload,
    ScheduledFault,
)
from simulator.link import Connection
from simulator.physics.body import Body
from simulator.trace import PhysicalState, Trace


class SimulatedChair(ABC):
    """One simulated chair of ``model`` on ``clock``, reached over ``transport``.

    A family sends its frames with :meth:`send_frame` (which applies the frame faults), either
    on the periodic timer (:meth:`status_frame`, every :attr:`period`) or as answers.
    """

    def __init__(
        self,
        model: ChairModel,
        clock: Clock,
        *,
        transport: Transport,
        period_ms: int,
        sitter: Sitter | None = None,
        options: ChairOptions | None = None,
    ) -> None:
        if transport not in model.transports:
            raise SimulatorError(f"chair model {model.id} cannot be reached over {transport}")
        self.model = model
        self.clock = clock
        #: The kind of link the chair is reached on.
        self.transport: Transport = transport
        self.options = options or ChairOptions()
        self._period_ms = period_ms
        #: Seconds between two status frames (or, for a chair that reports only when asked,
        #: between two of the driver's questions): the pace of a frame slot.
        self.period = period_ms / 1000
        self.start = clock.now()
        self.body = Body(model, sitter or Sitter(), self.options, self.start, horizon=clock.now)
        self._link: Connection | None = None
        self._key_listeners: list[Callable[[int], None]] = []
        self._frame_timer: TimerHandle | None = None
        self._frame_index = 0
        self._drop_left = 0
        self._corrupt_left = 0
        self._rng = random.Random(self.options.seed)
        self._fault_timers: list[TimerHandle] = []
        #: Frames sent, dropped and corrupted, for tests and diagnostics.
        self.frames_sent = 0
        self.frames_dropped = 0
        self.frames_corrupted = 0

    # -- what each family provides ------------------------------------------------------------

    @property
    @abstractmethod
    def work_state(self) -> WorkState:
        """What the firmware is doing, in the vocabulary's terms."""

    @property
    def periodic(self) -> bool:
        """True when the chair sends :meth:`status_frame` every :attr:`period` on its own."""
        return True

    def status_frame(self) -> bytes:
        """The status frame the chair would send now (for a chair that sends them)."""
        raise SimulatorError(f"a {self.model.family} chair sends no periodic status frame")

    @abstractmethod
    def receive(self, data: bytes) -> None:
        """Bytes from the controller, in any chunking."""

    @abstractmethod
    def overload(self, motor: Motor) -> None:
        """A motor overload: the firmware faults (as far as the family can show it)."""

    @abstractmethod
    def fail_limit_switches(self) -> None:
        """The actuators' limit switches stop reporting."""

    @abstractmethod
    def shutdown(self) -> None:
        """Cancel the firmware's timers (the chair is being thrown away)."""

    # -- the link ---------------------------------------------------------------------------

    @property
    def trace(self) -> Trace:
        """The ground-truth record of what the chair physically did."""
        return self.body.trace

    @property
    def connected(self) -> bool:
        """True while a controller is attached."""
        return self._link is not None

    def connect(
        self,
        on_data: Callable[[bytes], None] | None = None,
        on_close: Callable[[str], None] | None = None,
    ) -> Connection:
        """Attach a controller; :class:`LinkError` while another one is attached.

        Frames go to ``on_data`` (or the connection's queue, see :meth:`Connection.read`)
        from the next frame slot on. ``on_close`` hears why the link closed when it does.
        """
        if self._link is not None:
            raise LinkError("the chair already has a controller connected (one at a time)")
        link = Connection(self.receive, self._release, on_data, on_close)
        self._link = link
        if self.periodic:
            self._schedule_frame(self.clock.now())
        return link

    def _release(self, link: Connection) -> None:
        if self._link is link:
            self._link = None
            if self._frame_timer is not None:
                self._frame_timer.cancel()
                self._frame_timer = None

    def listen_keys(self, listener: Callable[[int], None]) -> None:
        """Call ``listener`` with each command as its last byte arrives, before the firmware
        acts on it (for benchmarks and tools that time what reaches the chair): a key code,
        or for a set-state chair the id of each data point set."""
        self._key_listeners.append(listener)

    def heard(self, command: int) -> None:
        """A family's receiver calls this with each command it takes off the wire."""
        for listener in self._key_listeners:
            listener(command)

    # -- frames -------------------------------------------------------------------------------

    def send_frame(self, frame: bytes) -> bool:
        """Send one frame to the controller, through the frame faults; True when it went."""
        link = self._link
        if link is None:
            return False
        if self._drop_left:
            self._drop_left -= 1
            self.frames_dropped += 1
            return False
        if self._corrupt_left:
            self._corrupt_left -= 1
            self.frames_corrupted += 1
            frame = self._corrupt(frame)
        self.frames_sent += 1
        link.deliver(frame)
        return True

    def _schedule_frame(self, after: float) -> None:
        # Frames keep a fixed grid from the chair's start, so reconnecting does not shift them.
        index = max(self._frame_index, math.floor((after - self.start) / self.period + 1e-9) + 1)
        self._frame_index = index
        self._frame_timer = self.clock.call_at(self._frame_time(index), self._send_status)

    def _frame_time(self, index: int) -> float:
        # Whole milliseconds first, then seconds: frame k lands on k * 0.2 exactly as written,
        # not a rounding error later, which keeps "the frame at 1.2 s" at 1.2 s.
        return self.start + index * self._period_ms / 1000

    def _send_status(self) -> None:
        if self._link is None:
            return
        self._frame_index += 1
        self._frame_timer = self.clock.call_at(
            self._frame_time(self._frame_index), self._send_status
        )
        self.send_frame(self.status_frame())

    def _corrupt(self, frame: bytes) -> bytes:
        # Flip low bits of one byte: a body byte then breaks the checksum, a marker the framing.
        damaged = bytearray(frame)
        index = self._rng.randrange(len(damaged))
        damaged[index] ^= self._rng.randrange(1, 0x80)
        return bytes(damaged)

    def state(self) -> PhysicalState:
        """The physical state now (from the trace)."""
        return self.trace.state_at(self.clock.now())

    # -- faults -----------------------------------------------------------------------------

    def inject(self, fault: Fault) -> None:
        """Make ``fault`` happen now."""
        match fault:
            case Overload(motor=motor):
                self.overload(motor)
            case LimitSwitchFailure():
                self.fail_limit_switches()
            case CorruptFrames(count=count):
                self._corrupt_left += count
            case DropFrames(count=count):
                self._drop_left += count
            case LinkDrop():
                if self._link is not None:
                    self._link.sever("the chair dropped the link (injected fault)")

    def schedule(self, planned: ScheduledFault) -> None:
        """Make a fault happen ``planned.after`` seconds after the chair started."""
        self._fault_timers.append(
            self.clock.call_at(self.start + planned.after, lambda: self.inject(planned.fault))
        )

    def close(self) -> None:
        """Hang up any controller and cancel every timer."""
        if self._link is not None:
            self._link.sever("the chair was shut down")
        for timer in self._fault_timers:
            timer.cancel()
        self.shutdown()
