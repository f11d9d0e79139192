"""The app in a browser, as a person uses it: a real broker, a bridge on the simulated chair,
``chairctl web`` serving the app on a free loopback port, and Debian's Chromium (headless,
driven by Playwright) on the page. A session started by an MQTT start command shows in the
tab; Escape pressed in the page goes out as the bridge's stop, and the chair's ground truth says
it was released; the tab says so only then.

The bridge runs in this process on a VirtualClock that only the test moves, so the chair stands
still while the page loads and while messages cross the broker; the waits on the browser, the
server and the broker are hang guards, never measurements. Skipped, with the reason, only where
Chromium is not installed (CI installs it).
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import signal
import subprocess
import sys
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any, Final

import pytest
from playwright.async_api import Page, async_playwright

from chairctl.services.remote.topics import Command
from tests.bridge.bridgehelpers import (
    ANN,
    PATIENCE_S,
    PROGRAM,
    Client,
    at_rest,
    client_of,
    running_bridge,
    saved,
    working,
)
from tests.bridge.broker import Broker, broker_for, free_port

#: Real processes, a real browser, a real broker: sensitive to load.
pytestmark = pytest.mark.realtime

CHROMIUM: Final = shutil.which("chromium") or "/usr/bin/chromium"
#: Headless, and kept from reaching out: the machine's network is closed.
FLAGS: Final = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PREFIX: Final = "test/web"

#: The page draws the tab's terminal on a canvas, so what the app shows is read where it
#: arrives: every message the page's websocket receives is kept, before the terminal draws it.
HOOK: Final = """
(() => {
  const Native = window.WebSocket;
  const decoder = new TextDecoder();
  window.__screen = [];
  window.WebSocket = function (url, protocols) {
    const socket = protocols === undefined ? new Native(url) : new Native(url, protocols);
    socket.addEventListener("message", (event) => {
      if (event.data instanceof ArrayBuffer) {
        window.__screen.push(decoder.decode(event.data, {stream: true}));
      }
    });
    return socket;
  };
  window.WebSocket.prototype = Native.prototype;
  Object.assign(window.WebSocket, {CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3});
})();
"""
#: Terminal control sequences (CSI, OSC, and two-byte escapes), taken out of the screen's text.
CONTROL: Final = re.compile(
    r"\x1b(\[[0-9;?<>=$ ]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[()][0-9A-Za-z]|.)"
)


@pytest.fixture
def broker(tmp_path: Path) -> Iterator[Broker]:
    """mosquitto when installed, else amqtt (tests/bridge/broker.py)."""
    with broker_for(tmp_path) as running:
        yield running


@pytest.fixture
def chromium() -> str:
    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip("Chromium is not installed (Debian: apt-get install chromium); CI installs it")
    return CHROMIUM


async def _listening(port: int) -> None:
    loop = asyncio.get_running_loop()
    end = loop.time() + PATIENCE_S
    while True:
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            if loop.time() > end:
                raise
            await asyncio.sleep(0.1)
        else:
            writer.close()
            await writer.wait_closed()
            return


@pytest.fixture
async def web(broker: Broker, tmp_path: Path) -> AsyncIterator[str]:
    """``chairctl web`` for the bridge under PREFIX, on a free loopback port: its page's URL."""
    port = free_port()
    env = {**os.environ, "CHAIRCTL_HOME": str(tmp_path / "web-home")}
    env.pop("TEXTUAL", None)
    log = (tmp_path / "web.log").open("wb")
    command = [sys.executable, "-m", "chairctl", "web", "--bridge", broker.url(PREFIX)]
    server = subprocess.Popen(  # noqa: ASYNC220 - started once, before the test's waits
        [*command, "--port", str(port)],
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=log,
        env=env,
        start_new_session=True,
    )
    try:
        await _listening(port)
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            await asyncio.to_thread(server.wait, 60)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(10)
        log.close()


async def screen_text(page: Page) -> str:
    """What the tab's app has drawn so far, control sequences taken out."""
    chunks: list[str] = await page.evaluate("window.__screen")
    return CONTROL.sub("", "".join(chunks))


async def until_shown(page: Page, wanted: str, patience_s: float = PATIENCE_S) -> None:
    loop = asyncio.get_running_loop()
    end = loop.time() + patience_s
    while wanted not in await screen_text(page):
        if loop.time() > end:
            shown = (await screen_text(page))[-3000:]
            raise AssertionError(f"{wanted!r} never showed in the tab; it showed: {shown}")
        await asyncio.sleep(0.1)


async def until(what: Callable[[], bool], why: str) -> None:
    """Wait (real time) for ``what()``: messages crossing the broker."""
    loop = asyncio.get_running_loop()
    end = loop.time() + PATIENCE_S
    while not what():
        if loop.time() > end:
            raise AssertionError(why)
        await asyncio.sleep(0.02)


def said_stopped(client: Client) -> bool:
    """The bridge published that the chair confirmed its stop."""
    return any(state.stop == "stopped" for state in client.heard.states(client.topics.state))


def stops_sent(client: Client) -> int:
    return len(client.heard.on(client.topics.command(Command.STOP)))


async def test_escape_in_the_browser_stops_the_chair_through_the_bridge(
    chromium: str, broker: Broker, web: str, tmp_path: Path
) -> None:
    home = saved(tmp_path / "home", ANN)
    async with (
        running_bridge(broker, home, PREFIX) as running,
        client_of(broker, PREFIX) as client,
        async_playwright() as playwright,
    ):
        browser = await playwright.chromium.launch(executable_path=chromium, args=FLAGS)
        try:
            page = await browser.new_page(viewport={"width": 1280, "height": 800})
            await page.add_init_script(HOOK)
            try:
                await page.goto(web)
                # The tab's own app, a client of the bridge: the bridge's chair and library.
                await until_shown(page, "Lower back relief")
                await until_shown(page, PREFIX)  # the header names the bridge's chair

                # A session started from the home network (Home Assistant, say).
                start: dict[str, Any] = {"program": PROGRAM, "profile": ANN.name}
                await running.command(client, Command.START, json.dumps(start))
                await running.session_running()
                await running.until(lambda: working(running.chair))
                await until_shown(page, "for Ann")  # the tab follows the bridge's session

                # Escape, pressed in the page: the tab's app sends the stop.
                await page.focus(".xterm-helper-textarea")
                await page.keyboard.press("Escape")
                await until(lambda: stops_sent(client) > 0, "the tab's app never published a stop")
                # The chair's time runs on until the bridge says the chair confirmed its stop.
                await running.until(lambda: said_stopped(client), limit_s=120)
                assert at_rest(running.chair)
                # Only now, with the chair's word on the bridge, does the tab say it is safe.
                await until_shown(page, "the chair is safe")
            finally:
                await page.screenshot(path=str(tmp_path / "tab.png"))
        finally:
            await browser.close()
        assert stops_sent(client) == 1
