"""Keeping a chair's own modes off the regions a person keeps off.

A chair that runs modes of its own (one that cannot place its rollers) works each mode's band
and, on starting one, carries its working rollers from where they are to that band. So a mode
may run only when its band, and the way there, touch no region kept off. Where the rollers
are is known only roughly: every body scan (at each switch-on) leaves them at the shoulder
line, and a mode leaves them somewhere in its band.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from chairctl.vocabulary import TRACK_ORDER, Region

#: Where the rollers are after the chair's body scan: at the shoulder line it found.
AFTER_SCAN: Final = frozenset({Region.SHOULDERS})


def kept_off_on_the_way(
    carriage: Iterable[Region], band: Iterable[Region], keep_off: frozenset[Region]
) -> Region | None:
    """The first region kept off that working rollers would touch going from anywhere in
    ``carriage`` to ``band`` and working it (the band included); None when there is none."""
    if not keep_off:
        return None
    indices = [TRACK_ORDER.index(r) for r in (*carriage, *band)]
    if not indices:
        return None
    span = TRACK_ORDER[min(indices) : max(indices) + 1]
    return next((region for region in span if region in keep_off), None)


def rest_note(kept_off: Iterable[Region]) -> str:
    """The plain words for rollers resting because every mode would touch a region kept off."""
    names = ", ".join(sorted(r.replace("_", " ") for r in set(kept_off)))
    return (
        f"the rollers rest here: every mode of this chair would work {names}, or pass over it "
        "on the way, and it is kept off"
    )
