"""The Tuya driver on the neck massager's map, end to end, and the chair's own wire types.

A real ChairSession drives the simulated product configured from
``drivers/models/tuya-neck-massager.yaml``, in memory, on a VirtualClock. Bytes are Tuya's smart
neck massager demo's (github.com/tuya/tuya-iotos-embeded-demo-ble-smart-neck-massager; see
``tests/data/tuya-neck-massager-frames.txt``): DP 105 carries 00 for on (app_dp_handle,
tuya_massage_func_logic.c line 398: POWER_STATE ON = 0), DP 102 is an enum whose 0 is
strong_heat, DP 103 the gear, DP 104 the pattern, and the product reads one record per write.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field

import pytest

from chairctl.clock import VirtualClock
from chairctl.vocabulary import ChairFault, ModelMismatch, Region, Setpoint, Technique, WorkState
from drivers.adapters.tuya import TuyaAdapter
from drivers.chair import ChairSession
from drivers.models import get_model_as
from drivers.models.tuya import TuyaModel
from drivers.protocols.tuya import FrameDecoder, decode_dps
from simulator.families import simulated_chair
from simulator.reach import links_to
from simulator.tuya.chair import TuyaChair
from tests.conftest import golden_frames

G = golden_frames("tuya-neck-massager-frames.txt")
NECK_KNEAD = Setpoint(technique=Technique.KNEAD, regions=(Region.NECK,), intensity=2)
REST = Setpoint()


def neck() -> TuyaModel:
    model = get_model_as("tuya-neck-massager", TuyaModel)
    assert isinstance(model, TuyaModel)
    return model


MODEL = neck()
SCAN_S = MODEL.mechanics.body_scan_s


@dataclass
class Rig:
    """A session on a simulated product, and every frame the product was sent."""

    session: ChairSession
    chair: TuyaChair
    clock: VirtualClock
    sent: list[bytes] = field(default_factory=list)

    def delivers(self, since: int = 0) -> list[list[tuple[int, int, bytes]]]:
        """The records of every DP deliver sent since frame ``since``: (DP id, type, value)."""
        decoder = FrameDecoder()
        frames = [f for data in self.sent[since:] for f in decoder.feed(data)]
        return [
            [(p.dp_id, int(p.type), bytes(_value(p.value))) for p in decode_dps(f.data)]
            for f in frames
            if f.command == 0x06
        ]


def _value(value: object) -> bytes:
    if isinstance(value, bool):
        return bytes([int(value)])
    assert isinstance(value, int)
    return bytes([value])


RigMaker = Callable[..., Awaitable[Rig]]


@pytest.fixture
async def make_rig() -> AsyncIterator[RigMaker]:
    """Connected rigs (``driver``: the model the session drives with, when it is not the
    product's own map); each session is closed, then each product."""
    rigs: list[Rig] = []
    served = contextlib.AsyncExitStack()

    async def make(*, driver: TuyaModel | None = None, connect: bool = True) -> Rig:
        clock = VirtualClock()
        chair = simulated_chair(MODEL, clock)
        assert isinstance(chair, TuyaChair)
        sent: list[bytes] = []
        receive = chair.receive

        def heard(data: bytes) -> None:
            sent.append(data)
            receive(data)

        chair.receive = heard  # type: ignore[method-assign]
        used = driver or MODEL
        links = await served.enter_async_context(links_to("memory", used, chair, clock))
        session = ChairSession(used, links, clock, adapter=TuyaAdapter(used))
        rig = Rig(session, chair, clock, sent)
        rigs.append(rig)
        if connect:
            await clock.run(session.connect())
        return rig

    try:
        yield make
        for rig in rigs:
            with contextlib.suppress(Exception):
                await rig.clock.run(rig.session.close())
    finally:
        await served.aclose()
        for rig in rigs:
            rig.chair.close()


async def test_power_on_is_on_and_the_neck_is_worked_at_the_strength_asked(
    make_rig: RigMaker,
) -> None:
    rig = await make_rig()
    mark = len(rig.sent)
    await rig.clock.run(rig.session.apply(NECK_KNEAD))
    delivers = rig.delivers(mark)
    # The first set is power on, as the product's firmware reads it: DP 105, bool, 00.
    assert delivers[0] == [(0x69, 0x01, b"\x00")]
    # One record per deliver: the product applies only the first of a write.
    assert all(len(records) == 1 for records in delivers)
    # The gear asked right after: intensity 2 is second_gear (index 1).
    assert delivers[1] == [(0x67, 0x04, b"\x01")]
    await rig.clock.advance(SCAN_S + 10)
    state = rig.chair.state()
    assert state.work_state is WorkState.RUNNING
    assert state.roller_technique is Technique.KNEAD
    assert state.region is Region.NECK
    assert state.depth == pytest.approx(2.0)
    status = rig.session.status
    assert status is not None
    assert (status.running, status.intensity) == (True, 2)


async def test_a_rest_switches_it_off_since_its_pattern_has_no_off(make_rig: RigMaker) -> None:
    rig = await make_rig()
    await rig.clock.run(rig.session.apply(NECK_KNEAD))
    await rig.clock.advance(SCAN_S + 5)
    mark = len(rig.sent)
    await rig.clock.run(rig.session.apply(REST))
    assert rig.delivers(mark) == [[(0x69, 0x01, b"\x01")]]
    await rig.clock.advance(MODEL.timing.settle_cap_s)
    assert rig.chair.state().work_state is WorkState.STANDBY
    assert rig.chair.state().roller_technique is None


async def test_stop_sends_switch_off_first_in_a_frame_of_its_own(make_rig: RigMaker) -> None:
    rig = await make_rig()
    await rig.clock.run(rig.session.apply(NECK_KNEAD))
    await rig.clock.advance(SCAN_S + 5)
    mark = len(rig.sent)
    await rig.clock.run(rig.session.stop())
    report = rig.session.last_stop
    assert report is not None
    assert report.safe
    delivers = rig.delivers(mark)
    assert delivers[0] == [(0x69, 0x01, b"\x01")]
    assert all(len(records) == 1 for records in delivers)
    assert rig.chair.values["switch"] is False


async def test_a_strength_left_high_comes_down_right_after_power_on(make_rig: RigMaker) -> None:
    rig = await make_rig(connect=False)
    # The product keeps its gear while off (app_dp_handle never resets it): someone left it at
    # max_gear.
    rig.chair.mcu.values["strength"] = "max_gear"
    await rig.clock.run(rig.session.connect())
    mark = len(rig.sent)
    gentle = Setpoint(technique=Technique.KNEAD, regions=(Region.NECK,), intensity=1)
    await rig.clock.run(rig.session.apply(gentle))
    delivers = rig.delivers(mark)
    assert delivers[:2] == [[(0x69, 0x01, b"\x00")], [(0x67, 0x04, b"\x00")]]
    # Before the pads press at all (the pattern waits for the scan), the gear is down.
    await rig.clock.advance(SCAN_S + 5)
    depths = [s.depth for s in rig.chair.trace.samples(0.05)]
    assert max(depths) == pytest.approx(1.0)


async def test_stop_sends_off_even_when_the_report_says_off(make_rig: RigMaker) -> None:
    # The demo's own power button reports 1 when it switches on (tuya_app_key.c line 274),
    # which this map reads as off: a report of off is no proof, so off is sent all the same.
    rig = await make_rig()
    mark = len(rig.sent)
    await rig.clock.run(rig.session.stop())
    assert rig.delivers(mark) == [[(0x69, 0x01, b"\x01")]]


async def test_a_wire_type_the_chair_contradicts_stops_before_anything_is_sent(
    make_rig: RigMaker,
) -> None:
    # The map as the old format would read DP 102: a bool heat. The product reports an enum.
    data = MODEL.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    data["datapoints"]["heat"] = {"id": 0x66}
    wrong = TuyaModel.model_validate(data)
    rig = await make_rig(driver=wrong, connect=False)
    with pytest.raises(ModelMismatch) as caught:
        await rig.clock.run(rig.session.connect())
    assert str(caught.value) == (
        "DP 102 (heat): the model file (tuya-neck-massager) says it is a bool DP, the chair "
        "reports an enum; nothing was sent to the chair"
    )
    assert rig.delivers() == []
    assert rig.chair.values["switch"] is False


async def test_a_type_that_changes_after_connecting_latches_and_nothing_more_is_sent(
    make_rig: RigMaker,
) -> None:
    rig = await make_rig()
    # The MCU now reports DP 102 as a bool (another product's firmware on the same line).
    rig.chair.send_frame(bytes.fromhex("55 aa 03 07 00 05 66 01 00 01 01 77"))
    await rig.clock.advance(0)
    mark = len(rig.sent)
    with pytest.raises(ChairFault, match=r"DP 102 \(heat\): .* says it is an enum DP, the chair"):
        await rig.clock.run(rig.session.apply(NECK_KNEAD))
    assert rig.delivers(mark) == []
    assert rig.chair.values["switch"] is False
