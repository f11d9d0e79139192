"""Hard safety limits, in one place for the loader, the compiler, the runtime guard, the drivers
and the simulator's judge.

Sources: docs/sources.md sections 3.2, 3.4 and 5.2 (session cap, start low and ramp
up, no percussion and low intensity at the neck, the burn thresholds, a cooldown and a daily
cap). Numbers the sources leave open are marked "choice". These numbers are never loosened to
make a program or a test pass.
"""

from __future__ import annotations

import math
from typing import Final

from chairctl.vocabulary.terms import MAX_INTENSITY, Region

#: The longest session, whatever a program or a person asks for.
SESSION_CAP_S: Final = 30 * 60

# -- start low, ramp up (5.2: the lowest strength first, rising over about a minute; NCAC:
# start at "weak") ------------------------------------------------------------------------

#: How long each actuator's contact with the body is held gentle: the rollers' and the
#: airbags' each, counted from when that actuator starts to work, not from the session's start.
START_RAMP_S: Final = 60
#: The most roller intensity during an actuator's first :data:`START_RAMP_S` of contact.
START_MAX_INTENSITY: Final = 2
#: The most airbag pressure during the airbags' first :data:`START_RAMP_S` of contact.
START_MAX_AIRBAG: Final = 1
#: After the gentle first minute a contact rises one level at a time, each level held at least
#: this long before the next (choice: 2 to 5 then takes 30 s more).
RAMP_STEP_S: Final = 10
#: The rollers (or the airbags) at rest this long end a contact: the next one starts gently
#: again. A pause, a resume and a chair's restart (return home and body scan) all do.
CONTACT_GAP_S: Final = 10


def ramp_cap(contact_s: float | None, start_max: int) -> int:
    """The highest level allowed ``contact_s`` seconds into a contact (None: the contact has not
    begun, so what is applied now begins it)."""
    if contact_s is None:
        return start_max
    # A float crumb short of a boundary (a time computed back from the clock) is on it.
    contact_s += 1e-6
    if contact_s < START_RAMP_S:
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


# -- the neck ----------------------------------------------------------------------------------

#: The region where percussion is never allowed and intensity is capped.
NECK: Final = Region.NECK
#: The most intensity allowed at the neck.
NECK_MAX_INTENSITY: Final = 2

# -- heat (3.2: NITE burn thresholds, skin contact: 44 °C for 3-4 h, 46 °C for 30 min-1 h,
# 50 °C for 2-3 min) ----------------------------------------------------------------------------

#: The hottest a heater may make the skin it touches (our choice, 5.2: two degrees under
#: the lowest burn threshold, 44 °C over hours).
CONTACT_MAX_C: Final = 42.0
#: Heat minutes per session: half the shortest exposure that burns at 46 °C (30 min), so that
#: a contact model off by a few degrees still leaves a factor of two.
HEAT_MAX_S: Final = 15 * 60

# -- between sessions (3.4: a rest before the next session, and a daily cap) -----------------

#: Rest between two sessions of one person: as long as the last session's massage, at most
#: this (choice: the RT6923's and the NCAC cases' "once or twice a day" pace).
COOLDOWN_MAX_S: Final = 30 * 60
#: Massage per person in any 24 hours (choice: two full sessions).
DAILY_CAP_S: Final = 60 * 60

# -- program files ----------------------------------------------------------------------------

#: Shortest and longest step of a program file.
STEP_MIN_S: Final = 5
STEP_MAX_S: Final = 30 * 60
#: The most setpoints one program may expand into (repeats and ramps included).
MAX_SETPOINTS: Final = 10_000
#: Program files larger than this are refused unread.
MAX_PROGRAM_BYTES: Final = 256 * 1024
