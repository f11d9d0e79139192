"""``--chair`` and ``--model`` on the command line; what they mean is
:mod:`chairctl.services.chairs`'s."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import click

from chairctl.services.chairs import ChairAddress, parse_chair

F = TypeVar("F", bound=Callable[..., object])


class ChairParam(click.ParamType[ChairAddress]):
    """The ``--chair`` option's type."""

    name = "chair"

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> ChairAddress:
        if isinstance(value, ChairAddress):
            return value
        try:
            return parse_chair(str(value))
        except ValueError as error:
            self.fail(str(error), param, ctx)


def chair_options(command: F) -> F:
    """Add ``--chair`` and ``--model`` to a command."""
    command = click.option(
        "--model",
        "model_id",
        metavar="MODEL",
        help="The chair model (see chairctl models); needed for serial links.",
    )(command)
    return click.option(
        "--chair",
        "address",
        type=ChairParam(),
        default="sim",
        show_default=True,
        help="sim, sim:MODEL, a serial device or URL, ble:ADDRESS or ble:NAME.",
    )(command)
