"""The root ``chairctl`` click group, with every command registered on it."""

from __future__ import annotations

import click

from chairctl import __version__
from chairctl.cli.programs import list_library, schema, show, validate


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="chairctl")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Drive massage chairs with declarative, safety-checked massage programs."""
    if ctx.invoked_subcommand is None:
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
