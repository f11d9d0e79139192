"""Every command the bridge refuses gets one clear message on ``P/error``, in the words the
command line and the app use, and nothing moves: the simulated chair's ground truth says so."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from chairctl.safety.profile import GUEST_NAME, Condition, HealthScreening, Profile
from chairctl.safety.screening import screen
from chairctl.services.remote.topics import Command
from chairctl.vocabulary import WorkState
from simulator.chair import SimulatedChair
from simulator.faults import Overload
from tests.bridge.bridgehelpers import (
    ANN,
    BO,
    PROGRAM,
    advance,
    at_rest,
    client_of,
    running_bridge,
    saved,
    working,
)
from tests.bridge.broker import Broker

pytestmark = pytest.mark.realtime

PREFIX = "test/chair"
FEVERISH = Profile(
    name="Cy",
    health=HealthScreening(age=40, first_use=False, conditions=frozenset({Condition.FEVER})),
    remote_start=True,
)
GUEST = Profile(name=GUEST_NAME, health=HealthScreening(), remote_start=True)


def never_moved(chair: SimulatedChair) -> bool:
    """The chair's ground truth: it stood by all along, nothing ever worked."""
    trace = chair.trace
    return all(state is WorkState.STANDBY for _, state in trace.work_state.changes()) and all(
        activity is None for _, activity in trace.activity.changes()
    )


def start(program: str | None = PROGRAM, profile: str | None = "Ann") -> str:
    return json.dumps({"program": program, "profile": profile})


BAD = [
    pytest.param(
        Command.START,
        start(program="no-such-program"),
        "no library program 'no-such-program'; the retained P/library lists them",
        id="unknown program",
    ),
    pytest.param(
        Command.START,
        start(profile="Zed"),
        f"no profile 'Zed'; profiles: Ann, Bo, Cy, {GUEST_NAME}",
        id="unknown profile",
    ),
    pytest.param(
        Command.START,
        '{"program": "lower-back-relief", "profile": ',
        "a start is not valid JSON (line 1, column 44); send "
        '{"program": "lower-back-relief", "profile": "Ann"} or START',
        id="malformed JSON",
    ),
    pytest.param(
        Command.START,
        '{"program": "lower-back-relief", "who": "Ann"}',
        "a start: unknown key 'who'",
        id="malformed payload",
    ),
    pytest.param(
        Command.START,
        start(profile="Bo"),
        "the profile 'Bo' does not allow a start from the home network; allow it with "
        "chairctl profiles edit Bo --remote-start, or in the app's profile form",
        id="start without permission",
    ),
    pytest.param(
        Command.START,
        start(profile=GUEST_NAME),
        "a guest's session cannot be started from the home network: a guest may be anyone, "
        "so it starts at the chair",
        id="guest",
    ),
    pytest.param(
        Command.START,
        start(profile="Cy"),
        # The screening's own words, as chairctl run and the app say them.
        "\n".join(screen(FEVERISH).blocked),
        id="screening refuses",
    ),
    pytest.param(
        Command.START,
        "START",
        'no program chosen: send {"program": ID} with the start, or choose one first '
        "(P/cmd/program)",
        id="nothing chosen",
    ),
    pytest.param(
        Command.START,
        "",
        # What clearing a retained start delivers, live: never a start.
        "an empty start is refused (clearing a retained message sends one): send START for "
        'the selected program, or {"program": "lower-back-relief", "profile": "Ann"}',
        id="empty start",
    ),
    pytest.param(
        Command.INTENSITY,
        "11",
        "an intensity is +1, -1, stronger, gentler or a level 1 to 5; got '11'",
        id="intensity out of range",
    ),
    pytest.param(
        Command.PAUSE, "", "no session is running: nothing to pause", id="pause while idle"
    ),
    pytest.param(
        Command.PROFILE,
        "Ann\x1b]52;c;AAAA\x07",
        "a profile holds a control character; a name is plain text on one line",
        id="control characters",
    ),
    pytest.param(
        "dance",
        "",
        "no command 'dance'; the commands are start, stop, pause, resume, clear_fault, "
        "intensity, program, profile, heat",
        id="unknown command",
    ),
]


@pytest.mark.parametrize(("command", "payload", "words"), BAD)
async def test_a_bad_command_is_one_clear_error_and_nothing_moves(
    broker: Broker, home: Path, command: Command | str, payload: str, words: str
) -> None:
    saved(home, ANN, BO, FEVERISH, GUEST)
    async with running_bridge(broker, home, PREFIX) as running, client_of(broker, PREFIX) as client:
        await client.state(lambda s: s.link == "connected")
        await running.command(client, command, payload)
        name = command.value if isinstance(command, Command) else command
        assert await client.error() == {"command": name, "message": words}
        await advance(running.clock, 30)
        assert never_moved(running.chair)
        assert running.bridge.control.engine is None
        assert len(client.errors()) == 1


async def test_a_start_left_retained_on_the_broker_is_refused_when_the_bridge_connects(
    broker: Broker, home: Path
) -> None:
    # A retained start would start the chair again on every reconnection of the bridge.
    saved(home, ANN)
    async with client_of(broker, PREFIX) as client:
        await client.command(Command.START, start(), retain=True)
        async with running_bridge(broker, home, PREFIX) as running:
            assert await client.error() == {
                "command": "start",
                "message": "a retained command is refused: it would act again whenever the "
                "bridge reconnects; publish commands without the retain flag",
            }
            await advance(running.clock, 30)
            assert never_moved(running.chair)


async def test_a_start_while_one_runs_is_refused_and_the_first_goes_on(
    broker: Broker, home: Path
) -> None:
    saved(home, ANN)
    async with running_bridge(broker, home, PREFIX) as running, client_of(broker, PREFIX) as client:
        await client.state(lambda s: s.link == "connected")
        await running.command(client, Command.START, start())
        await client.state(lambda s: s.session == "preparing")
        await running.command(client, Command.START, start(program="neck-and-shoulders-release"))
        assert await client.error() == {
            "command": "start",
            "message": "a session is already running",
        }
        await running.session_running()
        await running.until(lambda: working(running.chair))
        state = await client.state(lambda s: s.session == "running")
        assert state.program == PROGRAM  # the first start's program, untouched
        await running.command(client, Command.START, start())
        assert (await client.error())["message"] == "a session is already running"
        assert running.bridge.control.engine is not None
        await running.end()
        assert at_rest(running.chair)


async def test_a_latched_fault_refuses_a_start_until_it_is_cleared(
    broker: Broker, home: Path
) -> None:
    saved(home, ANN)
    async with running_bridge(broker, home, PREFIX) as running, client_of(broker, PREFIX) as client:
        await client.state(lambda s: s.link == "connected")
        await running.command(client, Command.START, start())
        await client.state(lambda s: s.session == "preparing")
        await running.session_running()
        await running.until(lambda: working(running.chair))
        running.chair.inject(Overload())
        await running.until(lambda: running.bridge.control.engine is None)
        faulted = await client.state(lambda s: s.fault is not None and s.session == "ended")
        assert at_rest(running.chair)

        # The chair's side is checked first: the fault, not Ann's rest, is what is said.
        moved_until = running.clock.now()
        await running.command(client, Command.START, start())
        error = await client.error()
        assert error == {
            "command": "start",
            "message": f"the chair's fault is still latched ({faulted.fault}); clear it first",
        }
        await advance(running.clock, 30)
        assert not any(
            activity is not None
            for at, activity in running.chair.trace.activity.changes()
            if at > moved_until
        )

        await running.command(client, Command.CLEAR_FAULT)
        await running.until(lambda: running.bridge.control.fault is None)
        await client.state(lambda s: s.fault is None)
