"""The simulated Rongtai H10 chair: key frames in, status frames out on a fixed grid.

Puts the H10 mainboard (:mod:`.firmware`) behind the chair's side of the wire: the key-frame
parser, and a status frame of the chosen form every ``period_ms`` while a controller is
connected (``docs/protocols/rongtai.md``).
"""

from __future__ import annotations

from chairctl.clock import Clock
from chairctl.vocabulary import WorkState
from drivers.models.common import Transport
from drivers.models.rongtai import RongtaiModel
from simulator.chair import SimulatedChair
from simulator.config import ChairOptions, Sitter
from simulator.faults import Motor
from simulator.rongtai.codes import ErrorCode
from simulator.rongtai.firmware import Mainboard
from simulator.rongtai.frames import Form, KeyFrameParser, Layout, StatusImage, layout_for
from simulator.rongtai.report import status_image

_OVERLOAD_CODES = {
    "walk": ErrorCode.WALK_OVERLOAD,
    "knead": ErrorCode.KNEAD_OVERLOAD,
    "knock": ErrorCode.KNOCK_OVERLOAD,
    "foot-roller": ErrorCode.FOOT_ROLLER_OVERLOAD,
}


class RongtaiChair(SimulatedChair):
    """One simulated H10 chair of ``model``, sending status frames in ``form``."""

    model: RongtaiModel

    def __init__(
        self,
        model: RongtaiModel,
        clock: Clock,
        *,
        form: Form = "ble",
        sitter: Sitter | None = None,
        options: ChairOptions | None = None,
    ) -> None:
        # First: it says clearly when the model has no status form for this link.
        layout = layout_for(model, form)
        super().__init__(
            model,
            clock,
            transport=form,
            period_ms=model.protocol.status_forms[form].period_ms,
            sitter=sitter,
            options=options,
        )
        self.form: Form = form
        self.layout: Layout = layout
        self.board = Mainboard(model, clock, self.body, self.options)
        self._parser = KeyFrameParser(verify_checksum=self.options.verify_key_checksum)

    @property
    def work_state(self) -> WorkState:
        return self.board.phase.work_state

    def receive(self, data: bytes) -> None:
        for frame in self._parser.feed(data):
            self.heard(frame.key)
            self.board.press(frame.key)

    def press(self, key: int) -> None:
        """Press one key directly, as if a valid frame had carried it (for tests and tools)."""
        self.board.press(key)

    def status_frame(self) -> bytes:
        return self.status_image().encode(self.layout)

    def status_image(self) -> StatusImage:
        """What a status frame would say now."""
        return status_image(self.board, self.clock.now())

    def overload(self, motor: Motor) -> None:
        self.board.overload(_OVERLOAD_CODES[motor])

    def fail_limit_switches(self) -> None:
        self.board.fail_limit_switches()

    def shutdown(self) -> None:
        self.board.shutdown()


def simulate(
    model: RongtaiModel,
    clock: Clock,
    transport: Transport,
    sitter: Sitter | None,
    options: ChairOptions | None,
) -> RongtaiChair:
    """The simulated chair of ``model`` (:mod:`simulator.families` registers it)."""
    return RongtaiChair(model, clock, form=transport, sitter=sitter, options=options)
