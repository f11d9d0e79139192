"""What the Rongtai driver makes of states real chairs report and the simulated one never does.

Each status is a real frame of dallanwagz/hass-infinity-chair ``tests/test_protocol.py``,
decoded with the shipped RT8600S model: a chair in a 3D program (no technique shown while the
rollers work) and a chair scanning the body at the start of a session while it reports
"running". The reconciler is asked for its next action, as it is on every status.
"""

from __future__ import annotations

import pytest

from chairctl.vocabulary import AirbagZone, ChairStatus, Region, Setpoint, Technique, WorkState
from drivers.adapters.reconcile import Await
from drivers.adapters.rongtai.reconciler import Press, Reconciler, rollers_working
from drivers.adapters.rongtai.release import is_safe
from drivers.adapters.rongtai.targets import TargetMapper, Targets
from drivers.models import get_model_as
from drivers.models.rongtai import RongtaiModel
from drivers.protocols.rongtai import decode_status, rongtai_detail

#: test_parse_3d_program: "3D presets (3D-1/2/3) all report b13 = 0x2d"; b1 shows no technique.
IN_3D = bytes.fromhex("f0 45 26 02 24 0d 10 03 28 00 00 00 43 2d 0d 29 f1")
#: test_parse_heat ("on"): running (b7 3), 1782 s of a 30-minute session left, b9 0x40 (the
#: body scan), no technique, full-body airbags at level 2 with the calf, foot and arm bags
#: working, heat on, the backrest and leg rest moving.
SCANNING = bytes.fromhex("f0 45 78 02 2d 76 73 03 28 40 09 00 43 1d 01 55 f1")
#: test_parse_technique ("kneading"): a manual knead, for contrast.
KNEADING = bytes.fromhex("f0 4d 0d 00 63 64 00 03 21 00 00 00 03 1c 03 18 f1")

REST = Setpoint()
KNEAD = Setpoint(technique=Technique.KNEAD, regions=(Region.LOWER_BACK,), intensity=2)


@pytest.fixture(scope="module")
def model() -> RongtaiModel:
    found = get_model_as("rongtai-rt8600s", RongtaiModel)
    assert isinstance(found, RongtaiModel)
    return found


def _reconciler(model: RongtaiModel) -> Reconciler:
    return Reconciler(model, 1.0, 3, lambda key: f"0x{key:02X}")


def _targets(model: RongtaiModel, setpoint: Setpoint) -> Targets:
    return TargetMapper(model).targets(setpoint)


def test_a_chair_in_3d_has_its_rollers_working(model: RongtaiModel) -> None:
    status = decode_status(IN_3D, model)
    assert (status.technique_code, status.work_state) == (0, WorkState.RUNNING)
    assert rollers_working(status)
    assert not rollers_working(
        decode_status(KNEADING, model).model_copy(update={"technique_code": 0, "technique": None})
    )


def test_rollers_in_3d_asked_to_rest_are_switched_off_first(model: RongtaiModel) -> None:
    status = decode_status(IN_3D, model)
    reconciler = _reconciler(model)
    step = reconciler.next_step(_targets(model, REST), status)
    # POWER: the only key that stops rollers on this chair; not "airbags off" first while
    # the rollers go on working, and never "nothing to do".
    assert isinstance(step, Press)
    assert (step.key, step.label) == (model.keys.power, "switch off to rest the rollers")
    assert reconciler.would_restart(_targets(model, REST), status)
    assert not is_safe(status)


def test_a_chair_in_its_own_program_is_restarted_to_take_over(model: RongtaiModel) -> None:
    # A 3D program (or a built-in one: test_parse_program's "recover") picks its own band,
    # depth and full-body airbags; kneading the lower back at intensity 2 starts with POWER,
    # not with keys the program would override.
    recover = bytes.fromhex("f0 4d 29 02 2d 6f 10 03 2b 00 09 00 43 05 03 59 f1")
    for frame in (IN_3D, recover):
        status = decode_status(frame, model)
        reconciler = _reconciler(model)
        step = reconciler.next_step(_targets(model, KNEAD), status)
        assert isinstance(step, Press)
        assert step.key == model.keys.power
        assert step.label == "switch off to take over from the chair's own program"
        assert reconciler.would_restart(_targets(model, KNEAD), status)


def test_a_scan_while_running_is_waited_out_after_what_presses_more_goes_off(
    model: RongtaiModel,
) -> None:
    status = decode_status(SCANNING, model)
    assert status.airbag_program == frozenset(AirbagZone)
    assert status.heat
    reconciler = _reconciler(model)
    targets = _targets(model, KNEAD)
    step = reconciler.next_step(targets, status)
    assert isinstance(step, Press)
    assert step.key == model.keys.airbag_off
    calm = status.model_copy(update={"airbag_program": frozenset(), "airbag_level": 0})
    step = reconciler.next_step(targets, calm)
    assert isinstance(step, Press)
    assert step.key == model.keys.heat_toggle
    calm = calm.model_copy(update={"heat": False})
    step = reconciler.next_step(targets, calm)
    # Nothing pressed into the scan: no technique key the chair would not take yet.
    assert isinstance(step, Await)
    assert step.label == "the body scan"
    assert not step.done(calm)
    scanned = rongtai_detail(calm).model_copy(update={"body_scan": 0})
    assert step.done(calm.model_copy(update={"detail": scanned}))


def test_a_scan_while_running_asked_to_rest_is_switched_off(model: RongtaiModel) -> None:
    status: ChairStatus = decode_status(SCANNING, model).model_copy(
        update={"airbag_program": frozenset(), "airbag_level": 0, "heat": False}
    )
    assert rollers_working(status)
    step = _reconciler(model).next_step(_targets(model, REST), status)
    assert isinstance(step, Press)
    assert step.key == model.keys.power
