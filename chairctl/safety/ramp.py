"""Start low, ramp up: by contact with the body, not by the session's clock.

Each actuator that presses (the rollers, the airbags) has its own contact: it begins when that
actuator starts to work and ends when it rests. For the first :data:`START_RAMP_S` of a contact
the rollers stay at intensity :data:`START_MAX_INTENSITY` or less and the airbags at
:data:`START_MAX_AIRBAG` or less; then the limit rises one level every :data:`RAMP_STEP_S`.
A first minute of rest or of airbags only therefore does not let the rollers start strong, and
every resume or restart of the chair starts gently again (reference/chair-domain.md 5.2; NCAC:
start at "weak").

:class:`Contacts` follows the contacts of one session as setpoints are applied: the compiler
walks it through the plan's times, the engine through the clock's.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from chairctl.vocabulary import MAX_INTENSITY, Setpoint
from chairctl.vocabulary.limits import (
    RAMP_STEP_S,
    START_MAX_AIRBAG,
    START_MAX_INTENSITY,
    START_RAMP_S,
)


def ramp_cap(contact_s: float | None, start_max: int) -> int:
    """The highest level allowed ``contact_s`` seconds into a contact (None: the contact has not
    begun, so what is applied now begins it)."""
    if contact_s is None or contact_s < START_RAMP_S:
        return start_max
    return min(MAX_INTENSITY, start_max + 1 + math.floor((contact_s - START_RAMP_S) / RAMP_STEP_S))


def next_rise(contact_s: float | None, start_max: int) -> float | None:
    """Seconds into the contact at which :func:`ramp_cap` next rises; None once at the top."""
    cap = ramp_cap(contact_s, start_max)
    if cap >= MAX_INTENSITY:
        return None
    return START_RAMP_S + (cap - start_max) * RAMP_STEP_S


def roller_cap(contact_s: float | None) -> int:
    """The highest roller intensity ``contact_s`` seconds into the rollers' contact."""
    return ramp_cap(contact_s, START_MAX_INTENSITY)


def airbag_cap(contact_s: float | None) -> int:
    """The highest airbag pressure ``contact_s`` seconds into the airbags' contact."""
    return ramp_cap(contact_s, START_MAX_AIRBAG)


@dataclass(frozen=True)
class Contacts:
    """When the rollers' and the airbags' current contacts began (None: at rest), and what the
    rollers were last asked for, on one clock (plan seconds or the chair's clock)."""

    rollers_since: float | None = None
    airbags_since: float | None = None
    #: The roller intensity last applied, while the rollers are in contact.
    intensity: int | None = None

    def rollers_s(self, now: float) -> float | None:
        """Seconds the rollers have been in contact at ``now``; None at rest."""
        return None if self.rollers_since is None else max(0.0, now - self.rollers_since)

    def airbags_s(self, now: float) -> float | None:
        """Seconds the airbags have been in contact at ``now``; None at rest."""
        return None if self.airbags_since is None else max(0.0, now - self.airbags_since)

    def restarts(self, setpoint: Setpoint, *, steps_down: bool) -> bool:
        """True when applying ``setpoint`` ends the rollers' contact and begins a new one: a
        chair that cannot step its intensity down restarts (returns home, scans the back,
        starts again) to lower it."""
        return (
            not steps_down
            and self.intensity is not None
            and setpoint.rollers_active
            and setpoint.intensity < self.intensity
        )

    def applied(self, setpoint: Setpoint, at: float, *, steps_down: bool = True) -> Contacts:
        """The contacts once ``setpoint`` has taken effect at ``at``."""
        rollers = self.rollers_since
        if not setpoint.rollers_active:
            rollers = None
        elif rollers is None or self.restarts(setpoint, steps_down=steps_down):
            rollers = at
        airbags = self.airbags_since
        if not setpoint.airbags:
            airbags = None
        elif airbags is None:
            airbags = at
        return Contacts(
            rollers_since=rollers,
            airbags_since=airbags,
            intensity=setpoint.intensity if setpoint.rollers_active else None,
        )

    def at_rest(self) -> Contacts:
        """Every contact ended (a pause, a stop): what comes next starts gently."""
        return Contacts()
