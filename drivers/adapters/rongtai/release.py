"""Safe release on a Rongtai H10 chair: what stop() sends, and how it knows it worked.

The protocol has no "stop all" key. POWER from running makes the chair settle: the rollers
go home, the 3D depth retracts, the airbags vent, the heat goes off and the actuators return
home, all capped by the firmware at ``settle_cap_s``. Before POWER go the keys that do one
thing only: airbags off, heat toggled off (only when the status shows it on), foot rollers
off. They take effect even if the POWER toggle is lost, and cost a key gap each. The STOPs
of held hold-to-move keys are the session's job and go out before any of this. No START of
any actuator is ever sent here: nothing is driven toward a possible obstruction.

Every key follows the toggle rule: sent again only after a status that arrived a settle
window later still shows it undone.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Final

from chairctl.vocabulary import ActuatorMotion, ChairStatus, WorkState
from drivers.adapters.base import Port, Release
from drivers.adapters.rongtai.reconciler import SCAN_RUNNING, rollers_working
from drivers.models.rongtai import RongtaiModel
from drivers.protocols.rongtai import rongtai_detail

_ON: Final = (WorkState.WAITING, WorkState.RUNNING)
_AT_REST: Final = (WorkState.STANDBY, WorkState.FAULT)


def is_safe(status: ChairStatus) -> bool:
    """Nothing moves, presses or heats: the chair is off (or faulted, which the firmware
    releases by itself) with rollers, airbags, heat, foot rollers and actuators all still."""
    return (
        status.work_state in _AT_REST
        and status.technique_code == 0
        and not status.heat
        and status.airbag_level == 0
        and not status.airbag_program
        and not status.airbags_active
        and not status.foot_roller
        and not status.actuators_moving
    )


class Releaser:
    """Drives a Rongtai chair to its safe state and watches the status until it is there."""

    def __init__(
        self, model: RongtaiModel, window_s: float, attempts: int, key_name: Callable[[int], str]
    ) -> None:
        keys = model.keys
        self.window_s = window_s
        self.attempts = attempts
        self.key_name = key_name
        self.settle_cap_s = model.timing.settle_cap_s
        self._power = keys.power
        #: Keys in the order they go out, each with the status that still calls for it.
        self._keys: list[tuple[int, str, Callable[[ChairStatus], bool]]] = []
        if keys.airbag_off is not None:
            self._keys.append(
                (
                    keys.airbag_off,
                    "airbags off",
                    lambda s: bool(s.airbag_program) or s.airbag_level > 0,
                )
            )
        if keys.heat_toggle is not None:
            self._keys.append((keys.heat_toggle, "heat off", lambda s: s.heat))
        if keys.foot_roller_off is not None:
            self._keys.append((keys.foot_roller_off, "foot rollers off", lambda s: s.foot_roller))
        self._keys.append((keys.power, "switch off", lambda s: s.work_state in _ON))
        self._backrest, self._leg_rest = keys.backrest, keys.leg_rest
        # A faulted chair releases by itself, but its status cannot show the 3D depth or
        # venting airbags: the longest either takes (depth from its deepest) is waited out.
        self._fault_release_s = max(model.depth_retract_s, model.mechanics.airbag_vent_s)
        # Before the settle starts: a body scan to sit out, then a few keys, each perhaps
        # refuted and sent again.
        self._before_settle_s = 2 * model.mechanics.body_scan_s + (attempts + 1) * (window_s + 1.0)

    def _stops(self, s: ChairStatus) -> list[tuple[int, str, Callable[[ChairStatus], bool]]]:
        """STOP keys for actuators moving on their own (a zero-gravity move in standby)."""
        stops = []
        for hold, part in ((self._backrest, "backrest"), (self._leg_rest, "leg_rest")):
            motion = getattr(s, part)
            if hold is None or motion is ActuatorMotion.STOPPED:
                continue
            key = hold.up_stop if motion is ActuatorMotion.UP else hold.down_stop
            stops.append((key, f"{part} stop", _still(part, motion)))
        return stops

    async def release(self, port: Port) -> Release:
        """Send the release keys and wait until the status shows the safe state."""
        clock = port.clock
        run = _Keys(self.window_s, self.attempts, self.key_name)
        settle_started: float | None = None
        started = clock.now()
        before_settle = started + self._before_settle_s
        while True:
            s = port.status
            if is_safe(s):
                released = started + self._fault_release_s
                if s.work_state is WorkState.FAULT and clock.now() < released:
                    await clock.sleep_until(released)
                    continue
                return Release(True, tuple(run.notes), settle_started)
            state = s.work_state
            if (
                settle_started is None
                and state is WorkState.RESETTING
                and not rongtai_detail(s).body_scan & SCAN_RUNNING
            ):
                settle_started = run.sent_at.get(self._power, port.status_at)
            # The firmware caps its return home at settle_cap_s; one settle window of slack
            # for the status that reports the end of it.
            deadline = (
                before_settle
                if settle_started is None
                else settle_started + self.settle_cap_s + self.window_s
            )
            if clock.now() >= deadline:
                run.notes.append(_why_not(s, settle_started, self.settle_cap_s))
                return Release(False, tuple(run.notes), settle_started)
            run.judge(s, port.status_at)
            if state in _ON:
                wanted = self._keys
            elif state in _AT_REST:
                wanted = self._stops(s)
            else:
                # Resetting: the vendor app sends nothing now; the chair finishes by itself.
                wanted = []
            for key, label, needed in wanted:
                if run.may_press(key) and needed(s):
                    await run.press(port, key, label, needed)
            await port.wait(run.acceptor(state), deadline)


class _Keys:
    """The keys of one release: which await the status's verdict, which were refuted."""

    def __init__(self, window_s: float, attempts: int, key_name: Callable[[int], str]) -> None:
        self.window_s = window_s
        self.attempts = attempts
        self.key_name = key_name
        self.notes: list[str] = []
        #: When each key was last sent.
        self.sent_at: dict[int, float] = {}
        self._pending: dict[int, tuple[str, Callable[[ChairStatus], bool]]] = {}
        self._refuted: Counter[int] = Counter()

    def may_press(self, key: int) -> bool:
        """Not awaiting a verdict on it, and not refuted too often already."""
        return key not in self._pending and self._refuted[key] < self.attempts

    async def press(
        self, port: Port, key: int, label: str, needed: Callable[[ChairStatus], bool]
    ) -> None:
        """Send ``key``; it awaits the verdict of a status a settle window later."""
        self.sent_at[key] = await port.press(key)
        self._pending[key] = (label, needed)

    def judge(self, s: ChairStatus, at: float) -> None:
        """Give the verdict on every key a settle window old: still needed means refuted."""
        for key, (label, needed) in list(self._pending.items()):
            if at < self.sent_at[key] + self.window_s:
                continue
            del self._pending[key]
            if needed(s):
                self._refuted[key] += 1
                if self._refuted[key] == self.attempts:
                    self.notes.append(
                        f"{label}: {self.key_name(key)} was sent {self.attempts} times without "
                        "effect"
                    )

    def acceptor(self, state: WorkState) -> Callable[[ChairStatus, float], bool]:
        """The status worth looking at again: safe, a new state, or a verdict due."""
        due = min((self.sent_at[k] + self.window_s for k in self._pending), default=None)
        return lambda x, at: (
            is_safe(x) or x.work_state is not state or (due is not None and at >= due)
        )


def _still(part: str, motion: ActuatorMotion) -> Callable[[ChairStatus], bool]:
    return lambda s: getattr(s, part) is motion


def _why_not(s: ChairStatus, settle_started: float | None, cap: float) -> str:
    left = [
        what
        for what, on in (
            (f"work state {s.work_state}", s.work_state not in _AT_REST),
            ("rollers working", rollers_working(s)),
            ("heat on", s.heat),
            ("airbags on", s.airbag_level > 0 or bool(s.airbag_program or s.airbags_active)),
            ("foot rollers on", s.foot_roller),
            ("an actuator moving", s.actuators_moving),
        )
        if on
    ]
    when = (
        f"within the {cap:g} s settle cap" if settle_started is not None else "in the time allowed"
    )
    return f"the chair did not reach its safe state {when}: {', '.join(left) or 'unknown'}"
