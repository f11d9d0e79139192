"""A status in the Korean chair's own terms: what the reconciler and the release judge by.

A :class:`View` is read from a :class:`~chairctl.vocabulary.ChairStatus` and the family's
:class:`~drivers.protocols.korean.detail.KoreanDetail`. It says what the display shows over
the blink window: whether the chair is on (its timer lit), what is selected (the air and its
strength, the speed, the width, the area, manual mode, heat, the foot roller), which manual
technique's lamp blinks, which air zones inflate, whether the backrest or leg rest moves, and
the chair's beeps counted so far. What the display cannot show (the air mode, a pause, the
posture) is not here: the reconciler believes it from its own presses, or does not know it.
"""

from __future__ import annotations

from dataclasses import dataclass

from chairctl.vocabulary import AirbagZone, ChairStatus, MassageRange, Width, WorkState
from drivers.protocols.korean import DIGESTION
from drivers.protocols.korean.detail import KoreanDetail, detail_of

#: The status's area names as the vocabulary's ranges.
_AREAS = {"point": MassageRange.POINT, "local": MassageRange.PARTIAL, "full": MassageRange.FULL}


@dataclass(frozen=True)
class View:
    """What the display says, in the chair's terms."""

    #: A current reading: the status has the family's detail, and its long status is fresh.
    current: bool
    #: The display showed its timer within the blink window.
    lit: bool
    #: The latest trusted frame shows no timer (just gone dark, if still :attr:`lit`).
    dark: bool
    #: The session latched the chair's switching itself off (the off watch's FAULT).
    fault: bool
    timer: int | None
    air: bool
    strength: int | None
    speed: int | None
    width: Width | None
    area: MassageRange | None
    #: Manual mode by the short status (None before the first).
    manual: bool | None
    #: The place of the one technique lamp that blinks (None: not exactly one).
    technique: int | None
    techniques_active: frozenset[int]
    #: Every technique lamp read at rest for a whole window: the rollers do not work in manual.
    techniques_idle: bool
    rollers_passing: frozenset[int]
    auto_program: str | None
    heat: bool
    foot: bool
    #: The backrest or leg rest physically moves (the steady "motion active" bit).
    moving: bool
    #: The actuators' direction cannot be told, or the reading is not current.
    motion_unknown: bool
    airbags_active: frozenset[AirbagZone]
    #: Trusted short statuses read so far (manual mode and the area come from the latest).
    shorts: int
    beeps: int
    double_beeps: int

    @property
    def powered(self) -> bool:
        """On and staying on: the timer lit, and not gone dark in the latest frame."""
        return self.current and self.lit and not self.dark and not self.fault

    @property
    def off(self) -> bool:
        """Off over a whole window: the display dark through the blink window."""
        return self.current and not self.lit

    @property
    def going_dark(self) -> bool:
        """Just gone dark: off, or a display that blanks its digits; a window tells which."""
        return self.current and self.lit and self.dark

    @property
    def rollers_working(self) -> bool:
        """The rollers work, as far as the display tells: a technique lamp blinks, or a roller
        position lamp does (any mode), or an auto program is shown."""
        return bool(self.techniques_active or self.rollers_passing or self.auto_program)

    @property
    def acks(self) -> int:
        """Every beep so far, single or double."""
        return self.beeps + self.double_beeps

    def describe(self) -> str:
        """The view as people read it, for messages."""
        if not self.current:
            return "no current status"
        if self.fault:
            return "the chair switched itself off"
        if self.off:
            return "the chair off"
        if self.going_dark:
            return "the display just gone dark"
        parts = [f"timer {self.timer} min"]
        if self.manual:
            technique = (
                "no technique lamp" if self.technique is None else f"technique {self.technique + 1}"
            )
            parts.append(f"manual, {technique}")
        if self.auto_program:
            parts.append(f"auto program {self.auto_program}")
        parts.append(f"air {'on, strength ' + str(self.strength) if self.air else 'off'}")
        parts.append(f"area {self.area or 'unknown'}, width {self.width or 'unknown'}")
        parts.append(f"heat {'on' if self.heat else 'off'}")
        if self.moving:
            parts.append("backrest or leg rest moving")
        return "the chair on: " + "; ".join(parts)


def view_of(status: ChairStatus) -> View:
    """What ``status`` (from the family's decoder) says, in the chair's terms."""
    detail: KoreanDetail | None = detail_of(status)
    fault = status.work_state is WorkState.FAULT
    if detail is None:
        return View(
            current=False,
            lit=False,
            dark=False,
            fault=fault,
            timer=None,
            air=False,
            strength=None,
            speed=None,
            width=None,
            area=None,
            manual=None,
            technique=None,
            techniques_active=frozenset(),
            techniques_idle=False,
            rollers_passing=frozenset(),
            auto_program=None,
            heat=False,
            foot=False,
            moving=False,
            motion_unknown=True,
            airbags_active=frozenset(),
            shorts=0,
            beeps=0,
            double_beeps=0,
        )
    current = detail.fresh
    return View(
        current=current,
        lit=detail.lit,
        dark=detail.dark,
        fault=fault,
        timer=detail.timer_minutes,
        air=detail.air,
        strength=detail.air_strength,
        speed=detail.speed,
        width=status.width,
        area=None if detail.area is None else _AREAS[detail.area],
        manual=detail.manual,
        technique=detail.technique,
        techniques_active=frozenset(detail.techniques_active),
        techniques_idle=detail.techniques_idle,
        rollers_passing=frozenset(detail.rollers_passing),
        # No indicator at all reads as digestion (A6) and as "on, nothing selected" alike:
        # only the roller lamps passing tell a program that runs.
        auto_program=(
            detail.auto_program
            if detail.auto_program != DIGESTION or detail.rollers_passing
            else None
        ),
        heat=status.heat,
        foot=status.foot_roller,
        moving=detail.motion_active,
        motion_unknown=bool({"backrest", "leg_rest"} & status.unconfirmed) or not current,
        airbags_active=status.airbags_active,
        shorts=detail.shorts,
        beeps=detail.beeps,
        double_beeps=detail.double_beeps,
    )


def is_safe(status: ChairStatus) -> bool:
    """The display has read dark for a whole window (the chair off, by a power press or by
    itself) and nothing is seen moving: the backrest and leg rest are still. What the display
    cannot show (the rollers home, the airbags vented, the heater cold) the release waits out
    by the model's mechanics."""
    view = view_of(status)
    return view.off and not view.moving and not view.motion_unknown
