"""The roller carriage and 3D axis as the Tuya MCU drives them: scan, modes, rest, park.

A manual mode works the model's manual band with its technique; an auto mode works its regions'
band, changing technique every :data:`AUTO_STEP_S` (one clock timer). Bands are placed on the
sitter by the shoulder line the body scan found. The depth is the strength's level while the
rollers work (a chair with no strength DP has one) and 0 otherwise.
"""

from __future__ import annotations

from typing import Final

from chairctl.clock import Clock, TimerHandle
from chairctl.vocabulary import REGION_BANDS, Region, track_position
from drivers.models.tuya import CLOSE, TuyaModel
from simulator.physics.body import Body
from simulator.trace import RollerActivity
from simulator.tuya.meanings import Meanings, RollerPlan

#: How long an auto mode stays with each of its techniques.
AUTO_STEP_S: Final = 20.0
#: How far inside its band edges the carriage turns, so it never touches the next region.
BAND_INSET: Final = 0.02


class Rollers:
    """What the rollers do, from the mode DPs' values."""

    def __init__(self, model: TuyaModel, clock: Clock, body: Body, meanings: Meanings) -> None:
        self.model = model
        self.clock = clock
        self.body = body
        self.meanings = meanings
        #: The shoulder line the last body scan found (None until one has, or after standby).
        self.shoulder: float | None = None
        self._modes = (CLOSE, CLOSE)
        self._settings: tuple[str | None, str | None, float] = (
            None,
            None,
            float(model.intensity_levels),
        )
        self._step = 0
        self._cycle: TimerHandle | None = None

    def scan(self, now: float) -> float:
        """The power-up body scan: through the shoulder window and back to the shoulder line
        found; returns when it ends."""
        body = self.body
        self._rest_cycle()
        # Through the model's shoulder window, ending on the line it found.
        low, high = self.model.shoulder_window
        self.shoulder = min(high, max(low, body.shoulder))
        body.carriage.work(now, None)
        return body.carriage.follow(
            now, (low, high, self.shoulder), self.model.mechanics.body_scan_s
        )

    def work(
        self,
        now: float,
        modes: tuple[str, str],
        speed: str | None,
        width: str | None,
        depth: float,
    ) -> None:
        """Work as ``modes`` (manual_mode, auto_mode) say, at ``speed`` and ``width``
        (massage_speed, ball_location values), pressing at ``depth``."""
        if modes != self._modes:
            # A new mode starts its technique cycle from the beginning.
            self._modes = modes
            self._step = 0
            self._rest_cycle()
        self._settings = (speed, width, depth)
        plan = self._plan()
        body = self.body
        if plan is None:
            self.rest(now)
            return
        activity = RollerActivity(
            plan.technique, self.meanings.speed(speed), self.meanings.width(width)
        )
        body.carriage.work(now, activity)
        body.depth.move_to(now, depth)
        body.carriage.sweep(now, *self.band(plan.regions))
        manual, auto_mode = modes
        cycles = manual == CLOSE and self.meanings.auto_steps(auto_mode) > 1
        if cycles and self._cycle is None:
            self._cycle = self.clock.call_at(now + AUTO_STEP_S, self._next_step)

    def rest(self, now: float) -> None:
        """Stop working where the carriage is; the depth retracts."""
        body = self.body
        self._rest_cycle()
        body.carriage.work(now, None)
        if body.carriage.sweeping is not None:
            body.carriage.stop(now)
        body.depth.move_to(now, 0.0)

    def park(self, now: float) -> float:
        """Stop working and go home, depth retracted; returns when both are done."""
        body = self.body
        self._rest_cycle()
        self._modes = (CLOSE, CLOSE)
        self.shoulder = None
        body.carriage.work(now, None)
        return max(body.carriage.move_to(now, body.park), body.depth.move_to(now, 0.0))

    def halt(self, now: float) -> None:
        """A fault: stop working and stay where the carriage is; the depth retracts."""
        self.rest(now)
        self.body.carriage.stop(now)
        self._modes = (CLOSE, CLOSE)
        self.shoulder = None

    def cut(self, now: float) -> None:
        """The settle cap: stop the carriage and the depth axis wherever they are."""
        self.body.carriage.stop(now)
        self.body.depth.stop(now)

    def band(self, regions: tuple[Region, ...]) -> tuple[float, float]:
        """The carriage band of ``regions`` on the sitter the scan found."""
        body = self.body
        shoulder = body.shoulder if self.shoulder is None else self.shoulder
        low = track_position(min(REGION_BANDS[r][0] for r in regions), body.seat_line, shoulder)
        high = track_position(max(REGION_BANDS[r][1] for r in regions), body.seat_line, shoulder)
        return low + BAND_INSET, max(low + BAND_INSET, high - BAND_INSET)

    def _plan(self) -> RollerPlan | None:
        manual, auto_mode = self._modes
        if manual != CLOSE:
            return self.meanings.manual(manual)
        if auto_mode != CLOSE:
            return self.meanings.auto(auto_mode, self._step)
        return None

    def _next_step(self) -> None:
        self._cycle = None
        self._step += 1
        self.work(self.clock.now(), self._modes, *self._settings)

    def _rest_cycle(self) -> None:
        if self._cycle is not None:
            self._cycle.cancel()
            self._cycle = None

    def shutdown(self) -> None:
        """Cancel the technique cycle."""
        self._rest_cycle()
