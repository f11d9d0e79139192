"""The Korean chair's steady display reading as chairctl's family-neutral ChairStatus.

Only what the display shows becomes a field; what it shows but cannot be believed for at this
moment is named in ``unconfirmed`` (the vocabulary's rule: words never claim more than the
chair confirmed). What a field rests on, and its limits:

- ``running``: the timer shows two digits within the blink window. The display is assumed dark,
  or not sent, when the chair is off [assumed]; ``work_state`` is then RUNNING, else STANDBY.
  A pause is not known to show on the display, so a running ``work_state`` is always
  unconfirmed.
- ``remaining_s``: the minutes shown, times 60. The display shows whole minutes and whether it
  rounds up or down is not known: the value is good to a minute.
- ``heat``, ``speed``, ``width``, ``foot_roller``: the latest long status's bits; a level or
  width in the reserved code reads 0 / None and is unconfirmed.
- ``airbag_level``: the air strength (1/3/5) while air is on, else 0.
- ``airbags_active``: the air-zone lamps that blink (shoulder, wrist, calf, foot → shoulders,
  arms, calves, feet); unconfirmed while any zone's lamp cannot be told yet.
- ``massage_range``: the short status's area: point, local (→ partial), full.
- ``backrest``, ``leg_rest``: STOPPED while the steady "motion active" bit is 0 (the source: 0
  "at rest or out of travel range"); while it is 1, the direction whose lamp blinks. While it
  is 1 and a part's direction cannot be told, that part reads STOPPED and is unconfirmed: the
  adapter must not take it for stopped (:attr:`Steady.long`'s ``motion_active`` says it moves).
- ``program``: the auto program shown, ``manual`` in manual mode, None when off. Digestion
  (A6) has no indicator of its own, only the absence of the others, so it is unconfirmed.
- Not shown at all, left at their defaults: technique (the manual technique lamps are named in
  the chair's own terms: :attr:`Steady.technique`), intensity, roller position, zero gravity,
  slide, the session preset.

Nothing is believed from a reading whose latest long status is not fresh: the link may be down.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from chairctl.vocabulary import (
    ActuatorMotion,
    AirbagZone,
    ChairStatus,
    MassageRange,
    Width,
    WorkState,
)
from drivers.protocols.korean.blink import Reading, Steady
from drivers.protocols.korean.status import DIGESTION, Area, WidthName

#: The air zones' lamps as vocabulary zones: 팔목 (wrist) is the arm bags, 종아리 the calves, 발
#: the feet (docs/sources.md section 5.1's zones).
AIR_ZONES: Final[Mapping[str, AirbagZone]] = MappingProxyType(
    {
        "shoulder": AirbagZone.SHOULDERS,
        "wrist": AirbagZone.ARMS,
        "calf": AirbagZone.CALVES,
        "foot": AirbagZone.FEET,
    }
)
RANGES: Final[Mapping[Area, MassageRange]] = MappingProxyType(
    {"point": MassageRange.POINT, "local": MassageRange.PARTIAL, "full": MassageRange.FULL}
)
WIDTHS: Final[Mapping[WidthName, Width]] = MappingProxyType(
    {"wide": Width.WIDE, "medium": Width.MEDIUM, "narrow": Width.NARROW}
)
#: The program a running chair in manual mode reports.
MANUAL: Final = "manual"
#: Every field this family's status reports: all of them unconfirmed when nothing current is.
REPORTED: Final = frozenset(
    {
        "running",
        "work_state",
        "remaining_s",
        "heat",
        "speed",
        "width",
        "foot_roller",
        "airbag_level",
        "airbags_active",
        "massage_range",
        "backrest",
        "leg_rest",
        "program",
    }
)


def _motion(steady: Steady, up: str, down: str, unconfirmed: set[str], name: str) -> ActuatorMotion:
    lamps = steady.group("motion")
    raising, lowering = lamps[up], lamps[down]
    if raising is Reading.ACTIVE and lowering is not Reading.ACTIVE:
        return ActuatorMotion.UP
    if lowering is Reading.ACTIVE and raising is not Reading.ACTIVE:
        return ActuatorMotion.DOWN
    if raising is not Reading.IDLE or lowering is not Reading.IDLE:
        unconfirmed.add(name)  # moving (the steady bit says so), whichever way
    return ActuatorMotion.STOPPED


def to_chair_status(steady: Steady) -> ChairStatus:
    """``steady`` in the project's vocabulary (module notes for what each field rests on)."""
    long = steady.long
    if long is None or not steady.fresh:
        return ChairStatus(unconfirmed=REPORTED)
    unconfirmed: set[str] = set()
    minutes = steady.timer_minutes
    running = minutes is not None
    if running:
        unconfirmed.add("work_state")  # a pause does not show

    airbag_level = 0
    if long.air:
        if long.air_strength is None:
            unconfirmed.add("airbag_level")
        airbag_level = long.air_strength or 0
    if steady.unknown("air_zone"):
        unconfirmed.add("airbags_active")
    if long.speed is None:
        unconfirmed.add("speed")
    if long.width is None:
        unconfirmed.add("width")

    backrest = leg_rest = ActuatorMotion.STOPPED
    if long.motion_active:
        backrest = _motion(steady, "back_raise", "back_recline", unconfirmed, "backrest")
        leg_rest = _motion(steady, "leg_raise", "leg_recline", unconfirmed, "leg_rest")

    short = steady.short
    program: str | None = None
    if running and short is not None:
        if short.manual:
            program = MANUAL
        else:
            program = steady.auto_program
            if program is None or program == DIGESTION:
                unconfirmed.add("program")
    elif running:
        unconfirmed.add("program")
    if short is None or short.area is None:
        unconfirmed.add("massage_range")

    return ChairStatus(
        running=running,
        work_state=WorkState.RUNNING if running else WorkState.STANDBY,
        remaining_s=(minutes or 0) * 60,
        heat=long.heater,
        speed=long.speed or 0,
        width=WIDTHS[long.width] if long.width is not None else None,
        foot_roller=long.foot_roller,
        airbag_level=airbag_level,
        airbags_active=frozenset(AIR_ZONES[z] for z in steady.active("air_zone")),
        massage_range=RANGES[short.area] if short is not None and short.area else None,
        backrest=backrest,
        leg_rest=leg_rest,
        program=program,
        unconfirmed=frozenset(unconfirmed),
    )
