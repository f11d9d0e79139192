"""The simulated Korean chair under faults: an overload and an actuator overrunning its watchdog
(a protective power-off, stopped where it was), damaged and lost frames, a dropped link, and a
second controller."""

from __future__ import annotations

import pytest

from chairctl.clock import VirtualClock
from chairctl.vocabulary import LinkError, WorkState
from drivers.models.korean import KoreanModel
from simulator.faults import (
    CorruptFrames,
    DropFrames,
    LimitSwitchFailure,
    LinkDrop,
    Overload,
    ScheduledFault,
)
from simulator.korean.chair import KoreanChair
from tests.simulator.korean_chair.koreanhelpers import Remote, power_on


async def test_an_overload_powers_the_chair_off_where_it_stands(
    remote: Remote, korean_chair: KoreanChair, korean: KoreanModel
) -> None:
    keys = korean.keys
    await power_on(remote, korean)
    for key in (keys.manual, keys.air_mode, keys.heater, keys.foot_roller):
        await remote.tap(key)
    await remote.tap(keys.zero_gravity)
    await remote.wait(4.0)
    korean_chair.inject(Overload("knead"))
    where = korean_chair.state()
    assert 0 < where.backrest < 1
    await remote.wait(korean.timing.settle_cap_s)
    state = korean_chair.state()
    # Stopped where it was: no actuator driven, not even home; the carriage did not park.
    assert (state.backrest, state.leg_rest) == (where.backrest, where.leg_rest)
    assert state.roller_position == pytest.approx(where.roller_position)
    assert (state.roller_technique, state.depth) == (None, 0.0)
    assert all(p == 0.0 for p in state.airbags.values())
    assert (state.heat_on, state.foot_roller) == (False, 0)
    assert state.work_state is WorkState.FAULT
    assert korean_chair.board.fault is not None
    assert "knead" in korean_chair.board.fault
    assert remote.long.timer is None
    # It stays off: buttons do nothing and do not beep ...
    since = remote.clock.now()
    await remote.tap(keys.manual)
    await remote.tap(keys.back_raise, held=3.0)
    assert remote.acks(since) == []
    assert korean_chair.state().backrest == where.backrest
    # ... until power, which starts it afresh.
    await remote.tap(keys.power)
    assert korean_chair.work_state is WorkState.RESETTING
    assert remote.long.timer == korean.timing.default_session_min


async def test_an_actuator_running_into_its_watchdog_powers_the_chair_off(
    remote: Remote, korean_chair: KoreanChair, korean: KoreanModel
) -> None:
    await power_on(remote, korean)
    korean_chair.inject(LimitSwitchFailure())
    remote.send(korean.keys.back_recline.press)
    pressed = remote.clock.now()
    await remote.wait(korean.mechanics.actuator_timeout_s + 1.0)
    assert korean_chair.work_state is WorkState.FAULT
    assert korean_chair.board.fault is not None
    assert "backrest" in korean_chair.board.fault
    fault_at = korean_chair.trace.work_state.since
    assert fault_at == pytest.approx(pressed + korean.mechanics.actuator_timeout_s)


async def test_dropped_frames_are_not_sent_and_damaged_ones_are_counted(
    remote: Remote, korean_chair: KoreanChair, korean: KoreanModel
) -> None:
    await power_on(remote, korean)
    since = remote.clock.now()
    korean_chair.inject(DropFrames(4))
    await remote.wait(2.0)
    assert korean_chair.frames_dropped == 4
    assert remote.longs(since) == []
    clean = {body for _, body in remote.frames[-2:]}
    damaged_from = remote.clock.now()
    korean_chair.inject(CorruptFrames(3))
    await remote.wait(1.5)
    assert korean_chair.frames_corrupted == 3
    # With no checksum, a damaged frame may still look like a frame: but the three damaged
    # statuses did not all arrive as the chair meant them.
    window = [body for t, body in remote.frames if t >= damaged_from]
    assert remote.garbled or len(window) < 6 or set(window) != clean
    await remote.wait(1.0)
    assert {body for _, body in remote.frames[-2:]} == clean


async def test_a_link_drop_closes_the_link_and_the_chair_takes_the_next_controller(
    remote: Remote, korean_chair: KoreanChair, korean: KoreanModel, clock: VirtualClock
) -> None:
    korean_chair.schedule(ScheduledFault(LinkDrop(), after=3.0))
    with pytest.raises(LinkError):
        korean_chair.connect()
    await remote.wait(4.0)
    assert remote.closed_because is not None
    with pytest.raises(LinkError):
        remote.send(korean.keys.power.press)
    second = Remote(korean_chair, clock)
    await power_on(second, korean)
    assert korean_chair.work_state is WorkState.WAITING
