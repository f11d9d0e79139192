"""The NCNI codec on the driver's side: panel ticks, status frames, and the streaming decoder."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chairctl.vocabulary import AirbagZone, ProtocolError, WorkState
from drivers.protocols.ncni import (
    FRAME_LENGTH,
    HOLD_KEYS,
    MAX_HOLD_TICKS,
    TICK_S,
    Key,
    NcniStatus,
    StatusDecoder,
    code_press_ticks,
    hold_ticks,
    parse_status,
    press_ticks,
    to_chair_status,
)

# -- keys ------------------------------------------------------------------------------------

KEY_TABLE = {
    0x01: Key.POWER,
    0x02: Key.FOOT_SPEED,
    0x03: Key.HEAT,
    0x04: Key.FULL_BODY,
    0x05: Key.AUTO,
    0x06: Key.BACKREST_DOWN,
    0x07: Key.TIME,
    0x08: Key.ZERO_GRAVITY,
    0x09: Key.BACKREST_UP,
    0x0B: Key.PAUSE,
    0x0D: Key.FOOT_MASSAGE,
    0x0E: Key.BUTTOCKS,
    0x0F: Key.PRESSURE_DOWN,
    0x10: Key.PRESSURE_UP,
    0x11: Key.LEGS,
    0x12: Key.FOREARMS,
    0x13: Key.SHOULDERS_ARMS,
    0x14: Key.SPEED_DOWN,
    0x15: Key.SPEED_UP,
    0x16: Key.FORWARD_BACK_1,
    0x17: Key.BACK_WAIST,
    0x18: Key.FORWARD_BACK_2,
    0x19: Key.NECK,
}


def test_the_key_codes_are_the_reference_table() -> None:
    assert {int(k): k for k in Key} == KEY_TABLE
    assert {Key.BACKREST_DOWN, Key.BACKREST_UP} == HOLD_KEYS
    assert TICK_S == 0.1


@pytest.mark.parametrize("key", list(Key), ids=lambda k: k.name)
def test_a_press_is_three_ticks_of_the_key_then_three_of_nothing(key: Key) -> None:
    assert press_ticks(key) == bytes([key, key, key, 0, 0, 0])


def test_a_press_of_power() -> None:
    assert press_ticks(Key.POWER) == bytes.fromhex("010101000000")


@pytest.mark.parametrize("code", [0x00, 0x0A, 0x0C, 0x1A, 0xFF])
def test_a_code_that_is_not_a_key_is_refused(code: int) -> None:
    with pytest.raises(ProtocolError, match="not an NCNI key"):
        press_ticks(code)  # type: ignore[arg-type]


@given(st.sampled_from(sorted(HOLD_KEYS)), st.integers(1, MAX_HOLD_TICKS))
def test_a_hold_is_the_key_on_every_tick_then_three_of_nothing(key: Key, ticks: int) -> None:
    assert hold_ticks(key, ticks) == bytes([key]) * ticks + b"\x00\x00\x00"


def test_the_longest_hold_is_eight_seconds() -> None:
    assert len(hold_ticks(Key.BACKREST_UP, 80)) == 83
    with pytest.raises(ProtocolError, match=r"1\.\.80 ticks"):
        hold_ticks(Key.BACKREST_UP, 81)


@pytest.mark.parametrize("ticks", [0, -1, 81, 1000])
def test_a_hold_outside_1_to_80_ticks_is_refused(ticks: int) -> None:
    with pytest.raises(ProtocolError):
        hold_ticks(Key.BACKREST_DOWN, ticks)


@pytest.mark.parametrize("key", sorted(set(Key) - HOLD_KEYS), ids=lambda k: k.name)
def test_only_backrest_keys_can_be_held(key: Key) -> None:
    with pytest.raises(ProtocolError, match="not a hold key"):
        hold_ticks(key, 5)


# -- status frames ---------------------------------------------------------------------------


def frame(fields: dict[int, int] | None = None) -> bytes:
    """A status frame built from the reference's field table: ``{index: byte}``."""
    out = bytearray(FRAME_LENGTH)
    out[0:2] = b"\xaa\x55"
    for index, value in (fields or {}).items():
        assert 2 <= index <= 28
        out[index] = value
    return bytes(out)


AUTO_B = frame({3: 0x04, 4: 0x02, 6: 0x0F, 17: 0x04, 18: 0x0D, 19: 0x06, 20: 0x00})
MANUAL_NECK = frame({4: 0x0E, 5: 0x0C, 6: 0x0F, 21: 0x01, 23: 0x0C, 11: 0x05})


def test_an_all_zero_frame_is_a_chair_that_is_off() -> None:
    assert parse_status(frame()) == NcniStatus(
        powered=False,
        running=False,
        mode="idle",
        manual_region=None,
        intensity=None,
        foot_speed=None,
        auto_profile=None,
        airbags=frozenset(),
        heat=False,
        last_level=0,
    )


@pytest.mark.parametrize("index", range(2, 29))
def test_any_non_zero_payload_byte_means_powered(index: int) -> None:
    assert parse_status(frame({index: 0x40})).powered


def test_auto_mode_profile_b() -> None:
    s = parse_status(AUTO_B)
    assert (s.powered, s.running, s.mode, s.auto_profile) == (True, True, "auto", "B")
    assert s.manual_region is None
    assert s.intensity == 1  # [5] = 00 is the lowest bucket
    assert s.foot_speed == 1


@pytest.mark.parametrize(
    ("signature", "profile"),
    [
        ((0x04, 0x0D, 0x06, 0x00), "B"),
        ((0x04, 0x09, 0x0E, 0x00), "C"),
        ((0x04, 0x02, 0x0E, 0x00), "D"),
        ((0x04, 0x01, 0x01, 0x00), None),  # A's signature is unknown: never guessed
        ((0x00, 0x00, 0x00, 0x00), None),
    ],
)
def test_auto_profile_signatures(signature: tuple[int, ...], profile: str | None) -> None:
    fields = {3: 0x04, 4: 0x02, **dict(zip(range(17, 21), signature, strict=True))}
    assert parse_status(frame(fields)).auto_profile == profile


def test_a_profile_signature_outside_auto_mode_is_not_a_profile() -> None:
    s = parse_status(frame({4: 0x0C, 17: 0x04, 18: 0x0D, 19: 0x06}))
    assert (s.mode, s.auto_profile) == ("manual", None)


def test_auto_needs_both_bytes() -> None:
    assert parse_status(frame({3: 0x04})).mode == "idle"
    assert parse_status(frame({4: 0x02})).mode == "idle"


def test_manual_neck_at_intensity_2_with_heat_and_shoulder_airbags() -> None:
    assert parse_status(MANUAL_NECK) == NcniStatus(
        powered=True,
        running=True,
        mode="manual",
        manual_region="neck",
        intensity=2,
        foot_speed=1,
        auto_profile=None,
        airbags=frozenset({"shoulders"}),
        heat=True,
        last_level=5,
    )


def test_manual_back_and_waist_at_intensity_3_foot_speed_2_paused() -> None:
    s = parse_status(frame({4: 0x0C, 5: 0x0F, 7: 0x0C}))
    assert (s.mode, s.manual_region, s.intensity, s.foot_speed) == ("manual", "back_waist", 3, 2)
    assert not s.running


@pytest.mark.parametrize(("byte", "level"), [(0x00, 1), (0x0C, 2), (0x0F, 3), (0x05, None)])
def test_level_buckets(byte: int, level: int | None) -> None:
    s = parse_status(frame({5: byte, 7: byte, 2: 0x01}))
    assert (s.intensity, s.foot_speed) == (level, level)


@pytest.mark.parametrize("byte", [0x00, 0x01, 0x0E, 0xF0])
def test_running_is_exactly_0f(byte: int) -> None:
    assert parse_status(frame({6: byte, 2: 1})).running is False


@pytest.mark.parametrize(
    ("bits", "zones"),
    [
        (0x01, {"shoulders"}),
        (0x02, {"forearms"}),
        (0x04, {"legs"}),
        (0x07, {"shoulders", "forearms", "legs"}),
        (0xF8, set()),
    ],
)
def test_airbag_bits(bits: int, zones: set[str]) -> None:
    assert parse_status(frame({21: bits})).airbags == zones


@pytest.mark.parametrize(
    ("byte", "heat"), [(0x04, True), (0x08, True), (0x0C, True), (0x03, False), (0xF3, False)]
)
def test_heat_is_23_and_0c(byte: int, heat: bool) -> None:
    assert parse_status(frame({23: byte})).heat is heat


def test_the_level_register_is_passed_through() -> None:
    assert parse_status(frame({11: 0xA7})).last_level == 0xA7


@pytest.mark.parametrize("length", [0, 2, 32, 34, 66])
def test_a_frame_of_the_wrong_length_is_refused(length: int) -> None:
    data = (AUTO_B * 3)[:length]
    with pytest.raises(ProtocolError, match="33 bytes"):
        parse_status(data)


@pytest.mark.parametrize("header", [b"\x55\xaa", b"\xaa\x54", b"\x00\x00"])
def test_a_bad_header_is_refused(header: bytes) -> None:
    with pytest.raises(ProtocolError, match="AA 55"):
        parse_status(header + AUTO_B[2:])


@pytest.mark.parametrize("index", range(29, 33))
def test_a_bad_trailer_is_refused(index: int) -> None:
    bad = bytearray(AUTO_B)
    bad[index] = 0x01
    with pytest.raises(ProtocolError, match="00 00 00 00"):
        parse_status(bytes(bad))


# -- onto the vocabulary ----------------------------------------------------------------------


def test_off_waiting_running() -> None:
    assert to_chair_status(parse_status(frame())).work_state is WorkState.STANDBY
    assert not to_chair_status(parse_status(frame())).running
    waiting = to_chair_status(parse_status(frame({4: 0x0C})))
    assert (waiting.running, waiting.work_state) == (True, WorkState.WAITING)
    running = to_chair_status(parse_status(AUTO_B))
    assert (running.running, running.work_state) == (True, WorkState.RUNNING)


def test_the_manual_neck_frame_in_the_vocabulary() -> None:
    status = to_chair_status(parse_status(MANUAL_NECK))
    assert status.technique is None  # the chair has no technique selection
    assert status.intensity == 3  # level 2 of 3
    assert status.heat
    assert status.airbags_active == {AirbagZone.SHOULDERS}
    assert status.program == "manual neck"


@pytest.mark.parametrize(("byte", "intensity"), [(0x00, 1), (0x0C, 3), (0x0F, 5), (0x33, 0)])
def test_intensity_is_spread_over_1_to_5(byte: int, intensity: int) -> None:
    assert to_chair_status(parse_status(frame({2: 1, 5: byte}))).intensity == intensity


def test_airbag_groups_become_zones() -> None:
    status = to_chair_status(parse_status(frame({21: 0x07})))
    assert status.airbags_active == {AirbagZone.SHOULDERS, AirbagZone.ARMS, AirbagZone.CALVES}


def test_auto_programs_are_named_by_profile() -> None:
    assert to_chair_status(parse_status(AUTO_B)).program == "auto B"
    assert to_chair_status(parse_status(frame({3: 4, 4: 2}))).program == "auto"


# -- the stream decoder -----------------------------------------------------------------------

payloads = st.binary(min_size=27, max_size=27).filter(lambda p: b"\xaa\x55" not in p)
good_frames = payloads.map(lambda p: b"\xaa\x55" + p + b"\x00\x00\x00\x00")


def chunks(data: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({0, len(data), *(c % (len(data) + 1) for c in cuts)})
    return [data[a:b] for a, b in itertools.pairwise(points)]


def feed_all(decoder: StatusDecoder, pieces: list[bytes]) -> list[NcniStatus]:
    return [s for piece in pieces for s in decoder.feed(piece)]


def distinct_runs(frames: list[bytes]) -> list[bytes]:
    return [f for i, f in enumerate(frames) if i == 0 or frames[i - 1] != f]


@given(st.lists(good_frames, min_size=1, max_size=6), st.lists(st.integers(0, 10_000)))
def test_any_chunking_gives_each_repeated_frame_once(frames: list[bytes], cuts: list[int]) -> None:
    states = distinct_runs(frames)
    stream = b"".join(f * 2 for f in states)
    decoder = StatusDecoder()
    assert feed_all(decoder, chunks(stream, cuts)) == [parse_status(f) for f in states]
    assert (decoder.frames, decoder.bad_frames, decoder.discarded_bytes) == (2 * len(states), 0, 0)
    assert decoder.unconfirmed == len(states) - 1
    assert decoder.pending == 0


@given(
    st.binary(max_size=80).filter(lambda g: 0xAA not in g),
    good_frames,
    st.lists(st.integers(0, 10_000)),
)
def test_garbage_before_frames_is_discarded(garbage: bytes, good: bytes, cuts: list[int]) -> None:
    decoder = StatusDecoder()
    assert feed_all(decoder, chunks(garbage + good * 3, cuts)) == [parse_status(good)] * 2
    assert decoder.discarded_bytes == len(garbage)


@given(st.binary(max_size=400), st.lists(st.integers(0, 10_000)))
def test_any_bytes_never_raise_and_every_byte_is_accounted_for(
    data: bytes, cuts: list[int]
) -> None:
    decoder = StatusDecoder()
    for piece in chunks(data, cuts):
        decoder.feed(piece)
        assert decoder.pending < FRAME_LENGTH
    assert decoder.frames * FRAME_LENGTH + decoder.discarded_bytes + decoder.pending == len(data)


#: Which copy to damage, which byte, and the bits to flip (never none).
damages = st.tuples(st.booleans(), st.integers(0, FRAME_LENGTH - 1), st.integers(1, 0xFF))


@given(good_frames, good_frames, damages, st.lists(st.integers(0, 10_000)))
def test_a_damaged_byte_never_becomes_a_status(
    good: bytes, after: bytes, damage: tuple[bool, int, int], cuts: list[int]
) -> None:
    """Damage any byte of either copy of a repeated frame: that frame is never delivered, and
    the decoder is back in step for the next state."""
    first, index, flip = damage
    damaged = bytearray(good)
    damaged[index] ^= flip
    pair = bytes(damaged) + good if first else good + bytes(damaged)
    decoder = StatusDecoder()
    assert feed_all(decoder, chunks(pair, cuts)) == []
    if after != good:
        assert decoder.feed(after * 2) == [parse_status(after)]


def test_a_single_frame_is_never_delivered() -> None:
    decoder = StatusDecoder()
    assert decoder.feed(AUTO_B) == []
    assert decoder.frames == 1


def test_the_repeat_rule() -> None:
    decoder = StatusDecoder()
    assert decoder.feed(AUTO_B + MANUAL_NECK + AUTO_B) == []
    assert decoder.unconfirmed == 2
    assert decoder.feed(AUTO_B) == [parse_status(AUTO_B)]
    assert decoder.feed(AUTO_B) == [parse_status(AUTO_B)]
    assert decoder.feed(MANUAL_NECK) == []
    assert decoder.feed(MANUAL_NECK) == [parse_status(MANUAL_NECK)]


def test_a_bad_trailer_is_dropped_and_counted() -> None:
    bad = bytearray(MANUAL_NECK)
    bad[-1] = 0x01
    decoder = StatusDecoder()
    assert decoder.feed(bytes(bad) + AUTO_B * 2) == [parse_status(AUTO_B)]
    assert decoder.bad_frames == 1
    assert decoder.discarded_bytes == FRAME_LENGTH


def test_a_torn_frame_is_cut_at_the_next_header() -> None:
    decoder = StatusDecoder()
    assert decoder.feed(MANUAL_NECK[:20] + AUTO_B * 2) == [parse_status(AUTO_B)]
    assert (decoder.bad_frames, decoder.discarded_bytes) == (1, 20)


def test_a_header_split_across_chunks_is_kept() -> None:
    decoder = StatusDecoder()
    assert decoder.feed(b"\x13\xaa") == []
    assert decoder.pending == 1
    assert decoder.feed(AUTO_B[1:] + AUTO_B) == [parse_status(AUTO_B)]
    assert decoder.discarded_bytes == 1


def test_reset_forgets_the_partial_frame_and_the_unconfirmed_one() -> None:
    decoder = StatusDecoder()
    decoder.feed(AUTO_B + AUTO_B[:10])
    decoder.reset()
    assert decoder.pending == 0
    assert decoder.feed(AUTO_B) == []
    assert decoder.feed(AUTO_B) == [parse_status(AUTO_B)]


@pytest.mark.parametrize("code", [0x1A, 0x7F, 0xFF])
def test_a_code_of_another_panel_is_pressed_the_same_way(code: int) -> None:
    assert code_press_ticks(code) == bytes([code, code, code, 0, 0, 0])


@pytest.mark.parametrize("code", [0x00, 0x100, -1])
def test_no_key_and_non_bytes_are_not_panel_codes(code: int) -> None:
    with pytest.raises(ProtocolError, match="panel code"):
        code_press_ticks(code)
