"""The app's terminal, which can vanish under it.

Textual writes the screen from a writer thread; when the terminal closes, a write fails (EIO),
the thread dies, and once its queue is full the next write blocks the event loop for good: the
loop that would release the chair. Its input thread, reading a closed terminal, asks the app to
panic. So on Linux and macOS the app runs on :class:`GuardedDriver`: its output goes through a
:class:`~chairctl.services.output.GuardedStream` (writes never raise; after the first failure they
are dropped) and a failed read is reported rather than panicked on. Either way the app hears it
once, through ``on_lost(reason)``, from whichever thread noticed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TextIO, cast

from textual.app import App
from textual.driver import Driver
from textual.drivers.linux_driver import LinuxDriver
from textual.drivers.web_driver import WebDriver

from chairctl.services.output import GuardedStream
from chairctl.tui.web import GuardedWebDriver

#: Hears, from any thread, that the terminal is gone and why.
LostListener = Callable[[str], None]


class GuardedDriver(LinuxDriver):
    """Textual's terminal driver, with output that cannot block and input that cannot panic.

    The app it drives may define ``terminal_lost(reason)``; it is called once.
    """

    def __init__(self, app: App[Any], **options: Any) -> None:
        super().__init__(app, **options)
        self._told = False
        # Textual types its file as the interpreter's own stderr; it only writes, flushes and
        # asks fileno, which a guarded stream does too.
        stream = cast("TextIO", self._file)
        self._file = cast("Any", GuardedStream(stream, self._lost))

    def run_input_thread(self) -> None:
        try:
            super().run_input_thread()
        except OSError:
            self._lost("its terminal was closed")

    def _lost(self, reason: str) -> None:
        if self._told:
            return
        self._told = True
        listener: LostListener | None = getattr(self._app, "terminal_lost", None)
        if listener is not None:
            listener(reason)


def guarded(default: type[Driver]) -> type[Driver]:
    """The driver to run the app on: the guarded one where Textual would use its Linux driver
    (Linux and macOS) or its web driver (served to a browser tab: :mod:`chairctl.tui.web`),
    else Textual's own choice."""
    if issubclass(default, WebDriver):
        return GuardedWebDriver
    return GuardedDriver if issubclass(default, LinuxDriver) else default
