"""A session against a chair in another process: ``chairctl sim serve --pty --model ...`` at ten
times real speed, reached over a real serial link on the clock a controller of such a chair
would use; a Rongtai chair in detail, then a chair of each other family.

This runs in real time (two processes share no clock), so every wait is for an event and
bounded; the whole test takes a few seconds and is cut off well under a minute.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys
from collections.abc import AsyncIterator

import pytest

from chairctl.clock import ScaledClock
from chairctl.vocabulary import (
    AirbagZone,
    ChairStatus,
    Heater,
    HeatLevel,
    Region,
    Setpoint,
    Technique,
    WorkState,
)
from drivers.adapters.rongtai import is_safe
from drivers.chair import ChairSession
from drivers.links import SerialLink
from drivers.models import ChairModel, get_model, get_model_as
from drivers.models.rongtai import RongtaiModel
from drivers.session import LinkState, SessionConfig

#: Waits on the wall clock (a real pty, another process, signals): sensitive to load.
pytestmark = pytest.mark.realtime

SPEED = 10
#: The margin a session adds to the chair's key gap is for jitter on the way, which is real
#: time and does not speed up with the chair: on a clock ten times as fast it must be ten
#: times as many chair seconds to absorb what it absorbs at real speed (else a millisecond
#: of scheduling delay between the processes puts two keys inside the chair's key gap).
CONFIG = SessionConfig(key_gap_margin_s=SessionConfig().key_gap_margin_s * SPEED)
#: Real seconds: for the server to print its pty, for one apply or the stop, for it to exit.
START_S, STEP_S, EXIT_S = 20.0, 15.0, 10.0
#: Real seconds the whole test may take.
WHOLE_S = 50.0

KNEAD_MID_BACK = Setpoint(technique=Technique.KNEAD, regions=(Region.MID_BACK,), intensity=2)
LOWER_BACK_WAIST = KNEAD_MID_BACK.model_copy(
    update={"regions": (Region.LOWER_BACK,), "airbags": {AirbagZone.WAIST: 2}}
)
WITH_HEAT = LOWER_BACK_WAIST.model_copy(update={"heat": {Heater.LUMBAR: HeatLevel.MEDIUM}})


@pytest.fixture
def model() -> ChairModel:
    """The Rongtai chair the first scenario's statuses are written for."""
    return get_model_as("rongtai-rt8600s", RongtaiModel)


def latest(session: ChairSession) -> ChairStatus:
    status = session.status
    assert status is not None, "no status from the chair yet"
    return status


@contextlib.asynccontextmanager
async def served_pty(
    model_id: str = "rongtai-rt8600s",
) -> AsyncIterator[tuple[asyncio.subprocess.Process, str]]:
    """``chairctl sim serve --pty`` in a child process, and the pty path it printed first."""
    server = await asyncio.create_subprocess_exec(
        *[sys.executable, "-m", "chairctl", "sim", "serve", "--pty", "--speed", str(SPEED)],
        *["--model", model_id],
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        assert server.stdout is not None
        first = await asyncio.wait_for(server.stdout.readline(), START_S)
        path = first.decode().strip()
        assert path.startswith("/dev/"), f"the server printed {first!r} first"
        yield server, path
    finally:
        if server.returncode is None:
            server.kill()
            await server.wait()


async def test_a_setpoint_sequence_then_a_safe_stop_on_a_chair_in_another_process(
    model: ChairModel,
) -> None:
    async with asyncio.timeout(WHOLE_S), served_pty() as (server, path):
        session = ChairSession(
            model, lambda: SerialLink.for_model(model, path), ScaledClock(SPEED), config=CONFIG
        )
        try:
            await asyncio.wait_for(session.connect(), STEP_S)
            assert session.link_state is LinkState.CONNECTED
            assert latest(session).work_state is WorkState.STANDBY

            # Each apply returns only once the status confirms all of its setpoint.
            await asyncio.wait_for(session.apply(KNEAD_MID_BACK), STEP_S)
            status = latest(session)
            assert status.work_state is WorkState.RUNNING
            assert status.technique is Technique.KNEAD
            assert status.intensity == 2
            assert status.airbag_level == 0
            assert not status.heat

            await asyncio.wait_for(session.apply(LOWER_BACK_WAIST), STEP_S)
            status = latest(session)
            assert status.technique is Technique.KNEAD
            assert status.airbag_level == 2
            assert status.airbag_program == {AirbagZone.WAIST}

            await asyncio.wait_for(session.apply(WITH_HEAT), STEP_S)
            status = latest(session)
            assert status.heat
            assert status.airbag_program == {AirbagZone.WAIST}

            await asyncio.wait_for(session.stop(), STEP_S)
            report = session.last_stop
            assert report is not None
            assert report.safe
            status = latest(session)
            assert is_safe(status)
            assert status.work_state in (WorkState.STANDBY, WorkState.WAITING)
            assert status.technique is None
            assert status.technique_code == 0
            assert status.airbag_level == 0
            assert not status.airbag_program
            assert not status.airbags_active
            assert not status.heat
        finally:
            await asyncio.wait_for(session.close(), STEP_S)

        server.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(server.wait(), EXIT_S) == 0
        assert server.stderr is not None
        assert b"Traceback" not in await server.stderr.read()


@pytest.mark.parametrize("model_id", ["tuya-amy-example", "ncni-chair"])
async def test_a_chair_of_another_family_served_in_another_process(model_id: str) -> None:
    model = get_model(model_id)
    async with asyncio.timeout(WHOLE_S), served_pty(model_id) as (server, path):
        session = ChairSession(
            model, lambda: SerialLink.for_model(model, path), ScaledClock(SPEED), config=CONFIG
        )
        try:
            await asyncio.wait_for(session.connect(), STEP_S)
            assert latest(session).work_state is WorkState.STANDBY

            await asyncio.wait_for(session.apply(KNEAD_MID_BACK), STEP_S)
            assert latest(session).work_state is WorkState.RUNNING

            heat = {Heater.LUMBAR: HeatLevel.MEDIUM}
            await asyncio.wait_for(
                session.apply(KNEAD_MID_BACK.model_copy(update={"heat": heat})), STEP_S
            )
            assert latest(session).heat

            await asyncio.wait_for(session.stop(), STEP_S)
            report = session.last_stop
            assert report is not None
            assert report.safe
            assert session.adapter.is_safe(latest(session))
            assert not latest(session).heat
        finally:
            await asyncio.wait_for(session.close(), STEP_S)

        server.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(server.wait(), EXIT_S) == 0
        assert server.stderr is not None
        assert b"Traceback" not in await server.stderr.read()
