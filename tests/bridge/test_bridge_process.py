"""chairctl bridge as a real child process: killed, it still shows offline (its last will);
told to end with the broker gone, it still releases the chair, judged by the chair's own ground
truth (served on a pty from this process, tests/served.py, so it outlives the child)."""

from __future__ import annotations

import asyncio
import json
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from chairctl.services.remote.topics import Command
from tests.bridge.bridgehelpers import ANN, client_of, saved
from tests.bridge.broker import Broker
from tests.served import FAMILY_MODELS, ServedChair, at_rest, working

pytestmark = pytest.mark.realtime

SPEED = 20.0
#: A child process starts Python and chairctl first: more patience than within this process.
PATIENCE_S = 60.0
PREFIX = "test/chair"
#: A library program every family's chair can run.
EVERY_CHAIR = "upper-back-release"


def bridge_process(broker: Broker, home: Path, *chair: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "chairctl",
            "bridge",
            "--broker",
            broker.url(PREFIX),
            "--home",
            str(home),
            "--speed",
            str(SPEED),
            *chair,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


async def test_a_bridge_killed_outright_shows_offline_by_its_last_will(
    broker: Broker, home: Path
) -> None:
    process = bridge_process(broker, home)
    try:
        async with client_of(broker, PREFIX) as client:
            await client.wait_for(
                lambda h: h.on(f"{PREFIX}/availability")[-1:] == [b"online"], PATIENCE_S
            )
            process.kill()  # no goodbye: only the broker can say it
            await client.wait_for(lambda h: h.on(f"{PREFIX}/availability")[-1:] == [b"offline"])
    finally:
        process.kill()
        process.communicate(timeout=30)
    # Retained: a client that comes later learns it too.
    async with client_of(broker, PREFIX) as late:
        await late.wait_for(lambda h: h.on(f"{PREFIX}/availability") == [b"offline"])


@pytest.mark.parametrize("model_id", FAMILY_MODELS)
async def test_sigterm_with_the_broker_gone_still_releases_the_chair(
    broker: Broker, home: Path, model_id: str
) -> None:
    saved(home, ANN)
    with ServedChair(model_id, SPEED) as chair:
        process = bridge_process(broker, home, "--chair", chair.path, "--model", model_id)
        try:
            async with client_of(broker, PREFIX) as client:
                await client.state(lambda s: s.link == "connected", PATIENCE_S)
                await client.command(
                    Command.START, json.dumps({"program": EVERY_CHAIR, "profile": "Ann"})
                )
                try:
                    await client.state(lambda s: s.session == "running", PATIENCE_S)
                except TimeoutError:
                    raise AssertionError(
                        f"the session never ran: {client.errors()} {client.latest_state()}"
                    ) from None
            assert await asyncio.to_thread(chair.wait_for, working)
            await asyncio.to_thread(broker.stop)
            process.send_signal(signal.SIGTERM)
            _, err = await asyncio.to_thread(process.communicate, timeout=60)
        finally:
            process.kill()
        assert process.returncode == 143, err
        assert at_rest(chair.state())
    assert "Stopped · the chair is safe" in err
    assert "Traceback" not in err
