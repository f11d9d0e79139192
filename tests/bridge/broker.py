"""A real MQTT broker for the tests, on 127.0.0.1 and a free port: Debian's mosquitto when it
is installed (CI installs it), else amqtt (a dev dependency) on a thread of its own, so the
suite passes on a fresh machine with nothing but ``uv``.

``CHAIRCTL_TEST_BROKER=amqtt`` (or ``mosquitto``) chooses one. Either can be stopped in the
middle of a test (the broker lost) and started again on the same port. Real processes and
sockets mean real time: the waits here are hang guards, never measurements.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import socket
import subprocess
import threading
import time
from pathlib import Path
from types import TracebackType
from typing import Any, Final, Protocol

#: Where Debian puts mosquitto (``/usr/sbin``, not on every user's PATH).
_MOSQUITTO_PLACES: Final = ("/usr/sbin/mosquitto", "/usr/local/sbin/mosquitto")
#: How long a broker may take to start listening before the test gives up.
_START_S: Final = 20.0


def mosquitto_binary() -> str | None:
    """The mosquitto program, None when it is not installed."""
    found = shutil.which("mosquitto")
    if found is not None:
        return found
    return next((place for place in _MOSQUITTO_PLACES if os.access(place, os.X_OK)), None)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nobody listens on (just now)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _listening(port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
        return True
    return False


def _wait_listening(port: int, what: str) -> None:
    end = time.monotonic() + _START_S
    while time.monotonic() < end:
        if _listening(port):
            return
        time.sleep(0.05)
    raise RuntimeError(f"{what} did not listen on 127.0.0.1:{port} within {_START_S:g} s")


class Broker(Protocol):
    """A broker the tests reach at ``mqtt://127.0.0.1:<port>``; ``with`` starts and stops it."""

    kind: str
    host: str
    port: int

    def url(self, prefix: str = "") -> str: ...

    def start(self) -> None: ...

    def stop(self) -> None: ...

    def __enter__(self) -> Broker: ...

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None: ...


class _Base:
    kind = ""
    host = "127.0.0.1"

    def __init__(self) -> None:
        self.port = free_port()

    def url(self, prefix: str = "") -> str:
        return f"mqtt://{self.host}:{self.port}" + (f"/{prefix}" if prefix else "")

    def start(self) -> None:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Broker:
        self.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()


class Mosquitto(_Base):
    """mosquitto in a child process, with a config of its own: one listener, anonymous."""

    kind = "mosquitto"

    def __init__(self, binary: str, folder: Path) -> None:
        super().__init__()
        self._binary = binary
        self._config = folder / "mosquitto.conf"
        self._log = folder / "mosquitto.log"
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self._config.write_text(
            f"listener {self.port} 127.0.0.1\nallow_anonymous true\npersistence false\n",
            encoding="utf-8",
        )
        with self._log.open("ab") as log:
            self._process = subprocess.Popen(
                [self._binary, "-c", str(self._config)], stdout=log, stderr=log
            )
        _wait_listening(self.port, "mosquitto")

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


class Amqtt(_Base):
    """amqtt's broker on an event loop of its own, in a thread of this process."""

    kind = "amqtt"

    def __init__(self) -> None:
        super().__init__()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._broker: Any = None

    def start(self) -> None:
        loop = self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=loop.run_forever, daemon=True)
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), loop).result(timeout=_START_S)
        _wait_listening(self.port, "amqtt")

    async def _start(self) -> None:
        # Loaded only when amqtt is the broker: mosquitto needs none of it.
        from amqtt.broker import Broker as AmqttBroker  # type: ignore[import-untyped]

        self._broker = AmqttBroker(
            {
                "listeners": {"default": {"type": "tcp", "bind": f"127.0.0.1:{self.port}"}},
                "plugins": {"amqtt.plugins.authentication.AnonymousAuthPlugin": {}},
            }
        )
        await self._broker.start()

    def stop(self) -> None:
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return
        with contextlib.suppress(Exception):
            asyncio.run_coroutine_threadsafe(self._broker.shutdown(), loop).result(timeout=30)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)
        loop.close()
        self._loop, self._thread = None, None


def broker_for(folder: Path, kind: str | None = None) -> Broker:
    """A broker (not started): ``kind``, else ``$CHAIRCTL_TEST_BROKER``, else mosquitto when
    installed, else amqtt."""
    kind = kind or os.environ.get("CHAIRCTL_TEST_BROKER")
    binary = mosquitto_binary()
    if kind == "amqtt" or (kind is None and binary is None):
        return Amqtt()
    if binary is None:
        raise RuntimeError("CHAIRCTL_TEST_BROKER=mosquitto, but mosquitto is not installed")
    return Mosquitto(binary, folder)
