"""The Korean reconciler's decisions, from views built by hand: the cycle rule (never pressed
through something stronger, an air mode not asked, or a wrap of the technique cycle while it
presses on someone), the timer set forward only, the scan as the one time the air modes may be
passed, and a chair found on or just gone dark."""

from __future__ import annotations

from dataclasses import replace

import pytest

from chairctl.vocabulary import AirbagZone, Region, Setpoint, Technique, Width
from drivers.adapters.korean import OffWatch, Press, Reconciler, Restart, TargetMapper, Targets
from drivers.adapters.reconcile import Await
from tests.drivers.korean_adapter.korig import KEYS, MODEL, OFF, ON, working

MAPPER = TargetMapper(MODEL)
#: A long time after power-on: the body scan long over.
LATER = 1000.0


def _reconciler(*, powered_at: float | None = 0.0) -> Reconciler:
    reconciler = Reconciler(MODEL, lambda code: f"{code:04X}", OffWatch())
    if powered_at is not None:
        reconciler.switched_on(powered_at)
    return reconciler


def _targets(**setpoint: object) -> Targets:
    return MAPPER.targets(Setpoint.model_validate(setpoint))


KNEAD = {"technique": Technique.KNEAD, "regions": (Region.MID_BACK,)}
#: Zones the first air mode works (one press from off): the shoulders and the calves.
FIRST_MODE = {AirbagZone.SHOULDERS: 1, AirbagZone.CALVES: 1}


def _press(step: object) -> Press:
    assert isinstance(step, Press), step
    return step


def test_an_air_strength_above_the_target_while_the_air_works_is_a_restart_not_a_press() -> None:
    reconciler = _reconciler()
    reconciler._air_mode = 3
    reconciler._air_since = LATER - 300
    seen = replace(working(0), air=True, strength=3)
    wanted = _targets(**KNEAD, airbags={AirbagZone.CALVES: 1})

    step = reconciler.next_step(wanted, seen, LATER)

    # Down from 3 the cycle goes through 5 and wraps: never pressed while the air works.
    assert isinstance(step, Restart)
    assert "through 5" in step.why
    assert reconciler.needs_restart(wanted, seen, LATER)


def test_an_air_strength_is_set_freely_while_the_air_is_off() -> None:
    reconciler = _reconciler()
    seen = replace(ON, strength=5)

    step = _press(reconciler.next_step(_targets(airbags=FIRST_MODE), seen, LATER))

    # From 5 the next step is 1: a wrap, pressed where nothing inflates, and expected.
    assert step.key == KEYS.air_strength
    assert step.wraps


def test_an_air_strength_rises_directly_while_the_air_works() -> None:
    reconciler = _reconciler()
    reconciler._air_mode = 3
    reconciler._air_since = LATER - 300
    seen = replace(working(0), air=True, strength=1)

    step = _press(
        reconciler.next_step(_targets(**KNEAD, airbags={AirbagZone.CALVES: 5}), seen, LATER)
    )

    assert step.key == KEYS.air_strength
    assert not step.wraps
    assert step.taken(replace(seen, strength=3))


def test_a_new_air_contact_starts_at_the_gentlest_strength_whatever_is_asked() -> None:
    # A restart the engine did not hear of (no rollers in contact): the adapter starts the
    # airbags gently by itself.
    reconciler = _reconciler()
    seen = replace(ON, strength=1)
    strong = {AirbagZone.SHOULDERS: 5, AirbagZone.CALVES: 5}

    step = reconciler.next_step(_targets(airbags=strong), seen, LATER)

    assert _press(step).key == KEYS.air_mode  # on, at strength 1: nothing to raise yet


def test_the_air_modes_are_passed_only_within_the_body_scan() -> None:
    wanted = _targets(airbags={AirbagZone.CALVES: 1})  # the third mode: two others first

    in_scan = _reconciler(powered_at=LATER - 1)
    assert _press(in_scan.next_step(wanted, ON, LATER)).key == KEYS.air_mode

    after_scan = _reconciler(powered_at=LATER - 60)
    step = after_scan.next_step(wanted, ON, LATER)
    assert isinstance(step, Restart)
    assert "within the body scan" in step.why


def test_the_first_air_mode_is_one_press_from_off_at_any_time() -> None:
    reconciler = _reconciler(powered_at=LATER - 60)
    step = _press(reconciler.next_step(_targets(airbags=FIRST_MODE), ON, LATER))

    assert step.key == KEYS.air_mode
    assert step.taken(replace(ON, air=True))


def test_a_mode_past_the_first_is_judged_by_the_beep_alone() -> None:
    reconciler = _reconciler(powered_at=LATER - 1)
    reconciler._air_mode = 1
    seen = replace(ON, air=True)

    step = _press(reconciler.next_step(_targets(airbags={AirbagZone.CALVES: 1}), seen, LATER))

    assert step.key == KEYS.air_mode
    assert step.by_beep


def test_the_air_off_while_it_works_is_a_restart() -> None:
    reconciler = _reconciler(powered_at=LATER - 60)
    reconciler._air_mode = 1
    seen = replace(working(0), air=True)

    assert isinstance(reconciler.next_step(_targets(**KNEAD), seen, LATER), Restart)


def test_an_earlier_technique_is_a_restart_never_a_wrap_of_the_cycle() -> None:
    reconciler = _reconciler(powered_at=LATER - 60)

    step = reconciler.next_step(_targets(**KNEAD), working(3), LATER)

    assert isinstance(step, Restart)
    assert "wrap" in step.why


def test_a_later_technique_is_one_press_forward_judged_by_its_lamp() -> None:
    reconciler = _reconciler(powered_at=LATER - 60)
    tap = _targets(technique=Technique.TAP, regions=(Region.MID_BACK,))

    step = _press(reconciler.next_step(tap, working(1), LATER))

    assert step.key == KEYS.manual
    assert step.taken(replace(working(1), techniques_active=frozenset({1, 2})))
    assert step.elsewhere(working(4))


def test_two_lamps_blinking_at_a_change_are_waited_out_not_pressed_on() -> None:
    reconciler = _reconciler(powered_at=LATER - 60)
    changing = replace(working(1), technique=None, techniques_active=frozenset({1, 2}))
    tap = _targets(technique=Technique.TAP, regions=(Region.MID_BACK,))

    assert isinstance(reconciler.next_step(tap, changing, LATER), Await)


def test_a_width_cycle_press_expects_its_wrap_only_at_the_end_of_the_cycle() -> None:
    reconciler = _reconciler(powered_at=LATER - 60)

    to_wide = _press(
        reconciler.next_step(
            _targets(**KNEAD, width=Width.WIDE), replace(ON, width=Width.NARROW), LATER
        )
    )
    to_narrow = _press(reconciler.next_step(_targets(**KNEAD, width=Width.NARROW), ON, LATER))

    assert (to_wide.key, to_wide.wraps, to_wide.silent) == (KEYS.width, True, True)
    assert (to_narrow.key, to_narrow.wraps) == (KEYS.width, False)


@pytest.mark.parametrize(("shown", "wanted", "press"), [(15, 25, True), (15, 10, False)])
def test_the_timer_is_set_forward_only(shown: int, wanted: int, press: bool) -> None:
    reconciler = _reconciler()
    reconciler.timer_minutes = wanted

    step = reconciler.next_step(_targets(**KNEAD), replace(ON, timer=shown), LATER)

    if press:
        timer = _press(step)
        assert timer.key == KEYS.timer
        assert timer.taken(replace(ON, timer=20))
    else:
        # 10 lies past the wrap: a timer showing more ends nothing early.
        assert not isinstance(step, Press) or step.key != KEYS.timer


def test_a_chair_found_on_is_started_afresh() -> None:
    reconciler = _reconciler(powered_at=None)

    step = reconciler.next_step(_targets(**KNEAD), ON, LATER)

    assert isinstance(step, Restart)
    assert "found on" in step.why


def test_a_display_just_gone_dark_is_waited_out_never_pressed() -> None:
    reconciler = _reconciler(powered_at=None)
    going_dark = replace(ON, dark=True)

    assert isinstance(reconciler.next_step(_targets(**KNEAD), going_dark, LATER), Await)


def test_a_chair_off_is_switched_on_only_when_something_is_asked() -> None:
    reconciler = _reconciler(powered_at=None)

    assert reconciler.next_step(_targets(), OFF, LATER) is None
    assert _press(reconciler.next_step(_targets(**KNEAD), OFF, LATER)).key == KEYS.power
