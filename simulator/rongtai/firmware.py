"""The simulated mainboard: the H10 firmware's state machine, on a Clock.

standby --POWER--> resetting (body scan) --> waiting --mode key--> running
running --POWER or session over--> settling (return home, capped) --> standby
waiting --no key for idle_sleep_s, or POWER--> settling --> standby
any state --fault--> fault (error code latched) --POWER--> standby

Keys are edge events, one per frame (protocols.md 1.3, 1.7). Numbers come from the chair
model: key codes, session default, idle and settle timeouts, actuator watchdog. Every timeout
is one clock timer armed when its state is entered, so the board never polls.

A built-in program does what the RT6923's ``Main_Start_Auto`` does and real RT8600S frames
show: it switches to the full-body airbag program, turns the foot roller on (its speed shown
as "auto") and moves the slide toward the massage position.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import Enum, auto

from chairctl.clock import Clock
from chairctl.vocabulary import (
    REGION_BANDS,
    ActuatorMotion,
    MassageRange,
    Technique,
    Width,
    WorkState,
    track_position,
)
from drivers.models.rongtai import RongtaiModel
from simulator.config import ChairOptions
from simulator.physics.body import Body
from simulator.physics.motion import Path, Polyline
from simulator.physics.parts import Actuator
from simulator.rongtai.codes import ErrorCode
from simulator.rongtai.frames import KEY_NONE
from simulator.rongtai.keymap import (
    AirbagOff,
    Command,
    CycleStrength,
    Hold,
    Part,
    Power,
    SelectTechnique,
    SetAirbagLevel,
    SetFootRoller,
    SetRange,
    SetSession,
    SetSpeed,
    SetWidth,
    StartAuto,
    ToggleAirbagGroup,
    ToggleAnion,
    ToggleHeat,
    ZeroGravity,
    build_keymap,
)
from simulator.rongtai.posture import PostureControl
from simulator.timers import NamedTimers
from simulator.trace import Channel, RollerActivity

#: How long the slide takes to its massage position and back [assumed: no source gives it; a
#: real frame shows it moving within a second of a program's start].
SLIDE_TRAVEL_S = 8.0
#: The foot-roller speed a program starts it at (RT6923 ``Main_Start_Auto``: PWM 2 if off).
AUTO_FOOT_SPEED = 2


class Phase(Enum):
    """What the firmware is doing; the scan and the return home both report "resetting"."""

    STANDBY = auto()
    SCANNING = auto()
    WAITING = auto()
    RUNNING = auto()
    SETTLING = auto()
    FAULT = auto()

    @property
    def work_state(self) -> WorkState:
        """The work state a status frame reports."""
        return _REPORTED[self]


_REPORTED = {
    Phase.STANDBY: WorkState.STANDBY,
    Phase.SCANNING: WorkState.RESETTING,
    Phase.WAITING: WorkState.WAITING,
    Phase.RUNNING: WorkState.RUNNING,
    Phase.SETTLING: WorkState.RESETTING,
    Phase.FAULT: WorkState.FAULT,
}


@dataclass
class Settings:
    """What the chair remembers between sessions."""

    strength: int
    speed: int
    width: Width
    massage_range: MassageRange
    airbag_level: int
    session_min: int


@dataclass
class Session:
    """What one powered-on session has selected; cleared at power-off."""

    technique: SelectTechnique | None = None
    auto: int | None = None
    airbag_groups: list[int] = field(default_factory=list)
    #: The full-body airbag program (b12 bit 6) a built-in program switched to: every group
    #: works, and a group key leaves it for that group alone (RT6923: AIRBAG_LOCATE_AUTO).
    airbag_full: bool = False
    #: The anion (ionizer) is on (b3 bit 6): a remote's key, off again at power-off.
    anion: bool = False
    foot_speed: int = 0
    #: Where partial and point massage centre, in carriage units.
    focus: float | None = None
    walk: ActuatorMotion = ActuatorMotion.STOPPED
    #: The foot roller runs as a built-in program set it: its status shows speed 0, "auto".
    foot_auto: bool = False


@dataclass
class KeyStats:
    """How received keys fared, for tests and diagnostics."""

    accepted: int = 0
    ignored: int = 0
    unknown: int = 0
    lost: int = 0


class Mainboard:
    """The firmware of one simulated H10 chair."""

    def __init__(
        self, model: RongtaiModel, clock: Clock, body: Body, options: ChairOptions
    ) -> None:
        self.model = model
        self.clock = clock
        self.body = body
        self.options = options
        self.keymap: dict[int, Command] = build_keymap(model.keys)
        #: The zones of each airbag group key, in the model's order.
        self.airbag_groups = tuple(frozenset(g.zones) for g in model.keys.airbag_groups)
        self.phase = Phase.STANDBY
        self.settings = Settings(
            strength=min(options.initial_strength, model.intensity_levels),
            speed=min(options.initial_speed, max(1, len(model.keys.speeds))),
            width=options.initial_width,
            massage_range=options.initial_range,
            airbag_level=min(options.initial_airbag_level, max(1, len(model.keys.airbag_levels))),
            session_min=model.timing.default_session_min,
        )
        self.session = Session()
        self.error_code: int | None = None
        #: The shoulder line the last body scan found (None until one has).
        self.shoulder: float | None = None
        self.scan_started = -math.inf
        self.session_end = math.inf
        self.stats = KeyStats()
        self._last_key = -math.inf
        self._key_gap = model.timing.key_gap_ms / 1000 if options.enforce_key_gap else 0.0
        self._timers: NamedTimers[str] = NamedTimers(clock)
        self._settle_until = -math.inf
        self.posture = PostureControl(
            clock, body, options, model.mechanics.actuator_timeout_s, self._fault
        )
        #: The slide (or zero-G) actuator, which only the built-in programs drive here:
        #: "up" is its way home, as b10 bits 4-5 report it. Not a part of the person's posture.
        path: Channel[Path] = Channel(clock.now(), Polyline.hold(clock.now(), 0.0))
        self.slide = Actuator(path, SLIDE_TRAVEL_S, up_is_home=True)

    # -- keys -------------------------------------------------------------------------------

    def press(self, key: int) -> None:
        """One key frame arrived now."""
        now = self.clock.now()
        if key == KEY_NONE:
            return
        if now - self._last_key < self._key_gap:
            # The firmware keeps one key until its main loop takes it; a faster one is lost.
            self.stats.lost += 1
            return
        self._last_key = now
        command = self.keymap.get(key)
        if command is None:
            self.stats.unknown += 1
        elif self._accept(command, now):
            self.stats.accepted += 1
        else:
            self.stats.ignored += 1

    def _accept(self, command: Command, now: float) -> bool:
        if isinstance(command, Hold) and not command.start:
            # A STOP must stop, whatever the state: it may be all that stands between an
            # actuator and an obstruction.
            self._hold_stop(command.part, now)
            if self.phase is Phase.WAITING:
                self._arm_idle(now)
            return True
        if isinstance(command, Power):
            return self._power(now)
        phase = self.phase
        if phase is Phase.STANDBY:
            # The firmware's standby gate lets POWER and the posture keys through.
            if isinstance(command, Hold) and command.part is not Part.WALK:
                self.posture.start(command.part, command.up, now)
                return True
            if isinstance(command, ZeroGravity):
                self.posture.zero_gravity(now)
                return True
            return False
        if phase not in (Phase.WAITING, Phase.RUNNING):
            return False
        if phase is Phase.WAITING:
            self._arm_idle(now)
        self._operate(command, now)
        return True

    def _operate(self, command: Command, now: float) -> None:
        settings, session = self.settings, self.session
        match command:
            case SelectTechnique():
                session.technique = command
                session.auto = None
                self._start_running(now)
                self._refresh_rollers(now)
            case StartAuto(index=index):
                session.auto = index
                session.technique = self._auto_technique()
                self._start_running(now)
                self._refresh_rollers(now)
                self._auto_program(now)
            case CycleStrength():
                settings.strength = settings.strength % self.model.intensity_levels + 1
                self._refresh_rollers(now)
            case SetSpeed(level=level):
                settings.speed = level
                self._refresh_rollers(now)
            case SetWidth(width=width):
                settings.width = width
                self._refresh_rollers(now)
            case SetRange(massage_range=massage_range):
                settings.massage_range = massage_range
                session.focus = self.body.carriage.position(now)
                self._refresh_rollers(now)
            case ToggleHeat():
                self.body.heater.switch(now, not self.body.heater.on)
            case ToggleAirbagGroup(index=index):
                groups = session.airbag_groups
                if session.airbag_full:
                    # The firmware's working state: from the full-body program a group key
                    # clears it, then selects its own group.
                    session.airbag_full = False
                    groups.clear()
                if index in groups:
                    groups.remove(index)
                else:
                    groups.append(index)
                if groups:
                    self._start_running(now)
                self._refresh_airbags(now)
            case SetAirbagLevel(level=level):
                settings.airbag_level = level
                self._refresh_airbags(now)
            case AirbagOff():
                session.airbag_groups.clear()
                session.airbag_full = False
                self._refresh_airbags(now)
            case SetFootRoller(speed=speed):
                session.foot_speed = speed
                session.foot_auto = False
                if speed:
                    self._start_running(now)
                self._refresh_foot(now)
            case SetSession(minutes=minutes):
                settings.session_min = minutes
                if self.phase is Phase.RUNNING:
                    self._arm_session(now)
            case Hold(part=Part.WALK, up=up):
                session.walk = ActuatorMotion.UP if up else ActuatorMotion.DOWN
                self.body.carriage.move_to(now, self.body.top if up else 0.0)
            case Hold():
                self.posture.start(command.part, command.up, now)
            case ZeroGravity():
                self.posture.zero_gravity(now)
            case ToggleAnion():
                session.anion = not session.anion

    # -- states -----------------------------------------------------------------------------

    def _enter(self, phase: Phase, now: float) -> None:
        self.phase = phase
        self.body.trace.work_state.set(now, phase.work_state)

    def _power(self, now: float) -> bool:
        phase = self.phase
        if phase is Phase.STANDBY:
            self._scan(now)
        elif phase is Phase.FAULT:
            # POWER acknowledges the fault; the chair stays where it stopped.
            self.error_code = None
            self._standby(now)
        elif phase is Phase.SETTLING:
            return False
        else:
            self._settle(now)
        return True

    def _scan(self, now: float) -> None:
        body = self.body
        self._enter(Phase.SCANNING, now)
        self.scan_started = now
        low, high = self.model.shoulder_window
        self.shoulder = min(high, max(low, body.shoulder))
        # One sweep through the shoulder window and back to the shoulder line it found.
        scan_s = self.model.mechanics.body_scan_s
        body.carriage.work(now, None)
        body.carriage.follow(now, (low, high, self.shoulder), scan_s)
        self._timers.at("scan", now + scan_s, self._scan_done)

    def _scan_done(self) -> None:
        now = self.clock.now()
        self._enter(Phase.WAITING, now)
        self._arm_idle(now)

    def _arm_idle(self, now: float) -> None:
        self._timers.at("idle", now + self.model.timing.idle_sleep_s, self._idle_over)

    def _idle_over(self) -> None:
        if self.phase is Phase.WAITING:
            self._settle(self.clock.now())

    def _start_running(self, now: float) -> None:
        if self.phase is Phase.WAITING:
            self._timers.cancel("idle")
            self._enter(Phase.RUNNING, now)
            self._arm_session(now)

    def _arm_session(self, now: float) -> None:
        self.session_end = now + 60 * self.settings.session_min
        self._timers.at("session", self.session_end, self._session_over)

    def _session_over(self) -> None:
        if self.phase is Phase.RUNNING:
            self._settle(self.clock.now())

    def _settle(self, now: float) -> None:
        """Return home: rollers park, depth retracts, airbags vent, heat off, actuators home."""
        body = self.body
        self._enter(Phase.SETTLING, now)
        for name in ("scan", "idle", "session"):
            self._timers.cancel(name)
        self.session = Session()
        self.session_end = math.inf
        body.carriage.work(now, None)
        body.heater.switch(now, False)
        body.foot_roller(now, 0)
        done = [
            body.carriage.move_to(now, body.park),
            body.depth.move_to(now, 0.0),
            body.airbags.vent(now),
            *self.posture.home(now),
            self._slide_home(now),
        ]
        self._settle_until = max(done)
        cap = now + self.model.timing.settle_cap_s
        self._timers.at("settle", min(self._settle_until, cap), self._settle_done)

    def _settle_done(self) -> None:
        now = self.clock.now()
        body = self.body
        if self._settle_until > now:
            # The 2-minute protection cut the return short: stop everything where it is.
            body.carriage.stop(now)
            body.depth.stop(now)
            self.posture.stop_all(now)
            self.slide.stop(now)
        self._standby(now)

    def _standby(self, now: float) -> None:
        self.shoulder = None
        self.settings.session_min = self.model.timing.default_session_min
        self._enter(Phase.STANDBY, now)

    def _fault(self, code: int) -> None:
        """Safe release and latch: nothing moves again until POWER acknowledges the fault."""
        if self.phase is Phase.FAULT:
            return
        now = self.clock.now()
        body = self.body
        self._timers.cancel_all()
        self.error_code = code
        self._enter(Phase.FAULT, now)
        self.session = Session()
        self.session_end = math.inf
        self.shoulder = None
        body.carriage.work(now, None)
        body.carriage.stop(now)
        body.depth.move_to(now, 0.0)
        body.airbags.vent(now)
        body.heater.switch(now, False)
        body.foot_roller(now, 0)
        # No actuator is driven after a fault, not even home: it may be pressing on someone.
        self.posture.stop_all(now)
        self.slide.stop(now)

    # -- faults from outside ----------------------------------------------------------------

    def overload(self, code: ErrorCode = ErrorCode.KNEAD_OVERLOAD) -> None:
        """A motor overload: the chair faults with ``code``."""
        self._fault(code)

    def fail_limit_switches(self) -> None:
        """The actuators' limit switches stop reporting; drives now run into the watchdog."""
        self.posture.fail_limit_switches(self.clock.now())

    # -- rollers, airbags, foot roller ------------------------------------------------------

    def _auto_program(self, now: float) -> None:
        """What starting a built-in program does besides the rollers (RT6923
        ``Main_Start_Auto``; real frames of auto programs show each: b12 0x40 with airbags
        working, b2 bit 5 with b6 speed mostly 0, b10 0x20)."""
        session = self.session
        session.airbag_groups = list(range(len(self.airbag_groups)))
        session.airbag_full = bool(self.airbag_groups)
        self._refresh_airbags(now)
        if not session.foot_speed and self.model.keys.foot_roller:
            session.foot_speed = min(AUTO_FOOT_SPEED, len(self.model.keys.foot_roller))
            session.foot_auto = True
            self._refresh_foot(now)
        if self.slide.at(now) < 1.0:
            self.slide.drive(now, ActuatorMotion.DOWN)

    def _slide_home(self, now: float) -> float:
        """Drive the slide home if it is away; when it gets there."""
        if self.slide.at(now) > 0 or self.slide.motion(now) is not ActuatorMotion.STOPPED:
            return self.slide.drive(now, ActuatorMotion.UP)
        return now

    def _auto_technique(self) -> SelectTechnique:
        techniques = self.model.keys.techniques
        technique = Technique.KNEAD if Technique.KNEAD in techniques else next(iter(techniques))
        return SelectTechnique(technique, techniques[technique].status_code)

    def _band(self, now: float) -> tuple[float, float]:
        body, session = self.body, self.session
        shoulder = body.shoulder if self.shoulder is None else self.shoulder
        if session.auto is not None:
            regions = self.model.keys.auto_programs[session.auto].regions
            low = min(REGION_BANDS[r][0] for r in regions)
            high = max(REGION_BANDS[r][1] for r in regions)
            return (
                track_position(low, body.seat_line, shoulder),
                track_position(high, body.seat_line, shoulder),
            )
        massage_range = self.settings.massage_range
        if massage_range is MassageRange.FULL:
            return body.seat_line, shoulder
        focus = body.carriage.position(now) if session.focus is None else session.focus
        half = (
            self.model.mechanics.partial_half_span
            if massage_range is MassageRange.PARTIAL
            else self.model.mechanics.point_half_span
        )
        return focus - half, focus + half

    def _refresh_rollers(self, now: float) -> None:
        body, session, settings = self.body, self.session, self.settings
        technique = session.technique
        if self.phase is Phase.RUNNING and technique is not None:
            body.carriage.work(
                now, RollerActivity(technique.technique, settings.speed, settings.width)
            )
            body.depth.move_to(now, float(settings.strength))
            if session.walk is ActuatorMotion.STOPPED:
                body.carriage.sweep(now, *self._band(now))
        else:
            body.carriage.work(now, None)
            body.depth.move_to(now, 0.0)

    def _refresh_airbags(self, now: float) -> None:
        groups = self.model.keys.airbag_groups
        if self.phase is Phase.RUNNING and self.session.airbag_groups:
            chosen = [groups[i].zones for i in self.session.airbag_groups]
            self.body.airbags.run(now, chosen, self.settings.airbag_level)
        else:
            self.body.airbags.vent(now)

    def _refresh_foot(self, now: float) -> None:
        speed = self.session.foot_speed if self.phase is Phase.RUNNING else 0
        self.body.foot_roller(now, speed)

    # -- hold-to-move -----------------------------------------------------------------------

    def _hold_stop(self, part: Part, now: float) -> None:
        if part is not Part.WALK:
            self.posture.stop(part, now)
        elif self.session.walk is not ActuatorMotion.STOPPED:
            self.session.walk = ActuatorMotion.STOPPED
            self.body.carriage.stop(now)
            self.session.focus = self.body.carriage.position(now)
            self._refresh_rollers(now)

    # -- reporting --------------------------------------------------------------------------

    def remaining(self, t: float) -> int:
        """Seconds left on the session timer; the preset length while not running."""
        if self.phase is Phase.RUNNING:
            return max(0, math.ceil(self.session_end - t - 1e-9))
        return 60 * self.settings.session_min

    # -- timers -----------------------------------------------------------------------------

    def shutdown(self) -> None:
        """Cancel every timer (the chair is being thrown away)."""
        self._timers.cancel_all()
        self.posture.shutdown()
