"""Running the whole app under Pilot on a VirtualClock, with the built-in simulated chair."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

from textual.pilot import Pilot

from chairctl.clock import VirtualClock
from chairctl.program import Program, load_program
from chairctl.program.library import library_dir
from chairctl.safety.profile import HealthScreening, Profile
from chairctl.services.chairs import ChairAddress
from chairctl.services.session import StopState
from chairctl.store import Store, database_path
from chairctl.tui.app import ChairctlApp
from chairctl.tui.screens.connect import simulated_scanner
from chairctl.tui.screens.safety_notice import NOTICE, NOTICE_VERSION
from simulator.chair import SimulatedChair

#: The library, read once for every app test (reading it is the slow part of a start).
LIBRARY: list[Program] = [load_program(p) for p in sorted(library_dir().glob("*.yaml"))]

SIZE = (120, 40)


class VirtualTimeApp(ChairctlApp):
    """The app on a VirtualClock: on its way out, virtual time runs until the chair is released
    and the link closed (nobody else is advancing it then)."""

    async def shutdown(self) -> None:
        assert isinstance(self.clock, VirtualClock)
        await self.clock.run(super().shutdown())


def make_app(
    home: Path,
    clock: VirtualClock,
    *,
    address: ChairAddress | None = None,
    model_id: str | None = None,
    profile_name: str | None = None,
) -> ChairctlApp:
    return VirtualTimeApp(
        address=address,
        model_id=model_id,
        profile_name=profile_name,
        home=home,
        clock=clock,
        scanner=simulated_scanner(),
        programs=LIBRARY,
    )


async def advance(
    pilot: Pilot[None], clock: VirtualClock, seconds: float, step: float = 1.0
) -> None:
    """Let ``seconds`` of virtual time pass, letting the app react at every ``step``.

    The clock settles the event loop at every step, which runs the app's message pumps too;
    one Pilot pause at the end lets the screen catch up before the test looks at it.
    """
    end = clock.now() + seconds
    while clock.now() < end:
        await clock.advance(min(step, end - clock.now()))
    await pilot.pause()


def simulated(app: ChairctlApp) -> SimulatedChair:
    chair = app.control.simulated
    assert chair is not None
    return chair


def stop_state(app: ChairctlApp) -> StopState:
    """Where the app's stop stands now (read afresh: it moves on as virtual time passes)."""
    return app.control.stop_state


def chair_is_safe(app: ChairctlApp) -> bool:
    state = simulated(app).state()
    return (
        state.roller_technique is None
        and not state.heat_on
        and all(pressure < 0.05 for pressure in state.airbags.values())
    )


def saved_profile(home: Path, profile: Profile, *, acknowledged: bool = True) -> None:
    with Store.open(database_path(home)) as store:
        store.put_profile(profile.name, profile.model_dump_json())
        if acknowledged:
            store.acknowledge(profile.name, NOTICE, NOTICE_VERSION)


ADULT = Profile(name="Ann", health=HealthScreening(age=40, first_use=False))


Running = tuple[ChairctlApp, Pilot[None], VirtualClock]


@contextlib.asynccontextmanager
async def opened(home: Path) -> AsyncIterator[Running]:
    """Ann's app, connected to the simulated chair, on the library."""
    saved_profile(home, ADULT)
    clock = VirtualClock()
    app = make_app(home, clock)
    async with app.run_test(size=SIZE) as pilot:
        await advance(pilot, clock, 1)
        yield app, pilot, clock
