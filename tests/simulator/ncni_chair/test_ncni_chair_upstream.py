"""The simulated NCNI chair against the upstream project's state code and bench notes
(``Vijtus/NCNI_Massage_Chair_Control``): what power starts, the frames it sends for it, and the
second of blank mode bytes after a posture key."""

from __future__ import annotations

import pytest

from chairctl.vocabulary import AirbagZone, Region, WorkState
from drivers.models.ncni import NcniModel
from simulator.ncni.chair import NcniChair
from tests.simulator.ncni_chair.ncnihelpers import TICK, Panel, power_on

#: ``tests/test_closed_loop.py``'s ``frame()`` with its defaults, which its
#: ``test_power_on_default_matches_manual`` pairs with the chair after one power press: powered
#: (``[2] = 0x08``), auto (``04 02``), pressure 2 (``0C``), running (``0F``), foot speed 2,
#: ``[11] = b5``, ``[12] = b6``, the profile A tail ``0A 0B 0C 08``, airbag bits ``07``.
UPSTREAM_DEFAULT_A = bytes.fromhex(
    "aa55 08 0402 0c 0f 0c 000000 0c 0f 00000000 0a0b0c08 07 00 00 0000000000 00000000"
)


async def test_power_starts_auto_profile_a_and_sends_upstream_s_default_frame(
    panel: Panel, ncni_chair: NcniChair, ncni: NcniModel
) -> None:
    await panel.press(ncni.keys.power)
    on_at = panel.clock.now() - 3 * TICK
    # During the scan the frame already shows profile A, not yet running, and nothing works.
    scanning = bytearray(UPSTREAM_DEFAULT_A)
    scanning[6] = scanning[12] = 0x00
    assert panel.frames[-1][1] == bytes(scanning)
    await panel.wait(ncni.mechanics.body_scan_s - 1.0)
    before = panel.clock.now()
    assert all(a is None for _, _, a in ncni_chair.trace.activity.spans(on_at, before))
    assert all(
        p == 0.0 for s in ncni_chair.trace.samples(0.1, on_at, before) for p in s.airbags.values()
    )
    assert ncni_chair.state().foot_roller == 0
    await panel.wait(1.0)
    assert panel.frames[-1][1] == UPSTREAM_DEFAULT_A

    # What it does: pressure 2 over the neck and the back, the three airbag zones at the one
    # pressure, the foot rollers at speed 2, the 15-minute timer (upstream's default A).
    scan_end = next(t for t, s in ncni_chair.trace.work_state.changes() if s is WorkState.RUNNING)
    await panel.wait(60.0)
    now = panel.clock.now()
    regions = {
        r for (t, r) in ncni_chair.trace.roller_occupancy(scan_end + 10, now) if t is not None
    }
    assert Region.NECK in regions
    assert Region.LOWER_BACK in regions
    assert ncni_chair.state().depth == pytest.approx(2.0)
    peaks = {
        zone: max(s.airbags[zone] for s in ncni_chair.trace.samples(0.25, scan_end, now))
        for zone in AirbagZone
    }
    pressed = {zone for zone, p in peaks.items() if p > 0}
    assert pressed == {AirbagZone.SHOULDERS, AirbagZone.ARMS, AirbagZone.CALVES}
    assert max(peaks.values()) == pytest.approx(ncni.airbag_level)
    assert ncni_chair.state().foot_roller == 2
    assert not ncni_chair.state().heat_on
    on_at = next(t for t, s in ncni_chair.trace.work_state.changes() if s is WorkState.RESETTING)
    assert ncni_chair.board.session_end == pytest.approx(on_at + 15 * 60)


@pytest.mark.parametrize("posture", ["zero_gravity", "backrest_down"])
async def test_a_posture_key_blanks_the_mode_bytes_for_a_second_and_changes_nothing(
    panel: Panel, ncni_chair: NcniChair, ncni: NcniModel, posture: str
) -> None:
    await power_on(panel, ncni)
    before = panel.frames[-1][1]
    key = getattr(ncni.keys, posture)
    if posture == "zero_gravity":
        await panel.press(key)
    else:
        await panel.hold(key, 3)
    # Upstream's test_overlay_does_not_clear_state: [3], [4], [11], [12] read 0, the payload
    # stays non-zero, power and mode unchanged.
    blank = panel.frames[-1][1]
    assert [blank[i] for i in (3, 4, 11, 12)] == [0, 0, 0, 0]
    assert [blank[i] for i in (2, 5, 6, 7, 17, 18, 19, 20, 21)] == [
        before[i] for i in (2, 5, 6, 7, 17, 18, 19, 20, 21)
    ]
    await panel.wait(1.0)
    assert panel.frames[-1][1] == before
    assert panel.seen.mode == "auto"
