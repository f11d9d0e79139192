"""The simulated Tuya chair's MCU: its data points, its state machine, and the Body it drives.

standby --switch true--> scanning (body scan) --> on (waiting / running by what is set)
on --switch false, session timer, idle--> settling (return home, capped) --> standby
any state --fault--> fault (bitmap latched; every set refused) --switch false--> standby

The MCU keeps one value per data point of the product. A deliver applies its records in order;
the answer names every DP the deliver named plus every DP the deliver changed on the side
(``docs/protocols/tuya.md``). Changes the chair makes by itself (timer end, idle power-off,
fault, an actuator at its end stop) go out as a report of their own. Every timeout is one
clock timer, so the firmware never polls.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from enum import Enum, auto
from typing import Final

from chairctl.clock import Clock
from chairctl.vocabulary import ActuatorMotion, WorkState
from drivers.models.tuya import CLOSE, TuyaModel
from simulator.config import ChairOptions
from simulator.physics.body import Body
from simulator.timers import NamedTimers
from simulator.tuya.actuators import Actuators, Part
from simulator.tuya.datapoints import DpTable, Value
from simulator.tuya.meanings import Meanings
from simulator.tuya.rollers import Rollers

#: Fault bitmap bits (our numbering: the standard names the DP, not its bits).
OVERLOAD_BIT: Final = 0x01
ACTUATOR_TIMEOUT_BIT: Final = 0x02
#: The mode DPs: "close" stops what they run.
_MODES: Final = ("manual_mode", "auto_mode", "aircell_location")
#: DPs that start something, refused while the chair is switched off (the neck massager's
#: app_dp_handle ignores heat, gear and pattern while off too).
_NEED_POWER: Final = frozenset({*_MODES, "heat", "foot_control", "strength"})
#: DPs applied even when set to the value they have: each set is a command of its own (the
#: timer restarts, the posture is driven again after a hold-to-move moved it).
_COMMANDS: Final = frozenset({"time_set", "gravity_control", "back_control", "bottom_control"})
_PARTNER: Final = {"manual_mode": "auto_mode", "auto_mode": "manual_mode"}
_HOLDS: Final = {"back_control": Part.BACKREST, "bottom_control": Part.LEG_REST}
_MOTIONS: Final = {"up": ActuatorMotion.UP, "down": ActuatorMotion.DOWN}


class Phase(Enum):
    """What the MCU is doing."""

    STANDBY = auto()
    SCANNING = auto()
    ON = auto()
    SETTLING = auto()
    FAULT = auto()


class Mcu:
    """The firmware of one simulated Tuya chair. ``report`` sends the codes that changed by
    themselves (outside a deliver)."""

    def __init__(
        self,
        model: TuyaModel,
        clock: Clock,
        body: Body,
        options: ChairOptions,
        report: Callable[[list[str]], None],
    ) -> None:
        self.model = model
        self.clock = clock
        self.body = body
        self.table = DpTable(model)
        self.meanings = Meanings(model, options)
        self._report = report
        self.values: dict[str, Value] = self.table.defaults(model, options)
        self.phase = Phase.STANDBY
        #: Fault bits latched (kept even when the product has no fault DP to show them).
        self.fault_bits = 0
        self.session_end = math.inf
        #: Sets refused (chair off, or faulted), for tests and diagnostics.
        self.refused = 0
        self._delivering = False
        self._settle_until = -math.inf
        self._timers: NamedTimers[str] = NamedTimers(clock)
        self.rollers = Rollers(model, clock, body, self.meanings)
        self.actuators = Actuators(
            clock,
            body,
            model.mechanics.actuator_timeout_s,
            lambda: self._fault(ACTUATOR_TIMEOUT_BIT),
            self._arrived,
        )

    # -- the state as the driver reads it ---------------------------------------------------

    @property
    def powered(self) -> bool:
        """True while switched on (scanning or on)."""
        return self.phase in (Phase.SCANNING, Phase.ON)

    @property
    def active(self) -> bool:
        """True when something runs: a roller mode, the airbags or the foot roller."""
        values = self.values
        running = any(values.get(code, CLOSE) != CLOSE for code in _MODES)
        return running or values.get("foot_control") is True

    @property
    def work_state(self) -> WorkState:
        """What the firmware is doing, in the vocabulary's terms."""
        match self.phase:
            case Phase.STANDBY:
                return WorkState.STANDBY
            case Phase.FAULT:
                return WorkState.FAULT
            case Phase.ON:
                return WorkState.RUNNING if self.active else WorkState.WAITING
        return WorkState.RESETTING

    # -- data points from the module --------------------------------------------------------

    def deliver(self, records: Sequence[tuple[str, Value | None]]) -> list[str]:
        """Apply ``records`` in order (None: a record the MCU ignores); the codes to report:
        every code named, then every other code that changed, in DP-id order."""
        now = self.clock.now()
        before = dict(self.values)
        self._delivering = True
        try:
            for code, value in records:
                if value is not None:
                    self._set(code, value, now)
            self._sync(now)
        finally:
            self._delivering = False
        named = list(dict.fromkeys(code for code, _ in records))
        # The roller modes exclude each other: naming one answers for both.
        partners = [_PARTNER[c] for c in named if c in _PARTNER and _PARTNER[c] in self.values]
        named = list(dict.fromkeys([*named, *partners]))
        return named + [c for c in self._changed(before) if c not in named]

    def _set(self, code: str, value: Value, now: float) -> None:
        if self.phase is Phase.FAULT:
            # Latched: only switch false (the acknowledgement) is taken.
            if code == "switch" and value is False:
                self._acknowledge(now)
            else:
                self.refused += 1
            return
        if code == "switch":
            if value is True and not self.powered:
                self._power_on(now)
            elif value is False and self.powered:
                self._power_off(now)
            return
        if code in _NEED_POWER and not self.powered and not (value is False or value == CLOSE):
            self.refused += 1
            return
        if value == self.values[code] and code not in _COMMANDS:
            return
        self.values[code] = value
        match code:
            case "time_set":
                if self.powered:
                    self._arm_session(now)
            case "heat":
                self.body.heater.switch(now, value is True)
            case "foot_control":
                self.body.foot_roller(now, 1 if value is True else 0)
            case "aircell_location" | "aircell_speed":
                self._refresh_airbags(now)
            case "manual_mode" | "auto_mode":
                other = _PARTNER[code]
                if value != CLOSE and other in self.values:
                    self.values[other] = CLOSE
                self._refresh_rollers(now)
            case "massage_speed" | "ball_location" | "strength":
                self._refresh_rollers(now)
            case "gravity_control":
                self._gravity(str(value), now)
            case "back_control" | "bottom_control":
                self._hold(_HOLDS[code], str(value), now)

    def _changed(self, before: dict[str, Value]) -> list[str]:
        return [code for code in self.table.codes if before[code] != self.values[code]]

    def _on_own(self, change: Callable[[float], None]) -> None:
        """Run a change the chair makes by itself, and report what it changed."""
        now = self.clock.now()
        before = dict(self.values)
        change(now)
        self._sync(now)
        changed = self._changed(before)
        if changed and not self._delivering:
            self._report(changed)

    def _sync(self, now: float) -> None:
        """Record the work state, and count idle time while on with nothing running."""
        state = self.work_state
        if self.body.trace.work_state.current is not state:
            self.body.trace.work_state.set(now, state)
        if self.phase is Phase.ON and not self.active:
            if not self._timers.pending("idle"):
                self._timers.at("idle", now + self.model.timing.idle_sleep_s, self._idle_over)
        else:
            self._timers.cancel("idle")

    # -- power ------------------------------------------------------------------------------

    def _power_on(self, now: float) -> None:
        """Switch on: body scan; the session timer counts from now. From settling too: the
        scan takes the carriage over, and the actuators finish their way home."""
        self._timers.cancel("settle")
        self.values["switch"] = True
        self.phase = Phase.SCANNING
        self._timers.at("scan", self.rollers.scan(now), self._scan_done)
        self._arm_session(now)

    def _scan_done(self) -> None:
        def change(now: float) -> None:
            self.phase = Phase.ON
            self._refresh_rollers(now)

        self._on_own(change)

    def _arm_session(self, now: float) -> None:
        self.session_end = now + 60 * int(self.values.get("time_set", self._default_minutes))
        self._timers.at("session", self.session_end, lambda: self._on_own(self._power_off))

    @property
    def _default_minutes(self) -> int:
        return self.model.timing.default_session_min

    def _idle_over(self) -> None:
        self._on_own(self._power_off)

    def _power_off(self, now: float) -> None:
        """Switch off: every mode closes at once, and the chair settles home."""
        self._stop_values()
        gravity = self.table.by_code.get("gravity_control")
        if gravity is not None and "reset" in gravity.values:
            # The actuators go home: upright, what "reset" asks for.
            self.values["gravity_control"] = "reset"
        for name in ("scan", "idle", "session"):
            self._timers.cancel(name)
        self.session_end = math.inf
        self.phase = Phase.SETTLING
        body = self.body
        body.heater.switch(now, False)
        body.foot_roller(now, 0)
        done = [self.rollers.park(now), body.airbags.vent(now), *self.actuators.home(now)]
        self._settle_until = max(done)
        cap = now + self.model.timing.settle_cap_s
        self._timers.at("settle", min(self._settle_until, cap), self._settle_done)

    def _settle_done(self) -> None:
        def change(now: float) -> None:
            if self._settle_until > now:
                # The settle cap cut the return short: stop everything where it is.
                self.rollers.cut(now)
                self.actuators.stop_all(now)
            self._standby()

        self._on_own(change)

    def _standby(self) -> None:
        self.phase = Phase.STANDBY

    def _stop_values(self) -> None:
        """Every mode close, heat and foot roller off, the hold-to-move DPs stopped."""
        values = self.values
        values["switch"] = False
        for code in _MODES:
            # A pattern that runs whenever the product is on keeps its value: off stops it.
            if code in values and self.model.closes(code):
                values[code] = CLOSE
        for code in ("heat", "foot_control"):
            if code in values:
                values[code] = False
        for code in _HOLDS:
            if code in values:
                values[code] = "stop"

    # -- faults -----------------------------------------------------------------------------

    def overload(self) -> None:
        """A motor overload: fault bit 0."""
        self._fault(OVERLOAD_BIT)

    def fail_limit_switches(self) -> None:
        """The actuators' limit switches stop reporting; drives now run into the watchdog."""
        self.actuators.fail_limit_switches(self.clock.now())

    def _fault(self, bit: int) -> None:
        self._on_own(lambda now: self._latch(bit, now))

    def _latch(self, bit: int, now: float) -> None:
        """Safe release where the chair is, and latch: nothing moves until acknowledged."""
        self.fault_bits |= bit
        if "fault" in self.values:
            self.values["fault"] = self.fault_bits
        if self.phase is Phase.FAULT:
            return
        switched = self.values["switch"]
        self._stop_values()
        self.values["switch"] = switched
        self._timers.cancel_all()
        self.phase = Phase.FAULT
        self.session_end = math.inf
        body = self.body
        self.rollers.halt(now)
        body.airbags.vent(now)
        body.heater.switch(now, False)
        body.foot_roller(now, 0)
        # No actuator is driven after a fault, not even home: it may be pressing on someone.
        self.actuators.stop_all(now)

    def _acknowledge(self, now: float) -> None:
        """switch false while faulted: the fault clears and the chair stands by where it is."""
        self.fault_bits = 0
        if "fault" in self.values:
            self.values["fault"] = 0
        self.values["switch"] = False
        self._standby()

    # -- rollers, airbags, actuators --------------------------------------------------------

    def _refresh_rollers(self, now: float) -> None:
        """Work what the modes say; only once on: during the scan the rollers wait."""
        if self.phase is Phase.ON:
            values = self.values
            self.rollers.work(
                now,
                (str(values.get("manual_mode", CLOSE)), str(values.get("auto_mode", CLOSE))),
                _text(values.get("massage_speed")),
                _text(values.get("ball_location")),
                self.meanings.depth(values.get("strength")),
            )

    def _refresh_airbags(self, now: float) -> None:
        location = self.values.get("aircell_location", CLOSE)
        if self.powered and location != CLOSE:
            level = self.meanings.airbag_level(_text(self.values.get("aircell_speed")))
            zones = self.meanings.zones(str(location))
            if zones:
                self.body.airbags.run(now, [zones], level)
                return
        self.body.airbags.vent(now)

    def _gravity(self, value: str, now: float) -> None:
        targets = self.meanings.posture(value)
        if targets is None:
            return
        # A posture replaces any hold-to-move drive under way.
        for code in _HOLDS:
            if code in self.values:
                self.values[code] = "stop"
        self.actuators.posture(targets, now)

    def _hold(self, part: Part, value: str, now: float) -> None:
        motion = _MOTIONS.get(value)
        if motion is None:
            self.actuators.stop(part, now)
        else:
            self.actuators.hold(part, motion, now)

    def _arrived(self, part: Part) -> None:
        """A held drive reached its end stop: the motor stops, and so does the DP."""

        def change(_: float) -> None:
            for code, held in _HOLDS.items():
                if held is part and code in self.values:
                    self.values[code] = "stop"

        self._on_own(change)

    # -- timers -----------------------------------------------------------------------------

    def shutdown(self) -> None:
        """Cancel every timer (the chair is being thrown away)."""
        self._timers.cancel_all()
        self.rollers.shutdown()
        self.actuators.shutdown()


def _text(value: Value | None) -> str | None:
    return None if value is None else str(value)
