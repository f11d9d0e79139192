"""The streaming status decoder: resynchronisation, counters, and never raising on any input."""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

from hypothesis import given
from hypothesis import strategies as st

from chairctl.vocabulary import ChairStatus
from drivers.models.rongtai import RongtaiModel
from drivers.protocols.rongtai import (
    StatusDecoder,
    StatusFramer,
    checksum,
    decode_status,
)

if TYPE_CHECKING:
    from tests.captures import Capture


@st.composite
def decodable_fields(draw: st.DrawFn) -> bytes:
    """b1..b14 holding only values the protocol defines, everything else random."""
    b = [draw(st.integers(0, 0x7F)) for _ in range(14)]
    b[1] = b[1] & ~0b0011100 | draw(st.integers(0, 6)) << 2  # speed
    b[2] = b[2] & ~0b0000111 | draw(st.integers(0, 5))  # airbag level
    b[6] = b[6] & ~0b0001111 | draw(st.integers(0, 5))  # work state
    motions = [draw(st.integers(0, 2)) for _ in range(3)]
    b[9] = b[9] & 0b1000000 | motions[0] | motions[1] << 2 | motions[2] << 4
    b[13] = b[13] & ~0b0000111 | draw(st.integers(0, 5))  # 3D strength
    return bytes(b)


@st.composite
def good_frames(draw: st.DrawFn) -> bytes:
    """A decodable status frame of either form."""
    fields = draw(decodable_fields())
    if draw(st.booleans()):
        return b"\xf0" + fields + bytes((checksum(fields),)) + b"\xf1"
    tail = draw(st.binary(min_size=2, max_size=2)).translate(bytes(range(128)) * 2)
    return b"\xf0" + fields + tail + b"\xf1"


def sent(frame: bytes) -> bytes:
    """The bytes a chair sends for one state: an unchecked frame comes again 50 ms later, and
    the decoder trusts it only when the repeat agrees."""
    return frame if len(frame) == 17 else frame * 2


def runs(statuses: list[ChairStatus]) -> list[ChairStatus]:
    """The statuses with consecutive repeats collapsed."""
    return [s for i, s in enumerate(statuses) if i == 0 or statuses[i - 1] != s]


def chunks(data: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({0, len(data), *(c % (len(data) + 1) for c in cuts)})
    return [data[a:b] for a, b in itertools.pairwise(points)]


def test_the_captures_stream_through_cleanly(captures: list[Capture], model: RongtaiModel) -> None:
    decoder = StatusDecoder(model)
    good = [c for c in captures if c.decodes]
    stream = b"".join(c.frame for c in good)
    assert decoder.feed(stream) == [decode_status(c.frame, model) for c in good]
    assert (decoder.bad_checksum, decoder.discarded_bytes, decoder.rejected) == (0, 0, 0)
    assert decoder.framer.frames == len(good)


def test_a_bad_checksum_frame_is_dropped_and_counted(
    captures: list[Capture], model: RongtaiModel
) -> None:
    bad = bytearray(captures[0].frame)
    bad[-2] ^= 0x01
    decoder = StatusDecoder(model)
    out = decoder.feed(bytes(bad) + captures[1].frame)
    assert out == [decode_status(captures[1].frame, model)]
    assert decoder.bad_checksum == 1
    assert decoder.discarded_bytes == 17


def test_garbage_between_frames_is_counted(captures: list[Capture], model: RongtaiModel) -> None:
    decoder = StatusDecoder(model)
    out = decoder.feed(b"\x00\x12\xff" + captures[2].frame + b"\xf1\x7f")
    assert out == [decode_status(captures[2].frame, model)]
    assert decoder.discarded_bytes == 5
    assert decoder.bad_checksum == 0


def test_a_frame_cut_short_by_a_new_start_is_dropped(
    captures: list[Capture], model: RongtaiModel
) -> None:
    decoder = StatusDecoder(model)
    out = decoder.feed(captures[0].frame[:9] + captures[3].frame)
    assert out == [decode_status(captures[3].frame, model)]
    assert decoder.discarded_bytes == 9


def test_a_frame_with_an_undefined_value_is_rejected_with_a_reason(model: RongtaiModel) -> None:
    fields = bytearray(14)
    fields[6] = 9  # work state 9 does not exist
    frame = b"\xf0" + bytes(fields) + bytes((checksum(fields),)) + b"\xf1"
    decoder = StatusDecoder(model)
    assert decoder.feed(frame) == []
    assert decoder.rejected == 1
    assert decoder.last_error is not None
    assert "work state 9" in decoder.last_error


def test_the_buffer_never_holds_more_than_one_frame() -> None:
    framer = StatusFramer()
    framer.feed(b"\xf0" + b"\x01" * 16)
    assert framer.pending == 17  # an 18-byte frame still lacking its end marker
    framer.feed(b"\x01")  # no frame is this long: give it up
    assert (framer.pending, framer.discarded_bytes) == (0, 18)
    framer.feed(b"\xf0" + b"\x01" * 100)
    assert framer.pending < 18
    assert framer.discarded_bytes + framer.pending == 18 + 101


def test_a_byte_with_the_top_bit_breaks_the_frame() -> None:
    framer = StatusFramer()
    # Right length and markers, but payload bytes are 7-bit: this is not a frame.
    assert framer.feed(b"\xf0" + b"\x01" * 15 + b"\x85\x00\xf1") == []
    assert framer.discarded_bytes == 19


def test_reset_drops_a_partial_frame(captures: list[Capture]) -> None:
    framer = StatusFramer()
    frame = captures[0].frame
    framer.feed(frame[:10])
    framer.reset()
    # The rest of the old frame must not complete anything after a reconnect.
    assert framer.feed(frame[10:]) == []
    assert framer.feed(frame) == [frame]
    assert framer.discarded_bytes == len(frame)


@given(data=st.binary(max_size=400), cuts=st.lists(st.integers(0, 400), max_size=8))
def test_any_byte_stream_never_raises(data: bytes, cuts: list[int], model: RongtaiModel) -> None:
    decoder = StatusDecoder(model)
    statuses = [s for piece in chunks(data, cuts) for s in decoder.feed(piece)]
    assert all(isinstance(s, ChairStatus) for s in statuses)


@given(data=st.binary(max_size=400))
def test_every_byte_is_delivered_discarded_or_pending(data: bytes) -> None:
    framer = StatusFramer()
    frames = framer.feed(data)
    assert sum(map(len, frames)) + framer.discarded_bytes + framer.pending == len(data)
    assert framer.pending <= 17
    assert all(f[0] == 0xF0 and f[-1] == 0xF1 and len(f) in (17, 18) for f in frames)
    assert all(byte < 0x80 for f in frames for byte in f[1:-1])


@given(before=st.binary(max_size=60), frame=good_frames(), after=st.binary(max_size=60))
def test_garbage_then_a_good_frame_yields_that_frame(
    before: bytes, frame: bytes, after: bytes, model: RongtaiModel
) -> None:
    expected = decode_status(frame, model)
    decoder = StatusDecoder(model)
    assert decoder.feed(before + sent(frame))[-1] == expected
    decoder.feed(after)
    # The same bytes in one piece, trailing garbage included, still deliver it.
    assert expected in StatusDecoder(model).feed(before + sent(frame) + after)


@given(frame=good_frames(), cut=st.integers(0, 18))
def test_a_frame_split_anywhere_decodes(frame: bytes, cut: int, model: RongtaiModel) -> None:
    decoder = StatusDecoder(model)
    stream = sent(frame)
    first = decoder.feed(stream[:cut])
    second = decoder.feed(stream[cut:])
    assert first + second == [decode_status(frame, model)]
    assert decoder.discarded_bytes == 0


@given(frames=st.lists(good_frames(), max_size=6), cuts=st.lists(st.integers(0, 120)))
def test_frames_in_arbitrary_pieces_decode_in_order(
    frames: list[bytes], cuts: list[int], model: RongtaiModel
) -> None:
    decoder = StatusDecoder(model)
    stream = b"".join(sent(f) for f in frames)
    out = [s for piece in chunks(stream, cuts) for s in decoder.feed(piece)]
    # A state the chair keeps is reported again with every frame that confirms it: compare
    # the runs of states, in order.
    assert runs(out) == runs([decode_status(f, model) for f in frames])
    assert (decoder.bad_checksum, decoder.discarded_bytes, decoder.rejected) == (0, 0, 0)


@given(frame=good_frames(), wrong=st.integers(1, 0x7F))
def test_any_wrong_checksum_is_dropped_and_counted(
    frame: bytes, wrong: int, model: RongtaiModel
) -> None:
    if len(frame) != 17:
        frame = frame[:15] + bytes((checksum(frame[1:15]),)) + b"\xf1"
    bad = frame[:15] + bytes(((frame[15] + wrong) & 0x7F,)) + b"\xf1"
    decoder = StatusDecoder(model)
    assert decoder.feed(bad) == []
    assert decoder.bad_checksum == 1
    assert decoder.feed(frame) == [decode_status(frame, model)]


@given(
    fields=decodable_fields(),
    where=st.integers(1, 16),
    damage=st.integers(1, 0x7F),
)
def test_a_damaged_unchecked_frame_is_never_delivered(
    fields: bytes, where: int, damage: int, model: RongtaiModel
) -> None:
    # The wired form has no checksum: a damaged frame often still decodes. It must not be
    # acted on: only a frame the next one repeats is delivered.
    good = b"\xf0" + fields + b"\x00\x00\xf1"
    bad = bytearray(good)
    bad[where] = (bad[where] ^ damage) & 0x7F
    decoder = StatusDecoder(model)
    out = decoder.feed(good + good + bytes(bad) + good + good)
    truth = decode_status(good, model)
    assert out
    assert all(status == truth for status in out)
