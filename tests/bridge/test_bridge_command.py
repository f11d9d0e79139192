"""chairctl bridge on the command line: everything it refuses is one line and a non-zero exit
before the chair or the broker is reached; --remove clears what the chair left on the broker."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import aiomqtt
import pytest

from chairctl.bridge.discovery import discovery_topic, node_id
from tests.bridge.broker import Broker, free_port
from tests.conftest import Run

#: Nobody listens there: a command that reached for the broker would hang, not fail fast.
NOWHERE = f"mqtt://127.0.0.1:{free_port()}"


def config(tmp_path: Path, text: str, mode: int = 0o600) -> Path:
    path = tmp_path / "chair.toml"
    path.write_text(text, encoding="utf-8")
    path.chmod(mode)
    return path


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--prefix", "home/+"], "chairctl: the topic prefix 'home/+' holds a wildcard"),
        (["--model", "nope"], "chairctl: no chair model 'nope'; known: "),
        (["--broker", "http://broker"], "chairctl: the broker URL 'http://broker' must start"),
        (["--ca-file", "/nonexistent/ca.pem"], "chairctl: /nonexistent/ca.pem: cannot load"),
    ],
)
def test_a_bad_option_is_one_line_before_anything_is_reached(
    chairctl: Callable[..., Run], args: list[str], said: str
) -> None:
    broker = [] if "--broker" in args else ["--broker", NOWHERE]
    result = chairctl("bridge", *broker, *args)
    assert result.code == 1
    assert result.err.startswith(said)
    assert len(result.err.strip().splitlines()) == 1
    assert "Traceback" not in result.err


def test_speed_is_for_a_simulated_chair_only(chairctl: Callable[..., Run]) -> None:
    result = chairctl("bridge", "--broker", NOWHERE, "--chair", "ble:EVOLUTION", "--speed", "5")
    assert result.code == 2
    assert "only a simulated chair runs faster" in result.err


def test_a_config_file_others_may_read_is_refused(
    chairctl: Callable[..., Run], tmp_path: Path
) -> None:
    path = config(tmp_path, f'broker = "{NOWHERE}"\npassword = "secret"\n', 0o644)
    result = chairctl("bridge", "--config", str(path))
    assert result.code == 1
    assert result.err == (
        f"chairctl: {path}: the config file may be read or changed by others (mode 0644); it "
        f"holds a secret: chmod 600 {path}\n"
    )


def test_a_bad_config_file_is_located(chairctl: Callable[..., Run], tmp_path: Path) -> None:
    path = config(tmp_path, f'broker = "{NOWHERE}"\nchiar = "sim"\n')
    result = chairctl("bridge", "--config", str(path))
    assert result.code == 1
    assert result.err == f"chairctl: {path}:2: unknown key 'chiar'\n"


def test_the_config_file_names_the_chair(chairctl: Callable[..., Run], tmp_path: Path) -> None:
    path = config(tmp_path, f'broker = "{NOWHERE}"\nchair = "sim"\nmodel = "nope"\n')
    result = chairctl("bridge", "--config", str(path))
    assert result.code == 1
    assert result.err.startswith("chairctl: no chair model 'nope'")


@pytest.mark.realtime
def test_remove_clears_the_chair_from_home_assistant_and_the_broker(
    chairctl: Callable[..., Run], broker: Broker
) -> None:
    prefix = "house/study"
    discovery = discovery_topic(node_id(prefix))
    kept = [discovery, *(f"{prefix}/{t}" for t in ("availability", "state", "library"))]

    async def leave_retained() -> None:
        async with aiomqtt.Client(broker.host, broker.port) as client:
            for topic in kept:
                await client.publish(topic, b"{}", qos=1, retain=True)

    async def retained() -> list[str]:
        found: list[str] = []
        async with aiomqtt.Client(broker.host, broker.port) as client:
            for topic in kept:
                await client.subscribe(topic, qos=1)
            # A marker published after subscribing: retained messages come before it.
            await client.subscribe("marker", qos=1)
            await client.publish("marker", b"", qos=1)
            async for message in client.messages:
                if str(message.topic) == "marker":
                    return found
                if message.payload:
                    found.append(str(message.topic))
        return found

    asyncio.run(leave_retained())
    assert sorted(asyncio.run(retained())) == sorted(kept)
    result = chairctl("bridge", "--broker", broker.url(prefix), "--remove")
    assert result.code == 0, result.err
    assert "Removed the chair under house/study" in result.out
    assert asyncio.run(retained()) == []


def test_remove_with_no_broker_is_one_line(chairctl: Callable[..., Run]) -> None:
    result = chairctl("bridge", "--broker", NOWHERE, "--remove")
    assert result.code == 1
    assert result.err.startswith(f"chairctl: the broker {NOWHERE} cannot be reached (")
    assert result.err.endswith("; nothing was removed\n")
