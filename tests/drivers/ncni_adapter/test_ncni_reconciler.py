"""The NCNI reconciler's closed-loop rules, each against a scripted chair that breaks it:
the settle window, the optimistic mute, the boot-settle gate, the beliefs the status cannot
correct, and the safe release."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import pytest
from ncniscript import OFF, ON, ScriptedPort

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
from drivers.models import get_model
from drivers.models.ncni import NcniModel
from drivers.protocols.ncni import (
    BOOT_SETTLE_FAIL_OPEN_S,
    BOOT_SETTLE_MIN_S,
    OPTIMISTIC_MUTE_S,
)

MODEL = get_model("ncni-chair")
assert isinstance(MODEL, NcniModel)
KEYS = MODEL.keys
WINDOW = 2.5
HEAT = Setpoint(heat={Heater.LUMBAR: HeatLevel.MEDIUM})
KNEAD_BACK = Setpoint(technique=Technique.KNEAD, regions=(Region.MID_BACK,), intensity=5)

Effect = Callable[[ChairStatus], ChairStatus]


def _power(s: ChairStatus) -> ChairStatus:
    return ON if s.work_state is WorkState.STANDBY else OFF


def _heat(s: ChairStatus) -> ChairStatus:
    return s.model_copy(update={"heat": not s.heat})


def _pressure(step: int) -> Effect:
    levels = (1, 3, 5)

    def effect(s: ChairStatus) -> ChairStatus:
        index = min(2, max(0, levels.index(s.intensity) + step))
        return s.model_copy(update={"intensity": levels[index]})

    return effect


def _mode(name: str) -> Effect:
    def effect(s: ChairStatus) -> ChairStatus:
        program = None if s.program == f"manual {name}" else f"manual {name}"
        state = WorkState.RUNNING if program else WorkState.WAITING
        return s.model_copy(update={"program": program, "work_state": state})

    return effect


EFFECTS: dict[int, Effect] = {
    KEYS.power: _power,
    KEYS.heat: _heat,
    KEYS.pressure_up: _pressure(1),
    KEYS.pressure_down: _pressure(-1),
    KEYS.back_waist: _mode("back_waist"),
    KEYS.neck: _mode("neck"),
}


@pytest.fixture
def clock() -> VirtualClock:
    return VirtualClock()


@pytest.fixture
async def port(clock: VirtualClock) -> AsyncIterator[ScriptedPort]:
    """A scripted chair, off, with the first status in."""
    scripted = ScriptedPort(clock, effects=dict(EFFECTS))
    scripted.start()
    await clock.advance(0.05)
    yield scripted
    scripted.stop()


async def _on(port: ScriptedPort, **fields: object) -> None:
    """The chair is on already (not switched on by the adapter), and says so."""
    port.shown = ON.model_copy(update=fields)
    await port.clock.advance(2 * port.period_s)


async def test_a_press_the_status_refutes_is_reported_naming_the_key_and_the_status(
    clock: VirtualClock, port: ScriptedPort
) -> None:
    del port.effects[KEYS.heat]
    await _on(port)
    adapter = NcniAdapter(MODEL)

    with pytest.raises(NotConfirmed) as refused:
        await clock.run(adapter.reconcile(HEAT, port), limit=30)

    assert port.sent() == [KEYS.heat]
    assert "heat (0x03)" in str(refused.value)
    assert "the status showed the chair on, no mode, level 1, airbags none, heat off" in str(
        refused.value
    )
    # Judged by the first status a settle window after the press, not sooner.
    assert clock.now() >= port.pressed[0][0] + WINDOW


async def test_with_attempts_left_a_press_is_repeated_only_after_a_status_refuted_it(
    clock: VirtualClock, port: ScriptedPort
) -> None:
    ignored = [True]

    def heat_once_ignored(s: ChairStatus) -> ChairStatus:
        if ignored.pop() if ignored else False:
            return s
        return _heat(s)

    port.effects[KEYS.heat] = heat_once_ignored
    await _on(port)

    await clock.run(NcniAdapter(MODEL, attempts=2).reconcile(HEAT, port), limit=30)

    (first, _), (second, _) = port.pressed
    assert port.sent() == [KEYS.heat, KEYS.heat]
    assert second - first >= WINDOW
    assert port.status.heat


async def test_a_silent_spell_after_a_press_is_no_evidence_and_causes_no_second_press(
    clock: VirtualClock, port: ScriptedPort
) -> None:
    await _on(port)

    def heat_then_silence(s: ChairStatus) -> ChairStatus:
        # No status until past the settle window: the first one to come judges the press.
        port.silent_until = clock.now() + 2.9
        return _heat(s)

    port.effects[KEYS.heat] = heat_then_silence

    await clock.run(NcniAdapter(MODEL).reconcile(HEAT, port), limit=30)

    assert port.sent() == [KEYS.heat]
    assert port.status.heat


async def test_a_stale_frame_within_the_mute_does_not_plan_a_second_press(
    clock: VirtualClock, port: ScriptedPort
) -> None:
    await _on(port)
    adapter = NcniAdapter(MODEL)
    await clock.run(adapter.reconcile(HEAT, port), limit=30)
    ((sent, _),) = port.pressed
    # The chair sends one frame it built before it took the key.
    port.stale.append((clock.now() + 0.25, ON))
    await clock.advance(0.15)
    assert not port.status.heat
    assert port.status_at < sent + OPTIMISTIC_MUTE_S
    started = clock.now()

    await clock.run(adapter.reconcile(HEAT, port), limit=30)

    assert port.sent() == [KEYS.heat]
    assert clock.now() == started


async def test_a_change_confirmed_and_then_undone_is_pressed_again_only_after_the_window(
    clock: VirtualClock, port: ScriptedPort
) -> None:
    await _on(port)
    adapter = NcniAdapter(MODEL)
    await clock.run(adapter.reconcile(HEAT, port), limit=30)
    ((sent, _),) = port.pressed
    await clock.advance(0.9)
    port.shown = _heat(port.shown)  # heat off again, by the chair's own doing
    await clock.advance(0.2)

    await clock.run(adapter.reconcile(HEAT, port), limit=30)

    assert port.sent() == [KEYS.heat, KEYS.heat]
    assert port.pressed[1][0] - 0.6 >= sent + WINDOW
    assert port.status.heat


async def test_after_power_on_nothing_is_planned_before_the_boot_settle_gate(
    clock: VirtualClock, port: ScriptedPort
) -> None:
    await clock.run(NcniAdapter(MODEL).reconcile(HEAT, port), limit=30)

    (powered, power), (heated, heat) = port.pressed
    assert (power, heat) == (KEYS.power, KEYS.heat)
    # The heat press starts (its first tick) only once the gate opened.
    assert heated - 0.6 >= powered + BOOT_SETTLE_MIN_S


async def test_the_boot_settle_gate_opens_anyway_when_no_status_comes(
    clock: VirtualClock, port: ScriptedPort
) -> None:
    def power_then_silence(s: ChairStatus) -> ChairStatus:
        # Powered frames confirm the power-on, then nothing comes until past the fail-open.
        until = clock.now() + 1.5 + BOOT_SETTLE_FAIL_OPEN_S
        clock.call_later(0.45, lambda: setattr(port, "silent_until", until))
        return _power(s)

    port.effects[KEYS.power] = power_then_silence

    await clock.run(NcniAdapter(MODEL).reconcile(HEAT, port), limit=30)

    (powered, _), (heated, _) = port.pressed
    assert heated - 0.6 == pytest.approx(powered + BOOT_SETTLE_FAIL_OPEN_S, abs=0.15)
    assert port.status.heat


async def test_the_intensity_goes_down_before_the_switch_to_the_neck_and_up_after_it(
    clock: VirtualClock, port: ScriptedPort
) -> None:
    adapter = NcniAdapter(MODEL)
    await _on(port, intensity=5, program="manual back_waist", work_state=WorkState.RUNNING)

    await clock.run(
        adapter.reconcile(Setpoint(technique=Technique.KNEAD, regions=(Region.NECK,)), port),
        limit=60,
    )
    assert port.sent() == [KEYS.pressure_down, KEYS.pressure_down, KEYS.neck]

    port.pressed.clear()
    await clock.run(adapter.reconcile(KNEAD_BACK, port), limit=60)
    assert port.sent() == [KEYS.back_waist, KEYS.pressure_up, KEYS.pressure_up]


async def test_rollers_off_presses_the_selected_mode_s_key(
    clock: VirtualClock, port: ScriptedPort
) -> None:
    await _on(port, program="manual neck", work_state=WorkState.RUNNING)

    await clock.run(NcniAdapter(MODEL).reconcile(HEAT, port), limit=30)

    assert port.sent() == [KEYS.neck, KEYS.heat]
    assert port.status.program is None


async def test_a_chair_that_switched_itself_off_while_working_is_not_switched_on_again(
    clock: VirtualClock, port: ScriptedPort
) -> None:
    adapter = NcniAdapter(MODEL)
    port.judge = adapter.watch.judge
    await clock.run(adapter.reconcile(KNEAD_BACK, port), limit=60)
    port.shown = OFF  # a protective power-off: the chair's status only shows it off
    await clock.advance(0.3)
    port.pressed.clear()

    assert port.status.work_state is WorkState.FAULT
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
    clock: VirtualClock, port: ScriptedPort
) -> None:
    adapter = NcniAdapter(MODEL)
    port.judge = adapter.watch.judge
    await clock.run(adapter.reconcile(KNEAD_BACK, port), limit=60)
    await clock.run(adapter.reconcile(HEAT, port), limit=60)
    port.shown = OFF  # asleep: nothing worked for its idle time
    await clock.advance(0.3)
    port.pressed.clear()

    assert port.status.work_state is WorkState.STANDBY
    await clock.run(adapter.reconcile(HEAT, port), limit=60)
    assert port.sent() == [KEYS.power, KEYS.heat]


async def test_after_a_release_the_next_setpoint_switches_the_chair_on(
    clock: VirtualClock, port: ScriptedPort
) -> None:
    adapter = NcniAdapter(MODEL)
    port.judge = adapter.watch.judge
    await clock.run(adapter.reconcile(KNEAD_BACK, port), limit=60)

    released = await clock.run(adapter.release(port), limit=30)
    assert released.safe
    assert port.status.work_state is WorkState.STANDBY  # off by our doing: no fault
    port.pressed.clear()

    await clock.run(adapter.reconcile(KNEAD_BACK, port), limit=60)
    assert port.sent()[0] == KEYS.power


async def test_the_release_presses_power_once_and_waits_for_the_chair_to_show_off(
    clock: VirtualClock, port: ScriptedPort
) -> None:
    await _on(port, heat=True)
    adapter = NcniAdapter(MODEL)

    released = await clock.run(adapter.release(port), limit=30)

    assert released.safe
    assert released.settle_started == port.pressed[0][0]
    assert port.sent() == [KEYS.power]

    port.pressed.clear()
    again = await clock.run(adapter.release(port), limit=30)
    assert again.safe
    assert port.sent() == []


async def test_a_release_the_chair_ignores_is_reported_unsafe(
    clock: VirtualClock, port: ScriptedPort
) -> None:
    await _on(port)
    del port.effects[KEYS.power]

    released = await clock.run(NcniAdapter(MODEL).release(port), limit=30)

    assert not released.safe
    assert port.sent() == [KEYS.power]
    assert "power (0x01)" in released.notes[0]


# -- beliefs the status cannot correct --------------------------------------------------------


async def test_zero_gravity_is_pressed_from_the_belief_and_never_on_a_guess(
    clock: VirtualClock, port: ScriptedPort
) -> None:
    adapter = NcniAdapter(MODEL)
    zero_g = Setpoint(posture=Posture.ZERO_G_1)

    await clock.run(adapter.reconcile(zero_g, port), limit=30)
    await clock.run(adapter.reconcile(zero_g, port), limit=30)
    assert port.sent() == [KEYS.power, KEYS.zero_gravity]

    await clock.run(adapter.reconcile(HEAT, port), limit=30)
    assert port.sent()[-2:] == [KEYS.heat, KEYS.zero_gravity]  # heat on, then upright
    assert port.sent().count(KEYS.zero_gravity) == 2

    adapter.forget()
    port.pressed.clear()
    await clock.run(adapter.reconcile(zero_g, port), limit=30)
    await clock.run(adapter.reconcile(HEAT, port), limit=30)
    assert KEYS.zero_gravity not in port.sent()


async def test_the_timer_is_stepped_from_the_power_on_default_once_per_power_on(
    clock: VirtualClock, port: ScriptedPort
) -> None:
    adapter = NcniAdapter(MODEL)
    adapter.expect_session(21 * 60)  # 25 minutes: two steps from 15

    await clock.run(adapter.reconcile(HEAT, port), limit=30)
    await clock.run(adapter.reconcile(HEAT.model_copy(update={"heat": {}}), port), limit=30)
    assert port.sent() == [KEYS.power, KEYS.time, KEYS.time, KEYS.heat, KEYS.heat]


async def test_the_timer_is_left_alone_on_a_chair_found_on(
    clock: VirtualClock, port: ScriptedPort
) -> None:
    await _on(port)
    adapter = NcniAdapter(MODEL)
    adapter.expect_session(29 * 60)

    await clock.run(adapter.reconcile(HEAT, port), limit=30)
    assert port.sent() == [KEYS.heat]


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


def test_airbag_zones_go_off_before_others_go_on() -> None:
    reconciler = Reconciler(MODEL, WINDOW, 1, str, OffWatch())
    view = View(True, True, None, 1, frozenset({AirbagZone.CALVES}), False)
    targets = Targets(None, None, frozenset({AirbagZone.SHOULDERS}), False, PostureGoal.UPRIGHT)

    step = reconciler.next_step(targets, view, 0.0)

    assert step is not None
    assert getattr(step, "key", None) == KEYS.legs
    assert getattr(step, "label", None) == "calves airbags off"


def test_the_adapter_refuses_a_window_past_the_done_timeout() -> None:
    with pytest.raises(ValueError, match="settle window"):
        NcniAdapter(MODEL, settle_window_s=6.0)
    with pytest.raises(ValueError, match="attempts"):
        NcniAdapter(MODEL, attempts=0)
