"""The simulated Korean wired-remote chair: button codes in, beeps and the display out.

Puts the board (:mod:`.firmware`) behind the chair's side of the remote's two lines: the
command line (:mod:`.remote`), which turns ``~XXXX\\r`` frames into codes, and the status line,
on which the chair sends an acknowledgement when a button is taken and, every
``model.protocol.status_period_ms`` while a controller is connected, its long status and then
its short status (:mod:`.frames`; the order of the two is [assumed]). The chair is reached on
its wired remote port only.
"""

from __future__ import annotations

from chairctl.clock import Clock
from chairctl.vocabulary import WorkState
from drivers.models.common import Transport
from drivers.models.korean import KoreanModel
from simulator.chair import SimulatedChair
from simulator.config import ChairOptions, Sitter
from simulator.faults import Motor
from simulator.korean.firmware import Board
from simulator.korean.frames import LongStatus, ShortStatus, ack_frame
from simulator.korean.remote import RemoteLine


class KoreanChair(SimulatedChair):
    """One simulated Korean wired-remote chair of ``model``."""

    model: KoreanModel

    def __init__(
        self,
        model: KoreanModel,
        clock: Clock,
        *,
        sitter: Sitter | None = None,
        options: ChairOptions | None = None,
    ) -> None:
        super().__init__(
            model,
            clock,
            transport="wired",
            period_ms=model.protocol.status_period_ms,
            sitter=sitter,
            options=options,
        )
        self.board = Board(model, clock, self.body, self.options, self._acknowledge)
        self.line = RemoteLine(self._code)

    @property
    def work_state(self) -> WorkState:
        return self.board.work_state

    def receive(self, data: bytes) -> None:
        self.line.feed(data)

    def _code(self, code: int) -> None:
        self.heard(code)
        self.board.code(code)

    def _acknowledge(self, code: int) -> None:
        self.send_frame(ack_frame(code))

    def status_frame(self) -> bytes:
        long, short = self.status_images()
        return long.frame() + short.frame()

    def status_images(self) -> tuple[LongStatus, ShortStatus]:
        """What the long and the short status would say now."""
        return self.board.image()

    def overload(self, motor: Motor) -> None:
        self.board.protect(f"the {motor} motor overloaded")

    def fail_limit_switches(self) -> None:
        self.board.fail_limit_switches()

    def shutdown(self) -> None:
        self.board.shutdown()


def simulate(
    model: KoreanModel,
    clock: Clock,
    transport: Transport,
    sitter: Sitter | None,
    options: ChairOptions | None,
) -> KoreanChair:
    """The simulated chair of ``model`` (:mod:`simulator.families` registers it)."""
    del transport  # one wired port
    return KoreanChair(model, clock, sitter=sitter, options=options)
