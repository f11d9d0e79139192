"""Who sits in the simulated chair, and the simulator's knobs that no chair model file sets.

Everything a model file says (key codes, travel times, timeouts, set points) comes from the
model. What is here is either about the person (shoulder height) or a number the public
sources do not give; each default says where it comes from.
"""

from __future__ import annotations

from dataclasses import dataclass

from chairctl.vocabulary import MassageRange, Width


@dataclass(frozen=True, slots=True)
class Sitter:
    """The person in the chair, as the body scan and the ground truth see them."""

    #: Shoulder line in carriage units; None means the model's average sitter.
    shoulder_position: float | None = None


@dataclass(frozen=True, slots=True)
class ChairOptions:
    """Simulator settings beyond the chair model."""

    #: Room temperature, where an unpowered heater ends up.
    ambient_c: float = 22.0
    #: Where the carriage rests when parked. None: one position below the top, where the
    #: captured idle frames report it (position 11 of 0..12).
    park_position: float | None = None
    #: Settings the chair powers up with. The sources give no factory defaults; mid-range
    #: values make a driver reach both sides of each setting.
    initial_strength: int = 3
    initial_speed: int = 3
    initial_width: Width = Width.MEDIUM
    initial_range: MassageRange = MassageRange.FULL
    initial_airbag_level: int = 3
    #: How long an airbag group holds at pressure (the RT6923 stretch holds 3 s).
    airbag_hold_s: float = 3.0
    #: Zero-gravity posture as actuator positions (0 home .. 1 far end); not in public sources.
    zero_g_backrest: float = 0.5
    zero_g_leg_rest: float = 0.7
    #: The firmware keeps one key at a time: a key closer than the model's ``key_gap_ms`` to
    #: the previous one is lost. Off: every key counts.
    enforce_key_gap: bool = True
    #: Drop key frames with a bad checksum (the BT path does; the hand-controller UART does not).
    verify_key_checksum: bool = True
    #: A chair that reports values (data points) sends each in a frame of its own, as real
    #: MCUs behind a radio module answer a query. Off: one report frame carries every value it
    #: reports.
    frame_per_value: bool = True
    #: Seed of the byte corruption fault, so a corrupted run is repeatable.
    seed: int = 0
