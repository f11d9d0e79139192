"""The hard rules: each breaks on what it should, and enforcing them leaves nothing broken."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from chairctl.safety import enforce, violations
from chairctl.vocabulary import SAFE_SETPOINT, Region, Setpoint, Technique


def test_neck_percussion_and_intensity() -> None:
    setpoint = Setpoint(technique=Technique.TAP, regions=(Region.NECK,), intensity=4)
    assert {c.rule for c in violations(setpoint, 120)} == {
        "no-percussion-at-neck",
        "neck-intensity",
    }
    safe, corrections = enforce(setpoint, 120)
    assert safe.technique is Technique.KNEAD
    assert safe.intensity == 2
    assert len(corrections) == 2


def test_start_ramp_and_session_cap() -> None:
    strong = Setpoint(technique=Technique.KNEAD, regions=(Region.MID_BACK,), intensity=5)
    assert [c.rule for c in violations(strong, 59.9)] == ["start-ramp"]
    assert violations(strong, 60) == []
    assert [c.rule for c in violations(strong, 1800)] == ["session-cap"]
    assert enforce(strong, 1800)[0] == SAFE_SETPOINT
    assert violations(SAFE_SETPOINT, 5000) == []


setpoints = st.builds(
    Setpoint,
    technique=st.sampled_from(list(Technique)),
    regions=st.sampled_from([(r,) for r in Region] + [(Region.NECK, Region.SHOULDERS)]),
    intensity=st.integers(1, 5),
)


@given(setpoint=setpoints, elapsed=st.floats(0, 4000))
def test_enforced_setpoints_break_nothing(setpoint: Setpoint, elapsed: float) -> None:
    safe, corrections = enforce(setpoint, elapsed)
    assert violations(safe, elapsed) == []
    assert (safe == setpoint) == (corrections == [])
