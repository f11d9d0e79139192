"""``chairctl decode``: turn frames a chair sent (as hex) into JSON, one line per frame.

For reading captures and logs by hand or in scripts, whatever the chair's protocol family:
a Rongtai or NCNI status frame becomes the normalised status; a Tuya frame becomes its command
and data points, each named by the model's data-point map where it has one (which is how a
Tuya chair's own map is found), with what its value means (a switch's on or off, an enum's
name); a record whose type contradicts the map is shown as a mismatch, under no name. A Tuya
frame whose checksum is one too low is refused with that known firmware fault named. Nothing is
sent to any chair.
"""

from __future__ import annotations

import json
import re
from typing import Any

import click

from chairctl.vocabulary import AirbagZone, ChairStatus, ProtocolError
from drivers.adapters.tuya.points import DpMap, a_type
from drivers.models import DEFAULT_MODEL, ChairModel, get_model
from drivers.models.schema import SWITCHES, NcniModel, RongtaiModel, TuyaModel
from drivers.protocols import ncni, tuya
from drivers.protocols.rongtai import StatusCodes, decode_fields, status_fields, technique_label

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


def _zones(zones: frozenset[AirbagZone]) -> list[str]:
    # Enum order (top of the body down) so equal statuses print identically.
    return [zone.value for zone in AirbagZone if zone in zones]


def status_json(status: ChairStatus) -> dict[str, Any]:
    """The JSON object ``decode`` prints for one status."""
    technique = (
        status.technique.value
        if status.technique is not None
        else technique_label(status.technique_code)
    )
    return {
        "running": status.running,
        "work_state": status.work_state.value,
        "technique": technique,
        "technique_code": status.technique_code,
        "width": status.width.value if status.width else None,
        "speed": status.speed,
        "intensity": status.intensity,
        "range": status.massage_range.value if status.massage_range else None,
        "roller_position": status.roller_position,
        "heat": status.heat,
        "airbag_level": status.airbag_level,
        "airbag_program": _zones(status.airbag_program),
        "airbags_active": _zones(status.airbags_active),
        "foot_roller": status.foot_roller,
        "foot_roller_speed": status.foot_roller_speed,
        "remaining_s": status.remaining_s,
        "preset_minutes": status.preset_minutes,
        "error_code": status.error_code,
        "program": status.program,
        "program_code": status.program_code,
        "body_scan": status.body_scan,
        "backrest": status.backrest.value,
        "leg_rest": status.leg_rest.value,
        "slide": status.slide.value,
        "zero_g": status.zero_g,
        "has_3d": status.has_3d,
        "has_leg_extension": status.has_leg_extension,
        "anion": status.anion,
        "mode_3d": status.mode_3d,
        "unconfirmed": sorted(status.unconfirmed),
    }


def _shown(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _SHOWN else text[: _SHOWN - 3] + "..."


def _tuya_json(model: TuyaModel, frame: bytes) -> dict[str, Any]:
    decoded = tuya.decode_frame(frame)
    try:
        command = tuya.Command(decoded.command).name.lower()
    except ValueError:
        command = f"0x{decoded.command:02X}"
    out: dict[str, Any] = {"version": decoded.version, "command": command}
    if decoded.command not in (tuya.Command.DP_REPORT, tuya.Command.DP_DELIVER):
        out["data"] = decoded.data.hex(" ")
        return out
    out["dps"] = [_tuya_point(DpMap(model), point) for point in tuya.decode_dps(decoded.data)]
    return out


def _tuya_point(points: DpMap, point: tuya.DataPoint) -> dict[str, Any]:
    """One data-point record, named by the model's map; a record whose type contradicts the
    map is shown as that mismatch, under no code (its value means something else)."""
    code = points.code_of(point.dp_id)
    value: Any = point.value.hex(" ") if isinstance(point.value, bytes) else point.value
    entry: dict[str, Any] = {
        "dp": point.dp_id,
        "code": code,
        "type": point.type.name.lower(),
        "value": value,
    }
    if code is None:
        return entry
    wanted = points.wire_type(code)
    if point.type is not wanted:
        entry["code"] = None
        entry["mismatch"] = (
            f"the model file ({points.model.id}) maps DP {point.dp_id} to {code}, "
            f"{a_type(wanted)} DP; this record is {a_type(point.type)}"
        )
        return entry
    decoded = points.decode(point)
    if code in SWITCHES:
        entry["meaning"] = None if decoded is None else ("on" if decoded[1] else "off")
    elif point.type is tuya.DpType.ENUM:
        entry["meaning"] = None if decoded is None else decoded[1]
    return entry


def decode_one(model: ChairModel, frame: bytes, codes: StatusCodes | None) -> dict[str, Any]:
    """The JSON object ``decode`` prints for one frame of ``model``'s family."""
    match model:
        case RongtaiModel():
            assert codes is not None  # made once for the Rongtai family
            return status_json(decode_fields(status_fields(frame), codes))
        case NcniModel():
            return status_json(ncni.to_chair_status(ncni.parse_status(frame)))
        case TuyaModel():
            return _tuya_json(model, frame)


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
    colons, or separated by spaces inside one quoted argument ("f0 05 03 ... f1"). Rongtai
    chairs: the 17-byte checksummed or the 18-byte status form. NCNI chairs: the 33-byte
    status. Tuya chairs: any frame (55 AA ...), data points named by the model's map.
    Decoding stops at the first bad frame with exit status 1; the frames before it are
    printed.
    """
    model = get_model(model_id)
    codes = StatusCodes.of(model) if isinstance(model, RongtaiModel) else None
    for number, text in enumerate(frames, start=1):
        try:
            frame = parse_hex(text)
            decoded = decode_one(model, frame, codes)
        except ProtocolError as error:
            hint = ""
            if len(_SEPARATORS.sub("", text)) == 2:
                hint = "; quote a frame written with spaces so it is one argument"
            raise ProtocolError(f"frame {number} ({_shown(text)!r}): {error}{hint}") from None
        click.echo(json.dumps(decoded))
