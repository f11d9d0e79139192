"""A simulated chair as a controller meets it: one link, key frames in, status frames out.

:class:`SimulatedChair` puts together the firmware, the body and its trace, the framing and
the fault injector, all on one Clock. It sends a status frame every ``period_ms`` of the
chosen form while a controller is connected, and accepts one controller at a time, as a real
chair's BLE module and hand-controller port do.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable

from chairctl.clock import Clock, TimerHandle
from chairctl.vocabulary import LinkError
from drivers.models import ChairModel
from simulator.config import ChairOptions, Sitter
from simulator.errors import SimulatorError
from simulator.faults import (
    CorruptFrames,
    DropFrames,
    Fault,
    LimitSwitchFailure,
    LinkDrop,
    Overload,
    ScheduledFault,
)
from simulator.link import Connection
from simulator.physics.body import Body
from simulator.rongtai.codes import ErrorCode
from simulator.rongtai.firmware import Mainboard
from simulator.rongtai.frames import Form, KeyFrameParser, Layout, StatusImage, layout_for
from simulator.rongtai.report import status_image
from simulator.trace import PhysicalState, Trace

_OVERLOAD_CODES = {
    "walk": ErrorCode.WALK_OVERLOAD,
    "knead": ErrorCode.KNEAD_OVERLOAD,
    "knock": ErrorCode.KNOCK_OVERLOAD,
    "foot-roller": ErrorCode.FOOT_ROLLER_OVERLOAD,
}


class SimulatedChair:
    """One simulated chair of ``model`` on ``clock``, sending status frames in ``form``."""

    def __init__(
        self,
        model: ChairModel,
        clock: Clock,
        *,
        form: Form = "ble",
        sitter: Sitter | None = None,
        options: ChairOptions | None = None,
    ) -> None:
        if model.protocol.family != "rongtai-h10":
            raise SimulatorError(f"no simulated firmware for protocol {model.protocol.family}")
        self.model = model
        self.clock = clock
        self.form: Form = form
        self.layout: Layout = layout_for(model, form)
        self.options = options or ChairOptions()
        self._period_ms = model.protocol.status_forms[form].period_ms
        #: Status frame period in seconds.
        self.period = self._period_ms / 1000
        self.start = clock.now()
        self.body = Body(model, sitter or Sitter(), self.options, self.start, horizon=clock.now)
        self.board = Mainboard(model, clock, self.body, self.options)
        self._parser = KeyFrameParser(verify_checksum=self.options.verify_key_checksum)
        self._link: Connection | None = None
        self._key_listeners: list[Callable[[int], None]] = []
        self._frame_timer: TimerHandle | None = None
        self._frame_index = 0
        self._drop_left = 0
        self._corrupt_left = 0
        self._rng = random.Random(self.options.seed)
        self._fault_timers: list[TimerHandle] = []
        #: Status frames sent, dropped and corrupted, for tests and diagnostics.
        self.frames_sent = 0
        self.frames_dropped = 0
        self.frames_corrupted = 0

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

        Status frames go to ``on_data`` (or the connection's queue, see
        :meth:`Connection.read`) from the next frame slot on. ``on_close`` hears why the
        link closed when it does.
        """
        if self._link is not None:
            raise LinkError("the chair already has a controller connected (one at a time)")
        link = Connection(self._receive, self._release, on_data, on_close)
        self._link = link
        self._schedule_frame(self.clock.now())
        return link

    def _release(self, link: Connection) -> None:
        if self._link is link:
            self._link = None
            if self._frame_timer is not None:
                self._frame_timer.cancel()
                self._frame_timer = None

    def listen_keys(self, listener: Callable[[int], None]) -> None:
        """Call ``listener`` with each key as its frame's last byte arrives, before the
        firmware acts on it (for benchmarks and tools that time what reaches the chair)."""
        self._key_listeners.append(listener)

    def _receive(self, data: bytes) -> None:
        for frame in self._parser.feed(data):
            for listener in self._key_listeners:
                listener(frame.key)
            self.board.press(frame.key)

    def press(self, key: int) -> None:
        """Press one key directly, as if a valid frame had carried it (for tests and tools)."""
        self.board.press(key)

    # -- status frames ----------------------------------------------------------------------

    def _schedule_frame(self, after: float) -> None:
        # Frames keep a fixed grid from the chair's start, so reconnecting does not shift them.
        index = max(self._frame_index, math.floor((after - self.start) / self.period + 1e-9) + 1)
        self._frame_index = index
        self._frame_timer = self.clock.call_at(self._frame_time(index), self._send_frame)

    def _frame_time(self, index: int) -> float:
        # Whole milliseconds first, then seconds: frame k lands on k * 0.2 exactly as written,
        # not a rounding error later, which keeps "the frame at 1.2 s" at 1.2 s.
        return self.start + index * self._period_ms / 1000

    def _send_frame(self) -> None:
        link = self._link
        if link is None:
            return
        self._frame_index += 1
        self._frame_timer = self.clock.call_at(
            self._frame_time(self._frame_index), self._send_frame
        )
        if self._drop_left:
            self._drop_left -= 1
            self.frames_dropped += 1
            return
        frame = self.status_image().encode(self.layout)
        if self._corrupt_left:
            self._corrupt_left -= 1
            self.frames_corrupted += 1
            frame = self._corrupt(frame)
        self.frames_sent += 1
        link.deliver(frame)

    def _corrupt(self, frame: bytes) -> bytes:
        # Flip low bits of one byte: a body byte then breaks the checksum, a marker the framing.
        damaged = bytearray(frame)
        index = self._rng.randrange(len(damaged))
        damaged[index] ^= self._rng.randrange(1, 0x80)
        return bytes(damaged)

    def status_image(self) -> StatusImage:
        """What a status frame would say now."""
        return status_image(self.board, self.clock.now())

    def state(self) -> PhysicalState:
        """The physical state now (from the trace)."""
        return self.trace.state_at(self.clock.now())

    # -- faults -----------------------------------------------------------------------------

    def inject(self, fault: Fault) -> None:
        """Make ``fault`` happen now."""
        match fault:
            case Overload(motor=motor):
                self.board.overload(_OVERLOAD_CODES[motor])
            case LimitSwitchFailure():
                self.board.fail_limit_switches()
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
        self.board.shutdown()
