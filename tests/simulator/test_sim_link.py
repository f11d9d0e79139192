"""The chair's link: one controller at a time, frame periods per form, the queue API."""

from __future__ import annotations

import itertools

import pytest

from chairctl.clock import VirtualClock
from chairctl.vocabulary import LinkError
from drivers.models.rongtai import RongtaiModel
from simulator.families import simulated_chair
from simulator.rongtai.chair import RongtaiChair
from simulator.rongtai.frames import Form, Layout, StatusImage, key_frame


async def test_one_controller_at_a_time(chair: RongtaiChair, clock: VirtualClock) -> None:
    first = chair.connect(lambda _: None)
    with pytest.raises(LinkError, match="one at a time"):
        chair.connect(lambda _: None)
    first.close()
    assert first.close_reason == "the controller hung up"
    second = chair.connect(lambda _: None)
    assert chair.connected
    second.close()
    assert not chair.connected


@pytest.mark.parametrize(("form", "layout"), [("ble", Layout.BLE), ("wired", Layout.WIRED)])
async def test_frame_period_and_length_follow_the_form(
    model: RongtaiModel, clock: VirtualClock, form: Form, layout: Layout
) -> None:
    chair = simulated_chair(model, clock, transport=form)
    stamped: list[tuple[float, bytes]] = []
    chair.connect(lambda data: stamped.append((clock.now(), data)))
    await clock.advance(10.0)
    period = model.protocol.status_forms[form].period_ms / 1000
    assert period == {"ble": 0.2, "wired": 0.05}[form]
    assert len(stamped) == round(10.0 / period)
    gaps = {round(b[0] - a[0], 9) for a, b in itertools.pairwise(stamped)}
    assert gaps == {period}
    assert {len(data) for _, data in stamped} == {layout.length}
    for _, data in stamped:
        StatusImage.parse(data)


async def test_no_frames_without_a_controller(chair: RongtaiChair, clock: VirtualClock) -> None:
    got: list[bytes] = []
    link = chair.connect(got.append)
    await clock.advance(1.0)
    link.close()
    await clock.advance(5.0)
    assert len(got) == 5
    assert chair.frames_sent == 5


async def test_reconnecting_keeps_the_frame_grid(chair: RongtaiChair, clock: VirtualClock) -> None:
    chair.connect(lambda _: None).close()
    await clock.advance(0.33)
    stamps: list[float] = []
    chair.connect(lambda _: stamps.append(clock.now()))
    await clock.advance(0.5)
    assert stamps == pytest.approx([0.4, 0.6, 0.8])


async def test_frames_can_be_read_from_a_queue(
    chair: RongtaiChair, clock: VirtualClock, model: RongtaiModel
) -> None:
    link = chair.connect()
    link.write(key_frame(0x83, model.keys.power))
    await clock.advance(0.2)
    frame = await link.read()
    assert StatusImage.parse(frame).work_state == 1
    chair.close()
    await link.wait_closed()
    with pytest.raises(LinkError, match="shut down"):
        await link.read()
    # And it keeps saying so to every later reader.
    with pytest.raises(LinkError, match="shut down"):
        await link.read()


async def test_read_needs_the_queue(chair: RongtaiChair) -> None:
    link = chair.connect(lambda _: None)
    with pytest.raises(LinkError, match="callback"):
        await link.read()


def test_a_missing_form_is_a_clear_error(model: RongtaiModel, clock: VirtualClock) -> None:
    from simulator.errors import SimulatorError

    forms = {"ble": model.protocol.status_forms["ble"]}
    ble_only = model.model_copy(
        update={"protocol": model.protocol.model_copy(update={"status_forms": forms})}
    )
    with pytest.raises(SimulatorError, match="no 'wired' status form"):
        simulated_chair(ble_only, clock, transport="wired")


async def test_key_listeners_hear_each_whole_key_before_the_firmware_acts(
    chair: RongtaiChair, model: RongtaiModel, clock: VirtualClock
) -> None:
    heard: list[tuple[int, str]] = []
    chair.listen_keys(lambda key: heard.append((key, chair.board.phase.name)))
    link = chair.connect(lambda _: None)
    frame = key_frame(model.protocol.device_byte, model.keys.power)
    link.write(frame[:2])
    assert heard == []  # half a frame is no key yet
    link.write(frame[2:])
    # Heard while still in standby: the listener runs before POWER starts the body scan.
    assert heard == [(model.keys.power, "STANDBY")]
    assert chair.board.phase.name == "SCANNING"
    link.close()
