"""The Rongtai H10 family, as chairctl's registry (:mod:`drivers.families`) knows it."""

from __future__ import annotations

from drivers.adapters.base import Adapter
from drivers.adapters.rongtai.adapter import RongtaiAdapter
from drivers.family import DetailTable, Family, FrameDecoder, ModelDetails, hex_code, joined
from drivers.models.rongtai import RongtaiModel
from drivers.protocols.records import status_record
from drivers.protocols.rongtai import StatusCodes, decode_fields, status_fields, technique_label


def _adapter(model: RongtaiModel, shoulder_position: float | None) -> Adapter:
    return RongtaiAdapter(model, shoulder_position=shoulder_position)


def _decoder(model: RongtaiModel) -> FrameDecoder:
    codes = StatusCodes.of(model)  # once per model, not per frame

    def decode(frame: bytes) -> dict[str, object]:
        return status_record(decode_fields(status_fields(frame), codes), technique_label)

    return decode


def _keys(model: RongtaiModel) -> DetailTable:
    k = model.keys
    rows: list[tuple[str, str, str, str]] = [
        ("power", hex_code(k.power), "", "toggle; from running it starts settle")
    ]
    for technique, tkey in k.techniques.items():
        note = "approximation" if tkey.approximates else ""
        rows.append(
            (f"technique {technique.value}", hex_code(tkey.key), str(tkey.status_code), note)
        )
    rows.append(("intensity cycle", hex_code(k.intensity_cycle), "", ""))
    rows.append(("speeds", joined(map(hex_code, k.speeds)), "", "slowest first"))
    rows += [(f"width {w.value}", hex_code(code), "", "") for w, code in k.widths.items()]
    rows += [(f"range {name}", hex_code(code), "", "") for name, code in k.ranges.items()]
    rows.append(("heat toggle", hex_code(k.heat_toggle), "", ""))
    rows += [
        (f"airbags {joined(z.value for z in g.zones)}", hex_code(g.key), "", "")
        for g in k.airbag_groups
    ]
    rows.append(("airbag levels", joined(map(hex_code, k.airbag_levels)), "", "level 1 first"))
    rows.append(("airbags off", hex_code(k.airbag_off), "", ""))
    rows.append(("foot roller", joined(map(hex_code, k.foot_roller)), "", "slowest first"))
    rows.append(("foot roller off", hex_code(k.foot_roller_off), "", ""))
    rows += [
        (f"session {minutes} min", hex_code(code), "", "")
        for minutes, code in k.session_presets.items()
    ]
    rows += [
        (
            f"program {p.name}",
            hex_code(p.key),
            str(p.status_code),
            joined(r.value for r in p.regions),
        )
        for p in k.auto_programs
    ]
    for name, hold in (("walk", k.walk), ("backrest", k.backrest), ("leg rest", k.leg_rest)):
        if hold is not None:
            codes = (
                f"up {hex_code(hold.up_start)}/{hex_code(hold.up_stop)}, "
                f"down {hex_code(hold.down_start)}/{hex_code(hold.down_stop)}"
            )
            rows.append((name, codes, "", "hold: START/STOP"))
    rows.append(("zero gravity", hex_code(k.zero_gravity), "", ""))
    rows.append(("anion toggle", hex_code(k.anion_toggle), "", "never pressed by chairctl"))
    return DetailTable("Keys", ("function", "key", "status code", "note"), tuple(rows))


def _details(model: RongtaiModel) -> ModelDetails:
    protocol = model.protocol
    rows = [("protocol", f"{model.family}, device byte {hex_code(protocol.device_byte)}")]
    rows += [
        (
            f"status ({link})",
            f"{form.length} bytes, {'checksum' if form.checksum else 'no checksum'}, "
            f"every {form.period_ms} ms",
        )
        for link, form in protocol.status_forms.items()
    ]
    return ModelDetails(
        protocol=tuple(rows),
        programs=tuple(p.name for p in model.keys.auto_programs),
        tables=(_keys(model),),
        summary={"device_byte": protocol.device_byte},
    )


RONGTAI = Family("rongtai-h10", RongtaiModel, "rongtai-rt8600s", _adapter, _decoder, _details)
