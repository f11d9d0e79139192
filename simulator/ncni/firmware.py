"""The NCNI chair's board: its state machine, driving the Body, on a Clock.

off --power--> scanning (body scan) --> on --power, timer, auto end, idle--> settling --> off
any state --overload, actuator watchdog--> protected (off, stopped where it was) --power--> scanning

Power starts auto profile A (pressure 2, the shoulder, forearm and leg airbags and the foot
rollers, the 15-minute timer), as the upstream project's bench notes say the real chair does:
a controller's first job after power-on is to take control of a chair that is already working.
Its work starts when the body scan ends [assumed: the scan is this project's].

What the chair does is split in two. Keys change the **selection** (mode, levels, airbags,
heat, timer, pause), which the status frame shows at once, even during the scan. The body then
follows the selection while the chair is on (:meth:`Board._apply`): rollers, airbags and foot
roller start only once the scan is over, and stop while paused. Key codes are the model's.

Decisions the driver must agree with (``docs/protocols/ncni.md``):

- Power acts on what the status shows: with an all-zero payload (off, settling, protected) it
  switches the chair on and scans; with a powered payload it powers off and settles. Every
  other key is ignored while the payload is zero.
- Manual and auto modes sweep their regions' band and change technique every
  :data:`TECHNIQUE_S`. The two manual modes toggle independently; both on sweep both bands.
  Auto works them both (upstream: every profile has the neck and the back and waist on).
  A manual key in auto leaves it for that mode alone, clearing the profile's airbags and foot
  rollers; the auto key from manual starts A, and in auto cycles A → B → C → D → A. An auto
  program's clock starts when it is selected (at the end of the scan when selected during it)
  and restarts when the profile changes; pause stops neither it nor the session timer.
- Idle means "not running" (status ``[6]`` = 00) for ``timing.idle_sleep_s`` in a row, heat
  or not; keys that leave the chair not running do not restart that wait.
- Pause is a toggle of its own: other keys still change the selection while paused, and
  nothing starts working until pause is pressed again.
- For :data:`BLANK_S` after a zero-gravity or backrest press, ``[3] [4] [11] [12]`` read 0
  while the rest of the frame stays (upstream's overlay; its mode is unchanged).
- The full-body, buttocks and forward/back keys are taken and do nothing modelled: what they
  do on the real chair is not known.
- With :attr:`Board.pressure_needs_airbags` (off by default), the pressure keys are ignored
  unless an airbag zone is selected: upstream's panel shows its pressure control only while
  one is, and a real chair may take the keys only then. A driver that lowers the pressure
  blind on such a chair lowers nothing.
- A protective power-off stops rollers and actuators where they are, retracts the 3D depth
  (it presses on the person), vents, turns heat and foot roller off, and records a FAULT in
  the trace; the status shows the chair off. Power then starts it afresh.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import Enum, auto
from typing import Final, Literal

from chairctl.clock import Clock
from chairctl.vocabulary import (
    REGION_BANDS,
    Region,
    Technique,
    Width,
    WorkState,
    track_position,
)
from drivers.models.ncni import AIRBAG_ZONES, NcniModel
from simulator.config import ChairOptions
from simulator.ncni.frames import ChairImage
from simulator.ncni.selection import PROGRAM_S, TOP_LEVEL, Selection
from simulator.physics.body import Body
from simulator.physics.posture import Posture
from simulator.timers import NamedTimers
from simulator.trace import RollerActivity

#: How this firmware names its actuators.
ActuatorPart = Literal["backrest", "leg_rest"]

#: Seconds each of a mode's techniques runs before the next.
TECHNIQUE_S: Final = 20.0
#: Seconds the mode bytes read 0 after a zero-gravity or backrest press ("about a second").
BLANK_S: Final = 1.0
#: With a model whose pressure keys set the airbags, the airbags' level for each pressure
#: (the status's 1, 3, 5) and the rollers' own depth [assumed].
AIRBAG_PRESSURE_LEVELS: Final = {1: 1, 2: 3, 3: 5}
OWN_DEPTH: Final = 2.0
#: The sweep stays this far (carriage units) inside its band, so the rollers never rest on
#: the neighbouring region's edge at a reversal.
BAND_INSET: Final = 1e-3


class Phase(Enum):
    """What the board is doing."""

    OFF = auto()
    SCANNING = auto()
    ON = auto()
    SETTLING = auto()
    PROTECTED = auto()


@dataclass
class KeyStats:
    """How the keys fared, for tests and diagnostics."""

    accepted: int = 0
    #: Keys that arrived while the chair was off (only power acts then).
    ignored: int = 0
    #: Pressure keys ignored because no airbag zone was selected
    #: (:attr:`Board.pressure_needs_airbags`).
    pressure_ignored: int = 0


class Board:
    """The firmware of one simulated NCNI chair."""

    def __init__(self, model: NcniModel, clock: Clock, body: Body, options: ChairOptions) -> None:
        self.model = model
        self.clock = clock
        self.body = body
        self.names = model.keys.names()
        self.phase = Phase.OFF
        self.selection = Selection()
        self.stats = KeyStats()
        #: Why the chair last protected itself, None until it has.
        self.fault: str | None = None
        #: The pressure keys act only while an airbag zone is selected (a chair whose panel
        #: shows its pressure control only then, as upstream's does) [assumed: off].
        self.pressure_needs_airbags = False
        #: The shoulder line the last body scan found.
        self.shoulder = body.shoulder
        #: When the session timer and the auto program run out (inf when not running).
        self.session_end = math.inf
        self.program_end = math.inf
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
        self._holding: int | None = None
        #: The airbag keys cycling and the level they cycle at.
        self._airbags: tuple[tuple[str, ...], int] = ((), 0)
        self._depth_target = 0.0
        self._depth_until = -math.inf
        self._settle_until = -math.inf
        #: The mode bytes read 0 until then (after a posture key).
        self._blank_until = -math.inf

    # -- what it shows ----------------------------------------------------------------------

    @property
    def powered(self) -> bool:
        """True while the status payload is non-zero."""
        return self.phase in (Phase.SCANNING, Phase.ON)

    @property
    def running(self) -> bool:
        """Status ``[6]``: on, not paused, and rollers, an airbag zone or the foot roller on."""
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

    def image(self) -> ChairImage:
        """What the status frame shows now."""
        if not self.powered:
            return ChairImage()
        blank = self.clock.now() < self._blank_until
        return self.selection.image(running=self.running, blank=blank)

    # -- keys -------------------------------------------------------------------------------

    def press(self, code: int) -> None:
        """A press of ``code`` was released now."""
        now = self.clock.now()
        name = self.names.get(code)
        if name is None:
            return
        if name == "power":
            self.stats.accepted += 1
            if self.powered:
                self._settle(now)
            else:
                self._power_on(now)
            return
        if not self.powered:
            self.stats.ignored += 1
            return
        if self._pressure_ignored(name):
            self.stats.pressure_ignored += 1
            return
        self.stats.accepted += 1
        self._select(name, now)
        self._apply(now)

    def _pressure_ignored(self, name: str) -> bool:
        """True for a pressure key this chair ignores now: no airbag zone selected."""
        return (
            self.pressure_needs_airbags
            and name in ("pressure_up", "pressure_down")
            and not self.selection.airbags
        )

    def hold_start(self, code: int) -> None:
        """A backrest key's first tick: the backrest moves until :meth:`hold_end`."""
        now = self.clock.now()
        if not self.powered:
            self.stats.ignored += 1
            return
        self.stats.accepted += 1
        self._holding = code
        self._blank_until = now + BLANK_S
        self.posture.move("backrest", code == self.model.keys.backrest_up, now)

    def hold_end(self, code: int) -> None:
        """The backrest key is no longer on the line: the backrest stops where it is."""
        if self._holding == code:
            # Only the drive this hold started: a settle may have taken the backrest home since.
            self._holding = None
            self.posture.stop("backrest", self.clock.now())

    def _select(self, name: str, now: float) -> None:
        s = self.selection
        if name == "zero_gravity":
            # The posture takes the backrest over from any hold under way.
            self._holding = None
            self._blank_until = now + BLANK_S
            self.posture.toggle_zero_gravity(now)
            return
        top = min(TOP_LEVEL, self.model.intensity_levels)
        steps = len(self.model.session_minutes)
        if s.take(name, top_intensity=top, timer_steps=steps):
            self._restart_program()
        if name == "time":
            self._arm_session(now)

    def _restart_program(self) -> None:
        self._timers.cancel("technique")
        self._timers.cancel("program")
        self.program_end = math.inf

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
        self.selection = Selection.power_on()
        self.fault = None
        self._holding = None
        self._blank_until = -math.inf
        self._enter(Phase.SCANNING, now)
        low, high = self.model.shoulder_window
        self.shoulder = min(high, max(low, body.shoulder))
        # Up to the top and down to the shoulder line it finds.
        scan_s = self.model.mechanics.body_scan_s
        body.carriage.work(now, None)
        body.carriage.follow(now, (body.top, self.shoulder), scan_s)
        self._timers.at("scan", now + scan_s, self._scan_done)
        self._arm_session(now)

    def _scan_done(self) -> None:
        now = self.clock.now()
        self._enter(Phase.ON, now)
        self._apply(now)

    def _arm_session(self, now: float) -> None:
        minutes = self.model.session_minutes[self.selection.minutes]
        self.session_end = now + 60 * minutes
        self._timers.at("session", self.session_end, self._time_over)

    def _time_over(self) -> None:
        self._settle(self.clock.now())

    def _settle(self, now: float) -> None:
        """Power off: rollers stop and go home, depth to 0, airbags vent, heat off, actuators
        home, then off."""
        body = self.body
        self._cancel_all()
        self.selection = Selection()
        self._holding = None
        self._enter(Phase.SETTLING, now)
        body.carriage.work(now, None)
        body.heater.switch(now, False)
        body.foot_roller(now, 0)
        self._airbags = ((), 0)
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
        self.selection = Selection()
        self._holding = None
        self.fault = why
        self._enter(Phase.PROTECTED, now)
        body.carriage.work(now, None)
        body.carriage.stop(now)
        self._depth(now, 0.0)
        self._airbags = ((), 0)
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
        if s.mode == "auto" and not self._timers.pending("program"):
            self.program_end = now + PROGRAM_S[s.profile]
            self._timers.at("program", self.program_end, self._time_over)
        zones = tuple(s.airbags) if working else ()
        cycle = (zones, self._airbag_level() if zones else 0)
        if cycle != self._airbags:
            self._airbags = cycle
            if zones:
                groups = [[AIRBAG_ZONES[key]] for key in zones]
                self.body.airbags.run(now, groups, cycle[1])
            else:
                self.body.airbags.vent(now)
        self.body.foot_roller(now, s.foot_speed if working and s.foot_on else 0)
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
        regions, techniques = self._roller_mode()
        s.technique %= len(techniques)
        carriage.work(now, RollerActivity(techniques[s.technique], s.speed, Width.MEDIUM))
        self._depth(now, float(s.intensity) if self._presses_rollers else OWN_DEPTH)
        carriage.sweep(now, *self._band(regions))
        if len(techniques) > 1 and not self._timers.pending("technique"):
            self._timers.at("technique", now + TECHNIQUE_S, self._next_technique)

    @property
    def _presses_rollers(self) -> bool:
        """True when the pressure keys set the rollers' depth (the model's reading)."""
        return self.model.pressure == "roller_depth"

    def _airbag_level(self) -> int:
        """The level the airbags cycle at: the model's one pressure, or the pressure's."""
        if self._presses_rollers:
            return self.model.airbag_level
        return AIRBAG_PRESSURE_LEVELS[self.selection.intensity]

    def _next_technique(self) -> None:
        self.selection.technique += 1
        self._apply(self.clock.now())

    def _roller_mode(self) -> tuple[list[Region], list[Technique]]:
        """The regions and techniques of the manual modes on (both in auto), in the model's
        order of modes."""
        s = self.selection
        modes = self.model.manual_modes
        names = list(modes) if s.mode == "auto" else [n for n in modes if n in s.manual]
        regions = [r for n in names for r in modes[n].regions]
        techniques: list[Technique] = []
        for name in names:
            techniques += [t for t in modes[name].techniques if t not in techniques]
        return regions, techniques

    def _band(self, regions: list[Region]) -> tuple[float, float]:
        body = self.body
        low = min(REGION_BANDS[r][0] for r in regions)
        high = max(REGION_BANDS[r][1] for r in regions)
        return (
            track_position(low, body.seat_line, self.shoulder) + BAND_INSET,
            track_position(high, body.seat_line, self.shoulder) - BAND_INSET,
        )

    def _depth(self, now: float, level: float) -> float:
        """Send the 3D axis to ``level`` unless it is already headed there; when it arrives."""
        if level != self._depth_target:
            self._depth_target = level
            self._depth_until = self.body.depth.move_to(now, level)
        return max(now, self._depth_until)

    # -- timers -----------------------------------------------------------------------------

    def _cancel_all(self) -> None:
        self._timers.cancel_all()
        self.session_end = math.inf
        self.program_end = math.inf

    def shutdown(self) -> None:
        """Cancel every timer (the chair is being thrown away)."""
        self._cancel_all()
        self.posture.shutdown()
