"""The simulated Tuya MCU on the wire: heartbeat, product and DP queries, delivers and what the
MCU ignores, answered in frames pinned to the Tuya rules."""

from __future__ import annotations

import json

import pytest

from chairctl.clock import VirtualClock
from chairctl.vocabulary import ProtocolError
from drivers.models import get_model_as
from drivers.models.tuya import TuyaModel
from simulator.families import simulated_chair
from simulator.tuya.chair import TuyaChair
from simulator.tuya.frames import Dp, pack_dps, split_records
from tests.conftest import golden_frames
from tests.simulator.tuya_chair.tuyahelpers import (
    DELIVER,
    PRODUCT,
    QUERY,
    Module,
    mcu_parts,
    module_frame,
)

G = golden_frames("tuya-frames.txt")


def test_the_factory_builds_a_wired_tuya_chair(clock: VirtualClock) -> None:
    chair = simulated_chair(get_model_as("tuya-amy-example", TuyaModel), clock)
    assert isinstance(chair, TuyaChair)
    assert chair.transport == "wired"
    assert chair.periodic is False
    assert chair.period == 0.5  # the model's query_period_ms


async def test_heartbeat_says_00_first_then_01(module: Module) -> None:
    assert G["module-heartbeat"] == bytes.fromhex("55 AA 00 00 00 00 FF")
    assert await module.send(G["module-heartbeat"]) == [bytes.fromhex("55 AA 03 00 00 01 00 03")]
    assert await module.send(G["module-heartbeat"]) == [bytes.fromhex("55 AA 03 00 00 01 01 04")]
    # Switching the chair on is not an MCU power-up: still 01.
    await module.set(switch=True)
    assert await module.send(G["module-heartbeat"]) == [G["mcu-heartbeat"]]


async def test_answers_come_after_the_write_not_inside_it(chair: TuyaChair, module: Module) -> None:
    module.link.write(G["module-heartbeat"])
    assert module.frames == []
    await module.wait(0)
    assert [f for _, f in module.frames] == [G["mcu-heartbeat-first"]]


async def test_the_mcu_never_speaks_first(module: Module) -> None:
    await module.wait(120.0)
    assert module.frames == []


async def test_product_query_names_the_model(module: Module, model: TuyaModel) -> None:
    (answer,) = await module.send(module_frame(PRODUCT))
    command, payload = mcu_parts(answer)
    assert command == PRODUCT
    assert json.loads(payload) == {"p": model.id, "v": "1.0.0", "m": 0}
    assert payload == b'{"p":"tuya-amy-example","v":"1.0.0","m":0}'


async def test_dp_query_reports_every_dp_in_id_order(module: Module, model: TuyaModel) -> None:
    answers = await module.send(module_frame(QUERY))
    # One frame per DP, as real MCUs answer a query.
    ids = [dpid for answer in answers for dpid in _ids(mcu_parts(answer)[1])]
    assert len(ids) == len(answers)
    assert ids == sorted(point.id for point in model.datapoints.values())
    values = module.answer(answers)
    assert values["switch"] is False
    assert values["time_set"] == model.timing.default_session_min
    assert values["manual_mode"] == values["auto_mode"] == values["aircell_location"] == "close"
    assert values["fault"] == 0
    assert values["gravity_control"] == "reset"
    assert (values["back_control"], values["bottom_control"]) == ("stop", "stop")


def _ids(payload: bytes) -> list[int]:
    ids, at = [], 0
    while at < len(payload):
        ids.append(payload[at])
        at += 4 + payload[at + 2] * 256 + payload[at + 3]
    return ids


async def test_the_golden_set_switches_on_and_is_answered(module: Module, chair: TuyaChair) -> None:
    (answer,) = await module.send(G["set-dp1-true"])
    assert answer == bytes.fromhex("55 AA 03 07 00 05 01 01 00 01 01 12")
    assert module.decode(answer) == {"switch": True}
    assert chair.values["switch"] is True


async def test_a_deliver_is_applied_in_order_and_answered_once(module: Module) -> None:
    # Named twice: the last one wins, the answer names it once, with the value now.
    answer = await module.set(ball_location="wide", massage_speed="level_1")
    assert answer == {"ball_location": "wide", "massage_speed": "level_1"}
    answer = await module.deliver(
        module.record("ball_location", "narrow"),
        module.record("time_set", 30),
        module.record("ball_location", "middle"),
    )
    assert list(answer) == ["ball_location", "time_set"]
    assert answer == {"ball_location": "middle", "time_set": 30}


async def test_bytes_in_any_chunking_and_noise_between_frames(module: Module) -> None:
    stream = b"\x00\x55\x13" + G["module-heartbeat"] + b"\xaa" + module_frame(QUERY)
    for byte in stream[:-1]:
        module.link.write(bytes([byte]))
    await module.wait(0)
    assert [f for _, f in module.frames] == [G["mcu-heartbeat-first"]]
    module.link.write(stream[-1:])
    await module.wait(0)
    assert len(module.frames) == 1 + len(module.ids)
    assert {mcu_parts(frame)[0] for _, frame in module.frames[1:]} == {0x07}


async def test_a_bad_sum_is_not_answered(module: Module) -> None:
    frame = bytearray(G["set-dp1-true"])
    frame[-1] ^= 0x01
    assert await module.send(bytes(frame)) == []
    assert (await module.query())["switch"] is False


async def test_invalid_records_are_ignored_and_reported_with_the_old_value(
    module: Module, chair: TuyaChair, model: TuyaModel
) -> None:
    ids = module.ids
    manual_range = len(model.range_of("manual_mode"))
    answer = await module.deliver(
        Dp.boolean(99, True),  # no such DP: not named in the answer
        Dp.value(ids["massage_speed"], 0),  # an enum sent as a value
        Dp.enum(ids["ball_location"], 7),  # an index past the range
        Dp.value(ids["time_set"], 501),  # past the standard's 0..500
        Dp.enum(ids["switch"], 1),  # a bool sent as an enum
        Dp.bitmap(ids["fault"], 1, 1),  # the fault DP is the chair's to say
        Dp.enum(ids["manual_mode"], manual_range),
        Dp.value(ids["time_set"], 20),  # the one good record still takes
    )
    assert answer == {
        "massage_speed": "level_3",
        "ball_location": "middle",
        "time_set": 20,
        "switch": False,
        "fault": 0,
        "manual_mode": "close",
        "auto_mode": "close",
    }
    assert chair.records_ignored == 7


async def test_a_malformed_deliver_changes_nothing_and_gets_every_dp(
    module: Module, chair: TuyaChair, model: TuyaModel
) -> None:
    heard: list[int] = []
    chair.listen_keys(heard.append)
    good = pack_dps([Dp.boolean(module.ids["switch"], True)])
    values = module.answer(await module.send(module_frame(DELIVER, good + b"\x02\x02\x00")))
    assert set(values) == set(model.datapoints)
    assert values["switch"] is False
    assert chair.delivers_malformed == 1
    assert heard == []
    # A record whose body does not suit its kind is one bad record, not a bad deliver.
    bad_bool = bytes([module.ids["heat"], 1, 0, 1, 2])
    answers = await module.send(module_frame(DELIVER, good + bad_bool))
    assert module.answer(answers) == {"switch": True, "heat": False}


async def test_each_record_is_heard_before_it_is_applied(module: Module, chair: TuyaChair) -> None:
    heard: list[tuple[int, object]] = []
    chair.listen_keys(lambda dpid: heard.append((dpid, chair.values["switch"])))
    await module.send(G["module-heartbeat"])
    await module.query()
    await module.set(switch=True, massage_speed="level_2")
    await module.deliver(Dp.boolean(99, True))
    assert heard == [(1, False), (5, False), (99, True)]


async def test_work_mode_and_network_status_get_empty_answers(module: Module) -> None:
    assert await module.send(module_frame(0x02)) == [bytes.fromhex("55 AA 03 02 00 00 04")]
    assert await module.send(module_frame(0x03, b"\x04")) == [bytes.fromhex("55 AA 03 03 00 00 05")]
    assert await module.send(module_frame(0x1C, b"\x00" * 8)) == []


def test_split_records_takes_any_kind_and_refuses_a_cut_payload() -> None:
    payload = bytes.fromhex("01 01 00 01 02") + bytes.fromhex("63 09 00 00")
    assert split_records(payload) == [(1, 1, b"\x02"), (0x63, 9, b"")]
    for cut in (payload[:3], payload[:-1] + b"\x00\x00\x05\x01"):
        with pytest.raises(ProtocolError):
            split_records(cut)
