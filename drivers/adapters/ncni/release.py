"""Safe release on an NCNI chair: power off, the status showing it, and the settle waited out.

The panel has no "stop all" key. Power from on switches the chair off, and the chair settles
by itself: rollers stop and go home, depth to 0, airbags vent, heat off, actuators home. Its
status goes all zero at once, so "off" is all the status can show. The settle that follows
cannot be seen, so the release waits out the longest it can take by the model's mechanics
(capped by ``settle_cap_s``, as the chair caps it): the carriage's travel, the depth's, the
airbags' venting, and the actuators' travel unless the adapter knows the chair was upright.

Power is a toggle: it is pressed once, only while the status shows the chair on, and pressed
again only after a status a settle window later still shows it on (at most twice, or the
adapter's ``attempts`` if more). The second press is what saves the race a status cannot
close: a chair that switched itself off (its idle sleep, its timer) just before the press
shows on until its next frames, and the press then switches it on again, into its auto
program's body scan; a status a window later shows it on, and the second press switches it
off before the scan is over. A chair that protected itself (a motor overload or an actuator
watchdog) is already off (its status reads as a fault, :mod:`.watch`), and nothing is
pressed: a press would switch it on again. It stops where it is, retracts and vents; the
longer of those two is waited out.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from chairctl.vocabulary import ChairStatus, NotConfirmed, WorkState
from drivers.adapters.base import Port, Release
from drivers.adapters.confirm import Confirmer
from drivers.adapters.ncni.reconciler import view_of
from drivers.adapters.ncni.watch import OffWatch
from drivers.models.ncni import NcniModel


def is_safe(status: ChairStatus) -> bool:
    """The chair is off (its status payload all zero), switched off or having switched itself
    off (a fault): then it settles, or has stopped, by itself."""
    return status.work_state in (WorkState.STANDBY, WorkState.FAULT)


class Releaser:
    """Switches an NCNI chair off, watches the status show it, and waits out the settle."""

    def __init__(
        self,
        model: NcniModel,
        window_s: float,
        attempts: int,
        key_name: Callable[[int], str],
        *,
        watch: OffWatch,
        upright: Callable[[], bool],
    ) -> None:
        self.power = model.keys.power
        self.window_s = window_s
        #: A refuted switch-off is pressed again once (see the module's notes).
        self.attempts = max(attempts, 2)
        self.key_name = key_name
        self.watch = watch
        #: True when the adapter knows the backrest and leg rest are home already.
        self._upright = upright
        mechanics, cap = model.mechanics, model.timing.settle_cap_s
        retract_s = model.depth_retract_s
        base = max(mechanics.roller_travel_s, retract_s, mechanics.airbag_vent_s)
        actuators = max(mechanics.backrest_travel_s, mechanics.leg_rest_travel_s)
        self._settle_s = min(cap, base)
        self._settle_reclined_s = min(cap, max(base, actuators))
        self._fault_s = max(retract_s, mechanics.airbag_vent_s)
        #: When the settle after the adapter's last power-off is over.
        self._settled_at = -math.inf

    async def release(self, port: Port) -> Release:
        """Press power while the chair shows on; safe once a status shows it off and the
        settle has had its time."""
        clock = port.clock
        # Switched off from here, the chair is off by our doing, not its own.
        self.watch.armed = False
        settle_s = self._settle_s if self._upright() else self._settle_reclined_s
        confirmer = Confirmer(self.window_s, self.attempts, self.key_name)
        notes: list[str] = []
        started = clock.now()
        while not is_safe(port.status):
            try:
                sent, status = await confirmer.press(port, self.power, "switch off", is_safe)
            except NotConfirmed as error:
                notes.append(f"{error}; the status showed {view_of(port.status).describe()}")
                return Release(False, tuple(notes))
            if is_safe(status):
                self._settled_at = sent + settle_s
                await clock.sleep_until(self._settled_at)
                return Release(True, tuple(notes), sent)
            notes.append(
                f"switch off: {self.key_name(self.power)} did not take; the status "
                f"{self.window_s:g} s later still showed {view_of(status).describe()}"
            )
        # Off already: by a power-off of ours whose settle may still run, by itself (asleep,
        # settled long since), or by protecting itself (stopped where it was).
        wait_until = self._settled_at
        if port.status.work_state is WorkState.FAULT:
            wait_until = max(wait_until, started + self._fault_s)
        await clock.sleep_until(wait_until)
        return Release(True, tuple(notes))
