"""The Rongtai H10 reconciler: from the latest status to the next key, until they agree.

Each turn reads the latest status, picks the one action that brings the chair closest to
its :class:`~drivers.adapters.rongtai.targets.Targets`, performs it and lets the status judge
it (the toggle rule, :mod:`drivers.adapters.confirm`), then reads again. Every decision
starts from what the chair reports, so a chair that changed by itself (its own timer, its
remote) is planned from where it really is. The order of the actions, and why, is in
``docs/reconciler.md``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Final

from chairctl.vocabulary import (
    MAX_INTENSITY,
    AirbagZone,
    ChairFault,
    ChairStatus,
    MassageRange,
    ModelMismatch,
    NotConfirmed,
    WorkState,
)
from chairctl.vocabulary.limits import NECK_MAX_INTENSITY
from drivers.adapters.base import Port
from drivers.adapters.confirm import Confirmer
from drivers.adapters.posture import PostureGoal
from drivers.adapters.reconcile import Await, ReconcileLoop
from drivers.adapters.rongtai.targets import Targets, scale
from drivers.models.rongtai import TECHNIQUE_LABELS, RongtaiModel, TechniqueKey
from drivers.protocols.rongtai import PROGRAM_3D, rongtai_detail

#: b9 bit 6: the body scan is running (protocols.md 1.5). "Resetting" is either the scan
#: after POWER or the return home after it; this bit tells which. Real chairs also scan at
#: the start of a session while they report "running" (captured: b7 3, b9 0x40).
SCAN_RUNNING: Final = 0x40
#: The program number of manual operation, in every status map (RT6923: ``7 << 2``).
MANUAL: Final = 7
#: States in which the vendor app sends nothing, and neither do we.
_BUSY: Final = (WorkState.RESETTING, WorkState.STORING)
_ON: Final = (WorkState.WAITING, WorkState.RUNNING)

Taken = Callable[[ChairStatus], bool]


@dataclass(frozen=True)
class Press:
    """Send one key and let the status judge it."""

    key: int
    #: What the key is for; refutations are counted per label.
    label: str
    taken: Taken
    #: A mode key: not sooner than ``power_to_mode_s`` after POWER from standby.
    mode: bool = True
    #: POWER from standby.
    powers_on: bool = False
    #: For a technique key: the technique the model file says it selects (so a status that
    #: shows the chair change to another says the file is wrong).
    claims: str | None = None
    #: The key moves the band the rollers work, so where it centres is no longer known. A
    #: technique key does not: the chair keeps the band where the walk left it [assumed: as
    #: the firmware's partial range keeps its focus].
    moves_band: bool = False
    #: Levels the depth of working rollers comes down when the key takes. The status shows
    #: the new level at once, the 3D axis takes its travel time to get there: nothing
    #: carries the rollers' work anywhere new until it has had that time.
    lowers_depth: int = 0
    #: The key carries working rollers' band somewhere new (a range key), so it waits, as
    #: a walk does, for a lowered depth to have retracted.
    carries: bool = False


@dataclass(frozen=True)
class Walk:
    """Move the roller carriage to a position with the walk START/STOP pair.

    The walk is reckoned from the moment the status shows the carriage cross a half-position
    mark. When the target lies in the position the carriage already shows, there is no mark
    on the way: the carriage first steps off into the next position, ``up`` or down (toward
    the side with more room), and comes back across the mark.
    """

    target: float
    up: bool = False


@dataclass(frozen=True)
class ZeroGravity:
    """Press the zero-gravity toggle, into the posture or out of it."""

    going: bool


@dataclass(frozen=True)
class SetRange:
    """Choose the massage range with the rollers at rest, before they start.

    A range key sets a value (it is not a toggle), so pressing it is safe whatever the chair
    shows; a resting chair's status does not show its range, so this press is not confirmed
    here: the status confirms the range once the rollers work, and it is corrected then.
    """

    key: int
    massage_range: MassageRange


@dataclass(frozen=True)
class SetTimer:
    """Set the chair's session timer with a preset key, once after each power-on.

    A preset key sets a value (it is not a toggle), so pressing it is safe whatever the chair
    shows; and the status's preset field is doubtful on real chairs, so it is not made to
    confirm: a timer that did not take leaves the controller's own cap in charge.
    """

    key: int
    minutes: int


Step = Press | Await | Walk | ZeroGravity | SetTimer | SetRange


def _fault_text(status: ChairStatus) -> str:
    code = "" if status.error_code is None else f" (error code {status.error_code})"
    return f"the chair reports a fault{code}"


def _airbag_group_is(zones: frozenset[AirbagZone], wanted: bool) -> Taken:
    return lambda s: (zones <= s.airbag_program) == wanted


def scanning_on(status: ChairStatus) -> bool:
    """True while a switched-on chair scans the body: its rollers move and press, with no
    technique shown."""
    return status.work_state is WorkState.RUNNING and bool(
        rongtai_detail(status).body_scan & SCAN_RUNNING
    )


def own_program(status: ChairStatus) -> bool:
    """True while the chair runs a program of its own (built-in, 3D, downloaded), which picks
    its own regions, techniques, depth and airbags: anything but manual (7) while running."""
    return status.work_state is WorkState.RUNNING and status.program_code not in (0, MANUAL)


def rollers_working(status: ChairStatus) -> bool:
    """True while the rollers work, whatever the technique field says: it reads 0 all through
    a 3D program (RT6923 ``Main_Send``: "in 3D the technique is shown as stopped"; a real 3D
    capture has it so) and through a body scan."""
    return (
        status.technique_code != 0
        or status.program == PROGRAM_3D
        or bool(rongtai_detail(status).mode_3d)
        or scanning_on(status)
    )


class Reconciler(ReconcileLoop[Targets, ChairStatus, Step, Confirmer]):
    """Brings one chair to Targets, key by confirmed key."""

    #: More actions than any setpoint needs (4 intensity steps, 4 airbag groups, a restart and
    #: the power-on that follows it...); reaching it means the chair keeps undoing our work.
    max_steps = 60

    def __init__(
        self, model: RongtaiModel, window_s: float, attempts: int, key_name: Callable[[int], str]
    ) -> None:
        self.model = model
        self.keys = model.keys
        self.window_s = window_s
        self.attempts = attempts
        self.key_name = key_name
        mechanics, timing = model.mechanics, model.timing
        self._levels = model.intensity_levels
        #: The deepest 3D level allowed at the neck, on this chair's scale.
        self._neck_depth = scale(NECK_MAX_INTENSITY, MAX_INTENSITY, self._levels)
        self._top = mechanics.roller_positions - 1
        self._ranges = {MassageRange(name): key for name, key in self.keys.ranges.items()}
        #: What the model file says each technique code is.
        self._named = {spec.status_code: str(t) for t, spec in self.keys.techniques.items()}
        #: Technique codes whose key the chair has shown to select them.
        self._verified: set[int] = set()
        #: Half the band of each range the carriage can be walked in (not full: the chair's).
        self._halves = {
            MassageRange.PARTIAL: mechanics.partial_half_span,
            MassageRange.POINT: mechanics.point_half_span,
        }
        # Bounds on the chair's own doings; the scan time is an assumption, so it gets slack.
        self._scan_limit = 2 * mechanics.body_scan_s + window_s
        self._settle_limit = timing.settle_cap_s + window_s
        self._walk_limit = mechanics.roller_travel_s + window_s
        #: Carriage speed in positions per second, to reckon between the whole positions
        #: the status reports.
        self._walk_speed = self._top / mechanics.roller_travel_s
        self._actuator_limit = mechanics.actuator_timeout_s + window_s
        #: The time the 3D axis takes to travel one level.
        self._level_s = mechanics.depth_travel_s / max(1, self._levels - 1)
        #: When a depth lowered with the rollers working has had time to get there.
        self._retracted_at = -math.inf
        #: Where the partial/point band was last centred by a walk; None when not known.
        self._focus: float | None = None
        #: True while the chair is in zero gravity because we put it there.
        self._zero_g_ours = False
        #: The range pressed while the rollers rested, until they start (None: none yet).
        self._range_at_rest: MassageRange | None = None
        #: The session timer preset to set after each power-on; None: leave the chair's own.
        self.timer_minutes: int | None = None
        self._timer_set = False
        self._powered_at = -math.inf

    def forget(self) -> None:
        """Forget what the status does not show (after a reconnect or a fault)."""
        self._focus = None
        self._zero_g_ours = False
        self._range_at_rest = None

    # -- the loop's hooks (the loop itself: drivers.adapters.reconcile) -------------------------

    def begin_run(self, port: Port) -> Confirmer:
        """The toggle rule, with the refutations of this run."""
        return Confirmer(self.window_s, self.attempts, self.key_name)

    def observe(self, port: Port) -> ChairStatus:
        """The latest status, as it is: a fault shows in it (:meth:`next_step` raises)."""
        return port.status

    def decide(self, targets: Targets, seen: ChairStatus, now: float) -> Step | None:
        """:meth:`next_step`."""
        return self.next_step(targets, seen)

    # -- deciding -------------------------------------------------------------------------------

    def next_step(self, t: Targets, s: ChairStatus) -> Step | None:
        """The one action to take now, or None when the status already matches."""
        state = s.work_state
        if state is WorkState.FAULT:
            raise ChairFault(_fault_text(s), error_code=s.error_code)
        if state in _BUSY:
            self.forget()
            if rongtai_detail(s).body_scan & SCAN_RUNNING:
                return Await("the body scan", lambda x: x.work_state not in _BUSY, self._scan_limit)
            return Await(
                "the chair returning home", lambda x: x.work_state not in _BUSY, self._settle_limit
            )
        if state is WorkState.STANDBY:
            self._focus = None
            self._range_at_rest = None
            # The chair forgets its timer when it stands by.
            self._timer_set = False
            if t.needs_power:
                return Press(
                    self.keys.power,
                    "power on",
                    lambda x: x.work_state is not WorkState.STANDBY,
                    mode=False,
                    powers_on=True,
                )
            return self._posture(t, s)
        if scanning_on(s):
            return self._while_scanning(t, s)
        if self.timer_minutes is not None and not self._timer_set:
            key = self.keys.session_presets.get(self.timer_minutes)
            if key is not None:
                return SetTimer(key, self.timer_minutes)
        working = rollers_working(s)
        if working:
            self._range_at_rest = None
        if working and t.technique is None:
            return self._switch_off("switch off to rest the rollers")
        if own_program(s):
            # Its own program (the remote's, most likely) places, presses and inflates as it
            # likes, full-body airbags and all; only a restart brings it under our keys.
            return self._switch_off("switch off to take over from the chair's own program")
        # Less comes first: whatever presses harder than the setpoint asks is lowered before
        # anything moves, so no stronger setting is ever carried somewhere new.
        lower = (
            (self._lower_depth(t, s) if working else None)
            or self._airbags_down(t, s)
            or self._heat_off(t, s)
        )
        if lower is not None:
            return lower
        # Then the airbags, which do not move: their contact goes on while the rollers are
        # placed, rather than resting for the walk and starting again after it.
        airbags = self._airbags(t, s)
        if airbags is not None:
            return airbags
        step = self._rollers(t, s, working) if t.technique is not None else None
        return step or self._heat(t, s) or self._foot(t, s) or self._posture(t, s)

    def _while_scanning(self, t: Targets, s: ChairStatus) -> Step:
        """A chair scanning the body at the start of a session (as real ones do, reporting
        "running"): what is more than the target goes off first, rollers that should rest are
        switched off, and otherwise nothing is pressed into the scan."""
        self.forget()
        lower = self._airbags_down(t, s) or self._heat_off(t, s)
        if lower is not None:
            return lower
        if t.technique is None:
            return self._switch_off("switch off to rest the rollers")
        if own_program(s):
            return self._switch_off("switch off to take over from the chair's own program")
        return Await("the body scan", lambda x: not scanning_on(x), self._scan_limit)

    def would_restart(self, t: Targets, s: ChairStatus) -> bool:
        """True when bringing the chair from ``s`` to ``t`` takes a restart (switched off, it
        returns home and scans the back before the rollers work again), or one is under way:
        every contact with the body then ends, and the next starts afresh."""
        if s.work_state in _BUSY or own_program(s):
            return True
        if not rollers_working(s) or s.work_state is not WorkState.RUNNING:
            return False
        if t.technique is None:
            return True
        if t.intensity is not None and t.intensity < s.intensity < self._levels:
            return True
        return (
            t.position is not None
            and self._focus != t.position
            and t.crosses(self._here(s), t.position)
        )

    def _lower_depth(self, t: Targets, s: ChairStatus) -> Step | None:
        """Lower the 3D depth of working rollers to the target's before anything else moves:
        one step of the cycling key from the top wraps to the gentlest level; below the top it
        only steps up, through stronger levels, so the chair restarts instead (it returns home,
        rollers retracted)."""
        depth = t.intensity
        if depth is None or s.intensity <= depth:
            return None
        if s.intensity >= self._levels:
            # The status confirms level 1 at once; the depth retracts on its own time.
            return replace(self._cycle(s), lowers_depth=s.intensity - 1)
        return self._switch_off("switch off to lower the intensity")

    def _technique(self, spec: TechniqueKey) -> Press:
        code = spec.status_code
        return Press(
            spec.key,
            "technique",
            lambda x: x.technique_code == code,
            claims=self._named.get(code, f"code {code}"),
        )

    def _switch_off(self, label: str) -> Press:
        return Press(
            self.keys.power,
            label,
            lambda x: x.work_state not in _ON,
            mode=False,
            moves_band=True,
        )

    def _cycle(self, s: ChairStatus) -> Press:
        key = self.keys.intensity_cycle
        if key is None:  # the target mapper refuses such setpoints
            raise NotConfirmed("intensity: this chair has no intensity key")
        expected = s.intensity % self._levels + 1
        return Press(key, "intensity", lambda x: x.intensity == expected)

    def _near_neck(self, t: Targets, s: ChairStatus) -> bool:
        """True while the rollers' band may still reach the neck and the target must not."""
        if t.neck_clear_below is None:
            return False
        # A walk leaves the band centred where we put it; otherwise the status only gives
        # whole positions, so the carriage may be up to half a position higher.
        here = self._focus if self._focus is not None else s.roller_position + 0.5
        return here > t.neck_clear_below + 1e-9

    def _rollers(self, t: Targets, s: ChairStatus, working: bool) -> Step | None:
        keys, technique = self.keys, t.technique
        assert technique is not None
        near_neck = self._near_neck(t, s)
        # Set the depth while the rollers rest: then stepping through levels presses no one.
        # Near the neck, no deeper than the neck allows; the rest comes once clear of it.
        depth = t.intensity
        if depth is not None and near_neck:
            depth = min(depth, self._neck_depth)
        if not working and depth is not None and s.intensity != depth:
            return self._cycle(s)
        width = t.width
        if width is not None and s.width is not width:
            return Press(keys.widths[width], "width", lambda x: x.width is width)
        if not working:
            # Place the band while the rollers rest: its range first, then the walk, so they
            # start where they should and never sweep where they should not.
            start = t.approach if near_neck and t.approach is not None else technique
            # A key not yet seen to do what the model file says is first tried clear of the
            # neck, in the point range: were the file wrong, it could be percussion. Whether
            # to try one does not hang on where the carriage shows (near the neck, the gentle
            # approach starts; clear of it, the technique): a carriage just below the line
            # would flip between the two, and between the trial's band and the target's.
            choices = [technique] if t.approach is None else [technique, t.approach]
            untried = [k for k in choices if k.status_code not in self._verified]
            trial = t.verify_at is not None and bool(untried)
            resting_range = MassageRange.POINT if trial else t.massage_range
            if resting_range is not None and self._range_at_rest is not resting_range:
                return SetRange(self._ranges[resting_range], resting_range)
            place = t.verify_at if trial else t.position
            if place is not None and self._focus != place:
                return Walk(place, self._room_up(t))
            # Start gently where the rollers are: percussion only once clear of the neck.
            if trial:
                start = untried[0]
            return self._technique(start)
        code = technique.status_code
        if t.neck_clear_below is None and s.technique_code != code:
            # A setpoint the neck allows anyway changes technique first: it is what the person
            # feels, and nothing it does could pass over the neck while the rollers are placed.
            return self._technique(technique)
        massage_range = t.massage_range
        # Place the rollers before the technique or the depth changes: moving away from the
        # neck first, a stronger setting never passes over it (see _travel for how).
        if t.position is not None and self._focus != t.position:
            return self._travel(t, s)
        if massage_range is not None and s.massage_range is not massage_range:
            return Press(
                self._ranges[massage_range],
                "massage range",
                lambda x: x.massage_range is massage_range,
                moves_band=True,
                carries=True,
            )
        if near_neck:
            clear = t.neck_clear_below
            assert clear is not None
            return Await(
                "the rollers moving clear of the neck",
                lambda x: x.roller_position + 0.5 <= clear,
                self._walk_limit,
            )
        if s.technique_code != code:
            return self._technique(technique)
        if t.intensity is not None and s.intensity != t.intensity:
            return self._cycle(s)
        speed = t.speed
        if speed is not None and s.speed != speed:
            return Press(keys.speeds[speed - 1], "speed", lambda x: x.speed == speed)
        return None

    def _here(self, s: ChairStatus) -> float:
        """Where the band is centred, as far as we know: where a walk left it, else the
        carriage's reported position (whole positions: half a position either way)."""
        return self._focus if self._focus is not None else float(s.roller_position)

    def _travel(self, t: Targets, s: ChairStatus) -> Step:
        """Move working rollers' band to its place. The walk carries the carriage alone (the
        band sweeps again where it stops), so a band narrows before it moves and widens after:
        no band ever sweeps beyond the clear stretch it was placed in. From the full range the
        target range comes first, centred where the carriage is; a walk cannot place a band in
        the full range. And a move that would carry working rollers over a region kept off
        becomes a restart: the rollers rest while the carriage crosses it."""
        target, wanted = t.position, t.massage_range
        assert target is not None
        assert wanted is not None
        current = s.massage_range
        narrows = wanted is MassageRange.POINT and current is MassageRange.PARTIAL
        if current not in self._halves or narrows:
            return Press(
                self._ranges[wanted],
                "massage range",
                lambda x: x.massage_range is wanted,
                moves_band=True,
                carries=True,
            )
        if t.crosses(self._here(s), target):
            return self._switch_off(
                "switch off to cross a region kept off with the rollers at rest"
            )
        return Walk(target, self._room_up(t))

    def _room_up(self, t: Targets) -> bool:
        """True when there is more clear track above the target than below it, for a walk
        that must step off before it comes back (the neck counts as above)."""
        target = t.position
        assert target is not None
        above = [a for a, _b in t.keep_clear if a >= target]
        below = [b for _a, b in t.keep_clear if b <= target]
        ceiling = min([*above, float(self._top)])
        if t.neck_clear_below is not None:
            ceiling = min(ceiling, t.neck_clear_below)
        floor = max([*below, 0.0])
        return ceiling - target > target - floor

    def _airbags_down(self, t: Targets, s: ChairStatus) -> Step | None:
        """What of the airbags is more than the target: a group not asked for, or a higher
        level. Taken before anything moves or inflates more."""
        keys = self.keys
        program = s.airbag_program
        if not program and not s.airbag_level:
            return None
        if not t.airbag_groups and keys.airbag_off is not None:
            return Press(
                keys.airbag_off,
                "airbags off",
                lambda x: not x.airbag_program and x.airbag_level == 0,
            )
        for index, group in enumerate(keys.airbag_groups):
            zones = frozenset(group.zones)
            if zones <= program and index not in t.airbag_groups:
                return Press(
                    group.key, f"airbags {'+'.join(group.zones)}", _airbag_group_is(zones, False)
                )
        level = t.airbag_level
        if level and s.airbag_level > level:
            return Press(
                keys.airbag_levels[level - 1], "airbag level", lambda x: x.airbag_level == level
            )
        return None

    def _heat_off(self, t: Targets, s: ChairStatus) -> Step | None:
        return self._heat(t, s) if s.heat and not t.heat else None

    def _airbags(self, t: Targets, s: ChairStatus) -> Step | None:
        keys = self.keys
        program = s.airbag_program
        if not t.airbag_groups and keys.airbag_off is not None:
            if program or s.airbag_level:
                return Press(
                    keys.airbag_off,
                    "airbags off",
                    lambda x: not x.airbag_program and x.airbag_level == 0,
                )
            return None
        for index, group in enumerate(keys.airbag_groups):
            zones = frozenset(group.zones)
            wanted = index in t.airbag_groups
            if (zones <= program) != wanted:
                return Press(
                    group.key, f"airbags {'+'.join(group.zones)}", _airbag_group_is(zones, wanted)
                )
        level = t.airbag_level
        if level and s.airbag_level != level:
            return Press(
                keys.airbag_levels[level - 1], "airbag level", lambda x: x.airbag_level == level
            )
        return None

    def _heat(self, t: Targets, s: ChairStatus) -> Step | None:
        key = self.keys.heat_toggle
        if key is None or s.heat == t.heat:
            return None
        wanted = t.heat
        return Press(key, "heat", lambda x: x.heat == wanted)

    def _foot(self, t: Targets, s: ChairStatus) -> Step | None:
        keys, wanted = self.keys, t.foot_roller
        if wanted == 0:
            if s.foot_roller and keys.foot_roller_off is not None:
                return Press(keys.foot_roller_off, "foot rollers off", lambda x: not x.foot_roller)
            return None
        if s.foot_roller and s.foot_roller_speed == wanted:
            return None
        return Press(
            keys.foot_roller[wanted - 1],
            "foot rollers",
            lambda x: x.foot_roller and x.foot_roller_speed == wanted,
        )

    def _posture(self, t: Targets, s: ChairStatus) -> Step | None:
        if s.zero_g and not s.actuators_moving and t.posture is PostureGoal.ZERO_G:
            self._zero_g_ours = True
        # Leave zero gravity only if we took the chair there: the backrest and leg rest are
        # not ours to move when the person set them with the remote.
        leave = t.posture is PostureGoal.UPRIGHT and self._zero_g_ours
        if t.posture is not PostureGoal.ZERO_G and not leave:
            return None
        if s.actuators_moving:
            return Await(
                "the backrest and leg rest", lambda x: not x.actuators_moving, self._actuator_limit
            )
        if t.posture is PostureGoal.ZERO_G and not s.zero_g:
            return ZeroGravity(going=True)
        if leave and s.zero_g:
            return ZeroGravity(going=False)
        if leave:
            self._zero_g_ours = False
        return None

    # -- doing ----------------------------------------------------------------------------------

    async def perform(self, step: Step, port: Port, confirmer: Confirmer) -> None:
        """Send ``step``'s keys (or wait), each judged by the status."""
        match step:
            case Press():
                if step.carries:
                    await port.clock.sleep_until(self._retracted_at)
                if step.mode:
                    # The vendor app waits this long after POWER before a mode key.
                    await port.clock.sleep_until(
                        self._powered_at + self.model.timing.power_to_mode_s
                    )
                if step.moves_band:
                    self._focus = None
                before = port.status.technique_code
                taken = step.taken
                if step.claims is not None:
                    # Another technique showing up is an answer too: the file is wrong, and
                    # the sooner that is known the less of it the person feels.
                    taken = lambda x: step.taken(x) or x.technique_code not in (0, before)  # noqa: E731
                sent, status = await confirmer.press(port, step.key, step.label, taken)
                shown = status.technique_code
                if step.claims is not None and step.taken(status):
                    self._verified.add(shown)
                if step.claims is not None and not step.taken(status) and shown not in (0, before):
                    raise ModelMismatch(
                        f"the chair reports {TECHNIQUE_LABELS.get(shown, f'technique {shown}')} "
                        f"after {self.key_name(step.key)}, which the model file ({self.model.id}) "
                        f"gives for {step.claims}: its keys do not match this chair; nothing more "
                        "is sent"
                    )
                if step.powers_on:
                    self._powered_at = sent
                if step.lowers_depth and step.taken(status):
                    self._retracted_at = (
                        max(self._retracted_at, sent) + step.lowers_depth * self._level_s
                    )
            case Await():
                await self.await_done(step, port)
            case Walk(target=target, up=step_up):
                # Not with a depth still coming down: it would be carried where it is not
                # allowed (to the neck, from deep work below it).
                await port.clock.sleep_until(self._retracted_at)
                await self._walk(target, port, step_up=step_up)
            case ZeroGravity(going=going):
                await self._zero_gravity(going, port, confirmer)
            case SetRange(key=key, massage_range=massage_range):
                await port.clock.sleep_until(self._powered_at + self.model.timing.power_to_mode_s)
                await port.press(key)
                self._range_at_rest = massage_range
                # The chair centres the range where the carriage is: placed by a walk next.
                self._focus = None
            case SetTimer(key=key):
                await port.clock.sleep_until(self._powered_at + self.model.timing.power_to_mode_s)
                await port.press(key)
                self._timer_set = True

    async def _walk(self, target: float, port: Port, *, step_up: bool = False) -> None:
        here = port.status.roller_position
        # The status reports whole positions: the carriage shows ``shown`` from the moment it
        # crosses the half-way mark toward it, and from that mark it is reckoned onward.
        shown = math.floor(target + 0.5)
        if shown == here:
            # No mark between here and there: step off into the next position and come back
            # across the mark, or the stop would be anywhere in this one.
            away = here + 1 if (step_up and here < self._top) or here == 0 else here - 1
            await self._walk_to(away, port, reckon=None)
        await self._walk_to(shown, port, reckon=target)
        self._focus = target

    async def _walk_to(self, shown: int, port: Port, *, reckon: float | None) -> None:
        """Walk until the status shows ``shown``, then on to ``reckon`` past the half-position
        mark it crossed (None: stop there)."""
        walk = self.keys.walk
        up = shown > port.status.roller_position
        start, stop = (walk.up_start, walk.up_stop) if up else (walk.down_start, walk.down_stop)
        await port.hold(start, stop)
        try:
            arrived = await port.wait(
                lambda s, _at: s.roller_position >= shown if up else s.roller_position <= shown,
                deadline=port.clock.now() + self._walk_limit,
            )
            if arrived is None:
                raise NotConfirmed(
                    f"rollers: did not reach position {shown} within {self._walk_limit:g} s "
                    f"(the status shows {port.status.roller_position})"
                )
            if reckon is not None:
                mark = shown - 0.5 if up else shown + 0.5
                await port.clock.sleep(abs(reckon - mark) / self._walk_speed)
        finally:
            # Every START gets its STOP, whatever happened above.
            await port.release(stop)

    async def _zero_gravity(self, going: bool, port: Port, confirmer: Confirmer) -> None:
        key = self.keys.zero_gravity
        if key is None:  # the target mapper refuses such setpoints
            raise NotConfirmed("posture: this chair has no zero-gravity key")
        label = "zero gravity" if going else "out of zero gravity"

        def moved(s: ChairStatus) -> bool:
            return s.actuators_moving or s.zero_g == going

        _, status = await confirmer.press(port, key, label, moved)
        if not moved(status):
            return  # refuted: plan again from this status
        stopped = await port.wait(
            lambda s, _at: not s.actuators_moving, deadline=port.clock.now() + self._actuator_limit
        )
        if stopped is None:
            raise NotConfirmed(
                f"{label}: the backrest and leg rest were still moving after "
                f"{self._actuator_limit:g} s"
            )
        if stopped.zero_g != going:
            # The key is a toggle and the chair stopped short: pressing it again could send
            # the actuators either way, so this is reported, not retried.
            raise NotConfirmed(f"{label}: the backrest and leg rest stopped short of it")
        self._zero_g_ours = going
