"""Start low, ramp up: by contact with the body, not by the session's clock.

Each actuator that presses (the rollers, the airbags) has its own contact: it begins when that
actuator starts to work and ends when it rests. For the first :data:`START_RAMP_S` of a contact
the rollers stay at intensity :data:`START_MAX_INTENSITY` or less and the airbags at
:data:`START_MAX_AIRBAG` or less; then the limit rises one level every :data:`RAMP_STEP_S`.
A first minute of rest or of airbags only therefore does not let the rollers start strong, and
every resume or restart of the chair starts gently again (docs/sources.md section 5.2; NCAC:
start at "weak").

:class:`Contacts` follows the contacts of one session as setpoints are applied: the compiler
walks it through the plan's times, the engine through the clock's. The limit itself, a function
of how long a contact has lasted, is in :mod:`chairctl.vocabulary.limits`, where the simulator's
judge reads it too.
"""

from __future__ import annotations

from dataclasses import dataclass

from chairctl.vocabulary import FULL_FEATURED, ChairCapabilities, Setpoint
from chairctl.vocabulary.limits import airbag_cap, next_rise, ramp_cap, roller_cap

__all__ = ["Contacts", "airbag_cap", "next_rise", "ramp_cap", "roller_cap"]


@dataclass(frozen=True)
class Contacts:
    """When the rollers' and the airbags' current contacts began (None: at rest), and what the
    rollers were last asked for, on one clock (plan seconds or the chair's clock)."""

    rollers_since: float | None = None
    airbags_since: float | None = None
    #: The roller intensity last applied, while the rollers are in contact.
    intensity: int | None = None

    def rollers_s(self, now: float) -> float | None:
        """Seconds the rollers have been in contact at ``now`` (0 before it begins); None at
        rest."""
        return None if self.rollers_since is None else max(0.0, now - self.rollers_since)

    def airbags_s(self, now: float) -> float | None:
        """Seconds the airbags have been in contact at ``now`` (0 before it begins); None at
        rest."""
        return None if self.airbags_since is None else max(0.0, now - self.airbags_since)

    def restarts(self, setpoint: Setpoint, chair: ChairCapabilities) -> bool:
        """True when applying ``setpoint`` makes ``chair`` restart (return home, scan the back,
        start again), which ends every contact: lowering the intensity of a chair that cannot
        step it down, or resting the rollers of one that cannot rest them alone."""
        if self.intensity is None:
            return False
        if not setpoint.rollers_active:
            return not chair.rollers_rest_alone
        return not chair.intensity_steps_down and setpoint.intensity < self.intensity

    def applied(
        self,
        setpoint: Setpoint,
        at: float,
        chair: ChairCapabilities = FULL_FEATURED,
        *,
        confirmed: bool = False,
        restart: bool = False,
    ) -> Contacts:
        """The contacts once ``setpoint`` has taken effect at ``at`` on ``chair``.

        ``at`` is when the setpoint goes out: after a restart the chair works again only once
        it has restarted (``chair.restart_s`` later), and its new contacts begin then. When
        ``confirmed``, ``at`` is when the chair showed it working, restart and all. A
        ``restart`` the chair itself announced counts as well as one its family implies.
        """
        restart = restart or self.restarts(setpoint, chair)
        begins = at + chair.restart_s if restart and not confirmed else at
        rollers = self.rollers_since
        if not setpoint.rollers_active:
            rollers = None
        elif rollers is None or restart:
            rollers = begins
        airbags = self.airbags_since
        if not setpoint.airbags:
            airbags = None
        elif airbags is None or restart:
            airbags = begins
        return Contacts(
            rollers_since=rollers,
            airbags_since=airbags,
            intensity=setpoint.intensity if setpoint.rollers_active else None,
        )

    def at_rest(self) -> Contacts:
        """Every contact ended (a pause, a stop): what comes next starts gently."""
        return Contacts()
