"""Each kind of Setpoint change, confirmed by the status and borne out by the ground truth."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from chairctl.vocabulary import (
    MAX_INTENSITY,
    AirbagZone,
    ChairStatus,
    Heater,
    HeatLevel,
    MassageRange,
    Posture,
    Region,
    Setpoint,
    Technique,
    Width,
    WorkState,
    scale_level,
)
from chairctl.vocabulary.limits import NECK_MAX_INTENSITY
from drivers.models import ChairModel
from drivers.models.rongtai import RongtaiModel
from simulator import SimulatedChair, Sitter
from simulator.rongtai.chair import RongtaiChair
from tests.drivers.session.sessionhelpers import (
    KNEAD_LOWER_BACK,
    Rig,
    RigMaker,
    assert_released,
    hold_pairs,
    max_depth,
    occupancy_share,
    peak_pressures,
)

# Rongtai only: each change's status and keys are the H10's; test_any_family judges every family.
pytestmark = pytest.mark.families("rongtai-h10")

#: What the chair starts each case from: kneading the lower back, nothing else.
BASE = KNEAD_LOWER_BACK


@dataclass(frozen=True)
class Change:
    """One change to BASE, what the status must then say, and what the chair must do."""

    name: str
    update: dict[str, Any]
    status: Callable[[ChairStatus], bool]
    truth: Callable[[SimulatedChair], bool]
    #: Seconds to let pass before judging the ground truth (things that take time to move).
    settle_s: float = 0.0


def _pressed(chair: SimulatedChair, zones: set[AirbagZone], level: float) -> bool:
    """In the last 30 s exactly ``zones`` were pressed, and to ``level``."""
    peaks = peak_pressures(chair, chair.clock.now() - 30, chair.clock.now())
    return all((peaks[z] == level) if z in zones else (peaks[z] == 0.0) for z in AirbagZone)


CHANGES = [
    Change(
        "technique",
        {"technique": Technique.TAP},
        lambda s: s.technique is Technique.TAP,
        lambda c: c.state().roller_technique is Technique.TAP,
    ),
    Change(
        "width",
        {"width": Width.WIDE},
        lambda s: s.width is Width.WIDE,
        lambda c: c.state().roller_width is Width.WIDE,
    ),
    Change(
        "speed",
        {"speed": 5},
        lambda s: s.speed == 6,
        lambda c: c.state().roller_speed == 6,
    ),
    Change(
        "speed in the middle maps toward slower",
        {"speed": 4},
        lambda s: s.speed == 5,
        lambda c: c.state().roller_speed == 5,
    ),
    Change(
        "intensity up",
        {"intensity": 4},
        lambda s: s.intensity == 4,
        lambda c: c.state().depth == 4.0,
        settle_s=3.0,
    ),
    Change(
        "intensity down",
        {"intensity": 1},
        lambda s: s.intensity == 1 and s.technique is Technique.KNEAD,
        lambda c: c.state().depth == 1.0 and c.state().roller_technique is Technique.KNEAD,
        settle_s=3.0,
    ),
    Change(
        "airbags",
        # One pressure for every zone: the lowest asked, so no zone presses harder than asked.
        {"airbags": {AirbagZone.SHOULDERS: 3, AirbagZone.CALVES: 1}},
        lambda s: (
            s.airbag_level == 1
            and s.airbag_program
            == {AirbagZone.SHOULDERS, AirbagZone.ARMS, AirbagZone.CALVES, AirbagZone.FEET}
        ),
        lambda c: _pressed(
            c, {AirbagZone.SHOULDERS, AirbagZone.ARMS, AirbagZone.CALVES, AirbagZone.FEET}, 1.0
        ),
        settle_s=30.0,
    ),
    Change(
        "heat",
        {"heat": {Heater.LUMBAR: HeatLevel.MEDIUM}},
        lambda s: s.heat,
        lambda c: c.state().heat_on and c.state().heater_c > 30.0,
        settle_s=60.0,
    ),
    Change(
        "foot rollers",
        {"foot_rollers": 2},
        lambda s: s.foot_roller and s.foot_roller_speed == 2,
        lambda c: c.state().foot_roller == 2,
    ),
    Change(
        "range: four regions take the full range",
        {"regions": (Region.UPPER_BACK, Region.MID_BACK, Region.LOWER_BACK, Region.SACRUM_GLUTES)},
        lambda s: s.massage_range is MassageRange.FULL,
        lambda c: (
            occupancy_share(c, [Region.UPPER_BACK], c.clock.now() - 30, c.clock.now()) > 0.1
            and occupancy_share(c, [Region.LOWER_BACK], c.clock.now() - 30, c.clock.now()) > 0.1
        ),
        settle_s=30.0,
    ),
    Change(
        "range: shiatsu on one region is a point",
        {"technique": Technique.SHIATSU},
        lambda s: s.massage_range is MassageRange.POINT and s.technique is Technique.SHIATSU,
        lambda c: c.state().roller_technique is Technique.SHIATSU,
    ),
    Change(
        "posture: zero gravity",
        {"posture": Posture.ZERO_G_1},
        lambda s: s.zero_g and not s.actuators_moving,
        lambda c: c.state().backrest == 0.5 and c.state().leg_rest == 0.7,
    ),
]


@pytest.mark.parametrize("change", CHANGES, ids=lambda c: c.name)
async def test_a_change_is_confirmed_and_done(rig: Rig, change: Change) -> None:
    session, chair, clock, _keys = rig
    await clock.run(session.apply(BASE))

    await clock.run(session.apply(BASE.model_copy(update=change.update)))

    status = session.status
    assert status is not None
    assert change.status(status), status
    await clock.advance(change.settle_s)
    assert change.truth(chair)


async def test_each_toggle_is_pressed_once(rig: Rig, model: ChairModel) -> None:
    assert isinstance(model, RongtaiModel)
    session, _chair, clock, keys = rig
    await clock.run(session.apply(BASE))
    since = clock.now()
    keys_ = model.keys

    await clock.run(
        session.apply(
            BASE.model_copy(
                update={
                    "heat": {Heater.LUMBAR: HeatLevel.MEDIUM},
                    "airbags": {AirbagZone.WAIST: 2},
                    "intensity": 3,
                }
            )
        )
    )

    assert keys.count(keys_.heat_toggle or -1, since) == 1
    assert keys.count(keys_.airbag_groups[2].key, since) == 1
    assert keys.count(keys_.intensity_cycle or -1, since) == 1


async def test_lowering_the_intensity_never_presses_harder_on_the_way(
    rig: Rig, model: ChairModel
) -> None:
    assert isinstance(model, RongtaiModel)
    session, chair, clock, keys = rig
    await clock.run(session.apply(BASE.model_copy(update={"intensity": 3})))
    since = clock.now()

    await clock.run(session.apply(BASE.model_copy(update={"intensity": 2})))
    # The status confirms the strength at once; the 3D axis takes its travel time to get there.
    await clock.advance(model.mechanics.depth_travel_s)

    # The cycling key would pass 4 and 5 with the rollers working; the chair is restarted
    # instead (the rollers retract and go home), and the depth set while they rest.
    assert max_depth(chair, since, clock.now()) <= 3.0
    assert keys.count(model.keys.power, since) == 2
    assert session.status is not None
    assert session.status.intensity == 2
    assert chair.state().depth == 2.0


async def test_rollers_off_with_airbags_on_restarts_without_rollers(
    rig: Rig, model: ChairModel
) -> None:
    session, chair, clock, _keys = rig
    await clock.run(session.apply(BASE))
    airbags_only = BASE.model_copy(
        update={"technique": Technique.NONE, "regions": (), "airbags": {AirbagZone.SEAT: 2}}
    )
    assert any("no rollers" in note for note in session.approximations(airbags_only))

    await clock.run(session.apply(airbags_only))

    status = session.status
    assert status is not None
    assert status.work_state is WorkState.RUNNING
    assert status.technique_code == 0
    assert AirbagZone.SEAT in status.airbag_program
    assert chair.state().roller_technique is None
    since = clock.now()
    await clock.advance(20)
    assert all(a is None for _, _, a in chair.trace.activity.spans(since, clock.now()))
    peaks = peak_pressures(chair, since, clock.now())
    assert peaks[AirbagZone.SEAT] == 2.0


async def test_nothing_asked_with_the_rollers_working_switches_the_chair_off(rig: Rig) -> None:
    session, chair, clock, _keys = rig
    await clock.run(session.apply(BASE))

    await clock.run(session.apply(BASE.model_copy(update={"technique": Technique.NONE})))

    assert session.status is not None
    assert session.status.work_state is WorkState.STANDBY
    assert_released(chair)


async def test_upright_leaves_zero_gravity_we_entered(rig: Rig) -> None:
    session, chair, clock, _keys = rig
    await clock.run(session.apply(BASE.model_copy(update={"posture": Posture.ZERO_G_1})))

    await clock.run(session.apply(BASE))

    assert session.status is not None
    assert not session.status.zero_g
    assert chair.state().backrest == 0.0
    assert chair.state().leg_rest == 0.0


async def test_upright_does_not_move_a_posture_set_on_the_remote(
    rig: Rig, model: ChairModel
) -> None:
    assert isinstance(model, RongtaiModel)
    session, chair, clock, keys = rig
    assert isinstance(chair, RongtaiChair)
    await clock.run(session.apply(BASE))
    await clock.advance(1)  # a key right after ours would be lost in the chair's key gap
    chair.press(model.keys.zero_gravity or -1)
    await clock.advance(15)
    assert session.status is not None
    assert session.status.zero_g

    await clock.run(session.apply(BASE.model_copy(update={"width": Width.WIDE})))

    assert keys.count(model.keys.zero_gravity or -1) == 1  # the remote's press, not ours
    assert chair.state().backrest == 0.5


async def test_a_technique_the_neck_allows_changes_before_the_rollers_are_placed(
    rig: Rig, model: ChairModel
) -> None:
    # Kneading the lower back, then shiatsu on one region (the point range, re-centred): the
    # technique is what the person feels, so its key goes first; no faster way exists.
    assert isinstance(model, RongtaiModel)
    session, chair, clock, keys = rig
    await clock.run(session.apply(BASE))
    since = clock.now()

    await clock.run(session.apply(BASE.model_copy(update={"technique": Technique.SHIATSU})))

    # (The first apply's last walk STOP may land at the very moment it returned.)
    stops = set(hold_pairs(model).values())
    pressed = [e.key for e in keys.since(since) if e.key not in stops]
    assert pressed[0] == model.keys.techniques[Technique.SHIATSU].key
    assert chair.state().roller_technique is Technique.SHIATSU


async def test_percussion_still_waits_for_the_rollers_to_be_placed(
    rig: Rig, model: ChairModel
) -> None:
    # Tapping must not start before the band is placed clear of the neck.
    assert isinstance(model, RongtaiModel)
    session, _chair, clock, keys = rig
    shoulders = BASE.model_copy(update={"regions": (Region.SHOULDERS,)})
    await clock.run(session.apply(shoulders))
    since = clock.now()

    await clock.run(session.apply(shoulders.model_copy(update={"technique": Technique.TAP})))

    stops = set(hold_pairs(model).values())
    received = [e.key for e in keys.since(since) if e.key not in stops]
    tap = model.keys.techniques[Technique.TAP].key
    assert tap in received
    assert received[0] != tap


async def test_deep_work_goes_to_the_neck_only_once_its_depth_has_come_down(
    make_rig: RigMaker, model: ChairModel
) -> None:
    # Shiatsu below the neck at the deepest level, then on the neck: the cycling key wraps the
    # depth to its gentlest and the status shows that at once, but the 3D axis takes its
    # travel time to get there. Walked up at once, the rollers would reach a short sitter's
    # neck still pressing deeper than the neck allows.
    low, _high = model.shoulder_window
    session, chair, clock, _keys = await make_rig(sitter=Sitter(shoulder_position=low))
    spot = Setpoint(technique=Technique.SHIATSU, regions=(Region.UPPER_BACK,), intensity=5)
    await clock.run(session.apply(spot))
    await clock.advance(10)
    since = clock.now()

    neck = spot.model_copy(update={"regions": (Region.NECK,), "intensity": NECK_MAX_INTENSITY})
    await clock.run(session.apply(neck))
    await clock.advance(10)

    at_neck = [
        state.depth
        for state in chair.trace.samples(0.05, since, clock.now())
        if state.region is Region.NECK and state.roller_technique is not None
    ]
    assert at_neck  # the rollers did reach the neck
    deepest = scale_level(NECK_MAX_INTENSITY, MAX_INTENSITY, model.intensity_levels)
    assert max(at_neck) <= deepest
