"""``--guest`` on a real terminal: the guest's few questions are asked, any yes refuses before
anything moves, and all no gives a guest's limits. The child runs on a real pty."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from chairctl.safety.screening import GUEST_BLOCK_QUESTIONS
from tests.served import Terminal


def ask(terminal: Terminal, answers: list[str], home: Path, *command: str) -> tuple[int, str]:
    process = terminal.spawn([sys.executable, "-m", "chairctl", *command, "--home", str(home)])
    try:
        for number, answer in enumerate(answers, start=1):
            deadline = time.monotonic() + 30
            while terminal.output.count(b"[y/N]") < number and time.monotonic() < deadline:
                time.sleep(0.05)  # the next question is not on the screen yet
            terminal.write(answer + "\r")
        code = process.wait(timeout=60)
    finally:
        process.kill()
    time.sleep(0.2)  # the last words drain from the pty
    terminal.hang_up()
    return code, bytes(terminal.output).decode(errors="replace")


def test_all_no_gives_a_guest_s_limits(tmp_path: Path) -> None:
    answers = ["n"] * len(GUEST_BLOCK_QUESTIONS)
    code, said = ask(Terminal(), answers, tmp_path, "show", "five-minute-reset", "--guest")
    assert code == 0, said
    assert said.count("[y/N]") == len(GUEST_BLOCK_QUESTIONS)
    assert GUEST_BLOCK_QUESTIONS[0].text in " ".join(said.split())
    assert "Guest: intensity at most 2" in " ".join(said.split())


def test_a_yes_refuses_before_anything_moves(tmp_path: Path) -> None:
    # The calf question comes first: a possible clot, on the built-in chair.
    code, said = ask(Terminal(), ["y"] + ["n"] * 7, tmp_path, "run", "five-minute-reset", "--guest")
    words = " ".join(said.split())
    assert code == 1, said
    assert "see a doctor today" in words.lower()
    assert "Five-minute reset —" not in words  # the session never began
    assert "Traceback" not in said
