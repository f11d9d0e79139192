"""However the app ends, the chair is released first: SIGTERM, SIGHUP, SIGINT and a closed
terminal to the real app in a real child process on a real pty, on every family, judged by
the chair's ground truth; and an exception inside the app, under Pilot.

The chair is served from this process (tests/served.py), so it outlives the app. The app runs
at the chair's own speed (it has no --speed): the tests wait only until the chair is switched
on (its body scan, after which it would massage), and then for it to be off and at rest.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

import pytest
from textual.binding import Binding

from chairctl.clock import VirtualClock
from chairctl.safety.profile import HealthScreening, Profile
from chairctl.store import Store, database_path
from chairctl.tui.app import ChairctlApp
from chairctl.tui.screens.safety_notice import NOTICE, NOTICE_VERSION
from tests.served import FAMILY_MODELS, ServedChair, Terminal, standing_by, switched_on
from tests.tui.apphelpers import SIZE, advance, chair_is_safe, make_app, simulated

#: Waits on the wall clock (a real pty, another process, signals): sensitive to load.
pytestmark = pytest.mark.realtime

ANN = Profile(name="Ann", health=HealthScreening(age=40, first_use=False))


def ann_at_home(home: Path) -> None:
    with Store.open(database_path(home)) as store:
        store.put_profile(ANN.name, ANN.model_dump_json())
        store.acknowledge(ANN.name, NOTICE, NOTICE_VERSION)


def last_session(home: Path) -> tuple[str | None, str | None]:
    with Store.open(database_path(home)) as store:
        record = store.history(limit=1)[0]
    return (record.outcome.value if record.outcome else None), record.reason


def start_a_session(terminal: Terminal, chair: ServedChair) -> None:
    """Filter the library to a program every family runs, choose it, start it."""
    deadline = time.monotonic() + 30
    while b"Five-minute" not in terminal.output and time.monotonic() < deadline:
        time.sleep(0.1)  # the library is read in a thread after the first paint
    for keys in ("/", "five-minute", "\r", "\r"):
        terminal.write(keys)
        time.sleep(0.5)
    assert chair.wait_for(switched_on, 30), (
        "the chair was never switched on; the screen showed:\n"
        + bytes(terminal.output[-4000:]).decode(errors="replace")
    )


def app_command(chair: ServedChair, home: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "chairctl",
        "--chair",
        chair.path,
        "--model",
        chair.model_id,
        "--profile",
        "Ann",
        "--home",
        str(home),
    ]


ENV = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "120", "LINES": "40"}


#: Every ending, and every family: the app runs in real time, so each signal meets one family
#: (chairctl run meets every pair, at --speed, in tests/cli/test_run_endings.py) and a closed
#: terminal, the app's hardest ending, meets them all.
RONGTAI, TUYA, NCNI, KOREAN = FAMILY_MODELS
ENDINGS = [
    ("SIGTERM", RONGTAI),
    ("SIGHUP", TUYA),
    ("SIGINT", NCNI),
    ("SIGTERM", KOREAN),
    ("closed terminal", RONGTAI),
    ("closed terminal", TUYA),
    ("closed terminal", NCNI),
    ("closed terminal", KOREAN),
]


@pytest.mark.parametrize(("ending", "model_id"), ENDINGS)
def test_the_app_releases_the_chair_however_it_is_ended(
    ending: str, model_id: str, tmp_path: Path
) -> None:
    ann_at_home(tmp_path)
    terminal = Terminal()
    with ServedChair(model_id) as chair:
        process = terminal.spawn(app_command(chair, tmp_path), env=ENV)
        try:
            start_a_session(terminal, chair)
            if ending == "closed terminal":
                terminal.hang_up()
            else:
                process.send_signal(signal.Signals[ending])
            returncode = process.wait(timeout=60)
        finally:
            process.kill()
            if ending != "closed terminal":
                terminal.hang_up()
        # Stopped mid-scan, a chair left alone would go on to massage: it must be off.
        assert chair.wait_for(standing_by, 30), chair.state()
    sig = signal.SIGHUP if ending == "closed terminal" else signal.Signals[ending]
    assert returncode == 128 + sig
    # A closed terminal may be heard first as a failed write or read, before its SIGHUP.
    assert last_session(tmp_path) in {
        ("stopped", f"stopped by {sig.name}"),
        ("stopped", "stopped: its terminal was closed"),
    }


class _Crashing(ChairctlApp):
    """The app with a bug: a key whose action raises."""

    BINDINGS = [Binding("f9", "crash", "Crash")]  # noqa: RUF012 - Textual's own idiom

    def action_crash(self) -> None:
        raise RuntimeError("a bug in the app")

    async def shutdown(self) -> None:
        assert isinstance(self.clock, VirtualClock)
        await self.clock.run(super().shutdown())


async def crash_mid_session(app: ChairctlApp, clock: VirtualClock) -> None:
    """Start the highlighted program, let it massage, then press the key with the bug."""
    async with app.run_test(size=SIZE) as pilot:
        await advance(pilot, clock, 1)
        await pilot.press("enter", "enter")
        await advance(pilot, clock, 90)
        assert simulated(app).state().roller_technique is not None
        await pilot.press("f9")
        await advance(pilot, clock, 5)


async def test_an_exception_in_the_app_releases_the_chair(tmp_path: Path) -> None:
    ann_at_home(tmp_path)
    clock = VirtualClock()
    base = make_app(tmp_path, clock)
    app = _Crashing(home=tmp_path, clock=clock, scanner=base.scanner, programs=base.programs)
    with pytest.raises(RuntimeError, match="a bug in the app"):
        await crash_mid_session(app, clock)
    assert chair_is_safe(app)
    assert app.return_code == 1
    assert last_session(tmp_path)[0] == "interrupted"
