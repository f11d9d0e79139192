"""The web server of ``chairctl web``: textual-serve's, in chairctl's words, ending every tab's
app before it ends itself.

textual-serve starts one app process per browser tab (its AppService) and tells it to quit when
the tab's connection closes. Told to end (SIGINT, SIGTERM, SIGHUP), its server would wait up to
a minute for open tabs; here every tab's app is told to quit at once, the server waits for them,
and exits with the shell's code for the signal.
Its log lines carry what browsers sent, so they pass through
:func:`~chairctl.vocabulary.text.printable` like everything else chairctl prints.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import sys
from typing import Any

import click
from aiohttp import web
from aiohttp.web_runner import GracefulExit
from textual_serve.server import Server

from chairctl.cli.web import hostport
from chairctl.services.endings import SIGNAL_EXIT
from chairctl.vocabulary import ChairctlError
from chairctl.vocabulary.text import printable


class WebError(ChairctlError):
    """The page cannot be served as asked (an address it cannot listen on)."""


class _Printable(logging.Filter):
    """Log lines carry what browsers sent (paths, headers): never a terminal's orders."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.exc_info is not None and record.exc_info[1] is not None:
            # One line for the console, as every chairctl message is, never a traceback.
            error = record.exc_info[1]
            message = f"{message} ({type(error).__name__}: {error})"
            record.exc_info, record.exc_text = None, None
        record.msg, record.args = printable(message), None
        return True


class _Console(logging.StreamHandler):  # type: ignore[type-arg]
    """The server's log lines on stderr, one line each, as chairctl's own."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)
        self.setFormatter(logging.Formatter("chairctl web: %(message)s"))
        self.addFilter(_Printable())


class WebServer(Server):
    """textual-serve's server, saying what it serves in chairctl's words and ending the tabs'
    apps first when told to end."""

    def __init__(self, command: str, *, bridge: str, host: str, port: int, public: str) -> None:
        # The title is the page's: the command would show the bridge's address to every tab.
        super().__init__(command, host=host, port=port, title="chairctl", public_url=public)
        self.bridge = bridge
        self._tabs: set[asyncio.Task[Any]] = set()
        #: The signal that ended the server, if one did.
        self.ended_by: signal.Signals | None = None

    def initialize_logging(self) -> None:
        for name in ("textual-serve", "aiohttp"):
            logger = logging.getLogger(name)
            if not any(isinstance(h, _Console) for h in logger.handlers):
                logger.addHandler(_Console())
            logger.propagate = False
        logging.getLogger("textual-serve").setLevel(logging.DEBUG if self.debug else logging.INFO)
        # A line per file a browser fetched says nothing anyone needs.
        logging.getLogger("aiohttp.access").setLevel(logging.WARNING)

    async def on_startup(self, app: web.Application) -> None:
        pass  # textual-serve prints its logo here; chairctl says what it serves once listening

    def serve(self, debug: bool = False) -> None:
        """Serve until SIGINT, SIGTERM or SIGHUP (:attr:`ended_by`); a bind that fails raises
        its OSError."""
        self.debug = debug
        self.initialize_logging()
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        for sig in SIGNAL_EXIT:
            loop.add_signal_handler(sig, self._signalled, sig)
        try:
            # textual-serve's own serve() would neither tell which signal ended it nor wait
            # until the port is bound before saying where the page is.
            web.run_app(
                self._make_app(),
                host=self.host,
                port=self.port,
                handle_signals=False,
                loop=loop,
                print=self._listening,
            )
        finally:
            asyncio.set_event_loop(None)

    def _signalled(self, sig: signal.Signals) -> None:
        if self.ended_by is None:
            self.ended_by = sig
        raise GracefulExit  # ends aiohttp's run: the tabs are told to quit (on_shutdown)

    def _listening(self, _said: str) -> None:
        click.echo(
            f"chairctl web: the app for the chair at {self.bridge}, on {self.public_url} (each "
            "tab a client of the bridge). Ctrl-C ends it.",
            err=True,
        )

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        # One tab, one app: its task is known so that the end of the server can end the app.
        task = asyncio.current_task()
        if task is not None:
            self._tabs.add(task)
        try:
            return await super().handle_websocket(request)
        finally:
            if task is not None:
                self._tabs.discard(task)

    async def on_shutdown(self, app: web.Application) -> None:
        # Cancelled, a tab's handler tells its app to quit and waits for it (textual-serve's
        # AppService.stop); the server then waits for every handler before it ends.
        for task in list(self._tabs):
            task.cancel()


def serve(server: WebServer) -> int:
    """Serve until a signal ends it; the exit code for that signal (the shell's, as every
    chairctl command that runs until told to end has). An address that cannot be listened on
    is one message."""
    try:
        server.serve()
    except OSError as error:
        reason = printable(error.strerror or str(error))
        raise WebError(f"cannot serve on {hostport(server.host, server.port)}: {reason}") from None
    return 0 if server.ended_by is None else SIGNAL_EXIT[server.ended_by]
