"""``chairctl web``: refused in one clear message, before anything listens, without a bridge or
with anything it could not serve; bound beyond this machine, it warns who could drive the chair;
served, it runs one app per tab on the bridge, keeps the bridge's password out of their command
lines and the page, and ends with the shell's code for the signal that ended it.
"""

from __future__ import annotations

import os
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from chairctl.cli.web import page_url, served_command
from tests.bridge.broker import free_port
from tests.conftest import Run

#: A documentation address (TEST-NET-1): no machine has it, so nothing can listen on it.
NOWHERE = "192.0.2.1"
BRIDGE = "mqtt://127.0.0.1:1883/chairctl/living-room"


def test_without_a_bridge_web_mode_is_refused_and_says_why(chairctl: Callable[..., Run]) -> None:
    done = chairctl("web")
    assert done.code == 2
    assert "web mode needs a bridge" in done.err
    assert "one process owns the chair" in done.err
    assert "chairctl web --bridge mqtt://HOST/PREFIX" in done.err


@pytest.mark.parametrize(
    ("arguments", "said"),
    [
        (["--bridge", "http://broker/x"], "must start with mqtt:// or mqtts://"),
        (["--bridge", BRIDGE, "--host", "0.0.0.0"], "give --public-url"),
        (["--bridge", BRIDGE, "--host", "::"], "give --public-url"),
        (["--bridge", BRIDGE, "--public-url", "chair.example"], "not an http:// or https://"),
        (["--bridge", BRIDGE, "--port", "0"], "--port"),
    ],
)
def test_what_cannot_be_served_is_refused_before_anything_listens(
    chairctl: Callable[..., Run], arguments: list[str], said: str
) -> None:
    done = chairctl("web", *arguments)
    assert done.code != 0
    assert said in done.err
    assert "Traceback" not in done.err
    assert done.out == ""


def test_a_password_without_a_user_is_refused_once_not_in_every_tab(
    chairctl: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CHAIRCTL_MQTT_PASSWORD", "secret")
    done = chairctl("web", "--bridge", BRIDGE)
    assert done.code == 1
    assert "a broker password needs a user name" in done.err


def test_beyond_this_machine_it_warns_who_could_drive_the_chair(
    chairctl: Callable[..., Run],
) -> None:
    # An address no interface has: the warning comes first, then the server cannot listen.
    done = chairctl("web", "--bridge", BRIDGE, "--host", NOWHERE, "--port", "8000")
    assert done.code == 1
    assert f"serving the app on {NOWHERE}:8000" in done.err
    assert "Anyone who can reach this port can drive the chair" in done.err
    assert "reverse proxy with authentication" in done.err
    assert "docs/web.md" in done.err
    assert f"cannot serve on {NOWHERE}:8000" in done.err
    assert "Traceback" not in done.err


def test_on_loopback_nothing_is_said_of_other_machines(chairctl: Callable[..., Run]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = chairctl("web", "--bridge", BRIDGE, "--port", str(port))
    assert done.code == 1
    assert f"cannot serve on 127.0.0.1:{port}" in done.err
    assert "warning" not in done.err


def test_the_page_names_the_address_browsers_open() -> None:
    assert page_url("127.0.0.1", 8000, None) == "http://127.0.0.1:8000"
    assert page_url("::1", 8000, None) == "http://[::1]:8000"
    assert page_url("0.0.0.0", 8000, "https://chair.example/") == "https://chair.example"
    assert page_url("0.0.0.0", 8000, "https://home.example/chair/") == (
        "https://home.example/chair"
    )


def test_each_tab_runs_this_chairctls_app_on_the_bridge_without_its_password() -> None:
    command = shlex.split(served_command("mqtt://ann:s3cret@broker:1884/chairctl/den"))
    assert command == [
        sys.executable,
        "-m",
        "chairctl",
        "--bridge",
        "mqtt://ann@broker:1884/chairctl/den",
    ]
    # A URL that needs quoting for the shell textual-serve starts each tab's app with.
    odd = "mqtt://broker/chairctl/it's;here"
    assert shlex.split(served_command(odd))[-1] == odd


@pytest.fixture
def web_server(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], int]]:
    """``chairctl web`` in a child process on a free loopback port, with a password in its
    bridge URL; stopped however the test ends."""
    port = free_port()
    env = {**os.environ, "CHAIRCTL_HOME": str(tmp_path)}
    env.pop("CHAIRCTL_MQTT_PASSWORD", None)
    url = "mqtt://ann:s3cret@127.0.0.1:1883/chairctl/den"
    process = subprocess.Popen(
        [sys.executable, "-m", "chairctl", "web", "--bridge", url, "--port", str(port)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        start_new_session=True,
    )
    try:
        yield process, port
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=30)


def _page(port: int) -> str:
    """The page, once the server listens (real time: a hang guard)."""
    end = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
                page: str = response.read().decode()
                return page
        except OSError:
            if time.monotonic() > end:
                raise
            time.sleep(0.1)


@pytest.mark.realtime
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_served_the_page_keeps_the_password_out_and_a_signal_ends_it(
    web_server: tuple[subprocess.Popen[str], int], sig: signal.Signals
) -> None:
    process, port = web_server
    page = _page(port)
    assert "s3cret" not in page
    assert f"ws://127.0.0.1:{port}/ws" in page
    assert ">chairctl<" in page.replace(" ", "").replace("\n", "")
    process.send_signal(sig)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 128 + sig
    assert f"on http://127.0.0.1:{port} (each tab a client of the bridge)" in err
    assert "mqtt://ann@127.0.0.1:1883/chairctl/den" in err
    assert "s3cret" not in err
