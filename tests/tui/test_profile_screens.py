"""The profile form and the Profiles screen, driven through a real Textual app and a real
SQLite store: the Guest on Enter, the health answers and their live screening, validation,
editing, and listing, adding, removing and choosing stored profiles."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.binding import Binding
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Checkbox, DataTable, Input, RadioSet, Select, Static, Switch

from chairctl.safety.profile import Condition, HealthScreening, Profile
from chairctl.store import Store
from chairctl.tui.screens.history import HistoryScreen
from chairctl.tui.screens.profile_form import ProfileFormScreen, ScreeningView
from chairctl.tui.screens.profiles import ConfirmScreen, ProfilesScreen
from chairctl.vocabulary import Region

REPO = Path(__file__).resolve().parents[2]
PEOPLE_CSS = REPO / "chairctl" / "tui" / "app.tcss"
SIZE = (140, 60)


class Host(App[None]):
    """Pushes one screen and keeps what it dismisses with."""

    CSS_PATH = PEOPLE_CSS

    def __init__(self, make: Callable[[], Screen[Any]]) -> None:
        super().__init__()
        self._make = make
        self.results: list[Any] = []

    def on_mount(self) -> None:
        self.push_screen(self._make(), self.results.append)


def text_of(widget: Static) -> str:
    return str(widget.render())


async def type_into(pilot: Pilot[None], selector: str, text: str) -> None:
    field = pilot.app.screen.query_one(selector, Input)
    field.focus()
    field.value = ""
    await pilot.press(*text)


async def tick(pilot: Pilot[None], selector: str) -> None:
    box = pilot.app.screen.query_one(selector, Checkbox)
    box.focus()
    await pilot.press("space")
    await pilot.pause()


async def click(pilot: Pilot[None], selector: str) -> None:
    """Click a widget of the form, scrolled into view first, as a person would."""
    pilot.app.screen.query_one(selector).scroll_visible(animate=False)
    await pilot.pause()
    await pilot.click(selector)
    await pilot.pause()


def meaning(pilot: Pilot[None], selector: str = "#meaning") -> tuple[str, str, str]:
    view = pilot.app.screen.query_one(selector, ScreeningView)
    return (
        text_of(view.query_one(".verdict", Static)),
        text_of(view.query_one(".reasons", Static)),
        text_of(view.query_one(".notices", Static)),
    )


# -- the form -------------------------------------------------------------------------------


async def test_enter_on_the_untouched_form_gives_a_guest() -> None:
    app = Host(ProfileFormScreen)
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.focused, Input)
        assert app.focused.id == "name"
        verdict, _, notices = meaning(pilot)
        assert verdict.startswith("Allowed")
        assert "first use" in notices.lower()
        await pilot.press("enter")
        await pilot.pause()
    assert app.results == [Profile(name="Guest", health=HealthScreening())]
    (guest,) = app.results
    assert guest.health.age is None
    assert guest.health.conditions == frozenset()
    assert guest.health.first_use is True


async def test_name_age_and_a_caution_are_saved() -> None:
    app = Host(ProfileFormScreen)
    async with app.run_test(size=SIZE) as pilot:
        await type_into(pilot, "#name", "Ada")
        await type_into(pilot, "#age", "68")
        await tick(pilot, "#cond-spinal-osteoarthritis")
        verdict, reasons, notices = meaning(pilot)
        assert verdict.startswith("Allowed, with these limits: intensity at most 2")
        assert "no tapping or knocking" in verdict
        assert "osteoarthritis" in notices
        assert reasons == ""
        await click(pilot, "#save")
    (profile,) = app.results
    assert profile.name == "Ada"
    assert profile.health.age == 68
    assert profile.health.conditions == {Condition.SPINAL_OSTEOARTHRITIS}
    assert profile.health.first_use is True


async def test_a_block_tier_condition_shows_the_refusal_live() -> None:
    app = Host(ProfileFormScreen)
    async with app.run_test(size=SIZE) as pilot:
        await tick(pilot, "#cond-vertebral-fracture")
        verdict, reasons, _ = meaning(pilot)
        assert verdict.startswith("Refused")
        assert "A fracture of the spine can be made worse" in reasons
        refused = app.screen.query_one("#meaning .verdict", Static)
        assert refused.has_class("-refused")
        # Unticking it takes the refusal away again.
        await tick(pilot, "#cond-vertebral-fracture")
        verdict, reasons, _ = meaning(pilot)
        assert verdict.startswith("Allowed")
        assert reasons == ""


async def test_a_local_condition_with_a_region_gives_its_site() -> None:
    app = Host(ProfileFormScreen)
    async with app.run_test(size=SIZE) as pilot:
        follow_up = app.screen.query_one("#follow-acute-strain")
        assert not follow_up.display
        await tick(pilot, "#cond-acute-strain")
        assert follow_up.display
        # No part ticked: the whole back, refused.
        assert meaning(pilot)[0].startswith("Refused")
        await tick(pilot, "#where-acute-strain-lower_back")
        verdict, _, notices = meaning(pilot)
        assert verdict.startswith("Allowed")
        assert "keep off lower back" in verdict
        assert "strain" in notices
        await type_into(pilot, "#name", "Bea")
        await pilot.press("enter")
        await pilot.pause()
    (profile,) = app.results
    assert profile.health.conditions == {Condition.ACUTE_STRAIN}
    assert profile.health.affected_regions == {
        Condition.ACUTE_STRAIN: frozenset({Region.LOWER_BACK})
    }


async def test_a_clinician_tier_condition_with_clearance_is_cleared() -> None:
    app = Host(ProfileFormScreen)
    async with app.run_test(size=SIZE) as pilot:
        await tick(pilot, "#cond-osteoporosis")
        assert app.screen.query_one("#follow-osteoporosis").display
        verdict, reasons, _ = meaning(pilot)
        assert verdict.startswith("Refused")
        assert "osteoporosis" in reasons
        await tick(pilot, "#cleared-osteoporosis")
        verdict, _, notices = meaning(pilot)
        assert verdict.startswith("Allowed, with these limits: intensity at most 1")
        assert notices.startswith("• Cleared by your clinician")
        await type_into(pilot, "#name", "Cy")
        await pilot.press("enter")
        await pilot.pause()
    (profile,) = app.results
    assert profile.health.conditions == {Condition.OSTEOPOROSIS}
    assert profile.health.clinician_cleared == {Condition.OSTEOPOROSIS}


async def test_a_taken_name_is_refused_with_a_message_and_no_dismiss() -> None:
    app = Host(lambda: ProfileFormScreen(taken_names=["Ada", "Guest"]))
    async with app.run_test(size=SIZE) as pilot:
        error = app.screen.query_one("#name-error", Static)
        assert not error.display
        await type_into(pilot, "#name", "ada")
        await pilot.press("enter")
        await pilot.pause()
        assert app.results == []
        assert isinstance(app.screen, ProfileFormScreen)
        assert error.display
        assert text_of(error) == "A profile named 'ada' exists already; choose another name."
        # An empty name would be the Guest, also taken.
        await type_into(pilot, "#name", "")
        await pilot.press("enter")
        await pilot.pause()
        assert "'Guest' exists already" in text_of(error)
        # Typing clears the message; a free name saves.
        await type_into(pilot, "#name", "Dee")
        assert not error.display
        await pilot.press("enter")
        await pilot.pause()
    assert [p.name for p in app.results] == ["Dee"]


async def test_an_impossible_age_is_refused_with_a_message() -> None:
    app = Host(ProfileFormScreen)
    async with app.run_test(size=SIZE) as pilot:
        await type_into(pilot, "#age", "200")
        await pilot.press("enter")
        await pilot.pause()
        assert app.results == []
        error = app.screen.query_one("#age-error", Static)
        assert error.display
        assert text_of(error) == "Age must be a whole number from 0 to 130, or left blank."
        assert app.focused is app.screen.query_one("#age")
        assert meaning(pilot)[0] == "Nothing to show until the answers are fixed."
        await type_into(pilot, "#age", "9")
        assert not error.display
        verdict, reasons, _ = meaning(pilot)
        assert verdict.startswith("Refused")
        assert "children under 12" in reasons


EVERYTHING = Profile(
    name="Eve",
    shoulder_position=12.5,
    intensity_offset=-1,
    max_intensity=4,
    focus_region=Region.NECK,
    skip_regions=frozenset({Region.SHOULDERS}),
    heat_allowed=False,
    preferred_minutes=20,
    health=HealthScreening(
        age=70,
        conditions=frozenset(
            {
                Condition.ACUTE_STRAIN,
                Condition.SKIN_INFECTION_AT_SITE,
                Condition.OSTEOPOROSIS,
                Condition.HEART_DISEASE,
                Condition.DIABETES,
            }
        ),
        first_use=False,
        clinician_cleared=frozenset({Condition.OSTEOPOROSIS}),
        affected_regions={
            Condition.ACUTE_STRAIN: frozenset({Region.LOWER_BACK, Region.MID_BACK}),
        },
    ),
)


async def test_editing_prefills_every_answer() -> None:
    app = Host(lambda: ProfileFormScreen(EVERYTHING, taken_names=["Eve", "Ada"]))
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert screen.query_one("#name", Input).value == "Eve"
        assert screen.query_one("#age", Input).value == "70"
        ticked = {box.id for box in screen.query(Checkbox) if box.value}
        assert ticked == {
            "cond-acute-strain",
            "where-acute-strain-lower_back",
            "where-acute-strain-mid_back",
            "cond-skin-infection-at-site",
            "cond-osteoporosis",
            "cleared-osteoporosis",
            "cond-heart-disease",
            "cond-diabetes",
            "skip-shoulders",
        }
        assert screen.query_one("#follow-heart-disease").display
        assert not screen.query_one("#follow-pregnancy").display
        assert screen.query_one("#offset", RadioSet).pressed_index == 1
        assert screen.query_one("#max-intensity", Select).value == 4
        assert screen.query_one("#focus", Select).value == "neck"
        assert screen.query_one("#minutes", Select).value == 20
        assert screen.query_one("#heat", Switch).value is False
        # Heart disease is not cleared and the infection has no site: refused for both.
        verdict, reasons, _ = meaning(pilot)
        assert verdict.startswith("Refused")
        assert "heart" in reasons
        assert "Infected or inflamed skin" in reasons
        # Saving the untouched form gives back exactly the profile, name included.
        await pilot.press("enter")
        await pilot.pause()
    assert app.results == [EVERYTHING]


async def test_editing_may_change_an_answer_and_keep_the_rest() -> None:
    app = Host(lambda: ProfileFormScreen(EVERYTHING))
    async with app.run_test(size=SIZE) as pilot:
        await tick(pilot, "#cond-diabetes")
        await type_into(pilot, "#age", "71")
        await pilot.press("enter")
        await pilot.pause()
    (profile,) = app.results
    assert profile.health.age == 71
    assert Condition.DIABETES not in profile.health.conditions
    assert profile.shoulder_position == 12.5
    assert profile.model_dump(exclude={"health"}) == EVERYTHING.model_dump(exclude={"health"})


async def test_cancel_dismisses_none() -> None:
    app = Host(ProfileFormScreen)
    async with app.run_test(size=SIZE) as pilot:
        await type_into(pilot, "#name", "Ada")
        await click(pilot, "#cancel")
    assert app.results == [None]


async def test_ctrl_g_cancels_too() -> None:
    app = Host(ProfileFormScreen)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+g")
        await pilot.pause()
    assert app.results == [None]


@pytest.mark.parametrize(
    "screen_type", [ProfileFormScreen, ProfilesScreen, ConfirmScreen, HistoryScreen]
)
def test_no_screen_takes_the_apps_keys(screen_type: type[Screen[Any]]) -> None:
    keys = {
        key.strip()
        for binding in screen_type.BINDINGS
        for key in (binding.key if isinstance(binding, Binding) else binding[0]).split(",")
    }
    assert not keys & {"escape", "x", "q", "ctrl+c"}


# -- the Profiles screen --------------------------------------------------------------------


def table_rows(app: App[None]) -> dict[str, list[str]]:
    table: DataTable[Any] = app.screen.query_one("#profiles-table", DataTable)
    return {
        str(row.key.value): [str(cell) for cell in table.get_row(row.key)]
        for row in table.ordered_rows
    }


def ada() -> Profile:
    return Profile(name="Ada", health=HealthScreening(age=40, first_use=False))


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "chairctl.db") as opened:
        yield opened


async def test_the_profiles_are_listed_with_their_screening(store: Store) -> None:
    store.put_profile("Ada", ada().model_dump_json())
    fracture = HealthScreening(age=50, conditions=frozenset({Condition.VERTEBRAL_FRACTURE}))
    store.put_profile("Bo", Profile(name="Bo", health=fracture).model_dump_json())
    store.put_profile("Guest", Profile(name="Guest", health=HealthScreening()).model_dump_json())
    app = Host(lambda: ProfilesScreen(store, active="Guest"))
    async with app.run_test(size=SIZE) as pilot:
        assert table_rows(app) == {
            "Ada": ["", "Ada", "40", "yes", "none"],
            "Bo": ["", "Bo", "50", "refused", "—"],
            # A Guest has the strictest caps (issue 16), never intensity 3.
            "Guest": [
                "●",
                "Guest",
                "—",
                "yes",
                "intensity ≤ 2, no percussion, no heat, no stretch, no recline, airbags ≤ 1, "
                "≤ 10 min",
            ],
        }
        assert text_of(app.screen.query_one("#profiles-detail-title", Static)) == "Ada"
        assert meaning(pilot, "#profiles-screening")[0] == "Allowed, with no limits."
        await pilot.press("down")
        verdict, reasons, _ = meaning(pilot, "#profiles-screening")
        assert verdict.startswith("Refused")
        assert "fracture of the spine" in reasons


async def test_new_saves_the_form_into_the_store(store: Store) -> None:
    store.put_profile("Ada", ada().model_dump_json())
    app = Host(lambda: ProfilesScreen(store))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, ProfileFormScreen)
        # The form knows the stored names.
        await type_into(pilot, "#name", "Ada")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ProfileFormScreen)
        await type_into(pilot, "#name", "Bea")
        await type_into(pilot, "#age", "33")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ProfilesScreen)
        assert list(table_rows(app)) == ["Ada", "Bea"]
        # The cursor is on the new profile.
        assert text_of(app.screen.query_one("#profiles-detail-title", Static)) == "Bea"
    document = store.get_profile("Bea")
    assert document is not None
    assert Profile.model_validate_json(document).health.age == 33
    assert app.results == []


async def test_edit_replaces_the_stored_profile(store: Store) -> None:
    store.put_profile("Ada", ada().model_dump_json())
    app = Host(lambda: ProfilesScreen(store))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        await pilot.pause()
        assert app.screen.query_one("#age", Input).value == "40"
        await type_into(pilot, "#age", "41")
        await pilot.press("enter")
        await pilot.pause()
        assert table_rows(app)["Ada"][2] == "41"
    assert store.profile_names() == ["Ada"]
    document = store.get_profile("Ada")
    assert document is not None
    assert Profile.model_validate_json(document).health.age == 41


async def test_delete_asks_and_y_removes(store: Store) -> None:
    store.put_profile("Ada", ada().model_dump_json())
    store.put_profile("Bo", Profile(name="Bo", health=HealthScreening()).model_dump_json())
    app = Host(lambda: ProfilesScreen(store))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert store.profile_names() == ["Ada", "Bo"]
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, ProfilesScreen)
        assert list(table_rows(app)) == ["Bo"]
    assert store.profile_names() == ["Bo"]
    assert app.results == []


async def test_enter_chooses_the_highlighted_profile(store: Store) -> None:
    store.put_profile("Ada", ada().model_dump_json())
    store.put_profile("Bo", Profile(name="Bo", health=HealthScreening()).model_dump_json())
    app = Host(lambda: ProfilesScreen(store))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down", "enter")
        await pilot.pause()
    assert app.results == ["Bo"]


async def test_b_goes_back_without_a_choice(store: Store) -> None:
    app = Host(lambda: ProfilesScreen(store))
    async with app.run_test(size=SIZE) as pilot:
        assert app.screen.query_one("#profiles-empty").display
        await pilot.press("b")
        await pilot.pause()
    assert app.results == [None]


async def test_an_invalid_stored_profile_is_listed_as_invalid(store: Store) -> None:
    store.put_profile("Ada", ada().model_dump_json())
    store.put_profile("Bad", '{"name": "Bad"}')  # JSON, but no health answers
    app = Host(lambda: ProfilesScreen(store))
    async with app.run_test(size=SIZE) as pilot:
        assert table_rows(app)["Bad"] == ["", "Bad", "", "invalid", "edit or delete it"]
        await pilot.press("down")
        verdict, reasons, _ = meaning(pilot, "#profiles-screening")
        assert verdict == "This profile cannot be used."
        assert "not valid any more (1 problem)" in reasons
        # It cannot be chosen...
        await pilot.press("enter")
        await pilot.pause()
        assert app.results == []
        assert isinstance(app.screen, ProfilesScreen)
        # ...but it can be answered afresh under its own name.
        await pilot.press("e")
        await pilot.pause()
        assert app.screen.query_one("#name", Input).value == "Bad"
        await pilot.press("enter")
        await pilot.pause()
        assert table_rows(app)["Bad"][3] == "yes"
    document = store.get_profile("Bad")
    assert document is not None
    assert Profile.model_validate_json(document).name == "Bad"


async def test_renaming_moves_the_profile_and_a_theme_change_keeps_the_table(
    store: Store,
) -> None:
    store.put_profile("Ada", ada().model_dump_json())
    app = Host(lambda: ProfilesScreen(store, active="Ada"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        await pilot.pause()
        await type_into(pilot, "#name", "Ada L")
        await pilot.press("enter")
        await pilot.pause()
        assert table_rows(app) == {"Ada L": ["●", "Ada L", "40", "yes", "none"]}
        app.theme = "textual-light"
        await pilot.pause()
        assert list(table_rows(app)) == ["Ada L"]
        await pilot.press("enter")
        await pilot.pause()
    assert store.profile_names() == ["Ada L"]
    assert app.results == ["Ada L"]
