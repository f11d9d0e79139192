"""The app as a client of a bridge, for the tests: a real broker (tests/bridge's, mosquitto or
amqtt), a real bridge in this process on the simulated chair, and the app under Pilot.

The bridge's chair runs on a VirtualClock that only the test moves (``running.until``,
``running.session_running``); between those moves the chair stands still while messages
cross the real broker, and the test waits for the app to hear them (:func:`heard`: real time,
a hang guard, never a measurement).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Final

from textual.pilot import Pilot
from textual.widgets import OptionList, Static

from chairctl.services.remote.bridged import BridgeControl, ControlOptions
from chairctl.services.remote.client import ClientOptions
from chairctl.services.remote.target import bridge_target
from chairctl.tui.app import ChairctlApp
from chairctl.tui.screens.personalise import PersonaliseScreen
from chairctl.tui.screens.safety_notice import SafetyNoticeScreen
from chairctl.tui.screens.session import SessionScreen
from tests.bridge.bridgehelpers import LIBRARY, PATIENCE_S
from tests.bridge.broker import Broker

#: The chair's topic prefix in these tests.
PREFIX: Final = "test/app-client"
SIZE: Final = (120, 40)

#: The app's waits on the bridge, and its reconnections, short enough for a test: a broker
#: stopped and started again is heard again within a second.
QUICK: Final = ControlOptions(
    answer_s=PATIENCE_S,
    goodbye_s=5.0,
    client=ClientOptions(keepalive_s=5, retry_first_s=0.1, retry_max_s=0.5),
)


def bridged_app(broker: Broker, *, profile_name: str | None = None) -> ChairctlApp:
    """The app as ``chairctl --bridge mqtt://127.0.0.1:PORT/test/app-client`` opens it."""
    return ChairctlApp(
        bridge=bridge_target(broker.url(PREFIX)),
        profile_name=profile_name,
        programs=LIBRARY,
        bridge_options=QUICK,
    )


def bridge_of(app: ChairctlApp) -> BridgeControl:
    """The app's session control, which on a bridge is a BridgeControl."""
    control = app.control
    assert isinstance(control, BridgeControl)
    return control


async def heard(
    pilot: Pilot[None], what: Callable[[], bool], patience_s: float = PATIENCE_S
) -> None:
    """Wait until ``what()`` (real time, the chair's clock standing still: messages are on
    their way through the broker), then let the screen catch up."""
    loop = asyncio.get_running_loop()
    end = loop.time() + patience_s
    while not what():
        if loop.time() > end:
            raise AssertionError(f"the app never heard it within {patience_s:g} s")
        await asyncio.sleep(0.02)
    await pilot.pause()


def shown(app: ChairctlApp, selector: str) -> str:
    """The text of one Static of the screen in front, as drawn."""
    return str(app.screen.query_one(selector, Static).render())


def said(app: ChairctlApp) -> str:
    """Every notification the app showed, as one line."""
    return " | ".join(" ".join(n.message.split()) for n in app._notifications)


async def attached(app: ChairctlApp, pilot: Pilot[None]) -> BridgeControl:
    """Wait until the app has heard the bridge: its state, its library and its people."""
    control = bridge_of(app)
    await heard(
        pilot,
        lambda: control.reachable and control.library is not None and control.profiles is not None,
    )
    return control


async def start_from_the_library(app: ChairctlApp, pilot: Pilot[None], program: str) -> None:
    """Choose ``program`` in the library as a person does, read the safety notice when it
    comes, and start on Personalise; the session screen is in front afterwards."""
    library = app.library
    assert library is not None
    options = library.query_one("#library-list", OptionList)
    await heard(pilot, lambda: _listed(options, program))
    options.highlighted = options.get_option_index(program)
    await pilot.press("enter")
    await pilot.pause()
    if isinstance(app.screen, SafetyNoticeScreen):
        await pilot.press("enter")
        await pilot.pause()
    assert isinstance(app.screen, PersonaliseScreen)
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, SessionScreen)


def _listed(options: OptionList, program: str) -> bool:
    return any(options.get_option_at_index(i).id == program for i in range(options.option_count))
