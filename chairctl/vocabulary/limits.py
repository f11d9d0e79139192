"""Hard safety limits, in one place for the loader, the compiler, the runtime guard and drivers.

Sources: reference/chair-domain.md sections 3.4 and 5.2 (session cap, start low and ramp up,
no percussion and low intensity at the neck). These numbers are never loosened to make a
program or a test pass.
"""

from __future__ import annotations

from typing import Final

from chairctl.vocabulary.terms import Region

#: The longest session, whatever a program or a person asks for.
SESSION_CAP_S: Final = 30 * 60
#: How long the start of a session is held gentle.
START_RAMP_S: Final = 60
#: The most intensity allowed during the start ramp.
START_MAX_INTENSITY: Final = 2
#: The region where percussion is never allowed and intensity is capped.
NECK: Final = Region.NECK
#: The most intensity allowed at the neck.
NECK_MAX_INTENSITY: Final = 2
#: Shortest and longest step of a program file.
STEP_MIN_S: Final = 5
STEP_MAX_S: Final = 30 * 60
#: The most setpoints one program may expand into (repeats and ramps included).
MAX_SETPOINTS: Final = 10_000
#: Program files larger than this are refused unread.
MAX_PROGRAM_BYTES: Final = 256 * 1024
