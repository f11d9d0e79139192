"""Reading the Korean chair's blinking lamps over virtual time.

The source (``sebastianrcnt/massage-chair-hack``) has these lamps blink "about once per second",
"about every 0.5 s" per phase (``spec/chair.yml``), and the chair push its long status "~2x/sec"
(``ChairBLEManager.swift``). So here a frame comes every 0.5 s and a blinking lamp is in the
other phase in each, unless a test says otherwise. Times are given to the reader explicitly, or
taken from a VirtualClock: nothing waits on the wall clock."""

from __future__ import annotations

import pytest

from chairctl.clock import VirtualClock
from drivers.protocols.korean import (
    BLINK_WINDOW_S,
    DIGESTION,
    MAX_GAP_S,
    BlinkReader,
    FrameDecoder,
    LongStatus,
    Reading,
    ShortStatus,
    Steady,
    parse_long,
    parse_short,
)
from drivers.protocols.korean.status import LampGroup
from tests.drivers.korean.kframes import AT_REST, CAPTURES, edited, short, wire

STEP = 0.5
#: The rolling-with-tapping lamp (B4[b2], rests at 1) in its dark phase.
DARK = edited(AT_REST, clear=((4, 2),))
TECHNIQUES = (
    "kneading",
    "kneading_tapping",
    "rolling",
    "rolling_tapping",
    "slow_tapping",
    "combination",
)


def status(payload: bytes) -> LongStatus | ShortStatus:
    parsed = parse_long(payload) or parse_short(payload)
    assert parsed is not None
    return parsed


def run(reader: BlinkReader, frames: list[bytes], start: float = 0.0, step: float = STEP) -> Steady:
    """Feed ``frames`` one per ``step`` from ``start``; the last reading."""
    steady = None
    for i, payload in enumerate(frames):
        steady = reader.feed(status(payload), start + i * step)
    assert steady is not None
    return steady


def blinking(count: int, on: bytes, off: bytes = AT_REST) -> list[bytes]:
    """``count`` frames of a lamp blinking at the source's rate: at rest, away, at rest, ..."""
    return [on if i % 2 else off for i in range(count)]


def rolling_tapping(steady: Steady) -> Reading:
    return steady.group("technique")["rolling_tapping"]


def test_a_blinking_lamp_reads_active_at_its_second_frame_away() -> None:
    reader = BlinkReader()
    assert rolling_tapping(run(reader, [AT_REST, DARK])) is Reading.UNKNOWN  # once: not enough
    steady = run(reader, [AT_REST, DARK], start=1.0)
    assert rolling_tapping(steady) is Reading.ACTIVE
    assert steady.technique == "rolling_tapping"


def test_one_frame_away_from_rest_is_never_enough() -> None:
    # A damaged lamp bit in one frame (the stream decoder does not compare lamp bits).
    reader = BlinkReader()
    run(reader, [AT_REST] * 8)
    for i in range(20):
        payload = DARK if i == 3 else AT_REST
        assert rolling_tapping(reader.feed(status(payload), 4.0 + i * STEP)) is not Reading.ACTIVE


def test_in_the_first_window_a_lamp_at_rest_cannot_be_told_from_one_in_its_rest_phase() -> None:
    reader = BlinkReader()
    frames = round(BLINK_WINDOW_S / STEP)  # 0.0 .. 2.5
    steady = run(reader, [AT_REST] * frames)
    assert steady.group("technique") == dict.fromkeys(TECHNIQUES, Reading.UNKNOWN)
    assert steady.technique is None
    # One more frame, and frames cover the whole window: nothing blinked in it.
    steady = run(reader, [AT_REST], start=BLINK_WINDOW_S)
    assert steady.group("technique") == dict.fromkeys(TECHNIQUES, Reading.IDLE)
    assert set(steady.group("air_zone").values()) == {Reading.IDLE}
    # The short frame's auto lamps: no short frame has come.
    assert set(steady.group("auto").values()) == {Reading.UNKNOWN}


def test_a_lamp_that_stops_blinking_reads_active_then_unknown_then_idle() -> None:
    reader = BlinkReader()
    run(reader, blinking(12, DARK))  # away at 0.5, 1.5, ... 5.5
    readings = [rolling_tapping(run(reader, [AT_REST], start=6.0 + i * STEP)) for i in range(8)]
    # Away seen at 4.5 and 5.5: two within the window until 7.5, one until 8.5.
    assert readings == [Reading.ACTIVE] * 3 + [Reading.UNKNOWN] * 2 + [Reading.IDLE] * 3


def test_the_captures_in_a_row_show_the_rolling_tapping_technique() -> None:
    # reverse.md's captures alternate B4 0B/0F: the rolling-with-tapping lamp blinking.
    steady = run(BlinkReader(), [CAPTURES["timer-28-a"], CAPTURES["timer-23-b"]] * 3)
    assert steady.technique == "rolling_tapping"
    assert steady.timer_minutes == 23


@pytest.mark.parametrize(
    ("frame", "group", "name"),
    [
        (edited(AT_REST, set_=((7, 0),)), "air_zone", "shoulder"),
        (edited(AT_REST, set_=((7, 6),)), "air_zone", "foot"),
        (edited(AT_REST, set_=((6, 3), (6, 4))), "motion", "back_recline"),
        (edited(AT_REST, clear=((8, 5),)), "roller", "6"),
    ],
)
def test_each_group_reads_its_blinking_lamp(frame: bytes, group: LampGroup, name: str) -> None:
    steady = run(BlinkReader(), blinking(12, frame))
    assert steady.active(group) == {name}


def test_several_air_zones_blink_at_once() -> None:
    both = edited(AT_REST, set_=((7, 0), (7, 5)))
    steady = run(BlinkReader(), blinking(12, both))
    assert steady.active("air_zone") == {"shoulder", "calf"}
    assert steady.group("air_zone")["wrist"] is Reading.IDLE


def test_a_faster_chair_reads_the_same() -> None:
    # Frames every 0.1 s, phases of 0.5 s.
    frames = [DARK if (i // 5) % 2 else AT_REST for i in range(60)]
    steady = run(BlinkReader(), frames, step=0.1)
    assert steady.technique == "rolling_tapping"
    assert steady.group("technique")["kneading"] is Reading.IDLE


def test_a_gap_in_the_frames_makes_a_lamp_at_rest_unknown_again() -> None:
    reader = BlinkReader()
    run(reader, [AT_REST] * 12)  # to 5.5
    after = 5.5 + MAX_GAP_S + 0.25  # a whole blink period could have passed unseen
    assert rolling_tapping(run(reader, [AT_REST], start=after)) is Reading.UNKNOWN
    steady = run(reader, [AT_REST] * 8, start=after)
    assert rolling_tapping(steady) is Reading.IDLE


def test_one_frame_missing_keeps_the_reading() -> None:
    # The repeat rule holds back the first frame of every new steady state: a 1 s gap.
    reader = BlinkReader()
    run(reader, [AT_REST] * 12)  # to 5.5
    assert rolling_tapping(run(reader, [AT_REST], start=6.5)) is Reading.IDLE


def test_frames_too_sparse_to_catch_a_phase_never_read_idle() -> None:
    # One frame a second could land in the rest phase of a 1 Hz blink every time.
    steady = run(BlinkReader(), [AT_REST] * 20, step=1.0)
    assert rolling_tapping(steady) is Reading.UNKNOWN


def test_a_reading_later_than_the_last_frame_is_not_fresh() -> None:
    reader = BlinkReader()
    run(reader, [AT_REST] * 12)
    assert reader.read(5.5).fresh
    stale = reader.read(5.5 + MAX_GAP_S + 0.1)
    assert not stale.fresh
    assert rolling_tapping(stale) is Reading.UNKNOWN


def test_the_timer_keeps_its_last_digits_for_a_window() -> None:
    reader = BlinkReader()
    run(reader, [CAPTURES["timer-15"]] * 4)  # to 1.5
    blank = edited(CAPTURES["timer-15"], clear=tuple((1, b) for b in range(8)))
    assert run(reader, [blank] * 5, start=2.0).timer_minutes == 15  # to 4.0
    assert run(reader, [blank] * 2, start=4.5).timer_minutes is None  # 1.5 + 3 s


def test_digestion_is_read_only_once_no_indicator_has_blinked_for_a_window() -> None:
    reader = BlinkReader()
    assert run(reader, [short()] * 6).auto_program is None  # the first window, to 2.5
    assert run(reader, [short()], start=3.0).auto_program == DIGESTION


def test_a_blinking_indicator_in_its_dark_phase_is_never_digestion() -> None:
    classic = short(b1=0x08)  # A5, B1[b3]
    reader = BlinkReader()
    for i, payload in enumerate(blinking(20, classic, off=short())):
        assert reader.feed(status(payload), i * STEP).auto_program in (None, "classic")
    assert reader.read(9.5).auto_program == "classic"


def test_no_auto_program_in_manual_mode() -> None:
    assert run(BlinkReader(), [short(b3=0x00)] * 10).auto_program is None


def test_a_clock_that_goes_back_starts_the_reading_afresh() -> None:
    reader = BlinkReader()
    run(reader, blinking(12, DARK))
    steady = reader.feed(status(AT_REST), 1.0)
    assert steady.technique is None
    assert rolling_tapping(steady) is Reading.UNKNOWN


def test_acknowledgements_change_no_reading() -> None:
    reader = BlinkReader()
    before = run(reader, [AT_REST] * 12)
    (beep,) = FrameDecoder().feed(b"~1103\r")
    assert reader.feed(beep, 5.5).readings == before.readings


async def test_a_chair_sending_on_a_virtual_clock_through_the_stream_decoder() -> None:
    # The adapter's path: bytes through the FrameDecoder, each trusted frame fed with the
    # clock's time. The timer ticks from 28 to 27 on the way: its first frame is held back.
    clock = VirtualClock()
    decoder, reader = FrameDecoder(), BlinkReader()
    seen: list[Steady] = []
    frames = [CAPTURES["timer-28-a"], CAPTURES["timer-28-b"]] * 4
    frames += [CAPTURES["timer-27-a"], CAPTURES["timer-27-b"]] * 4

    async def chair() -> None:
        for payload in frames:
            for frame in decoder.feed(wire(payload) + wire(short())):
                seen.append(reader.feed(frame, clock.now()))
            await clock.sleep(STEP)

    await clock.run(chair())
    assert clock.now() == pytest.approx(8.0)
    last = seen[-1]
    assert last.technique == "rolling_tapping"
    assert last.timer_minutes == 27
    assert last.auto_program == DIGESTION
    assert decoder.unconfirmed == 3  # the first long, the first 27, the first short
