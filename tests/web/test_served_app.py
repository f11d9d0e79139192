"""The app as ``chairctl web`` serves it to a browser tab: it starts without a terminal (its
terminal is the tab, through pipes), quits when the tab closes, and when its server goes away
without a word it releases the chair and ends, as it does when its terminal closes.

Each tab's app is a real child process spoken to as textual-serve speaks to it (tests/web/tab.py);
the chair is served on a real pty from this process (tests/served.py), so its ground truth
outlives the app.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from chairctl.safety.profile import HealthScreening, Profile
from chairctl.store import Store, database_path
from chairctl.tui.screens.safety_notice import NOTICE, NOTICE_VERSION
from chairctl.tui.web import TAB_GONE
from tests.conftest import Run
from tests.served import FAMILY_MODELS, ServedChair, standing_by, switched_on
from tests.web.tab import Tab

#: Waits on the wall clock (real processes, a real pty): sensitive to load.
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


def environment(home: Path) -> dict[str, str]:
    env = {**os.environ, "CHAIRCTL_HOME": str(home)}
    env.pop("TEXTUAL", None)
    return env


def test_off_a_terminal_plain_chairctl_still_lists_the_library(
    chairctl: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TEXTUAL_DRIVER", raising=False)
    done = chairctl()
    assert done.code == 0
    assert "lower-back-relief" in done.out


def test_the_served_app_starts_without_a_terminal_and_quits_with_its_tab(tmp_path: Path) -> None:
    tab = Tab()
    process = tab.spawn(
        [sys.executable, "-m", "chairctl"], environment(tmp_path), tmp_path / "app.log"
    )
    try:
        tab.wait_started()
        tab.wait_for(b"Before you use the chair")  # a first run: the notice over the library
        tab.wait_for(b"Simulated chair")
        tab.quit()
        assert process.wait(timeout=30) == 0
    finally:
        tab.end()


def start_a_session(tab: Tab, chair: ServedChair) -> None:
    """Filter the library to a program every family runs, choose it, start it."""
    tab.wait_for(b"Five-minute")  # the library is read in a thread after the first paint
    for keys in ("/", "five-minute", "\r", "\r"):
        tab.type(keys)
        time.sleep(0.5)  # each key's screen comes up before the next: a person's pace
    assert chair.wait_for(switched_on, 30), (
        "the chair was never switched on; the tab showed:\n"
        + bytes(tab.screen[-4000:]).decode(errors="replace")
    )


@pytest.mark.parametrize("output", [False, True], ids=["its keys end", "its screen is gone"])
def test_the_served_app_releases_the_chair_when_its_server_goes_away(
    output: bool, tmp_path: Path
) -> None:
    ann_at_home(tmp_path)
    rongtai = FAMILY_MODELS[0]
    tab = Tab()
    with ServedChair(rongtai) as chair:
        command = [sys.executable, "-m", "chairctl", "--chair", chair.path, "--model", rongtai]
        command += ["--profile", ANN.name, "--home", str(tmp_path)]
        process = tab.spawn(command, environment(tmp_path), tmp_path / "app.log")
        try:
            tab.wait_started()
            start_a_session(tab, chair)
            if output:
                tab.close_output()
            else:
                tab.close_input()
            returncode = process.wait(timeout=60)
        finally:
            tab.end()
        # Stopped mid-scan, a chair left alone would go on to massage: it must be off.
        assert chair.wait_for(standing_by, 30), chair.state()
    assert returncode == 129
    assert last_session(tmp_path) == ("stopped", f"stopped: {TAB_GONE}")
