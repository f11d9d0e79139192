"""``chairctl sim``: run the simulated chair for other programs to talk to.

``chairctl sim serve --pty`` prints the pty path as its first line of output and serves until
SIGINT or SIGTERM; ``--tcp PORT`` listens on this machine only (127.0.0.1) and ``--tcp
HOST:PORT`` where told, with a warning on stderr when other machines may reach it; either
prints the address it listens on. Bad options get one line on stderr and a non-zero exit.
"""

from __future__ import annotations

import asyncio
import signal
import sys
from typing import Literal

import click

from chairctl.clock import Clock, RealClock, ScaledClock
from drivers.models import DEFAULT_MODEL, ChairModel, get_model
from simulator.families import simulated_chair
from simulator.faults import ScheduledFault, parse_fault
from simulator.serve import PtyServer, TcpServer, exposure_warning, format_address, tcp_address


@click.group()
def sim() -> None:
    """Run the simulated chair."""


def _address(value: str) -> tuple[str, int]:
    try:
        return tcp_address(value)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--tcp") from None


def _log(message: str) -> None:
    click.echo(f"chairctl sim: {message}", err=True)


@sim.command()
@click.option("--pty", "use_pty", is_flag=True, help="Serve on a new pseudo-terminal.")
@click.option(
    "--tcp",
    "tcp",
    metavar="[HOST:]PORT",
    help="Serve raw bytes on a TCP port, of this machine only (127.0.0.1) unless HOST says "
    "otherwise.",
)
@click.option("--model", "model_id", default=DEFAULT_MODEL, show_default=True, help="Chair model.")
@click.option(
    "--form",
    type=click.Choice(["ble", "wired"]),
    default="wired",
    show_default=True,
    help="The link the chair is reached on, which sets its status frame form where the "
    "family has two (wired suits a serial link; `chairctl models ID` says which links a "
    "model has).",
)
@click.option(
    "--speed",
    type=click.FloatRange(min=0, min_open=True),
    default=1.0,
    show_default=True,
    help="Simulated seconds per real second.",
)
@click.option(
    "--fault",
    "faults",
    multiple=True,
    metavar="NAME[:ARG]@SECONDS",
    help="Inject a fault that many seconds after start (overload, actuator-timeout, "
    "corrupt, drop-frames, link-drop). Repeatable.",
)
def serve(
    *,
    use_pty: bool,
    tcp: str | None,
    model_id: str,
    form: Literal["ble", "wired"],
    speed: float,
    faults: tuple[str, ...],
) -> None:
    """Serve a simulated chair on a pty or a TCP port until interrupted."""
    if use_pty == (tcp is not None):
        raise click.UsageError("give exactly one of --pty or --tcp [HOST:]PORT")
    address = _address(tcp) if tcp is not None else None
    warning = None if address is None else exposure_warning(*address)
    if warning is not None:
        # Before listening, so it is said even when listening then fails.
        _log(warning)
    planned = [parse_fault(spec) for spec in faults]
    model = get_model(model_id)
    clock: Clock = RealClock() if speed == 1 else ScaledClock(speed)
    asyncio.run(
        _serve(
            model_id=model_id,
            model=model,
            clock=clock,
            form=form,
            planned=planned,
            address=address,
        )
    )


async def _serve(
    *,
    model_id: str,
    model: ChairModel,
    clock: Clock,
    form: Literal["ble", "wired"],
    planned: list[ScheduledFault],
    address: tuple[str, int] | None,
) -> None:
    chair = simulated_chair(model, clock, transport=form)
    for fault in planned:
        chair.schedule(fault)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    pty_server: PtyServer | None = None
    tcp_server: TcpServer | None = None
    try:
        if address is None:
            pty_server = PtyServer(chair, log=_log)
            where = pty_server.open()
        else:
            tcp_server = TcpServer(chair, *address, log=_log)
            where = format_address(*await tcp_server.start())
        # The first line is the address, for whoever started us to read; flush it now.
        click.echo(where)
        sys.stdout.flush()
        _log(f"{model_id} ({form} frames) at {where}; Ctrl-C or SIGTERM to stop")
        await stop.wait()
    finally:
        if pty_server is not None:
            pty_server.close()
        if tcp_server is not None:
            await tcp_server.close()
        chair.close()
