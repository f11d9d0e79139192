"""The Korean chair's reconciler: from the latest status to the next button, until they agree.

Built on the one reconcile loop (:mod:`drivers.adapters.reconcile`): each turn reads the
status as a :class:`~.view.View`, decides the one step that brings the chair closest to its
:class:`~.targets.Targets`, performs it, and reads again. A step is a button (:class:`Press`),
a wait for the chair (:class:`~drivers.adapters.reconcile.Await`), or a restart
(:class:`Restart`: switch off, wait out the settle, and start afresh).

**Every button is its press code, then its release code.** The press goes out as a hold
(:meth:`~drivers.adapters.base.Port.hold`), so the session owes the chair the release from
before the press is written, pays it at once, and pays it again on the next link if the link
drops in between: the backrest and leg-rest buttons move for as long as they are down, and no
button may be left down.

**Each press is judged by the status**, read over the blink window: it took when a status
shows what it was for; it did not take only when a status that arrived a judging window after
it still shows the old state. The windows follow the status: a steady field (the air, the
levels, the width, the area, manual mode, heat, the foot roller, the timer) shows at its second
frame (:data:`steady_s`); a lamp reads blinking only after two sightings, and the one it
replaces reads blinking for up to a window more (:data:`lamp_s`).

**Cycle keys are never pressed blindly.** Every key of this chair is a toggle or a cycle, and
a cycle that wraps is worse than one that did not move. So:

- each press of a cycle key is confirmed before the next: the status shows the step after the
  one it showed (or, for the air mode, whose steps the status cannot show, the chair beeped);
- a double beep (``1104``: the cycle wrapped) that the plan did not expect, or a status that
  shows a step other than the next, ends the apply: the model file's cycle is not this chair's,
  and nothing more is pressed for it;
- a press that the status refutes is pressed again only on evidence that the chair did not hear
  it: no acknowledgement followed it. A key the chair answered with a beep, and one it never
  beeps for (width, air strength), is not pressed again: the apply ends with
  :class:`~chairctl.vocabulary.NotConfirmed`. At most two presses per purpose and run;
- a cycle is never pressed through something stronger than asked, or through an air mode that
  inflates a zone not asked, while that presses on the body. The air strength only rises
  while the air works; the air mode passes other modes only within the body scan after a
  power-on of the adapter's own (nothing inflates before the scan ends [assumed]); the manual
  technique only steps forward and never through percussion for gentle work. Whatever needs
  more (a lower strength, another air mode, the air off, an earlier technique, the rollers at
  rest) is a restart, told to the engine beforehand (:meth:`needs_restart`);
- the timer is set once per power-on, forward only: to the shortest of its steps that covers
  the session, or left where it is when it shows more (a longer chair timer ends nothing
  early; the session's own stop ends the massage).

**What the status cannot show is the adapter's to know**, from a power-on it made itself: the
air mode (counted from its presses, each one the chair beeped for), the posture (the zero-
gravity key is a toggle; pressing it is confirmed by the actuators moving, and what it left is
believed), whether the chair is paused (it never is: the adapter never presses pause). A chair
found on, whose air mode and pause no press of the adapter's explains, is restarted first.

**Airbags start gently by the chair's own contact.** The engine holds the airbags at level 1
for the first minute of their contact with the body, and learns of a restart only while the
rollers work. So the adapter also caps the air strength by how long the airbags have pressed
since it saw them start (:func:`~chairctl.vocabulary.limits.airbag_cap`): after a restart the
engine did not hear of, the airbags start gently all the same. An apply that turns the air on
returns only once the air-zone lamps show the airbags inflating, and one that starts the
rollers only once the technique's lamp blinks, so that the engine's contacts never begin before
the chair's.

The status has no fault field: a chair that protects itself powers off. While a setpoint has
the chair working, a display that goes dark reads as a fault (:mod:`.watch`), and the
reconciler never switches a faulted chair on again: nothing resumes by itself.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Final

from chairctl.vocabulary import ChairFault, ChairStatus, MassageRange, NotConfirmed, WorkState
from chairctl.vocabulary.limits import START_MAX_AIRBAG, airbag_cap
from drivers.adapters.base import Port, Release
from drivers.adapters.korean.ledger import PressLedger
from drivers.adapters.korean.targets import Targets, shown_level
from drivers.adapters.korean.view import View, view_of
from drivers.adapters.korean.watch import OffWatch
from drivers.adapters.posture import PostureGoal
from drivers.adapters.reconcile import Await, ReconcileLoop
from drivers.models.korean import STATUS_LEVELS, KeyPair, KoreanModel
from drivers.protocols.korean import BLINK_WINDOW_S

#: A press is given up on when no status at all comes this many judging windows after it.
_SILENCE_WINDOWS: Final = 10
#: Presses of one purpose in one run, the second only on evidence the first was not heard.
MAX_PRESSES: Final = 2
#: Seconds kept in hand at the end of the body scan: the air mode's presses through modes not
#: asked must be over, beeps heard, before the scan can end.
SCAN_MARGIN_S: Final = 3.0
#: Seconds one press through the air modes takes, judged by its beep.
AIR_PRESS_S: Final = 1.0

#: Switches the chair off and waits out its settle (the adapter's release).
SwitchOff = Callable[[Port], Awaitable[Release]]
Judge = Callable[[View], bool]


def _never(_view: View) -> bool:
    return False


@dataclass(frozen=True)
class Press:
    """Press one button (its press code, then its release code); the status judges it."""

    key: KeyPair
    #: What the press is for, goal included ("air strength 3"): refutations count per label.
    label: str
    #: The status shows the press took.
    taken: Judge
    #: Seconds after the press at which a status that still shows the old state refutes it.
    window_s: float
    #: The status shows the press went somewhere the plan did not expect.
    elsewhere: Judge = _never
    #: The plan expects this press to wrap its cycle round (a double beep is no surprise).
    wraps: bool = False
    #: The chair does not beep for this key: nothing can say it went unheard.
    silent: bool = False
    #: Never pressed twice for one purpose in a run, whatever the evidence (a toggle whose
    #: state the status cannot show).
    once: bool = False
    #: Taken only when the chair also beeped for it (a step the status cannot show).
    by_beep: bool = False


@dataclass(frozen=True)
class Restart:
    """Switch the chair off, wait out its settle, and start afresh (a new power-on)."""

    why: str


Step = Press | Await | Restart


class Reconciler(ReconcileLoop[Targets, View, Step, Counter[str]]):
    """Brings one Korean chair to Targets, press by confirmed press."""

    #: More actions than any setpoint needs (a restart, power, two strength and three air-mode
    #: presses, five timer presses, two area and two width presses, heat, foot roller, manual
    #: and four technique steps, two speed presses, zero gravity, and the waits between);
    #: reaching it means something keeps undoing the adapter's work.
    max_steps = 40

    def __init__(
        self,
        model: KoreanModel,
        key_name: Callable[[int], str],
        watch: OffWatch,
        *,
        ledger: PressLedger | None = None,
        switch_off: SwitchOff | None = None,
    ) -> None:
        self.model = model
        #: The press on its way, shared with the release.
        self.ledger = ledger or PressLedger()
        # A press and its release go out a key gap apart, each within its own gap.
        self._gap_s = 3 * model.timing.key_gap_ms / 1000
        self.keys = model.keys
        self.key_name = key_name
        self.watch = watch
        self._switch_off = switch_off
        period = model.protocol.status_period_ms / 1000
        #: A steady field shows at the second frame after it changed; a frame may be lost.
        self.steady_s = 3 * period + 0.5
        #: A lamp reads blinking at its second sighting within the blink window.
        self.lamp_s = BLINK_WINDOW_S + 2 * period
        #: The actuators' motion bit shows once they move.
        self.motion_s = 3 * period + 1.5
        mechanics = model.mechanics
        # The scan time and the travel times are assumptions of the model file: slack.
        self._scan_limit = 2 * mechanics.body_scan_s + self.lamp_s
        self._air_limit = (
            mechanics.body_scan_s
            + 2 * (mechanics.airbag_inflate_s + mechanics.airbag_vent_s)
            + self.lamp_s
        )
        self._motion_limit = mechanics.actuator_timeout_s + self.lamp_s
        #: The chair was switched on by this adapter, and nothing since hid its state.
        self._ours = False
        #: The air mode believed selected (0 off); None: not known.
        self._air_mode: int | None = None
        #: Until when the body scan after the adapter's power-on surely runs.
        self._scan_until = -math.inf
        #: The timer has been seen where it should be since the last power-on.
        self._timer_done = False
        #: True: the adapter put the chair in zero gravity; False: upright; None: not known.
        self._zero_g: bool | None = None
        #: When the airbags were seen pressing since they last went on; None: not pressing.
        self._air_since: float | None = None
        #: The chair's timer wanted, in minutes (:meth:`~.adapter.KoreanAdapter.expect_session`).
        self.timer_minutes: int | None = None

    # -- beliefs ----------------------------------------------------------------------------

    def forget(self) -> None:
        """Forget what the status does not show (after a reconnect or a fault)."""
        self._ours = False
        self._air_mode = None
        self._scan_until = -math.inf
        self._zero_g = None
        self._air_since = None
        self.watch.armed = False

    def switched_on(self, at: float) -> None:
        """The adapter's power press at ``at`` switched the chair on: its air is off, it is not
        paused, its timer at the power-on step, its posture upright (it settled home when it
        went off) [assumed], and its body scan runs for the model's scan time."""
        self._ours = True
        self._air_mode = 0
        self._scan_until = at + self.model.mechanics.body_scan_s
        self._timer_done = False
        self._zero_g = False
        self._air_since = None

    def switched_off(self) -> None:
        """The adapter switched the chair off: what it hides is not known until its next
        power-on of the adapter's own; what it believed of the posture stays (the settle
        brings it home)."""
        self._ours = False
        self._air_mode = None
        self._air_since = None
        self._scan_until = -math.inf
        if self._zero_g is not None:
            self._zero_g = False

    @property
    def known_upright(self) -> bool:
        """True when the adapter knows the chair is upright (it has not taken it out)."""
        return self._zero_g is False

    @property
    def air_mode(self) -> int | None:
        """The air mode believed selected (0 off), None when not known."""
        return self._air_mode

    # -- the loop's hooks (the loop itself: drivers.adapters.reconcile) ---------------------

    def begin_run(self, port: Port) -> Counter[str]:
        """The presses of this run, per purpose."""
        return Counter()

    def observe(self, port: Port) -> View:
        """The latest status in the chair's terms. A display gone dark while the chair worked
        reads as a fault: the run ends, and nothing switches the chair on again."""
        if port.status.work_state is WorkState.FAULT:
            shown = self.watch.last_minutes
            timer = "" if shown is None else f" (its timer last showed {shown} min)"
            raise ChairFault(
                "the chair switched itself off while it was working: it protected itself (a "
                "motor overload, an actuator running into its watchdog) or its own timer ran "
                f"out{timer}, and its status cannot say which"
            )
        return view_of(port.status)

    def decide(self, targets: Targets, seen: View, now: float) -> Step | None:
        """:meth:`next_step`."""
        return self.next_step(targets, seen, now)

    def reached(self, targets: Targets, seen: View) -> None:
        """Arm the off watch while the chair works for the setpoint, disarm it when idle."""
        self.watch.armed = targets.works and seen.powered

    def describe(self, status: ChairStatus) -> str:
        """The status in the chair's terms (:meth:`View.describe`)."""
        return view_of(status).describe()

    # -- deciding ---------------------------------------------------------------------------

    def next_step(self, t: Targets, v: View, now: float) -> Step | None:
        """The one action to take at ``now``, or None when the chair already matches ``t``."""
        if not v.current:
            return Await("a current status", lambda s: view_of(s).current, 2 * self.steady_s)
        if v.going_dark:
            # Off, or a display that blanks its digits: a window tells. Never a power press
            # meanwhile: it would switch a settling chair on again.
            return Await(
                "the display to settle, dark or lit",
                lambda s: not view_of(s).going_dark,
                self.lamp_s + self.steady_s,
            )
        if v.off:
            return self._power_on() if t.needs_power else None
        if not t.needs_power:
            if self._works(v) or v.heat:
                return Restart("nothing is asked of the chair: it is switched off")
            return self._posture(t, v)
        if not self._ours:
            return Restart(
                "the chair was found on, and what its status cannot show (the air mode, a "
                "pause) is not known: it is switched off and started afresh"
            )
        why = self.restart_reason(t, v, now)
        if why is not None:
            return Restart(why)
        if t.air_mode and v.air and v.airbags_active and self._air_since is None:
            # The airbags press from about now: their contact's gentle start counts from here.
            self._air_since = now
        return (
            self._strength(t, v, now)
            or self._air(t, v, now)
            or self._timer(v)
            or self._area(t, v)
            or self._width(t, v)
            or self._toggle(self.keys.heater, "heat", t.heat, v.heat, lambda x: x.heat)
            or self._toggle(self.keys.foot_roller, "foot roller", t.foot, v.foot, lambda x: x.foot)
            or self._manual(t, v)
            or self._technique(t, v, now)
            or self._speed(t, v)
            or self._posture(t, v)
            or self._working(t, v, now)
        )

    @staticmethod
    def _works(v: View) -> bool:
        return v.rollers_working or bool(v.manual) or v.air or v.foot

    def restart_reason(self, t: Targets, v: View, now: float) -> str | None:
        """Why reaching ``t`` from ``v`` (a chair on, switched on by the adapter) at ``now``
        takes a restart; None when it does not."""
        if v.auto_program is not None or (v.manual is False and v.rollers_passing):
            return "the chair runs an auto program of its own, which only a restart leaves"
        if t.technique is None and (v.manual or v.rollers_working):
            return "the rollers rest only once the chair is switched off"
        if v.manual and t.technique is not None:
            place = v.technique
            if place is not None and place > t.technique:
                return (
                    f"technique {t.technique + 1} lies before technique {place + 1} in the "
                    "manual button's cycle: reaching it would wrap the cycle round"
                )
            if v.area is not MassageRange.FULL:
                return f"the rollers work the {v.area or 'unknown'} area, not the full one"
        mode = self._air_mode
        if mode is None or (mode > 0) != v.air:
            return "the air mode is not known (the status shows the air on or off, not which)"
        free = self._scanning(now, self._air_presses(mode, t.air_mode))
        if mode != t.air_mode and not free and not (mode == 0 and t.air_mode == 1):
            return (
                "another air mode (or the air off) is reached only through modes that inflate "
                "zones not asked, which is done only within the body scan after a power-on"
            )
        strength = self._strength_target(t, now)
        lower = strength is not None and v.strength is not None and v.strength > strength
        if v.air and lower and not self._scanning(now, 0):
            return (
                f"the air strength comes down from {v.strength} to {strength} only through 5 "
                "and a wrap of its cycle: it is lowered by a restart"
            )
        if v.air and not t.air_mode and not free:
            return "the air goes off only through other air modes: by a restart"
        return None

    def needs_restart(self, t: Targets, v: View, now: float) -> bool:
        """True when reaching ``t`` from ``v`` at ``now`` takes the chair through a restart
        (told to the engine beforehand, since every contact with the body ends there)."""
        if not v.powered or not t.needs_power:
            return v.powered and self._works(v)
        if not self._ours:
            return True
        return self.restart_reason(t, v, now) is not None

    # -- the steps --------------------------------------------------------------------------

    def _power_on(self) -> Press:
        return Press(
            self.keys.power,
            "power on",
            lambda x: x.powered,
            self.steady_s,
        )

    def _scanning(self, now: float, presses: int) -> bool:
        """True when ``presses`` through the air modes are over, with a margin, before the
        body scan after the adapter's power-on ends."""
        return now + presses * AIR_PRESS_S + SCAN_MARGIN_S <= self._scan_until

    def _air_presses(self, mode: int, target: int) -> int:
        return (target - mode) % (len(self.model.air_modes) + 1)

    def _strength_target(self, t: Targets, now: float) -> int | None:
        """The air strength to show: the one asked, no stronger than the gentle start of the
        airbags' contact allows (a new contact when they do not press yet)."""
        if t.air_strength is None:
            return None
        since = self._air_since
        if since is None:
            cap = START_MAX_AIRBAG
        elif math.isinf(now):
            return t.air_strength  # no time to judge the contact by: as asked
        else:
            cap = airbag_cap(now - since)
        return min(t.air_strength, shown_level(cap))

    def _cycle_press(
        self,
        key: KeyPair,
        what: str,
        cycle: tuple[object, ...],
        current: object,
        *,
        read: Callable[[View], object],
        window_s: float,
        silent: bool = False,
    ) -> Press:
        """The next press of a cycle key from ``current`` (its status value ``read``)."""
        index = cycle.index(current)
        following = cycle[(index + 1) % len(cycle)]
        return Press(
            key,
            f"{what} {following}",
            lambda x: read(x) == following,
            window_s,
            elsewhere=lambda x: read(x) not in (current, following, None),
            wraps=index + 1 == len(cycle),
            silent=silent,
        )

    def _strength(self, t: Targets, v: View, now: float) -> Press | None:
        wanted = self._strength_target(t, now)
        if wanted is None or v.strength == wanted:
            return None
        if v.strength is None:
            raise NotConfirmed("the air strength reads a value the source reserves")
        if v.air and v.strength > wanted and not self._scanning(now, 0):
            return None  # a restart's business (restart_reason): never pressed through 5
        return self._cycle_press(
            self.keys.air_strength,
            "air strength",
            STATUS_LEVELS,
            v.strength,
            read=lambda x: x.strength,
            window_s=self.steady_s,
            silent=True,
        )

    def _air(self, t: Targets, v: View, now: float) -> Press | None:
        mode = self._air_mode
        if mode is None or mode == t.air_mode:
            return None
        modes = len(self.model.air_modes) + 1
        following = (mode + 1) % modes
        if not self._scanning(now, self._air_presses(mode, t.air_mode)) and not (
            mode == 0 and t.air_mode == 1
        ):
            return None  # a restart's business (restart_reason)
        if mode == 0:
            # Off to the first mode: the air bit shows it.
            return Press(self.keys.air_mode, "air mode 1", lambda x: x.air, self.steady_s)
        if following == 0:
            return Press(
                self.keys.air_mode,
                "air off",
                lambda x: not x.air,
                self.steady_s,
                wraps=True,
                by_beep=True,
            )
        # The status cannot show which mode: the beep says the chair took the press.
        return Press(
            self.keys.air_mode,
            f"air mode {following}",
            lambda x: x.air,
            self.steady_s,
            by_beep=True,
        )

    def _timer(self, v: View) -> Press | None:
        wanted = self.timer_minutes
        if self._timer_done or wanted is None or v.timer is None:
            return None
        above = [m for m in self.model.timer_steps if m > v.timer]
        if v.timer >= wanted or not above:
            # Forward only: a timer showing more than needed ends nothing early.
            self._timer_done = True
            return None
        following = above[0]
        return Press(
            self.keys.timer, f"timer {following} min", lambda x: x.timer == following, self.steady_s
        )

    def _short_status(self, what: str) -> Await:
        """Wait for a short status that shows ``what`` (the first comes just after the first
        long one; a reserved value keeps it from showing until the wait runs out)."""
        return Await(
            f"a short status showing {what}",
            lambda s: view_of(s).manual is not None and view_of(s).area is not None,
            2 * self.steady_s,
        )

    def _area(self, t: Targets, v: View) -> Step | None:
        if t.technique is None or v.area is MassageRange.FULL or v.manual:
            return None
        if v.area is None:
            return self._short_status("the massage area")
        return self._cycle_press(
            self.keys.area,
            "area",
            tuple(self.model.area_cycle),
            v.area,
            read=lambda x: x.area,
            window_s=self.steady_s,
        )

    def _width(self, t: Targets, v: View) -> Press | None:
        if t.width is None or v.width is t.width:
            return None
        if v.width is None:
            raise NotConfirmed("the kneading width reads a value the source reserves")
        return self._cycle_press(
            self.keys.width,
            "width",
            tuple(self.model.width_cycle),
            v.width,
            read=lambda x: x.width,
            window_s=self.steady_s,
            silent=True,
        )

    def _toggle(
        self, key: KeyPair, what: str, wanted: bool, shown: bool, read: Judge
    ) -> Press | None:
        if shown is wanted:
            return None
        return Press(
            key,
            f"{what} {'on' if wanted else 'off'}",
            lambda x: read(x) is wanted,
            self.steady_s,
        )

    def _manual(self, t: Targets, v: View) -> Step | None:
        if t.technique is None or v.manual:
            return None
        if v.manual is None:
            return self._short_status("manual mode")
        return Press(self.keys.manual, "manual mode", lambda x: x.manual is True, self.steady_s)

    def _technique(self, t: Targets, v: View, now: float) -> Step | None:
        wanted = t.technique
        if wanted is None or not v.manual:
            return None
        place = v.technique
        if place is None:
            if v.techniques_active:
                # One lamp starts as the other stops; the stopped one reads blinking a window.
                return Await(
                    "one technique lamp to blink",
                    lambda s: view_of(s).technique is not None,
                    self.lamp_s + self.steady_s,
                )
            return Await(
                "the rollers to start (the body scan)",
                lambda s: view_of(s).technique is not None,
                max(0.0, self._scan_until - now) + self._scan_limit,
            )
        if place == wanted:
            return None
        following = place + 1
        return Press(
            self.keys.manual,
            f"technique {following + 1}",
            lambda x: following in x.techniques_active,
            self.lamp_s,
            elsewhere=lambda x: x.technique not in (place, following, None),
        )

    def _speed(self, t: Targets, v: View) -> Press | None:
        if t.speed is None or not v.manual or v.speed == t.speed:
            return None
        if v.speed is None:
            raise NotConfirmed("the roller speed reads a value the source reserves")
        return self._cycle_press(
            self.keys.speed,
            "speed",
            STATUS_LEVELS,
            v.speed,
            read=lambda x: x.speed,
            window_s=self.steady_s,
        )

    def _posture(self, t: Targets, v: View) -> Step | None:
        if v.moving:
            return Await(
                "the backrest and leg rest to stop",
                lambda s: not view_of(s).moving,
                self._motion_limit,
            )
        if t.posture is PostureGoal.KEEP or self._zero_g is None:
            # Not known: a toggle pressed on a guess could send the chair either way.
            return None
        going = t.posture is PostureGoal.ZERO_G
        if self._zero_g is going:
            return None
        return Press(
            self.keys.zero_gravity,
            f"zero gravity {'on' if going else 'off'}",
            lambda x: x.moving,
            self.motion_s,
            once=True,
        )

    def _working(self, t: Targets, v: View, now: float) -> Step | None:
        """Wait until the air is seen inflating: the airbags' contact begins no sooner."""
        if t.air_mode and self._air_since is None:
            return Await(
                "the airbags to start (the body scan, then their first turn)",
                lambda s: bool(view_of(s).airbags_active),
                max(0.0, self._scan_until - now) + self._air_limit,
            )
        return None

    # -- doing ------------------------------------------------------------------------------

    async def perform(self, step: Step, port: Port, run: Counter[str]) -> None:
        """Press ``step``'s button (or wait, or restart); the status judges what it can."""
        match step:
            case Press():
                await self._press(step, port, run)
            case Await():
                await self.await_done(step, port)
            case Restart(why=why):
                await self._restart(port, why)

    async def _restart(self, port: Port, why: str) -> None:
        if self._switch_off is None:
            raise NotConfirmed(f"{why}, and this reconciler cannot switch the chair off")
        self.watch.armed = False
        released = await self._switch_off(port)
        if not released.safe:
            raise NotConfirmed(
                f"{why}; switching it off did not take: " + "; ".join(released.notes)
            )

    async def _press(self, step: Press, port: Port, run: Counter[str]) -> None:
        if self.ledger.open:
            # A press of an apply cut short may still show: plan again from a status that
            # shows what it did, rather than press a toggle a second time.
            await self.ledger.settled(port)
            return
        before = view_of(port.status)
        key = step.key
        air, zero_g = self._air_mode, self._zero_g
        if key.press == self.keys.air_mode.press:
            self._air_mode = None  # unknown while the press is on its way
        if key.press == self.keys.zero_gravity.press:
            self._zero_g = None
        self.ledger.sending(port.clock.now(), self._gap_s, step.window_s)
        sent = await port.hold(key.press, key.release)
        self.ledger.sent(sent, step.window_s)
        await port.release(key.release)
        judged_by = sent + step.window_s

        def beeped(x: View) -> bool:
            return x.acks > before.acks

        def wrapped(x: View) -> bool:
            return x.double_beeps > before.double_beeps and not step.wraps

        def took(x: View) -> bool:
            return step.taken(x) and (beeped(x) or not step.by_beep)

        def judged(s: ChairStatus, at: float) -> bool:
            x = view_of(s)
            return took(x) or wrapped(x) or step.elsewhere(x) or at >= judged_by

        status = await port.wait(judged, deadline=sent + _SILENCE_WINDOWS * step.window_s)
        name = self.key_name(key.press)
        if status is not None:
            self.ledger.judged()
        if status is None:
            raise NotConfirmed(
                f"{step.label}: no status came within {_SILENCE_WINDOWS * step.window_s:g} s "
                f"of {name} to say whether it took"
            )
        seen = view_of(status)
        if wrapped(seen):
            raise NotConfirmed(
                f"{step.label}: the chair double-beeped after {name}: its cycle wrapped round "
                "where the model file's cycle does not, so nothing more is pressed for it; "
                f"the status shows {seen.describe()}"
            )
        if took(seen):
            self._took(step, sent, air)
            # Plan the next step from a status whose short part (manual mode, the area) was
            # read after the press too: it changes with some keys (power, manual, area).
            await port.wait(
                lambda s, _at: view_of(s).shorts > before.shorts,
                deadline=port.clock.now() + 2 * self.steady_s,
            )
            return
        if step.elsewhere(seen):
            raise NotConfirmed(
                f"{step.label}: after {name} the status shows {seen.describe()}, not the next "
                "step of the model file's cycle: the file does not match this chair, so "
                "nothing more is pressed for it"
            )
        # Refuted: the status a window after the press still shows the old state.
        run[step.label] += 1
        if step.by_beep:
            # Only the beep could say; a lost one leaves the mode not known (None), and a
            # second press could go one mode too far.
            raise NotConfirmed(
                f"{step.label}: no beep came for {name} within {step.window_s:g} s, and the "
                "status cannot show the air mode: it is not known now, and not pressed again"
            )
        if beeped(seen):
            raise NotConfirmed(
                f"{step.label}: the chair beeped for {name}, yet the status "
                f"{step.window_s:g} s later still shows {seen.describe()}; it is not pressed "
                "again"
            )
        if step.silent or step.once or run[step.label] >= MAX_PRESSES:
            raise NotConfirmed(
                f"{step.label} did not take: {name} was sent {run[step.label]} "
                f"time{'s' if run[step.label] > 1 else ''}, and the status "
                f"{step.window_s:g} s later still showed {seen.describe()}"
            )
        # No answer and no change: the chair did not hear it. The next turn plans again.
        self._air_mode, self._zero_g = air, zero_g

    def _took(self, step: Press, sent: float, air_before: int | None) -> None:
        """What the beliefs become once ``step``, pressed at ``sent``, took (``air_before``:
        the air mode believed when it was planned)."""
        press = step.key.press
        if press == self.keys.power.press:
            self.switched_on(sent)
        elif press == self.keys.air_mode.press and air_before is not None:
            self._air_mode = (air_before + 1) % (len(self.model.air_modes) + 1)
            if self._air_mode == 0:
                self._air_since = None
        elif press == self.keys.zero_gravity.press:
            self._zero_g = step.label.endswith(" on")
