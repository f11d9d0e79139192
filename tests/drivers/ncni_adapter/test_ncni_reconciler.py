"""The NCNI reconciler's closed-loop rules, each against a scripted chair that breaks it:
the settle window, the optimistic mute, the boot-settle gate, taking control after power-on,
the pressure it cannot see, the beliefs the status cannot correct, and the safe release."""

from __future__ import annotations

import math
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field

import pytest

from chairctl.clock import VirtualClock
from chairctl.vocabulary import (
    AirbagZone,
    ChairFault,
    ChairStatus,
    Heater,
    HeatLevel,
    NotConfirmed,
    Posture,
    Region,
    Setpoint,
    Technique,
    WorkState,
)
from drivers.adapters.ncni import NcniAdapter, OffWatch, PostureGoal, Reconciler, Targets, View
from drivers.adapters.ncni.reconciler import POWER_ON_AIRBAGS, Blind
from drivers.models import get_model_as
from drivers.models.ncni import NcniModel
from drivers.protocols.ncni import (
    BOOT_SETTLE_FAIL_OPEN_S,
    BOOT_SETTLE_MIN_S,
    INTENSITY_SCALE,
    OPTIMISTIC_MUTE_S,
)
from tests.drivers.ncni_adapter.ncniscript import OFF, ON, ScriptedPort

MODEL = get_model_as("ncni-chair", NcniModel)
assert isinstance(MODEL, NcniModel)
KEYS = MODEL.keys
WINDOW = 2.5
HEAT = Setpoint(heat={Heater.LUMBAR: HeatLevel.MEDIUM})
KNEAD_BACK = Setpoint(technique=Technique.KNEAD, regions=(Region.MID_BACK,), intensity=5)
GENTLE_BACK = Setpoint(technique=Technique.KNEAD, regions=(Region.MID_BACK,), intensity=2)
NECK = Setpoint(technique=Technique.KNEAD, regions=(Region.NECK,))


@dataclass
class Chair:
    """A scripted NCNI chair, upstream's rules much simplified: power starts auto profile A at
    level 2 (running once its scan is over); a manual key leaves auto for that mode; the
    manual modes toggle; the pressure steps within 1..3 and shows only while running."""

    clock: VirtualClock
    scan_s: float = 3.0
    powered: bool = False
    auto: bool = False
    manual: set[str] = field(default_factory=set)
    level: int = 1
    heat: bool = False
    #: Keys this chair ignores.
    deaf: set[int] = field(default_factory=set)
    #: What its heat bit shows: the heat, or always this.
    heat_bit: bool | None = None
    on_at: float = -math.inf

    def status(self) -> ChairStatus:
        if not self.powered:
            return OFF
        rollers = self.auto or bool(self.manual)
        running = rollers and self.clock.now() >= self.on_at + self.scan_s
        program = None
        if self.auto:
            program = "auto A"
        elif self.manual:
            program = "manual " + "+".join(sorted(self.manual))
        return ChairStatus(
            running=True,
            work_state=WorkState.RUNNING if running else WorkState.WAITING,
            intensity=INTENSITY_SCALE[self.level] if running else 0,
            program=program,
            heat=self.heat if self.heat_bit is None else self.heat_bit,
        )

    def on(self, *, manual: set[str], level: int) -> None:
        """Switched on before the test (not by the adapter), working ``manual`` at ``level``."""
        self.powered, self.manual, self.level, self.on_at = True, set(manual), level, -100.0

    def press(self, key: int) -> None:
        if key in self.deaf:
            return
        if key == KEYS.power:
            if self.powered:
                self.powered, self.auto, self.manual, self.heat = False, False, set(), False
            else:
                self.powered, self.auto, self.manual, self.level = True, True, set(), 2
                self.on_at = self.clock.now()
            return
        if not self.powered:
            return
        name = {KEYS.back_waist: "back_waist", KEYS.neck: "neck"}.get(key)
        if name is not None:
            if self.auto:
                self.auto, self.manual = False, {name}
            else:
                self.manual ^= {name}
        elif key in (KEYS.pressure_up, KEYS.pressure_down):
            step = 1 if key == KEYS.pressure_up else -1
            self.level = min(3, max(1, self.level + step))
        elif key == KEYS.heat:
            self.heat = not self.heat


@pytest.fixture
def clock() -> VirtualClock:
    return VirtualClock()


def _pressing(chair: Chair, key: int) -> Callable[[ChairStatus], ChairStatus]:
    """The port's effect of ``key``: pressed on ``chair``, whose status the port shows."""

    def effect(shown: ChairStatus) -> ChairStatus:
        chair.press(key)
        return shown

    return effect


@pytest.fixture
def chair(clock: VirtualClock) -> Chair:
    return Chair(clock)


@pytest.fixture
async def port(clock: VirtualClock, chair: Chair) -> AsyncIterator[ScriptedPort]:
    """The scripted chair behind a port, off, with the first status in."""
    scripted = ScriptedPort(clock, source=chair.status)
    for key in KEYS.model_dump().values():
        scripted.effects[key] = _pressing(chair, key)
    scripted.start()
    await clock.advance(0.05)
    yield scripted
    scripted.stop()


async def _working(clock: VirtualClock, port: ScriptedPort, adapter: NcniAdapter) -> None:
    """Switched on by the adapter and working the back and waist at level 3."""
    await clock.run(adapter.reconcile(KNEAD_BACK, port), limit=60)
    port.pressed.clear()


# -- the toggle rule --------------------------------------------------------------------------


async def test_a_press_the_status_refutes_is_reported_naming_the_key_and_the_status(
    clock: VirtualClock, port: ScriptedPort, chair: Chair
) -> None:
    chair.deaf.add(KEYS.back_waist)

    with pytest.raises(NotConfirmed) as refused:
        await clock.run(NcniAdapter(MODEL).reconcile(HEAT, port), limit=30)

    assert port.sent() == [KEYS.power, KEYS.back_waist]
    assert "back_waist (0x17)" in str(refused.value)
    assert "back_waist mode did not take" in str(refused.value)
    assert "the status showed the chair on, mode auto, level 2" in str(refused.value)
    # Judged by the first status a settle window after the press, not sooner.
    assert clock.now() >= port.pressed[1][0] + WINDOW


async def test_with_attempts_left_a_press_is_repeated_only_after_a_status_refuted_it(
    clock: VirtualClock, port: ScriptedPort, chair: Chair
) -> None:
    ignored = [True]
    deaf_once = port.effects[KEYS.back_waist]
    port.effects[KEYS.back_waist] = lambda s: s if ignored and ignored.pop() else deaf_once(s)

    await clock.run(NcniAdapter(MODEL, attempts=2).reconcile(GENTLE_BACK, port), limit=60)

    first, second = port.when(KEYS.back_waist)
    assert second - first >= WINDOW
    assert chair.manual == {"back_waist"}


async def test_a_silent_spell_after_a_press_is_no_evidence_and_causes_no_second_press(
    clock: VirtualClock, port: ScriptedPort, chair: Chair
) -> None:
    leave = port.effects[KEYS.back_waist]

    def leave_then_silence(s: ChairStatus) -> ChairStatus:
        # No status until past the settle window: the first one to come judges the press.
        port.silent_until = clock.now() + 2.9
        return leave(s)

    port.effects[KEYS.back_waist] = leave_then_silence

    await clock.run(NcniAdapter(MODEL).reconcile(GENTLE_BACK, port), limit=60)

    assert port.sent().count(KEYS.back_waist) == 1
    assert chair.manual == {"back_waist"}


async def test_a_stale_frame_within_the_mute_does_not_plan_a_second_press(
    clock: VirtualClock, port: ScriptedPort, chair: Chair
) -> None:
    adapter = NcniAdapter(MODEL)
    await _working(clock, port, adapter)
    await clock.run(adapter.reconcile(NECK, port), limit=60)
    (sent, _) = port.pressed[-1]
    assert chair.manual == {"neck"}
    # The chair sends one frame it built before it took the key.
    old = chair.status().model_copy(update={"program": None})
    port.stale.append((clock.now() + 0.25, old))
    await clock.advance(0.15)
    assert port.status.program is None
    assert port.status_at < sent + OPTIMISTIC_MUTE_S
    port.pressed.clear()
    started = clock.now()

    await clock.run(adapter.reconcile(NECK, port), limit=30)

    assert port.sent() == []
    assert clock.now() == started


async def test_a_change_confirmed_and_then_undone_is_pressed_again_only_after_the_window(
    clock: VirtualClock, port: ScriptedPort, chair: Chair
) -> None:
    adapter = NcniAdapter(MODEL)
    await clock.run(adapter.reconcile(GENTLE_BACK, port), limit=60)
    (sent,) = port.when(KEYS.back_waist)
    port.pressed.clear()
    chair.manual = set()  # the mode off again, by the chair's own doing
    await clock.advance(0.2)

    await clock.run(adapter.reconcile(GENTLE_BACK, port), limit=30)

    assert port.sent() == [KEYS.back_waist]
    assert port.pressed[0][0] - 0.6 >= sent + WINDOW
    assert chair.manual == {"back_waist"}


# -- taking control after power-on --------------------------------------------------------------


async def test_after_power_on_nothing_is_planned_before_the_boot_settle_gate(
    clock: VirtualClock, port: ScriptedPort
) -> None:
    await clock.run(NcniAdapter(MODEL).reconcile(HEAT, port), limit=30)

    (powered, power), (left, leave) = port.pressed[:2]
    assert (power, leave) == (KEYS.power, KEYS.back_waist)
    # The next press starts (its first tick) only once the gate opened.
    assert left - 0.6 >= powered + BOOT_SETTLE_MIN_S


async def test_the_boot_settle_gate_opens_anyway_when_no_status_comes(
    clock: VirtualClock, port: ScriptedPort, chair: Chair
) -> None:
    power = port.effects[KEYS.power]

    def power_then_silence(s: ChairStatus) -> ChairStatus:
        # Powered frames confirm the power-on, then nothing comes until past the fail-open.
        until = clock.now() + 1.5 + BOOT_SETTLE_FAIL_OPEN_S
        clock.call_later(0.45, lambda: setattr(port, "silent_until", until))
        return power(s)

    port.effects[KEYS.power] = power_then_silence

    await clock.run(NcniAdapter(MODEL).reconcile(HEAT, port), limit=30)

    (powered, _), (left, _) = port.pressed[:2]
    assert left - 0.6 == pytest.approx(powered + BOOT_SETTLE_FAIL_OPEN_S, abs=0.15)
    assert chair.heat


async def test_power_s_auto_program_is_left_by_the_back_and_waist_and_the_level_lowered_blind(
    clock: VirtualClock, port: ScriptedPort, chair: Chair
) -> None:
    await clock.run(NcniAdapter(MODEL).reconcile(NECK, port), limit=60)

    # Auto left by the back and waist, never the neck, within the scan; the level brought
    # down while the status cannot show it (from the top, twice: pressure − stops at 1); the
    # neck only once the back and waist works and a status a settle window after the last
    # pressure key shows level 1, and the back and waist off after.
    assert port.sent() == [
        KEYS.power,
        KEYS.back_waist,
        KEYS.pressure_down,
        KEYS.pressure_down,
        KEYS.neck,
        KEYS.back_waist,
    ]
    (powered,) = port.when(KEYS.power)
    assert port.when(KEYS.back_waist)[0] < powered + chair.scan_s
    assert port.when(KEYS.neck)[0] - 0.6 >= port.when(KEYS.pressure_down)[-1] + WINDOW
    assert (chair.manual, chair.level) == ({"neck"}, 1)


async def test_a_level_asked_is_reached_once_the_status_shows_the_level(
    clock: VirtualClock, port: ScriptedPort, chair: Chair
) -> None:
    await clock.run(NcniAdapter(MODEL).reconcile(KNEAD_BACK, port), limit=60)

    # Level 3 asked: nothing to lower; raised only once the rollers run and show level 2.
    assert port.sent() == [KEYS.power, KEYS.back_waist, KEYS.pressure_up]
    (powered,) = port.when(KEYS.power)
    assert port.when(KEYS.pressure_up)[0] - 0.6 >= powered + chair.scan_s
    assert chair.level == 3


async def test_a_chair_found_on_is_switched_off_and_started_afresh(
    clock: VirtualClock, port: ScriptedPort, chair: Chair
) -> None:
    chair.on(manual={"neck"}, level=3)
    await clock.advance(0.3)
    adapter = NcniAdapter(MODEL)
    adapter.expect_session(21 * 60)

    await clock.run(adapter.reconcile(GENTLE_BACK, port), limit=120)

    off, on = port.when(KEYS.power)
    assert port.sent()[:2] == [KEYS.power, KEYS.power]
    # Off first, and the settle waited out (the status cannot show it) before the fresh start.
    assert on - off >= MODEL.mechanics.roller_travel_s
    # Then as after any power-on of its own: the timer stepped, control taken (the scan
    # over by the first pressure press, the status shows level 1 after it).
    assert port.sent()[2:] == [KEYS.time, KEYS.time, KEYS.back_waist, KEYS.pressure_down]
    assert (chair.manual, chair.level) == ({"back_waist"}, 1)


async def test_mode_bytes_no_source_describes_press_nothing(
    clock: VirtualClock, port: ScriptedPort, chair: Chair
) -> None:
    adapter = NcniAdapter(MODEL)
    await _working(clock, port, adapter)
    port.source = None
    port.shown = port.shown.model_copy(update={"program": "unknown"})
    await clock.advance(0.3)

    with pytest.raises(NotConfirmed, match="mode bytes chairctl does not know"):
        await clock.run(adapter.reconcile(NECK, port), limit=30)
    assert port.sent() == []


# -- the pressure and the neck ----------------------------------------------------------------


async def test_the_intensity_goes_down_before_the_switch_to_the_neck_and_up_after_it(
    clock: VirtualClock, port: ScriptedPort, chair: Chair
) -> None:
    adapter = NcniAdapter(MODEL)
    await _working(clock, port, adapter)
    assert chair.level == 3

    await clock.run(adapter.reconcile(NECK, port), limit=60)
    # Level 1 first, then the neck on while the back and waist shows it, the back and waist off.
    assert port.sent() == [KEYS.pressure_down, KEYS.pressure_down, KEYS.neck, KEYS.back_waist]

    port.pressed.clear()
    await clock.run(adapter.reconcile(KNEAD_BACK, port), limit=60)
    assert port.sent() == [KEYS.neck, KEYS.back_waist, KEYS.pressure_up, KEYS.pressure_up]


async def test_the_neck_key_goes_only_while_the_status_shows_level_1_after_the_pressure_keys(
    clock: VirtualClock, port: ScriptedPort, chair: Chair
) -> None:
    adapter = NcniAdapter(MODEL)
    await _working(clock, port, adapter)
    # What the adapter had seen when its neck press reached the chair.
    seen: list[tuple[float, ChairStatus]] = []
    neck = port.effects[KEYS.neck]

    def watched(status: ChairStatus) -> ChairStatus:
        seen.append((port.status_at, port.status))
        return neck(status)

    port.effects[KEYS.neck] = watched

    await clock.run(adapter.reconcile(NECK, port), limit=60)

    # A running status at level 1, sent a settle window after the last pressure key: the
    # chair's own reading, not the level the presses were believed to leave.
    ((at, status),) = seen
    assert status.work_state is WorkState.RUNNING
    assert status.intensity == INTENSITY_SCALE[1]
    assert at >= port.when(KEYS.pressure_down)[-1] + WINDOW
    assert (chair.manual, chair.level) == ({"neck"}, 1)


async def test_rollers_off_presses_the_selected_mode_s_key(
    clock: VirtualClock, port: ScriptedPort, chair: Chair
) -> None:
    adapter = NcniAdapter(MODEL)
    await _working(clock, port, adapter)

    await clock.run(adapter.reconcile(HEAT, port), limit=30)

    assert port.sent() == [KEYS.back_waist, KEYS.heat]
    assert port.status.program is None


def _known() -> Reconciler:
    """A reconciler whose own power press just switched the chair on."""
    reconciler = Reconciler(MODEL, WINDOW, 1, str, OffWatch())
    reconciler.switched_on()
    return reconciler


def test_both_manual_modes_on_lose_the_one_not_asked_the_neck_first() -> None:
    reconciler = _known()
    both = View(True, True, "back_waist+neck", 1)
    back = Targets("back_waist", 1, frozenset(), False, PostureGoal.UPRIGHT)

    step = reconciler.next_step(back, both, 0.0)

    assert getattr(step, "key", None) == KEYS.neck
    assert getattr(step, "label", None) == "back_waist mode"
    none = Targets(None, None, frozenset(), False, PostureGoal.UPRIGHT)
    assert getattr(reconciler.next_step(none, both, 0.0), "key", None) == KEYS.neck


# -- beliefs the status cannot correct --------------------------------------------------------


async def test_heat_is_pressed_by_belief_whatever_its_bit_says(
    clock: VirtualClock, port: ScriptedPort, chair: Chair
) -> None:
    # Its heat bit never shows the heat (upstream no longer trusts [23]).
    chair.heat_bit = False
    adapter = NcniAdapter(MODEL)

    await clock.run(adapter.reconcile(HEAT, port), limit=30)
    await clock.run(adapter.reconcile(HEAT, port), limit=30)
    assert port.sent().count(KEYS.heat) == 1
    assert chair.heat

    # Now it says heat on though the heat is off: nothing is pressed to "turn it off".
    chair.heat_bit = True
    await clock.advance(0.3)
    port.pressed.clear()
    await clock.run(adapter.reconcile(GENTLE_BACK.model_copy(update={"heat": {}}), port), limit=60)
    assert port.sent().count(KEYS.heat) == 1
    assert not chair.heat
    assert adapter.believed == (frozenset(), False)


def test_airbags_start_as_power_s_profile_leaves_them_and_go_off_before_others_go_on() -> None:
    reconciler = _known()
    assert reconciler.believed == (POWER_ON_AIRBAGS, False)
    manual = View(True, True, None, 1)
    shoulders = Targets(None, None, frozenset({AirbagZone.SHOULDERS}), False, PostureGoal.UPRIGHT)

    presses = []
    for _ in range(3):
        step = reconciler.next_step(shoulders, manual, 0.0)
        if step is None:
            break
        assert isinstance(step, Blind)
        presses.append(step.label)
        step.done()

    assert presses == ["arms airbags off", "calves airbags off"]
    assert reconciler.believed == (frozenset({AirbagZone.SHOULDERS}), False)


async def test_a_chair_that_switched_itself_off_while_working_is_not_switched_on_again(
    clock: VirtualClock, port: ScriptedPort, chair: Chair
) -> None:
    adapter = NcniAdapter(MODEL)
    port.judge = adapter.watch.judge
    await _working(clock, port, adapter)
    chair.powered = False  # a protective power-off: the chair's status only shows it off
    await clock.advance(0.3)

    switched_off = port.status  # what it shows now (a later look may show it otherwise)
    assert switched_off.work_state is WorkState.FAULT
    with pytest.raises(ChairFault, match="switched itself off"):
        await clock.run(adapter.reconcile(KNEAD_BACK, port), limit=60)
    released = await clock.run(adapter.release(port), limit=30)
    assert released.safe
    assert port.sent() == []

    # The user's word: the chair reads as off again, and the next setpoint switches it on.
    await clock.run(adapter.acknowledge_fault(port), limit=5)
    assert port.status.work_state is WorkState.STANDBY
    await clock.run(adapter.reconcile(KNEAD_BACK, port), limit=60)
    assert port.sent()[0] == KEYS.power


async def test_a_chair_left_idle_may_go_to_sleep_without_a_fault(
    clock: VirtualClock, port: ScriptedPort, chair: Chair
) -> None:
    adapter = NcniAdapter(MODEL)
    port.judge = adapter.watch.judge
    await _working(clock, port, adapter)
    await clock.run(adapter.reconcile(HEAT, port), limit=60)
    chair.powered = False  # asleep: nothing worked for its idle time
    await clock.advance(0.3)
    port.pressed.clear()

    assert port.status.work_state is WorkState.STANDBY
    await clock.run(adapter.reconcile(HEAT, port), limit=60)
    assert port.sent()[:2] == [KEYS.power, KEYS.back_waist]


async def test_after_a_release_the_next_setpoint_switches_the_chair_on(
    clock: VirtualClock, port: ScriptedPort
) -> None:
    adapter = NcniAdapter(MODEL)
    port.judge = adapter.watch.judge
    await _working(clock, port, adapter)

    released = await clock.run(adapter.release(port), limit=30)
    assert released.safe
    assert port.status.work_state is WorkState.STANDBY  # off by our doing: no fault
    port.pressed.clear()

    await clock.run(adapter.reconcile(KNEAD_BACK, port), limit=60)
    assert port.sent()[0] == KEYS.power


async def test_the_release_presses_power_once_and_waits_for_the_chair_to_show_off(
    clock: VirtualClock, port: ScriptedPort, chair: Chair
) -> None:
    chair.on(manual={"back_waist"}, level=2)
    await clock.advance(0.3)
    adapter = NcniAdapter(MODEL)

    released = await clock.run(adapter.release(port), limit=60)

    assert released.safe
    assert released.settle_started == port.pressed[0][0]
    assert port.sent() == [KEYS.power]

    port.pressed.clear()
    again = await clock.run(adapter.release(port), limit=30)
    assert again.safe
    assert port.sent() == []


async def test_a_chair_that_fell_asleep_as_the_release_pressed_power_is_switched_off_again(
    clock: VirtualClock, port: ScriptedPort, chair: Chair
) -> None:
    adapter = NcniAdapter(MODEL)
    await _working(clock, port, adapter)
    await clock.run(adapter.reconcile(HEAT, port), limit=30)
    port.pressed.clear()
    # The chair's idle sleep switches it off just as the release starts: its frames still
    # show it on for a moment, so the release's power press switches it on again.
    shown_on = port.status
    chair.powered = False
    port.stale.append((clock.now() + 0.5, shown_on))

    released = await clock.run(adapter.release(port), limit=60)

    assert released.safe
    assert port.sent() == [KEYS.power, KEYS.power]
    assert not chair.powered


async def test_a_release_the_chair_ignores_is_reported_unsafe(
    clock: VirtualClock, port: ScriptedPort, chair: Chair
) -> None:
    chair.on(manual=set(), level=1)
    chair.deaf.add(KEYS.power)
    await clock.advance(0.3)

    released = await clock.run(NcniAdapter(MODEL).release(port), limit=30)

    # Pressed again once, after a status a settle window later still showed it on.
    assert not released.safe
    assert port.sent() == [KEYS.power, KEYS.power]
    (first, second) = port.when(KEYS.power)
    assert second - 0.6 >= first + WINDOW
    assert "power (0x01)" in released.notes[0]


async def test_zero_gravity_is_pressed_from_the_belief_and_never_on_a_guess(
    clock: VirtualClock, port: ScriptedPort, chair: Chair
) -> None:
    adapter = NcniAdapter(MODEL)
    zero_g = Setpoint(posture=Posture.ZERO_G_1)

    await clock.run(adapter.reconcile(zero_g, port), limit=30)
    await clock.run(adapter.reconcile(zero_g, port), limit=30)
    assert port.sent() == [KEYS.power, KEYS.back_waist, KEYS.back_waist, KEYS.zero_gravity]

    await clock.run(adapter.reconcile(HEAT, port), limit=30)
    assert port.sent()[-2:] == [KEYS.heat, KEYS.zero_gravity]  # heat on, then upright
    assert port.sent().count(KEYS.zero_gravity) == 2

    adapter.forget()
    port.pressed.clear()
    chair.powered = False  # released after the link came back: off
    await clock.advance(0.3)
    await clock.run(adapter.reconcile(zero_g, port), limit=30)
    # Switched on afresh by the adapter: upright is known again, one press takes it back.
    assert port.sent().count(KEYS.zero_gravity) == 1


async def test_the_timer_is_stepped_from_the_power_on_default_once_per_power_on(
    clock: VirtualClock, port: ScriptedPort
) -> None:
    adapter = NcniAdapter(MODEL)
    adapter.expect_session(21 * 60)  # 25 minutes: two steps from 15

    await clock.run(adapter.reconcile(HEAT, port), limit=30)
    await clock.run(adapter.reconcile(HEAT.model_copy(update={"heat": {}}), port), limit=30)
    assert port.sent() == [
        KEYS.power,
        KEYS.time,
        KEYS.time,
        KEYS.back_waist,
        KEYS.back_waist,
        KEYS.heat,
        KEYS.heat,
    ]


@pytest.mark.parametrize(
    # The timer runs from power-on, so it covers the body scan (10 s) and a minute's slack too.
    ("minutes", "step"),
    [(1, 15), (13.8, 15), (14, 20), (15, 20), (18.8, 20), (25, 30), (30, 30), (45, 30)],
)
def test_the_timer_step_is_the_shortest_that_covers_the_session(minutes: float, step: int) -> None:
    adapter = NcniAdapter(MODEL)
    assert adapter.timer_minutes is None

    adapter.expect_session(minutes * 60)

    assert adapter.timer_minutes == step


def test_the_adapter_refuses_a_window_past_the_done_timeout() -> None:
    with pytest.raises(ValueError, match="settle window"):
        NcniAdapter(MODEL, settle_window_s=6.0)
    with pytest.raises(ValueError, match="attempts"):
        NcniAdapter(MODEL, attempts=0)


def test_a_chair_found_on_is_not_worked_on_a_guess() -> None:
    reconciler = Reconciler(MODEL, WINDOW, 1, str, OffWatch())
    targets = Targets(None, None, frozenset(), True, PostureGoal.UPRIGHT)
    assert ON.running
    assert type(reconciler.next_step(targets, View(True, False, None, None), 0.0)).__name__ == (
        "Restart"
    )
