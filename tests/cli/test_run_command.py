"""chairctl run on the simulated chair: finishing, JSON events, faults, bad input, Ctrl-C."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from drivers.models import DEFAULT_MODEL
from tests.cli.runhelpers import SHORT, run


def test_a_program_runs_to_its_end(
    capsys: pytest.CaptureFixture[str], write_program: Callable[..., Path]
) -> None:
    code, out, _ = run(capsys, str(write_program(SHORT)), "--speed", "200")
    assert code == 0
    assert "Finished Short." in out
    assert "Keep the chair's remote within reach" in out


def test_json_prints_one_event_per_line(
    capsys: pytest.CaptureFixture[str], write_program: Callable[..., Path]
) -> None:
    code, out, err = run(capsys, str(write_program(SHORT)), "--speed", "200", "--json")
    assert code == 0
    events = [json.loads(line) for line in out.splitlines()]
    kinds = [e["event"] for e in events]
    assert kinds.index("StepStarted") < kinds.index("SessionStarted") < kinds.index("Finished")
    steps = [e for e in events if e["event"] == "StepStarted"]
    assert [(s["step"], s["intensity"], s["regions"]) for s in steps] == [
        ("Warm up", 2, ["mid_back"]),
        ("Lower back", 3, ["lower_back"]),
    ]
    assert events[-1] == {
        "event": "Finished",
        "at": pytest.approx(120, abs=0.5),
        "chair_safe": True,
    }
    assert "Short" in err  # the pre-flight report goes to stderr with --json


def test_a_fault_stops_safely_and_exits_1(
    capsys: pytest.CaptureFixture[str], write_program: Callable[..., Path]
) -> None:
    path = write_program(SHORT)
    code, out, _ = run(capsys, str(path), "--speed", "200", "--fault", "overload@60", "--json")
    assert code == 1
    events = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    faults = [e for e in events if e["event"] == "FaultRaised"]
    assert faults
    assert "fault" in faults[0]["message"]
    assert events[-1]["event"] == "Stopped"
    assert events[-1]["outcome"] == "fault"


def test_an_invalid_program_touches_no_chair(
    capsys: pytest.CaptureFixture[str], write_program: Callable[..., Path]
) -> None:
    path = write_program(
        SHORT.replace("technique: knead, region: mid_back", "technique: tap, region: neck")
    )
    code, out, err = run(capsys, str(path))
    assert code == 1
    assert out == ""
    assert err.startswith(f"{path}:9:")
    assert "percussion (tap) is never allowed at the neck" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--chair", "bogus"], "'bogus' is not a chair"),
        (
            ["--chair", "ble:EVOLUTION-*", "--guest", "--speed", "5"],
            "only a simulated chair runs faster",
        ),
        (["--profile", "ann", "--guest"], "give one of them, not both"),
        (["--fault", "meltdown@5"], "unknown fault 'meltdown'; known: overload"),
    ],
)
def test_bad_options_are_one_line(
    capsys: pytest.CaptureFixture[str],
    write_program: Callable[..., Path],
    args: list[str],
    message: str,
) -> None:
    code, _, err = run(capsys, str(write_program(SHORT)), *args)
    assert code == 2
    assert message in err
    assert "Traceback" not in err


def test_a_missing_serial_chair_is_one_clear_error(
    capsys: pytest.CaptureFixture[str], write_program: Callable[..., Path]
) -> None:
    code, _, err = run(capsys, str(write_program(SHORT)), "--chair", "/dev/ttyUSB-none", "--guest")
    assert code == 1
    assert err.startswith("chairctl: ")
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    "chair",
    ["/dev/ttyUSB-none", "socket://127.0.0.1:9", "ble:EVOLUTION-*", "ble:AA:BB:CC:DD:EE:FF"],
)
def test_a_real_chair_needs_to_know_who_is_in_it(
    capsys: pytest.CaptureFixture[str], write_program: Callable[..., Path], chair: str
) -> None:
    # Refused before the chair is reached (the port does not even exist): nothing moves.
    code, out, err = run(capsys, str(write_program(SHORT)), "--chair", chair)
    assert code == 2
    assert out == ""
    words = " ".join(err.split())
    assert "who is in the chair?" in words
    assert "--profile NAME" in words
    assert "--guest" in words
    assert "Traceback" not in err


def test_ctrl_c_stops_the_chair_and_exits_130(write_program: Callable[..., Path]) -> None:
    path = write_program(SHORT)
    process = subprocess.Popen(
        [sys.executable, "-m", "chairctl", "run", str(path), "--speed", "10", "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        for line in process.stdout:  # blocks until the chair has started the first step
            if '"SessionStarted"' in line:
                break
        process.send_signal(signal.SIGINT)
        rest, err = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode == 130, err
    last = json.loads(rest.splitlines()[-1])
    assert last["event"] == "Stopped"
    assert last["reason"] == "stopped by SIGINT"
    assert last["chair_safe"] is True


def test_run_against_a_chair_served_by_another_process(write_program: Callable[..., Path]) -> None:
    path = write_program(SHORT)
    server = subprocess.Popen(
        [sys.executable, "-m", "chairctl", "sim", "serve", "--pty", "--speed", "20"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        pty = server.stdout.readline().strip()
        assert pty.startswith("/dev/")
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "chairctl",
                "run",
                str(path),
                "--chair",
                pty,
                "--model",
                DEFAULT_MODEL,
                "--guest",
                "--speed",
                "20",
                "--json",
            ],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        last = json.loads(done.stdout.splitlines()[-1])
        assert last == {"event": "Finished", "at": pytest.approx(120, abs=2), "chair_safe": True}
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=10) == 0
    finally:
        server.kill()


def test_a_serial_line_without_a_model_is_refused_before_it_is_opened(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # A serial line cannot say which chair is on it; a guess would send one family's keys to
    # another's board. (The path does not exist: opening it would be a different error.)
    line = tmp_path / "ttyNOTHING"
    code, out, err = run(capsys, "lower-back-relief", "--chair", str(line), "--guest")
    assert code == 1
    assert err.strip() == (
        f"chairctl: a serial line cannot say which chair is on it: give --model for {line} "
        "(`chairctl models` lists them)"
    )
    assert out == ""
