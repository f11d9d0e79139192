"""The app as a client of a bridge (``chairctl --bridge mqtt://HOST/PREFIX``), against a real
broker and a real bridge on the simulated chair: it attaches and shows the bridge's chair, its
library and its people; a start runs on the bridge and the session screen follows the bridge's
state; Escape is a stop command, and the chair's release is the simulator's ground truth; a
refusal comes in the bridge's words; a broker gone is said, and never taken for a stopped
chair; quitting leaves the chair with the bridge."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import OptionList

from chairctl.services.session import StopState
from chairctl.tui.screens.library import LibraryScreen
from chairctl.tui.screens.personalise import PersonaliseScreen
from chairctl.tui.screens.profiles import ConfirmScreen
from chairctl.tui.screens.session import STOP_WORDS, SessionScreen
from drivers.session import LinkState
from simulator.faults import LinkDrop
from tests.bridge.bridgehelpers import (
    ANN,
    BO,
    LIBRARY,
    PROGRAM,
    at_rest,
    running_bridge,
    saved,
    working,
)
from tests.bridge.broker import Broker
from tests.tui.bridgeapphelpers import (
    PREFIX,
    SIZE,
    attached,
    bridged_app,
    heard,
    said,
    shown,
    start_from_the_library,
)

#: A real broker and real sockets: the waits are hang guards, but load can reach them.
pytestmark = pytest.mark.realtime

SAFE = STOP_WORDS[StopState.STOPPED]


async def test_the_app_shows_the_bridges_chair_its_library_and_its_people(
    broker: Broker, tmp_path: Path
) -> None:
    home = saved(tmp_path / "home", ANN, BO)
    # The bridge offers two programs only: the app lists those, not its whole library.
    offered = [p for p in LIBRARY if p.id in (PROGRAM, "neck-and-shoulders-release")]
    async with running_bridge(broker, home, PREFIX, programs=offered) as running:
        app = bridged_app(broker, profile_name="Bo")
        async with app.run_test(size=SIZE) as pilot:
            control = await attached(app, pilot)
            assert isinstance(app.screen, LibraryScreen)
            assert control.profiles == ["Ann", "Bo"]
            assert app.bridge_person == "Bo"
            assert f"Bridge {PREFIX}" in app.sub_title
            options = app.screen.query_one("#library-list", OptionList)
            ids = {options.get_option_at_index(i).id for i in range(options.option_count)}
            listed = {i for i in ids if i is not None and not i.startswith("category:")}
            assert listed == {p.id for p in offered}
            # The app opened no link of its own to any chair, and no database.
            assert control.simulated is None
            assert app.store is None
            # p lists the bridge's people, by name.
            await pilot.press("p")
            await pilot.pause()
            people = app.screen.query_one("#people-list", OptionList)
            names = [str(people.get_option_at_index(i).prompt) for i in range(people.option_count)]
            assert names == ["Ann", "Bo  (in the chair)"]
            assert people.highlighted == 1  # the person in the chair
            await pilot.press("up", "enter")
            await pilot.pause()
            assert app.bridge_person == "Ann"
            assert isinstance(app.screen, LibraryScreen)
        assert at_rest(running.chair)


async def test_a_start_runs_on_the_bridge_the_screen_follows_and_escape_releases_the_chair(
    broker: Broker, tmp_path: Path
) -> None:
    home = saved(tmp_path / "home", ANN)
    async with running_bridge(broker, home, PREFIX) as running:
        app = bridged_app(broker)
        async with app.run_test(size=SIZE) as pilot:
            control = await attached(app, pilot)
            assert app.bridge_person == "Ann"  # the bridge's only person
            await start_from_the_library(app, pilot, PROGRAM)
            session = app.screen
            assert isinstance(session, SessionScreen)
            await running.session_running()
            await running.until(lambda: working(running.chair))
            await running.until(lambda: running.clock.now() > 90)
            # The session screen follows the bridge's state: its step, where the chair
            # reports the rollers, the intensity and the time left.
            bridge_state = running.bridge.tracker.snapshot()
            assert bridge_state.step_name is not None
            await heard(pilot, lambda: control.state == bridge_state)
            step = shown(app, "#session-step")
            assert bridge_state.step_name in step
            assert f"intensity {bridge_state.intensity}" in step
            assert "through the bridge" in shown(app, "#session-chair")
            assert "left" in shown(app, "#session-left")
            assert control.engine is not None
            assert control.engine.started
            assert running.bridge.tracker.snapshot().profile == "Ann"

            # Escape: a stop command at once, "Stopping…" until the bridge's chair confirmed.
            heard_before = running.bridge.commands_heard
            await pilot.press("escape")
            assert control.stop_state is StopState.STOPPING
            await running.heard(heard_before + 1)
            assert control.stop_state is StopState.STOPPING
            assert SAFE not in shown(app, "#session-stop")
            await running.until(lambda: running.bridge.control.engine is None)
            assert at_rest(running.chair)
            await heard(pilot, lambda: control.stop_state is StopState.STOPPED)
            assert shown(app, "#session-stop") == SAFE
            await heard(pilot, lambda: session.ended is not None)
            assert "Stopped" in shown(app, "#session-summary")
            assert "Stopped · the chair is safe" in said(app)


async def test_a_refused_start_shows_the_bridges_words_and_moves_nothing(
    broker: Broker, tmp_path: Path
) -> None:
    home = saved(tmp_path / "home", BO)  # Bo does not allow a start from the home network
    async with running_bridge(broker, home, PREFIX) as running:
        app = bridged_app(broker)
        async with app.run_test(size=SIZE) as pilot:
            await attached(app, pilot)
            library = app.library
            assert library is not None
            options = library.query_one("#library-list", OptionList)
            options.highlighted = options.get_option_index(PROGRAM)
            await pilot.press("enter")
            await pilot.press("enter")  # the safety notice, read
            await pilot.pause()
            assert isinstance(app.screen, PersonaliseScreen)
            personalise_said = shown(app, "#personalise-bridged")
            await pilot.press("enter")
            await heard(pilot, lambda: not isinstance(app.screen, SessionScreen))
            assert "keeps Bo's health answers and limits" in personalise_said
            # In the bridge's words, which are the app's, as the start's own answer: and back
            # where it was started from.
            not_started = [
                " ".join(n.message.split())
                for n in app._notifications
                if n.title == "The session did not start"
            ]
            assert not_started == [
                "the profile 'Bo' does not allow a start from the home network; allow it with "
                "chairctl profiles edit Bo --remote-start, or in the app's profile form"
            ]
            await heard(pilot, lambda: not isinstance(app.screen, SessionScreen))
            assert not app.control.running
            assert running.bridge.control.engine is None
            await running.until(lambda: running.clock.now() > 5)
            assert at_rest(running.chair)


async def test_a_broker_gone_is_said_and_never_taken_for_a_stopped_chair(
    broker: Broker, tmp_path: Path
) -> None:
    home = saved(tmp_path / "home", ANN)
    async with running_bridge(broker, home, PREFIX) as running:
        app = bridged_app(broker)
        async with app.run_test(size=SIZE) as pilot:
            control = await attached(app, pilot)
            await start_from_the_library(app, pilot, PROGRAM)
            await running.session_running()
            await running.until(lambda: working(running.chair))
            await heard(pilot, lambda: control.engine is not None and control.engine.started)

            broker.stop()
            await heard(pilot, lambda: control.trouble is not None)
            assert "cannot be heard" in shown(app, "#session-chair")
            assert "not known here" in shown(app, "#session-chair")
            assert control.link_state.value == "disconnected"
            # Escape: "Stopping…", and nothing claims the chair stopped while no word can come.
            await pilot.press("escape")
            await pilot.pause()
            assert control.stop_state is StopState.STOPPING
            assert shown(app, "#session-stop") == STOP_WORDS[StopState.STOPPING]
            assert "cannot be heard" in app.sub_title
            await running.until(lambda: running.clock.now() > 60)
            assert working(running.chair)  # the bridge's session goes on by its own rules
            await pilot.pause()
            assert control.stop_state is StopState.STOPPING
            assert SAFE not in shown(app, "#session-stop")
            assert SAFE not in app.sub_title
            assert SAFE not in said(app)

            # The broker back: once the bridge is heard again, the stop owed goes out, and the
            # chair's release is confirmed.
            before = running.bridge.commands_heard
            broker.start()
            await running.heard(before + 1)
            await running.until(lambda: running.bridge.control.engine is None)
            assert at_rest(running.chair)
            await heard(pilot, lambda: control.stop_state is StopState.STOPPED)
            assert shown(app, "#session-stop") == SAFE


async def test_quitting_leaves_the_session_with_the_bridge(broker: Broker, tmp_path: Path) -> None:
    home = saved(tmp_path / "home", ANN)
    async with running_bridge(broker, home, PREFIX) as running:
        app = bridged_app(broker)
        async with app.run_test(size=SIZE) as pilot:
            control = await attached(app, pilot)
            await start_from_the_library(app, pilot, PROGRAM)
            await running.session_running()
            await heard(pilot, lambda: control.running and control.engine is not None)
            heard_before = running.bridge.commands_heard
            await pilot.press("q")
            await pilot.pause()
            assert isinstance(app.screen, ConfirmScreen)  # asked first, in these words
            assert "leave it running with the bridge" in shown(app, "#confirm-question")
            await pilot.press("y")
            await pilot.pause()
        assert app.return_code == 0
        later = running.clock.now() + 30
        await running.until(lambda: running.clock.now() >= later)
        assert working(running.chair)
        assert running.bridge.commands_heard == heard_before  # no stop was sent
        assert running.bridge.control.engine is not None


async def test_the_bridges_lost_chair_link_is_shown_and_f_lets_the_next_session_start(
    broker: Broker, tmp_path: Path
) -> None:
    home = saved(tmp_path / "home", ANN)
    async with running_bridge(broker, home, PREFIX) as running:
        app = bridged_app(broker)
        async with app.run_test(size=SIZE) as pilot:
            control = await attached(app, pilot)
            await start_from_the_library(app, pilot, PROGRAM)
            session = app.screen
            assert isinstance(session, SessionScreen)
            await running.session_running()
            running.chair.inject(LinkDrop())
            chair = running.bridge.control
            await running.until(
                lambda: chair.engine is None and chair.link_state is LinkState.CONNECTED
            )
            assert at_rest(running.chair)
            await heard(pilot, lambda: session.ended is not None and control.fault is not None)
            line = shown(app, "#session-chair")
            assert "The bridge lost its link to the chair" in line
            assert "it stopped the chair when the chair answered again" in line
            assert "press f to clear the fault" in line
            # f: the person's word to the bridge that the next session may start.
            await pilot.press("f")
            await heard(pilot, lambda: control.fault is None and control.state is not None)
            assert control.state is not None
            assert control.state.link == "connected"
            assert "The chair reported" not in shown(app, "#session-chair")
            assert at_rest(running.chair)
