"""Reclining the chair, and what a stop then does.

On every family chairctl drives, the only safe release is the chair's power key, and it also
drives the backrest and leg rest home (``ChairCapabilities.stop_moves_posture``): the leg rest
comes down, the entrapment mechanism of the accident reports (docs/sources.md section 3.3:
a child caught in a leg-length adjuster that retracted on power-off; children under a chair).
So no program reclines the chair before the person confirms the space around it is clear,
and nobody the screening flags is reclined at all (their caps say no recline).
"""

from __future__ import annotations

from typing import Final

#: Said before a program that reclines the chair, and asked about.
RECLINE_WARNING: Final = (
    "This program reclines the chair. A stop (Escape, Ctrl-C, or the chair's own power key) "
    "brings the backrest up and the leg rest down at once, and so does the end of the "
    "session: before it reclines, make sure no child, pet, foot or object is under the leg "
    "rest or beside the chair."
)
