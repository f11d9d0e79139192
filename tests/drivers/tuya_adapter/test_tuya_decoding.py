"""The MCU's reports as statuses: the DP table kept, each field read honestly, any chunking."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chairctl.vocabulary import (
    ActuatorMotion,
    AirbagZone,
    ChairStatus,
    Technique,
    Width,
    WorkState,
)
from drivers.models.tuya import CODE_KINDS, TuyaCode
from drivers.protocols.tuya import Command, DataPoint, DpType, encode_dps, encode_frame
from drivers.protocols.tuya.decoding import TuyaDecoder, status_of
from drivers.protocols.tuya.points import DpValue
from tests.drivers.tuya_adapter.tuyareports import STANDBY, example, heartbeat_reply, report

MODEL = example()


def feed(decoder: TuyaDecoder, *frames: bytes) -> list[ChairStatus]:
    return decoder.feed(b"".join(frames))


def test_nothing_before_switch_is_seen_and_nothing_for_other_frames() -> None:
    decoder = TuyaDecoder(MODEL)
    assert feed(decoder, heartbeat_reply(first=True), report(MODEL, {"heat": True})) == []
    assert feed(decoder, report(MODEL, {"switch": False})) != []
    assert feed(decoder, heartbeat_reply()) == []
    assert feed(decoder, encode_frame(Command.PRODUCT_QUERY, b'{"p":"x"}', version=3)) == []


def test_a_full_report_reads_into_every_field() -> None:
    values: dict[TuyaCode, DpValue] = {
        **STANDBY,
        "switch": True,
        "time_set": 20,
        "heat": True,
        "aircell_speed": "level_4",
        "massage_speed": "level_2",
        "aircell_location": "leg_hip",
        "ball_location": "wide",
        "foot_control": True,
        "back_control": "up",
        "gravity_control": "gravity_adjust2",
        "manual_mode": "shiatsu",
    }
    (status,) = TuyaDecoder(MODEL).feed(report(MODEL, values))
    assert status == ChairStatus(
        running=True,
        work_state=WorkState.RUNNING,
        technique=Technique.SHIATSU,
        technique_code=4,
        speed=2,
        width=Width.WIDE,
        airbag_program=frozenset({AirbagZone.CALVES, AirbagZone.FEET, AirbagZone.SEAT}),
        airbag_level=4,
        heat=True,
        foot_roller=True,
        foot_roller_speed=1,
        zero_g=True,
        backrest=ActuatorMotion.UP,
        preset_minutes=20,
    )


def test_an_auto_mode_is_a_program_not_a_technique() -> None:
    (status,) = TuyaDecoder(MODEL).feed(
        report(MODEL, {**STANDBY, "switch": True, "auto_mode": "waist_relax"})
    )
    assert (status.technique, status.technique_code) == (None, 0)
    assert (status.program, status.program_code) == ("waist_relax", 7)
    assert status.work_state is WorkState.RUNNING


@pytest.mark.parametrize(
    ("changes", "state"),
    [
        ({}, WorkState.STANDBY),
        ({"switch": True}, WorkState.WAITING),
        ({"switch": True, "heat": True}, WorkState.WAITING),
        ({"switch": True, "manual_mode": "pinch"}, WorkState.RUNNING),
        ({"switch": True, "aircell_location": "arm"}, WorkState.RUNNING),
        ({"switch": True, "foot_control": True}, WorkState.RUNNING),
        ({"switch": True, "manual_mode": "pinch", "fault": 1}, WorkState.FAULT),
        ({"fault": 2}, WorkState.FAULT),
    ],
)
def test_work_state_follows_the_dps(changes: dict[TuyaCode, DpValue], state: WorkState) -> None:
    (status,) = TuyaDecoder(MODEL).feed(report(MODEL, {**STANDBY, **changes}))
    assert status.work_state is state
    fault = changes.get("fault")
    assert status.error_code == (fault or None)


def test_reports_accumulate_into_the_table() -> None:
    decoder = TuyaDecoder(MODEL)
    feed(decoder, report(MODEL, STANDBY))
    (on,) = feed(decoder, report(MODEL, {"switch": True, "manual_mode": "beat"}))
    assert (on.running, on.technique, on.speed, on.width) == (True, Technique.TAP, 3, Width.MEDIUM)
    # A deliver's answer names only the DPs it set: the rest stands.
    (faster,) = feed(decoder, report(MODEL, {"massage_speed": "level_1"}))
    assert (faster.technique, faster.speed) == (Technique.TAP, 1)


def test_records_that_do_not_fit_the_product_are_dropped_alone() -> None:
    decoder = TuyaDecoder(MODEL)
    feed(decoder, report(MODEL, STANDBY))
    manual = MODEL.datapoints["manual_mode"].id
    foreign = encode_dps(
        [
            DataPoint(200, DpType.BOOL, True),  # no such DP
            DataPoint(MODEL.datapoints["heat"].id, DpType.ENUM, 1),  # wrong type
            DataPoint(manual, DpType.ENUM, 6),  # past the range's end
            DataPoint(MODEL.datapoints["switch"].id, DpType.BOOL, True),
        ]
    )
    (status,) = decoder.feed(encode_frame(Command.DP_REPORT, foreign, version=3))
    assert status.running
    assert not status.heat
    assert status.technique_code == 0
    assert decoder.foreign_records == 3


def test_a_report_that_does_not_decode_gives_nothing() -> None:
    decoder = TuyaDecoder(MODEL)
    feed(decoder, report(MODEL, STANDBY))
    cut = encode_frame(Command.DP_REPORT, bytes.fromhex("01 01 00 02 01"), version=3)
    assert decoder.feed(cut) == []
    assert decoder.bad_reports == 1


def test_a_location_the_model_does_not_describe_may_inflate_anything() -> None:
    (status,) = TuyaDecoder(MODEL).feed(
        report(MODEL, {**STANDBY, "switch": True, "aircell_location": "all"})
    )
    assert status.airbag_program == MODEL.capabilities.airbag_zones


def test_reset_forgets_the_table() -> None:
    decoder = TuyaDecoder(MODEL)
    feed(decoder, report(MODEL, STANDBY))
    decoder.reset()
    assert feed(decoder, report(MODEL, {"heat": False})) == []
    assert decoder.table == {"heat": False}


def test_a_frame_cut_by_reset_does_not_join_the_next() -> None:
    decoder = TuyaDecoder(MODEL)
    whole = report(MODEL, STANDBY)
    assert decoder.feed(whole[:10]) == []
    decoder.reset()
    assert len(decoder.feed(whole)) == 1


# --- any chunking, any order of reports ----------------------------------------------------


def _values(code: TuyaCode) -> st.SearchStrategy[DpValue]:
    kind = CODE_KINDS[code]
    if kind == "bool":
        return st.booleans()
    if kind == "value":
        return st.integers(0, 500)
    if kind == "bitmap":
        return st.integers(0, 3)
    return st.sampled_from(MODEL.range_of(code))


_CODES: list[TuyaCode] = list(MODEL.datapoints)
_REPORTS = st.lists(
    st.lists(st.sampled_from(_CODES), min_size=1, unique=True).flatmap(
        lambda codes: st.fixed_dictionaries({code: _values(code) for code in codes})
    ),
    min_size=1,
    max_size=8,
)
#: Line noise without 0x55, so it cannot start a frame of its own.
_NOISE = st.binary(max_size=6).map(lambda b: b.replace(b"\x55", b"\x00"))


@given(reports=_REPORTS, noise=st.lists(_NOISE, min_size=8, max_size=8), data=st.data())
def test_statuses_follow_the_reports_under_any_chunking(
    reports: list[dict[TuyaCode, DpValue]], noise: list[bytes], data: st.DataObject
) -> None:
    stream = b""
    ends: list[int] = []  # where each report's last byte lies
    for i, values in enumerate(reports):
        stream += noise[i] + report(MODEL, values)
        ends.append(len(stream))
        stream += heartbeat_reply()
    cuts = sorted(data.draw(st.lists(st.integers(0, len(stream)), max_size=10)))
    decoder = TuyaDecoder(MODEL)
    statuses: list[ChairStatus] = []
    expected: list[ChairStatus] = []
    table: dict[TuyaCode, DpValue] = {}
    for start, end in zip([0, *cuts], [*cuts, len(stream)], strict=True):
        statuses += decoder.feed(stream[start:end])
        # One status per piece that completes reports, once switch was seen: the table then.
        completed = [
            values for values, last in zip(reports, ends, strict=True) if start < last <= end
        ]
        for values in completed:
            table.update(values)
        if completed and "switch" in table:
            expected.append(status_of(MODEL, table))
    assert statuses == expected
    if statuses:
        last, latest = statuses[-1], reports[-1]
        # Nothing the last report said is contradicted by the last status.
        if "switch" in latest:
            assert last.running is latest["switch"]
        if "heat" in latest:
            assert last.heat is latest["heat"]
        if "fault" in latest:
            assert (last.work_state is WorkState.FAULT) == bool(latest["fault"])
        if "manual_mode" in latest and latest["manual_mode"] != "close":
            assert (
                last.technique_code
                == MODEL.range_of("manual_mode").index(str(latest["manual_mode"])) + 1
            )


@given(st.binary(max_size=300))
def test_any_bytes_never_raise(data: bytes) -> None:
    decoder = TuyaDecoder(MODEL)
    decoder.feed(report(MODEL, STANDBY)[:3] + data)
    decoder.feed(data)
