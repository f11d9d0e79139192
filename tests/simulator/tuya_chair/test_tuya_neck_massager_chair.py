"""The simulated Tuya product configured from the neck massager's map, on the wire.

Bytes from Tuya's smart neck massager demo
(github.com/tuya/tuya-iotos-embeded-demo-ble-smart-neck-massager, paths under
``tuya_ble_app/``; frames in ``tests/data/tuya-neck-massager-frames.txt``). What its firmware
does with them, ``src/tuya_massage_func_logic.c`` ``app_dp_handle``: DP 0x69 value 0 (POWER_STATE
ON) switches on and anything else off (lines 397-412); heat, gear and pattern are ignored while
off (lines 273, 288, 379); heat 0 is strong_heat, anything else off (lines 277-283); it reads one
record, ``dp_data[0..3]``, of each write (line 269). Each test sends those bytes and judges by
what the simulated product physically does.
"""

from __future__ import annotations

import pytest

from chairctl.clock import VirtualClock
from chairctl.vocabulary import Technique, WorkState
from drivers.models import get_model_as
from drivers.models.tuya import TuyaModel
from simulator.config import ChairOptions
from simulator.tuya.chair import TuyaChair
from tests.conftest import golden_frames
from tests.simulator.tuya_chair.tuyahelpers import QUERY, Module, mcu_parts, module_frame

G = golden_frames("tuya-neck-massager-frames.txt")


@pytest.fixture
def model() -> TuyaModel:
    loaded = get_model_as("tuya-neck-massager", TuyaModel)
    assert isinstance(loaded, TuyaModel)
    return loaded


def deliver(record: str) -> bytes:
    """A DP deliver carrying one record, given as hex."""
    return module_frame(0x06, bytes.fromhex(record))


async def test_the_value_that_means_on_switches_it_on(
    module: Module, chair: TuyaChair, model: TuyaModel
) -> None:
    answers = await module.send(G["neck-power-on"])
    # The answer reports DP 105 as the product's switch_buf does: type 01, value 00.
    assert answers == [G["neck-report-switch"]]
    assert chair.values["switch"] is True
    await module.wait(model.mechanics.body_scan_s + 1.0)
    state = chair.state()
    assert state.work_state is WorkState.RUNNING
    # No value stops the pattern: switched on, it works, relieve (knead here) at first_gear.
    assert state.roller_technique is Technique.KNEAD
    assert state.region is not None
    assert state.region.value == "neck"
    assert state.depth == pytest.approx(1.0)


async def test_the_old_formats_true_is_off_for_this_product(
    module: Module, chair: TuyaChair, model: TuyaModel
) -> None:
    # Bool true, what a switch read with the standard's defaults sends for on.
    assert G["neck-power-off"] == bytes.fromhex("55 aa 00 06 00 05 69 01 00 01 01 76")
    await module.send(G["neck-power-off"])
    await module.wait(model.mechanics.body_scan_s + 1.0)
    assert chair.values["switch"] is False
    assert chair.state().work_state is WorkState.STANDBY
    assert chair.state().roller_technique is None


async def test_heat_gear_and_pattern_take_only_while_it_is_on(
    module: Module, chair: TuyaChair, model: TuyaModel
) -> None:
    await module.send(G["neck-heat-on"])
    await module.send(deliver("67 04 00 01 02"))  # third_gear
    assert chair.values["heat"] is False
    assert chair.values["strength"] == "first_gear"
    assert chair.mcu.refused == 2
    await module.send(G["neck-power-on"])
    await module.wait(model.mechanics.body_scan_s)
    answers = await module.send(G["neck-heat-on"])
    assert answers == [G["neck-report-heat"][:-2] + bytes.fromhex("00 79")]  # strong_heat
    await module.send(deliver("67 04 00 01 02"))
    await module.send(deliver("68 04 00 01 01"))  # vitality
    await module.wait(5.0)
    state = chair.state()
    assert state.heat_on
    assert state.roller_technique is Technique.SHIATSU  # vitality stands in for it
    assert state.depth == pytest.approx(3.0)  # third_gear is the third level
    await module.send(G["neck-heat-off"])
    assert not chair.state().heat_on


async def test_a_gear_above_the_levels_presses_harder_than_the_top_level(
    module: Module, chair: TuyaChair, model: TuyaModel
) -> None:
    await module.send(G["neck-power-on"])
    await module.wait(model.mechanics.body_scan_s)
    await module.send(deliver("67 04 00 01 0f"))  # max_gear
    await module.wait(2.0)
    assert chair.state().depth > model.intensity_levels


async def test_only_the_first_record_of_a_deliver_is_applied(
    module: Module, chair: TuyaChair
) -> None:
    # Power on and heat on in one deliver: app_dp_handle reads the first record only.
    both = module_frame(0x06, G["neck-power-on"][6:-1] + G["neck-heat-on"][6:-1])
    await module.send(both)
    assert chair.values["switch"] is True
    assert chair.values["heat"] is False
    assert chair.records_ignored == 1


async def test_switching_off_stops_a_pattern_that_has_no_off(
    module: Module, chair: TuyaChair, model: TuyaModel
) -> None:
    await module.send(G["neck-power-on"])
    await module.wait(model.mechanics.body_scan_s + 2.0)
    assert chair.state().roller_technique is Technique.KNEAD
    answers = await module.send(G["neck-power-off"])
    assert module.answer(answers)["switch"] is True  # wire 01: off
    await module.wait(model.timing.settle_cap_s)
    assert chair.state().work_state is WorkState.STANDBY
    assert chair.state().roller_technique is None
    assert chair.values["manual_mode"] == "relieve"  # kept; it works again when switched on


async def test_a_query_is_answered_in_one_frame_when_the_option_says(
    clock: VirtualClock,
) -> None:
    standard = get_model_as("tuya-amy-example", TuyaModel)
    assert isinstance(standard, TuyaModel)
    chair = TuyaChair(standard, clock, options=ChairOptions(frame_per_value=False))
    module = Module(chair, clock, standard)
    (answer,) = await module.send(module_frame(QUERY))
    assert mcu_parts(answer)[0] == 0x07
    assert set(module.decode(answer)) == set(standard.datapoints)
    # By default, as real MCUs do: one frame per DP.
    per_dp = TuyaChair(standard, clock)
    module = Module(per_dp, clock, standard)
    answers = await module.send(module_frame(QUERY))
    assert len(answers) == len(standard.datapoints)
    assert all(len(module.decode(answer)) == 1 for answer in answers)
