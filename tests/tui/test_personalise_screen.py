"""The Personalise screen in a real Textual app, with real library programs and screenings."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.app import App
from textual.widgets import Button, Checkbox, Select, Static, Switch

from chairctl.plan import AS_WRITTEN, Personalisation, compile_program
from chairctl.program import Program, load_program, total_seconds
from chairctl.program.library import library_dir
from chairctl.safety.profile import Condition, HealthScreening, Profile
from chairctl.safety.screening import Screening, screen
from chairctl.tui.screens.personalise import PersonaliseScreen, Who
from chairctl.tui.widgets.plan_timeline import PlanTimeline
from chairctl.vocabulary import FULL_FEATURED, ChairCapabilities, PlanError, Region, TrackType

CSS = Path(__file__).resolve().parents[2] / "chairctl" / "tui" / "app.tcss"
SIZE = (140, 50)
NOT_YET = object()


def program(program_id: str) -> Program:
    return load_program(library_dir() / f"{program_id}.yaml")


def profile(
    *conditions: Condition,
    age: int = 45,
    first_use: bool = False,
    sites: dict[Condition, frozenset[Region]] | None = None,
    **preferences: object,
) -> Profile:
    health = HealthScreening(
        age=age,
        first_use=first_use,
        conditions=frozenset(conditions),
        affected_regions=sites or {},
    )
    return Profile.model_validate({"name": "Sam", "health": health, **preferences})


class Host(App[None]):
    """Pushes the Personalise screen and keeps what it dismissed with."""

    CSS_PATH = CSS

    def __init__(self, personalise: PersonaliseScreen) -> None:
        super().__init__()
        self.personalise = personalise
        self.result: object = NOT_YET

    def on_mount(self) -> None:
        self.push_screen(self.personalise, self.keep)

    def keep(self, result: Personalisation | Who | None) -> None:
        self.result = result


def host(
    program_id: str = "lower-back-relief",
    *,
    screening: Screening | None = None,
    chair: ChairCapabilities = FULL_FEATURED,
    remembered: Personalisation | None = None,
) -> Host:
    return Host(
        PersonaliseScreen(
            program(program_id), screening=screening, chair=chair, remembered=remembered
        )
    )


def text_of(app: Host, selector: str) -> str:
    return str(app.personalise.query_one(selector, Static).render())


def select(app: Host, name: str) -> Select[object]:
    return app.personalise.query_one(f"#personalise-{name}", Select)


async def test_defaults_come_from_what_was_remembered() -> None:
    remembered = Personalisation(
        intensity_offset=-1,
        focus_region=Region.LOWER_BACK,
        skip_regions=frozenset({Region.NECK}),
        heat_allowed=False,
        max_minutes=10,
    )
    app = host(remembered=remembered)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert select(app, "offset").value == -1
        assert select(app, "focus").value == "lower_back"
        assert select(app, "minutes").value == 10
        assert app.personalise.query_one("#skip-neck", Checkbox).value
        assert not app.personalise.query_one("#skip-lower_back", Checkbox).value
        assert not app.personalise.query_one("#personalise-heat", Switch).value
        await pilot.press("enter")
        await pilot.pause()
        # The same choices, now with why each limit is what it is.
        result = app.result
        assert isinstance(result, Personalisation)
        assert result.model_copy(update={"reasons": {}}) == remembered
        assert result.why("heat") == " (as you prefer)"


async def test_defaults_come_from_the_profile() -> None:
    person = screen(
        profile(
            intensity_offset=1,
            focus_region="shoulders",
            skip_regions=["sacrum_glutes"],
            heat_allowed=False,
            preferred_minutes=10,
        )
    )
    app = host(screening=person)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert select(app, "offset").value == 1
        assert select(app, "focus").value == "shoulders"
        assert select(app, "minutes").value == 10
        assert app.personalise.query_one("#skip-sacrum_glutes", Checkbox).value
        assert not app.personalise.query_one("#personalise-heat", Switch).value
        # Nothing capped: no cap is announced.
        assert not app.personalise.query_one("#personalise-caps").display
        await pilot.press("enter")
        await pilot.pause()
        assert app.result == person.personalisation()


async def test_without_a_profile_the_program_runs_as_written() -> None:
    app = host()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        written = total_seconds(program("lower-back-relief"))
        assert app.personalise.plan is not None
        assert round(app.personalise.plan.total_s) == written
        await pilot.press("enter")
        await pilot.pause()
        assert app.result == AS_WRITTEN


async def test_caps_are_shown_and_cannot_be_raised() -> None:
    # 80 and a first use: intensity at most 2, no percussion or stretch, at most 10 minutes.
    person = screen(profile(age=80, first_use=True))
    assert person.caps.max_intensity == 2
    assert person.caps.max_minutes == 10
    app = host(screening=person)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        caps = text_of(app, "#personalise-caps")
        assert "Your health answers keep the intensity at most 2" in caps
        assert "at most 10 min" in caps
        assert "at most 2" in text_of(app, "#personalise-intensity-cap")
        assert "at most 10 min" in text_of(app, "#personalise-length-cap")
        # No length above the cap is offered; "as written" is still capped.
        offered = [value for _, value in select(app, "minutes")._options]
        assert all(value <= 10 for value in offered if isinstance(value, int))

        select(app, "offset").value = 2
        await pilot.pause()
        plan = app.personalise.plan
        assert plan is not None
        assert max(e.setpoint.intensity for e in plan.entries) <= 2
        assert plan.total_s <= 10 * 60
        await pilot.press("enter")
        await pilot.pause()
        result = app.result
        assert isinstance(result, Personalisation)
        assert result.intensity_offset == 2
        assert result.max_intensity <= 2
        assert result.max_minutes == 10
        assert not result.percussion_allowed
        assert not result.stretch_allowed


async def test_a_remembered_choice_cannot_loosen_the_caps() -> None:
    person = screen(profile(age=80, first_use=True))
    loose = Personalisation(intensity_offset=2, max_minutes=25)
    app = host(screening=person, remembered=loose)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        result = app.result
        assert isinstance(result, Personalisation)
        assert result.max_intensity == 2
        assert result.max_minutes == 10
        assert not result.percussion_allowed


async def test_a_capped_region_is_ticked_and_the_heat_kept_off() -> None:
    strain = {Condition.ACUTE_STRAIN: frozenset({Region.LOWER_BACK})}
    person = screen(profile(Condition.ACUTE_STRAIN, sites=strain))
    app = host(screening=person)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        lower = app.personalise.query_one("#skip-lower_back", Checkbox)
        assert lower.value
        assert lower.disabled
        heat = app.personalise.query_one("#personalise-heat", Switch)
        assert not heat.value
        assert heat.disabled
        assert "lower back" in text_of(app, "#personalise-caps")
        assert "heat off" in text_of(app, "#personalise-caps")
        # Clicking the disabled checkbox changes nothing.
        await pilot.click("#skip-lower_back")
        await pilot.pause()
        assert lower.value
        await pilot.press("enter")
        await pilot.pause()
        result = app.result
        assert isinstance(result, Personalisation)
        assert Region.LOWER_BACK in result.skip_regions
        assert not result.heat_allowed


async def test_choosing_a_length_sets_max_minutes_and_the_summary_follows() -> None:
    app = host("lower-back-relief")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "14m30s" in text_of(app, "#personalise-length")
        offered = [value for _, value in select(app, "minutes")._options]
        assert offered == [0, 5, 10]
        select(app, "minutes").value = 10
        await pilot.pause()
        assert text_of(app, "#personalise-length").startswith("Length 10m")
        timeline = app.personalise.query_one("#personalise-timeline", PlanTimeline)
        assert timeline.plan is not None
        assert round(timeline.plan.total_s) == 600
        await pilot.press("enter")
        await pilot.pause()
        result = app.result
        assert isinstance(result, Personalisation)
        assert result.max_minutes == 10


async def test_skipping_a_region_yields_skip_regions() -> None:
    app = host("lower-back-relief")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        before = text_of(app, "#personalise-adjustments")
        await pilot.click("#skip-sacrum_glutes")
        await pilot.pause()
        assert app.personalise.query_one("#skip-sacrum_glutes", Checkbox).value
        plan = app.personalise.plan
        assert plan is not None
        assert Region.SACRUM_GLUTES not in plan.seconds_per_region()
        assert text_of(app, "#personalise-adjustments") != before
        assert "sacrum_glutes" in text_of(app, "#personalise-adjustments")
        await pilot.press("enter")
        await pilot.pause()
        result = app.result
        assert isinstance(result, Personalisation)
        assert result.skip_regions == {Region.SACRUM_GLUTES}


async def test_enter_starts_from_a_select_but_picks_in_an_open_one() -> None:
    app = host("lower-back-relief")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        minutes = select(app, "minutes")
        minutes.focus()
        await pilot.pause()
        await pilot.press("space")  # opens the list
        await pilot.pause()
        assert minutes.expanded
        await pilot.press("down", "enter")  # picks "5 min", and does not start
        await pilot.pause()
        assert not minutes.expanded
        assert minutes.value == 5
        assert app.result is NOT_YET
        await pilot.press("enter")  # the Select is closed: Enter starts
        await pilot.pause()
        result = app.result
        assert isinstance(result, Personalisation)
        assert result.max_minutes == 5


async def test_enter_starts_from_the_heat_switch() -> None:
    app = host("lower-back-relief")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.personalise.query_one("#personalise-heat", Switch).focus()
        await pilot.press("space", "enter")
        await pilot.pause()
        result = app.result
        assert isinstance(result, Personalisation)
        assert not result.heat_allowed


async def test_b_goes_back_with_none() -> None:
    app = host()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("b")
        await pilot.pause()
        assert app.result is None


async def test_a_plan_the_chair_cannot_run_is_a_message_and_start_is_off() -> None:
    s_track = FULL_FEATURED.model_copy(update={"track": TrackType.S})
    with pytest.raises(PlanError) as raised:  # the compiler's own words for it
        compile_program(program("lower-back-relief"), chair=s_track)
    expected = str(raised.value)
    app = host("lower-back-relief", chair=s_track)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        error = app.personalise.query_one("#personalise-error", Static)
        assert error.display
        assert expected in str(error.render())
        assert app.personalise.query_one("#personalise-start", Button).disabled
        await pilot.press("enter")
        await pilot.pause()
        assert app.result is NOT_YET
        await pilot.press("b")
        await pilot.pause()
        assert app.result is None


async def test_a_refused_person_cannot_start() -> None:
    refused = screen(profile(Condition.VERTEBRAL_FRACTURE))
    app = host(screening=refused)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "fracture of the spine" in text_of(app, "#personalise-error")
        assert app.personalise.query_one("#personalise-start", Button).disabled
        await pilot.press("enter")
        await pilot.pause()
        assert app.result is NOT_YET
