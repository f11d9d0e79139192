"""The Tuya release waits out what its reports cannot show: the airbags venting, and the 3D
depth retracting from its deepest level the whole way (as the other families' releases do)."""

from __future__ import annotations

import pytest

from drivers.adapters.tuya import Releaser
from drivers.models import get_model_as
from drivers.models.tuya import TuyaModel


def _with(depth_travel_s: float, levels: int) -> TuyaModel:
    model = get_model_as("tuya-neck-massager", TuyaModel)
    mechanics = model.mechanics.model_copy(update={"depth_travel_s": depth_travel_s})
    return model.model_copy(update={"mechanics": mechanics, "intensity_levels": levels})


@pytest.mark.parametrize(
    ("depth_travel_s", "levels", "retract_s"), [(8.0, 5, 10.0), (6.0, 3, 9.0), (4.0, 1, 4.0)]
)
def test_the_depth_is_given_the_whole_way_from_its_deepest_level(
    depth_travel_s: float, levels: int, retract_s: float
) -> None:
    # depth_travel_s runs from the weakest level to the strongest: from the strongest to none
    # is one level further.
    model = _with(depth_travel_s, levels)
    assert model.depth_retract_s == pytest.approx(retract_s)
    releaser = Releaser(model, window_s=1.0, attempts=2)
    assert releaser.unseen_s == pytest.approx(max(retract_s, model.mechanics.airbag_vent_s))


def test_venting_bounds_the_wait_when_the_depth_is_quicker() -> None:
    model = _with(0.5, 5)
    assert Releaser(model, window_s=1.0, attempts=2).unseen_s == model.mechanics.airbag_vent_s
