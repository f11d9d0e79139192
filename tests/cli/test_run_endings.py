"""Every way ``chairctl run`` ends releases the chair: a real signal to a real child process, a
closed terminal, a closed pipe, on every family, judged by the chair's own ground truth.

The chair is served on a real pty from this process (tests/served.py), so it outlives the child
and shows what the child left it doing; the session log in the child's ``--home`` says what
ended it.
"""

from __future__ import annotations

import json
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from chairctl.store import Store, database_path
from tests.cli.runhelpers import LONG, SPEED, command, run_json
from tests.served import FAMILY_MODELS, ServedChair, Terminal, at_rest, working

#: Waits on the wall clock (a real pty, another process, signals): sensitive to load.
pytestmark = pytest.mark.realtime

families = pytest.mark.parametrize("model_id", FAMILY_MODELS)


def last_session(home: Path) -> tuple[str | None, str | None]:
    with Store.open(database_path(home)) as store:
        record = store.history(limit=1)[0]
    return (record.outcome.value if record.outcome else None), record.reason


def _why_not_working(process: subprocess.Popen[str]) -> str:
    """What chairctl said, for a chair that never started working."""
    process.kill()
    out, err = process.communicate(timeout=30)
    return f"the chair never started working; chairctl said:\n{err[-3000:]}\n{out[-3000:]}"


@families
@pytest.mark.parametrize(
    ("sig", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143), (signal.SIGHUP, 129)]
)
def test_a_signal_releases_the_chair_before_the_process_exits(
    model_id: str,
    sig: signal.Signals,
    code: int,
    tmp_path: Path,
    write_program: Callable[..., Path],
) -> None:
    program = write_program(LONG)
    with ServedChair(model_id, SPEED) as chair:
        process = run_json(program, chair, tmp_path)
        try:
            assert chair.wait_for(working), _why_not_working(process)
            process.send_signal(sig)
            out, err = process.communicate(timeout=60)
        finally:
            process.kill()
        assert process.returncode == code, err
        assert at_rest(chair.state())
    last = json.loads(out.splitlines()[-1])
    assert (last["event"], last["reason"], last["chair_safe"]) == (
        "Stopped",
        f"stopped by {sig.name}",
        True,
    )
    assert f"Stopped by {sig.name}. The chair is at rest." in err
    assert "Traceback" not in err
    assert last_session(tmp_path) == ("stopped", f"stopped by {sig.name}")


@families
def test_closing_the_terminal_releases_the_chair(
    model_id: str, tmp_path: Path, write_program: Callable[..., Path]
) -> None:
    program = write_program(LONG)
    terminal = Terminal()
    with ServedChair(model_id, SPEED) as chair:
        process = terminal.spawn(command(program, chair, tmp_path))
        try:
            assert chair.wait_for(working), bytes(terminal.output).decode(errors="replace")
            terminal.hang_up()
            returncode = process.wait(timeout=60)
        finally:
            process.kill()
        assert returncode == 129
        assert at_rest(chair.state())
    assert last_session(tmp_path) == ("stopped", "stopped by SIGHUP")


@families
def test_a_closed_pipe_releases_the_chair_and_says_so_where_it_can(
    model_id: str, tmp_path: Path, write_program: Callable[..., Path]
) -> None:
    # chairctl run --json | head -2
    program = write_program(LONG)
    with ServedChair(model_id, SPEED) as chair:
        process = run_json(program, chair, tmp_path)
        try:
            assert process.stdout is not None
            assert process.stderr is not None
            assert chair.wait_for(working)
            process.stdout.readline()
            process.stdout.readline()
            process.stdout.close()
            err = process.stderr.read()
            returncode = process.wait(timeout=60)
        finally:
            process.kill()
        assert returncode == 141, err
        assert at_rest(chair.state())
    assert "Stopped: its output was closed (broken pipe). The chair is at rest." in err
    assert "Traceback" not in err
    assert "BrokenPipe" not in err
    assert last_session(tmp_path) == ("stopped", "stopped: its output was closed (broken pipe)")


@families
def test_a_reader_that_stalls_never_holds_the_stop_back(
    model_id: str, tmp_path: Path, write_program: Callable[..., Path]
) -> None:
    # chairctl run --json | less, left unscrolled: the pipe fills (64 KiB, about a second of
    # status events at this speed) and nobody reads it while the chair works and is stopped.
    program = write_program(LONG)
    with ServedChair(model_id, SPEED) as chair:
        process = run_json(program, chair, tmp_path)
        try:
            assert chair.wait_for(working), _why_not_working(process)
            # A hundred seconds of chair time (five real), unread: far more than the pipe holds.
            time.sleep(5)
            process.send_signal(signal.SIGINT)
            # ... and the stop reaches the chair while the pipe is still unread.
            assert chair.wait_for(at_rest, 30), chair.state()
            out, err = process.communicate(timeout=60)
        finally:
            process.kill()
        assert process.returncode == 130, err
    last = json.loads(out.splitlines()[-1])
    assert (last["event"], last["chair_safe"]) == ("Stopped", True)
    assert "Stopped by SIGINT. The chair is at rest." in err
    assert last_session(tmp_path) == ("stopped", "stopped by SIGINT")


@families
def test_a_chair_gone_silent_is_never_called_released(
    model_id: str, tmp_path: Path, write_program: Callable[..., Path]
) -> None:
    # The chair's line goes dead mid-session (sim serve killed): chairctl cannot stop it, and
    # must not say it did; it says what the chair will do by itself and how to stop it.
    program = write_program(LONG)
    with ServedChair(model_id, SPEED) as chair:
        process = run_json(program, chair, tmp_path)
        try:
            assert chair.wait_for(working)
            chair.unplug()
            out, err = process.communicate(timeout=120)
        finally:
            process.kill()
        assert working(chair.state())  # nobody could stop it: the words must say so
    assert process.returncode == 1, err
    words = " ".join(err.split())
    assert "The chair did not confirm its safe state: it may still be working." in words
    assert "own timer ends its program" in words
    assert "press the power key on its remote or switch it off at the wall" in words
    assert "at rest" not in words
    assert "released" not in words
    assert json.loads(out.splitlines()[-1])["chair_safe"] is False
