"""``chairctl`` as a person runs it: on a terminal (a real pty) it opens the app on the
built-in simulated chair, in real time, and q quits; the app's options are checked first."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from chairctl.cli import main
from chairctl.services.chairs import parse_chair
from chairctl.tui.launch import open_app
from chairctl.vocabulary import ChairctlError, UnknownModel

#: Waits on the wall clock (a real pty, another process, signals): sensitive to load.
pytestmark = pytest.mark.realtime


def read_until(fd: int, wanted: bytes, seconds: float) -> bytes:
    """What the process drew, until ``wanted`` appears (real time: it is another process)."""
    seen = b""
    end = time.monotonic() + seconds
    while wanted not in seen:
        left = end - time.monotonic()
        if left <= 0:
            raise AssertionError(f"{wanted!r} did not appear; the screen had: {seen[-2000:]!r}")
        ready, _, _ = select.select([fd], [], [], left)
        if ready:
            try:
                seen += os.read(fd, 65536)
            except OSError:
                break
    return seen


def test_chairctl_on_a_terminal_opens_the_app_and_q_quits(tmp_path: Path) -> None:
    leader, follower = pty.openpty()
    env = {**os.environ, "CHAIRCTL_HOME": str(tmp_path), "TERM": "xterm-256color"}
    env.pop("TEXTUAL", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "chairctl"],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env=env,
        close_fds=True,
    )
    os.close(follower)
    try:
        # First run: the safety notice over the library, on the simulated chair. (Textual
        # redraws only what changes, so each wait is for text that the step itself draws.)
        drawn = read_until(leader, b"Before you use the chair", 20)
        drawn += read_until(leader, b"Rongtai RT8600S", 10) if b"RT8600S" not in drawn else b""
        os.write(leader, b"b")  # not now: the notice closes and says it will come back
        read_until(leader, b"comes back", 10)
        os.write(leader, b"q")
        assert process.wait(timeout=20) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(leader)


def test_the_apps_options_go_before_no_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--chair", "sim", "list"])
    assert exit_info.value.code == 2
    assert "give them after the command" in capsys.readouterr().err


def test_the_apps_arguments_are_checked_before_the_screen_changes(tmp_path: Path) -> None:
    # The command line turns these into one line and exit 1, as for every command.
    with pytest.raises(ChairctlError, match="no profile 'Nobody'"):
        open_app(parse_chair("sim"), None, "Nobody", tmp_path)
    with pytest.raises(UnknownModel):
        open_app(parse_chair("sim"), "no-such-chair", None, tmp_path)


def test_starting_loads_no_bluetooth_stack_until_a_scan_or_a_ble_chair_asks() -> None:
    # bleak is a good part of a start-up; the command line and the app load it on demand.
    code = (
        "import sys, chairctl.tui.launch, chairctl.tui.app; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('bleak', 'dbus_fast')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
