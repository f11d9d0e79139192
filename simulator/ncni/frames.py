"""The chair's side of the NCNI protocol: panel ticks in, 33-byte status frames out.

Written from the protocol facts (protocols.md section 3, corrected against the upstream
project's ``bridge/state.py`` and ``tests/test_closed_loop.py``), independently of the
driver's codec, so a misreading on one side is not mirrored on the other.

The panel sends the chair one byte every 100 ms tick; ``0x00`` is "no key". The chair sees a
key as a run of ticks carrying its code, ended by a ``0x00`` tick (the panel sends three, for a
press after three ticks of the key). Most keys are toggles or cycles, acted on once per run;
the two backrest keys act for as long as they are held, up to 80 ticks from the panel. The
key events are here; :mod:`simulator.ncni.panel` reads the line into them.

The chair answers with frames of 33 bytes: ``AA 55``, payload bytes 2..28, ``00 00 00 00``,
with the fields the upstream project's state code and tests read (docs/protocols/ncni.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Final, Literal

#: Seconds per panel tick.
TICK_S: Final = 0.1
#: The tick byte of "nothing pressed".
IDLE_TICK: Final = 0x00

#: The panel's key codes, by the chair's name for them.
PANEL_CODES: Final[Mapping[int, str]] = MappingProxyType(
    {
        0x01: "power",
        0x02: "foot speed",
        0x03: "heating",
        0x04: "full body",
        0x05: "auto",
        0x06: "backrest down",
        0x07: "time",
        0x08: "zero gravity",
        0x09: "backrest up",
        0x0B: "pause",
        0x0D: "foot massage",
        0x0E: "buttocks",
        0x0F: "pressure -",
        0x10: "pressure +",
        0x11: "legs",
        0x12: "forearms",
        0x13: "shoulders/arms",
        0x14: "speed -",
        0x15: "speed +",
        0x16: "forward/back 1",
        0x17: "back & waist",
        0x18: "forward/back 2",
        0x19: "neck",
    }
)
#: Codes the chair acts on tick by tick while they are held (backrest down, backrest up).
HOLD_CODES: Final = frozenset({0x06, 0x09})


@dataclass(frozen=True, slots=True)
class Press:
    """A toggle or cycle key, seen on ``ticks`` consecutive ticks and then released."""

    code: int
    ticks: int

    @property
    def name(self) -> str:
        """The chair's name for the key."""
        return PANEL_CODES[self.code]


@dataclass(frozen=True, slots=True)
class Hold:
    """A backrest key held for ``ticks`` consecutive ticks and then released."""

    code: int
    ticks: int

    @property
    def name(self) -> str:
        """The chair's name for the key."""
        return PANEL_CODES[self.code]


# -- status frames ---------------------------------------------------------------------------

FRAME_SIZE: Final = 33
START: Final = (0xAA, 0x55)
END: Final = (0x00, 0x00, 0x00, 0x00)
#: ``[2]`` of a powered chair: every powered frame in the upstream project's tests carries
#: ``08`` there (``tests/test_closed_loop.py``, its ``frame()`` helper).
POWER_MARK_INDEX: Final = 2
POWER_MARK: Final = 0x08

_LEVEL_CODES: Final[Mapping[int, int]] = MappingProxyType({1: 0x00, 2: 0x0C, 3: 0x0F})
#: ``[3]`` with the back-and-waist mode on, ``[4]`` with the neck on or off (upstream's state
#: code: ``04 0C`` manual back, ``00 0E`` manual neck, ``04 0E`` both).
_BACK_WAIST_3: Final = 0x04
_NECK_4: Final = 0x0E
_NO_NECK_4: Final = 0x0C
#: Profile tails at bytes 17..20 (upstream's ``AUTO_TAIL_SIGNATURES``; A has a second one,
#: ``04 00 0A 00``, which this chair does not send).
_SIGNATURES: Final[Mapping[str, tuple[int, int, int, int]]] = MappingProxyType(
    {
        "A": (0x0A, 0x0B, 0x0C, 0x08),
        "B": (0x04, 0x0D, 0x06, 0x00),
        "C": (0x04, 0x09, 0x0E, 0x00),
        "D": (0x04, 0x02, 0x0E, 0x00),
    }
)
_AIRBAG_MASKS: Final[Mapping[str, int]] = MappingProxyType(
    {"shoulders": 0x01, "forearms": 0x02, "legs": 0x04}
)
_MANUAL: Final = frozenset({"back_waist", "neck"})
_HEAT_BITS: Final = 0x0C
_RUNNING_CODE: Final = 0x0F


@dataclass(frozen=True, slots=True)
class ChairImage:
    """What the simulated chair shows on its status line.

    ``manual`` (the manual modes on) counts only in manual mode and ``profile`` only in auto
    mode; manual mode with none on shows no mode (``[3] [4]`` = ``00 00``) [assumed: no source
    shows that state]. ``blank``: the second or so after a zero-gravity or backrest press, when
    ``[3] [4] [11] [12]`` read 0 and the rest stays. An unpowered chair sends an all-zero
    payload whatever the other fields hold.
    """

    powered: bool = False
    running: bool = False
    mode: Literal["auto", "manual"] = "manual"
    manual: frozenset[str] = field(default_factory=frozenset)
    profile: Literal["A", "B", "C", "D"] = "A"
    intensity: int = 1
    speed: int = 2
    foot_speed: int = 1
    airbags: frozenset[str] = field(default_factory=frozenset)
    heat: bool = False
    blank: bool = False

    def encode(self) -> bytes:
        """The 33-byte frame; ValueError for a field the frame cannot carry."""
        for label, level in (
            ("intensity", self.intensity),
            ("speed", self.speed),
            ("foot speed", self.foot_speed),
        ):
            if level not in _LEVEL_CODES:
                raise ValueError(f"{label} is 1..3, not {level}")
        unknown = self.airbags - _AIRBAG_MASKS.keys()
        if unknown:
            raise ValueError(f"no airbag group {sorted(unknown)}")
        if self.manual - _MANUAL:
            raise ValueError(f"no manual mode {sorted(self.manual - _MANUAL)}")
        out = bytearray(FRAME_SIZE)
        out[0:2] = bytes(START)
        if self.powered:
            out[POWER_MARK_INDEX] = POWER_MARK
            if self.mode == "auto":
                out[3], out[4] = 0x04, 0x02
                out[17:21] = bytes(_SIGNATURES[self.profile])
                # The shared level register reads like the pressure in a running auto
                # program (upstream: "coincidentally takes the same values").
                out[11] = _LEVEL_CODES[self.intensity]
            elif self.manual:
                out[3] = _BACK_WAIST_3 if "back_waist" in self.manual else 0x00
                out[4] = _NECK_4 if "neck" in self.manual else _NO_NECK_4
                # Manual mode: [11] is the roller speed.
                out[11] = _LEVEL_CODES[self.speed]
            out[5] = _LEVEL_CODES[self.intensity]
            out[6] = _RUNNING_CODE if self.running else 0x00
            out[7] = _LEVEL_CODES[self.foot_speed]
            # [12] follows [6].
            out[12] = out[6]
            for name in self.airbags:
                out[21] |= _AIRBAG_MASKS[name]
            out[23] = _HEAT_BITS if self.heat else 0x00
            if self.blank:
                for index in (3, 4, 11, 12):
                    out[index] = 0x00
        out[FRAME_SIZE - 4 :] = bytes(END)
        return bytes(out)
