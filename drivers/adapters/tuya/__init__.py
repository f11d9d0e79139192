"""The adapter for chairs whose MCU speaks the Tuya serial protocol (Tuya module in front).

:class:`TuyaAdapter` maps Setpoints onto a model's data points (:mod:`.targets`), reads the
MCU's reports as statuses (:mod:`drivers.protocols.tuya.decoding`), reconciles one confirmed
set at a time (:mod:`.reconciler`) and performs the safe release (:mod:`.release`). The wire
behaviour it relies on: ``docs/protocols/tuya.md``.
"""

from drivers.adapters.tuya.adapter import TuyaAdapter
from drivers.adapters.tuya.reconciler import Reconciler, SetDp
from drivers.adapters.tuya.release import Releaser, is_safe
from drivers.adapters.tuya.targets import Rollers, TargetMapper, Targets, choose_rollers, scale

__all__ = [
    "Reconciler",
    "Releaser",
    "Rollers",
    "SetDp",
    "TargetMapper",
    "Targets",
    "TuyaAdapter",
    "choose_rollers",
    "is_safe",
    "scale",
]
