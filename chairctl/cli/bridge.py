"""``chairctl bridge``: one chair on the home network, published over MQTT.

The command line does not import the bridge: the bridge offers :func:`run_bridge
<chairctl.bridge.launch.run_bridge>` as the ``bridge`` entry point of the
``chairctl.front_ends`` group (pyproject.toml), and this command finds it there, as plain
``chairctl`` finds the app. Options win over the config file (``--config``), which wins over
the defaults; a problem with either is one line and exit 1, before the chair or the broker is
reached.
"""

from __future__ import annotations

from importlib.metadata import entry_points
from pathlib import Path
from typing import Protocol, cast

import click

from chairctl.cli.app import FRONT_ENDS
from chairctl.cli.chairs import ChairParam, chair_options
from chairctl.cli.people import home_option
from chairctl.services.chairs import ChairAddress
from chairctl.services.remote.broker import (
    BridgeFile,
    BrokerSettings,
    broker_settings,
    read_bridge_file,
)
from chairctl.services.remote.topics import default_prefix
from chairctl.services.speed import check_speed
from chairctl.vocabulary import ChairctlError


class BridgeRunner(Protocol):
    """Runs the bridge (``chairctl.bridge.launch.run_bridge``, found by :func:`bridge_runner`)."""

    def __call__(
        self,
        address: ChairAddress,
        model_id: str | None,
        *,
        broker: BrokerSettings,
        prefix: str,
        home: Path | None,
        speed: float | None,
        remove: bool,
    ) -> None: ...


def bridge_runner() -> BridgeRunner | None:
    """The installed bridge, None when none is."""
    for entry in entry_points(group=FRONT_ENDS, name="bridge"):
        return cast("BridgeRunner", entry.load())
    return None


def _given(ctx: click.Context, name: str) -> bool:
    return ctx.get_parameter_source(name) is not click.core.ParameterSource.DEFAULT


@click.command()
@chair_options
@click.option(
    "--broker",
    metavar="URL",
    help="mqtt://[user@]host[:port][/prefix], or mqtts:// for TLS (default mqtt://localhost).",
)
@click.option(
    "--prefix",
    metavar="TOPIC",
    help="The chair's topic prefix (default: the URL's path, else chairctl/<the chair>).",
)
@click.option("--username", metavar="NAME", help="The broker's user name.")
@click.option(
    "--password-file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="A file whose first line is the broker's password (readable by you alone); or set "
    "$CHAIRCTL_MQTT_PASSWORD.",
)
@click.option("--tls/--no-tls", default=None, help="TLS to the broker (mqtts:// says it too).")
@click.option(
    "--ca-file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="The certificate authority that signed the broker's certificate (implies --tls).",
)
@click.option(
    "--config",
    "config_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="A TOML file with any of chair, model, home, broker, prefix, username, password, "
    "password_file, tls, ca_file (readable by you alone); options win over it.",
)
@click.option(
    "--speed",
    type=click.FloatRange(min=0.1),
    help="Simulated chairs only: time factor.",
)
@click.option(
    "--remove",
    is_flag=True,
    help="Remove the chair from Home Assistant and clear its retained topics, then end.",
)
@home_option
@click.pass_context
def bridge(
    ctx: click.Context,
    address: ChairAddress,
    model_id: str | None,
    broker: str | None,
    prefix: str | None,
    username: str | None,
    password_file: Path | None,
    tls: bool | None,
    ca_file: Path | None,
    config_file: Path | None,
    speed: float | None,
    remove: bool,
    home: Path | None,
) -> None:
    """Publish a chair over MQTT, for Home Assistant and other clients (see docs/bridge.md).

    The bridge owns the chair (the simulated one unless --chair says otherwise): it publishes
    its state, the library and the profiles' names, and takes commands. A stop is always
    accepted; a start only for a profile that allows it (chairctl profiles edit NAME
    --remote-start). Ctrl-C or SIGTERM stops the chair, then the bridge.
    """
    config = read_bridge_file(config_file) if config_file is not None else BridgeFile()
    if not _given(ctx, "address") and config.chair is not None:
        address = ChairParam().convert(config.chair, None, ctx)
    model_id = model_id or config.model
    if home is None and config.home is not None:
        home = Path(config.home)
    settings = broker_settings(
        broker,
        username=username,
        password_file=password_file,
        tls=tls,
        ca_file=ca_file,
        config=config,
    )
    try:
        check_speed(address, speed)
    except ChairctlError as error:
        raise click.BadParameter(
            str(error).removeprefix("--speed: "), param_hint="--speed"
        ) from None
    chosen = prefix or settings.prefix or config.prefix or default_prefix(str(address))
    runner = bridge_runner()
    if runner is None:
        raise click.ClickException("the bridge is not installed with this chairctl")
    runner(
        address,
        model_id,
        broker=settings,
        prefix=chosen,
        home=home,
        speed=speed,
        remove=remove,
    )
