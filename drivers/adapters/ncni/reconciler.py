"""The NCNI reconciler: from the latest status to the next panel key, until they agree.

Every key of this chair is a toggle or a step, so each turn reads the status, picks the one
press that brings the chair closest to its :class:`~drivers.adapters.ncni.targets.Targets`,
sends it once and lets the status judge it (the toggle rule of
:mod:`drivers.adapters.confirm`), then reads again. Around that rule sit the lessons of the
project that recorded the protocol (``docs/protocols/ncni.md``):

- **optimistic fields**: a field a confirmed press changed keeps its new value, for planning,
  against statuses that arrive within :data:`~drivers.protocols.ncni.OPTIMISTIC_MUTE_S` of the
  press and still show the old one (a frame the chair built before it took the key);
- **the boot-settle gate**: after power-on nothing is planned until at least
  :data:`~drivers.protocols.ncni.BOOT_SETTLE_MIN_S` has passed and
  :data:`~drivers.protocols.ncni.BOOT_SETTLE_FRAMES` powered statuses in a row arrived, or
  anyway after :data:`~drivers.protocols.ncni.BOOT_SETTLE_FAIL_OPEN_S`;
- **the posture blank**: for a second or so after a zero-gravity press the mode bytes read 0
  while the mode is unchanged; statuses in :data:`~drivers.protocols.ncni.BLANK_AFTER_POSTURE_S`
  after one keep the mode last shown;
- **what the status cannot show is the panel's to know**: the airbags and the heat (their
  status bits are not trusted), the posture and the timer are followed by what was pressed,
  from a power-on the adapter made.

**Taking control.** Power starts auto profile A, which works the neck and the back at pressure
2 with airbags and foot rollers, so the first presses after power-on take control of a chair
that is already working: the back-and-waist key leaves auto (its status confirms it; the chair
drops the profile's airbags and foot rollers with it), the pressure comes down to what is
asked, and only then does anything else start. All of it falls within the chair's body scan,
before the profile's work begins. A chair found switched on, whose airbags, heat and posture
no press of ours explains, is switched off first and started afresh.

**The pressure.** The status shows the pressure only while the chair runs. Until it does, the
reconciler knows only the most it can be: the top level after power-on, one less after each
press of pressure − (which stops at 1). So it lowers by pressing pressure − until even the most
is not above what is asked, and raises only with the level in sight. A blind press may not
take (a chair may heed the pressure keys only while an airbag zone is on, as upstream's panel
suggests), so nothing at the neck rests on one: the neck key is pressed only while a status
the chair sent, running and arrived a settle window after the last pressure key, shows the
neck's level (``View.level_trusted``). Until one does, the mode the targets name to go first
(:attr:`~drivers.adapters.ncni.targets.Targets.via`, one that keeps off the neck) works at the
level asked, so the status shows the pressure; the neck mode comes on while it works, and it
goes off after. With no such mode the rollers rest. A lowered level has had time to reach the
rollers before the neck mode starts, and a level above the neck's rises only once the rollers
are known to be off the neck (:mod:`.neck`).

The status has no fault field: a chair that protects itself simply powers off. The reconciler
arms the :class:`~drivers.adapters.ncni.watch.OffWatch` once the chair works for a setpoint (a
mode or an airbag zone on), and disarms it when a setpoint leaves the chair idle; an off status
while it is armed reads as a fault, and the reconciler never switches a faulted chair on again:
nothing resumes by itself.
"""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Final

from chairctl.vocabulary import AirbagZone, ChairFault, ChairStatus, NotConfirmed, WorkState
from drivers.adapters.base import Port, Release
from drivers.adapters.confirm import Confirmer
from drivers.adapters.ncni.neck import NeckGuard
from drivers.adapters.ncni.targets import AIRBAG_KEYS, Targets, neck_level
from drivers.adapters.ncni.watch import OffWatch
from drivers.adapters.posture import PostureGoal
from drivers.adapters.reconcile import Await, ReconcileLoop
from drivers.models.ncni import NcniModel
from drivers.protocols.ncni import (
    AIRBAG_ZONES,
    BLANK_AFTER_POSTURE_S,
    BOOT_SETTLE_FAIL_OPEN_S,
    BOOT_SETTLE_FRAMES,
    BOOT_SETTLE_MIN_S,
    INTENSITY_SCALE,
    OPTIMISTIC_MUTE_S,
)

#: The reported intensity (1, 3, 5) -> the chair's level (1, 2, 3).
_LEVEL_OF: Final = {reported: level for level, reported in INTENSITY_SCALE.items()}
#: Airbag zones in the order of their keys (shoulders, forearms, legs).
_ZONES: Final = tuple(AIRBAG_KEYS)
#: What power switches on with auto profile A (upstream's state code and its
#: ``test_power_on_default_matches_manual``): the shoulder, forearm and leg airbags.
POWER_ON_AIRBAGS: Final = frozenset(AIRBAG_ZONES.values())
#: A press is given up on when no status at all comes this many settle windows after it
#: (as :class:`~drivers.adapters.confirm.Confirmer` does).
_SILENCE_WINDOWS: Final = 10


@dataclass(frozen=True)
class View:
    """A status in the chair's own terms: what the reconciler plans from."""

    powered: bool
    #: The status's ``[6] = 0F``: rollers, airbags or foot roller at work.
    running: bool
    #: ``auto``, the manual modes on (``back_waist``, ``neck``, ``back_waist+neck``),
    #: ``unknown`` for mode bytes no source describes, or None when no mode is shown.
    mode: str | None
    #: The chair's pressure level 1..3 as the status shows it: only while the chair runs.
    level: int | None
    #: The level is the chair's own reading, not one a press is believed to have made: from a
    #: running status that arrived at least a settle window after the last pressure key.
    level_trusted: bool = False

    @property
    def manual(self) -> frozenset[str]:
        """The manual modes on."""
        if self.mode is None or self.mode in ("auto", "unknown"):
            return frozenset()
        return frozenset(self.mode.split("+"))

    def describe(self) -> str:
        """The view as people read it, for error messages."""
        if not self.powered:
            return "the chair off"
        mode = "no mode" if self.mode is None else f"mode {self.mode}"
        level = "no level (not running)" if self.level is None else f"level {self.level}"
        return f"the chair on, {mode}, {level}"


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
    elif program:
        mode = "unknown"
    return View(
        powered=powered,
        running=status.work_state is WorkState.RUNNING,
        mode=mode if powered else None,
        level=_LEVEL_OF.get(status.intensity) if powered else None,
    )


def _mode_name(modes: frozenset[str]) -> str | None:
    return "+".join(sorted(modes)) or None


Judge = Callable[[View], bool]
Effect = Callable[[View], View]
#: Switches the chair off and waits out its settle (the adapter's release).
SwitchOff = Callable[[Port], Awaitable[Release]]


def _on_view(judge: Judge) -> Callable[[ChairStatus], bool]:
    """``judge`` applied to a status as the chair shows it (not as presses believe it)."""
    return lambda s: judge(view_of(s))


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
    #: A mode key: the mode it leaves on once taken (None: the rollers stop).
    selects: bool = False
    mode: str | None = None
    #: A lower level with the rollers working: the depth retracts after it.
    retracts: bool = False
    #: Puts the chair to work (a mode on): the off watch arms once it took.
    arms: bool = False
    #: Leaves auto: the chair drops the profile's airbags with it.
    leaves_auto: bool = False


@dataclass(frozen=True)
class Blind:
    """Send one key the status cannot judge now; what it did is believed."""

    key: int
    label: str
    #: The beliefs once it was sent.
    done: Callable[[], None]
    #: Puts the chair to work: the off watch arms.
    arms: bool = False


@dataclass(frozen=True)
class ZeroGravity:
    """Press the zero-gravity toggle; the status cannot confirm it."""

    going: bool


@dataclass(frozen=True)
class SetTimer:
    """Press the time key ``presses`` times, from the step the adapter believes is set."""

    presses: int
    index: int


@dataclass(frozen=True)
class Restart:
    """Switch off a chair found on whose hidden state is not known, to start it afresh."""


Step = Press | Blind | Await | ZeroGravity | SetTimer | Restart


@dataclass(frozen=True)
class _Optimistic:
    """A confirmed press's effect, held against statuses older than ``until``."""

    until: float
    taken: Judge
    effect: Effect


class Reconciler(ReconcileLoop[Targets, View, Step, Confirmer]):
    """Brings one NCNI chair to Targets, press by confirmed press."""

    #: More presses than any setpoint needs (taking control, two intensity steps each way, two
    #: mode keys, three airbag zones each way, heat, power, timer, posture); reaching it means
    #: something keeps undoing the adapter's work.
    max_steps = 40

    def __init__(
        self,
        model: NcniModel,
        window_s: float,
        attempts: int,
        key_name: Callable[[int], str],
        watch: OffWatch,
        *,
        switch_off: SwitchOff | None = None,
    ) -> None:
        self.model = model
        self.watch = watch
        self.keys = model.keys
        self.window_s = window_s
        self.attempts = attempts
        self.key_name = key_name
        self._switch_off = switch_off
        # The scan time is an assumption of the model file, so it gets slack.
        self._scan_limit = 2 * model.mechanics.body_scan_s + window_s
        self._levels = model.intensity_levels
        self._period_s = model.protocol.status_period_ms / 1000
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
        #: The airbag zones on and the heat, by what was pressed; None: not known.
        self._bags: frozenset[AirbagZone] | None = None
        self._heat_on: bool | None = None
        #: The most the pressure level can be (the top until the status or presses say less).
        self._level_max = self._levels
        #: Statuses before this time that show no mode keep the last mode shown.
        self._blank_until = -math.inf
        self._last_mode: str | None = None
        self.neck = NeckGuard(model)
        self._neck_level = neck_level(model.intensity_levels)
        self._pressure_keys = frozenset({self.keys.pressure_up, self.keys.pressure_down})
        #: When the last pressure key went out (inf while one is on its way): a status shows
        #: the level it left only a settle window later.
        self._pressure_at = -math.inf

    def forget(self) -> None:
        """Forget what the status does not show (after a reconnect or a fault)."""
        self._optimistic.clear()
        self._zero_g = None
        self._timer_index = None
        self._bags = None
        self._heat_on = None
        self._level_max = self._levels
        self._blank_until = -math.inf
        self._last_mode = None
        self.watch.armed = False
        self.neck.reset()

    def switched_on(self) -> None:
        """The adapter's power press switched the chair on: what it hides is known again.
        Power starts auto profile A, its airbags on and its heat off, the timer at its first
        step; switched off, the chair had settled upright. The pressure is not believed until
        the status shows it, and where the rollers are is not known."""
        self.neck.reset()
        self._zero_g = False
        self._timer_index = 0
        self._bags = POWER_ON_AIRBAGS
        self._heat_on = False
        self._level_max = self._levels
        self._blank_until = -math.inf
        self._last_mode = None

    @property
    def known_upright(self) -> bool:
        """True when the adapter knows the chair is upright (it has not taken it out)."""
        return self._zero_g is False

    @property
    def hidden_known(self) -> bool:
        """True when the airbags and the heat are known from presses since a power-on the
        adapter made (the status cannot show them)."""
        return self._bags is not None and self._heat_on is not None

    @property
    def believed(self) -> tuple[frozenset[AirbagZone] | None, bool | None]:
        """The airbag zones on and the heat, as the adapter believes them."""
        return self._bags, self._heat_on

    def view(self, status: ChairStatus, at: float) -> View:
        """``status`` (arrived at ``at``) with the posture blank bridged and the optimistic
        fields still muted applied."""
        self._optimistic = {f: o for f, o in self._optimistic.items() if o.until > at}
        seen = self._bridged(view_of(status), at)
        if seen.powered:
            self._last_mode = seen.mode
        planned = seen
        for optimistic in self._optimistic.values():
            if not optimistic.taken(seen):
                planned = optimistic.effect(planned)
        if planned.level is not None:
            self._level_max = planned.level
        trusted = (
            planned.running
            and planned.level is not None
            and planned.level == seen.level
            and at >= self._pressure_at + self.window_s
        )
        return replace(planned, level_trusted=trusted)

    # -- the loop's hooks (the loop itself: drivers.adapters.reconcile) -------------------------

    def begin_run(self, port: Port) -> Confirmer:
        """The toggle rule, with the refutations of this run."""
        return Confirmer(self.window_s, self.attempts, self.key_name)

    def observe(self, port: Port) -> View:
        """The latest status as the reconciler plans from it (:meth:`view`). An off status
        while the off watch is armed reads as a fault: the run ends, and nothing switches the
        chair on again."""
        if port.status.work_state is WorkState.FAULT:
            raise ChairFault(
                "the chair switched itself off while it was working: it protected itself "
                "(a motor overload, an actuator running into its watchdog) or its own "
                "session timer ran out, and its status cannot say which"
            )
        return self.view(port.status, port.status_at)

    def decide(self, targets: Targets, seen: View, now: float) -> Step | None:
        """:meth:`next_step`."""
        return self.next_step(targets, seen, now)

    def reached(self, targets: Targets, seen: View) -> None:
        """Arm the off watch while the chair works for the setpoint, disarm it when idle."""
        # Working now, an off status is the chair's own doing; idle, it may sleep.
        reached = self._reachable(targets, seen)
        self.watch.armed = reached.mode is not None or bool(reached.airbags)

    def describe(self, status: ChairStatus) -> str:
        """The status in the chair's terms (:meth:`View.describe`)."""
        return view_of(status).describe()

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
        if not self.hidden_known:
            # On, with airbags and heat no press of ours explains: off, and afresh.
            return Restart()
        if (
            self.timer_target is not None
            and self._timer_index is not None
            and self._timer_index != self.timer_target
        ):
            steps = len(self.model.session_minutes)
            return SetTimer((self.timer_target - self._timer_index) % steps, self.timer_target)
        self.neck.seen(v.mode, v.running, now)
        shown = self._level_showing(t, v, now)
        if shown is not None:
            return shown
        t = self._reachable(t, v)
        return (
            self._rollers(t, v)
            or self._airbags(t)
            or self._heat(t)
            or self._posture(t)
            or self._started(t, v)
        )

    # -- the neck waits for the level it shows ---------------------------------------------------

    def _neck_pending(self, t: Targets, v: View) -> bool:
        """True when ``t`` asks a mode that works the neck and the status does not show it on."""
        return t.mode is not None and self.neck.works_neck(t.mode) and t.mode not in v.manual

    def _neck_shown(self, v: View) -> bool:
        """True when ``v`` is a status the chair sent, running, after the last pressure key had
        its settle window, and it shows the pressure at the neck's level: the one thing the
        neck key may rest on."""
        return v.level_trusted and v.level is not None and v.level <= self._neck_level

    def _reachable(self, t: Targets, v: View) -> Targets:
        """``t`` as it may be brought about from ``v`` now. A mode that works the neck is to
        come on only once the status shows the neck's level; until then the targets' ``via``
        works in its place at the level asked, so the status shows the pressure, or, with no
        ``via``, the rollers rest."""
        if not self._neck_pending(t, v) or self._neck_shown(v):
            return t
        if t.via is None:
            return replace(t, mode=None, level=None)
        return replace(t, mode=t.via)

    def _level_showing(self, t: Targets, v: View, now: float) -> Step | None:
        """Wait for the chair's own reading when only time keeps the neck key back: the
        chair runs, out of auto, showing the neck's level, but no settle window has passed
        since the last pressure key (the level that key left may not show yet)."""
        if (
            not self._neck_pending(t, v)
            or v.mode in ("auto", "unknown")
            or not v.running
            or v.level is None
            or v.level > self._neck_level
            or v.level_trusted
        ):
            return None
        after = self._pressure_at + self.window_s
        return Await(
            "a status showing the pressure after its last key",
            lambda _s: True,
            max(0.0, after - now) + self.window_s,
            after=after,
        )

    def _mode_key(self, mode: str) -> int:
        if mode == "back_waist":
            return self.keys.back_waist
        if mode == "neck":
            return self.keys.neck
        raise NotConfirmed(f"the chair reports a mode it has no key for: {mode}")

    def _rollers(self, t: Targets, v: View) -> Step | None:
        if v.mode == "unknown":
            raise NotConfirmed(
                "the chair's status shows mode bytes chairctl does not know, so no mode key "
                "is pressed"
            )
        if v.mode == "auto":
            # Taking control: only the back-and-waist key leaves auto without the neck.
            return self._toggle("back_waist", frozenset(), leaves_auto=True)
        most = t.most
        highest = v.level if v.level is not None else self._level_max
        if most is not None and highest > most:
            # Lower first: a mode never starts, nor an airbag, deeper than asked.
            return self._lower(v)
        wanted = frozenset({t.mode}) if t.mode is not None else frozenset()
        on = v.manual
        neck_next = any(self.neck.works_neck(name) for name in wanted - on)
        # Modes not asked go off first, the neck before the other; but while the neck mode is
        # still to come on, one that keeps off the neck stays on: its working is what shows
        # the pressure the neck key rests on.
        for name in sorted(on - wanted, key=lambda m: not self.neck.works_neck(m)):
            if neck_next and not self.neck.works_neck(name):
                continue
            return self._toggle(name, on)
        for name in wanted - on:
            if self.neck.works_neck(name):
                if highest > self._neck_level:
                    raise NotConfirmed("the neck mode is asked at a level above its cap")
                if not self._neck_shown(v):
                    raise NotConfirmed(
                        "the neck mode is asked before a status showed the pressure at level "
                        f"{self._neck_level}"
                    )
            return self._toggle(name, on)
        level = t.level
        if level is not None and v.level is not None and v.level < level:
            goal = v.level + 1
            not_before = -math.inf
            if goal > self._neck_level:
                not_before = self.neck.clear_at
                if math.isinf(not_before):
                    # Not yet seen working off the neck (the scan still runs, or it just
                    # switched): deeper only once the rollers are known to be clear of it.
                    return None
            return self._step_level(goal, self.keys.pressure_up, not_before=not_before)
        return None

    def _toggle(self, name: str, on: frozenset[str], *, leaves_auto: bool = False) -> Press:
        """The key of manual mode ``name``, from the manual modes ``on`` (from auto: none)."""
        going = leaves_auto or name not in on
        after = frozenset({name}) if leaves_auto else on ^ {name}
        mode = _mode_name(after)
        # Labelled by the state it brings about: leaving auto for the back and waist and
        # switching it on are one purpose, and one confirmed press of it is not repeated
        # within the settle window (the toggle rule).
        label = f"{mode or 'no'} mode"
        return Press(
            self._mode_key(name),
            label,
            lambda x: x.mode == mode,
            lambda x: replace(x, mode=mode),
            "mode",
            # A mode starts no deeper than the level last lowered to.
            not_before=self.neck.retracted_at if going else -math.inf,
            selects=True,
            mode=mode,
            arms=mode is not None,
            leaves_auto=leaves_auto,
        )

    def _lower(self, v: View) -> Step:
        key = self.keys.pressure_down
        if v.level is not None:
            return self._step_level(v.level - 1, key, retracts=bool(v.manual))
        goal = max(1, self._level_max - 1)

        def lowered() -> None:
            self._level_max = goal

        # Not running: the status shows no level. Pressure − stops at 1, so pressing it from
        # the most the level can be brings the most down, whatever the level is.
        return Blind(key, f"intensity at most {goal}", lowered)

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

    def _airbags(self, t: Targets) -> Step | None:
        bags = self._bags or frozenset()
        # Zones off before zones on: the airbag cycle never holds more than is asked.
        for wanted in (False, True):
            for zone in _ZONES:
                if (zone in t.airbags) is wanted and (zone in bags) is not wanted:
                    return self._airbag(zone, wanted)
        return None

    def _airbag(self, zone: AirbagZone, wanted: bool) -> Blind:
        def toggled() -> None:
            bags = self._bags or frozenset()
            self._bags = bags | {zone} if wanted else bags - {zone}

        return Blind(
            getattr(self.keys, AIRBAG_KEYS[zone]),
            f"{zone} airbags {'on' if wanted else 'off'}",
            toggled,
            arms=wanted,
        )

    def _heat(self, t: Targets) -> Step | None:
        if self._heat_on is t.heat:
            return None
        wanted = t.heat

        def toggled() -> None:
            self._heat_on = wanted

        return Blind(self.keys.heat, f"heat {'on' if wanted else 'off'}", toggled)

    def _posture(self, t: Targets) -> Step | None:
        if t.posture is PostureGoal.KEEP or self._zero_g is None:
            # Not known: a toggle pressed on a guess could send the chair either way.
            return None
        going = t.posture is PostureGoal.ZERO_G
        return ZeroGravity(going) if self._zero_g is not going else None

    def _started(self, t: Targets, v: View) -> Step | None:
        if t.mode is None or v.running:
            return None
        mode = v.mode
        # The rollers start once the body scan after power-on ends.
        return Await(
            "the rollers to start (the body scan)",
            _on_view(lambda x: x.running or x.mode != mode),
            self._scan_limit,
        )

    # -- doing ----------------------------------------------------------------------------------

    async def perform(self, step: Step, port: Port, confirmer: Confirmer) -> None:
        """Send ``step``'s keys (or wait); what the status can judge, it judges."""
        match step:
            case Press():
                await self._press(step, port, confirmer)
            case Blind(key=key, done=after, arms=arms):
                # Not known while the press is on its way: one cut short may or may not have
                # reached the chair, and whatever it toggled cannot be seen.
                airbags, heat, self._bags, self._heat_on = self._bags, self._heat_on, None, None
                with self._pressing(port, key):
                    sent = await port.press(key)
                self._pressed(key, sent)
                self._bags, self._heat_on = airbags, heat
                after()
                if arms:
                    self.watch.armed = True
                # Let the statuses of the chair after the key come in, so the session's latest
                # is not older than the press (they prove nothing: its bits are not trusted).
                caught_up = sent + 2 * self._period_s
                await port.wait(lambda _s, at: at >= caught_up, deadline=sent + self.window_s)
            case Await():
                await self.await_done(step, port)
            case ZeroGravity(going=going):
                self._zero_g = None
                sent = await port.press(self.keys.zero_gravity)
                self._zero_g = going
                self._blank_until = sent + BLANK_AFTER_POSTURE_S
            case SetTimer(presses=presses, index=index):
                self._timer_index = None
                for _ in range(presses):
                    await port.press(self.keys.time)
                self._timer_index = index
            case Restart():
                await self._restart(port)

    async def _restart(self, port: Port) -> None:
        if self._switch_off is None:
            raise NotConfirmed(
                "the chair is on, and what its airbags and heat do cannot be seen: it has to "
                "be switched off first"
            )
        released = await self._switch_off(port)
        if not released.safe:
            raise NotConfirmed(
                "the chair was found on, and switching it off to start afresh did not take: "
                + "; ".join(released.notes)
            )

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

        def judged(s: ChairStatus) -> bool:
            return taken(self._bridged(view_of(s), port.clock.now()))

        try:
            with self._pressing(port, step.key):
                sent, status = await confirmer.press(port, step.key, step.label, judged)
        except NotConfirmed as error:
            raise NotConfirmed(
                f"{error}; the status showed {view_of(port.status).describe()}"
            ) from error
        self._pressed(step.key, sent)
        if not judged(status):
            return  # refuted (attempts left): plan again from this status
        self._confirmed[step.key, step.label] = sent
        self._optimistic[step.field] = _Optimistic(sent + OPTIMISTIC_MUTE_S, taken, step.effect)
        if step.arms:
            self.watch.armed = True
        if step.leaves_auto:
            self._bags = frozenset()
        if step.selects:
            self.neck.selected(step.mode, sent)
        if step.retracts:
            self.neck.lowered(sent)
        if step.powers_on:
            self.switched_on()
            await self._boot_gate(port, sent)

    @contextmanager
    def _pressing(self, port: Port, key: int) -> Iterator[None]:
        """Around the press of ``key``: while a pressure key is on its way no status is the
        chair's own reading of the level, and one cut short may have reached the chair."""
        if key not in self._pressure_keys:
            yield
            return
        self._pressure_at = math.inf
        try:
            yield
        finally:
            self._pressure_at = port.clock.now()

    def _pressed(self, key: int, sent: float) -> None:
        """``key`` went out at ``sent``: for a pressure key, a status shows the level it left
        from a settle window after that."""
        if key in self._pressure_keys:
            self._pressure_at = sent

    def _bridged(self, seen: View, at: float) -> View:
        """``seen`` (a status that arrived at ``at``) with the posture blank bridged: for a
        second or so after a zero-gravity press the mode bytes read 0 though the mode is
        unchanged, so such a status keeps the mode last shown."""
        if seen.powered and seen.mode is None and at < self._blank_until:
            return replace(seen, mode=self._last_mode)
        return seen

    async def _boot_gate(self, port: Port, powered_at: float) -> None:
        """Wait until statuses after power-on may be believed (fail-open, bounded)."""
        frames = 0

        def settled(s: ChairStatus, at: float) -> bool:
            nonlocal frames
            frames = frames + 1 if view_of(s).powered else 0
            return frames >= BOOT_SETTLE_FRAMES and at >= powered_at + BOOT_SETTLE_MIN_S

        await port.wait(settled, deadline=powered_at + BOOT_SETTLE_FAIL_OPEN_S)
