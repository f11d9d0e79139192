"""A chair's latched fault outlives the process that saw it.

An NCNI chair that protected itself looks switched off: a new ``chairctl run`` used to switch
it on again as if nothing had happened. The fault is kept in the store under the chair's
address; the next run to that chair refuses before anything moves, until the person says they
checked it (``--fault-checked``). Real processes, a chair served on a real pty from the test.
"""

from __future__ import annotations

import signal
import subprocess
from collections.abc import Callable
from pathlib import Path

from chairctl.store import Store, database_path
from chairctl.vocabulary import WorkState
from simulator.faults import Overload
from tests.cli.runhelpers import LONG, SPEED, command, run_json
from tests.served import ServedChair, at_rest, working


def run_to_its_end(argv: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, capture_output=True, text=True, timeout=120, check=False)


def test_a_fault_from_an_earlier_run_is_refused_until_the_chair_is_checked(
    tmp_path: Path, write_program: Callable[..., Path]
) -> None:
    program = write_program(LONG)
    with ServedChair("ncni-chair", SPEED) as chair:
        first = run_json(program, chair, tmp_path)
        try:
            assert chair.wait_for(working)
            chair.inject(Overload())  # the chair protects itself: off, stopped where it was
            _out, err = first.communicate(timeout=120)
        finally:
            first.kill()
        assert first.returncode == 1, err
        with Store.open(database_path(tmp_path)) as store:
            assert store.remembered_fault(f"serial {chair.path}") is not None

        # The next run: the chair looks switched off, and is refused before anything moves.
        again = run_to_its_end(command(program, chair, tmp_path))
        assert again.returncode == 1
        words = " ".join(again.stderr.split())
        assert "this chair reported a fault on" in words
        assert "nobody has cleared it since" in words
        assert "--fault-checked" in words
        # Still as it protected itself: no key reached it (POWER would have switched it on).
        state = chair.state()
        assert state.work_state is WorkState.FAULT
        assert at_rest(state)

        # The person checked the chair: it runs, and the fault is forgotten.
        checked = run_json(program, chair, tmp_path, "--fault-checked")
        try:
            assert chair.wait_for(working)
            checked.send_signal(signal.SIGINT)
            _out, err = checked.communicate(timeout=60)
        finally:
            checked.kill()
        assert checked.returncode == 130, err
        assert at_rest(chair.state())
    with Store.open(database_path(tmp_path)) as store:
        assert store.remembered_fault(f"serial {chair.path}") is None
