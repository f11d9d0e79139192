"""The heat rule of a chair with one heat switch, the same for every family that has one.

A chair whose heat is one key or one bool switches every heater it has to one setting, taken
to be the hottest level its model lists. So heat goes on only when that is no hotter than asked
for every heater asked, and no heater is warmed that was not asked for; otherwise it stays off,
and the notes say why. Never hotter than asked is the rule the compiler keeps too.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final

from chairctl.vocabulary import Heater, HeatLevel, Unsupported

#: Heat levels from cold to hot.
HEAT_ORDER: Final = (HeatLevel.OFF, HeatLevel.LOW, HeatLevel.MEDIUM, HeatLevel.HIGH)


def one_switch_heat(
    asked: Mapping[Heater, HeatLevel],
    heaters: Sequence[Heater],
    heat_levels: Sequence[HeatLevel],
    notes: list[str],
    *,
    switch: str = "key",
) -> bool:
    """Whether the one heat switch goes on for ``asked``; what is approximated goes to
    ``notes`` (``switch`` is what the chair's switch is called in them). Raises
    :class:`Unsupported` when the chair has an asked heater not, or no heat to switch on."""
    if not asked:
        return False
    for heater in asked:
        if heater not in heaters:
            raise Unsupported(f"this chair has no {heater} heater it can switch")
    on_levels = [level for level in heat_levels if level is not HeatLevel.OFF]
    if not on_levels:
        raise Unsupported("this chair's heat cannot be switched on")
    rank = HEAT_ORDER.index
    chair_level = max(on_levels, key=rank)
    too_hot = [h for h, level in asked.items() if rank(level) < rank(chair_level)]
    unasked = [h for h in heaters if h not in asked]
    if too_hot or unasked:
        why = (
            f"its one heat setting ({chair_level}) is hotter than asked"
            if too_hot
            else f"its one heat {switch} also heats {_words(unasked)}"
        )
        notes.append(f"heat: left off, because {why}")
        return False
    cooler = [h for h, level in asked.items() if level is not chair_level]
    if cooler:
        notes.append(f"heat: {_words(cooler)} get this chair's one setting, {chair_level}")
    return True


def _words(items: Sequence[Heater]) -> str:
    names = [str(item) for item in items]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
