"""``chairctl web``: the app in a browser, one app per tab, each a client of a bridge.

textual-serve serves a page; every tab that opens it gets an app of its own, a ``chairctl
--bridge URL`` process whose terminal is that tab (Textual's web driver over pipes: see
:func:`chairctl.cli.app.served`). The chair belongs to the bridge (``chairctl bridge``), the
one process that talks to it: the tabs are its clients, as Home Assistant is, so two tabs never
fight over the chair, and a stop from any of them reaches it.

The page is served on 127.0.0.1 unless ``--host`` says otherwise, since anyone who reaches it
can drive the chair: bound elsewhere, the command says so and points to the reverse proxy with
authentication that must stand in front of it (docs/web.md). Everything that can be refused
(no bridge, a bad URL, an address the page could not name) is refused before anything listens.
SIGINT and SIGTERM tell every tab's app to quit before the server ends.
"""

from __future__ import annotations

import ipaddress
import os
import shlex
import sys
from typing import Final
from urllib.parse import urlsplit, urlunsplit

import click

from chairctl.services.remote.broker import PASSWORD_ENV, broker_settings, parse_broker_url
from chairctl.vocabulary.text import printable

LOOPBACK: Final = "127.0.0.1"
PORT: Final = 8000

NEEDS_BRIDGE: Final = (
    "web mode needs a bridge: one process owns the chair (chairctl bridge), and each browser "
    "tab is one more client of it, so tabs never fight over the chair. Start chairctl bridge, "
    "then give its broker and prefix: chairctl web --bridge mqtt://HOST/PREFIX"
)


def exposure(host: str) -> str | None:
    """Why serving on ``host`` lets other machines reach the page; None for this machine only
    (a loopback address, or ``localhost``)."""
    if host.lower() == "localhost":
        return None
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return f"{host} is a name, not a loopback address, so other machines may reach it"
    if address.is_loopback:
        return None
    if address.is_unspecified:
        return "that is every network interface of this machine"
    return f"{host} is not a loopback address, so other machines may reach it"


def exposure_warning(host: str, port: int) -> str | None:
    """The warning for serving on ``host``, None when only this machine can reach it."""
    reach = exposure(host)
    if reach is None:
        return None
    return (
        f"warning: serving the app on {hostport(host, port)}: {reach}. Anyone who can reach "
        "this port can drive the chair (stop it, and start programs for every profile that "
        "allows a remote start), with no password: put a reverse proxy with authentication in "
        f"front of it (docs/web.md), or serve on {LOOPBACK} only."
    )


def hostport(host: str, port: int) -> str:
    """``host:port``, with brackets around an IPv6 host."""
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def page_url(host: str, port: int, given: str | None) -> str:
    """The address browsers open the page at, which the page names for its websocket:
    ``given`` (a reverse proxy's), else ``host`` and ``port``, which cannot be a wildcard."""
    if given is not None:
        parts = urlsplit(given.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise click.BadParameter(
                f"'{printable(given)}' is not an http:// or https:// address, like "
                "https://chair.example",
                param_hint="--public-url",
            )
        if parts.query or parts.fragment:
            raise click.BadParameter(
                f"'{printable(given)}' may not carry ? or # parts", param_hint="--public-url"
            )
        return urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/"), "", ""))
    try:
        unspecified = ipaddress.ip_address(host).is_unspecified
    except ValueError:
        unspecified = False
    if unspecified:
        raise click.UsageError(
            f"--host {host} listens on every interface, but the page must name an address "
            "browsers can open for its connection back: give --public-url (the address people "
            "open, such as the reverse proxy's https://chair.example), or a --host of its own"
        )
    return f"http://{hostport(host, port)}"


def served_command(url: str) -> str:
    """The command each tab runs: this chairctl's app on the bridge at ``url``, the URL without
    its password (a command line is shown to anyone by ``ps``)."""
    if parse_broker_url(url).password is not None:
        parts = urlsplit(url.strip())
        host_port = parts.netloc.rpartition("@")[2]
        user = f"{parts.username}@" if parts.username else ""
        url = urlunsplit((parts.scheme, user + host_port, parts.path, "", ""))
    return shlex.join([sys.executable, "-m", "chairctl", "--bridge", url.strip()])


@click.command("web")
@click.option(
    "--bridge",
    metavar="URL",
    help="The bridge's broker and prefix: mqtt://[user@]host[:port]/PREFIX, or mqtts:// for "
    "TLS (a password is better in $CHAIRCTL_MQTT_PASSWORD).",
)
@click.option(
    "--host",
    default=LOOPBACK,
    show_default=True,
    help="The address to listen on; anything but loopback needs a reverse proxy with "
    "authentication in front (docs/web.md).",
)
@click.option(
    "--port", type=click.IntRange(1, 65535), default=PORT, show_default=True, help="The port."
)
@click.option(
    "--public-url",
    metavar="URL",
    help="The address browsers open, when it is not http://HOST:PORT (a reverse proxy's).",
)
def web_command(bridge: str | None, host: str, port: int, public_url: str | None) -> None:
    """Serve the app in a browser (see docs/web.md): each tab is an app of its own, a client
    of the bridge that owns the chair.

    Escape in any tab stops the chair through the bridge. The page is served on 127.0.0.1
    unless --host says otherwise: anyone who can reach it can drive the chair.
    """
    if bridge is None:
        raise click.UsageError(NEEDS_BRIDGE)
    # The bridge's address as every tab's app will take it (its password from the URL, else
    # the environment), refused here once rather than in each tab.
    settings = broker_settings(bridge)
    public = page_url(host, port, public_url)
    for warning in settings.warnings():
        click.echo(f"chairctl web: warning: {warning}", err=True)
    exposed = exposure_warning(host, port)
    if exposed is not None:
        click.echo(f"chairctl web: {printable(exposed)}", err=True)
    in_url = parse_broker_url(bridge).password
    if in_url is not None:
        # Every tab's app inherits it, kept out of their command lines.
        os.environ[PASSWORD_ENV] = in_url
    # Loaded only to serve: aiohttp would slow every other command's start.
    from chairctl.cli.web_server import WebServer, serve  # noqa: PLC0415

    shown = settings.url + (f"/{printable(settings.prefix)}" if settings.prefix else "")
    code = serve(
        WebServer(
            served_command(bridge),
            bridge=shown,
            host=host,
            port=port,
            public=public,
        )
    )
    sys.exit(code)
