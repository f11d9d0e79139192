"""Statuses: the latest one, and any number of readers of every status from now on."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from chairctl.vocabulary import ChairStatus, LinkError
from simulator.faults import LinkDrop
from tests.drivers.session.sessionhelpers import Rig


async def _take(reader: AsyncIterator[ChairStatus], n: int) -> list[ChairStatus]:
    return [await anext(reader) for _ in range(n)]


async def test_two_readers_each_get_every_status_in_order(rig: Rig) -> None:
    session, chair, clock, _keys = rig
    first, second = session.statuses(), session.statuses()
    sent_before = chair.frames_sent

    a = await clock.run(_take(first, 10))
    b = await clock.run(_take(second, 10))

    assert a == b
    assert chair.frames_sent - sent_before >= 10
    assert session.status is not None


async def test_a_reader_starts_from_its_call_and_ends_with_the_session(rig: Rig) -> None:
    session, chair, clock, _keys = rig
    await clock.advance(2)
    reader = session.statuses()
    await clock.advance(1)  # a second of frames: five over BLE, twenty on a wired line

    await clock.run(session.close())

    seen = [s async for s in reader]
    assert len(seen) == round(1.0 / chair.period)


async def test_a_closed_reader_is_fed_no_more(rig: Rig) -> None:
    session, _chair, clock, _keys = rig
    reader = session.statuses()
    await clock.advance(1)
    await reader.aclose()
    await clock.advance(1)

    assert [s async for s in reader] == []


async def test_a_link_drop_reaches_a_reader_in_its_turn_and_statuses_resume(rig: Rig) -> None:
    session, chair, clock, _keys = rig
    reader = session.statuses()
    await clock.advance(1)
    before = round(1.0 / chair.period)
    chair.inject(LinkDrop())
    await clock.run(session.wait_recovery())
    await clock.advance(1)

    # Every status from before the drop, then the drop itself, then statuses again.
    got = await clock.run(_take(reader, before))
    assert len(got) == before
    with pytest.raises(LinkError, match="dropped"):
        await clock.run(anext(reader))
    assert isinstance(await clock.run(anext(reader)), ChairStatus)
