"""The app's browser tab, which can vanish under it.

Served by ``chairctl web`` (textual-serve), the app's terminal is a browser tab reached through
two pipes: the server writes the tab's keys to the app's stdin and reads the screen from its
stdout, and closing the tab tells the app to quit. When the server itself goes away without a
word (killed, crashed), Textual's web driver would only stop reading: the app would go on, with
nobody to see it or press Escape, and its next screen write would fail. So the app runs on
:class:`GuardedWebDriver`: stdin closing, or a write failing, reaches the app once, through
``terminal_lost(reason)``, as a closed terminal does (:mod:`chairctl.tui.terminal`).
"""

from __future__ import annotations

import os
from functools import partial
from typing import Any, Final

from textual.app import App
from textual.drivers.web_driver import WebDriver

#: Why the app is ending, in the words the session's end shows.
TAB_GONE: Final = "its browser tab's server went away"


class GuardedWebDriver(WebDriver):
    """Textual's web driver, telling the app (its ``terminal_lost(reason)``) once when the
    server's pipes close, and never raising from a write after that."""

    def __init__(self, app: App[Any], **options: Any) -> None:
        super().__init__(app, **options)
        self._told = False
        # Every write of the driver goes through its _write (a partial of os.write).
        self._write = partial(self._guarded_write)

    def _guarded_write(self, data: bytes) -> int:
        if self._told:
            return len(data)
        try:
            return os.write(self.fileno, data)
        except OSError:
            self._lost(TAB_GONE)
            return len(data)

    def run_input_thread(self) -> None:
        super().run_input_thread()
        # The driver's own stop sets exit_event first; otherwise stdin ended under it.
        if not self.exit_event.is_set():
            self._lost(TAB_GONE)

    def _lost(self, reason: str) -> None:
        if self._told:
            return
        self._told = True
        listener = getattr(self._app, "terminal_lost", None)
        if listener is not None:
            listener(reason)
