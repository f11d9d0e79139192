"""The simulated Korean chair's display over virtual time: what moves blinks at about 1 Hz
(``spec/chair.yml``: the manual technique, the roller position, the air zones, the backrest and
leg rest), what rests does not, and the steady bits stay steady."""

from __future__ import annotations

import itertools

from drivers.models.korean import KoreanModel
from simulator.korean.chair import KoreanChair
from tests.simulator.korean_chair.koreanhelpers import Remote, power_on


async def test_the_running_technique_and_roller_position_blink_every_other_status(
    remote: Remote, korean_chair: KoreanChair, korean: KoreanModel
) -> None:
    await power_on(remote, korean)
    await remote.tap(korean.keys.manual)
    since = remote.clock.now()
    await remote.wait(10.0)
    longs = remote.longs(since)
    period = korean.protocol.status_period_ms / 1000
    assert [b - a for (a, _), (b, _) in itertools.pairwise(longs)] == [period] * (len(longs) - 1)
    seen = remote.seen(since)
    # Half a blink period per status: low, high, low, high... the technique's bit (1, kneading)
    # and the bit of the position the rollers are at, together.
    low = [s.techniques_low for s in seen]
    assert set(low) == {frozenset(), frozenset({1})}
    assert all(a != b for a, b in itertools.pairwise(low))
    for s in seen:
        assert len(s.positions_low) == (1 if s.techniques_low else 0)
        assert (s.timer, s.speed, s.width) == (seen[0].timer, 3, "medium")
    # The position that blinks is where the carriage is, and it changes as the rollers sweep.
    positions = {p for s in seen for p in s.positions_low}
    assert len(positions) > 1


async def test_nothing_blinks_while_paused_and_the_blinking_comes_back_on_resume(
    remote: Remote, korean: KoreanModel
) -> None:
    await power_on(remote, korean)
    await remote.tap(korean.keys.manual)
    await remote.tap(korean.keys.pause)
    since = remote.clock.now()
    await remote.wait(5.0)
    assert all(not s.techniques_low and not s.positions_low for s in remote.seen(since))
    await remote.tap(korean.keys.pause)
    since = remote.clock.now()
    await remote.wait(2.0)
    assert any(s.techniques_low == {1} for s in remote.seen(since))


async def test_a_moving_backrest_blinks_its_direction_and_holds_the_moving_bit_steady(
    remote: Remote, korean_chair: KoreanChair, korean: KoreanModel
) -> None:
    await power_on(remote, korean)
    remote.send(korean.keys.back_recline.press)
    since = remote.clock.now()
    await remote.wait(4.0)
    moving = remote.seen(since)
    assert all(s.moving for s in moving)
    directions = [s.motions_high for s in moving]
    assert frozenset({"back_recline"}) in directions
    assert frozenset() in directions
    assert all(d <= {"back_recline"} for d in directions)
    remote.send(korean.keys.back_recline.release)
    await remote.wait(0.1)
    since = remote.clock.now()
    await remote.wait(3.0)
    assert all(not s.moving and not s.motions_high for s in remote.seen(since))
    # Raising the leg rest blinks its own bit.
    remote.send(korean.keys.leg_raise.press)
    since = remote.clock.now()
    await remote.wait(2.0)
    assert {d for s in remote.seen(since) for d in s.motions_high} == {"leg_raise"}
    remote.send(korean.keys.leg_raise.release)


async def test_an_air_zone_blinks_while_its_airbag_is_driven(
    remote: Remote, korean_chair: KoreanChair, korean: KoreanModel
) -> None:
    await power_on(remote, korean)
    for _ in range(3):
        await remote.tap(korean.keys.air_mode)  # the third mode: calves and feet
    since = remote.clock.now()
    await remote.wait(20.0)
    names = {"calves": "calf", "feet": "foot", "shoulders": "shoulder", "arms": "wrist"}
    for (t, _), seen in zip(remote.longs(since), remote.seen(since), strict=True):
        driven = {names[z] for z in korean_chair.trace.airbags.at(t).inflating_zones(t)}
        assert seen.air
        # Every other status (the blinking half) shows exactly the zones whose valves are
        # driven; the others show none.
        assert seen.zones_high == (driven if korean_chair.board.flash(t) else set())
    assert {z for s in remote.seen(since) for z in s.zones_high} == {"calf", "foot"}
