"""The Korean wired-remote family, as chairctl's registry (:mod:`drivers.families`) knows it."""

from __future__ import annotations

from drivers.adapters.base import Adapter
from drivers.adapters.korean.adapter import KoreanAdapter
from drivers.family import DetailTable, Family, FrameDecoder, ModelDetails, joined
from drivers.models.korean import KeyPair, KoreanModel
from drivers.protocols.korean import record


def _adapter(model: KoreanModel, shoulder_position: float | None) -> Adapter:
    # The chair cannot be told where its rollers go: a shoulder line changes nothing here.
    del shoulder_position
    return KoreanAdapter(model)


def _decoder(model: KoreanModel) -> FrameDecoder:
    del model  # every frame of the family reads the same way
    return record


def _pair(pair: KeyPair) -> str:
    return f"{pair.press:04X} / {pair.release:04X}"


_KEY_NOTES = {
    "timer": "+5 min, wraps; set once per power-on, forward only",
    "pause": "never pressed by chairctl (a pause does not show)",
    "speed": "cycle, manual mode only",
    "manual": "manual mode, then the next technique",
    "back_recline": "hold to move; never pressed by chairctl",
    "back_raise": "hold to move; never pressed by chairctl",
    "leg_lower": "hold to move; never pressed by chairctl",
    "leg_raise": "hold to move; never pressed by chairctl",
    "air_mode": "cycle, off included",
    "air_strength": "cycle 1, 3, 5",
    "area": "cycle; chairctl uses full",
    "width": "cycle",
    "position_up": "never pressed by chairctl",
    "position_down": "never pressed by chairctl",
    "position_reset": "never pressed by chairctl",
    "zero_gravity": "toggle",
}


def _details(model: KoreanModel) -> ModelDetails:
    keys = DetailTable(
        "Buttons (press / release code)",
        ("function", "codes", "note"),
        tuple(
            (name.replace("_", " "), _pair(pair), _KEY_NOTES.get(name, "toggle"))
            for name, pair in model.keys.pairs().items()
        ),
    )
    programs = DetailTable(
        "Auto programs (never started by chairctl: what they work is not known)",
        ("display", "program", "codes", "regions [assumed]"),
        tuple(
            (
                f"A{p.display}",
                f"{p.name} ({p.label})" if p.label else p.name,
                _pair(p.key),
                joined(r.value for r in p.regions),
            )
            for p in model.auto_programs
        ),
    )
    manual = DetailTable(
        "Manual techniques (the manual button's cycle)",
        ("place", "technique", "as", "note"),
        tuple(
            (
                str(i),
                m.name,
                m.technique.value,
                "approximation" if m.approximates else "",
            )
            for i, m in enumerate(model.manual_techniques, start=1)
        ),
    )
    cycles = DetailTable(
        "Cycles",
        ("button", "steps"),
        (
            ("timer", joined(f"{m} min" for m in model.timer_steps)),
            ("area", joined(a.value for a in model.area_cycle)),
            ("width", joined(w.value for w in model.width_cycle)),
            ("speed", "1, 3, 5"),
            ("air strength", "1, 3, 5"),
            (
                "air mode",
                " | ".join(["off", *(joined(z.value for z in zones) for zones in model.air_modes)]),
            ),
        ),
    )
    protocol = model.protocol
    return ModelDetails(
        protocol=(
            (
                "protocol",
                f"{model.family}: ASCII-hex text ~XXXX\\r, every button a press code then a "
                "release code",
            ),
            (
                "status",
                f"long (9 bytes) and short (5 bytes), no checksum, every "
                f"{protocol.status_period_ms} ms; lamps blink every {protocol.blink_period_ms} ms",
            ),
        ),
        programs=tuple(p.name for p in model.auto_programs),
        tables=(keys, manual, programs, cycles),
    )


KOREAN = Family("korean-ascii", KoreanModel, "korean-ascii-remote", _adapter, _decoder, _details)
