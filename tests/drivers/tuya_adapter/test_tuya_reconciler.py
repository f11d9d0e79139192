"""The reconciler's choices, pure: from any reported state it reaches the targets, turning off
before turning on, and never sets anything on that the setpoint did not ask for.

The chair here is a few lines that keep a DP table by the wire brief's rules (sets refused
while off, manual and auto modes excluding each other, switch false closing everything); the
simulated chair is the session test's business.
"""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from chairctl.vocabulary import (
    TRACK_ORDER,
    AirbagZone,
    ChairFault,
    Heater,
    HeatLevel,
    Region,
    Setpoint,
    Technique,
    Unsupported,
)
from drivers.adapters.tuya import Reconciler, SetDp, TargetMapper, Targets
from drivers.models.tuya import CLOSE, CODE_KINDS, TuyaCode
from drivers.protocols.tuya.decoding import status_of
from drivers.protocols.tuya.points import DpValue
from tests.drivers.tuya_adapter.tuyareports import STANDBY, example

MODEL = example()
MAPPER = TargetMapper(MODEL)
_NEED_POWER = {"manual_mode", "auto_mode", "aircell_location", "heat", "foot_control"}
#: What switch false reports: every mode closed, heat and foot roller off, the posture home.
_SWITCHED_OFF: dict[TuyaCode, DpValue] = {
    "manual_mode": CLOSE,
    "auto_mode": CLOSE,
    "aircell_location": CLOSE,
    "heat": False,
    "foot_control": False,
    "gravity_control": "reset",
}


def chair_sets(table: dict[TuyaCode, DpValue], code: TuyaCode, value: DpValue) -> None:
    """What the MCU does with one record, by the wire brief."""
    if table["fault"]:
        if code == "switch" and value is False:
            table["fault"] = 0
            table["switch"] = False
        return
    if code == "switch":
        if value is False:
            table.update(_SWITCHED_OFF)
        table["switch"] = value
        return
    if code in _NEED_POWER and not table["switch"] and value not in (CLOSE, False):
        return
    table[code] = value
    if code in ("manual_mode", "auto_mode") and value != CLOSE:
        table["auto_mode" if code == "manual_mode" else "manual_mode"] = CLOSE


def turns_on(step: SetDp) -> bool:
    return step.code in _NEED_POWER and step.value not in (CLOSE, False)


def turns_off(step: SetDp) -> bool:
    return step.code in _NEED_POWER and step.value in (CLOSE, False)


def drive(targets: Targets, table: dict[TuyaCode, DpValue]) -> list[SetDp]:
    """Every set the reconciler makes on a chair that takes them, until it is done."""
    reconciler = Reconciler(MODEL, 1.0, 4)
    sets: list[SetDp] = []
    for _ in range(30):
        step = reconciler.next_step(targets, status_of(MODEL, table))
        if step is None:
            return sets
        sets.append(step)
        chair_sets(table, step.code, step.value)
        assert step.taken(status_of(MODEL, table)), f"{step.label} was taken but not seen"
        if step.done is not None:
            step.done()
    pytest.fail(f"no end in sight: {[s.label for s in sets]}")


def _value(code: TuyaCode) -> st.SearchStrategy[DpValue]:
    kind = CODE_KINDS[code]
    if kind == "bool":
        return st.booleans()
    if kind == "value":
        return st.integers(1, 60)
    if kind == "bitmap":
        return st.just(0)
    return st.sampled_from(MODEL.range_of(code))


def _consistent(table: dict[TuyaCode, DpValue]) -> dict[TuyaCode, DpValue]:
    """A table the chair could report: hold-to-move DPs are the remote's business, manual and
    auto modes exclude each other, and a chair switched off runs nothing."""
    table = {**table, "back_control": "stop", "bottom_control": "stop"}
    if table["manual_mode"] != CLOSE:
        table["auto_mode"] = CLOSE
    if not table["switch"]:
        table.update({code: v for code, v in _SWITCHED_OFF.items() if code != "gravity_control"})
    return table


_TABLES = st.fixed_dictionaries({code: _value(code) for code in MODEL.datapoints}).map(_consistent)
_SPANS = [
    TRACK_ORDER[i : i + n]
    for n in range(1, 5)
    for i in range(len(TRACK_ORDER) - n + 1)
    if Region.SACRUM_GLUTES not in TRACK_ORDER[i : i + n]
]
_SETPOINTS = st.builds(
    Setpoint,
    technique=st.sampled_from(sorted(MODEL.capabilities.techniques)),
    regions=st.sampled_from(_SPANS),
    intensity=st.integers(1, 2),
    speed=st.integers(1, 5),
    airbags=st.dictionaries(
        st.sampled_from(sorted(MODEL.capabilities.airbag_zones)), st.integers(1, 5)
    ),
    heat=st.sampled_from([{}, {Heater.LUMBAR: HeatLevel.MEDIUM}]),
    foot_rollers=st.integers(0, 1),
    posture=st.sampled_from(sorted(MODEL.gravity)),
).map(lambda s: s if s.technique is not Technique.NONE else s.model_copy(update={"regions": ()}))


@given(setpoint=_SETPOINTS, table=_TABLES)
def test_any_state_reaches_the_targets_off_before_on(
    setpoint: Setpoint, table: dict[TuyaCode, DpValue]
) -> None:
    try:
        targets = MAPPER.targets(setpoint)
    except Unsupported:
        assume(False)
        return
    sets = drive(targets, table)
    final = status_of(MODEL, table)

    rollers = targets.rollers
    if rollers is None:
        assert (final.technique_code, final.program_code) == (0, 0)
    elif rollers.manual:
        assert final.technique_code == MODEL.range_of("manual_mode").index(rollers.value) + 1
    else:
        assert final.program_code == MODEL.range_of("auto_mode").index(rollers.value) + 1
    assert final.airbag_program == targets.airbag_zones
    assert (final.heat, final.foot_roller) == (targets.heat, targets.foot)
    assert final.running or not targets.needs_power

    # Off and down first: nothing comes on before everything that goes off has gone.
    ons = [i for i, s in enumerate(sets) if turns_on(s)]
    offs = [i for i, s in enumerate(sets) if turns_off(s)]
    if ons and offs:
        assert max(offs) < min(ons)
    # Nothing comes on that was not asked for.
    wanted: dict[str, DpValue] = {"heat": True, "foot_control": True}
    if rollers is not None:
        wanted[rollers.code] = rollers.value
    if targets.airbags is not None:
        wanted["aircell_location"] = targets.airbags
    for step in sets:
        if turns_on(step):
            assert wanted.get(step.code) == step.value


def test_the_same_targets_again_need_nothing() -> None:
    targets = MAPPER.targets(
        Setpoint(
            technique=Technique.KNEAD,
            regions=(Region.LOWER_BACK,),
            airbags={AirbagZone.ARMS: 2},
        )
    )
    table = dict(STANDBY)
    first = drive(targets, table)
    assert [s.code for s in first][:1] == ["switch"]
    reconciler = Reconciler(MODEL, 1.0, 4)
    assert reconciler.next_step(targets, status_of(MODEL, table)) is None


def test_a_fault_stops_the_reconciler() -> None:
    targets = MAPPER.targets(Setpoint(heat={Heater.LUMBAR: HeatLevel.MEDIUM}))
    faulted = status_of(MODEL, {**STANDBY, "switch": True, "fault": 2})
    with pytest.raises(ChairFault, match="fault bitmap 2") as caught:
        Reconciler(MODEL, 1.0, 4).next_step(targets, faulted)
    assert caught.value.error_code == 2


def test_the_timer_is_set_once_after_power_on() -> None:
    reconciler = Reconciler(MODEL, 1.0, 4)
    reconciler.timer_minutes = 25
    targets = MAPPER.targets(Setpoint(heat={Heater.LUMBAR: HeatLevel.MEDIUM}))
    on = status_of(MODEL, {**STANDBY, "switch": True})
    step = reconciler.next_step(targets, on)
    assert step is not None
    assert (step.code, step.value) == ("time_set", 25)
    assert step.done is not None
    step.done()
    step = reconciler.next_step(targets, on)
    assert step is not None
    assert step.code == "heat"
    # Off and on again: the chair forgot it, so it is set again.
    reconciler.next_step(targets, status_of(MODEL, STANDBY))
    step = reconciler.next_step(targets, on)
    assert step is not None
    assert step.code == "time_set"
