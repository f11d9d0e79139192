"""The ``chairctl`` command line: one click group, a module per command family.

Errors a user can cause arrive as :class:`~chairctl.vocabulary.ChairctlError` and leave as
their message on stderr and a non-zero exit code; a traceback means a bug.
"""

from __future__ import annotations

import sys

import click

from chairctl.cli.app import AppOpener, cli
from chairctl.vocabulary import ChairctlError, SourceFileError
from chairctl.vocabulary.text import printable


def main(argv: list[str] | None = None, *, open_app: AppOpener | None = None) -> None:
    """The ``chairctl`` console script. Plain ``chairctl`` on a terminal opens ``open_app``, by
    default the app the installed front ends offer (:func:`chairctl.cli.app.app_opener`)."""
    try:
        code = cli.main(args=argv, prog_name="chairctl", standalone_mode=False, obj=open_app)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(130)
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    except SourceFileError as error:
        # Located problems are already complete lines (path:line:col: message).
        for problem in error.problems:
            click.echo(printable(str(problem)), err=True)
        sys.exit(error.exit_code)
    except ChairctlError as error:
        # Messages name programs, profiles and paths: data, never a terminal's orders.
        click.echo(printable(f"chairctl: {error}", newlines=True), err=True)
        sys.exit(error.exit_code)
    except KeyboardInterrupt:
        sys.exit(130)
    sys.exit(code if isinstance(code, int) else 0)


__all__ = ["AppOpener", "cli", "main"]
