"""What ``chairctl models ID`` shows of a model that depends on its protocol family: how it is
talked to (protocol rows), and its key codes or data-point map."""

from __future__ import annotations

from rich.table import Table

from chairctl.services.safetext import escaped
from drivers.models.schema import (
    SWITCHES,
    ChairModel,
    NcniModel,
    RongtaiModel,
    TuyaModel,
)


def _hex(code: int | None) -> str:
    return "-" if code is None else f"0x{code:02X}"


def _join(items: object) -> str:
    return ", ".join(str(item) for item in items) or "-"  # type: ignore[attr-defined]


def protocol_rows(model: ChairModel) -> list[tuple[str, str]]:
    """Rows saying how the chair is talked to, for the model's detail table."""
    match model:
        case RongtaiModel():
            return [
                ("protocol", f"{model.family}, device byte {_hex(model.protocol.device_byte)}"),
                *(
                    (
                        f"status ({link})",
                        f"{form.length} bytes, {'checksum' if form.checksum else 'no checksum'}, "
                        f"every {form.period_ms} ms",
                    )
                    for link, form in model.protocol.status_forms.items()
                ),
            ]
        case TuyaModel():
            protocol = model.protocol
            return [
                ("protocol", f"{model.family}: data points set and confirmed from reports"),
                (
                    "polling",
                    f"every DP queried every {protocol.query_period_ms} ms, heartbeat every "
                    f"{protocol.heartbeat_s:g} s, an unanswered set resent {protocol.resends} "
                    f"times {protocol.resend_s:g} s apart",
                ),
            ]
        case NcniModel():
            return [
                ("protocol", f"{model.family}: one panel byte per 100 ms tick, keys are toggles"),
                ("status", f"33 bytes, no checksum, every {model.protocol.status_period_ms} ms"),
            ]


def built_in_programs(model: ChairModel) -> list[str]:
    """The chair's own programs or region modes, by name."""
    match model:
        case RongtaiModel():
            return [p.name for p in model.keys.auto_programs]
        case TuyaModel():
            return [mode.value for mode in model.region_modes]
        case NcniModel():
            return [f"manual {name}" for name in model.manual_modes]


def family_tables(model: ChairModel) -> list[Table]:
    """The model's key codes or data-point map, and what its modes work."""
    match model:
        case RongtaiModel():
            return [_rongtai_keys(model)]
        case TuyaModel():
            return _tuya_tables(model)
        case NcniModel():
            return _ncni_tables(model)


def _rongtai_keys(model: RongtaiModel) -> Table:
    keys = Table(title="Keys")
    for name in ("function", "key", "status code", "note"):
        keys.add_column(name)
    k = model.keys
    keys.add_row("power", _hex(k.power), "", "toggle; from running it starts settle")
    for technique, tkey in k.techniques.items():
        note = "approximation" if tkey.approximates else ""
        keys.add_row(f"technique {technique.value}", _hex(tkey.key), str(tkey.status_code), note)
    keys.add_row("intensity cycle", _hex(k.intensity_cycle), "", "")
    keys.add_row("speeds", _join(map(_hex, k.speeds)), "", "slowest first")
    for width, code in k.widths.items():
        keys.add_row(f"width {width.value}", _hex(code), "", "")
    for name, code in k.ranges.items():
        keys.add_row(f"range {name}", _hex(code), "", "")
    keys.add_row("heat toggle", _hex(k.heat_toggle), "", "")
    for group in k.airbag_groups:
        keys.add_row(f"airbags {_join(z.value for z in group.zones)}", _hex(group.key), "", "")
    keys.add_row("airbag levels", _join(map(_hex, k.airbag_levels)), "", "level 1 first")
    keys.add_row("airbags off", _hex(k.airbag_off), "", "")
    keys.add_row("foot roller", _join(map(_hex, k.foot_roller)), "", "slowest first")
    keys.add_row("foot roller off", _hex(k.foot_roller_off), "", "")
    for minutes, code in k.session_presets.items():
        keys.add_row(f"session {minutes} min", _hex(code), "", "")
    for program in k.auto_programs:
        regions = _join(r.value for r in program.regions)
        keys.add_row(
            f"program {escaped(program.name)}",
            _hex(program.key),
            str(program.status_code),
            regions,
        )
    for name, hold in (("walk", k.walk), ("backrest", k.backrest), ("leg rest", k.leg_rest)):
        if hold is not None:
            codes = (
                f"up {_hex(hold.up_start)}/{_hex(hold.up_stop)}, "
                f"down {_hex(hold.down_start)}/{_hex(hold.down_stop)}"
            )
            keys.add_row(name, codes, "", "hold: START/STOP")
    keys.add_row("zero gravity", _hex(k.zero_gravity), "", "")

    return keys


def _tuya_tables(model: TuyaModel) -> list[Table]:
    points = Table(title="Data points")
    for name in ("code", "DP id", "type", "values (index order)"):
        points.add_column(name, overflow="fold")
    for code, point in model.datapoints.items():
        values = _join(model.range_of(code))
        if code in SWITCHES:
            on, off = model.switch_values(code)
            words = f"on: {str(on).lower()}, off: {str(off).lower()}"
            values = f"{values}; {words}" if model.range_of(code) else words
        points.add_row(code, str(point.id), model.kind_of(code), escaped(values))
    meaning = Table(title="What the values mean")
    for name in ("function", "value", "note"):
        meaning.add_column(name, overflow="fold")
    for technique, mode in model.techniques.items():
        note = "approximation" if mode.approximates else ""
        meaning.add_row(f"technique {technique.value}", f"manual_mode {escaped(mode.value)}", note)
    meaning.add_row(
        "manual modes work", _join(r.value for r in model.manual_regions), "the chair sweeps them"
    )
    for region_mode in model.region_modes:
        meaning.add_row(
            f"auto_mode {escaped(region_mode.value)}",
            _join(r.value for r in region_mode.regions),
            _join(t.value for t in region_mode.techniques),
        )
    for location, zones in model.airbag_locations.items():
        meaning.add_row(f"aircell_location {escaped(location)}", _join(z.value for z in zones), "")
    meaning.add_row("airbag levels", escaped(_join(model.airbag_levels)), "gentlest first")
    meaning.add_row("speeds", escaped(_join(model.speeds)), "slowest first")
    for width, value in model.widths.items():
        meaning.add_row(f"width {width.value}", f"ball_location {escaped(value)}", "")
    for posture, value in model.gravity.items():
        meaning.add_row(f"posture {posture.value}", f"gravity_control {escaped(value)}", "")
    return [points, meaning]


def _ncni_tables(model: NcniModel) -> list[Table]:
    keys = Table(title="Panel keys")
    for name in ("function", "key"):
        keys.add_column(name)
    for name, code in model.keys.model_dump().items():
        keys.add_row(name.replace("_", " "), _hex(code))
    modes = Table(title="Manual modes")
    for name in ("mode", "regions", "techniques"):
        modes.add_column(name, overflow="fold")
    for name, mode in model.manual_modes.items():
        modes.add_row(
            name.replace("_", " "),
            _join(r.value for r in mode.regions),
            _join(t.value for t in mode.techniques),
        )
    modes.add_row("timer", _join(f"{m} min" for m in model.session_minutes), "the time key cycles")
    return [keys, modes]
