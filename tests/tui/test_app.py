"""The whole app under Pilot, on a VirtualClock, with the real session and the simulated chair:
first run, starting a program with Enter, watching it, and stopping it with Escape from any
screen and modal."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

from textual.widgets import Input, Select, Switch

from chairctl.clock import VirtualClock
from chairctl.engine import Finished, Outcome, SessionStarted
from chairctl.program import load_program
from chairctl.safety.profile import Condition, HealthScreening, Profile
from chairctl.services.chairs import parse_chair
from chairctl.services.session import ChairControl, StopState
from chairctl.store import Store, database_path
from chairctl.tui.screens.connect import ConnectScreen
from chairctl.tui.screens.history import HistoryScreen
from chairctl.tui.screens.library import LibraryScreen
from chairctl.tui.screens.personalise import PersonaliseScreen
from chairctl.tui.screens.profile_form import ProfileFormScreen
from chairctl.tui.screens.profiles import ConfirmScreen, ProfilesScreen
from chairctl.tui.screens.safety_notice import NOTICE, SafetyNoticeScreen
from chairctl.tui.screens.session import COMPANION, SessionScreen
from chairctl.tui.widgets.body_figure import BodyFigure
from chairctl.vocabulary import Posture
from drivers.session import LinkState
from simulator.faults import LinkDrop, Overload
from simulator.rongtai.chair import RongtaiChair
from tests.conftest import PROGRAMS
from tests.tui.apphelpers import (
    ADULT,
    SIZE,
    Running,
    advance,
    chair_is_safe,
    make_app,
    opened,
    saved_profile,
    simulated,
    stop_state,
)


@contextlib.asynccontextmanager
async def running(home: Path, seconds: float = 70) -> AsyncIterator[Running]:
    """Ann's app, with the highlighted program started (Enter, Enter) ``seconds`` ago."""
    async with opened(home) as (app, pilot, clock):
        await pilot.press("enter", "enter")
        await advance(pilot, clock, seconds)
        yield app, pilot, clock


async def test_first_run_notice_then_guest_then_a_program_runs_and_escape_stops_it(
    tmp_path: Path,
) -> None:
    clock = VirtualClock()
    app = make_app(tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await advance(pilot, clock, 1)
        assert app.sub_title == "Simulated chair · Rongtai RT8600S"
        assert app.control.link_state is LinkState.CONNECTED
        # First run: the safety notice, acknowledged with Enter, then the profile form, where
        # Enter continues as a guest.
        assert isinstance(app.screen, SafetyNoticeScreen)
        await pilot.press("enter")
        assert isinstance(app.screen, ProfileFormScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)
        assert app.profile is not None
        assert app.profile.name == "Guest"
        with Store.open(database_path(tmp_path)) as store:
            assert store.profile_names() == ["Guest"]
            # A guest may be anyone: what they acknowledged counts for this sitting only.
            assert store.acknowledged("Guest", NOTICE) is None
        # Enter opens Personalise for the highlighted program, and Enter there starts it.
        chosen = app.screen.highlighted_program
        assert chosen is not None
        await pilot.press("enter")
        assert isinstance(app.screen, PersonaliseScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
        assert app.control.running
        await advance(pilot, clock, 70)
        assert simulated(app).state().roller_technique is not None
        # Escape: "Stopping…" at once, "Stopped" once the chair confirms its safe state.
        await pilot.press("escape")
        assert app.control.stop_state is StopState.STOPPING
        assert app.sub_title.endswith("Stopping…")
        await advance(pilot, clock, 10)
        assert stop_state(app) is StopState.STOPPED
        assert app.sub_title.endswith("Stopped · the chair is safe")
        assert chair_is_safe(app)
        session = app.screen
        assert isinstance(session, SessionScreen)
        assert session.ended is not None
        summary = str(session.query_one("#session-summary").render())
        assert "Stopped" in summary
        assert "Minutes per region" in summary
        assert COMPANION.split(":")[0] in summary
        # Enter goes back to the library; the session is in the history.
        await pilot.press("enter")
        assert isinstance(app.screen, LibraryScreen)
    with Store.open(database_path(tmp_path)) as store:
        record = store.history()[0]
        assert record.program_id == chosen.id
        assert record.profile_name == "Guest"
        assert record.outcome is Outcome.STOPPED


async def test_escape_from_a_modal_still_stops_the_chair(tmp_path: Path) -> None:
    async with opened(tmp_path) as (app, pilot, clock):
        assert app.profile == ADULT
        assert isinstance(app.screen, LibraryScreen)
        await pilot.press("enter", "enter")
        await advance(pilot, clock, 70)
        assert simulated(app).state().roller_technique is not None
        # A modal over the session: the command palette.
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert app.screen.is_modal
        await pilot.press("escape")
        assert app.control.stop_state is StopState.STOPPING
        await advance(pilot, clock, 10)
        assert stop_state(app) is StopState.STOPPED
        assert chair_is_safe(app)
        assert not app.control.running


async def test_x_stops_too_but_is_typed_in_a_text_field(tmp_path: Path) -> None:
    async with opened(tmp_path) as (app, pilot, clock):
        library = app.screen
        assert isinstance(library, LibraryScreen)
        # Nothing to stop: x in the filter is a letter.
        await pilot.press("slash", "x")
        assert library.query_one("#library-filter", Input).value == "x"
        await pilot.press("backspace")
        await pilot.press("enter", "enter")
        await advance(pilot, clock, 70)
        await pilot.press("x")
        assert app.control.stop_state is StopState.STOPPING
        await advance(pilot, clock, 10)
        assert chair_is_safe(app)


async def test_space_pauses_and_plus_makes_it_stronger(tmp_path: Path) -> None:
    async with running(tmp_path, 90) as (app, pilot, clock):
        engine = app.control.engine
        assert engine is not None
        assert not engine.preparing
        await pilot.press("plus")
        await advance(pilot, clock, 1)
        assert engine.intensity_offset == 1
        await pilot.press("minus", "minus")
        await advance(pilot, clock, 1)
        assert engine.intensity_offset == -1
        await pilot.press("space")
        await advance(pilot, clock, 10)
        assert engine.paused
        assert chair_is_safe(app)
        held = engine.elapsed()
        await advance(pilot, clock, 30)
        assert engine.elapsed() == held
        await pilot.press("space")
        await advance(pilot, clock, 30)
        assert not engine.paused
        assert engine.elapsed() > held
        await pilot.press("escape")
        await advance(pilot, clock, 10)
        assert chair_is_safe(app)


async def test_the_anion_switched_on_at_the_remote_is_shown(tmp_path: Path) -> None:
    # Real Infinity frames carry it in b3 bit 6 (hass-infinity-chair tests/test_protocol.py,
    # test_parse_ionizer); programs never switch it on, the chair's own remote can.
    async with running(tmp_path, 90) as (app, pilot, clock):
        session = app.screen
        assert isinstance(session, SessionScreen)
        assert "anion" not in str(session.query_one("#session-chair").render())
        chair = simulated(app)
        assert isinstance(chair, RongtaiChair)
        chair.press(0x38)  # the remote's anion key (RTCommand.h)
        await advance(pilot, clock, 2)
        assert "anion on" in str(session.query_one("#session-chair").render())
        await pilot.press("escape")
        await advance(pilot, clock, 10)
        assert chair_is_safe(app)


async def test_airbags_a_chair_cannot_show_reliably_are_not_drawn_as_its_word(
    tmp_path: Path,
) -> None:
    # The NCNI project no longer trusts its frame's airbag and heat bits ([21], [23]; upstream
    # bridge/state.py): the app draws neither from them, and says so.
    saved_profile(tmp_path, ADULT)
    clock = VirtualClock()
    app = make_app(tmp_path, clock, address=parse_chair("sim:ncni-chair"))
    async with app.run_test(size=SIZE) as pilot:
        await advance(pilot, clock, 1)
        app.start_session(load_program(PROGRAMS / "five-minute-reset.yaml"))
        # A second after POWER the chair's own profile A lights its airbag bits, before it
        # has inflated anything (and before the driver takes control of it).
        await advance(pilot, clock, 1.5, step=0.25)
        session = app.screen
        assert isinstance(session, SessionScreen)
        assert session.status is not None
        assert session.status.airbags_active
        assert session.status.unconfirmed == {"airbags_active", "heat"}
        chair_line = str(session.query_one("#session-chair").render())
        assert "does not show its airbags and heat reliably" in chair_line
        assert not session.query_one(BodyFigure).airbags
        await pilot.press("escape")
        await advance(pilot, clock, 30)
        assert chair_is_safe(app)


async def test_a_lost_link_says_so_and_offers_to_reconnect(tmp_path: Path) -> None:
    async with running(tmp_path, 70) as (app, pilot, clock):
        simulated(app).inject(LinkDrop())
        await advance(pilot, clock, 15)
        session = app.screen
        assert isinstance(session, SessionScreen)
        chair_line = str(session.query_one("#session-chair").render())
        assert "Connection lost · chair stopped" in chair_line
        assert chair_is_safe(app)
        assert session.ended is not None
        # r reconnects; nothing starts again by itself.
        await pilot.press("r")
        await advance(pilot, clock, 2)
        assert isinstance(app.control, ChairControl)
        assert app.control.session.interruption is None
        assert app.control.link_state is LinkState.CONNECTED
        assert not app.control.running
        assert "Connection lost" not in str(session.query_one("#session-chair").render())


async def test_a_chair_that_cannot_be_reached_again_is_not_called_stopped(
    tmp_path: Path,
) -> None:
    async with running(tmp_path, 70) as (app, pilot, clock):
        chair = simulated(app)
        chair.inject(LinkDrop())
        # Another controller takes the chair's only connection: chairctl cannot come back.
        other = chair.connect()
        await advance(pilot, clock, 120)
        said = " ".join(" ".join(n.message.split()) for n in app._notifications)
        assert "the chair could not be reached, so it may still be working" in said
        assert "own timer ends its program in about" in said
        assert "press the power key on its remote or switch it off at the wall" in said
        assert app.control.stop_state is StopState.UNCONFIRMED
        assert chair.state().roller_technique is not None  # nobody stopped it: true words
        other.close()


async def test_quitting_stops_the_chair_first(tmp_path: Path) -> None:
    async with running(tmp_path, 70) as (app, pilot, _clock):
        chair = simulated(app)
        assert chair.state().roller_technique is not None
        # q stops the chair before the app exits (on a VirtualClock, the app's shutdown runs
        # virtual time itself until the chair is released).
        await pilot.press("q")
        await pilot.pause()
        assert chair_is_safe(app)
        assert app.return_code == 0
    assert chair.state().roller_technique is None
    assert app.control.link_state is LinkState.CLOSED


async def test_a_chair_fault_shows_what_the_chair_said_and_how_to_clear_it(
    tmp_path: Path,
) -> None:
    async with running(tmp_path, 70) as (app, pilot, clock):
        simulated(app).inject(Overload())
        await advance(pilot, clock, 15)
        session = app.screen
        assert isinstance(session, SessionScreen)
        assert session.ended is not None
        chair_line = str(session.query_one("#session-chair").render())
        assert "The chair reported:" in chair_line
        assert "error code" in chair_line
        assert "press f to clear the fault" in chair_line
        assert chair_is_safe(app)
        # The fault latches: nothing starts until it is cleared, and then nothing resumes.
        assert app.control.fault is not None
        await pilot.press("f")
        await advance(pilot, clock, 10)
        assert app.control.fault is None
        assert "The chair reported:" not in str(session.query_one("#session-chair").render())
        assert not app.control.running
        assert chair_is_safe(app)


async def test_connect_profiles_history_and_the_palette_open_their_screens(
    tmp_path: Path,
) -> None:
    async with opened(tmp_path) as (app, pilot, _clock):
        for key, kind in (("c", ConnectScreen), ("p", ProfilesScreen), ("h", HistoryScreen)):
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, kind)
            await pilot.press("b")
            await pilot.pause()
            assert isinstance(app.screen, LibraryScreen)
        # The command palette offers the same actions.
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"History")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)


async def test_connecting_to_another_chair_closes_the_first(tmp_path: Path) -> None:
    async with opened(tmp_path) as (app, pilot, clock):
        first = app.control
        await pilot.press("c")
        await pilot.pause()
        # The simulated chair's button is the first choice on the Connect screen.
        await pilot.click("#sim-use")
        await advance(pilot, clock, 2)
        assert isinstance(app.screen, LibraryScreen)
        assert app.control is not first
        assert first.link_state is LinkState.CLOSED
        assert app.control.link_state is LinkState.CONNECTED
        assert app.sub_title == "Simulated chair · Rongtai RT8600S"


async def test_a_profile_chosen_on_the_profiles_screen_is_the_one_in_the_chair(
    tmp_path: Path,
) -> None:
    saved_profile(tmp_path, ADULT)
    saved_profile(tmp_path, Profile(name="Bo", health=HealthScreening(age=80)), acknowledged=False)
    clock = VirtualClock()
    app = make_app(tmp_path, clock, profile_name="Ann")
    async with app.run_test(size=SIZE) as pilot:
        await advance(pilot, clock, 1)
        assert app.profile == ADULT
        await pilot.press("p")
        await pilot.pause()
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.profile is not None
        assert app.profile.name == "Bo"
        # Bo has not read the safety notice yet.
        assert isinstance(app.screen, SafetyNoticeScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screening is not None
        assert app.screening.caps.max_intensity <= 2


async def test_personal_choices_are_remembered_per_profile_and_program(tmp_path: Path) -> None:
    async with opened(tmp_path) as (app, pilot, clock):
        library = app.screen
        assert isinstance(library, LibraryScreen)
        program = library.highlighted_program
        assert program is not None
        await pilot.press("enter")
        personalise = app.screen
        assert isinstance(personalise, PersonaliseScreen)
        personalise.query_one("#personalise-offset", Select).value = -1
        personalise.query_one("#personalise-heat", Switch).value = False
        await pilot.pause()
        await pilot.press("enter")
        await advance(pilot, clock, 40)
        await pilot.press("escape")
        await advance(pilot, clock, 10)
        await pilot.press("enter")
        # The same program again: Personalise opens with the last choices.
        await pilot.press("enter")
        again = app.screen
        assert isinstance(again, PersonaliseScreen)
        assert again.personalisation.intensity_offset == -1
        assert again.personalisation.heat_allowed is False
    with Store.open(database_path(tmp_path)) as store:
        assert store.program_preferences("Ann", program.id) is not None


FRAGILE = Profile(
    name="Flo",
    health=HealthScreening(
        age=70,
        first_use=False,
        conditions=frozenset({Condition.OSTEOPOROSIS}),
        clinician_cleared=frozenset({Condition.OSTEOPOROSIS}),
    ),
)


async def test_plus_past_the_person_s_cap_says_why_and_is_not_kept(tmp_path: Path) -> None:
    saved_profile(tmp_path, FRAGILE)
    clock = VirtualClock()
    app = make_app(tmp_path, clock, profile_name="Flo")
    async with app.run_test(size=SIZE) as pilot:
        await advance(pilot, clock, 1)
        # (Not a stretching program: those are not meant for someone with osteoporosis.)
        program = load_program(PROGRAMS / "gentle-for-older-backs.yaml")
        assert app.screening is not None
        app.start_session(program, app.screening.personalisation())
        await advance(pilot, clock, 120)
        engine = app.control.engine
        assert engine is not None
        app.clear_notifications()
        for _ in range(4):
            await pilot.press("plus")
            await advance(pilot, clock, 1)
        said = [n.message for n in app._notifications]
        assert said
        assert all("capped at 1 for you (osteoporosis)" in message for message in said)
        assert engine.intensity_offset == 0
        await pilot.press("escape")
        await advance(pilot, clock, 10)
        assert chair_is_safe(app)


async def test_a_reclining_program_asks_whether_the_space_is_clear(tmp_path: Path) -> None:
    async with opened(tmp_path) as (app, pilot, clock):
        program = load_program(PROGRAMS / "mobility-stretch.yaml")
        app.start_session(program)
        await pilot.pause()
        question = app.screen
        assert isinstance(question, ConfirmScreen)
        said = str(question.query_one("#confirm-question").render())
        assert "brings the backrest up and the leg rest down at once" in " ".join(said.split())
        await pilot.press("n")
        await advance(pilot, clock, 2)
        session = app.session_screen
        assert session is not None
        # Not confirmed: the program runs upright, and says so.
        assert all(e.setpoint.posture is Posture.UPRIGHT for e in session.plan.entries)
        assert any("no recline for you" in str(a) for a in session.plan.adjustments)
        await advance(pilot, clock, 60)
        await pilot.press("escape")
        await advance(pilot, clock, 30)
        assert chair_is_safe(app)
        assert app.control.stop_state is StopState.STOPPED


async def test_a_session_too_soon_after_the_last_is_refused_before_anything_shows(
    tmp_path: Path,
) -> None:
    saved_profile(tmp_path, ADULT)
    with Store.open(database_path(tmp_path)) as store:
        log = store.begin_session("p", "P", "Ann", "the simulated chair", 10 * 60)
        log.on_event(SessionStarted(0.0, "p", "P", 10 * 60))
        log.on_event(Finished(10 * 60, chair_safe=True))
    async with opened(tmp_path) as (app, pilot, clock):
        app.clear_notifications()
        app.start_session(load_program(PROGRAMS / "upper-back-release.yaml"))
        await advance(pilot, clock, 5)
        said = " ".join(n.message for n in app._notifications)
        assert "the body rests as long between sessions" in said
        assert isinstance(app.screen, LibraryScreen)
        assert app.control.engine is None
        assert simulated(app).state().roller_technique is None


async def test_a_session_the_chair_cannot_start_says_so_and_closes_its_screen(
    tmp_path: Path,
) -> None:
    async with opened(tmp_path) as (app, pilot, clock):
        await clock.run(app.control.close())
        app.clear_notifications()
        app.start_session(load_program(PROGRAMS / "upper-back-release.yaml"))
        await advance(pilot, clock, 5)
        said = " ".join(n.message for n in app._notifications)
        assert "not connected to the chair" in said
        assert isinstance(app.screen, LibraryScreen)
        assert app.session_screen is None


async def test_a_program_on_a_chair_with_a_fault_asks_whether_it_was_checked(
    tmp_path: Path,
) -> None:
    async with opened(tmp_path) as (app, pilot, clock):
        simulated(app).inject(Overload())
        await advance(pilot, clock, 2)
        assert app.control.fault is not None
        program = load_program(PROGRAMS / "upper-back-release.yaml")
        app.start_session(program)
        await pilot.pause()
        question = app.screen
        assert isinstance(question, ConfirmScreen)
        assert "Have you checked the chair" in str(question.query_one("#confirm-question").render())
        await pilot.press("n")
        await advance(pilot, clock, 5)
        assert app.control.engine is None
        assert simulated(app).state().roller_technique is None
        # Asked again, and this time checked: the fault is cleared and the program starts.
        app.start_session(program)
        await pilot.pause()
        await pilot.press("y")
        await advance(pilot, clock, 60)
        assert app.control.fault is None
        assert app.control.engine is not None
        await pilot.press("escape")
        await advance(pilot, clock, 30)
        assert chair_is_safe(app)
