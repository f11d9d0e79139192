"""The adapter for chairs whose MCU speaks the Tuya serial protocol (Tuya module in front).

:class:`TuyaAdapter` maps Setpoints onto a model's data points (:mod:`.targets`), decodes the
MCU's reports into statuses (:mod:`.decoding`), reconciles one confirmed set at a time
(:mod:`.reconciler`) and performs the safe release (:mod:`.release`). The wire behaviour it
relies on: ``docs/protocols/tuya.md``.
"""

from drivers.adapters.tuya.adapter import TuyaAdapter
from drivers.adapters.tuya.decoding import TuyaDecoder, airbag_zones, status_of, work_state
from drivers.adapters.tuya.points import DpMap, DpValue
from drivers.adapters.tuya.reconciler import Reconciler, SetDp
from drivers.adapters.tuya.release import Releaser, is_safe
from drivers.adapters.tuya.targets import Rollers, TargetMapper, Targets, choose_rollers, scale

__all__ = [
    "DpMap",
    "DpValue",
    "Reconciler",
    "Releaser",
    "Rollers",
    "SetDp",
    "TargetMapper",
    "Targets",
    "TuyaAdapter",
    "TuyaDecoder",
    "airbag_zones",
    "choose_rollers",
    "is_safe",
    "scale",
    "status_of",
    "work_state",
]
