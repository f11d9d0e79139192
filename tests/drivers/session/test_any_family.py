"""What every chair session must do, whatever the chair's protocol family.

Each test runs for the Rongtai H10, Tuya MCU and NCNI families over every link their chairs
can be reached on, judged by the simulated chair's ground truth: a setpoint is borne out by
what the chair physically does; stop is a safe release; a lost link is made safe and nothing
resumes until the user says so; a fault latches; a lost status never makes a toggle go twice.
The family-specific ways (Rongtai's hold-to-move keys, its states) have their own modules.
"""

from __future__ import annotations

import pytest

from chairctl.vocabulary import (
    AirbagZone,
    ChairFault,
    Heater,
    HeatLevel,
    Interrupted,
    Region,
    Setpoint,
    Technique,
)
from drivers.models import ChairModel
from simulator.faults import DropFrames, Overload
from tests.drivers.session.sessionhelpers import (
    Rig,
    RigMaker,
    assert_released,
    drop_link,
    occupancy_share,
    peak_pressures,
)

#: Gentle kneading of the lower back: every family can do it, exactly or nearly.
WORK = Setpoint(technique=Technique.KNEAD, regions=(Region.LOWER_BACK,), intensity=2)

#: An airbag zone each family's chair inflates on its own (no partner zone inflates with it),
#: or with as few partners as it has: every air mode of the Korean chair works two zones or
#: more, and its calves inflate with its feet.
LONE_ZONE = {
    "rongtai-h10": AirbagZone.WAIST,
    "tuya-mcu": AirbagZone.ARMS,
    "ncni": AirbagZone.CALVES,
    "korean-ascii": AirbagZone.CALVES,
}


def everything(model: ChairModel) -> Setpoint:
    """WORK with an airbag zone and the lumbar heat too: every kind of output at once (the
    airbags at level 3, which the NCNI chair's one pressure is not above)."""
    return WORK.model_copy(
        update={
            "airbags": {LONE_ZONE[model.family]: 3},
            "heat": {Heater.LUMBAR: HeatLevel.MEDIUM},
        }
    )


async def test_a_setpoint_is_borne_out_by_what_the_chair_does(rig: Rig, model: ChairModel) -> None:
    session, chair, clock, _keys = rig
    setpoint = everything(model)

    await clock.run(session.apply(setpoint))
    applied = clock.now()
    await clock.advance(30)

    state = chair.state()
    assert state.roller_technique is not None, "the rollers do not work"
    assert state.heat_on
    # The rollers reach the lower back, where the chair can place them or by its own mode.
    assert occupancy_share(chair, [Region.LOWER_BACK], applied, clock.now()) > 0.1
    # The asked zone was pressed, and nothing that was not asked for but the zones the
    # chair can only inflate with it.
    peaks = peak_pressures(chair, applied, clock.now())
    asked = LONE_ZONE[model.family]
    assert peaks[asked] > 0
    partners = model.capabilities.inflated_with(asked)
    assert all(p == 0.0 for zone, p in peaks.items() if zone not in partners)


def test_what_a_chair_can_only_approximate_is_said_before_anything_is_sent(
    rig: Rig, model: ChairModel
) -> None:
    notes = rig.session.approximations(WORK)
    if model.family == "rongtai-h10":
        assert notes == []
    else:
        # Neither chair can be told where its rollers go or which technique to use.
        assert notes, "an approximation went unsaid"
    assert rig.keys.entries == []


async def test_the_same_setpoint_again_sends_nothing(rig: Rig) -> None:
    session, _chair, clock, keys = rig
    await clock.run(session.apply(WORK))
    await clock.advance(5)
    again = clock.now()

    await clock.run(session.apply(WORK))
    await clock.advance(5)

    assert keys.since(again) == []


async def test_stop_releases_the_chair_whatever_it_was_doing(rig: Rig, model: ChairModel) -> None:
    session, chair, clock, _keys = rig
    await clock.run(session.apply(everything(model)))
    await clock.advance(20)

    await clock.run(session.stop())

    report = session.last_stop
    assert report is not None
    assert report.safe
    status = session.status
    assert status is not None
    assert session.adapter.is_safe(status)
    # Some chairs say "off" at once and then return home: judge once the return is done.
    await clock.advance(model.timing.settle_cap_s)
    assert_released(chair)


async def test_stop_with_the_chair_standing_by_is_safe(rig: Rig) -> None:
    session, chair, clock, _keys = rig

    await clock.run(session.stop())

    assert session.last_stop is not None
    assert session.last_stop.safe
    assert_released(chair)


async def test_after_a_lost_link_the_chair_is_made_safe_and_nothing_resumes(
    rig: Rig, model: ChairModel
) -> None:
    session, chair, clock, keys = rig
    await clock.run(session.apply(everything(model)))
    await clock.advance(10)

    await drop_link(rig)
    interruption = await clock.run(session.wait_recovery())
    assert interruption is not None
    assert interruption.safe
    safe_at = clock.now()
    await clock.advance(model.timing.settle_cap_s)

    assert_released(chair)
    assert keys.since(safe_at) == []
    with pytest.raises(Interrupted, match="acknowledge_interruption"):
        await clock.run(session.apply(WORK))
    assert keys.since(safe_at) == []

    session.acknowledge_interruption()
    await clock.run(session.apply(WORK))
    await clock.advance(30)
    assert chair.state().roller_technique is not None


@pytest.mark.families("rongtai-h10", "tuya-mcu")  # NCNI chairs report no faults: next test
async def test_a_chair_fault_latches_until_the_user_clears_it(rig: Rig) -> None:
    session, chair, clock, keys = rig
    await clock.run(session.apply(WORK))
    await clock.advance(5)

    chair.inject(Overload())
    await clock.advance(1)

    assert session.fault is not None
    assert chair.state().roller_technique is None
    faulted_at = clock.now()
    with pytest.raises(ChairFault, match="latched"):
        await clock.run(session.apply(WORK))
    await clock.advance(30)
    assert keys.since(faulted_at) == []
    assert chair.state().roller_technique is None

    await clock.run(session.clear_fault())
    await clock.run(session.apply(WORK))
    await clock.advance(30)
    assert chair.state().roller_technique is not None


# The NCNI and Korean chairs' only sign of a fault is switching themselves off.
@pytest.mark.families("ncni", "korean-ascii")
async def test_a_chair_that_switches_itself_off_latches_a_fault(rig: Rig) -> None:
    session, chair, clock, keys = rig
    await clock.run(session.apply(WORK))
    await clock.advance(5)

    chair.inject(Overload())
    await clock.advance(2)

    assert session.fault is not None
    faulted_at = clock.now()
    with pytest.raises(ChairFault):
        await clock.run(session.apply(WORK))
    await clock.advance(30)
    assert keys.since(faulted_at) == [], "the chair was switched on again by itself"
    assert chair.state().roller_technique is None

    await clock.run(session.clear_fault())
    await clock.run(session.apply(WORK))
    await clock.advance(30)
    assert chair.state().roller_technique is not None


@pytest.mark.families("rongtai-h10", "ncni")  # toggle keys; Tuya sets states (next test)
async def test_lost_status_frames_after_a_toggle_cause_no_second_press(
    rig: Rig, model: ChairModel
) -> None:
    session, chair, clock, keys = rig
    await clock.run(session.apply(WORK))
    await clock.advance(5)
    before = len(keys.entries)
    # Two seconds of statuses go missing from the moment the chair takes the next key.
    keys.on_next(lambda: chair.inject(DropFrames(round(2.0 / chair.period))))

    await clock.run(session.apply(everything(model)))
    await clock.advance(5)

    sent = [e.key for e in keys.entries[before:]]
    assert len(sent) == len(set(sent)), f"a key went twice: {sent}"
    assert chair.state().heat_on


@pytest.mark.families("tuya-mcu")  # a set is a state: resending it cannot undo it
async def test_a_set_whose_report_is_lost_is_sent_again_and_confirmed(rig: Rig) -> None:
    session, chair, clock, keys = rig
    await clock.run(session.apply(WORK))
    await clock.advance(5)
    before = len(keys.entries)
    # The MCU's answers to the next set, and the polls after it, are lost for a while.
    keys.on_next(lambda: chair.inject(DropFrames(3)))

    await clock.run(
        session.apply(WORK.model_copy(update={"heat": {Heater.LUMBAR: HeatLevel.MEDIUM}}))
    )

    assert chair.state().heat_on
    assert session.status is not None
    assert session.status.heat
    assert len(keys.entries) > before


async def test_a_stopped_chair_stays_still_for_as_long_as_nobody_asks(
    rig: Rig, model: ChairModel
) -> None:
    session, chair, clock, keys = rig
    await clock.run(session.apply(everything(model)))
    await clock.run(session.stop())
    stopped_at = clock.now()

    await clock.advance(600)

    assert keys.since(stopped_at) == []
    assert all(a is None for _, _, a in chair.trace.activity.spans(stopped_at, clock.now()))
    assert_released(chair)


async def test_every_rig_of_every_family_connects_with_a_status(make_rig: RigMaker) -> None:
    rig = await make_rig()
    assert rig.session.status is not None
    assert rig.session.adapter.is_safe(rig.session.status)


async def test_the_status_says_where_the_rollers_work_as_far_as_the_chair_can(
    rig: Rig, model: ChairModel
) -> None:
    session, _chair, clock, _keys = rig
    await clock.run(session.apply(WORK))
    await clock.advance(30)
    status = session.status
    assert status is not None

    worked = session.adapter.regions_worked(status)

    if model.family == "rongtai-h10":
        # The region under the rollers, from the position the chair reports.
        assert len(worked) == 1
    else:
        # The band of the mode the chair runs by itself, which holds the asked region.
        assert Region.LOWER_BACK in worked
    await clock.run(session.stop())
    assert session.status is not None
    assert session.adapter.regions_worked(session.status) == frozenset()
