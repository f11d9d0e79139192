"""What the Korean chair's display says beyond chairctl's shared status fields.

:class:`KoreanDetail` travels in a :class:`~chairctl.vocabulary.ChairStatus`'s ``detail``: the
display read over the blink window in the chair's own terms (its levels 1/3/5, its area, the
place of the manual technique whose lamp blinks, the roller-position lamps passing), and how
many acknowledgements (beeps) the chair sent so far, which only the family's adapter reads.
:func:`detail_of_steady` makes one from a :class:`~drivers.protocols.korean.blink.Steady`
reading and the counts; pure code, no clock.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from pydantic import Field

from chairctl.vocabulary import ChairStatus
from chairctl.vocabulary.state import StatusDetail
from drivers.protocols.korean.blink import Reading, Steady
from drivers.protocols.korean.frames import Ack
from drivers.protocols.korean.status import TECHNIQUE_LAMPS

#: Each technique lamp's place in the manual button's cycle (0 the first): the status shows
#: the technique running by its place (the model file's ``manual_techniques`` order).
TECHNIQUE_PLACES: Mapping[str, int] = {lamp.name: i for i, lamp in enumerate(TECHNIQUE_LAMPS)}


class KoreanDetail(StatusDetail):
    """The Korean chair's display read over the blink window, in its own terms."""

    fresh: bool = Field(
        description="A long status came within the blink reader's largest gap: the reading is "
        "current (otherwise the link may be down and nothing here is believed)."
    )
    lit: bool = Field(
        description="The display showed its timer within the blink window: the chair is on "
        "(a display that blinks its digits still reads lit)."
    )
    dark: bool = Field(
        description="The latest trusted long status shows no timer: the display has just gone "
        "dark, or blinks its digits ([assumed] it does not)."
    )
    timer_minutes: int | None = Field(description="The minutes the timer showed, if lit.")
    air: bool = Field(description="The air bit: some air mode is selected.")
    air_strength: int | None = Field(description="The air strength shown: 1, 3 or 5.")
    speed: int | None = Field(description="The roller speed shown: 1, 3 or 5.")
    manual: bool | None = Field(description="Manual mode, by the short status; None: none yet.")
    area: Literal["point", "local", "full"] | None = Field(
        description="The massage area, by the short status; None: none yet, or reserved."
    )
    technique: int | None = Field(
        description="The place (0 the first) in the manual cycle of the one technique lamp "
        "that reads blinking; None when not exactly one does."
    )
    techniques_active: tuple[int, ...] = Field(
        description="The places of every technique lamp that reads blinking."
    )
    techniques_idle: bool = Field(
        description="Every technique lamp read at rest through a whole window."
    )
    rollers_passing: tuple[int, ...] = Field(
        description="The roller-position lamps (1 lowest .. 6) that read blinking."
    )
    auto_program: str | None = Field(description="The auto program the indicators show.")
    motion_active: bool = Field(description="The backrest or leg rest physically moves.")
    shorts: int = Field(
        description="Trusted short statuses read so far: one more than before a key shows that "
        "the manual and area fields come from after it."
    )
    beeps: int = Field(description="Single beeps (1103) heard so far.")
    double_beeps: int = Field(description="Double beeps (1104: a cycle wrapped) heard so far.")
    moved: int = Field(description="Position-reached answers (1100) heard so far.")


def detail_of_steady(
    steady: Steady, acks: Mapping[Ack, int], shorts: int = 0
) -> KoreanDetail | None:
    """The detail of ``steady`` with the acknowledgements and trusted short statuses counted
    so far; None before the first trusted long status (nothing is known then)."""
    long = steady.long
    if long is None:
        return None
    short = steady.short
    active = sorted(TECHNIQUE_PLACES[name] for name in steady.active("technique"))
    return KoreanDetail(
        fresh=steady.fresh,
        lit=steady.timer_minutes is not None and steady.fresh,
        dark=long.timer_minutes is None,
        timer_minutes=steady.timer_minutes,
        air=long.air,
        air_strength=long.air_strength,
        speed=long.speed,
        manual=None if short is None else short.manual,
        area=None if short is None else short.area,
        technique=active[0] if len(active) == 1 else None,
        techniques_active=tuple(active),
        techniques_idle=all(r is Reading.IDLE for r in steady.group("technique").values()),
        rollers_passing=tuple(sorted(int(n) for n in steady.active("roller"))),
        auto_program=steady.auto_program,
        motion_active=long.motion_active,
        shorts=shorts,
        beeps=acks.get(Ack.BEEP, 0),
        double_beeps=acks.get(Ack.DOUBLE_BEEP, 0),
        moved=acks.get(Ack.MOVED, 0),
    )


def detail_of(status: ChairStatus) -> KoreanDetail | None:
    """The family's detail of ``status``; None for a status that has none."""
    detail = status.detail
    return detail if isinstance(detail, KoreanDetail) else None
