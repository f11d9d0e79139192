"""The Korean chair's board: its state machine, driving the Body, on a Clock.

off --power--> scanning (body scan) --> on --power, timer out, idle--> settling --> off
any state --overload, actuator watchdog--> protected (off, stopped where it was) --power--> scanning

Buttons arrive as press and release codes (:mod:`.remote`); the model says which code is which
button. A button acts when it goes down and answers with a beep (``1103``), or a double beep
(``1104``) when a cycle wraps back to its first step; the release ends it. Keys change the
**selection** (:mod:`.selection`), which the display shows at once, even during the scan; the
body follows the selection while the chair is on (:meth:`Board._apply`).

What the source says and the board does (``spec/chair.yml``, ``docs/decoding.md``):

- The backrest and leg-rest buttons move for as long as they are down, until their release or
  the end of travel. Nothing else stops them: the remote sends no keep-alive, so a press whose
  release never comes moves to the end stop.
- The timer goes to the next of the model's steps above the minutes shown, and from the last
  to the first (5 → … → 30 → 5), double beeping then. An auto program starts the timer at
  ``auto_program_minutes`` (15). The speed button is taken only in manual mode (no beep
  otherwise). The air-strength and width buttons do not beep, except the double beep of a wrap.
- Position up and down beep, and the chair sends ``1100`` after their release; reset beeps.

What the source does not say, and the board assumes ([assumed] in the docs):

- Power scans first (``mechanics.body_scan_s``), as the other families' chairs do; the work
  starts when the scan ends. Power from on, settling or protected: as the display shows, a
  dark display switches on, a lit one off.
- The manual button enters manual mode at the first technique and then steps through them.
- The timer counts down from when something first works (rollers, air, foot roller), whether
  paused or not, and shows whole minutes rounded up. At 0 the chair settles.
- A press while another button is down ends that one first (a hold stops); a release code
  ends whatever button is down, whichever release it is.
- Rollers: in manual mode they work the selected area (full: seat line to the scanned shoulder
  line; local and point: around the roller position, ±``partial_half_span`` and
  ±``point_half_span``); an auto program sweeps its regions and changes technique every
  :data:`TECHNIQUE_S`. A 2D chair presses at its one depth (1) while they work.
- Air: the selected mode's zones take turns at the strength's level (1, 3, 5); a zone's bit
  blinks while its valve is driven (inflating or holding).
- Idle: not running for ``timing.idle_sleep_s`` in a row settles the chair.
- A protective power-off stops rollers and actuators where they are, retracts, vents, turns
  heat and foot roller off, and records FAULT; the display goes dark (the status has no fault
  field). Power then starts it afresh.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum, auto
from typing import Final, Literal

from chairctl.clock import Clock
from chairctl.vocabulary import (
    REGION_BANDS,
    ActuatorMotion,
    MassageRange,
    Technique,
    WorkState,
    track_position,
)
from drivers.models.korean import AIR_ZONES, KoreanModel
from simulator.config import ChairOptions
from simulator.korean.frames import (
    ACK_BEEP,
    ACK_DOUBLE_BEEP,
    ACK_MOVED,
    ROLLER_STEPS,
    LongStatus,
    Motion,
    ShortStatus,
)
from simulator.korean.selection import Selection
from simulator.physics.body import Body
from simulator.physics.posture import Posture
from simulator.timers import NamedTimers
from simulator.trace import RollerActivity

#: How this firmware names its actuators.
ActuatorPart = Literal["backrest", "leg_rest"]

#: Seconds each of an auto program's techniques runs before the next [assumed].
TECHNIQUE_S: Final = 20.0
#: The depth the rollers of a 2D chair press at while they work: its one strength.
WORKING_DEPTH: Final = 1.0
#: The sweep stays this far (carriage units) inside its band, so the rollers never rest on
#: the neighbouring region's edge at a reversal.
BAND_INSET: Final = 1e-3
#: The hold buttons: the actuator each moves, and whether "up" (the backrest toward upright,
#: the leg rest raised).
HOLDS: Final[dict[str, tuple[ActuatorPart, bool]]] = {
    "back_recline": ("backrest", False),
    "back_raise": ("backrest", True),
    "leg_lower": ("leg_rest", False),
    "leg_raise": ("leg_rest", True),
}
#: Buttons that do not beep unless their cycle wraps (``spec/chair.yml``: "No ACK observed").
SILENT: Final = frozenset({"air_strength", "width"})


class Phase(Enum):
    """What the board is doing."""

    OFF = auto()
    SCANNING = auto()
    ON = auto()
    SETTLING = auto()
    PROTECTED = auto()


@dataclass
class KeyStats:
    """How the buttons fared, for tests and diagnostics."""

    accepted: int = 0
    #: Buttons that arrived while the chair was off (only power acts then), and the speed
    #: button outside manual mode.
    ignored: int = 0
    #: Codes that are no button's press or release.
    unknown: int = 0
    #: Releases with no button down.
    stray_releases: int = 0


class Board:
    """The firmware of one simulated Korean chair; ``ack`` sends an acknowledgement code."""

    def __init__(
        self,
        model: KoreanModel,
        clock: Clock,
        body: Body,
        options: ChairOptions,
        ack: Callable[[int], None],
    ) -> None:
        self.model = model
        self.clock = clock
        self.body = body
        self.options = options
        self._ack = ack
        self._buttons = {pair.press: name for name, pair in model.keys.pairs().items()}
        self._programs = {p.key.press: i for i, p in enumerate(model.auto_programs)}
        self._releases = model.releases
        self.phase = Phase.OFF
        #: The shoulder line the last body scan found.
        self.shoulder = body.shoulder
        self.selection = Selection.power_on(model, options, self._start_focus())
        self.stats = KeyStats()
        #: Why the chair last protected itself, None until it has.
        self.fault: str | None = None
        #: The timer step set while nothing counts down, in minutes.
        self.minutes = model.timing.default_session_min
        #: When the countdown runs out (inf while it does not run).
        self.session_end = math.inf
        self.posture: Posture[ActuatorPart] = Posture(
            clock,
            body,
            options,
            model.mechanics.actuator_timeout_s,
            self._overrun,
            backrest="backrest",
            leg_rest="leg_rest",
        )
        self._timers: NamedTimers[str] = NamedTimers(clock)
        #: The button down now (its function's name, or an auto program's place), if any.
        self._down: str | int | None = None
        #: The hold button whose drive is under way.
        self._holding: str | None = None
        #: The air mode and strength the airbags cycle at, (0, 0) while they vent.
        self._airbags: tuple[int, int] = (0, 0)
        self._depth_target = 0.0
        self._depth_until = -math.inf
        self._settle_until = -math.inf
        self._blink_half = model.protocol.blink_period_ms / 2000

    # -- what it shows ----------------------------------------------------------------------

    @property
    def powered(self) -> bool:
        """True while the display is lit: scanning or on."""
        return self.phase in (Phase.SCANNING, Phase.ON)

    @property
    def running(self) -> bool:
        """On, not paused, and the rollers, the air or the foot roller selected."""
        s = self.selection
        return self.phase is Phase.ON and not s.paused and s.working

    @property
    def work_state(self) -> WorkState:
        """What the board is doing, in the vocabulary's terms."""
        match self.phase:
            case Phase.OFF:
                return WorkState.STANDBY
            case Phase.SCANNING | Phase.SETTLING:
                return WorkState.RESETTING
            case Phase.PROTECTED:
                return WorkState.FAULT
        return WorkState.RUNNING if self.running else WorkState.WAITING

    def shown_minutes(self, now: float) -> int:
        """The minutes the timer shows: what is left, rounded up, while it counts down."""
        if math.isinf(self.session_end):
            return self.minutes
        return max(0, math.ceil((self.session_end - now) / 60 - 1e-9))

    def flash(self, now: float) -> bool:
        """True in the half of the blink period in which blinking bits show their other value."""
        return math.floor((now - self.body.trace.start) / self._blink_half + 1e-9) % 2 == 1

    def image(self) -> tuple[LongStatus, ShortStatus]:
        """What the long and the short status show now."""
        now = self.clock.now()
        motions = self._motions(now)
        moving = bool(motions)
        if not self.powered:
            return (
                LongStatus(moving=moving, motions=motions, flash=self.flash(now)),
                ShortStatus(),
            )
        s = self.selection
        working = self.running
        activity = self.body.carriage.activity
        # The zones whose valves are driven now: the captured frames show the air on with no
        # zone bit in either half, which the zones merely selected could never give.
        air_zones = self.body.airbags.inflating(now) & AIR_ZONES
        long = LongStatus(
            timer=self.shown_minutes(now),
            air=s.air > 0,
            air_strength=s.air_strength,
            speed=s.speed,
            width=s.width_selected,
            foot_roller=s.foot,
            heater=s.heat,
            moving=moving,
            technique=s.technique + 1 if working and s.mode == "manual" else None,
            position=self._step_of(self.body.carriage.position(now))
            if activity is not None
            else None,
            zones=air_zones,
            motions=motions,
            flash=self.flash(now),
        )
        program = self.model.auto_programs[s.program].display if s.mode == "auto" else None
        short = ShortStatus(manual=s.mode == "manual", area=s.massage_range, program=program)
        return long, short

    def _motions(self, now: float) -> frozenset[Motion]:
        motions: set[Motion] = set()
        back = self.body.backrest.motion(now)
        legs = self.body.leg_rest.motion(now)
        if back is ActuatorMotion.UP:
            motions.add("back_raise")
        elif back is ActuatorMotion.DOWN:
            motions.add("back_recline")
        if legs is ActuatorMotion.UP:
            motions.add("leg_raise")
        elif legs is ActuatorMotion.DOWN:
            motions.add("leg_lower")
        return frozenset(motions)

    # -- roller positions -------------------------------------------------------------------

    def _step_of(self, position: float) -> int:
        """The roller position (1..6) the display shows for a carriage position."""
        top = self.body.top
        return min(ROLLER_STEPS, max(1, math.floor(position / top * (ROLLER_STEPS - 1) + 0.5) + 1))

    def _position_of(self, step: int) -> float:
        """The carriage position of a roller position (1..6)."""
        return (step - 1) * self.body.top / (ROLLER_STEPS - 1)

    def _start_focus(self) -> int:
        """Where point and local massage start, and where reset returns: the roller position
        nearest the middle of the back [assumed]."""
        return self._step_of(track_position(0.5, self.body.seat_line, self.shoulder))

    # -- buttons ----------------------------------------------------------------------------

    def code(self, code: int) -> None:
        """A code arrived on the command line now."""
        button: str | int | None = self._buttons.get(code)
        if button is None:
            button = self._programs.get(code)
        if button is not None:
            self._press(button)
        elif code in self._releases:
            self._release()
        else:
            self.stats.unknown += 1

    def _press(self, button: str | int) -> None:
        now = self.clock.now()
        if self._down is not None:
            # The earlier button never came up: it does now.
            self._release()
        self._down = button
        if button == "power":
            self.stats.accepted += 1
            self._ack(ACK_BEEP)
            if self.powered:
                self._settle(now)
            else:
                self._power_on(now)
            return
        if not self.powered:
            self.stats.ignored += 1
            return
        answer = self._act(button, now)
        if answer is None:
            self.stats.ignored += 1
            return
        self.stats.accepted += 1
        if answer:
            self._ack(answer)
        self._apply(now)

    def _release(self) -> None:
        button, self._down = self._down, None
        if button is None:
            self.stats.stray_releases += 1
            return
        now = self.clock.now()
        if isinstance(button, str) and button in HOLDS and self._holding == button:
            # Only the drive this hold started: zero gravity or a settle may have taken it.
            self._holding = None
            self.posture.stop(HOLDS[button][0], now)
        elif button in ("position_up", "position_down") and self.powered:
            self._ack(ACK_MOVED)

    def _act(self, button: str | int, now: float) -> int | None:
        """Apply one button; the acknowledgement to send (0: none), None when not taken."""
        s = self.selection
        model = self.model
        if isinstance(button, int):
            s.auto(button)
            self._restart_program()
            self._set_timer(now, model.auto_program_minutes)
            return ACK_BEEP
        if button in HOLDS:
            part, up = HOLDS[button]
            self._holding = button
            self.posture.move(part, up, now)
            return ACK_BEEP
        wrapped: bool
        match button:
            case "timer":
                steps = model.timer_steps
                shown = self.shown_minutes(now)
                above = [m for m in steps if m > shown]
                wrapped = not above
                self._set_timer(now, above[0] if above else steps[0])
            case "pause":
                s.paused = not s.paused
                wrapped = False
            case "heater":
                s.heat = not s.heat
                wrapped = False
            case "speed":
                if s.mode != "manual":
                    # The source: the speed button works (and beeps) in manual mode only.
                    return None
                wrapped = s.next_speed()
            case "manual":
                wrapped = s.manual(len(model.manual_techniques))
            case "air_mode":
                wrapped = s.next_air(len(model.air_modes))
            case "air_strength":
                wrapped = s.next_air_strength()
            case "foot_roller":
                s.foot = not s.foot
                wrapped = False
            case "area":
                wrapped = s.next_area()
            case "width":
                wrapped = s.next_width()
            case "position_up" | "position_down":
                s.move_focus(1 if button == "position_up" else -1)
                wrapped = False
            case "position_reset":
                s.focus = self._start_focus()
                wrapped = False
            case "zero_gravity":
                # The posture takes the actuators over from any hold under way.
                self._holding = None
                self.posture.toggle_zero_gravity(now)
                wrapped = False
            case _:
                return None
        if wrapped:
            return ACK_DOUBLE_BEEP
        return 0 if button in SILENT else ACK_BEEP

    def _set_timer(self, now: float, minutes: int) -> None:
        """Set the timer to ``minutes``: the countdown restarts there if it runs."""
        self.minutes = minutes
        if not math.isinf(self.session_end):
            self._arm_session(now)

    def _restart_program(self) -> None:
        self.selection.technique = 0
        self._timers.cancel("technique")

    # -- states -----------------------------------------------------------------------------

    def _enter(self, phase: Phase, now: float) -> None:
        self.phase = phase
        self._record(now)

    def _record(self, now: float) -> None:
        channel = self.body.trace.work_state
        if channel.current is not self.work_state:
            channel.set(now, self.work_state)

    def _power_on(self, now: float) -> None:
        body = self.body
        self._cancel_all()
        self.fault = None
        self._holding = None
        low, high = self.model.shoulder_window
        self.shoulder = min(high, max(low, body.shoulder))
        self.selection = Selection.power_on(self.model, self.options, self._start_focus())
        self.minutes = self.model.timing.default_session_min
        self._enter(Phase.SCANNING, now)
        # Up to the top and down to the shoulder line it finds.
        scan_s = self.model.mechanics.body_scan_s
        body.carriage.work(now, None)
        body.carriage.follow(now, (body.top, self.shoulder), scan_s)
        self._timers.at("scan", now + scan_s, self._scan_done)

    def _scan_done(self) -> None:
        now = self.clock.now()
        self._enter(Phase.ON, now)
        self._apply(now)

    def _arm_session(self, now: float) -> None:
        self.session_end = now + 60 * self.minutes
        self._timers.at("session", self.session_end, self._time_over)

    def _time_over(self) -> None:
        self._settle(self.clock.now())

    def _settle(self, now: float) -> None:
        """Power off: rollers stop and go home, depth to 0, airbags vent, heat off, actuators
        home, then off."""
        body = self.body
        self._cancel_all()
        self.selection = Selection.power_on(self.model, self.options, self._start_focus())
        self._holding = None
        self._enter(Phase.SETTLING, now)
        body.carriage.work(now, None)
        body.heater.switch(now, False)
        body.foot_roller(now, 0)
        self._airbags = (0, 0)
        done = [
            body.carriage.move_to(now, body.park),
            self._depth(now, 0.0),
            body.airbags.vent(now),
            *self.posture.home(now),
        ]
        self._settle_until = max(done)
        cap = now + self.model.timing.settle_cap_s
        self._timers.at("settle", min(self._settle_until, cap), self._settle_done)

    def _settle_done(self) -> None:
        now = self.clock.now()
        if self._settle_until > now:
            # The settle cap cut the return short: stop everything where it is.
            self.body.carriage.stop(now)
            self.body.depth.stop(now)
            self._depth_target = math.nan
            self.posture.stop_all(now)
        self._enter(Phase.OFF, now)

    def protect(self, why: str) -> None:
        """Protective power-off: everything stops where it is, nothing is driven again."""
        if self.phase is Phase.PROTECTED:
            return
        now = self.clock.now()
        body = self.body
        self._cancel_all()
        self.selection = Selection.power_on(self.model, self.options, self._start_focus())
        self._holding = None
        self.fault = why
        self._enter(Phase.PROTECTED, now)
        body.carriage.work(now, None)
        body.carriage.stop(now)
        self._depth(now, 0.0)
        self._airbags = (0, 0)
        body.airbags.vent(now)
        body.heater.switch(now, False)
        body.foot_roller(now, 0)
        self.posture.stop_all(now)

    def _overrun(self, part: ActuatorPart) -> None:
        self.protect(f"the {part.replace('_', ' ')} ran into its travel watchdog")

    def fail_limit_switches(self) -> None:
        """The actuators' limit switches stop reporting."""
        self.posture.fail_limit_switches(self.clock.now())

    # -- the body follows the selection -----------------------------------------------------

    def _apply(self, now: float) -> None:
        """Bring the body in line with the selection: heat while powered, the rest once the
        scan is over."""
        if not self.powered:
            return
        s = self.selection
        self.body.heater.switch(now, s.heat)
        if self.phase is not Phase.ON:
            return
        working = not s.paused
        self._rollers(now, working and s.rollers)
        air = (s.air, s.air_strength) if working and s.air else (0, 0)
        if air != self._airbags:
            self._airbags = air
            mode, strength = air
            if mode:
                groups = [[zone] for zone in self.model.air_modes[mode - 1]]
                # The strength's level is the pressure shown: 1, 3, 5.
                self.body.airbags.run(now, groups, 2 * strength - 1)
            else:
                self.body.airbags.vent(now)
        self.body.foot_roller(now, 1 if working and s.foot else 0)
        if s.working and math.isinf(self.session_end):
            self._arm_session(now)
        self._record(now)
        if self.running:
            self._timers.cancel("idle")
        elif not self._timers.pending("idle"):
            self._timers.at("idle", now + self.model.timing.idle_sleep_s, self._time_over)

    def _rollers(self, now: float, on: bool) -> None:
        carriage = self.body.carriage
        if not on:
            self._timers.cancel("technique")
            if carriage.activity is not None:
                carriage.work(now, None)
                carriage.stop(now)
            self._depth(now, 0.0)
            return
        s = self.selection
        technique, low, high = self._roller_work(now)
        carriage.work(now, RollerActivity(technique, s.speed, s.width_selected))
        self._depth(now, WORKING_DEPTH)
        carriage.sweep(now, low, high)

    def _roller_work(self, now: float) -> tuple[Technique, float, float]:
        """What the rollers do and the band they sweep, by the mode."""
        s = self.selection
        body = self.body
        if s.mode == "auto":
            program = self.model.auto_programs[s.program]
            techniques = program.techniques
            s.technique %= len(techniques)
            if len(techniques) > 1 and not self._timers.pending("technique"):
                self._timers.at("technique", now + TECHNIQUE_S, self._next_technique)
            low = min(REGION_BANDS[r][0] for r in program.regions)
            high = max(REGION_BANDS[r][1] for r in program.regions)
            return (
                techniques[s.technique],
                track_position(low, body.seat_line, self.shoulder) + BAND_INSET,
                track_position(high, body.seat_line, self.shoulder) - BAND_INSET,
            )
        technique = self.model.manual_techniques[s.technique].technique
        area = s.massage_range
        if area is MassageRange.FULL:
            return technique, body.seat_line + BAND_INSET, self.shoulder - BAND_INSET
        mechanics = self.model.mechanics
        half = (
            mechanics.partial_half_span
            if area is MassageRange.PARTIAL
            else mechanics.point_half_span
        )
        focus = self._position_of(s.focus)
        return technique, max(0.0, focus - half), min(body.top, focus + half)

    def _next_technique(self) -> None:
        self.selection.technique += 1
        self._apply(self.clock.now())

    def _depth(self, now: float, level: float) -> float:
        """Send the depth axis to ``level`` unless it is already headed there; when it
        arrives."""
        if level != self._depth_target:
            self._depth_target = level
            self._depth_until = self.body.depth.move_to(now, level)
        return max(now, self._depth_until)

    # -- timers -----------------------------------------------------------------------------

    def _cancel_all(self) -> None:
        self._timers.cancel_all()
        self.session_end = math.inf

    def shutdown(self) -> None:
        """Cancel every timer (the chair is being thrown away)."""
        self._cancel_all()
        self.posture.shutdown()
