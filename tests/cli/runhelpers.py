"""What the tests of ``chairctl run`` share: short and long test programs, running the command
in this process, and starting it as a child process on a served chair."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from chairctl.cli import main
from chairctl.safety.profile import HealthScreening, Profile
from chairctl.store import Store, database_path
from tests.served import ServedChair

SHORT = """\
format: 1
id: {id}
name: Short
summary: Two minutes for the tests.
description: Used by the tests of chairctl run.
category: relaxation
goals: [tension]
steps:
  - {name: Warm up, duration: 60, technique: knead, region: mid_back, intensity: 2}
  - {name: Lower back, duration: 60, technique: knead, region: lower_back, intensity: 3}
"""


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exited:
        main(["run", *args])
    out, err = capsys.readouterr()
    code = exited.value.code
    return (code if isinstance(code, int) else 1), out, err


#: Ten minutes: it never ends by itself while a test waits for it to work.
LONG = """\
format: 1
id: {id}
name: Long
summary: Ten minutes for the tests.
description: Used by the tests of how chairctl run ends.
category: relaxation
goals: [tension]
steps:
  - {name: Mid back, duration: 5m, technique: knead, region: mid_back, intensity: 2}
  - {name: Lower back, duration: 5m, technique: knead, region: lower_back, intensity: 2}
"""

SPEED = 20.0

#: Whoever sits in the served chair: a real chair's session is always someone's. A profile
#: (not --guest, whose questions a terminal would ask first).
TESTER = Profile(name="Tess", health=HealthScreening(age=40, first_use=False))


def seated(home: Path) -> str:
    """Save :data:`TESTER` in ``home`` (once); her name for --profile."""
    with Store.open(database_path(home)) as store:
        if store.get_profile(TESTER.name) is None:
            store.put_profile(TESTER.name, TESTER.model_dump_json())
    return TESTER.name


def command(program: Path, chair: ServedChair, home: Path, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "chairctl",
        "run",
        str(program),
        "--chair",
        chair.path,
        "--model",
        chair.model_id,
        "--speed",
        str(SPEED),
        "--home",
        str(home),
        "--profile",
        seated(home),
        *extra,
    ]


def run_json(program: Path, chair: ServedChair, home: Path, *extra: str) -> subprocess.Popen[str]:
    """``chairctl run --json`` on the served chair, its output piped to the test."""
    return subprocess.Popen(
        command(program, chair, home, "--json", *extra),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
