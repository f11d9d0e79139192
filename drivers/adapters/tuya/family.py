"""The Tuya MCU family, as chairctl's registry (:mod:`drivers.families`) knows it."""

from __future__ import annotations

from typing import Any

from drivers.adapters.base import Adapter
from drivers.adapters.tuya.adapter import TuyaAdapter
from drivers.family import DetailTable, Family, FrameDecoder, ModelDetails, joined
from drivers.models.tuya import SWITCHES, TuyaModel
from drivers.protocols import tuya
from drivers.protocols.tuya.points import DpMap, a_type


def _adapter(model: TuyaModel, shoulder_position: float | None) -> Adapter:
    # The chair cannot place its rollers: a shoulder line changes nothing here.
    del shoulder_position
    return TuyaAdapter(model)


def _point(points: DpMap, point: tuya.DataPoint) -> dict[str, Any]:
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


def _decoder(model: TuyaModel) -> FrameDecoder:
    points = DpMap(model)

    def decode(frame: bytes) -> dict[str, Any]:
        decoded = tuya.decode_frame(frame)
        try:
            command = tuya.Command(decoded.command).name.lower()
        except ValueError:
            command = f"0x{decoded.command:02X}"
        out: dict[str, Any] = {"version": decoded.version, "command": command}
        if decoded.command not in (tuya.Command.DP_REPORT, tuya.Command.DP_DELIVER):
            out["data"] = decoded.data.hex(" ")
            return out
        out["dps"] = [_point(points, point) for point in tuya.decode_dps(decoded.data)]
        return out

    return decode


def _details(model: TuyaModel) -> ModelDetails:
    points = []
    for code, point in model.datapoints.items():
        values = joined(model.range_of(code))
        if code in SWITCHES:
            on, off = model.switch_values(code)
            words = f"on: {str(on).lower()}, off: {str(off).lower()}"
            values = f"{values}; {words}" if model.range_of(code) else words
        points.append((code, str(point.id), model.kind_of(code), values))
    meaning: list[tuple[str, str, str]] = [
        (
            f"technique {technique.value}",
            f"manual_mode {mode.value}",
            "approximation" if mode.approximates else "",
        )
        for technique, mode in model.techniques.items()
    ]
    meaning.append(
        (
            "manual modes work",
            joined(r.value for r in model.manual_regions),
            "the chair sweeps them",
        )
    )
    meaning += [
        (
            f"auto_mode {m.value}",
            joined(r.value for r in m.regions),
            joined(t.value for t in m.techniques),
        )
        for m in model.region_modes
    ]
    meaning += [
        (f"aircell_location {location}", joined(z.value for z in zones), "")
        for location, zones in model.airbag_locations.items()
    ]
    meaning.append(("airbag levels", joined(model.airbag_levels), "gentlest first"))
    meaning.append(("speeds", joined(model.speeds), "slowest first"))
    meaning += [(f"width {w.value}", f"ball_location {v}", "") for w, v in model.widths.items()]
    meaning += [
        (f"posture {p.value}", f"gravity_control {v}", "") for p, v in model.gravity.items()
    ]
    protocol = model.protocol
    return ModelDetails(
        protocol=(
            ("protocol", f"{model.family}: data points set and confirmed from reports"),
            (
                "polling",
                f"every DP queried every {protocol.query_period_ms} ms, heartbeat every "
                f"{protocol.heartbeat_s:g} s, an unanswered set resent {protocol.resends} "
                f"times {protocol.resend_s:g} s apart",
            ),
        ),
        programs=tuple(mode.value for mode in model.region_modes),
        tables=(
            DetailTable(
                "Data points", ("code", "DP id", "type", "values (index order)"), tuple(points)
            ),
            DetailTable("What the values mean", ("function", "value", "note"), tuple(meaning)),
        ),
    )


TUYA = Family("tuya-mcu", TuyaModel, "tuya-amy-example", _adapter, _decoder, _details)
