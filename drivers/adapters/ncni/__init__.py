"""The adapter for NCNI chairs, driven from the wire between their touch panel and board.

:class:`NcniAdapter` maps Setpoints onto the chair's manual modes, intensity level, airbag
zones, heat and zero gravity (:mod:`.targets`), reconciles them with the status one confirmed
panel press at a time (:mod:`.reconciler`) and switches the chair off for the safe release
(:mod:`.release`).

Power starts the chair's auto profile A, so the first presses after a power-on take control of
a chair that is already working (:mod:`.reconciler`); a chair found switched on is switched off
and started afresh.

What the chair's status cannot show, the adapter cannot confirm, and says so:

- the technique and where the rollers work: a manual mode works its own band with its own
  techniques (the approximations name them);
- the airbags and the heat: the bits the chair sends for them are not trusted, so they are
  followed by what was pressed since a power-on the adapter made (:attr:`NcniAdapter.believed`),
  and nothing safe rests on them: a release is judged by the chair switching off alone;
- the pressure while nothing runs, and what it presses (rollers or airbags): it is lowered
  blind, but the neck mode starts only while a running status the chair sent a settle window
  after the last pressure key shows level 1 (another mode works first to show it, or the
  rollers rest), and airbags only at a level not above theirs;
- roller speed (shown in manual mode, not set) and width, airbag pressure: not set;
- the zero-gravity posture: the key is a toggle the status does not reflect, so it is pressed
  only when the adapter's own belief differs from what is asked. The belief starts at upright
  when the adapter switches the chair on (switched off, the chair settles upright), follows
  each press, and is dropped by :meth:`~NcniAdapter.forget`; unknown, nothing is pressed;
- the session timer: the time key steps from the power-on default (the first of the model's
  ``session_minutes``), counted, once per power-on the adapter made;
- the settle after power-off: the status is all zero from the moment the chair is off, so
  the release waits for that, then waits out the longest the settle can take by the model's
  mechanics;
- a fault: the chair protects itself by powering off, which its status shows like any
  power-off. While a setpoint has the chair working and the adapter has not switched it off,
  an off status reads as a fault (:mod:`.watch`), so the session latches it and nothing
  switches the chair on again until the user acknowledges it.
"""

from drivers.adapters.ncni.adapter import (
    DEFAULT_ATTEMPTS,
    DEFAULT_SETTLE_WINDOW_S,
    NcniAdapter,
)
from drivers.adapters.ncni.reconciler import Reconciler, View, view_of
from drivers.adapters.ncni.release import is_safe
from drivers.adapters.ncni.targets import (
    TargetMapper,
    Targets,
    chair_level,
    choose_mode,
    neck_level,
)
from drivers.adapters.ncni.watch import OffWatch
from drivers.adapters.posture import PostureGoal

__all__ = [
    "DEFAULT_ATTEMPTS",
    "DEFAULT_SETTLE_WINDOW_S",
    "NcniAdapter",
    "OffWatch",
    "PostureGoal",
    "Reconciler",
    "TargetMapper",
    "Targets",
    "View",
    "chair_level",
    "choose_mode",
    "is_safe",
    "neck_level",
    "view_of",
]
