"""The root ``chairctl`` click group, with every command registered on it."""

from __future__ import annotations

import os
import sys
from importlib.metadata import entry_points
from pathlib import Path
from typing import Final, Protocol, cast

import click

from chairctl import __version__
from chairctl.cli.chairs import chair_options
from chairctl.cli.people import profile_option
from chairctl.cli.programs import list_library, schema, show, validate
from chairctl.services.chairs import ChairAddress
from chairctl.services.remote.target import BridgeTarget, bridge_target
from chairctl.vocabulary.text import printable

#: The entry-point group through which a front end offers itself to plain ``chairctl``: the
#: command line never imports the app; the app registers ``app`` here (pyproject.toml).
FRONT_ENDS: Final = "chairctl.front_ends"


class AppOpener(Protocol):
    """Opens the interactive app (``chairctl.tui.launch.open_app``, found by :func:`app_opener`);
    with ``bridge``, on the chair that bridge owns."""

    def __call__(
        self,
        address: ChairAddress,
        model_id: str | None,
        profile_name: str | None,
        home: Path | None,
        *,
        bridge: BridgeTarget | None = None,
    ) -> None: ...


def app_opener() -> AppOpener | None:
    """The installed app, None when none is (the command line works without it)."""
    for entry in entry_points(group=FRONT_ENDS, name="app"):
        return cast("AppOpener", entry.load())
    return None


#: The driver textual-serve (``chairctl web``) names in ``$TEXTUAL_DRIVER`` for each app it
#: serves to a browser tab: that app's terminal is the tab, reached through pipes, not a tty.
WEB_DRIVER: Final = "textual.drivers.web_driver:WebDriver"


def served() -> bool:
    """Whether this process is an app served to a browser (``chairctl web``)."""
    return os.environ.get("TEXTUAL_DRIVER") == WEB_DRIVER


def _interactive() -> bool:
    # Off a terminal (a pipe, a script) the library is listed instead, unless the app is
    # served: its pipes then lead to a browser tab, where a person sees it.
    return served() or (sys.stdin.isatty() and sys.stdout.isatty())


def _bridge(ctx: click.Context, url: str | None) -> BridgeTarget | None:
    """The bridge ``--bridge`` names, None without it; its chair is the bridge's alone."""
    if url is None:
        return None
    mixed = [
        option
        for option, name in (("--chair", "address"), ("--model", "model_id"), ("--home", "home"))
        if ctx.get_parameter_source(name) is not click.core.ParameterSource.DEFAULT
    ]
    if mixed:
        raise click.UsageError(
            f"--bridge opens the app on the chair a bridge owns: {', '.join(mixed)} belong to "
            f"the bridge (chairctl bridge {mixed[0]} ...)"
        )
    target = bridge_target(url)
    for warning in target.broker.warnings():
        click.echo(printable(f"chairctl: warning: {warning}"), err=True)
    return target


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="chairctl")
@chair_options
@profile_option
@click.option(
    "--bridge",
    "bridge_url",
    metavar="URL",
    help="Open the app on the chair a bridge owns: mqtt://[user@]host[:port]/PREFIX, or "
    "mqtts:// for TLS; the password from $CHAIRCTL_MQTT_PASSWORD (see docs/bridge.md).",
)
@click.pass_context
def cli(
    ctx: click.Context,
    address: ChairAddress,
    model_id: str | None,
    profile_name: str | None,
    home: Path | None,
    bridge_url: str | None,
) -> None:
    """Drive massage chairs with declarative, safety-checked massage programs.

    Without a command, opens the app on a terminal (on the simulated chair unless --chair says
    otherwise), or in a browser tab that chairctl web serves; off a terminal, lists the
    library. Each command has its own --chair, --model, --profile and --home; these four are
    the app's. With --bridge, the app shows the chair a bridge owns (chairctl bridge), and
    quitting it leaves the chair with the bridge.
    """
    if ctx.invoked_subcommand is not None:
        given = [
            name
            for name in ("address", "model_id", "profile_name", "home", "bridge_url")
            if ctx.get_parameter_source(name) is not click.core.ParameterSource.DEFAULT
        ]
        if given:
            raise click.UsageError(
                f"options before '{ctx.invoked_subcommand}' are the app's; "
                f"give them after the command: chairctl {ctx.invoked_subcommand} --chair ..."
            )
        return
    bridge = _bridge(ctx, bridge_url)
    opener = ctx.obj if callable(ctx.obj) else None
    if _interactive() and (opener is not None or (opener := app_opener()) is not None):
        if bridge is None:
            opener(address, model_id, profile_name, home)
        else:
            opener(address, model_id, profile_name, home, bridge=bridge)
    else:
        ctx.invoke(list_library)


for _command in (list_library, validate, show, schema):
    cli.add_command(_command)


from chairctl.cli.decode import decode  # noqa: E402
from chairctl.cli.models import models  # noqa: E402

cli.add_command(decode)
cli.add_command(models)

from chairctl.cli.sim import sim  # noqa: E402

cli.add_command(sim)

from chairctl.cli.scan import scan  # noqa: E402

cli.add_command(scan)

from chairctl.cli.check import check  # noqa: E402

cli.add_command(check)

from chairctl.cli.run import run  # noqa: E402

cli.add_command(run)

from chairctl.cli.history import history  # noqa: E402

cli.add_command(history)

from chairctl.cli.profiles import profiles  # noqa: E402

cli.add_command(profiles)

from chairctl.cli.bridge import bridge  # noqa: E402

cli.add_command(bridge)

from chairctl.cli.web import web_command  # noqa: E402

cli.add_command(web_command)
