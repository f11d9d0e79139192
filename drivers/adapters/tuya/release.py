"""Safe release on a Tuya MCU chair: what stop() sends, and how it knows it worked.

``switch`` off makes the chair settle (rollers stop and go home, depth retracts, airbags
vent, heat and foot roller off, actuators home) and the MCU reports switch off and every mode
closed at once. The release sends one DP deliver whose records close the rollers, the airbags,
the heat and the foot roller and then set switch off: the MCU applies records in order, so
each of them takes even if the last were lost. A product that applies only a deliver's first
record (``one_dp_per_deliver``) gets switch off first, in a frame of its own, then the others
one frame each. A set is a state, so the release is sent again every ``window_s`` until a
report shows the chair off, up to ``attempts`` times in all. Even a chair whose report already
shows it off gets switch off once: a report can read a switch backwards (the neck massager's
own button reports the opposite of what its sets mean), and off is harmless to repeat. Every
value goes out in the type and value map the model gives, never one whose type the chair
contradicts.

The reports cannot show airbags venting or the rollers' depth retracting, so once the chair
shows itself off the release waits the longest either takes before it calls the chair safe.
A faulted chair has stopped everything by itself (its firmware vents and stops where it is):
nothing is sent, and the fault is acknowledged only on the user's word
(:meth:`Releaser.acknowledge_fault`). No actuator is ever driven here: back_control and
bottom_control are only ever set to ``stop``.
"""

from __future__ import annotations

from chairctl.vocabulary import ActuatorMotion, ChairStatus, NotConfirmed, WorkState
from drivers.adapters.base import Port, Release
from drivers.models.tuya import CLOSE, TuyaCode, TuyaModel
from drivers.protocols.tuya import DataPoint, dp_deliver
from drivers.protocols.tuya.decoding import shown_value
from drivers.protocols.tuya.points import DpMap, DpValue
from drivers.protocols.tuya.wiretypes import WireTypes


def is_safe(status: ChairStatus) -> bool:
    """Nothing works, presses or heats: the chair is off with every mode closed, or faulted
    (a faulted chair has stopped everything); and no actuator is driven by its DP."""
    if status.work_state is WorkState.FAULT:
        return True
    return (
        not status.running
        and status.technique_code == 0
        and status.program_code == 0
        and not status.airbag_program
        and not status.heat
        and not status.foot_roller
        and not status.actuators_moving
    )


class Releaser:
    """Switches a Tuya chair off and watches the reports until they show it."""

    def __init__(
        self, model: TuyaModel, window_s: float, attempts: int, types: WireTypes | None = None
    ) -> None:
        self.model = model
        self.window_s = window_s
        self.attempts = attempts
        self.points = DpMap(model)
        #: The wire types the chair reported (shared with the decoder).
        self.types = WireTypes() if types is None else types
        mechanics = model.mechanics
        #: What the reports cannot show: airbags venting, the depth retracting (from its
        #: deepest level, the whole way).
        self.unseen_s = max(mechanics.airbag_vent_s, model.depth_retract_s)

    def _records(self, s: ChairStatus) -> list[tuple[TuyaCode, DpValue]]:
        """Everything off, switch false last; the actuators stopped if driven."""
        wanted: list[tuple[TuyaCode, DpValue]] = []
        if s.running:
            wanted += [
                (code, CLOSE)
                for code in ("manual_mode", "auto_mode", "aircell_location")
                if self.model.closes(code)
            ]
            wanted += [("heat", False), ("foot_control", False)]
        if s.backrest is not ActuatorMotion.STOPPED:
            wanted.append(("back_control", "stop"))
        if s.leg_rest is not ActuatorMotion.STOPPED:
            wanted.append(("bottom_control", "stop"))
        wanted.append(("switch", False))
        return [
            (code, value)
            for code, value in wanted
            if self.points.has(code)
            and (isinstance(value, bool) or value in self.points.range_of(code))
            # Never a value of a type the chair contradicts: it could read as anything.
            and self.types.contradiction(self.points, code) is None
        ]

    def _frames(self, s: ChairStatus) -> list[bytes]:
        """The release as frames: one deliver, or one per record with switch off first."""
        points: list[DataPoint] = [self.points.encode(c, v) for c, v in self._records(s)]
        if not self.model.protocol.one_dp_per_deliver:
            return [dp_deliver(points)]
        # Switch off stops everything such a product does; it must not wait behind the rest.
        points.sort(key=lambda p: p.dp_id != self.points.dp_id("switch"))
        return [dp_deliver([point]) for point in points]

    async def _send(self, frames: list[bytes], port: Port) -> float:
        """Send ``frames`` in order; when the first went out."""
        first: float | None = None
        for frame in frames:
            sent = await port.send(frame)
            first = sent if first is None else first
        assert first is not None  # switch off is always among them
        return first

    async def release(self, port: Port) -> Release:
        """Send the release until the reports show the safe state (or give up)."""
        clock = port.clock
        s = port.status
        started = clock.now()
        if s.work_state is WorkState.FAULT:
            await clock.sleep_until(started + self.unseen_s)
            return Release(True)
        unsendable = self.types.contradiction(self.points, "switch")
        if is_safe(s):
            if unsendable is None:
                # Shown off, sent off all the same: see the module's notes.
                await self._send(self._frames(s), port)
            return Release(True)
        if unsendable is not None:
            return Release(
                False,
                (f"{unsendable}: chairctl cannot switch it off; switch it off by hand",),
            )
        was_working = s.work_state is WorkState.RUNNING
        sent_first: float | None = None
        for _ in range(self.attempts):
            sent = await self._send(self._frames(port.status), port)
            sent_first = sent if sent_first is None else sent_first
            shown = await port.wait(lambda x, _at: is_safe(x), deadline=sent + self.window_s)
            if shown is None:
                continue
            if shown.work_state is not WorkState.FAULT and was_working:
                await clock.sleep_until(clock.now() + self.unseen_s)
            return Release(True, settle_started=sent_first)
        return Release(
            False,
            (
                f"switch off did not take: the release was sent {self.attempts} times, "
                f"{self.window_s:g} s apart, and the chair still reports "
                f"{shown_value(self.model, 'switch', port.status)} "
                f"({port.status.work_state})",
            ),
            sent_first,
        )

    async def acknowledge_fault(self, port: Port) -> None:
        """Set switch false until the fault reads 0 (the chair then stands by where it
        stopped); :class:`NotConfirmed` when it keeps reporting the fault."""
        frame = dp_deliver([self.points.encode("switch", False)])
        for _ in range(self.attempts):
            if port.status.work_state is not WorkState.FAULT:
                return
            sent = await port.send(frame)
            cleared = await port.wait(
                lambda x, _at: x.work_state is not WorkState.FAULT, deadline=sent + self.window_s
            )
            if cleared is not None:
                return
        if port.status.work_state is WorkState.FAULT:
            raise NotConfirmed(
                f"acknowledge the fault: switch=false was set {self.attempts} times, "
                f"{self.window_s:g} s apart, and the chair still reports "
                f"{shown_value(self.model, 'fault', port.status)}"
            )
