"""A chair fault latches: nothing but stop is sent until the user clears it."""

from __future__ import annotations

import asyncio

import pytest

from chairctl.vocabulary import ChairFault, Technique, WorkState
from chairctl.vocabulary.chair_events import ChairEvent, FaultLatched
from drivers.models import ChairModel
from drivers.models.rongtai import RongtaiModel
from simulator import Overload
from simulator.rongtai.chair import RongtaiChair
from simulator.rongtai.codes import ErrorCode
from simulator.rongtai.firmware import Phase
from tests.drivers.session.sessionhelpers import KNEAD_LOWER_BACK, Rig, RigMaker, assert_released

# Rongtai only: the H10's error codes and acknowledgement; test_any_family covers every family.
pytestmark = pytest.mark.families("rongtai-h10")


async def test_a_fault_during_apply_ends_it_and_latches(rig: Rig, model: ChairModel) -> None:
    assert isinstance(model, RongtaiModel)
    session, chair, clock, keys = rig

    # The fault strikes mid-apply, a second into the rollers' walk to the lower back.
    def strike() -> None:
        clock.call_later(1.0, lambda: chair.inject(Overload("walk")))

    keys.on(model.keys.walk.down_start, strike)

    with pytest.raises(ChairFault) as caught:
        await clock.run(session.apply(KNEAD_LOWER_BACK))

    assert caught.value.error_code == ErrorCode.WALK_OVERLOAD
    assert session.fault is not None
    assert session.fault.error_code == ErrorCode.WALK_OVERLOAD
    # The walk got its STOP; nothing else was sent after the fault showed.
    fault_at = chair.trace.work_state.since
    after = [e.key for e in keys.entries if e.at >= fault_at]
    assert after == [model.keys.walk.down_stop]


async def test_a_latched_fault_refuses_apply_and_sends_nothing(rig: Rig, model: ChairModel) -> None:
    session, chair, clock, keys = rig
    assert isinstance(chair, RongtaiChair)
    await clock.run(session.apply(KNEAD_LOWER_BACK))
    chair.inject(Overload("knead"))
    await clock.advance(1)
    assert session.fault is not None
    before = len(keys.entries)

    for _ in range(2):
        with pytest.raises(ChairFault, match="clear_fault"):
            await clock.run(session.apply(KNEAD_LOWER_BACK))

    assert len(keys.entries) == before
    assert chair.board.phase is Phase.FAULT


async def test_a_fault_is_latched_even_with_no_apply_under_way(make_rig: RigMaker) -> None:
    events: list[type[ChairEvent]] = []
    session, chair, clock, _keys = await make_rig(on_event=lambda e: events.append(type(e)))
    await clock.run(session.apply(KNEAD_LOWER_BACK))
    await clock.advance(5)

    chair.inject(Overload("knock"))
    await clock.advance(0.5)

    assert session.fault is not None
    assert FaultLatched in events


async def test_clear_fault_acknowledges_it_then_apply_runs_again(
    rig: Rig, model: ChairModel
) -> None:
    assert isinstance(model, RongtaiModel)
    session, chair, clock, keys = rig
    await clock.run(session.apply(KNEAD_LOWER_BACK))
    chair.inject(Overload("knead"))
    await clock.advance(1)
    await clock.run(session.stop())
    assert_released(chair, home=False)
    powers = keys.count(model.keys.power)

    await clock.run(session.clear_fault())

    assert session.fault is None
    assert keys.count(model.keys.power) == powers + 1  # the acknowledgement, once
    assert session.status is not None
    assert session.status.work_state is WorkState.STANDBY
    await clock.run(session.apply(KNEAD_LOWER_BACK))
    assert chair.state().roller_technique is Technique.KNEAD


async def test_stop_works_while_a_fault_is_latched(rig: Rig) -> None:
    session, chair, clock, _keys = rig
    applying = asyncio.ensure_future(session.apply(KNEAD_LOWER_BACK))
    await clock.advance(25)
    chair.inject(Overload("knead"))
    with pytest.raises(ChairFault):
        await clock.run(applying)

    await clock.run(session.stop())

    assert session.last_stop is not None
    assert session.last_stop.safe
    assert session.fault is not None  # stop does not clear it
