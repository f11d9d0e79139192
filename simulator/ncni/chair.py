"""The simulated NCNI chair: panel ticks in, a 33-byte status frame every status period.

Puts the board (:mod:`.firmware`) behind the chair's side of the wire: the panel line
(:mod:`.panel`), which turns tick bytes into presses and holds by the model's key codes, and
the status frame (:class:`~simulator.ncni.frames.ChairImage`) sent every
``model.protocol.status_period_ms`` while a controller is connected (``docs/protocols/ncni.md``).
The chair is reached on its wired panel port only.
"""

from __future__ import annotations

from chairctl.clock import Clock
from chairctl.vocabulary import WorkState
from drivers.models.common import Transport
from drivers.models.ncni import NcniModel
from simulator.chair import SimulatedChair
from simulator.config import ChairOptions, Sitter
from simulator.faults import Motor
from simulator.ncni.firmware import Board
from simulator.ncni.frames import ChairImage, Hold, Press
from simulator.ncni.panel import HoldStart, PanelEvent, PanelLine


class NcniChair(SimulatedChair):
    """One simulated NCNI chair of ``model``."""

    model: NcniModel

    def __init__(
        self,
        model: NcniModel,
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
        self.board = Board(model, clock, self.body, self.options)
        self.line = PanelLine(clock, model.keys, self._event)

    @property
    def work_state(self) -> WorkState:
        return self.board.work_state

    def receive(self, data: bytes) -> None:
        self.line.feed(data)

    def _event(self, event: PanelEvent) -> None:
        match event:
            case Press(code=code):
                self.heard(code)
                self.board.press(code)
            case HoldStart(code=code):
                self.heard(code)
                self.board.hold_start(code)
            case Hold(code=code):
                self.board.hold_end(code)

    def status_frame(self) -> bytes:
        return self.status_image().encode()

    def status_image(self) -> ChairImage:
        """What a status frame would say now."""
        return self.board.image()

    def overload(self, motor: Motor) -> None:
        self.board.protect(f"the {motor} motor overloaded")

    def fail_limit_switches(self) -> None:
        self.board.fail_limit_switches()

    def shutdown(self) -> None:
        self.line.shutdown()
        self.board.shutdown()


def simulate(
    model: NcniModel,
    clock: Clock,
    transport: Transport,
    sitter: Sitter | None,
    options: ChairOptions | None,
) -> NcniChair:
    """The simulated chair of ``model`` (:mod:`simulator.families` registers it)."""
    del transport  # one wired port
    return NcniChair(model, clock, sitter=sitter, options=options)
