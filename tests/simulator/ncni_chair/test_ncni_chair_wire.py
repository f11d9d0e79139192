"""The simulated NCNI chair's side of the wire: when keys are heard, the model's own key codes,
half-received presses, and the status frames cross-checked with the driver's decoder."""

from __future__ import annotations

import pytest

from chairctl.clock import VirtualClock
from drivers.models.ncni import NcniKeys, NcniModel
from drivers.protocols.ncni import Key, hold_ticks, parse_status, press_ticks
from simulator.ncni.chair import NcniChair
from tests.simulator.ncni_chair.ncnihelpers import TICK, Panel, power_on, read_frame


async def test_a_press_is_heard_at_its_release_and_a_hold_at_its_start(
    panel: Panel, ncni_chair: NcniChair, ncni: NcniModel
) -> None:
    heard: list[tuple[float, int]] = []
    ncni_chair.listen_keys(lambda code: heard.append((panel.clock.now(), code)))
    start = panel.clock.now()
    await panel.press(ncni.keys.power)
    await panel.hold(ncni.keys.backrest_down, 30)
    assert [code for _, code in heard] == [ncni.keys.power, ncni.keys.backrest_down]
    assert [t - start for t, _ in heard] == pytest.approx([3 * TICK, 6 * TICK])


async def test_the_driver_codec_ticks_act_as_the_panel_does(
    panel: Panel, ncni_chair: NcniChair, ncni: NcniModel
) -> None:
    async def send(ticks: bytes) -> None:
        for tick in ticks:
            await panel.ticks(tick, 1)

    await send(press_ticks(Key.POWER))
    await panel.wait(ncni.mechanics.body_scan_s)
    await send(press_ticks(Key.BACK_WAIST))
    await send(hold_ticks(Key.BACKREST_DOWN, 80))
    assert panel.seen.mode == "back_waist"
    assert ncni_chair.state().backrest == pytest.approx(8.0 / ncni.mechanics.backrest_travel_s)


async def test_a_press_cut_off_by_silence_is_not_acted_on(
    panel: Panel, ncni_chair: NcniChair, ncni: NcniModel
) -> None:
    await panel.ticks(ncni.keys.power, 3)
    await panel.wait(1.0)
    await panel.ticks(0x00, 3)
    assert not panel.seen.powered
    assert ncni_chair.line.stats.cut_off == 1


async def test_a_burst_of_ticks_is_taken_as_it_arrives(
    panel: Panel, ncni_chair: NcniChair, ncni: NcniModel
) -> None:
    panel.link.write(press_ticks(Key.POWER) + press_ticks(Key.HEAT))
    await panel.wait(TICK)
    assert panel.seen.powered
    assert panel.seen.heat


async def test_key_codes_come_from_the_model(ncni: NcniModel, clock: VirtualClock) -> None:
    keys = ncni.keys.model_dump()
    # The known panel's power and back & waist codes swapped, and the hold keys moved.
    keys.update(power=0x17, back_waist=0x01, backrest_down=0x30, backrest_up=0x31)
    model = NcniModel.model_validate({**ncni.model_dump(), "keys": NcniKeys(**keys).model_dump()})
    chair = NcniChair(model, clock)
    panel = Panel(chair, clock)
    await power_on(panel, model)
    assert panel.seen.powered
    assert panel.seen.mode == "auto"
    await panel.press(0x01)
    assert panel.seen.mode == "back_waist"
    await panel.hold(0x30, 20)
    assert chair.state().backrest == pytest.approx(2.0 / model.mechanics.backrest_travel_s)
    await panel.press(0x06)  # the known panel's backrest down: unknown to this chair
    assert chair.line.stats.unknown == 1
    chair.close()


async def test_status_frames_read_the_same_on_the_driver_side(
    panel: Panel, ncni_chair: NcniChair, ncni: NcniModel
) -> None:
    keys = ncni.keys
    await power_on(panel, ncni)
    steps = [
        keys.back_waist,
        keys.pressure_up,
        keys.shoulders_arms,
        keys.heat,
        keys.foot_speed,
        keys.neck,
        keys.auto,
        keys.auto,
        keys.auto,
        keys.auto,
        keys.pause,
        keys.power,
    ]
    for key in steps:
        await panel.press(key)
        frame = panel.frames[-1][1]
        ours, theirs = read_frame(frame), parse_status(frame)
        assert theirs.powered == ours.powered
        assert theirs.running == ours.running
        assert theirs.pressure == ours.intensity
        assert theirs.roller_speed == ours.speed
        assert theirs.foot_speed == ours.foot_speed
        assert theirs.airbags == ours.airbags
        assert theirs.heat == ours.heat
        if ours.mode in ("auto", "none"):
            assert (theirs.mode, theirs.manual) == (ours.mode, frozenset())
        else:
            assert (theirs.mode, theirs.manual) == ("manual", frozenset(ours.mode.split("+")))
        assert theirs.auto_profile == ours.profile
    assert not parse_status(panel.frames[-1][1]).powered
