"""A dropped link: reconnect with backoff, pay the STOPs owed, make the chair safe, and never
resume by itself. A chair that stops talking counts as a dropped link."""

from __future__ import annotations

import asyncio

import pytest

from chairctl.vocabulary import Interrupted, LinkError, Technique
from chairctl.vocabulary.chair_events import ChairEvent, LinkLost
from drivers.models import ChairModel
from drivers.models.rongtai import RongtaiModel
from drivers.session import LinkState, SessionConfig
from simulator import DropFrames, LinkDrop
from simulator.reach import LinkKindName
from tests.drivers.session.sessionhelpers import (
    KNEAD_LOWER_BACK,
    LINK_KINDS,
    Rig,
    RigMaker,
    assert_released,
    drop_link,
    hold_pairs,
)


async def _drop_mid_walk(rig: Rig, model: ChairModel) -> tuple[asyncio.Future[None], float]:
    """Start an apply and drop the link while the rollers walk; (the apply, drop time)."""
    assert isinstance(model, RongtaiModel)
    session, chair, clock, keys = rig
    walking = asyncio.Event()
    keys.on(model.keys.walk.down_start, walking.set)
    applying = asyncio.ensure_future(session.apply(KNEAD_LOWER_BACK))
    await clock.run(walking.wait())
    await clock.advance(1.0)
    chair.inject(LinkDrop())
    return applying, clock.now()


@pytest.mark.families("rongtai-h10")  # a hold-to-move walk is Rongtai's
async def test_a_drop_mid_walk_reconnects_stops_the_walk_and_makes_safe(
    rig: Rig, model: ChairModel
) -> None:
    assert isinstance(model, RongtaiModel)
    session, chair, clock, keys = rig
    applying, dropped_at = await _drop_mid_walk(rig, model)

    with pytest.raises(LinkError, match="dropped"):
        await clock.run(applying)
    interruption = await clock.run(session.wait_recovery())

    assert interruption is not None
    assert interruption.reconnected
    assert interruption.safe
    assert session.link_state is LinkState.CONNECTED
    # The carriage kept walking while the link was down (the chair has no host watchdog);
    # the first key on the new link is the STOP it was owed.
    after = [e.key for e in keys.since(dropped_at)]
    assert after[0] == model.keys.walk.down_stop
    assert not [k for k in after if k in hold_pairs(model)]
    assert_released(chair)


@pytest.mark.families("rongtai-h10")  # a hold-to-move walk is Rongtai's
async def test_after_a_drop_nothing_resumes_until_acknowledged(rig: Rig, model: ChairModel) -> None:
    session, chair, clock, keys = rig
    applying, _ = await _drop_mid_walk(rig, model)
    with pytest.raises(LinkError):
        await clock.run(applying)
    await clock.run(session.wait_recovery())
    safe_at = clock.now()

    await clock.advance(120)

    # Two minutes on, the chair has not moved and nothing was sent.
    assert keys.since(safe_at) == []
    assert all(a is None for _, _, a in chair.trace.activity.spans(safe_at, clock.now()))
    with pytest.raises(Interrupted, match="acknowledge_interruption"):
        await clock.run(session.apply(KNEAD_LOWER_BACK))
    assert keys.since(safe_at) == []

    session.acknowledge_interruption()
    await clock.run(session.apply(KNEAD_LOWER_BACK))
    assert chair.state().roller_technique is Technique.KNEAD


async def test_a_drop_between_applies_is_seen_by_the_next_apply(rig: Rig) -> None:
    session, chair, clock, _keys = rig
    await clock.run(session.apply(KNEAD_LOWER_BACK))
    await clock.advance(10)
    await drop_link(rig)
    await clock.run(session.wait_recovery())

    with pytest.raises(Interrupted):
        await clock.run(session.apply(KNEAD_LOWER_BACK))
    assert_released(chair)


async def test_a_silent_chair_counts_as_a_dropped_link(make_rig: RigMaker) -> None:
    events: list[ChairEvent] = []
    rig = await make_rig(on_event=events.append)
    session, chair, clock, _keys = rig
    await clock.run(session.apply(KNEAD_LOWER_BACK))
    went_quiet = clock.now()
    # 5 s of frames never come: longer than the 3 s watchdog, and they are still missing
    # when the first new link opens.
    chair.inject(DropFrames(round(5.0 / chair.period)))

    await clock.advance(SessionConfig().status_timeout_s + 0.5)
    assert session.link_state is LinkState.RECONNECTING
    interruption = await clock.run(session.wait_recovery())

    assert interruption is not None
    assert "no status for 3 s" in interruption.reason
    assert interruption.safe
    lost = next(e for e in events if isinstance(e, LinkLost))
    assert lost.at - went_quiet == pytest.approx(SessionConfig().status_timeout_s, abs=0.25)
    assert_released(chair)


@pytest.mark.families("rongtai-h10")  # a hold-to-move walk is Rongtai's
async def test_reconnection_gives_up_after_its_attempts_and_stop_says_so(
    make_rig: RigMaker, model: ChairModel, link_kind: LinkKindName
) -> None:
    assert isinstance(model, RongtaiModel)
    config = SessionConfig(reconnect_attempts=3)
    rig = await make_rig(config=config)
    session, chair, clock, keys = rig
    applying, dropped_at = await _drop_mid_walk(rig, model)
    # Another controller (the vendor app) takes the chair: it accepts one at a time.
    other = chair.connect()
    with pytest.raises(LinkError):
        await clock.run(applying)

    interruption = await clock.run(session.wait_recovery())

    assert interruption is not None
    assert not interruption.reconnected
    assert session.link_state is LinkState.DISCONNECTED
    # Each attempt waited its backoff, then as long as this link takes to find the chair busy.
    backoffs = sum(config.backoff(i) for i in range(config.reconnect_attempts))
    attempts = config.reconnect_attempts * LINK_KINDS[link_kind].busy_attempt_s
    assert clock.now() - interruption.lost_at == pytest.approx(backoffs + attempts, abs=0.01)
    with pytest.raises(LinkError, match="remote"):
        await clock.run(session.stop())
    # The walk STOP is still owed; it goes out on the next link, before anything else.
    assert model.keys.walk.down_stop in session.keys.held
    other.close()

    await clock.run(session.connect())

    first = keys.since(dropped_at)[0]
    assert first.key == model.keys.walk.down_stop
    assert session.keys.held == {}
    assert_released(chair)
    with pytest.raises(Interrupted):
        await clock.run(session.apply(KNEAD_LOWER_BACK))


@pytest.mark.families("rongtai-h10")  # a hold-to-move walk is Rongtai's
async def test_stop_during_a_reconnection_waits_for_it(rig: Rig, model: ChairModel) -> None:
    session, chair, clock, _keys = rig
    applying, _ = await _drop_mid_walk(rig, model)
    with pytest.raises(LinkError):
        await clock.run(applying)
    assert session.link_state is LinkState.RECONNECTING

    await clock.run(session.stop())

    assert session.last_stop is not None
    assert session.last_stop.safe
    assert_released(chair)
