"""The NCNI reconciler: from the latest status to the next panel key, until they agree.

Every key of this chair is a toggle or a step, so each turn reads the status, picks the one
press that brings the chair closest to its :class:`~drivers.adapters.ncni.targets.Targets`,
sends it once and lets the status judge it (the toggle rule of
:mod:`drivers.adapters.confirm`), then reads again. Around that rule sit the two lessons of
the project that recorded the protocol (``docs/protocols/ncni.md``):

- **optimistic fields**: a field a confirmed press changed keeps its new value, for planning,
  against statuses that arrive within :data:`~drivers.protocols.ncni.OPTIMISTIC_MUTE_S` of the
  press and still show the old one (a frame the chair built before it took the key);
- **the boot-settle gate**: after power-on nothing is planned until at least
  :data:`~drivers.protocols.ncni.BOOT_SETTLE_MIN_S` has passed and
  :data:`~drivers.protocols.ncni.BOOT_SETTLE_FRAMES` powered statuses in a row arrived, or
  anyway after :data:`~drivers.protocols.ncni.BOOT_SETTLE_FAIL_OPEN_S`.

And two of chairctl's own: a press the status confirmed is not sent again (the same key for
the same purpose) until a status that arrived a settle window after it shows it undone; and
the neck guard (:mod:`.neck`): a mode starts only once a lowered level has had time to reach
the rollers, and the level rises only once the rollers are known to be off the neck.

Two things the status never shows are tracked by belief alone, and only from a power-on the
adapter made itself (the chair settles upright with its timer at the first step whenever it is
switched off): the zero-gravity posture (the key is pressed only when the belief differs from
what is asked; an unknown belief presses nothing) and the session timer (the time key is
pressed, counted from the power-on default, once per power-on).

The status has no fault field: a chair that protects itself simply powers off. The
reconciler arms the :class:`~drivers.adapters.ncni.watch.OffWatch` once the chair works for a
setpoint (a mode or an airbag zone confirmed), and disarms it when a setpoint leaves the
chair idle; an off status while it is armed reads as a fault, and the reconciler never
switches a faulted chair on again: nothing resumes by itself.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Final

from chairctl.vocabulary import AirbagZone, ChairFault, ChairStatus, NotConfirmed, WorkState
from drivers.adapters.base import Port
from drivers.adapters.confirm import Confirmer
from drivers.adapters.ncni.neck import NeckGuard
from drivers.adapters.ncni.targets import AIRBAG_KEYS, Targets, neck_level
from drivers.adapters.ncni.watch import OffWatch
from drivers.adapters.posture import PostureGoal
from drivers.models.ncni import NcniModel
from drivers.protocols.ncni import (
    BOOT_SETTLE_FAIL_OPEN_S,
    BOOT_SETTLE_FRAMES,
    BOOT_SETTLE_MIN_S,
    INTENSITY_SCALE,
    OPTIMISTIC_MUTE_S,
)

#: More presses than any setpoint needs (two intensity steps each way, a mode switch, three
#: airbag zones each way, heat, power, timer, posture); reaching it means something keeps
#: undoing the adapter's work.
_MAX_STEPS: Final = 40
#: The reported intensity (1, 3, 5) -> the chair's level (1, 2, 3).
_LEVEL_OF: Final = {reported: level for level, reported in INTENSITY_SCALE.items()}
#: Airbag zones in the order of their status bits (shoulders, forearms, legs).
_ZONES: Final = tuple(AIRBAG_KEYS)
#: A press is given up on when no status at all comes this many settle windows after it
#: (as :class:`~drivers.adapters.confirm.Confirmer` does).
_SILENCE_WINDOWS: Final = 10


@dataclass(frozen=True)
class View:
    """A status in the chair's own terms: what the reconciler plans from."""

    powered: bool
    #: The status's ``[6] = 0F``: rollers, airbags or foot roller at work.
    running: bool
    #: ``back_waist``, ``neck`` (manual), ``auto``, or None when no mode is selected.
    mode: str | None
    #: The chair's intensity level 1..3; None when off or not one the status encodes.
    level: int | None
    airbags: frozenset[AirbagZone]
    heat: bool

    def describe(self) -> str:
        """The view as people read it, for error messages."""
        if not self.powered:
            return "the chair off"
        mode = "no mode" if self.mode is None else f"mode {self.mode}"
        level = "an unknown level" if self.level is None else f"level {self.level}"
        bags = ", ".join(sorted(self.airbags)) or "none"
        heat = "on" if self.heat else "off"
        return f"the chair on, {mode}, {level}, airbags {bags}, heat {heat}"


def view_of(status: ChairStatus) -> View:
    """What ``status`` (from :func:`drivers.protocols.ncni.to_chair_status`) says, in the
    chair's terms (a fault is the chair off: it switched itself off)."""
    powered = status.work_state not in (WorkState.STANDBY, WorkState.FAULT)
    program = status.program or ""
    mode: str | None = None
    if program.startswith("manual "):
        mode = program.removeprefix("manual ")
    elif program.startswith("auto"):
        mode = "auto"
    return View(
        powered=powered,
        running=status.work_state is WorkState.RUNNING,
        mode=mode,
        level=_LEVEL_OF.get(status.intensity) if powered else None,
        airbags=status.airbags_active,
        heat=status.heat,
    )


Judge = Callable[[View], bool]
Effect = Callable[[View], View]


@dataclass(frozen=True)
class Press:
    """Send one key; the status judges it."""

    key: int
    #: What the press is for, goal included ("intensity level 2"): refutations, and the
    #: rule against a second press for the same purpose, count per label.
    label: str
    taken: Judge
    #: The view once the press took: what optimistic fields hold during the mute.
    effect: Effect
    #: The field of the view the press changes; a newer press of it supersedes the mute.
    field: str
    #: POWER from off: the boot-settle gate follows, and the beliefs start afresh.
    powers_on: bool = False
    #: Not sent before this clock time (the neck guard's bounds).
    not_before: float = -math.inf
    #: A mode key: the mode it selects once taken (None: the rollers stop).
    selects: bool = False
    mode: str | None = None
    #: A lower level with the rollers working: the depth retracts after it.
    retracts: bool = False
    #: Puts the chair to work (a mode or an airbag zone): the off watch arms once it took.
    arms: bool = False


@dataclass(frozen=True)
class Await:
    """Send nothing until the chair is done with something of its own."""

    label: str
    done: Judge
    limit_s: float


@dataclass(frozen=True)
class ZeroGravity:
    """Press the zero-gravity toggle; the status cannot confirm it."""

    going: bool


@dataclass(frozen=True)
class SetTimer:
    """Press the time key ``presses`` times, from the step the adapter believes is set."""

    presses: int
    index: int


Step = Press | Await | ZeroGravity | SetTimer


@dataclass(frozen=True)
class _Optimistic:
    """A confirmed press's effect, held against statuses older than ``until``."""

    until: float
    taken: Judge
    effect: Effect


class Reconciler:
    """Brings one NCNI chair to Targets, press by confirmed press."""

    def __init__(
        self,
        model: NcniModel,
        window_s: float,
        attempts: int,
        key_name: Callable[[int], str],
        watch: OffWatch,
    ) -> None:
        self.model = model
        self.watch = watch
        self.keys = model.keys
        self.window_s = window_s
        self.attempts = attempts
        self.key_name = key_name
        # The scan time is an assumption of the model file, so it gets slack.
        self._scan_limit = 2 * model.mechanics.body_scan_s + window_s
        #: Field -> the latest confirmed press's effect on it, muting older statuses.
        self._optimistic: dict[str, _Optimistic] = {}
        #: (key, label) -> when its press went out, for presses the status confirmed.
        self._confirmed: dict[tuple[int, str], float] = {}
        #: True: the adapter put the chair in zero gravity; False: upright; None: not known.
        self._zero_g: bool | None = None
        #: The timer step (index into ``session_minutes``) believed set; None: not known.
        self._timer_index: int | None = None
        #: The timer step to set after each power-on; None: leave the chair's own.
        self.timer_target: int | None = None
        self.neck = NeckGuard(model)
        self._neck_level = neck_level(model.intensity_levels)

    def forget(self) -> None:
        """Forget what the status does not show (after a reconnect or a fault)."""
        self._optimistic.clear()
        self._zero_g = None
        self._timer_index = None
        self.watch.armed = False
        self.neck.reset()

    @property
    def known_upright(self) -> bool:
        """True when the adapter knows the chair is upright (it has not taken it out)."""
        return self._zero_g is False

    def view(self, status: ChairStatus, at: float) -> View:
        """``status`` (arrived at ``at``) with the optimistic fields still muted applied."""
        self._optimistic = {f: o for f, o in self._optimistic.items() if o.until > at}
        seen = view_of(status)
        planned = seen
        for optimistic in self._optimistic.values():
            if not optimistic.taken(seen):
                planned = optimistic.effect(planned)
        return planned

    async def run(self, targets: Targets, port: Port) -> None:
        """Act until the status matches ``targets``; :class:`NotConfirmed` if it will not."""
        confirmer = Confirmer(self.window_s, self.attempts, self.key_name)
        for _ in range(_MAX_STEPS):
            if port.status.work_state is WorkState.FAULT:
                raise ChairFault(
                    "the chair switched itself off while it was working: it protected itself "
                    "(a motor overload, an actuator running into its watchdog) or its own "
                    "session timer ran out, and its status cannot say which"
                )
            view = self.view(port.status, port.status_at)
            step = self.next_step(targets, view, port.clock.now())
            if step is None:
                # Working now, an off status is the chair's own doing; idle, it may sleep.
                self.watch.armed = targets.mode is not None or bool(targets.airbags)
                return
            await self._perform(step, port, confirmer)
        raise NotConfirmed(
            f"the chair did not settle on the setpoint after {_MAX_STEPS} actions: something "
            "keeps changing it"
        )

    # -- deciding -------------------------------------------------------------------------------

    def next_step(self, t: Targets, v: View, now: float) -> Step | None:
        """The one action to take at ``now``, or None when the chair already matches ``t``."""
        if not v.powered:
            if not t.needs_power:
                return None
            return Press(
                self.keys.power,
                "power on",
                lambda x: x.powered,
                lambda x: replace(x, powered=True),
                "powered",
                powers_on=True,
            )
        if (
            self.timer_target is not None
            and self._timer_index is not None
            and self._timer_index != self.timer_target
        ):
            steps = len(self.model.session_minutes)
            return SetTimer((self.timer_target - self._timer_index) % steps, self.timer_target)
        self.neck.seen(v.mode, v.running, now)
        return (
            self._rollers(t, v)
            or self._airbags(t, v)
            or self._heat(t, v)
            or self._posture(t)
            or self._started(t, v)
        )

    def _mode_key(self, mode: str) -> int:
        if mode == "back_waist":
            return self.keys.back_waist
        if mode == "neck":
            return self.keys.neck
        raise NotConfirmed(f"the chair reports a mode it has no key for: {mode}")

    def _rollers(self, t: Targets, v: View) -> Step | None:
        keys = self.keys
        if t.mode is None:
            if v.mode is None:
                return None
            if v.mode == "auto":
                # No key stops an auto program: the back-and-waist key turns it into that
                # manual mode, which the next turn stops.
                return self._select(keys.back_waist, "leave auto mode", "back_waist")
            return self._select(self._mode_key(v.mode), "rollers off", None)
        wanted, level = t.mode, t.level
        if v.level is None:
            raise NotConfirmed(
                "intensity: the chair's status shows no intensity level chairctl knows, so "
                "no pressure key is pressed"
            )
        # Lower the intensity before a mode switch, raise it after: a mode never starts
        # deeper than asked (the neck mode above all).
        if level is not None and v.level > level:
            return self._step_level(v.level - 1, keys.pressure_down, retracts=v.mode is not None)
        if v.mode != wanted:
            return self._select(self._mode_key(wanted), f"{wanted} mode", wanted)
        if level is not None and v.level < level:
            goal = v.level + 1
            not_before = -math.inf
            if goal > self._neck_level:
                not_before = self.neck.clear_at
                if math.isinf(not_before):
                    # Not yet seen working off the neck (the scan still runs, or it just
                    # switched): deeper only once the rollers are known to be clear of it.
                    return None
            return self._step_level(goal, keys.pressure_up, not_before=not_before)
        return None

    def _select(self, key: int, label: str, mode: str | None) -> Press:
        return Press(
            key,
            label,
            lambda x: x.mode == mode,
            lambda x: replace(x, mode=mode),
            "mode",
            # A mode starts no deeper than the level last lowered to.
            not_before=self.neck.retracted_at if mode is not None else -math.inf,
            selects=True,
            mode=mode,
            arms=mode is not None,
        )

    @staticmethod
    def _step_level(
        goal: int, key: int, *, retracts: bool = False, not_before: float = -math.inf
    ) -> Press:
        return Press(
            key,
            f"intensity level {goal}",
            lambda x: x.level == goal,
            lambda x: replace(x, level=goal),
            "level",
            not_before=not_before,
            retracts=retracts,
        )

    def _airbags(self, t: Targets, v: View) -> Step | None:
        # Zones off before zones on: the airbag cycle never holds more than is asked.
        for wanted in (False, True):
            for zone in _ZONES:
                if (zone in t.airbags) is wanted and (zone in v.airbags) is not wanted:
                    return self._airbag(zone, wanted)
        return None

    def _airbag(self, zone: AirbagZone, wanted: bool) -> Press:
        def effect(x: View) -> View:
            bags = x.airbags | {zone} if wanted else x.airbags - {zone}
            return replace(x, airbags=frozenset(bags))

        return Press(
            getattr(self.keys, AIRBAG_KEYS[zone]),
            f"{zone} airbags {'on' if wanted else 'off'}",
            lambda x: (zone in x.airbags) is wanted,
            effect,
            f"airbags {zone}",
            arms=wanted,
        )

    def _heat(self, t: Targets, v: View) -> Step | None:
        if v.heat is t.heat:
            return None
        wanted = t.heat
        return Press(
            self.keys.heat,
            f"heat {'on' if wanted else 'off'}",
            lambda x: x.heat is wanted,
            lambda x: replace(x, heat=wanted),
            "heat",
        )

    def _posture(self, t: Targets) -> Step | None:
        if t.posture is PostureGoal.KEEP or self._zero_g is None:
            # Not known: a toggle pressed on a guess could send the chair either way.
            return None
        going = t.posture is PostureGoal.ZERO_G
        return ZeroGravity(going) if self._zero_g is not going else None

    def _started(self, t: Targets, v: View) -> Step | None:
        if t.mode is None or v.running:
            return None
        mode = t.mode
        # The rollers start once the body scan after power-on ends.
        return Await(
            "the rollers to start (the body scan)",
            lambda x: x.running or x.mode != mode,
            self._scan_limit,
        )

    # -- doing ----------------------------------------------------------------------------------

    async def _perform(self, step: Step, port: Port, confirmer: Confirmer) -> None:
        match step:
            case Press():
                await self._press(step, port, confirmer)
            case Await():
                done = step.done
                got = await port.wait(
                    lambda s, _at: done(view_of(s)), deadline=port.clock.now() + step.limit_s
                )
                if got is None:
                    raise NotConfirmed(
                        f"waited {step.limit_s:g} s for {step.label}; the status shows "
                        f"{view_of(port.status).describe()}"
                    )
            case ZeroGravity(going=going):
                # Unknown while the press is on its way: a press cut short may or may not
                # have reached the chair.
                self._zero_g = None
                await port.press(self.keys.zero_gravity)
                self._zero_g = going
            case SetTimer(presses=presses, index=index):
                self._timer_index = None
                for _ in range(presses):
                    await port.press(self.keys.time)
                self._timer_index = index

    async def _press(self, step: Press, port: Port, confirmer: Confirmer) -> None:
        confirmed_at = self._confirmed.get((step.key, step.label))
        if confirmed_at is not None:
            due = confirmed_at + self.window_s
            if port.clock.now() < due:
                # Confirmed once and seemingly undone since: only a status a settle window
                # after that press may say so; then the next turn plans from it.
                await port.wait(
                    lambda _s, at: at >= due, deadline=due + _SILENCE_WINDOWS * self.window_s
                )
                return
        await port.clock.sleep_until(step.not_before)
        taken = step.taken
        try:
            sent, status = await confirmer.press(
                port, step.key, step.label, lambda s: taken(view_of(s))
            )
        except NotConfirmed as error:
            raise NotConfirmed(
                f"{error}; the status showed {view_of(port.status).describe()}"
            ) from error
        if not taken(view_of(status)):
            return  # refuted (attempts left): plan again from this status
        self._confirmed[step.key, step.label] = sent
        self._optimistic[step.field] = _Optimistic(sent + OPTIMISTIC_MUTE_S, taken, step.effect)
        if step.arms:
            self.watch.armed = True
        if step.selects:
            self.neck.selected(step.mode, sent)
        if step.retracts:
            self.neck.lowered(sent)
        if step.powers_on:
            self.neck.reset()
            # Switched off, the chair settled upright with its timer at the first step.
            self._zero_g = False
            self._timer_index = 0
            await self._boot_gate(port, sent)

    async def _boot_gate(self, port: Port, powered_at: float) -> None:
        """Wait until statuses after power-on may be believed (fail-open, bounded)."""
        frames = 0

        def settled(s: ChairStatus, at: float) -> bool:
            nonlocal frames
            frames = frames + 1 if view_of(s).powered else 0
            return frames >= BOOT_SETTLE_FRAMES and at >= powered_at + BOOT_SETTLE_MIN_S

        await port.wait(settled, deadline=powered_at + BOOT_SETTLE_FAIL_OPEN_S)
