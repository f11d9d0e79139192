"""Who is in the chair, asked before every session: the personalise screen names the person
(Enter starts for them), ``w`` chooses someone else, ``g`` seats a guest with a guest's limits;
the session screen says whose session it is; a guest reads the safety notice before each of
their sessions, and nothing they acknowledged is kept."""

from __future__ import annotations

from pathlib import Path

from chairctl.clock import VirtualClock
from chairctl.safety.profile import Condition, HealthScreening, Profile
from chairctl.store import Store, database_path
from chairctl.tui.app import ChairctlApp
from chairctl.tui.screens.library import LibraryScreen
from chairctl.tui.screens.personalise import PersonaliseScreen
from chairctl.tui.screens.profiles import ProfilesScreen
from chairctl.tui.screens.safety_notice import NOTICE, SafetyNoticeScreen
from chairctl.tui.screens.session import SessionScreen
from tests.tui.apphelpers import ADULT, SIZE, advance, make_app, opened, saved_profile


def shown(app: ChairctlApp, selector: str) -> str:
    return str(app.screen.query_one(selector).render())


async def test_the_person_is_named_before_each_session_and_on_the_session_screen(
    tmp_path: Path,
) -> None:
    async with opened(tmp_path) as (app, pilot, clock):
        await pilot.press("enter")
        assert isinstance(app.screen, PersonaliseScreen)
        assert "Who is in the chair? Ann (Enter starts for them)" in shown(app, "#personalise-who")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen)
        assert shown(app, "#session-person") == "For Ann"
        await advance(pilot, clock, 20)
        await pilot.press("escape")
        await advance(pilot, clock, 10)


async def test_g_seats_a_guest_who_reads_the_notice_before_every_session(
    tmp_path: Path,
) -> None:
    async with opened(tmp_path) as (app, pilot, clock):
        for _ in range(2):
            await pilot.press("enter")
            assert isinstance(app.screen, PersonaliseScreen)
            await pilot.press("g")
            await pilot.pause()
            # Anyone may be the guest: the notice first, every time.
            assert isinstance(app.screen, SafetyNoticeScreen)
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, PersonaliseScreen)
            assert "Who is in the chair? Guest" in shown(app, "#personalise-who")
            assert app.profile is not None
            assert app.profile.name == "Guest"
            assert app.screening is not None
            caps = app.screening.caps
            assert caps.max_intensity <= 2
            assert not caps.percussion_allowed
            assert not caps.heat_allowed
            assert not caps.recline_allowed
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, SessionScreen)
            assert shown(app, "#session-person") == "For Guest"
            await advance(pilot, clock, 20)
            await pilot.press("escape")
            await advance(pilot, clock, 10)
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, LibraryScreen)
            # The next session could be anyone's: Ann must be chosen again (w), the guest
            # stays in the chair until then, and reads the notice again.
            app.use_profile(ADULT)
    with Store.open(database_path(tmp_path)) as store:
        assert "Guest" not in store.profile_names()


async def test_w_chooses_someone_else_who_reads_the_notice_first(tmp_path: Path) -> None:
    saved_profile(tmp_path, ADULT)
    saved_profile(tmp_path, Profile(name="Bo", health=HealthScreening(age=80)), acknowledged=False)
    clock = VirtualClock()
    app = make_app(tmp_path, clock, profile_name="Ann")
    async with app.run_test(size=SIZE) as pilot:
        await advance(pilot, clock, 1)
        await pilot.press("enter")
        assert "Who is in the chair? Ann" in shown(app, "#personalise-who")
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, ProfilesScreen)
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, SafetyNoticeScreen)  # Bo has not read it
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PersonaliseScreen)
        assert "Who is in the chair? Bo" in shown(app, "#personalise-who")
        assert app.screening is not None
        assert app.screening.caps.max_intensity <= 2  # Bo is 80
    with Store.open(database_path(tmp_path)) as store:
        assert store.acknowledged("Bo", NOTICE) is not None


async def test_a_saved_guest_profile_is_still_anyone(tmp_path: Path) -> None:
    # The first-run form makes a profile called Guest: whoever sits down reads the notice.
    saved_profile(tmp_path, Profile(name="Guest", health=HealthScreening()))
    clock = VirtualClock()
    app = make_app(tmp_path, clock, profile_name="Guest")
    async with app.run_test(size=SIZE) as pilot:
        await advance(pilot, clock, 1)
        if isinstance(app.screen, SafetyNoticeScreen):
            await pilot.press("enter")
            await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)
        # Read at the start: it counts for the first session only.
        await pilot.press("enter")
        assert isinstance(app.screen, PersonaliseScreen)
        await pilot.press("enter")
        await advance(pilot, clock, 20)
        await pilot.press("escape")
        await advance(pilot, clock, 10)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SafetyNoticeScreen)


async def test_someone_else_never_gets_a_program_their_answers_rule_out(tmp_path: Path) -> None:
    # Ann chose the legs program; Bo, who sits down instead, has varicose veins (cleared for
    # massage in general): the program is not for him, whatever was chosen before he sat.
    bo = Profile(
        name="Bo",
        health=HealthScreening(
            age=40,
            first_use=False,
            conditions=frozenset({Condition.VARICOSE_VEINS}),
            clinician_cleared=frozenset({Condition.VARICOSE_VEINS}),
        ),
    )
    saved_profile(tmp_path, ADULT)
    saved_profile(tmp_path, bo)
    clock = VirtualClock()
    app = make_app(tmp_path, clock, profile_name="Ann")
    async with app.run_test(size=SIZE) as pilot:
        await advance(pilot, clock, 1)
        assert app.programs is not None
        legs = next(program for program in app.programs if program.id == "legs-and-circulation")
        app.post_message(LibraryScreen.Chosen(legs))
        await pilot.pause()
        assert isinstance(app.screen, PersonaliseScreen)
        await pilot.press("w")
        await pilot.pause()
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.profile is not None
        assert app.profile.name == "Bo"
        assert not isinstance(app.screen, PersonaliseScreen | SessionScreen)
        assert not app.control.running
        # Nor can anything start it for him directly.
        app.start_session(legs)
        await pilot.pause()
        assert not app.control.running
        assert not isinstance(app.screen, SessionScreen)
