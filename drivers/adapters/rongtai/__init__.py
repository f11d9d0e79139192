"""The adapter for Rongtai H10 chairs (Rongtai and rebrands such as Infinity).

:class:`RongtaiAdapter` maps Setpoints onto a model's keys (:mod:`.targets`), reconciles
them with the status one confirmed key at a time (:mod:`.reconciler`) and performs the safe
release (:mod:`.release`). How and why: ``docs/reconciler.md``.
"""

from drivers.adapters.posture import PostureGoal
from drivers.adapters.rongtai.adapter import (
    DEFAULT_ATTEMPTS,
    DEFAULT_SETTLE_WINDOW_S,
    RongtaiAdapter,
)
from drivers.adapters.rongtai.release import is_safe
from drivers.adapters.rongtai.targets import TargetMapper, Targets, scale

__all__ = [
    "DEFAULT_ATTEMPTS",
    "DEFAULT_SETTLE_WINDOW_S",
    "PostureGoal",
    "RongtaiAdapter",
    "TargetMapper",
    "Targets",
    "is_safe",
    "scale",
]
