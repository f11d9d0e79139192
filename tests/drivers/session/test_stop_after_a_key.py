"""A stop judges the chair by a status that shows the last key the chair took.

Found by signalling chairctl a moment after it switched a chair on: the release saw the
status from before POWER ("off"), called the chair safe and sent nothing, and the chair went
on with its body scan and stayed switched on (Rongtai and NCNI). Here the stop starts as the
chair's mainboard takes the first key of a setpoint, before any status can show it.
"""

from __future__ import annotations

import asyncio
import contextlib

from chairctl.vocabulary import ChairctlError, WorkState
from tests.drivers.session.sessionhelpers import KNEAD_LOWER_BACK, Received, Rig, assert_released


async def test_a_stop_as_the_chair_takes_power_switches_it_off_again(rig: Rig) -> None:
    session, chair, clock, keys = rig
    assert chair.state().work_state is WorkState.STANDBY
    stopping: list[asyncio.Future[None]] = []

    def strike(_key: Received) -> None:
        if not stopping:
            stopping.append(asyncio.ensure_future(session.stop()))

    keys.hooks.append(strike)
    apply = asyncio.ensure_future(session.apply(KNEAD_LOWER_BACK))
    while not stopping:
        await clock.advance(0.01)
    await clock.run(stopping[0])
    with contextlib.suppress(ChairctlError):
        await apply
    # Long enough for any body scan to end: a chair left switched on would be on now.
    await clock.advance(60)
    assert chair.state().work_state is WorkState.STANDBY
    assert_released(chair)
