"""Start-up and memory: how soon chairctl answers, how soon the app paints, how much it takes.

Every use of chairctl starts a Python process, so its start-up is paid by each command a person
or a script types; the app must show something at once (the app's issue asks for a first paint
in under a second) and its library soon after. Each command runs as a separate process, as a
person runs it, from the repository root; the app runs in a real pseudo-terminal with a fresh
``CHAIRCTL_HOME`` (a first run: the safety notice opens over the library). Peak memory is each
process's maximum resident set size, as the kernel reports it when the process is reaped.

The processes get a bytecode cache of their own, filled by untimed first runs, so they start
as an installed chairctl does after its first run. Without one (as when
``PYTHONDONTWRITEBYTECODE`` is set, which some development containers do) every start compiles
chairctl and its libraries from source and takes much longer; the app's untimed first run is
kept as a figure of that.
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import struct
import subprocess
import sys
import tempfile
import termios
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.results import Section, Table
from bench.stats import Summary
from chairctl.program import load_program
from chairctl.program.library import library_dir

#: Commands are run from here, as a developer runs them in a checkout.
REPO = Path(__file__).resolve().parents[1]
#: The app's first paint should come within this many seconds (p95 over the trials).
FIRST_PAINT_GOAL_S = 1.0
#: The header's text: "chairctl — Simulated chair · " and the model. Textual writes each
#: styled run of text whole, and this run has one style, so no escape sequence splits it.
HEADER = b"Simulated chair"
#: The pseudo-terminal's size (rows, columns): a common terminal window.
ROWS, COLUMNS = 40, 120
#: How long any one process may take before the benchmark gives up on it.
TIMEOUT_S = 60.0


@dataclass(frozen=True)
class _Process:
    """One finished process: wall seconds from spawn to reaped, and peak RSS in kilobytes."""

    wall_s: float
    peak_rss_kb: int


#: The bytecode cache of the processes measured (set by :func:`run`; see the module's doc).
_bytecode: Path | None = None


def _env(home: Path) -> dict[str, str]:
    # A fresh home: nothing of the developer's own profiles or history is read or written, and
    # every trial starts from the same state. Textual's devtools switch would change its output.
    env = {
        **os.environ,
        "CHAIRCTL_HOME": str(home),
        "TERM": "xterm-256color",
        "CHAIRCTL_BENCH_PEAK": str(home / "peak"),
    }
    for name in ("TEXTUAL", "COLUMNS", "LINES", "PYTHONDONTWRITEBYTECODE"):
        env.pop(name, None)
    if _bytecode is not None:
        # Outside the checkout: the benchmark leaves no __pycache__ folders behind.
        env["PYTHONPYCACHEPREFIX"] = str(_bytecode)
    return env


#: How each measured process starts: chairctl's own entry point (``python -m chairctl``), with
#: a hook that writes the process's peak resident memory (VmHWM, kB) to a file as it exits.
#: ``ru_maxrss`` from ``wait4`` will not do: Linux carries a process's high-water mark over
#: ``fork`` and ``exec``, so every child would report at least the benchmark's own memory.
_BOOT = """\
import atexit, os, runpy, sys

def _peak():
    with open("/proc/self/status") as status:
        kb = next(line.split()[1] for line in status if line.startswith("VmHWM:"))
    with open(os.environ["CHAIRCTL_BENCH_PEAK"], "w") as out:
        out.write(kb)

atexit.register(_peak)
sys.argv[0] = "chairctl"
runpy.run_module("chairctl", run_name="__main__", alter_sys=True)
"""


def _argv(args: Sequence[str]) -> list[str]:
    return [sys.executable, "-c", _BOOT, *args]


def _reap(process: subprocess.Popen[bytes], what: str, peak_file: Path) -> int:
    """Wait for ``process``; its peak RSS in kB, as it wrote it on its way out."""
    if process.wait() != 0:
        raise SystemExit(f"bench.startup: {what} exited with {process.returncode}")
    return int(peak_file.read_text())


def _command(args: Sequence[str]) -> _Process:
    """Run ``chairctl ARGS`` to completion, its output discarded."""
    with tempfile.TemporaryDirectory(prefix="chairctl-bench-") as home:
        env, peak_file = _env(Path(home)), Path(home) / "peak"
        started = time.perf_counter()
        process = subprocess.Popen(
            _argv(args),
            cwd=REPO,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        peak = _reap(process, f"chairctl {' '.join(args)}", peak_file)
        return _Process(time.perf_counter() - started, peak)


@dataclass(frozen=True)
class _App:
    """One run of the app: seconds to the header, to the library, and peak RSS in KB."""

    first_paint_s: float
    library_s: float
    peak_rss_kb: int


class _Terminal:
    """The leader side of the app's pseudo-terminal: everything the app drew, as it came."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.seen = b""
        self.closed = False

    def read(self, seconds: float) -> None:
        """Read what arrives within ``seconds`` (returns after the first chunk)."""
        ready, _, _ = select.select([self.fd], [], [], max(0.0, seconds))
        if not ready:
            return
        try:
            chunk = os.read(self.fd, 65536)
        except OSError:  # EIO: the app has exited and closed the terminal
            chunk = b""
        if not chunk:
            self.closed = True
        self.seen += chunk

    def until(self, tokens: Sequence[bytes], started: float, deadline: float) -> float:
        """Seconds from ``started`` until one of ``tokens`` has appeared."""
        while not any(token in self.seen for token in tokens):
            if self.closed or time.perf_counter() > deadline:
                raise SystemExit(
                    f"bench.startup: the app never showed {tokens[0]!r}; it drew: "
                    f"{self.seen[-2000:]!r}"
                )
            self.read(deadline - time.perf_counter())
        return time.perf_counter() - started

    def write(self, keys: bytes) -> None:
        try:
            os.write(self.fd, keys)
        except OSError:  # the app is already gone
            self.closed = True


def _library_tokens() -> list[bytes]:
    """The first word of each library program's name that no other text on screen has.

    Only a first word: a row may be cut at the screen's edge or by the dialog drawn over it.
    Only hyphenated ones ("Five-minute"): a plain word such as "Gentle" could also be a
    category or a word of the notice.
    """
    names = [load_program(path).name for path in sorted(library_dir().glob("*.yaml"))]
    return sorted({name.split()[0].encode() for name in names if "-" in name.split()[0]})


def _app(tokens: Sequence[bytes]) -> _App:
    """Open the app in a pseudo-terminal, wait for its header and library, then quit it."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
    terminal = _Terminal(leader)
    with tempfile.TemporaryDirectory(prefix="chairctl-bench-") as home:
        env, peak_file = _env(Path(home)), Path(home) / "peak"
        started = time.perf_counter()
        process = subprocess.Popen(
            _argv([]),
            cwd=REPO,
            env=env,
            stdin=follower,
            stdout=follower,
            stderr=follower,
            close_fds=True,
        )
        os.close(follower)
        try:
            deadline = started + TIMEOUT_S
            first_paint = terminal.until([HEADER], started, deadline)
            library = terminal.until(tokens, started, deadline)
            # First run: dismiss the safety notice ("Not now"), then quit. q is sent again
            # each second until the app is gone, in case a key lands while a screen changes;
            # the terminal is drained all along, or the app would block writing to it.
            terminal.write(b"b")
            while not terminal.closed and time.perf_counter() < deadline:
                terminal.write(b"q")
                quit_by = time.perf_counter() + 1.0
                while not terminal.closed and time.perf_counter() < quit_by:
                    terminal.read(quit_by - time.perf_counter())
            if not terminal.closed:
                raise SystemExit("bench.startup: the app did not quit on q")
            peak = _reap(process, "chairctl (the app)", peak_file)
        finally:
            if process.returncode is None:
                process.kill()
                process.wait()
            os.close(leader)
    return _App(first_paint, library, peak)


def _seconds(value: float) -> str:
    return f"{value * 1000:,.0f} ms"


def _mb(kilobytes: float) -> str:
    return f"{kilobytes / 1024:,.0f} MB"


def _wall_row(label: str, summary: Summary) -> list[str]:
    return [label, _seconds(summary.median), _seconds(summary.p95), _seconds(summary.max)]


def run(quick: bool) -> Section:
    """Time the commands and the app, and take their peak memory."""
    global _bytecode  # noqa: PLW0603 - one cache for every process of this run
    with tempfile.TemporaryDirectory(prefix="chairctl-bench-bytecode-") as bytecode:
        _bytecode = Path(bytecode)
        try:
            return _measure(quick)
        finally:
            _bytecode = None


def _measure(quick: bool) -> Section:
    command_trials = 3 if quick else 15
    app_trials = 2 if quick else 10
    check_trials = 1 if quick else 3
    commands: dict[str, list[str]] = {
        "chairctl --help": ["--help"],
        "chairctl validate programs/": ["validate", "programs/"],
        "chairctl check programs/": ["check", "programs/"],
    }
    tokens = _library_tokens()
    # Untimed first runs fill the bytecode cache (and the file system's): the app imports the
    # command line, the program loader and Textual; check adds the engine, drivers and
    # simulator. The app's first run is the figure of a start without bytecode.
    cold_app = _app(tokens)
    one_program = str(sorted(library_dir().glob("*.yaml"))[0].relative_to(REPO))
    _command(["check", one_program])
    runs: dict[str, list[_Process]] = {}
    for label, args in commands.items():
        trials = check_trials if args[0] == "check" else command_trials
        runs[label] = [_command(args) for _ in range(trials)]
    apps = [_app(tokens) for _ in range(app_trials)]

    walls = {label: Summary.of([p.wall_s for p in done]) for label, done in runs.items()}
    rss = {label: Summary.of([p.peak_rss_kb for p in done]) for label, done in runs.items()}
    first_paint = Summary.of([a.first_paint_s for a in apps])
    library = Summary.of([a.library_s for a in apps])
    rss["chairctl (the app)"] = Summary.of([a.peak_rss_kb for a in apps])

    figures: dict[str, Any] = {
        "commands": {
            label: {"wall_s": walls[label].as_dict(), "peak_rss_kb": rss[label].as_dict()}
            for label in commands
        },
        "app": {
            "terminal": {"rows": ROWS, "columns": COLUMNS},
            "first_paint_s": first_paint.as_dict(),
            "library_listed_s": library.as_dict(),
            "peak_rss_kb": rss["chairctl (the app)"].as_dict(),
        },
        "goal_first_paint_p95_s": FIRST_PAINT_GOAL_S,
        "without_bytecode": {
            "app_first_paint_s": cold_app.first_paint_s,
            "app_library_listed_s": cold_app.library_s,
        },
    }
    help_median = walls["chairctl --help"].median
    notes = [
        f"The app paints its header {_seconds(first_paint.median)} after it is started "
        f"(median; p95 {_seconds(first_paint.p95)}) and lists the library "
        f"{_seconds(library.median - first_paint.median)} later (median of each).",
        f"Starting Python and chairctl's command line alone (`chairctl --help`) takes "
        f"{_seconds(help_median)}, {help_median / first_paint.median:.0%} of the first paint.",
        f"Without bytecode (the app's untimed first run), the first paint took "
        f"{_seconds(cold_app.first_paint_s)}, {cold_app.first_paint_s / first_paint.median:.1f} "
        "times as long.",
        "Wall time is from just before the process is spawned until it is reaped; peak RSS is "
        "the process's peak resident set size (VmHWM, which the process reads itself as it "
        "exits: `ru_maxrss` would carry over the benchmark's own memory through fork and exec).",
    ]
    plural = "s" if app_trials != 1 else ""
    return Section(
        key="startup",
        title="Start-up and memory",
        method=(
            f"Each command as a new process from the repository root ({command_trials} trials; "
            f"`check` {check_trials}), and the app in a {COLUMNS}×{ROWS} pseudo-terminal on "
            f"a fresh home ({app_trials} trial{plural}): time to the header (first paint), to "
            "the library's rows, and peak memory."
        ),
        goal=f"the app's first paint in under {FIRST_PAINT_GOAL_S:g} s (p95)",
        met=first_paint.p95 < FIRST_PAINT_GOAL_S,
        tables=[
            Table(
                ["command", "median", "p95", "max"],
                [_wall_row(label, walls[label]) for label in commands],
            ),
            Table(
                ["the app (`chairctl`)", "median", "p95", "max"],
                [
                    _wall_row("first paint (header)", first_paint),
                    _wall_row("library listed", library),
                ],
            ),
            Table(
                ["process", "peak RSS median", "max"],
                [[label, _mb(s.median), _mb(s.max)] for label, s in rss.items()],
            ),
        ],
        figures=figures,
        notes=notes,
    )
