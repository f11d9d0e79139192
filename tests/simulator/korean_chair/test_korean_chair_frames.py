"""The simulated Korean chair's frames pinned to the source's real ones
(``sebastianrcnt/massage-chair-hack``): the twelve long status frames captured in ``reverse.md``
(also in its ``tests/test_chair_decode.py``, ``docs/decoding.md``; kept in
``tests/data/korean-ascii-frames.txt``, which the codec's tests read too), the short status's area
values of ``docs/decoding.md``, the indicator bits and acknowledgements of ``spec/chair.yml``."""

from __future__ import annotations

import pytest

from chairctl.vocabulary import MassageRange, Width
from drivers.models.korean import KoreanModel
from simulator.korean.chair import KoreanChair
from simulator.korean.frames import LongStatus, ShortStatus, ack_frame
from tests.conftest import golden_frames
from tests.simulator.korean_chair.koreanhelpers import Remote, power_on, read_long

#: The captures both sides are pinned to (``tests/data/korean-ascii-frames.txt``, from
#: ``reverse.md``): each one's key, the minutes the remote showed, and the roller position
#: whose lamp is low in it. Every one shows the air on at strength 1, speed 3, medium width, the
#: foot roller on, the heater off and nothing moving on the backrest or leg rest (the source's
#: map). Those whose B4 reads 0B have technique 4's lamp (B4 b2) low and one roller-position
#: lamp low with it; those reading 0F (position None) have every lamp at rest.
SHOWN: dict[str, tuple[int, int | None]] = {
    "timer-28-a": (28, 1),
    "timer-05": (5, None),
    "timer-10": (10, 5),
    "timer-15": (15, 1),
    "timer-20": (20, 5),
    "timer-19-a": (19, 4),
    "timer-19-b": (19, None),
    "timer-23-a": (23, 1),
    "timer-23-b": (23, None),
    "timer-28-b": (28, 5),
    "timer-27-a": (27, None),
    "timer-27-b": (27, 3),
}
CAPTURES = golden_frames("korean-ascii-frames.txt")
CAPTURED: list[tuple[int, bytes, int | None]] = [
    (minutes, CAPTURES[key], position) for key, (minutes, position) in SHOWN.items()
]


def test_every_capture_is_accounted_for() -> None:
    assert set(CAPTURES) == set(SHOWN)


@pytest.mark.parametrize(("minutes", "captured", "position"), CAPTURED)
def test_the_long_status_is_written_as_the_captured_frames(
    minutes: int, captured: bytes, position: int | None
) -> None:
    image = LongStatus(
        timer=minutes,
        air=True,
        air_strength=1,
        speed=2,
        width=Width.MEDIUM,
        foot_roller=True,
        technique=4,
        position=position,
        flash=position is not None,
    )
    assert image.encode() == captured
    assert image.frame() == b"~" + captured.hex().upper().encode() + b"\r"


@pytest.mark.parametrize(
    ("area", "b4"),
    [(MassageRange.POINT, 0x09), (MassageRange.PARTIAL, 0x0B), (MassageRange.FULL, 0x0D)],
)
def test_the_short_status_shows_the_area_as_the_source_observed(
    area: MassageRange, b4: int
) -> None:
    # docs/decoding.md, short status B4: 09 point, 0B local, 0D full.
    assert ShortStatus(area=area).encode()[4] == b4


@pytest.mark.parametrize(
    ("display", "byte", "bit"),
    [(1, 1, 7), (2, 0, 0), (3, 0, 1), (4, 0, 2), (5, 1, 3)],
)
def test_the_short_status_shows_the_auto_program_by_its_indicator_bit(
    display: int, byte: int, bit: int
) -> None:
    # spec/chair.yml short.auto_mode_indicator: A1 B1 b7, A2 B0 b0, A3 B0 b1, A4 B0 b2, A5 B1 b3.
    payload = ShortStatus(program=display).encode()
    lit = [(i, k) for i in range(5) for k in range(8) if payload[i] >> k & 1]
    assert lit == sorted([(byte, bit), (3, 5), (4, 0), (4, 3), (4, 2)])


def test_digestion_and_manual_mode_set_no_indicator_and_manual_clears_b3_bit_5() -> None:
    # A6 (digestion) is all indicator bits clear with the manual bit set (not manual).
    assert ShortStatus(program=6).encode() == bytes.fromhex("000000200D")
    assert ShortStatus(manual=True).encode() == bytes.fromhex("000000000D")


def test_acknowledgements_are_four_digit_frames() -> None:
    assert [ack_frame(c) for c in (0x1103, 0x1104, 0x1100)] == [
        b"~1103\r",
        b"~1104\r",
        b"~1100\r",
    ]


def _at_rest(frame: bytes) -> bytes:
    """``frame`` with every roller-position bit at rest (1) and no air-zone bit: what is left
    does not depend on where the rollers and which airbag happened to be."""
    out = bytearray(frame)
    out[0] |= 0x07
    out[8] |= 0xE0
    out[7] &= ~0x63 & 0xFF
    return bytes(out)


async def test_the_chair_in_the_captured_state_sends_the_captured_frames(
    remote: Remote, korean_chair: KoreanChair, korean: KoreanModel
) -> None:
    keys = korean.keys
    await power_on(remote, korean)
    for _ in range(3):
        await remote.tap(keys.timer)  # 15 -> 20 -> 25 -> 30
    for _ in range(4):
        await remote.tap(keys.manual)  # manual mode, then techniques 2, 3, 4
    await remote.tap(keys.air_mode)
    await remote.tap(keys.foot_roller)
    start = remote.clock.now()
    await remote.wait(26 * 60)
    sent: dict[int, set[bytes]] = {}
    for _, frame in remote.longs(start):
        timer = read_long(frame).timer
        assert timer is not None
        sent.setdefault(timer, set()).add(frame)
    for minutes, frame, position in CAPTURED:
        if position is None:
            # At rest, nothing of the rollers' or the airbags' whereabouts shows: byte for byte.
            assert frame in sent[minutes], frame.hex(" ")
        else:
            assert _at_rest(frame) in {_at_rest(f) for f in sent[minutes] if f[4] == 0x0B}
