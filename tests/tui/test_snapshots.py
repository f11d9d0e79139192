"""SVG snapshots of the app at the moments that matter: the library, a running session, the
stopped state and a lost link. The chair is the simulated one on a VirtualClock, so every
snapshot is the same on every run; ``pytest --snapshot-update`` accepts a deliberate change."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

from textual.pilot import Pilot

from chairctl.clock import VirtualClock
from chairctl.tui.app import ChairctlApp
from simulator.faults import LinkDrop
from tests.tui.apphelpers import ADULT, advance, make_app, saved_profile, simulated

SIZE = (110, 36)
Compare = Callable[..., bool]


def _scenario(
    tmp_path: Path, steps: Callable[[Pilot[None], VirtualClock], Awaitable[None]]
) -> tuple[object, Callable[[Pilot[None]], Awaitable[None]]]:
    saved_profile(tmp_path, ADULT)
    clock = VirtualClock()
    app = make_app(tmp_path, clock)

    async def run_before(pilot: Pilot[None]) -> None:
        await advance(pilot, clock, 1)
        await steps(pilot, clock)
        # Toasts time out in real time: cleared, so the picture does not depend on the machine.
        pilot.app.clear_notifications()
        await pilot.pause()

    return app, run_before


async def _start(pilot: Pilot[None], clock: VirtualClock) -> None:
    await pilot.press("enter", "enter")
    await advance(pilot, clock, 90)


def test_the_library(snap_compare: Compare, tmp_path: Path) -> None:
    async def nothing(pilot: Pilot[None], clock: VirtualClock) -> None:
        return None

    app, run_before = _scenario(tmp_path, nothing)
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_a_running_session(snap_compare: Compare, tmp_path: Path) -> None:
    app, run_before = _scenario(tmp_path, _start)
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_the_stopped_state(snap_compare: Compare, tmp_path: Path) -> None:
    async def stopped(pilot: Pilot[None], clock: VirtualClock) -> None:
        await _start(pilot, clock)
        await pilot.press("escape")
        await advance(pilot, clock, 10)

    app, run_before = _scenario(tmp_path, stopped)
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_the_lost_link_state(snap_compare: Compare, tmp_path: Path) -> None:
    async def lost(pilot: Pilot[None], clock: VirtualClock) -> None:
        await _start(pilot, clock)
        app = pilot.app
        assert isinstance(app, ChairctlApp)
        simulated(app).inject(LinkDrop())
        await advance(pilot, clock, 15)

    app, run_before = _scenario(tmp_path, lost)
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
