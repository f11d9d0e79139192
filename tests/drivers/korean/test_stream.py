"""The Korean chair's stream decoder: resynchronising on ``~`` and ``\\r``, bounded lines,
dropped garbage, and a status trusted only when its steady fields repeat.

The frames are the captures of ``sebastianrcnt/massage-chair-hack``'s ``reverse.md``
(``tests/data/korean-ascii-frames.txt``) as its bridge cuts them (``bridge_core.py``'s
``FrameBuffer``: ``~`` starts a frame, ``\\r`` ends it)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from drivers.protocols.korean import (
    MAX_PAYLOAD_DIGITS,
    Ack,
    AckFrame,
    Frame,
    FrameDecoder,
    LongStatus,
    ShortStatus,
    UnknownFrame,
    classify,
)
from tests.drivers.korean.kframes import CAPTURES, edited, short, wire

A = CAPTURES["timer-28-a"]
B = CAPTURES["timer-27-a"]
S = short()
BEEP = b"~1103\r"


def payloads(frames: list[Frame]) -> list[bytes | Ack]:
    """What was delivered, as payloads (statuses, unknown frames) and acknowledgements."""
    out: list[bytes | Ack] = []
    for frame in frames:
        out.append(frame.ack if isinstance(frame, AckFrame) else frame.payload)
    return out


def fed(data: bytes, decoder: FrameDecoder | None = None) -> list[bytes | Ack]:
    return payloads((decoder or FrameDecoder()).feed(data))


# -- the repeat rule -------------------------------------------------------------------------


def test_a_status_is_delivered_at_its_second_copy_and_every_copy_after() -> None:
    decoder = FrameDecoder()
    assert decoder.feed(wire(A)) == []
    assert payloads(decoder.feed(wire(A))) == [A]
    assert payloads(decoder.feed(wire(A))) == [A]
    assert (decoder.frames, decoder.unconfirmed) == (3, 1)


def test_a_changed_status_waits_for_its_own_repeat() -> None:
    assert fed(wire(A) * 2 + wire(B) + wire(B)) == [A, B]


def test_a_damaged_copy_is_never_delivered_and_costs_one_more_copy() -> None:
    # One digit of A changed: "timer 28" becomes a plausible "timer 23" (7F -> 4F in the ones).
    damaged = wire(A).replace(b"D7", b"D4")
    assert classify(bytes.fromhex(damaged[1:-1].decode())) != classify(A)
    assert fed(wire(A) + damaged + wire(A) + wire(A)) == [A]


def test_frames_that_differ_only_in_lamps_repeat_each_other() -> None:
    # timer-28-a and timer-28-b differ in B0 and B8 only: roller lamps, which blink. The chair
    # sends about two frames a second and its lamps blink in 0.5 s phases, so while anything
    # blinks no two frames in a row match whole.
    assert CAPTURES["timer-28-b"] != A
    assert fed(wire(A) + wire(CAPTURES["timer-28-b"])) == [CAPTURES["timer-28-b"]]
    # The same for the short frame's auto-program indicators, and for bits no source maps.
    assert fed(wire(S) + wire(short(b1=0x08))) == [short(b1=0x08)]
    unmapped = edited(A, set_=((0, 7), (7, 3), (5, 7)))
    assert fed(wire(A) + wire(unmapped)) == [unmapped]


@pytest.mark.parametrize(
    ("bit", "field"),
    [
        ((8, 1), "heater"),
        ((3, 4), "air"),
        ((4, 5), "air strength"),
        ((5, 2), "speed"),
        ((6, 7), "foot roller"),
        ((6, 4), "motion active"),
        ((6, 0), "width"),
        ((1, 0), "timer tens"),
        ((2, 4), "timer ones"),
    ],
)
def test_a_steady_field_that_differs_is_not_a_repeat(bit: tuple[int, int], field: str) -> None:
    other = bytearray(A)
    other[bit[0]] ^= 1 << bit[1]
    assert fed(wire(A) + wire(bytes(other))) == [], field


def test_a_short_statuses_steady_fields_must_repeat() -> None:
    assert fed(wire(short(b3=0x20)) + wire(short(b3=0x00))) == []
    assert fed(wire(short(b4=0x09)) + wire(short(b4=0x0B))) == []


def test_long_and_short_statuses_repeat_each_its_own_kind() -> None:
    # The chair sends both; a short between two longs does not break the long's repeat.
    assert fed(wire(A) + wire(S) + wire(A) + wire(S)) == [A, S]


def test_an_acknowledgement_comes_at_once_and_does_not_break_a_repeat() -> None:
    assert fed(wire(A) + BEEP + wire(A)) == [Ack.BEEP, A]


@pytest.mark.parametrize(
    "between",
    [
        b"~23 5B\r",  # not hex
        wire(A).lower(),  # lower case: the same digits, not as the chair writes them
        b"~123\r",  # an odd number of digits
        b"~" + b"0" * (MAX_PAYLOAD_DIGITS + 1) + b"\r",  # too long
        b"~235BF0",  # cut by the next "~"
        wire(bytes(8)),  # well formed, but no known kind: may have been the state changing
    ],
    ids=["not-hex", "lower-case", "odd", "overlong", "cut", "unknown"],
)
def test_a_line_that_cannot_be_read_breaks_the_repeat(between: bytes) -> None:
    delivered = fed(wire(A) + between + wire(A) + wire(A))
    assert [d for d in delivered if d == A] == [A]


def test_an_unknown_frame_is_delivered_as_unknown() -> None:
    decoder = FrameDecoder()
    assert decoder.feed(wire(b"\x03\x15\x13")) == [UnknownFrame(b"\x03\x15\x13")]


def test_reset_forgets_the_status_awaiting_its_repeat_and_the_half_line() -> None:
    decoder = FrameDecoder()
    decoder.feed(wire(A) + b"~235B")
    decoder.reset()
    assert decoder.pending == 0
    assert decoder.feed(wire(A)) == []
    assert payloads(decoder.feed(wire(A))) == [A]


# -- framing -----------------------------------------------------------------------------------


def test_picked_up_mid_frame_it_resynchronises_at_the_next_tilde() -> None:
    decoder = FrameDecoder()
    tail = wire(A)[7:]  # the end of a frame whose "~" was missed
    assert payloads(decoder.feed(tail + wire(A) * 2)) == [A]
    assert decoder.discarded_bytes == len(tail)
    assert decoder.broken == 0


def test_a_lost_carriage_return_loses_that_frame_only() -> None:
    decoder = FrameDecoder()
    lost = wire(A)[:-1]
    assert payloads(decoder.feed(lost + wire(B) * 2)) == [B]
    assert decoder.broken == 1
    assert decoder.discarded_bytes == len(lost)


def test_noise_between_frames_is_counted_and_dropped() -> None:
    decoder = FrameDecoder()
    assert payloads(decoder.feed(wire(A) + b"\x00\xff\r\r\n" + wire(A))) == [A]
    assert decoder.discarded_bytes == 5


def test_an_overlong_line_is_dropped_with_everything_up_to_the_next_tilde() -> None:
    decoder = FrameDecoder()
    flood = b"~" + b"A" * 1000 + b"\r" + b"0303\r"
    assert payloads(decoder.feed(flood + wire(A) * 2)) == [A]
    assert decoder.broken == 1
    assert decoder.discarded_bytes == len(flood)


def test_the_longest_payload_read_is_read() -> None:
    longest = bytes(MAX_PAYLOAD_DIGITS // 2)
    assert fed(wire(longest)) == [longest]


def test_a_line_never_grows_past_the_longest_payload() -> None:
    decoder = FrameDecoder()
    for _ in range(100):
        decoder.feed(b"~" + b"5" * 50)
        assert decoder.pending <= 1 + MAX_PAYLOAD_DIGITS


def test_a_frame_split_anywhere_reads_the_same() -> None:
    stream = wire(A) * 2 + BEEP + wire(S) * 2
    whole = fed(stream)
    for cut in range(len(stream)):
        decoder = FrameDecoder()
        assert payloads(decoder.feed(stream[:cut]) + decoder.feed(stream[cut:])) == whole


# -- any bytes ---------------------------------------------------------------------------------


@given(st.binary(max_size=600), st.lists(st.integers(1, 64), max_size=30))
def test_any_bytes_in_any_pieces_never_raise_and_every_byte_is_accounted_for(
    data: bytes, pieces: list[int]
) -> None:
    decoder = FrameDecoder()
    start = 0
    for size in [*pieces, len(data)]:
        for frame in decoder.feed(data[start : start + size]):
            assert isinstance(frame, LongStatus | ShortStatus | AckFrame | UnknownFrame)
        start += size
        assert decoder.pending <= 1 + MAX_PAYLOAD_DIGITS
    assert decoder.line_bytes + decoder.discarded_bytes + decoder.pending == len(data)


_wire_like = st.lists(
    st.sampled_from([b"~", b"\r", b"0", b"3", b"A", b"F", b"g", b"\n", b" ", b"\x00"]),
    max_size=200,
).map(b"".join)


@given(_wire_like)
def test_wire_like_noise_never_raises(data: bytes) -> None:
    decoder = FrameDecoder()
    decoder.feed(data)
    assert decoder.line_bytes + decoder.discarded_bytes + decoder.pending == len(data)


@given(st.one_of(st.binary(max_size=200), _wire_like), st.sampled_from(sorted(CAPTURES)))
def test_after_any_noise_a_status_sent_twice_is_delivered(noise: bytes, key: str) -> None:
    frame = CAPTURES[key]
    assert fed(noise + wire(frame) * 2)[-1] == frame
