"""``chairctl decode``: turn frames a chair sent (as hex) into JSON, one line per frame.

For reading captures and logs by hand or in scripts, whatever the chair's protocol family: each
family reads its own frames (:mod:`drivers.families`). A status frame becomes the normalised
status; a data-point frame its command and records, each named by the model's map where it has
one (which is how a chair's own map is found), with what its value means; a record that
contradicts the map is shown as that mismatch. Nothing is sent to any chair.
"""

from __future__ import annotations

import json
import re
from typing import Any

import click

from chairctl.vocabulary import ProtocolError
from drivers.families import family_of
from drivers.models import DEFAULT_MODEL, ChairModel, get_model

#: Separators people paste between hex bytes: spaces (from a quoted argument) and colons.
_SEPARATORS = re.compile(r"[\s:]+")
_HEX = re.compile(r"[0-9a-fA-F]*")
#: Longest argument echoed back in an error message, so one line stays one line.
_SHOWN = 60


def parse_hex(text: str) -> bytes:
    """The bytes of ``text``: hex digit pairs, with or without spaces or colons, any case."""
    digits = _SEPARATORS.sub("", text)
    if not digits:
        raise ProtocolError("empty frame")
    if not _HEX.fullmatch(digits):
        bad = next(ch for ch in digits if ch not in "0123456789abcdefABCDEF")
        raise ProtocolError(f"not hex: {bad!r} is not a hex digit")
    if len(digits) % 2:
        raise ProtocolError(f"not hex bytes: {len(digits)} hex digits, an odd number")
    return bytes.fromhex(digits)


def _shown(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _SHOWN else text[: _SHOWN - 3] + "..."


def decode_one(model: ChairModel, frame: bytes) -> dict[str, Any]:
    """The JSON object ``decode`` prints for one frame of ``model``'s family."""
    return family_of(model).decoder(model)(frame)


@click.command()
@click.option(
    "--model",
    "model_id",
    default=DEFAULT_MODEL,
    show_default=True,
    metavar="ID",
    help="Chair model: its protocol family, and its codes or data-point map "
    "(see 'chairctl models').",
)
@click.argument("frames", nargs=-1, required=True, metavar="HEX...")
def decode(model_id: str, frames: tuple[str, ...]) -> None:
    """Decode frames a chair sent into JSON, one object per line.

    Each HEX argument is one whole frame: hex digit pairs written together, separated by
    colons, or separated by spaces inside one quoted argument ("f0 05 03 ... f1"), in the form
    of the model's protocol family (docs/protocols/). Decoding stops at the first bad frame
    with exit status 1; the frames before it are printed.
    """
    model = get_model(model_id)
    read = family_of(model).decoder(model)  # made once: a family may prepare its codes
    for number, text in enumerate(frames, start=1):
        try:
            frame = parse_hex(text)
            decoded = read(frame)
        except ProtocolError as error:
            hint = ""
            if len(_SEPARATORS.sub("", text)) == 2:
                hint = "; quote a frame written with spaces so it is one argument"
            raise ProtocolError(f"frame {number} ({_shown(text)!r}): {error}{hint}") from None
        click.echo(json.dumps(decoded))
