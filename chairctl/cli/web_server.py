"""The web server of ``chairctl web``: textual-serve's, in chairctl's words, ending every tab's
app before it ends itself.

textual-serve starts one app process per browser tab (its AppService) and tells it to quit when
the tab's connection closes. Told to end (SIGINT, SIGTERM), its server would wait up to a minute
for open tabs; here every tab's app is told to quit at once, and the server waits for them.
Its log lines carry what browsers sent, so they pass through
:func:`~chairctl.vocabulary.text.printable` like everything else chairctl prints.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from typing import Any

import click
from aiohttp import web
from textual_serve.server import Server

from chairctl.cli.web import hostport
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


class WebServer(Server):
    """textual-serve's server, saying what it serves in chairctl's words and ending the tabs'
    apps first when told to end."""

    def __init__(self, command: str, *, bridge: str, host: str, port: int, public: str) -> None:
        # The title is the page's: the command would show the bridge's address to every tab.
        super().__init__(command, host=host, port=port, title="chairctl", public_url=public)
        self.bridge = bridge
        self._tabs: set[asyncio.Task[Any]] = set()

    def initialize_logging(self) -> None:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("chairctl web: %(message)s"))
        handler.addFilter(_Printable())
        served = logging.getLogger("textual-serve")
        served.addHandler(handler)
        served.setLevel(logging.DEBUG if self.debug else logging.INFO)
        served.propagate = False
        # A line per file a browser fetched says nothing anyone needs.
        logging.getLogger("aiohttp.access").setLevel(logging.WARNING)
        errors = logging.getLogger("aiohttp")
        errors.addHandler(handler)
        errors.propagate = False

    async def on_startup(self, app: web.Application) -> None:
        click.echo(
            f"chairctl web: the app for the chair at {self.bridge}, on {self.public_url} (a "
            "client of the bridge in each tab). Ctrl-C ends it.",
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


def serve(server: WebServer) -> None:
    """Serve until SIGINT or SIGTERM; an address that cannot be listened on is one message."""
    asyncio.set_event_loop(asyncio.new_event_loop())  # textual-serve runs on the current loop
    try:
        server.serve()
    except OSError as error:
        reason = printable(error.strerror or str(error))
        raise WebError(f"cannot serve on {hostport(server.host, server.port)}: {reason}") from None
    finally:
        asyncio.set_event_loop(None)
