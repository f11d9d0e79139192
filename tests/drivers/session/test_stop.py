"""Stop is a safe release, from whatever the chair is doing, within the settle cap."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Awaitable, Callable

import pytest

from chairctl.vocabulary import (
    ActuatorMotion,
    AirbagZone,
    ChairFault,
    Heater,
    HeatLevel,
    Interrupted,
    Posture,
    Technique,
    WorkState,
)
from drivers.adapters.rongtai import is_safe
from drivers.models import ChairModel
from drivers.models.rongtai import RongtaiModel
from drivers.session import UnsafeStop
from simulator import Overload
from simulator.rongtai.chair import RongtaiChair
from simulator.rongtai.firmware import Phase
from tests.drivers.session.sessionhelpers import (
    KNEAD_LOWER_BACK,
    Rig,
    RigMaker,
    assert_released,
    hold_pairs,
)

# Rongtai only: the H10's states and one-job keys; test_any_family stops every family.
pytestmark = pytest.mark.families("rongtai-h10")

#: Everything on at once: rollers, airbags, heat, foot rollers, zero gravity.
EVERYTHING = KNEAD_LOWER_BACK.model_copy(
    update={
        "airbags": {AirbagZone.SEAT: 3, AirbagZone.SHOULDERS: 3},
        "heat": {Heater.LUMBAR: HeatLevel.MEDIUM},
        "foot_rollers": 2,
        "posture": Posture.ZERO_G_1,
    }
)

Setup = Callable[[Rig, RongtaiModel], Awaitable[None]]


async def _standby(rig: Rig, model: RongtaiModel) -> None:
    pass


async def _scanning(rig: Rig, model: RongtaiModel) -> None:
    assert isinstance(rig.chair, RongtaiChair)
    rig.chair.press(model.keys.power)  # the remote: the chair starts its body scan
    await rig.clock.advance(5)


async def _waiting(rig: Rig, model: RongtaiModel) -> None:
    assert isinstance(rig.chair, RongtaiChair)
    rig.chair.press(model.keys.power)
    await rig.clock.advance(model.mechanics.body_scan_s + 1)


async def _running(rig: Rig, model: RongtaiModel) -> None:
    await rig.clock.run(rig.session.apply(EVERYTHING))
    await rig.clock.advance(10)


async def _built_in_program(rig: Rig, model: RongtaiModel) -> None:
    assert isinstance(rig.chair, RongtaiChair)
    # The remote starts a built-in program: as on real chairs (RT6923 Main_Start_Auto, real
    # frames with b12 0x40 and b10 0x20), the full-body airbags, the foot roller and the slide.
    rig.chair.press(model.keys.power)
    await rig.clock.advance(model.mechanics.body_scan_s + 1)
    rig.chair.press(model.keys.auto_programs[0].key)
    await rig.clock.advance(1)
    status = rig.session.status
    assert status is not None
    assert status.airbag_program == frozenset(AirbagZone)
    assert status.foot_roller
    assert status.slide is ActuatorMotion.DOWN


async def _returning_home(rig: Rig, model: RongtaiModel) -> None:
    assert isinstance(rig.chair, RongtaiChair)
    await rig.clock.run(rig.session.apply(EVERYTHING))
    await rig.clock.advance(1)
    rig.chair.press(model.keys.power)  # the remote: the chair settles by itself
    await rig.clock.advance(1)


async def _fault(rig: Rig, model: RongtaiModel) -> None:
    await rig.clock.run(rig.session.apply(EVERYTHING))
    rig.chair.inject(Overload("knead"))
    await rig.clock.advance(1)
    assert rig.session.fault is not None


STATES: dict[str, tuple[Setup, Phase]] = {
    "standby": (_standby, Phase.STANDBY),
    "resetting (body scan)": (_scanning, Phase.SCANNING),
    "waiting": (_waiting, Phase.WAITING),
    "running everything": (_running, Phase.RUNNING),
    "running a built-in program": (_built_in_program, Phase.RUNNING),
    "resetting (returning home)": (_returning_home, Phase.SETTLING),
    "fault": (_fault, Phase.FAULT),
}


@pytest.mark.parametrize("name", list(STATES))
async def test_stop_from_any_state_ends_safe_within_the_cap(
    rig: Rig, model: ChairModel, name: str
) -> None:
    assert isinstance(model, RongtaiModel)
    session, chair, clock, keys = rig
    assert isinstance(chair, RongtaiChair)
    setup, phase = STATES[name]
    await setup(rig, model)
    assert chair.board.phase is phase
    started = clock.now()

    await clock.run(session.stop())

    report = session.last_stop
    assert report is not None
    assert report.safe
    assert session.status is not None
    assert is_safe(session.status)
    faulted = phase is Phase.FAULT
    # After a fault the firmware leaves the rollers where they stopped: nothing is driven.
    assert_released(chair, home=not faulted)
    cap = model.timing.settle_cap_s
    if report.settle_started_at is not None:
        assert clock.now() - report.settle_started_at <= cap + 1
    scan = model.mechanics.body_scan_s if phase is Phase.SCANNING else 0.0
    assert clock.now() - started <= scan + cap
    sent = keys.since(started)
    # No actuator is ever driven during a stop, and nothing is sent while the chair scans.
    assert not [e for e in sent if e.key in hold_pairs(model)]
    assert not [e for e in sent if e.phase is Phase.SCANNING]
    if faulted:
        # Stop does not acknowledge the chair's fault on the user's behalf.
        assert not [e for e in sent if e.key == model.keys.power]
        assert chair.board.phase is Phase.FAULT


async def test_stop_sends_the_one_job_keys_then_power(rig: Rig, model: ChairModel) -> None:
    assert isinstance(model, RongtaiModel)
    session, _chair, clock, keys = rig
    await _running(rig, model)
    started = clock.now()

    await clock.run(session.stop())

    k = model.keys
    assert [e.key for e in keys.since(started)] == [
        k.airbag_off,
        k.heat_toggle,
        k.foot_roller_off,
        k.power,
    ]
    # Each went out as soon as the key gap allowed: POWER within three gaps of the stop.
    assert keys.since(started)[-1].at - started <= 3 * (model.timing.key_gap_ms / 1000 + 0.02)


async def test_stop_cuts_a_walk_short_with_its_stop(rig: Rig, model: ChairModel) -> None:
    assert isinstance(model, RongtaiModel)
    session, chair, clock, keys = rig
    assert isinstance(chair, RongtaiChair)
    walk = model.keys.walk
    walking = asyncio.Event()
    keys.on(walk.down_start, walking.set)
    applying = asyncio.ensure_future(session.apply(KNEAD_LOWER_BACK))
    await clock.run(walking.wait())
    await clock.advance(1.0)
    assert chair.board.session.walk is ActuatorMotion.DOWN

    await clock.run(session.stop())

    with pytest.raises(Interrupted):
        await clock.run(applying)
    stop_at = keys.times(walk.down_stop)
    assert len(stop_at) == 1
    # The STOP left before any release key: it is the first thing a stop sends.
    later = [e.key for e in keys.entries if e.at > keys.times(walk.down_start)[0]]
    assert later[0] == walk.down_stop
    assert_released(chair)


async def test_a_stop_that_does_not_reach_safety_raises_and_latches(
    make_rig: RigMaker, model: ChairModel
) -> None:
    # A chair whose POWER is another key than the model file says: the session's POWER
    # means nothing to it, so it never settles.
    assert isinstance(model, RongtaiModel)
    other_power = 0x02
    chair_model = model.model_copy(
        update={"keys": model.keys.model_copy(update={"power": other_power})}
    )
    rig = await make_rig(chair_model=chair_model)
    session, chair, clock, keys = rig
    assert isinstance(chair, RongtaiChair)
    chair.press(other_power)
    await clock.advance(model.mechanics.body_scan_s + 1)
    chair.press(model.keys.techniques[Technique.KNEAD].key)
    await clock.advance(1)

    with pytest.raises(UnsafeStop) as caught:
        await clock.run(session.stop())

    assert not caught.value.report.safe
    assert "did not reach its safe state" in str(caught.value)
    # POWER went out three times, each after a status a settle window later refuted it.
    times = keys.times(model.keys.power)
    assert len(times) == 3
    assert all(b - a >= 1.0 for a, b in itertools.pairwise(times))
    assert isinstance(session.fault, ChairFault)
    with pytest.raises(ChairFault):
        await clock.run(session.apply(KNEAD_LOWER_BACK))
    assert chair.board.phase is Phase.RUNNING
    assert session.status is not None
    assert session.status.work_state is WorkState.RUNNING
