"""Safe release on a Korean wired-remote chair: power off, the display showing it dark, the
backrest and leg rest still, and the rest of the settle waited out.

The remote has no "stop all" button. Two buttons stop things:

- **pause** stops the rollers, the air and the foot roller, but not the heater, and a pause
  does not show on the display (its timer runs on): nothing could confirm it. It is never used
  for a release (nor anywhere else);
- **power** from on switches the chair off, and the chair settles by itself: the rollers stop
  and go home, the airbags vent, heat and foot roller go off, the backrest and leg rest go home
  [assumed, as the other families' chairs do]. Its display goes dark, which the status shows.

So the release presses power while the display is lit, and judges by what the status can show:

1. the display **dark over a whole blink window** (a display that blanks its digits would still
   read lit), and never a press while it has just gone dark (a chair already settling, switched
   off by its own timer, an idle sleep or a protective power-off, would switch on again: power
   during a settle starts the chair);
2. **the backrest and leg rest still**: the steady "motion active" bit clear, with its
   direction lamps read (the status shows them moving home);
3. what the status cannot show (the rollers home, the airbags vented, the heater cold) is
   waited out: the longest the settle can take by the model's mechanics, capped by its
   ``settle_cap_s`` as the chair caps it.

Power is a toggle: it is pressed once, and again only when a status a judging window later
still shows the display lit (at most twice). The second press is what saves the race no status
can close: a chair that switched itself off just before the press (its timer, its idle sleep)
is switched on again by it, shows lit a window later, and the second press switches it off.

A chair that protected itself (the off watch's fault, :mod:`.watch`) is already off, and
nothing is pressed (a press would switch it on again): the release waits for the display to
read dark and the actuators still, then out the depth's retraction and the airbags' venting.
Every button held (the backrest and leg-rest buttons move while down) got its release code
from the session before this runs.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from chairctl.vocabulary import ChairStatus
from drivers.adapters.base import Accept, Port, Release
from drivers.adapters.korean.ledger import PressLedger
from drivers.adapters.korean.view import is_safe, view_of
from drivers.adapters.korean.watch import OffWatch
from drivers.models.korean import KoreanModel
from drivers.protocols.korean import BLINK_WINDOW_S

#: Power presses in one release (see the module's notes).
POWER_PRESSES = 2
#: A press is given up on when no status at all comes this many judging windows after it.
_SILENCE_WINDOWS = 10


def _dark(status: ChairStatus) -> bool:
    return view_of(status).off


def _dark_or_after(judged_by: float) -> Accept:
    """A status that shows the display dark, or arrived at ``judged_by`` or later."""
    return lambda s, at: _dark(s) or at >= judged_by


def _settled(status: ChairStatus) -> bool:
    return is_safe(status)


class Releaser:
    """Switches a Korean chair off, watches the status show it, and waits out the settle."""

    def __init__(
        self,
        model: KoreanModel,
        key_name: Callable[[int], str],
        *,
        watch: OffWatch,
        upright: Callable[[], bool],
        ledger: PressLedger,
    ) -> None:
        self.power = model.keys.power
        #: The press on its way, shared with the reconciler.
        self.ledger = ledger
        self._gap_s = 3 * model.timing.key_gap_ms / 1000
        self.key_name = key_name
        self.watch = watch
        #: True when the adapter knows the backrest and leg rest are home already.
        self._upright = upright
        period = model.protocol.status_period_ms / 1000
        #: The display reads dark once a whole blink window has passed without its digits.
        self.off_s = BLINK_WINDOW_S + 3 * period
        mechanics, cap = model.mechanics, model.timing.settle_cap_s
        base = max(mechanics.roller_travel_s, mechanics.depth_travel_s, mechanics.airbag_vent_s)
        actuators = max(mechanics.backrest_travel_s, mechanics.leg_rest_travel_s)
        self._settle_s = min(cap, base)
        self._settle_reclined_s = min(cap, max(base, actuators))
        self._fault_s = max(mechanics.depth_travel_s, mechanics.airbag_vent_s)
        self._motion_s = mechanics.actuator_timeout_s + self.off_s
        self._cap_s = cap
        #: When the settle after the adapter's last power-off is over.
        self._settled_at = -math.inf

    async def release(self, port: Port) -> Release:
        """Press power while the display is lit; safe once it reads dark, nothing moves, and
        the settle has had its time."""
        clock = port.clock
        # Switched off from here, the chair is off by our doing, not its own.
        self.watch.armed = False
        # A press of an apply this release cut short may be changing the chair still (a power
        # press switching it on would read "off" for a while): judge only what shows it.
        await self.ledger.settled(port)
        settle_s = self._settle_s if self._upright() else self._settle_reclined_s
        notes: list[str] = []
        started = clock.now()
        presses = 0
        sent: float | None = None
        while True:
            view = view_of(port.status)
            if view.off or view.fault:
                break
            if not view.current or view.going_dark:
                # Gone dark (settling by itself, or blanking its digits) or not known: a
                # window tells, and a press meanwhile could switch a settling chair on.
                got = await port.wait(
                    lambda s, _at: _dark(s) or view_of(s).powered,
                    deadline=clock.now() + self.off_s + self.off_s,
                )
                if got is None:
                    notes.append(f"no status showed the display dark or lit: {view.describe()}")
                    return Release(False, tuple(notes))
                continue
            if presses >= POWER_PRESSES:
                notes.append(
                    f"switch off: {self.key_name(self.power.press)} was sent {presses} times, "
                    f"and the display still showed {view.describe()}"
                )
                return Release(False, tuple(notes))
            self.ledger.sending(clock.now(), self._gap_s, self.off_s)
            sent = await port.hold(self.power.press, self.power.release)
            self.ledger.sent(sent, self.off_s)
            await port.release(self.power.release)
            presses += 1
            status = await port.wait(
                _dark_or_after(sent + self.off_s),
                deadline=sent + _SILENCE_WINDOWS * self.off_s,
            )
            if status is not None:
                self.ledger.judged()
            if status is None:
                notes.append(
                    f"switch off: no status came within {_SILENCE_WINDOWS * self.off_s:g} s "
                    "of the power press"
                )
                return Release(False, tuple(notes))
            if not _dark(status):
                notes.append(
                    f"switch off: {self.key_name(self.power.press)} did not take; the status "
                    f"{self.off_s:g} s later still showed {view_of(status).describe()}"
                )
        if sent is not None:
            self._settled_at = sent + settle_s
        # Off: by a power-off of ours whose settle may still run, by itself (asleep, its
        # timer, settled long since), or by protecting itself (stopped where it was).
        if view_of(port.status).fault:
            self._settled_at = max(self._settled_at, started + self._fault_s)
        still = await port.wait(
            lambda s, _at: _settled(s), deadline=clock.now() + self._motion_s + self._cap_s
        )
        if still is None:
            notes.append(
                "the status never showed the chair off with its backrest and leg rest still: "
                f"{view_of(port.status).describe()}"
            )
            return Release(False, tuple(notes), sent)
        await clock.sleep_until(self._settled_at)
        return Release(is_safe(port.status), tuple(notes), sent)
