"""The Tuya reconciler: from the latest status to the next data point to set, until they agree.

Each turn reads the latest status, picks the one set that brings the chair closest to its
:class:`~drivers.adapters.tuya.targets.Targets`, sends it in a DP deliver and waits for a
report that shows it. A set is a state, not a toggle, so sending it again is harmless: a set
that no report shows within ``window_s`` (the MCU answers a deliver at once, and the driver
polls every ``query_period_ms``) is planned again from the status and sent again, up to
``attempts`` times in all, and then :class:`~chairctl.vocabulary.NotConfirmed` names the data
point and the value. Every decision starts from what the chair reports, so a chair that changed
by itself (its timer, its remote, its idle sleep) is planned from where it really is.

Order: switch on (then ``power_to_mode_s`` before any mode); the session timer once per
power-on; everything that goes off or down (rollers, airbags, heat, foot roller); the strength,
at once after switching on (a product whose pattern runs whenever it is on starts at the
strength it last had); speed and width before the rollers start, and the airbag level before
the airbags do; the roller mode; the airbag location; heat; foot roller; posture last. A
product whose pattern runs whenever it is on (``always_on``) rests its rollers by switching
off.

Nothing is sent of a DP whose wire type the chair reports other than the model file says:
that is a :class:`~chairctl.vocabulary.ModelMismatch`, raised before the set goes out.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from chairctl.clock import Clock
from chairctl.vocabulary import ChairFault, ChairStatus, ModelMismatch, NotConfirmed, WorkState
from drivers.adapters.base import Port
from drivers.adapters.reconcile import ReconcileLoop
from drivers.adapters.tuya.targets import Targets
from drivers.models.tuya import CLOSE, TuyaCode, TuyaModel
from drivers.protocols.tuya import dp_deliver
from drivers.protocols.tuya.decoding import shown_value, zero_g_values
from drivers.protocols.tuya.points import DpMap, DpValue
from drivers.protocols.tuya.wiretypes import WireTypes

Taken = Callable[[ChairStatus], bool]


@dataclass(frozen=True)
class SetDp:
    """Set one data point and wait for a report to show it."""

    code: TuyaCode
    value: DpValue
    taken: Taken
    #: A mode: not sooner than ``power_to_mode_s`` after switching on.
    mode: bool = True
    #: Called once a report shows it (beliefs about what the status cannot show).
    done: Callable[[], None] | None = None

    @property
    def label(self) -> str:
        """``code=value``, as people read it in a report."""
        value = str(self.value).lower() if isinstance(self.value, bool) else self.value
        return f"{self.code}={value}"


def fault_text(status: ChairStatus) -> str:
    """What a faulted status says, for people."""
    code = "" if status.error_code is None else f" (fault bitmap {status.error_code})"
    return f"the chair reports a fault{code}"


class Reconciler(ReconcileLoop[Targets, ChairStatus, SetDp, Counter[str]]):
    """Brings one Tuya chair to Targets, set by confirmed set."""

    #: More sets than any setpoint needs (ten DPs, a power-on, the chair switching itself off
    #: once on the way...); reaching it means something keeps undoing our work.
    max_steps = 40

    def __init__(
        self, model: TuyaModel, window_s: float, attempts: int, types: WireTypes | None = None
    ) -> None:
        if window_s <= 0 or attempts < 1:
            raise ValueError("the resend window must be positive and attempts at least 1")
        self.model = model
        self.window_s = window_s
        self.attempts = attempts
        self.points = DpMap(model)
        #: The wire types the chair reported (shared with the decoder); a set of a DP whose
        #: type the chair contradicts is never sent.
        self.types = WireTypes() if types is None else types
        self._zero_g = zero_g_values(model)
        #: The session timer in minutes to set once after each power-on; None: the chair's own.
        self.timer_minutes: int | None = None
        self._timer_set = False
        #: When this reconciler last switched the chair on, and on which clock.
        self.powered_at = -math.inf
        self.clock: Clock | None = None
        #: The gravity_control value a report confirmed after we set it; None: not known.
        #: (The status shows only zero gravity or not, not which zero-gravity posture.)
        self._gravity: str | None = None
        #: True while the chair is in zero gravity because this session took it there.
        self._zero_g_ours = False
        self._was_on = False

    def forget(self) -> None:
        """Forget what the status does not show (after a reconnect or a fault)."""
        self._gravity = None
        self._zero_g_ours = False
        self._timer_set = False

    # -- the loop's hooks (the loop itself: drivers.adapters.reconcile) -------------------------

    def begin_run(self, port: Port) -> Counter[str]:
        """The refutations of this run, per set; the port's clock is noted for the adapter."""
        self.clock = port.clock
        return Counter()

    def observe(self, port: Port) -> ChairStatus:
        """The latest status, as it is: a fault shows in it (:meth:`next_step` raises)."""
        return port.status

    def decide(self, targets: Targets, seen: ChairStatus, now: float) -> SetDp | None:
        """:meth:`next_step`."""
        return self.next_step(targets, seen)

    # -- deciding -------------------------------------------------------------------------------

    def next_step(self, t: Targets, s: ChairStatus) -> SetDp | None:
        """The one set to make now, or None when the status already shows the targets."""
        if s.work_state is WorkState.FAULT:
            raise ChairFault(fault_text(s), error_code=s.error_code)
        if not s.running:
            if self._was_on:
                # Switched off, the chair settled: it forgot the timer and drove its
                # actuators home, so what we believed of them is gone too.
                self.forget()
            self._was_on = False
            if t.needs_power:
                return SetDp("switch", True, lambda x: x.running, mode=False)
            return self._posture(t, s)
        self._was_on = True
        return (
            self._timer()
            or self._switch_off(t, s)
            or self._settings(t, s)
            or self._switch_on(t, s)
            or self._posture(t, s)
        )

    def _has(self, code: TuyaCode) -> bool:
        return self.points.has(code)

    def _level(self, code: TuyaCode, value: str) -> int:
        return self.points.level(code, value)

    def _timer(self) -> SetDp | None:
        minutes = self.timer_minutes
        if minutes is None or self._timer_set or not self._has("time_set"):
            return None

        def done() -> None:
            self._timer_set = True

        # Set even when the chair shows the same value: the chair counts from the set.
        return SetDp("time_set", minutes, lambda x: x.preset_minutes == minutes, done=done)

    def _switch_off(self, t: Targets, s: ChairStatus) -> SetDp | None:
        """Whatever is on and should be off, rollers first."""
        if t.rollers is None:
            for code, working in (("manual_mode", s.technique_code), ("auto_mode", s.program_code)):
                if not working:
                    continue
                if not self.model.closes(code):
                    # Its pattern runs whenever the product is on: off is the only rest.
                    return SetDp("switch", False, lambda x: not x.running, mode=False)
                if code == "manual_mode":
                    return SetDp("manual_mode", CLOSE, lambda x: x.technique_code == 0)
                return SetDp("auto_mode", CLOSE, lambda x: x.program_code == 0)
        if t.airbags is None and s.airbag_program and self._has("aircell_location"):
            return SetDp("aircell_location", CLOSE, lambda x: not x.airbag_program)
        if not t.heat and s.heat and self._has("heat"):
            return SetDp("heat", False, lambda x: not x.heat)
        if not t.foot and s.foot_roller and self._has("foot_control"):
            return SetDp("foot_control", False, lambda x: not x.foot_roller)
        return None

    def _settings(self, t: Targets, s: ChairStatus) -> SetDp | None:
        """Strength, speed, width and airbag level: before what they apply to starts."""
        if t.strength is not None:
            strength = t.strength
            level = self.model.intensity_of(strength)
            if s.intensity != level:
                # No wait after switching on: the sooner a strength left high comes down, the
                # better.
                return SetDp("strength", strength, lambda x: x.intensity == level, mode=False)
        if t.speed is not None:
            speed = self._level("massage_speed", t.speed)
            if s.speed != speed:
                return SetDp("massage_speed", t.speed, lambda x: x.speed == speed)
        if t.width is not None:
            width, widths = t.width, self.model.widths
            # By value: two widths of ours may share one ball_location value.
            if s.width is None or widths.get(s.width) != width:
                return SetDp(
                    "ball_location",
                    width,
                    lambda x: x.width is not None and widths.get(x.width) == width,
                )
        if t.airbags is not None and t.airbag_level is not None:
            level = self._level("aircell_speed", t.airbag_level)
            if s.airbag_level != level:
                return SetDp("aircell_speed", t.airbag_level, lambda x: x.airbag_level == level)
        return None

    def _switch_on(self, t: Targets, s: ChairStatus) -> SetDp | None:
        rollers = t.rollers
        if rollers is not None:
            code = self._level(rollers.code, rollers.value)
            if rollers.manual and s.technique_code != code:
                return SetDp("manual_mode", rollers.value, lambda x: x.technique_code == code)
            if not rollers.manual and s.program_code != code:
                return SetDp("auto_mode", rollers.value, lambda x: x.program_code == code)
        zones = t.airbag_zones
        if t.airbags is not None and s.airbag_program != zones:
            return SetDp("aircell_location", t.airbags, lambda x: x.airbag_program == zones)
        if t.heat and not s.heat:
            return SetDp("heat", True, lambda x: x.heat)
        if t.foot and not s.foot_roller:
            return SetDp("foot_control", True, lambda x: x.foot_roller)
        return None

    def _posture(self, t: Targets, s: ChairStatus) -> SetDp | None:
        if not s.zero_g:
            # Out of zero gravity, whoever did it: nothing of ours to leave, and a belief in a
            # zero-gravity value is stale.
            self._zero_g_ours = False
            if self._gravity in self._zero_g:
                self._gravity = None
        if t.gravity is not None:
            going = t.gravity in self._zero_g
            if self._gravity == t.gravity and s.zero_g == going:
                return None
            return self._set_gravity(t.gravity, going)
        if t.upright is not None and self._zero_g_ours and s.zero_g:
            return self._set_gravity(t.upright, False)
        return None

    def _set_gravity(self, value: str, going: bool) -> SetDp:
        def done() -> None:
            self._gravity = value
            self._zero_g_ours = going

        # Gravity works whether the chair is on or off: no wait after switching on.
        return SetDp("gravity_control", value, lambda x: x.zero_g == going, mode=False, done=done)

    # -- doing ----------------------------------------------------------------------------------

    async def perform(self, step: SetDp, port: Port, refuted: Counter[str]) -> None:
        """Set the data point and wait a window for a report to show it; count a refutation
        when none does."""
        clock = port.clock
        if step.mode:
            # Modes wait this long after switching on, as the chair's own app does.
            await clock.sleep_until(self.powered_at + self.model.timing.power_to_mode_s)
        mismatch = self.types.contradiction(self.points, step.code)
        if mismatch is not None:
            raise ModelMismatch(f"{mismatch}; {step.label} was not sent")
        frame = dp_deliver([self.points.encode(step.code, step.value)])
        sent = await port.send(frame)
        if step.code == "switch" and step.value is True:
            self.powered_at = sent
            self._timer_set = False
        shown = await port.wait(lambda s, _at: step.taken(s), deadline=sent + self.window_s)
        if shown is not None:
            if step.done is not None:
                step.done()
            return
        refuted[step.label] += 1
        if refuted[step.label] >= self.attempts:
            raise NotConfirmed(
                f"{step.label} did not take: it was set {refuted[step.label]} times, "
                f"{self.window_s:g} s apart, and the chair still reports "
                f"{shown_value(self.model, step.code, port.status)}"
            )
