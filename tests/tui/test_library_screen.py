"""The Library screen in a real Textual app, over the real program library and real screenings."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any, ClassVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.widget import Widget
from textual.widgets import Input, OptionList, Static

from chairctl.plan import compile_program
from chairctl.program import Category, Program, load_program
from chairctl.program.library import library_dir
from chairctl.safety.profile import Condition, HealthScreening, Profile
from chairctl.safety.screening import Screening, screen
from chairctl.tui.screens.library import (
    BLOCKED_MARK,
    CATEGORY_HEADINGS,
    LibraryScreen,
    worked_regions,
)
from chairctl.tui.widgets.body_figure import BodyFigure
from chairctl.tui.widgets.plan_timeline import PlanTimeline
from chairctl.vocabulary import FULL_FEATURED, Region, TrackType

CSS = Path(__file__).resolve().parents[2] / "chairctl" / "tui" / "app.tcss"
SIZE = (140, 50)


@cache
def library() -> tuple[Program, ...]:
    return tuple(load_program(path) for path in sorted(library_dir().glob("*.yaml")))


def program(program_id: str) -> Program:
    return next(p for p in library() if p.id == program_id)


def screening(*conditions: Condition, age: int = 45, **sites: frozenset[Region]) -> Screening:
    health = HealthScreening(
        age=age,
        first_use=False,
        conditions=frozenset(conditions),
        affected_regions={Condition(name.replace("_", "-")): r for name, r in sites.items()},
    )
    return screen(Profile(name="Sam", health=health))


class Host(App[None]):
    """Pushes the Library screen and keeps what it posts and notifies."""

    CSS_PATH = CSS

    def __init__(self, library_screen: LibraryScreen) -> None:
        super().__init__()
        self.library = library_screen
        self.chosen: list[Program] = []
        self.notices: list[tuple[str, str]] = []

    def on_mount(self) -> None:
        self.push_screen(self.library)

    def on_library_screen_chosen(self, message: LibraryScreen.Chosen) -> None:
        self.chosen.append(message.program)

    def notify(self, message: str, *args: Any, **kwargs: Any) -> None:
        self.notices.append((message, kwargs.get("severity", "information")))
        super().notify(message, *args, **kwargs)


def option_list(app: Host) -> OptionList:
    return app.library.query_one("#library-list", OptionList)


def listed_ids(app: Host) -> list[str]:
    """Program ids in list order (headings left out)."""
    return [o.id for o in option_list(app).options if o.id and not o.disabled]


def highlighted_id(app: Host) -> str | None:
    option = option_list(app).highlighted_option
    return option.id if option is not None else None


def focused(app: Host) -> Widget | None:
    """The widget with the focus now (read afresh: a key press moves it)."""
    return app.focused


def text_of(app: Host, selector: str) -> str:
    return str(app.library.query_one(selector, Static).render())


async def test_reads_the_library_in_a_worker_and_groups_it_by_category() -> None:
    app = Host(LibraryScreen())
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not app.library.query_one("#library-loading").display
        options = option_list(app).options
        assert sorted(listed_ids(app)) == sorted(p.id for p in library())
        assert len(listed_ids(app)) == 21

        # Each heading is a disabled option followed by the programs of its category only.
        headings = [str(o.prompt) for o in options if o.disabled]
        assert headings == [
            h for c, h in CATEGORY_HEADINGS.items() if any(p.category is c for p in library())
        ]
        current: Category | None = None
        for option in options:
            if option.disabled:
                current = next(c for c, h in CATEGORY_HEADINGS.items() if h == str(option.prompt))
            else:
                assert program(option.id or "").category is current
        # A program line carries its name and length.
        first = options[1]
        assert program(first.id or "").name in str(first.prompt)
        assert highlighted_id(app) == first.id


async def test_typing_sleep_filters_to_the_sleep_programs() -> None:
    app = Host(LibraryScreen(programs=library()))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await pilot.press(*"sleep")
        await pilot.pause()
        assert app.library.query_one("#library-filter", Input).value == "sleep"
        shown = set(listed_ids(app))
        sleep_category = {p.id for p in library() if p.category is Category.SLEEP}
        assert sleep_category <= shown
        assert shown == {
            p.id
            for p in library()
            if "sleep" in " ".join([p.name, p.summary, p.category, *p.goals, *p.for_conditions])
        }
        assert len(shown) < len(library())
        headings = [str(o.prompt) for o in option_list(app).options if o.disabled]
        assert "Sleep" in headings
        assert highlighted_id(app) in shown

        # Every word must match, in any field and any case.
        await pilot.press(*" TROUBLE")
        await pilot.pause()
        assert set(listed_ids(app)) == {
            p.id for p in library() if "trouble-sleeping" in p.for_conditions
        }

        # Nothing matches: the list says so and the detail pane is empty.
        await pilot.press(*"zzz")
        await pilot.pause()
        assert listed_ids(app) == []
        assert "No program matches" in str(option_list(app).options[0].prompt)
        assert not app.library.query_one("#library-detail").display
        await pilot.press("enter")
        assert app.chosen == []


async def test_enter_posts_chosen_with_the_highlighted_program() -> None:
    app = Host(LibraryScreen(programs=library()))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.focused, OptionList)
        await pilot.press("down", "down")
        wanted = highlighted_id(app)
        assert wanted == listed_ids(app)[2]
        await pilot.press("enter")
        await pilot.pause()
        assert [p.id for p in app.chosen] == [wanted]


async def test_up_and_down_move_the_highlight_while_typing_in_the_filter() -> None:
    app = Host(LibraryScreen(programs=library()))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"back")
        await pilot.pause()
        ids = listed_ids(app)
        assert highlighted_id(app) == ids[0]
        await pilot.press("down", "down", "up")
        assert isinstance(app.focused, Input)
        assert highlighted_id(app) == ids[1]
        # Up and Down skip the category headings.
        await pilot.press("up", "up")
        assert highlighted_id(app) in ids
        await pilot.press("down")
        assert highlighted_id(app) == ids[0]
        # Enter in the filter chooses the highlighted program.
        await pilot.press("down", "enter")
        await pilot.pause()
        assert [p.id for p in app.chosen] == [ids[1]]
        assert app.library.query_one("#library-filter", Input).value == "back"


async def test_the_detail_pane_shows_the_program_as_this_person_gets_it() -> None:
    person = screening(age=80)  # gentle caps, no refusal
    app = Host(LibraryScreen(programs=library(), screening=person))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for _ in range(4):
            await pilot.press("down")
            await pilot.pause()
            shown = program(highlighted_id(app) or "")
            plan = compile_program(shown, person=person.personalisation(), chair=FULL_FEATURED)
            assert text_of(app, "#library-name") == shown.name
            assert text_of(app, "#library-summary") == shown.summary
            cautions = text_of(app, "#library-cautions")
            for caution in shown.cautions:
                assert caution in cautions
            figure = app.library.query_one("#library-figure", BodyFigure)
            assert figure.regions == worked_regions(plan)
            assert figure.regions == {r for r, s in plan.seconds_per_region().items() if s > 0}
            timeline = app.library.query_one("#library-timeline", PlanTimeline)
            assert timeline.plan == plan
            assert not app.library.query_one("#library-blocked").display


async def test_a_refused_profile_blocks_every_program() -> None:
    refused = screening(Condition.VERTEBRAL_FRACTURE)
    assert refused.blocked
    app = Host(LibraryScreen(programs=library(), screening=refused))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for option in option_list(app).options:
            if not option.disabled:
                assert str(option.prompt).startswith(BLOCKED_MARK)
        blocked = app.library.query_one("#library-blocked", Static)
        assert blocked.display
        assert "fracture of the spine" in str(blocked.render())
        await pilot.press("enter")
        await pilot.pause()
        assert app.chosen == []
        assert len(app.notices) == 1
        message, severity = app.notices[0]
        assert "fracture of the spine" in message
        assert severity == "warning"


async def test_set_person_marks_only_the_programs_nothing_is_left_of() -> None:
    # An acute strain on the whole back keeps the rollers off every region (and the airbags and
    # heat near them): programs that only work the rollers there have nothing left.
    strained = screening(Condition.ACUTE_STRAIN, acute_strain=frozenset(Region))
    assert not strained.blocked
    app = Host(LibraryScreen(programs=library()))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert not any(str(o.prompt).startswith(BLOCKED_MARK) for o in option_list(app).options)

        app.library.set_person(strained)
        await pilot.pause()
        marked = {o.id for o in option_list(app).options if str(o.prompt).startswith(BLOCKED_MARK)}
        assert "deep-tissue-back" in marked
        assert "evening-wind-down" not in marked
        assert marked == {p.id for p in library() if app.library.blocked_reasons(p)}

        # Enter on a blocked program notifies; on an allowed one it chooses. Deep tissue names
        # an acute strain among whom it is not for; upper back has nothing left.
        await pilot.press("slash", *"upper back release")
        await pilot.pause()
        assert highlighted_id(app) == "upper-back-release"
        assert "Nothing of" in text_of(app, "#library-blocked")
        await pilot.press(*["backspace"] * len("upper back release"), *"deep tissue")
        await pilot.pause()
        assert highlighted_id(app) == "deep-tissue-back"
        assert "not meant for someone with acute strain" in text_of(app, "#library-blocked")
        await pilot.press("enter")
        await pilot.pause()
        assert app.chosen == []
        assert app.notices[-1][1] == "warning"

        app.library.set_person(None)
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert [p.id for p in app.chosen] == ["deep-tissue-back"]


async def test_set_chair_blocks_what_the_chair_cannot_reach() -> None:
    s_track = FULL_FEATURED.model_copy(update={"track": TrackType.S})
    app = Host(LibraryScreen(programs=library()))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.library.set_chair(s_track)
        await pilot.pause()
        unreachable = {p.id for p in library() if app.library.blocked_reasons(p)}
        assert "deep-tissue-back" in unreachable
        assert "neck-shoulder-desk-break" not in unreachable
        await pilot.press("slash", *"deep tissue")
        await pilot.pause()
        assert "cannot run it" in text_of(app, "#library-blocked")
        assert app.library.query_one("#library-timeline", PlanTimeline).plan is None
        await pilot.press("enter")
        assert app.chosen == []


async def test_the_timeline_follows_the_width() -> None:
    app = Host(LibraryScreen(programs=library()))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        timeline = app.library.query_one("#library-timeline", PlanTimeline)
        wide = timeline.content_size.width
        first = str(timeline.render()).splitlines()
        assert max(len(line) for line in first) <= wide
        await pilot.resize_terminal(110, 50)
        await pilot.pause()
        narrow = timeline.content_size.width
        assert narrow < wide
        lines = str(timeline.render()).splitlines()
        assert max(len(line) for line in lines) <= narrow
        assert len(lines[1]) < len(first[1])


class HostWithKey(Host):
    """Binds "z" the way the real app binds c, p, h and q."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("z", "pressed_z", "Z")]

    def __init__(self, library_screen: LibraryScreen) -> None:
        super().__init__(library_screen)
        self.pressed: list[str] = []

    def action_pressed_z(self) -> None:
        self.pressed.append("z")


async def test_typing_in_the_list_starts_the_filter_but_bound_keys_keep_their_meaning() -> None:
    app = HostWithKey(LibraryScreen(programs=library()))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.focused, OptionList)
        await pilot.press("z")
        assert app.pressed == ["z"]
        assert isinstance(app.focused, OptionList)
        await pilot.press(*"sleep")
        field = app.library.query_one("#library-filter", Input)
        assert field.value == "sleep"
        assert focused(app) is field
        assert listed_ids(app)
        assert all(
            "sleep" in " ".join((p.name, p.summary, *p.goals)).lower()
            for p in library()
            if p.id in listed_ids(app)
        )
