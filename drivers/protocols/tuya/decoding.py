"""The Tuya MCU's reports as ChairStatus values: the product's DP table, kept up to date.

The MCU reports data points, not a status frame: a DP query is answered with every DP (in one
frame, or one frame per DP as real MCUs do), a deliver with the DPs it named, a change of its
own with the DPs that changed. So the decoder keeps the product's DP table, folds each report
into it, and for every piece of bytes that completes one or more reports (once it has seen the
``switch`` DP, without which nothing can be said) gives the status the whole table then shows:
the reports of one burst (an MCU answering a query one DP a frame) are one status. It also
notes the wire type every DP came with (:class:`~drivers.protocols.tuya.wiretypes.WireTypes`),
which the adapter holds against the model file. Heartbeat replies and other frames give
nothing. :func:`status_of` is the pure mapping of a table onto
:class:`~chairctl.vocabulary.ChairStatus`; what each field means is said there.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from chairctl.vocabulary import (
    ActuatorMotion,
    AirbagZone,
    ChairStatus,
    Posture,
    ProtocolError,
    WorkState,
)
from drivers.models.tuya import CLOSE, TuyaCode, TuyaModel
from drivers.protocols.tuya import Command, FrameDecoder, decode_dps
from drivers.protocols.tuya.points import DpMap, DpValue
from drivers.protocols.tuya.wiretypes import WireTypes

#: A product's data points as last reported, by code.
DpTable = Mapping[TuyaCode, DpValue]

#: back_control / bottom_control values: the actuator moves while the value is up or down.
_MOTIONS: Final = {"up": ActuatorMotion.UP, "down": ActuatorMotion.DOWN}
#: The highest levels ChairStatus holds (its fields' bounds).
_MAX_SPEED: Final = 6
_MAX_AIRBAG_LEVEL: Final = 5
_ZERO_G: Final = (Posture.ZERO_G_1, Posture.ZERO_G_2)


def zero_g_values(model: TuyaModel) -> frozenset[str]:
    """The gravity_control values that take the chair into a zero-gravity posture."""
    return frozenset(value for posture, value in model.gravity.items() if posture in _ZERO_G)


def _level(model: TuyaModel, code: TuyaCode, value: DpValue | None, top: int) -> int:
    """An enum's place in the product's range from 1; 0 when unknown or beyond ``top``."""
    if not isinstance(value, str):
        return 0
    level = model.range_of(code).index(value) + 1
    return level if level <= top else 0


def _mode_code(model: TuyaModel, code: TuyaCode, value: DpValue | None) -> int:
    """A mode DP as a number: its place in the range from 1, 0 for close (or not reported)."""
    if not isinstance(value, str) or value == CLOSE:
        return 0
    return model.range_of(code).index(value) + 1


def _is_open(value: DpValue | None) -> bool:
    """An enum mode DP that is reported and not close."""
    return isinstance(value, str) and value != CLOSE


def airbag_zones(model: TuyaModel, location: DpValue | None) -> frozenset[AirbagZone]:
    """The zones an aircell_location value works.

    A value the model file does not describe (the standard's ``all``, say) may inflate any
    zone the chair has, so it is reported as all of them: nothing mistakes it for closed.
    """
    if not isinstance(location, str) or location == CLOSE:
        return frozenset()
    zones = model.airbag_locations.get(location)
    if zones is not None:
        return frozenset(zones)
    return frozenset(z for group in model.airbag_locations.values() for z in group) or frozenset(
        AirbagZone
    )


def work_state(table: DpTable) -> WorkState:
    """Fault, standby, running or waiting, as the wire brief reads them from the DPs."""
    fault = table.get("fault")
    if isinstance(fault, int) and not isinstance(fault, bool) and fault != 0:
        return WorkState.FAULT
    if table.get("switch") is not True:
        return WorkState.STANDBY
    if (
        _is_open(table.get("manual_mode"))
        or _is_open(table.get("auto_mode"))
        or _is_open(table.get("aircell_location"))
        or table.get("foot_control") is True
    ):
        return WorkState.RUNNING
    return WorkState.WAITING


def _working(model: TuyaModel, code: TuyaCode, value: DpValue | None, on: bool) -> DpValue | None:
    """A mode DP's value as far as it works: a mode that runs whenever the product is on
    (``always_on``) works nothing while it is off, whatever value it holds."""
    return value if on or not model.always_on(code) else None


def status_of(model: TuyaModel, table: DpTable) -> ChairStatus:
    """The status a product's DP table shows.

    - ``running`` is ``switch`` on (whatever value means on for the product);
      ``work_state`` per :func:`work_state`;
    - ``technique`` is the technique whose manual_mode value runs (None for close, or a value
      no technique maps); ``technique_code`` the manual_mode's place in the range from 1 (0
      for close, and for a mode that runs while the product is on, 0 while it is off);
      ``program`` and ``program_code`` the same of auto_mode;
    - ``intensity`` is the strength's place in the model's strength levels from 1 (0 for a
      value not among them, or a product with no strength DP);
    - ``speed`` is massage_speed's place from 1, ``width`` ball_location's width;
    - ``airbag_program`` the zones of aircell_location (:func:`airbag_zones`),
      ``airbag_level`` aircell_speed's place from 1 (the setting, also while closed);
    - ``heat``; ``foot_roller`` (at its one speed, 1); ``zero_g`` when gravity_control holds
      a zero-gravity value; ``backrest`` / ``leg_rest`` move while back_control /
      bottom_control say up or down;
    - ``preset_minutes`` is time_set; ``error_code`` the fault bitmap when not 0.
    """
    running = table.get("switch") is True
    manual = _working(model, "manual_mode", table.get("manual_mode"), running)
    auto = _working(model, "auto_mode", table.get("auto_mode"), running)
    techniques = {mode.value: technique for technique, mode in model.techniques.items()}
    widths = {value: width for width, value in model.widths.items()}
    fault = table.get("fault")
    time_set = table.get("time_set")
    foot = table.get("foot_control") is True
    ball = table.get("ball_location")
    strength = table.get("strength")
    return ChairStatus(
        running=running,
        work_state=work_state(table),
        technique=techniques.get(manual) if isinstance(manual, str) else None,
        technique_code=_mode_code(model, "manual_mode", manual),
        program=auto if _is_open(auto) and isinstance(auto, str) else None,
        program_code=_mode_code(model, "auto_mode", auto),
        intensity=model.intensity_of(strength) if strength is not None else 0,
        speed=_level(model, "massage_speed", table.get("massage_speed"), _MAX_SPEED),
        width=widths.get(ball) if isinstance(ball, str) else None,
        airbag_program=airbag_zones(model, table.get("aircell_location")),
        airbag_level=_level(model, "aircell_speed", table.get("aircell_speed"), _MAX_AIRBAG_LEVEL),
        heat=table.get("heat") is True,
        foot_roller=foot,
        foot_roller_speed=1 if foot else 0,
        zero_g=table.get("gravity_control") in zero_g_values(model),
        backrest=_MOTIONS.get(str(table.get("back_control")), ActuatorMotion.STOPPED),
        leg_rest=_MOTIONS.get(str(table.get("bottom_control")), ActuatorMotion.STOPPED),
        preset_minutes=time_set if isinstance(time_set, int) and time_set >= 0 else None,
        error_code=fault if isinstance(fault, int) and fault else None,
    )


def shown_value(model: TuyaModel, code: TuyaCode, status: ChairStatus) -> str:
    """What ``status`` shows of ``code``, as ``code=value`` for people (``NotConfirmed``)."""

    def named(range_code: TuyaCode, place: int) -> str:
        values = model.range_of(range_code)
        return values[place - 1] if 0 < place <= len(values) else CLOSE

    shown: dict[str, object] = {
        "switch": status.running,
        "manual_mode": named("manual_mode", status.technique_code),
        "auto_mode": named("auto_mode", status.program_code),
        "aircell_location": "+".join(sorted(status.airbag_program)) or CLOSE,
        "aircell_speed": named("aircell_speed", status.airbag_level),
        "massage_speed": named("massage_speed", status.speed),
        "ball_location": model.widths.get(status.width) if status.width else None,
        "heat": status.heat,
        "foot_control": status.foot_roller,
        "gravity_control": "zero gravity" if status.zero_g else "not zero gravity",
        "time_set": status.preset_minutes,
        "fault": status.error_code or 0,
        "strength": _strength_name(model, status.intensity),
        "back_control": status.backrest,
        "bottom_control": status.leg_rest,
    }
    value = shown.get(code)
    text = str(value).lower() if isinstance(value, bool) or value is None else str(value)
    return f"{code}={text}"


def _strength_name(model: TuyaModel, intensity: int) -> object:
    levels = model.strength_levels
    return levels[intensity - 1] if 0 < intensity <= len(levels) else "not a strength level"


class TuyaDecoder:
    """Bytes from the MCU in, a status after every DP report out; never raises."""

    def __init__(self, model: TuyaModel, types: WireTypes | None = None) -> None:
        self.model = model
        #: The wire type each DP came with (shared with the adapter that made the decoder).
        self.types = WireTypes() if types is None else types
        self._points = DpMap(model)
        self._switch_id = self._points.dp_id("switch")
        self._switch_seen = False
        self._frames = FrameDecoder()
        self._table: dict[TuyaCode, DpValue] = {}
        #: The status the table showed last; a report that changes nothing shows it again
        #: (an MCU polled every half second mostly repeats itself).
        self._shown: ChairStatus | None = None
        #: Reports that did not decode (a record cut short, an unknown type): dropped whole.
        self.bad_reports = 0
        #: Records that do not fit the product's map, dropped one by one.
        self.foreign_records = 0

    @property
    def table(self) -> DpTable:
        """The DPs as last reported (a copy)."""
        return dict(self._table)

    def feed(self, data: bytes) -> list[ChairStatus]:
        """The status ``data`` completes: one, when it completes a DP report (the table after
        every report it completes), else none."""
        reported = False
        for frame in self._frames.feed(data):
            if frame.command != Command.DP_REPORT:
                continue
            try:
                points = decode_dps(frame.data)
            except ProtocolError:
                self.bad_reports += 1
                continue
            for point in points:
                self.types.learn(point)
                # Seen in any type: a switch of the wrong type still gives a status, so that
                # the mismatch is told rather than the chair taken for silent.
                self._switch_seen = self._switch_seen or point.dp_id == self._switch_id
                decoded = self._points.decode(point)
                if decoded is None:
                    self.foreign_records += 1
                    continue
                code, value = decoded
                if code not in self._table or self._table[code] != value:
                    self._table[code] = value
                    self._shown = None
            reported = True
        if not reported or not self._switch_seen:
            return []
        if self._shown is None:
            self._shown = status_of(self.model, self._table)
        return [self._shown]

    def reset(self) -> None:
        """Forget the table, the types and any partly received frame (after a reconnect)."""
        self._frames.reset()
        self._table.clear()
        self.types.clear()
        self._switch_seen = False
        self._shown = None
