"""The driver's Tuya MCU codec: golden frames, data points, and the streaming frame decoder."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from chairctl.vocabulary import ProtocolError
from drivers.protocols.tuya import (
    HEADER,
    HEARTBEAT_INTERVAL_S,
    MAX_DATA_LENGTH,
    RESEND_COUNT,
    RESEND_INTERVAL_S,
    Command,
    DataPoint,
    DpType,
    Frame,
    FrameDecoder,
    decode_dps,
    decode_frame,
    dp_deliver,
    dp_query,
    encode_dps,
    encode_frame,
    heartbeat,
    parse_product_info,
    product_query,
)
from tests.conftest import UTF8_TEXT as TEXT
from tests.conftest import golden_frames

G = golden_frames("tuya-frames.txt")
SET_DP1_TRUE = DataPoint(1, DpType.BOOL, True)


# --- golden frames -------------------------------------------------------------------------


def test_the_golden_file_holds_four_frames() -> None:
    assert set(G) == {"module-heartbeat", "mcu-heartbeat-first", "mcu-heartbeat", "set-dp1-true"}


def test_heartbeat_is_golden() -> None:
    assert heartbeat() == G["module-heartbeat"] == bytes.fromhex("55AA00000000FF")


def test_set_dp_is_golden() -> None:
    assert dp_deliver([SET_DP1_TRUE]) == G["set-dp1-true"]
    assert encode_frame(Command.DP_DELIVER, encode_dps([SET_DP1_TRUE])) == G["set-dp1-true"]


def test_mcu_heartbeat_replies_are_golden() -> None:
    assert encode_frame(Command.HEARTBEAT, b"\x00", version=3) == G["mcu-heartbeat-first"]
    assert encode_frame(Command.HEARTBEAT, b"\x01", version=3) == G["mcu-heartbeat"]


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("module-heartbeat", Frame(0, Command.HEARTBEAT, b"")),
        ("mcu-heartbeat-first", Frame(3, Command.HEARTBEAT, b"\x00")),
        ("mcu-heartbeat", Frame(3, Command.HEARTBEAT, b"\x01")),
        ("set-dp1-true", Frame(0, Command.DP_DELIVER, b"\x01\x01\x00\x01\x01")),
    ],
)
def test_golden_frames_decode(key: str, expected: Frame) -> None:
    assert decode_frame(G[key]) == expected
    decoder = FrameDecoder()
    assert decoder.feed(G[key]) == [expected]
    assert (decoder.discarded, decoder.bad_checksums, decoder.pending) == (0, 0, 0)


def test_golden_set_dp_payload_decodes() -> None:
    assert decode_dps(decode_frame(G["set-dp1-true"]).data) == [SET_DP1_TRUE]


def test_query_encoders() -> None:
    assert product_query() == bytes.fromhex("55AA0001000000")
    assert dp_query() == bytes.fromhex("55AA0008000007")


def test_timing_constants() -> None:
    assert (HEARTBEAT_INTERVAL_S, RESEND_COUNT, RESEND_INTERVAL_S) == (15.0, 3, 1.0)


# --- frames --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("frame", "message"),
    [
        (b"\x55\xaa\x00\x00\x00", "at least 7 bytes"),
        (b"\x55\xab\x00\x00\x00\x00\x00", "starts with 55 AA"),
        (b"\x55\xaa\x00\x00\x00\x01\x00", "announces 1 data bytes"),
        (b"\x55\xaa\x00\x00\x00\x00\xfe", "bad checksum: frame says FE, bytes sum to FF"),
    ],
)
def test_decode_frame_rejects(frame: bytes, message: str) -> None:
    with pytest.raises(ProtocolError, match=message):
        decode_frame(frame)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"command": 256}, "command 256 is not a byte"),
        ({"command": 0, "version": -1}, "version -1 is not a byte"),
        ({"command": 6, "data": bytes(MAX_DATA_LENGTH + 1)}, "exceed the limit of 1024"),
    ],
)
def test_encode_frame_rejects(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ProtocolError, match=message):
        encode_frame(**kwargs)  # type: ignore[arg-type]


@given(
    command=st.integers(0, 255),
    version=st.integers(0, 255),
    data=st.binary(max_size=MAX_DATA_LENGTH),
)
def test_any_frame_round_trips(command: int, version: int, data: bytes) -> None:
    frame = encode_frame(command, data, version)
    assert len(frame) == 7 + len(data)
    assert sum(frame[:-1]) % 256 == frame[-1]
    assert decode_frame(frame) == Frame(version, command, data)
    if HEADER not in frame[1:]:
        # A frame holding a header of its own waits until that header is settled (a frame
        # never holds a frame): see the next test.
        assert FrameDecoder().feed(frame) == [Frame(version, command, data)]


def test_a_frame_holding_a_header_waits_until_it_is_settled() -> None:
    # A raw value 55 AA 00 07 00 09: a header announcing 9 data bytes, which could be the
    # next frame's (were this frame's length damaged); it is not settled until they are here.
    data = bytes.fromhex("55AA00070009")
    decoder = FrameDecoder()
    assert decoder.feed(encode_frame(Command.DP_REPORT, data, 3)) == []
    assert decoder.feed(heartbeat()) == []
    beat = Frame(0, Command.HEARTBEAT, b"")
    assert decoder.feed(heartbeat()) == [Frame(3, Command.DP_REPORT, data), beat, beat]
    assert (decoder.false_frames, decoder.discarded, decoder.pending) == (0, 0, 0)


# --- data points ---------------------------------------------------------------------------


@st.composite
def data_points(draw: st.DrawFn) -> DataPoint:
    """Any valid data point of any type."""
    dp_id = draw(st.integers(0, 255))
    kind = draw(st.sampled_from(DpType))
    if kind is DpType.BOOL:
        return DataPoint(dp_id, kind, draw(st.booleans()))
    if kind is DpType.INT:
        return DataPoint(dp_id, kind, draw(st.integers(-(2**31), 2**31 - 1)))
    if kind is DpType.STRING:
        return DataPoint(dp_id, kind, draw(st.text(TEXT, max_size=20)))
    if kind is DpType.ENUM:
        return DataPoint(dp_id, kind, draw(st.integers(0, 255)))
    if kind is DpType.BITMAP:
        width = draw(st.sampled_from((1, 2, 4)))
        return DataPoint(dp_id, kind, draw(st.integers(0, 256**width - 1)), width=width)
    return DataPoint(dp_id, kind, draw(st.binary(max_size=20)))


@pytest.mark.parametrize(
    ("point", "record"),
    [
        (DataPoint(2, DpType.RAW, b"\x01\x02\x03"), "02 00 0003 010203"),
        (DataPoint(2, DpType.RAW, b""), "02 00 0000"),
        (DataPoint(1, DpType.BOOL, False), "01 01 0001 00"),
        (DataPoint(3, DpType.INT, 500), "03 02 0004 000001F4"),
        (DataPoint(3, DpType.INT, -1), "03 02 0004 FFFFFFFF"),
        (DataPoint(3, DpType.INT, -(2**31)), "03 02 0004 80000000"),
        (DataPoint(4, DpType.STRING, "héllo"), "04 03 0006 68C3A96C6C6F"),
        (DataPoint(5, DpType.ENUM, 255), "05 04 0001 FF"),
        (DataPoint(6, DpType.BITMAP, 0x81), "06 05 0001 81"),
        (DataPoint(6, DpType.BITMAP, 0x0181), "06 05 0002 0181"),
        (DataPoint(6, DpType.BITMAP, 0x01, width=4), "06 05 0004 00000001"),
        (DataPoint(6, DpType.BITMAP, 0x10000), "06 05 0004 00010000"),
    ],
    ids=lambda value: value.type.name if isinstance(value, DataPoint) else "",
)
def test_every_type_encodes_and_decodes(point: DataPoint, record: str) -> None:
    assert encode_dps([point]) == bytes.fromhex(record)
    assert decode_dps(bytes.fromhex(record)) == [point]


@given(st.lists(data_points(), max_size=8))
def test_records_round_trip(points: list[DataPoint]) -> None:
    assert decode_dps(encode_dps(points)) == points
    frame = dp_deliver(points)
    assert decode_dps(decode_frame(frame).data) == points


def test_several_records_in_one_payload() -> None:
    data = bytes.fromhex("01010001 0102020004 0000003C03040001 020403000261 62")
    assert decode_dps(data) == [
        DataPoint(1, DpType.BOOL, True),
        DataPoint(2, DpType.INT, 60),
        DataPoint(3, DpType.ENUM, 2),
        DataPoint(4, DpType.STRING, "ab"),
    ]


def test_an_empty_payload_has_no_records() -> None:
    assert decode_dps(b"") == []


@pytest.mark.parametrize(
    ("record", "message"),
    [
        ("010100", "truncated DP record at offset 0: 3 byte"),
        ("01010001 01 0201", "truncated DP record at offset 5"),
        ("01010002 01", r"truncated DP 1 at offset 0: announces 2 value byte\(s\), 1 present"),
        ("01060001 01", "DP 1: unknown type 06"),
        ("01010001 02", "DP 1 \\(bool\\): value 02 is not 00 or 01"),
        ("01010002 0001", r"DP 1 \(bool\): value is 2 byte\(s\), not 1"),
        ("02020003 000001", r"DP 2 \(int\): value is 3 byte\(s\), not 4"),
        ("02020005 0000000001", r"DP 2 \(int\): value is 5 byte\(s\), not 4"),
        ("03040000", r"DP 3 \(enum\): value is 0 byte\(s\), not 1"),
        ("04050003 000000", r"DP 4 \(bitmap\): value is 3 bytes, not 1, 2 or 4"),
        ("04050000", r"DP 4 \(bitmap\): value is 0 bytes"),
        ("05030002 C328", r"DP 5 \(string\): value is not UTF-8"),
    ],
)
def test_malformed_records_are_rejected(record: str, message: str) -> None:
    with pytest.raises(ProtocolError, match=message):
        decode_dps(bytes.fromhex(record))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((256, DpType.BOOL, True), "DP id 256 is not a byte"),
        ((1, 9, True), "DP 1: unknown type 9"),
        ((1, DpType.BOOL, 1), "DP 1 \\(bool\\): value 1 is not a bool"),
        ((1, DpType.INT, True), "value True is not an int"),
        ((1, DpType.INT, 2**31), "outside signed 32 bits"),
        ((1, DpType.INT, "5"), "value '5' is not an int"),
        ((1, DpType.ENUM, 256), "256 is outside 0..255"),
        ((1, DpType.ENUM, -1), "-1 is outside 0..255"),
        ((1, DpType.BITMAP, -1), "does not fit in 4 bytes"),
        ((1, DpType.BITMAP, 2**32), "does not fit in 4 bytes"),
        ((1, DpType.STRING, b"x"), "is not a str"),
        ((1, DpType.RAW, "x"), "is not bytes"),
        ((1, DpType.RAW, bytes(0x10000)), "does not fit a 16-bit length"),
    ],
)
def test_invalid_data_points_are_rejected(args: tuple[object, ...], message: str) -> None:
    with pytest.raises(ProtocolError, match=message):
        DataPoint(*args)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"value": 256, "width": 1}, "256 does not fit in 1 byte"),
        ({"value": 0x10000, "width": 2}, "65536 does not fit in 2 byte"),
        ({"value": 1, "width": 3}, "width 3 is not 1, 2 or 4"),
    ],
)
def test_bitmap_must_fit_its_width(kwargs: dict[str, int], message: str) -> None:
    with pytest.raises(ProtocolError, match=message):
        DataPoint(1, DpType.BITMAP, **kwargs)


def test_only_a_bitmap_has_a_width() -> None:
    with pytest.raises(ProtocolError, match="only a bitmap has a width"):
        DataPoint(1, DpType.ENUM, 1, width=1)


def test_a_plain_int_type_is_normalised() -> None:
    assert DataPoint(1, 1, True) == SET_DP1_TRUE  # type: ignore[arg-type]


# --- product info --------------------------------------------------------------------------


def test_product_info_parses() -> None:
    data = b'{"p":"abcdefgh12345678","v":"1.0.0","m":0}'
    assert parse_product_info(data) == {"p": "abcdefgh12345678", "v": "1.0.0", "m": 0}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'{"p":"abc"', "product info is not JSON"),
        (b"\xff\xfe", "product info is not JSON"),
        (b"[1, 2]", "JSON but not an object"),
    ],
)
def test_bad_product_info_is_rejected(data: bytes, message: str) -> None:
    with pytest.raises(ProtocolError, match=message):
        parse_product_info(data)


# --- the stream decoder --------------------------------------------------------------------

#: Bytes that can never form a header: no 55 anywhere.
garbage = st.binary(max_size=40).map(lambda b: b.replace(b"\x55", b""))


@st.composite
def frames(draw: st.DrawFn, *, quiet: bool = False) -> tuple[bytes, Frame]:
    """A valid frame and what it decodes to, holding no header past its own (such a frame
    waits for that header to be settled: see test_a_frame_holding_a_header_waits_until_it_is_settled).
    ``quiet``: no 55 at all past the header, so a damaged copy of it cannot hide a false
    header either."""
    byte = st.integers(0, 255).filter(lambda b: b != 0x55) if quiet else st.integers(0, 255)
    data = draw(garbage if quiet else st.binary(max_size=64))
    version, command = draw(byte), draw(byte)
    raw = encode_frame(command, data, version)
    assume(HEADER not in raw[2:])
    return raw, Frame(version, command, data)


def split(stream: bytes, points: list[int]) -> list[bytes]:
    cuts = [0, *sorted(set(points)), len(stream)]
    return [stream[a:b] for a, b in itertools.pairwise(cuts)]


def accounted(decoder: FrameDecoder, fed: int, delivered: list[Frame]) -> bool:
    """Every byte fed is in a frame, discarded, or pending."""
    in_frames = sum(7 + len(frame.data) for frame in delivered)
    return in_frames + decoder.discarded + decoder.pending == fed


@given(st.lists(frames(), min_size=1, max_size=5), st.data())
def test_any_chunking_gives_the_same_frames(
    items: list[tuple[bytes, Frame]], data: st.DataObject
) -> None:
    stream = b"".join(raw for raw, _ in items)
    points = data.draw(st.lists(st.integers(0, len(stream)), max_size=12))
    decoder = FrameDecoder()
    got = [frame for piece in split(stream, points) for frame in decoder.feed(piece)]
    assert got == [frame for _, frame in items]
    assert (decoder.frames, decoder.discarded, decoder.pending) == (len(items), 0, 0)


@given(st.lists(st.tuples(garbage, frames()), min_size=1, max_size=5), garbage, st.data())
def test_garbage_before_and_between_frames_is_skipped(
    items: list[tuple[bytes, tuple[bytes, Frame]]], tail: bytes, data: st.DataObject
) -> None:
    stream = b"".join(noise + raw for noise, (raw, _) in items) + tail
    points = data.draw(st.lists(st.integers(0, len(stream)), max_size=8))
    decoder = FrameDecoder()
    got = [frame for piece in split(stream, points) for frame in decoder.feed(piece)]
    assert got == [frame for _, (_, frame) in items]
    assert decoder.discarded == sum(len(noise) for noise, _ in items) + len(tail)
    assert decoder.bad_checksums == 0
    assert accounted(decoder, len(stream), got)


@given(st.lists(frames(quiet=True), min_size=2, max_size=5), st.data())
def test_a_damaged_checksum_drops_only_that_frame(
    items: list[tuple[bytes, Frame]], data: st.DataObject
) -> None:
    victim = data.draw(st.integers(0, len(items) - 1))
    raws = [raw for raw, _ in items]
    # The damaged sum must not become a 55 either: a quiet frame has none past its header, and
    # a 55 at the very end of the stream is rightly kept as the possible start of a frame.
    error = data.draw(st.integers(1, 255).filter(lambda e: (raws[victim][-1] + e) % 256 != 0x55))
    damaged = raws[victim][:-1] + bytes(((raws[victim][-1] + error) % 256,))
    raws[victim] = damaged
    stream = b"".join(raws)
    points = data.draw(st.lists(st.integers(0, len(stream)), max_size=8))
    decoder = FrameDecoder()
    got = [frame for piece in split(stream, points) for frame in decoder.feed(piece)]
    assert got == [frame for index, (_, frame) in enumerate(items) if index != victim]
    assert decoder.bad_checksums == 1
    assert decoder.discarded == len(damaged)
    assert accounted(decoder, len(stream), got)


def test_a_false_header_inside_garbage_does_not_hide_the_next_frame() -> None:
    # "55 AA 00 07 00 02" announces 2 data bytes; the candidate swallows the start of the
    # heartbeat, fails its checksum, and the decoder resumes right after the false 55.
    decoder = FrameDecoder()
    got = decoder.feed(bytes.fromhex("55AA00070002") + heartbeat() + heartbeat())
    assert got == [Frame(0, Command.HEARTBEAT, b"")] * 2
    # The good heartbeat inside its span gives the false candidate away before its sum does.
    assert (decoder.false_frames, decoder.bad_checksums, decoder.discarded) == (1, 0, 6)


def test_an_absurd_length_is_not_waited_for() -> None:
    decoder = FrameDecoder()
    over = (MAX_DATA_LENGTH + 1).to_bytes(2, "big")
    assert decoder.feed(b"\x55\xaa\x00\x07" + over + heartbeat()) == [
        Frame(0, Command.HEARTBEAT, b"")
    ]
    assert (decoder.discarded, decoder.bad_checksums, decoder.pending) == (6, 0, 0)


def test_a_header_split_across_reads_is_kept() -> None:
    decoder = FrameDecoder()
    assert decoder.feed(b"\x01\x02\x55") == []
    assert (decoder.discarded, decoder.pending) == (2, 1)
    assert decoder.feed(heartbeat()[1:]) == [Frame(0, 0, b"")]


def test_reset_drops_a_partial_frame() -> None:
    decoder = FrameDecoder()
    assert decoder.feed(G["set-dp1-true"][:8]) == []
    decoder.reset()
    assert (decoder.pending, decoder.discarded) == (0, 8)
    assert decoder.feed(G["set-dp1-true"]) == [decode_frame(G["set-dp1-true"])]


@given(st.binary(max_size=300), st.data())
def test_any_bytes_never_raise_and_are_accounted_for(stream: bytes, data: st.DataObject) -> None:
    points = data.draw(st.lists(st.integers(0, len(stream)), max_size=8))
    decoder = FrameDecoder()
    got = [frame for piece in split(stream, points) for frame in decoder.feed(piece)]
    assert accounted(decoder, len(stream), got)
    assert decoder.pending <= 7 + MAX_DATA_LENGTH
    for frame in got:
        assert decode_frame(encode_frame(frame.command, frame.data, frame.version)) == frame


# --- a checksum one too low ----------------------------------------------------------------

#: Frames a Tuya dimmer's MCU sent with a checksum one below the sum of their bytes
#: (esphome/feature-requests#352: "Checksum doesn't match: 0x02!=0x01" for the heartbeat reply
#: 55 AA 01 00 00 01 01, "0x16!=0x15" for a report of DP 3, "0x10!=0x0F" for DP 1 true).
ONE_LOW = golden_frames("tuya-one-low-frames.txt")


def test_the_one_low_frames_are_what_the_log_shows() -> None:
    for frame in ONE_LOW.values():
        assert (sum(frame[:-1]) - frame[-1]) & 0xFF == 1
    assert ONE_LOW["one-low-dp1"][:-1] == bytes.fromhex("55 AA 01 07 00 05 01 01 00 01 01")


@pytest.mark.parametrize("key", ["one-low-heartbeat", "one-low-dp3", "one-low-dp1"])
def test_a_checksum_one_too_low_is_refused_and_named(key: str) -> None:
    with pytest.raises(ProtocolError) as caught:
        decode_frame(ONE_LOW[key])
    message = str(caught.value)
    assert "one too low" in message
    assert "esphome/feature-requests#352" in message
    # Any other bad sum is just a bad sum.
    other = ONE_LOW[key][:-1] + bytes([(ONE_LOW[key][-1] - 1) & 0xFF])
    with pytest.raises(ProtocolError) as caught:
        decode_frame(other)
    assert "one too low" not in str(caught.value)


def test_the_stream_refuses_one_low_frames_and_counts_them() -> None:
    decoder = FrameDecoder()
    stream = b"".join(ONE_LOW.values()) + G["mcu-heartbeat"]
    frames = [frame for at in range(len(stream)) for frame in decoder.feed(stream[at : at + 1])]
    # Not one of them taken, and the good frame after them is.
    assert frames == [decode_frame(G["mcu-heartbeat"])]
    assert decoder.one_low_checksums == 3
    assert decoder.bad_checksums >= 3
