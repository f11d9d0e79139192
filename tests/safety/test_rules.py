"""The hard rules and the person's limits: each breaks on what it should, and enforcing them
leaves nothing broken."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from chairctl.safety import AS_WRITTEN, Contacts, Moment, Personalisation, enforce, violations
from chairctl.safety.ramp import airbag_cap, next_rise, roller_cap
from chairctl.vocabulary import (
    FULL_FEATURED,
    SAFE_SETPOINT,
    AirbagZone,
    Heater,
    HeatLevel,
    Posture,
    Region,
    Setpoint,
    Technique,
)
from chairctl.vocabulary.limits import HEAT_MAX_S, RAMP_STEP_S, START_RAMP_S

#: Well into the rollers' and the airbags' contact: the ramp is over.
SETTLED = Moment(600, rollers_contact_s=600, airbags_contact_s=600)


def test_neck_percussion_and_intensity() -> None:
    setpoint = Setpoint(technique=Technique.TAP, regions=(Region.NECK,), intensity=4)
    assert {c.rule for c in violations(setpoint, SETTLED)} == {
        "no-percussion-at-neck",
        "neck-intensity",
    }
    safe, corrections = enforce(setpoint, SETTLED)
    assert safe.technique is Technique.KNEAD
    assert safe.intensity == 2
    assert len(corrections) == 2


def test_the_gentle_start_is_counted_from_contact_not_from_the_session() -> None:
    strong = Setpoint(technique=Technique.KNEAD, regions=(Region.MID_BACK,), intensity=5)
    # Ten minutes into a session whose first minutes rested the rollers: they start gently.
    assert [c.rule for c in violations(strong, Moment(600, rollers_contact_s=None))] == [
        "start-ramp"
    ]
    assert [c.rule for c in violations(strong, Moment(600, rollers_contact_s=59.9))] == [
        "start-ramp"
    ]
    # Then one level at a time.
    assert enforce(strong, Moment(600, rollers_contact_s=60))[0].intensity == 3
    assert enforce(strong, Moment(600, rollers_contact_s=60 + RAMP_STEP_S))[0].intensity == 4
    assert violations(strong, Moment(600, rollers_contact_s=60 + 2 * RAMP_STEP_S)) == []


def test_the_airbags_start_gently_on_their_own_contact() -> None:
    squeeze = Setpoint(airbags={AirbagZone.CALVES: 5, AirbagZone.ARMS: 2})
    early = Moment(600, rollers_contact_s=600, airbags_contact_s=10)
    assert [c.rule for c in violations(squeeze, early)] == ["start-ramp-airbags"]
    safe, _ = enforce(squeeze, early)
    assert safe.airbags == {AirbagZone.ARMS: 1, AirbagZone.CALVES: 1}


def test_the_ramp_rises_a_level_per_step_after_the_first_minute() -> None:
    assert [roller_cap(t) for t in (None, 0, 59, 60, 69, 70, 80, 1000)] == [2, 2, 2, 3, 3, 4, 5, 5]
    assert [airbag_cap(t) for t in (None, 59, 60, 70, 80, 90)] == [1, 1, 2, 3, 4, 5]
    assert next_rise(None, 2) == START_RAMP_S
    assert next_rise(65, 2) == START_RAMP_S + RAMP_STEP_S
    assert next_rise(200, 2) is None


def test_a_chair_that_restarts_to_lower_its_intensity_starts_a_new_contact() -> None:
    restarting = FULL_FEATURED.model_copy(
        update={"intensity_steps_down": False, "rollers_rest_alone": False}
    )
    knead = Setpoint(
        technique=Technique.KNEAD,
        regions=(Region.MID_BACK,),
        intensity=4,
        airbags={AirbagZone.WAIST: 2},
    )
    contacts = Contacts().applied(knead, 0.0, restarting)
    gentler = knead.model_copy(update={"intensity": 3})
    assert contacts.restarts(gentler, restarting)
    assert not contacts.restarts(gentler, FULL_FEATURED)
    # A restart ends every contact: the airbags vent with it.
    after = contacts.applied(gentler, 100.0, restarting)
    assert (after.rollers_since, after.airbags_since) == (100.0, 100.0)
    kept = contacts.applied(gentler, 100.0, FULL_FEATURED)
    assert (kept.rollers_since, kept.airbags_since) == (0.0, 0.0)
    # Resting the rollers of a chair that cannot rest them alone is a restart too.
    squeeze = Setpoint(airbags={AirbagZone.WAIST: 2})
    assert contacts.applied(squeeze, 50.0, restarting).airbags_since == 50.0
    assert contacts.applied(squeeze, 50.0, FULL_FEATURED).airbags_since == 0.0
    # A rest ends the contact; the next one starts at its own time.
    rested = contacts.applied(SAFE_SETPOINT, 50.0).applied(knead, 60.0)
    assert rested.rollers_since == 60.0


def test_the_session_cap_and_the_heat_allowance() -> None:
    strong = Setpoint(technique=Technique.KNEAD, regions=(Region.MID_BACK,), intensity=5)
    assert [c.rule for c in violations(strong, Moment(1800, 1800, 1800))] == ["session-cap"]
    assert enforce(strong, Moment(1800, 1800))[0] == SAFE_SETPOINT
    assert violations(SAFE_SETPOINT, Moment(5000)) == []
    warm = Setpoint(heat={Heater.LUMBAR: HeatLevel.LOW})
    assert violations(warm, Moment(1000, heat_s=HEAT_MAX_S - 1)) == []
    assert [c.rule for c in violations(warm, Moment(1000, heat_s=HEAT_MAX_S))] == ["heat-minutes"]


def test_the_persons_limits_come_with_their_reasons() -> None:
    person = Personalisation(
        max_intensity=1,
        percussion_allowed=False,
        heat_allowed=False,
        recline_allowed=False,
        max_airbag=1,
        airbags_off=frozenset({AirbagZone.CALVES}),
        skip_regions=frozenset({Region.LOWER_BACK}),
        reasons={"intensity": "osteoporosis", "airbags": "pregnancy", "regions": "acute-strain"},
    )
    asked = Setpoint(
        technique=Technique.TAP,
        regions=(Region.MID_BACK, Region.LOWER_BACK),
        intensity=4,
        airbags={AirbagZone.CALVES: 3, AirbagZone.ARMS: 4},
        heat={Heater.LUMBAR: HeatLevel.LOW},
        posture=Posture.ZERO_G_1,
    )
    safe, corrections = enforce(asked, SETTLED, person)
    assert violations(safe, SETTLED, person) == []
    assert safe.regions == (Region.MID_BACK,)
    assert safe.keep_off == {Region.LOWER_BACK}
    assert safe.technique is Technique.KNEAD
    assert safe.intensity == 1
    assert safe.airbags == {AirbagZone.ARMS: 1}
    assert not safe.heat
    assert safe.posture is Posture.UPRIGHT
    messages = [c.message for c in corrections]
    assert "intensity capped at 1 for you (osteoporosis)" in messages
    assert "airbags capped at 1 for you (pregnancy)" in messages
    assert all(c.personal for c in corrections)
    # The same setpoint is fine for someone without limits, once the ramp is over.
    assert {c.rule for c in violations(asked, SETTLED, AS_WRITTEN)} == set()


setpoints = st.builds(
    Setpoint,
    technique=st.sampled_from(list(Technique)),
    regions=st.sampled_from([(r,) for r in Region] + [(Region.NECK, Region.SHOULDERS)]),
    intensity=st.integers(1, 5),
    airbags=st.dictionaries(st.sampled_from(list(AirbagZone)), st.integers(0, 5)),
    heat=st.sampled_from([{}, {Heater.LUMBAR: HeatLevel.HIGH}]),
    posture=st.sampled_from(list(Posture)),
)
moments = st.builds(
    Moment,
    st.floats(0, 4000),
    st.none() | st.floats(0, 4000),
    st.none() | st.floats(0, 4000),
    st.floats(0, 2000),
)
people = st.builds(
    Personalisation,
    max_intensity=st.integers(1, 5),
    percussion_allowed=st.booleans(),
    heat_allowed=st.booleans(),
    recline_allowed=st.booleans(),
    stretch_allowed=st.booleans(),
    max_airbag=st.integers(0, 5),
    skip_regions=st.frozensets(st.sampled_from(list(Region))),
    airbags_off=st.frozensets(st.sampled_from(list(AirbagZone))),
)


@given(setpoint=setpoints, moment=moments, person=people)
def test_enforced_setpoints_break_nothing(
    setpoint: Setpoint, moment: Moment, person: Personalisation
) -> None:
    safe, corrections = enforce(setpoint, moment, person)
    assert violations(safe, moment, person) == []
    assert (safe == setpoint) == (corrections == [])
