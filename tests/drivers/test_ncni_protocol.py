"""The NCNI codec on the driver's side: panel ticks, status frames, and the streaming decoder.

Status frames are pinned to the bytes of the upstream project's tests and state code
(``Vijtus/NCNI_Massage_Chair_Control``: ``tests/test_closed_loop.py``, ``bridge/state.py``)."""

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
MANUAL_NECK = frame({2: 0x08, 4: 0x0E, 5: 0x0C, 6: 0x0F, 21: 0x01, 23: 0x0C, 11: 0x05})


def upstream(
    *,
    b3: int = 0x04,
    b4: int = 0x02,
    b5: int = 0x0C,
    b6: int = 0x0F,
    foot_b7: int = 0x0C,
    shared_b11: int | None = None,
    zone: int = 0x07,
    heat: int = 0x00,
    tail: tuple[int, int, int, int] = (0x0A, 0x0B, 0x0C, 0x08),
) -> bytes:
    """The frame the upstream project's tests build (``tests/test_closed_loop.py``,
    ``frame()``), byte for byte: ``[2] = 0x08``, ``[3..7]``, ``[11] = b5`` unless given,
    ``[12] = b6``, the tail at 17..20, zones at 21, heat at 23. Its defaults are what its
    ``test_power_on_default_matches_manual`` pairs with one power press: auto profile A,
    pressure 2, running, foot speed 2, the three airbag zones."""
    data = bytearray(FRAME_LENGTH)
    data[0:2] = b"\xaa\x55"
    data[2] = 0x08
    data[3], data[4], data[5], data[6], data[7] = b3, b4, b5, b6, foot_b7
    data[11] = b5 if shared_b11 is None else shared_b11
    data[12] = b6
    data[17:21] = bytes(tail)
    data[21] = zone
    data[23] = heat
    return bytes(data)


def test_an_all_zero_frame_is_a_chair_that_is_off() -> None:
    assert parse_status(frame()) == NcniStatus(
        powered=False,
        running=False,
        mode="none",
        manual=frozenset(),
        pressure=None,
        roller_speed=None,
        foot_speed=None,
        auto_profile=None,
        airbags=frozenset(),
        heat=False,
        register_11=0,
    )


@pytest.mark.parametrize("index", range(2, 29))
def test_any_non_zero_payload_byte_means_powered(index: int) -> None:
    assert parse_status(frame({index: 0x40})).powered


def test_upstream_s_power_on_frame_is_auto_profile_a_at_pressure_2() -> None:
    s = parse_status(upstream())
    assert (s.powered, s.running, s.mode, s.auto_profile) == (True, True, "auto", "A")
    assert (s.pressure, s.foot_speed, s.roller_speed) == (2, 2, None)
    status = to_chair_status(s)
    assert (status.work_state, status.intensity, status.program) == (
        WorkState.RUNNING,
        3,
        "auto A",
    )


def test_auto_mode_profile_b() -> None:
    s = parse_status(AUTO_B)
    assert (s.powered, s.running, s.mode, s.auto_profile) == (True, True, "auto", "B")
    assert s.manual == frozenset()
    assert s.pressure == 1  # [5] = 00 is the lowest bucket
    assert s.foot_speed == 1


@pytest.mark.parametrize(
    ("signature", "profile"),
    [
        # Upstream's AUTO_TAIL_SIGNATURES: A has two tails.
        ((0x0A, 0x0B, 0x0C, 0x08), "A"),
        ((0x04, 0x00, 0x0A, 0x00), "A"),
        ((0x04, 0x0D, 0x06, 0x00), "B"),
        ((0x04, 0x09, 0x0E, 0x00), "C"),
        ((0x04, 0x02, 0x0E, 0x00), "D"),
        # Upstream's test_initial_auto_sync_with_unknown_tail_does_not_invent_default_a: a
        # tail captured during the countdown, no profile.
        ((0x0A, 0x02, 0x0E, 0x08), None),
        ((0x00, 0x00, 0x00, 0x00), None),
    ],
)
def test_auto_profile_tails(signature: tuple[int, int, int, int], profile: str | None) -> None:
    s = parse_status(upstream(tail=signature))
    assert s.auto_profile == profile
    assert to_chair_status(s).program == (f"auto {profile}" if profile else "auto")


def test_a_profile_signature_outside_auto_mode_is_not_a_profile() -> None:
    s = parse_status(upstream(b4=0x0C, tail=(0x04, 0x0D, 0x06, 0x00)))
    assert (s.mode, s.auto_profile) == ("manual", None)


@pytest.mark.parametrize(
    # Upstream's bridge/state.py frame signatures for [3..6], and its test helper's bytes.
    ("b3", "b4", "manual", "program"),
    [
        (0x04, 0x0C, {"back_waist"}, "manual back_waist"),  # "manual-back"
        (0x00, 0x0E, {"neck"}, "manual neck"),  # "manual-neck"
        (0x04, 0x0E, {"back_waist", "neck"}, "manual back_waist+neck"),  # "manual-neck-back"
    ],
)
def test_manual_modes(b3: int, b4: int, manual: set[str], program: str) -> None:
    s = parse_status(upstream(b3=b3, b4=b4))
    assert (s.mode, s.manual) == ("manual", frozenset(manual))
    assert to_chair_status(s).program == program


@pytest.mark.parametrize(("b3", "b4"), [(0x04, 0x00), (0x00, 0x02), (0x00, 0x0C), (0x07, 0x0E)])
def test_mode_bytes_no_source_describes_are_unknown(b3: int, b4: int) -> None:
    s = parse_status(upstream(b3=b3, b4=b4))
    assert (s.mode, s.manual, s.auto_profile) == ("unknown", frozenset(), None)
    assert to_chair_status(s).program == "unknown"


def test_the_blank_after_a_posture_press_is_on_with_no_mode_shown() -> None:
    # Upstream's test_overlay_does_not_clear_state: the default frame with [3], [4], [11],
    # [12] zeroed after "grawitacja_zero": power on, nothing about the mode.
    blank = bytearray(upstream())
    for index in (3, 4, 11, 12):
        blank[index] = 0x00
    s = parse_status(bytes(blank))
    assert (s.powered, s.mode, s.manual, s.auto_profile) == (True, "none", frozenset(), None)
    status = to_chair_status(s)
    assert (status.running, status.program) == (True, None)


@pytest.mark.parametrize(("b11", "speed"), [(0x0F, 3), (0x0C, 2), (0x00, 1), (0x05, None)])
def test_in_manual_mode_11_is_the_roller_speed(b11: int, speed: int | None) -> None:
    # Upstream's test_manual_speed_level_adopts_from_shared_frame_register:
    # frame(b4=0x0C, b5=0x00, b6=0x00, shared_b11=0x0F) reads speed 3, 0x0C speed 2.
    s = parse_status(upstream(b4=0x0C, b5=0x00, b6=0x00, shared_b11=b11))
    assert (s.mode, s.roller_speed) == ("manual", speed)
    assert to_chair_status(s).speed == (speed or 0)


def test_outside_manual_mode_11_is_no_speed() -> None:
    s = parse_status(upstream(shared_b11=0x0F))
    assert (s.roller_speed, s.register_11) == (None, 0x0F)
    assert to_chair_status(s).speed == 0


def test_the_pressure_is_believed_only_while_running() -> None:
    # Upstream reads the intensity bucket [5] only when [6] = 0F.
    still = parse_status(upstream(b4=0x0C, b5=0x0F, b6=0x00))
    assert (still.pressure, still.shown_pressure) == (3, None)
    status = to_chair_status(still)
    assert (status.work_state, status.intensity) == (WorkState.WAITING, 0)
    assert to_chair_status(parse_status(upstream(b4=0x0C, b5=0x0F))).intensity == 5


def test_manual_neck_at_pressure_2_with_heat_and_shoulder_airbags_reported() -> None:
    assert parse_status(MANUAL_NECK) == NcniStatus(
        powered=True,
        running=True,
        mode="manual",
        manual=frozenset({"neck"}),
        pressure=2,
        roller_speed=None,
        foot_speed=1,
        auto_profile=None,
        airbags=frozenset({"shoulders"}),
        heat=True,
        register_11=5,
    )


@pytest.mark.parametrize(("byte", "level"), [(0x00, 1), (0x0C, 2), (0x0F, 3), (0x05, None)])
def test_level_buckets(byte: int, level: int | None) -> None:
    s = parse_status(frame({5: byte, 7: byte, 2: 0x01}))
    assert (s.pressure, s.foot_speed) == (level, level)


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
def test_airbag_bits_as_reported(bits: int, zones: set[str]) -> None:
    assert parse_status(frame({21: bits})).airbags == zones


@pytest.mark.parametrize(
    ("byte", "heat"), [(0x04, True), (0x08, True), (0x0C, True), (0x03, False), (0xF3, False)]
)
def test_heat_as_reported_is_23_and_0c(byte: int, heat: bool) -> None:
    assert parse_status(frame({23: byte})).heat is heat


def test_upstream_s_compact_frame_line_decodes_its_reported_zones_and_heat() -> None:
    # test_bridge_accepts_compact_frame_line: frame(zone=0x03, heat=0x0C), "zone bits in
    # frame[21] / heat in frame[23] are no longer truth": decoded as reported, nothing more.
    status = to_chair_status(parse_status(upstream(zone=0x03, heat=0x0C)))
    assert status.airbags_active == {AirbagZone.SHOULDERS, AirbagZone.ARMS}
    assert status.heat
    assert (status.work_state, status.program) == (WorkState.RUNNING, "auto A")


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
    waiting = to_chair_status(parse_status(frame({3: 0x04, 4: 0x0C})))
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
    assert to_chair_status(parse_status(frame({2: 1, 5: byte, 6: 0x0F}))).intensity == intensity


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
