"""The simulated Tuya MCU chair: module frames in, answers and reports out, on one wire.

Puts the MCU (:mod:`.firmware`) behind the chair's side of the Tuya serial protocol: the
module-frame parser, and the MCU's answers (``docs/protocols/tuya.md``). The MCU never speaks
first except to report a DP that changed by itself; the driver polls it with DP queries and
heartbeats. A report carries each DP in a frame of its own, as real MCUs answer a DP query, or
every DP in one frame (``ChairOptions.frame_per_value``). The frames of one instant leave
back to back in one write, as a UART sends them; the frame faults (a dropped or damaged frame)
strike such a burst as a whole. A product that applies only the
first record of a deliver (``protocol.one_dp_per_deliver``, as the neck massager's
``app_dp_handle`` does) ignores the rest. Answers leave on a clock timer at the instant the
question arrived, never from inside the controller's write, as a UART answer arrives after the
question was sent.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from chairctl.clock import Clock, TimerHandle
from chairctl.vocabulary import ProtocolError, WorkState
from drivers.models.common import Transport
from drivers.models.tuya import TuyaModel
from simulator.chair import SimulatedChair
from simulator.config import ChairOptions, Sitter
from simulator.faults import Motor
from simulator.link import Connection
from simulator.tuya.datapoints import DpTable, Value
from simulator.tuya.firmware import Mcu
from simulator.tuya.frames import (
    DP_DELIVER,
    DP_QUERY,
    HEARTBEAT,
    NETWORK_STATUS,
    QUERY_PRODUCT,
    WORK_MODE,
    HeartbeatReplies,
    ModuleFrame,
    ModuleFrameParser,
    dp_report,
    mcu_frame,
    product_info_reply,
    split_records,
)

#: What the MCU says its firmware version is in the product answer.
FIRMWARE_VERSION = "1.0.0"


class TuyaChair(SimulatedChair):
    """One simulated chair of ``model`` whose MCU speaks the Tuya serial protocol."""

    model: TuyaModel

    def __init__(
        self,
        model: TuyaModel,
        clock: Clock,
        *,
        sitter: Sitter | None = None,
        options: ChairOptions | None = None,
    ) -> None:
        super().__init__(
            model,
            clock,
            transport="wired",
            period_ms=model.protocol.query_period_ms,
            sitter=sitter,
            options=options,
        )
        self.mcu = Mcu(model, clock, self.body, self.options, self._send_report)
        self.table: DpTable = self.mcu.table
        self._parser = ModuleFrameParser()
        self._heartbeats = HeartbeatReplies()
        self._outbox: list[bytes] = []
        self._flush: TimerHandle | None = None
        #: DP records the MCU ignored (unknown id, wrong kind, out of range, report-only),
        #: delivers it could not split into records, and frames of commands it does not take.
        self.records_ignored = 0
        self.delivers_malformed = 0
        self.commands_ignored = 0

    @property
    def periodic(self) -> bool:
        return False

    @property
    def work_state(self) -> WorkState:
        return self.mcu.work_state

    @property
    def values(self) -> dict[str, Value]:
        """Every DP's current value by code (enums by name), as a report would carry them."""
        return dict(self.mcu.values)

    def connect(
        self,
        on_data: Callable[[bytes], None] | None = None,
        on_close: Callable[[str], None] | None = None,
    ) -> Connection:
        link = super().connect(on_data, on_close)
        # A new controller on the line: half a frame left by the last one is not its.
        self._parser = ModuleFrameParser()
        self._outbox.clear()
        return link

    # -- frames from the module -------------------------------------------------------------

    def receive(self, data: bytes) -> None:
        for frame in self._parser.feed(data):
            self._take(frame)

    def _take(self, frame: ModuleFrame) -> None:
        command = frame.command
        if command == HEARTBEAT:
            self._send(self._heartbeats.reply())
        elif command == QUERY_PRODUCT:
            self._send(product_info_reply(self.model.id, FIRMWARE_VERSION, 0))
        elif command == DP_QUERY:
            self._send_report(self.table.codes)
        elif command == DP_DELIVER:
            self._deliver(frame.payload)
        elif command in (WORK_MODE, NETWORK_STATUS):
            # Empty answers: the module shows the network state itself (work mode), and the
            # MCU notes a network state it has no use for.
            self._send(mcu_frame(command))
        else:
            self.commands_ignored += 1

    def _deliver(self, payload: bytes) -> None:
        try:
            records = split_records(payload)
        except ProtocolError:
            records = []
            self.delivers_malformed += 1
        for dpid, _, _ in records:
            self.heard(dpid)
        if self.model.protocol.one_dp_per_deliver and len(records) > 1:
            self.records_ignored += len(records) - 1
            records = records[:1]
        taken: list[tuple[str, Value | None]] = []
        for dpid, kind, body in records:
            spec = self.table.by_id.get(dpid)
            value = None if spec is None else spec.read(kind, body)
            if value is None:
                self.records_ignored += 1
            if spec is not None:
                taken.append((spec.code, value))
        codes = self.mcu.deliver(taken)
        # A deliver that names no DP of this product still gets an answer: every DP.
        self._send_report(codes or self.table.codes)

    # -- frames to the module ---------------------------------------------------------------

    def _send_report(self, codes: Iterable[str]) -> None:
        records = self.table.records(self.mcu.values, tuple(codes))
        if not self.options.frame_per_value:
            self._send(dp_report(records))
            return
        for record in records:
            self._send(dp_report([record]))

    def _send(self, frame: bytes) -> None:
        self._outbox.append(frame)
        if self._flush is None:
            self._flush = self.clock.call_at(self.clock.now(), self._send_all)

    def _send_all(self) -> None:
        self._flush = None
        frames, self._outbox = self._outbox, []
        self.send_frame(b"".join(frames))

    # -- faults -----------------------------------------------------------------------------

    def overload(self, motor: Motor) -> None:
        # The fault bitmap has one overload bit, whichever motor it was.
        self.mcu.overload()

    def fail_limit_switches(self) -> None:
        self.mcu.fail_limit_switches()

    def shutdown(self) -> None:
        if self._flush is not None:
            self._flush.cancel()
            self._flush = None
        self._outbox.clear()
        self.mcu.shutdown()


def simulate(
    model: TuyaModel,
    clock: Clock,
    transport: Transport,
    sitter: Sitter | None,
    options: ChairOptions | None,
) -> TuyaChair:
    """The simulated chair of ``model`` (:mod:`simulator.families` registers it)."""
    del transport  # one wired port
    return TuyaChair(model, clock, sitter=sitter, options=options)
