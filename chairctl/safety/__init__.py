"""The safety layer: the person's limits and the hard rules every setpoint obeys, after the
program and the person."""

from chairctl.safety.personalisation import AS_WRITTEN, Personalisation
from chairctl.safety.ramp import Contacts, airbag_cap, roller_cap
from chairctl.safety.recline import RECLINE_WARNING
from chairctl.safety.rules import Correction, Moment, enforce, violations

__all__ = [
    "AS_WRITTEN",
    "RECLINE_WARNING",
    "Contacts",
    "Correction",
    "Moment",
    "Personalisation",
    "airbag_cap",
    "enforce",
    "roller_cap",
    "violations",
]
