"""The adapter's decoder: the codec's stream decoder and blink reader on a clock, one status per
trusted long status, the beeps and short statuses counted, and nothing before the first long
status is known."""

from __future__ import annotations

from pathlib import Path

from chairctl.clock import VirtualClock
from drivers.adapters.korean import KoreanStatusDecoder, OffWatch, view_of
from drivers.protocols.korean.detail import detail_of

FRAMES = Path(__file__).parents[2] / "data" / "korean-ascii-frames.txt"
#: A short status showing manual mode in the full area (B3 b5 clear, B4 b2:b1 = 10).
SHORT_MANUAL_FULL = "~0000000004\r"


def _captured() -> list[tuple[str, int]]:
    """(wire frame, the minutes its timer showed) of every captured long status."""
    frames = []
    for line in FRAMES.read_text(encoding="utf-8").splitlines():
        text, _, note = line.partition("#")
        if text.strip():
            minutes = int(note.split(":")[1].split("min")[0])
            frames.append((f"~{text.replace(' ', '')}\r", minutes))
    return frames


def test_each_captured_frame_read_twice_is_one_status_with_its_timer() -> None:
    for frame, minutes in _captured():
        decoder = KoreanStatusDecoder(VirtualClock())
        # Each capture sent twice: trusted at its repeat, not before.
        assert decoder.feed(frame.encode()) == []
        got = decoder.feed(frame.encode())
        assert len(got) == 1
        detail = detail_of(got[0])
        assert detail is not None
        assert detail.timer_minutes == minutes
        assert got[0].remaining_s == minutes * 60


def test_nothing_is_said_before_a_long_status_and_a_short_one_says_nothing_alone() -> None:
    decoder = KoreanStatusDecoder(VirtualClock())
    assert decoder.feed((SHORT_MANUAL_FULL * 3).encode()) == []
    frame, _minutes = _captured()[0]
    statuses = decoder.feed((frame * 2).encode())
    assert len(statuses) == 1
    view = view_of(statuses[0])
    assert (view.manual, view.shorts) == (True, 2)
    # One status per long status: the short one joins the next.
    assert decoder.feed((SHORT_MANUAL_FULL * 2).encode()) == []


def test_beeps_are_counted_and_carried_by_the_next_status() -> None:
    decoder = KoreanStatusDecoder(VirtualClock())
    frame, _minutes = _captured()[0]
    decoder.feed(frame.encode())
    assert decoder.feed(b"~1103\r~1104\r~1103\r") == []
    view = view_of(decoder.feed(frame.encode())[0])
    assert (view.beeps, view.double_beeps) == (2, 1)
    decoder.reset()  # a reconnect: the counts stay, so a change is always news
    after = view_of(decoder.feed((frame * 2).encode())[0])
    assert (after.beeps, after.double_beeps) == (2, 1)


def test_a_dark_display_while_working_reads_as_a_fault_at_once() -> None:
    watch = OffWatch()
    decoder = KoreanStatusDecoder(VirtualClock(), watch.judge)
    frame, _minutes = _captured()[0]
    decoder.feed((frame * 2).encode())
    watch.armed = True
    # The same frame with both timer digits dark (B1 = 00, B2 high nibble and B3 low nibble 0).
    payload = bytearray(bytes.fromhex(frame[1:-1]))
    payload[1], payload[2], payload[3] = 0, payload[2] & 0x0F, payload[3] & 0xF0
    dark = f"~{payload.hex().upper()}\r".encode()

    statuses = decoder.feed(dark * 2)

    assert statuses[-1].work_state.value == "fault"
    # The latching is quick; the display still reads lit over the window, so no release
    # would call the chair off yet.
    assert view_of(statuses[-1]).lit
