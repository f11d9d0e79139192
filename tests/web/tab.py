"""The app as textual-serve runs it for one browser tab: a child process whose terminal is two
pipes, Textual's web driver named in its environment, and textual-serve's packets on them (a
type byte, a 4-byte big-endian length, the payload: ``D`` screen data or keys, ``M`` a JSON
meta message such as a resize or ``quit``).

The test plays the server's part, so it can also do what a server does when it dies: close its
ends of the pipes without a word. Real processes mean real time: the waits here are hang guards, never
measurements.
"""

from __future__ import annotations

import json
import os
import select
import subprocess
import threading
import time
from pathlib import Path
from typing import Final

from chairctl.cli.app import WEB_DRIVER

#: The tab's size, as the page reports it.
COLUMNS, ROWS = 120, 40
#: The line Textual's web driver writes before its first packet.
PRELUDE: Final = b"__GANGLION__\n"


def packet(kind: bytes, payload: bytes) -> bytes:
    return kind + len(payload).to_bytes(4, "big") + payload


class Tab:
    """One tab's app: ``spawn`` it, read what it drew (:attr:`screen`), type, quit, or vanish."""

    def __init__(self) -> None:
        self.process: subprocess.Popen[bytes] | None = None
        #: Everything before the prelude (an app that did not start says why here).
        self.before = bytearray()
        self.started = threading.Event()
        #: The screen data the app sent, packets' payloads joined.
        self.screen = bytearray()
        self.metas: list[dict[str, object]] = []
        self._reader: threading.Thread | None = None
        self._reading = True
        self.log: Path | None = None

    def spawn(self, argv: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
        """Start the app; what it writes to stderr goes to ``log`` (textual-serve keeps it for
        its own console)."""
        served = {
            **env,
            "TEXTUAL_DRIVER": WEB_DRIVER,
            "TEXTUAL_COLOR_SYSTEM": "truecolor",
            "COLUMNS": str(COLUMNS),
            "ROWS": str(ROWS),
        }
        self.log = log
        with log.open("wb") as errors:
            self.process = subprocess.Popen(
                argv,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=errors,
                env=served,
                start_new_session=True,
            )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        return self.process

    def _read(self) -> None:
        assert self.process is not None
        assert self.process.stdout is not None
        fd = self.process.stdout.fileno()
        pending = b""
        while self._reading:
            ready, _, _ = select.select([fd], [], [], 0.1)
            if not ready:
                continue
            data = os.read(fd, 65536)
            if not data:
                return
            pending = self._take(pending + data)

    def _take(self, data: bytes) -> bytes:
        """Take what ``data`` holds whole; the rest, for the next read."""
        if not self.started.is_set():
            before, found, data = data.partition(PRELUDE)
            if not found:
                return before
            self.before += before
            self.started.set()
        while len(data) >= 5:
            size = int.from_bytes(data[1:5], "big")
            if len(data) < 5 + size:
                break
            kind, payload, data = data[:1], data[5 : 5 + size], data[5 + size :]
            if kind == b"M":
                self.metas.append(json.loads(payload))
            else:
                self.screen += payload
        return data

    def wait_started(self, limit_s: float = 30.0) -> None:
        """Wait for the app's first packet; an app that did not start says why."""
        if not self.started.wait(limit_s):
            said = self.log.read_text(errors="replace")[-3000:] if self.log else ""
            raise AssertionError(f"the app did not start: {bytes(self.before)!r} {said}")

    def wait_for(self, text: bytes, limit_s: float = 30.0) -> None:
        """Wait until the app has drawn ``text``."""
        end = time.monotonic() + limit_s
        while text not in self.screen:
            if time.monotonic() > end:
                shown = bytes(self.screen[-3000:]).decode(errors="replace")
                raise AssertionError(f"{text!r} never appeared; the tab showed: {shown}")
            time.sleep(0.05)

    def _send(self, data: bytes) -> None:
        assert self.process is not None
        assert self.process.stdin is not None
        self.process.stdin.write(data)
        self.process.stdin.flush()

    def type(self, keys: str) -> None:
        """Keys pressed in the tab."""
        self._send(packet(b"D", keys.encode()))

    def quit(self) -> None:
        """The tab closed: textual-serve tells the app to quit."""
        self._send(packet(b"M", json.dumps({"type": "quit"}).encode()))

    def close_input(self) -> None:
        """The server's end of the app's input closes, as when it dies; nothing is said."""
        assert self.process is not None
        assert self.process.stdin is not None
        self.process.stdin.close()

    def close_output(self) -> None:
        """The server's end of the app's output closes, as when it dies: what the app draws
        has nowhere to go."""
        assert self.process is not None
        assert self.process.stdout is not None
        self._reading = False
        if self._reader is not None:
            self._reader.join(timeout=5)
        self.process.stdout.close()

    def end(self) -> None:
        """However the test went: no app left behind."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
