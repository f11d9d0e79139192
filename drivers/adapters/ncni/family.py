"""The NCNI family, as chairctl's registry (:mod:`drivers.families`) knows it."""

from __future__ import annotations

from drivers.adapters.base import Adapter
from drivers.adapters.ncni.adapter import NcniAdapter
from drivers.family import DetailTable, Family, FrameDecoder, ModelDetails, hex_code, joined
from drivers.models.ncni import NcniModel
from drivers.protocols import ncni
from drivers.protocols.records import status_record


def _adapter(model: NcniModel, shoulder_position: float | None) -> Adapter:
    # The chair cannot place its rollers: a shoulder line changes nothing here.
    del shoulder_position
    return NcniAdapter(model)


def _decoder(model: NcniModel) -> FrameDecoder:
    del model  # every NCNI frame reads the same way

    def decode(frame: bytes) -> dict[str, object]:
        return status_record(ncni.to_chair_status(ncni.parse_status(frame)))

    return decode


def _details(model: NcniModel) -> ModelDetails:
    keys = DetailTable(
        "Panel keys",
        ("function", "key"),
        tuple(
            (name.replace("_", " "), hex_code(code))
            for name, code in model.keys.model_dump().items()
        ),
    )
    modes = [
        (
            name.replace("_", " "),
            joined(r.value for r in mode.regions),
            joined(t.value for t in mode.techniques),
        )
        for name, mode in model.manual_modes.items()
    ]
    modes.append(
        ("timer", joined(f"{m} min" for m in model.session_minutes), "the time key cycles")
    )
    return ModelDetails(
        protocol=(
            ("protocol", f"{model.family}: one panel byte per 100 ms tick, keys are toggles"),
            ("status", f"33 bytes, no checksum, every {model.protocol.status_period_ms} ms"),
        ),
        programs=tuple(f"manual {name}" for name in model.manual_modes),
        tables=(keys, DetailTable("Manual modes", ("mode", "regions", "techniques"), tuple(modes))),
    )


NCNI = Family("ncni", NcniModel, "ncni-chair", _adapter, _decoder, _details)
