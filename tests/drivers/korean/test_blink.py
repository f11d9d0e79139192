"""Reading the Korean chair's blinking lamps over virtual time.

The source (``sebastianrcnt/massage-chair-hack``, ``spec/chair.yml``) has these lamps blink
"about once per second", "about every 0.5 s" per phase. Here frames come every 0.1 s unless a
test says otherwise, and a blinking lamp changes phase every 0.5 s. Times are given to the
reader explicitly, or taken from a VirtualClock: nothing waits on the wall clock."""

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
    Steady,
    parse_long,
    parse_short,
)
from drivers.protocols.korean.status import LampGroup
from tests.drivers.korean.kframes import AT_REST, CAPTURES, edited, short, wire

STEP = 0.1
#: The rolling-with-tapping lamp (B4[b2], rests at 1) in its dark phase.
ROLLING_TAPPING_DARK = edited(AT_REST, clear=((4, 2),))


def _long(payload: bytes) -> LongStatus:
    status = parse_long(payload)
    assert status is not None
    return status


def run(reader: BlinkReader, frames: list[bytes], start: float = 0.0) -> Steady:
    """Feed ``frames`` (long or short payloads) one per :data:`STEP` from ``start``; the last
    reading."""
    steady = None
    for i, payload in enumerate(frames):
        status = parse_long(payload) or parse_short(payload)
        assert status is not None
        steady = reader.feed(status, start + i * STEP)
    assert steady is not None
    return steady


def blinking(seconds: float, on: bytes, off: bytes = AT_REST) -> list[bytes]:
    """Frames of a lamp blinking for ``seconds``: 0.5 s at rest, then 0.5 s away, and so on."""
    count = round(seconds / STEP)
    return [on if (i // 5) % 2 else off for i in range(count)]


def steady_for(seconds: float, frame: bytes = AT_REST) -> list[bytes]:
    return [frame] * round(seconds / STEP)


def test_a_blinking_lamp_reads_active_from_its_first_phase_away() -> None:
    reader = BlinkReader()
    frames = blinking(0.6, ROLLING_TAPPING_DARK)  # 5 frames at rest, then the dark phase
    assert run(reader, frames[:5]).group("technique")["rolling_tapping"] is Reading.UNKNOWN
    steady = run(reader, frames[5:], start=0.5)
    assert steady.group("technique")["rolling_tapping"] is Reading.ACTIVE
    assert steady.technique == "rolling_tapping"


def test_in_the_first_window_a_lamp_at_rest_cannot_be_told_from_one_in_its_rest_phase() -> None:
    reader = BlinkReader()
    steady = run(reader, steady_for(BLINK_WINDOW_S))  # frames at 0.0 .. 1.9
    assert steady.group("technique") == dict.fromkeys(
        (
            "kneading",
            "kneading_tapping",
            "rolling",
            "rolling_tapping",
            "slow_tapping",
            "combination",
        ),
        Reading.UNKNOWN,
    )
    assert steady.technique is None
    # One more frame and the frames span the whole window: nothing blinked.
    steady = run(reader, [AT_REST], start=BLINK_WINDOW_S)
    assert set(steady.readings.values()) - {Reading.IDLE} == {
        Reading.UNKNOWN  # the short frame's auto lamps: no short frame came
    }
    assert set(steady.group("technique").values()) == {Reading.IDLE}


def test_a_lamp_that_stops_blinking_reads_active_for_a_window_then_idle() -> None:
    reader = BlinkReader()
    frames = blinking(3.0, ROLLING_TAPPING_DARK)  # its last dark frame at 2.9
    run(reader, frames)
    t = 3.0
    last_dark = 2.9
    while t < last_dark + BLINK_WINDOW_S - 1e-6:
        assert run(reader, [AT_REST], start=t).technique == "rolling_tapping"
        t += STEP
    assert run(reader, [AT_REST], start=t).group("technique")["rolling_tapping"] is Reading.IDLE


def test_the_captures_in_a_row_show_the_rolling_tapping_technique() -> None:
    # reverse.md's captures alternate B4 0B/0F: the rolling-with-tapping lamp blinking.
    reader = BlinkReader()
    steady = run(reader, [CAPTURES["timer-28-a"], CAPTURES["timer-28-b"]] * 12)
    assert steady.technique == "rolling_tapping"
    assert steady.timer_minutes == 28


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
    reader = BlinkReader()
    steady = run(reader, blinking(3.0, frame))
    assert steady.active(group) == {name}


def test_several_air_zones_blink_at_once() -> None:
    both = edited(AT_REST, set_=((7, 0), (7, 5)))
    steady = run(BlinkReader(), blinking(3.0, both))
    assert steady.active("air_zone") == {"shoulder", "calf"}
    assert steady.group("air_zone")["wrist"] is Reading.IDLE


def test_a_gap_in_the_frames_makes_a_lamp_at_rest_unknown_again() -> None:
    reader = BlinkReader()
    run(reader, steady_for(3.0))
    # Silence just over the gap bound: a whole rest or away phase could have passed unseen.
    after = 2.9 + MAX_GAP_S + 0.05
    steady = run(reader, [AT_REST], start=after)
    assert steady.group("technique")["rolling_tapping"] is Reading.UNKNOWN
    steady = run(reader, steady_for(BLINK_WINDOW_S + STEP), start=after)
    assert steady.group("technique")["rolling_tapping"] is Reading.IDLE


def test_frames_too_far_apart_never_read_idle() -> None:
    reader = BlinkReader()
    for i in range(20):
        steady = reader.feed(_long(AT_REST), i * 0.5)  # one frame per phase: could alias
    assert steady.group("technique")["rolling_tapping"] is Reading.UNKNOWN


def test_a_reading_later_than_the_last_frame_is_not_fresh() -> None:
    reader = BlinkReader()
    run(reader, steady_for(3.0))
    assert reader.read(2.9).fresh
    stale = reader.read(2.9 + MAX_GAP_S + 0.1)
    assert not stale.fresh
    assert stale.group("technique")["rolling_tapping"] is Reading.UNKNOWN


def test_the_timer_keeps_its_last_digits_for_a_window() -> None:
    reader = BlinkReader()
    run(reader, steady_for(1.0, CAPTURES["timer-15"]))
    blank = edited(CAPTURES["timer-15"], clear=tuple((1, b) for b in range(8)))
    assert run(reader, steady_for(1.5, blank), start=1.0).timer_minutes == 15
    assert run(reader, steady_for(0.6, blank), start=2.5).timer_minutes is None


def test_digestion_is_read_only_once_no_indicator_has_blinked_for_a_window() -> None:
    reader = BlinkReader()
    auto_none = short()
    steady = run(reader, [auto_none] * 20)
    assert steady.auto_program is None  # the first window: a dark phase of some indicator?
    steady = run(reader, [auto_none], start=2.0)
    assert steady.auto_program == DIGESTION


def test_a_blinking_indicator_in_its_dark_phase_is_never_digestion() -> None:
    classic = short(b1=0x08)  # A5, B1[b3]
    reader = BlinkReader()
    for i, payload in enumerate(blinking(6.0, classic, off=short())):
        status = parse_short(payload)
        assert status is not None
        assert reader.feed(status, i * STEP).auto_program in (None, "classic")
    assert reader.read(5.9).auto_program == "classic"


def test_no_auto_program_in_manual_mode() -> None:
    steady = run(BlinkReader(), [short(b3=0x00)] * 30)
    assert steady.auto_program is None


def test_a_clock_that_goes_back_starts_the_reading_afresh() -> None:
    reader = BlinkReader()
    run(reader, blinking(3.0, ROLLING_TAPPING_DARK))
    steady = reader.feed(_long(AT_REST), 1.0)
    assert steady.technique is None
    assert steady.group("technique")["rolling_tapping"] is Reading.UNKNOWN


def test_acknowledgements_change_no_reading() -> None:
    reader = BlinkReader()
    before = run(reader, steady_for(3.0))
    (beep,) = FrameDecoder().feed(b"~1103\r")
    after = reader.feed(beep, 2.9)
    assert after.readings == before.readings


async def test_a_chair_sending_on_a_virtual_clock_through_the_stream_decoder() -> None:
    # The adapter's path: bytes through the FrameDecoder (each state trusted at its second
    # copy), each trusted frame fed with the clock's time.
    clock = VirtualClock()
    decoder, reader = FrameDecoder(), BlinkReader()
    seen: list[Steady] = []

    async def chair() -> None:
        for payload in blinking(4.0, ROLLING_TAPPING_DARK):
            for frame in decoder.feed(wire(payload) + wire(short())):
                seen.append(reader.feed(frame, clock.now()))
            await clock.sleep(STEP)

    await clock.run(chair())
    assert clock.now() == pytest.approx(4.0)
    last = seen[-1]
    assert last.technique == "rolling_tapping"
    assert last.active("roller") == set()
    assert last.group("roller")["1"] is Reading.IDLE
    assert last.auto_program == DIGESTION
