"""The profile form's switch for a start from the home network: off for a new profile, shown
as saved for an existing one, and saved as set."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.app import App
from textual.widgets import Switch

from chairctl.safety.profile import HealthScreening, Profile
from chairctl.tui.screens.profile_form import ProfileFormScreen

CSS = Path(__file__).resolve().parents[2] / "chairctl" / "tui" / "app.tcss"
SIZE = (140, 60)
ANN = Profile(name="Ann", health=HealthScreening(age=40, first_use=False), remote_start=True)


class Host(App[None]):
    """Pushes the form and keeps what it dismisses with."""

    CSS_PATH = CSS

    def __init__(self, existing: Profile | None) -> None:
        super().__init__()
        self._existing = existing
        self.results: list[Any] = []

    def on_mount(self) -> None:
        self.push_screen(ProfileFormScreen(self._existing), self.results.append)


async def test_a_new_profile_is_started_remotely_only_once_switched_on() -> None:
    app = Host(None)
    async with app.run_test(size=SIZE) as pilot:
        switch = app.screen.query_one("#remote-start", Switch)
        assert switch.value is False
        switch.scroll_visible(animate=False)
        await pilot.pause()
        await pilot.click("#remote-start")
        await pilot.pause()
        assert switch.value is True
        app.screen.query_one("#save").scroll_visible(animate=False)
        await pilot.pause()
        await pilot.click("#save")
        await pilot.pause()
    (saved,) = app.results
    assert saved.name == "Guest"
    assert saved.remote_start is True


async def test_the_switch_shows_and_keeps_what_the_profile_says() -> None:
    app = Host(ANN)
    async with app.run_test(size=SIZE) as pilot:
        switch = app.screen.query_one("#remote-start", Switch)
        assert switch.value is True
        switch.value = False
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
    (saved,) = app.results
    assert saved.remote_start is False
    assert saved.model_dump(exclude={"remote_start"}) == ANN.model_dump(exclude={"remote_start"})
