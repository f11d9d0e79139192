"""The chair-side NCNI codec (the panel line's reading of ticks, the status encoder), and
cross-checks against the driver's independently written codec."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chairctl.clock import VirtualClock
from drivers.models.ncni import NcniKeys
from drivers.protocols.ncni import (
    HOLD_KEYS,
    MANUAL_ORDER,
    MAX_HOLD_TICKS,
    Key,
    NcniStatus,
    StatusDecoder,
    hold_ticks,
    parse_status,
    press_ticks,
)
from drivers.protocols.ncni.status import NcniAirbag
from simulator.ncni.frames import HOLD_CODES, PANEL_CODES, ChairImage, Hold, Press
from simulator.ncni.panel import PanelEvent, PanelLine


class TickReader:
    """The chair's panel line with the known panel's keys, as a function of the ticks fed: the
    events each feed ends (a hold's start left out: these tests are about whole runs)."""

    def __init__(self) -> None:
        self._events: list[PanelEvent] = []
        self.line = PanelLine(VirtualClock(), NcniKeys(), self._events.append)

    @property
    def held(self) -> tuple[int, int] | None:
        return self.line.held

    def feed(self, ticks: bytes) -> list[Press | Hold]:
        self._events.clear()
        self.line.feed(ticks)
        return [e for e in self._events if isinstance(e, Press | Hold)]


def chunks(data: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({0, len(data), *(c % (len(data) + 1) for c in cuts)})
    return [data[a:b] for a, b in itertools.pairwise(points)]


# -- the panel line --------------------------------------------------------------------------


def test_a_panel_press_is_one_press() -> None:
    reader = TickReader()
    assert reader.feed(bytes.fromhex("010101000000")) == [Press(0x01, 3)]
    assert reader.feed(b"\x00" * 10) == []
    assert Press(0x01, 3).name == "power"


def test_one_tick_of_a_key_then_nothing_is_a_press() -> None:
    assert TickReader().feed(b"\x03\x00") == [Press(0x03, 1)]


def test_the_press_is_reported_when_the_key_is_released() -> None:
    reader = TickReader()
    assert reader.feed(b"\x00\x05\x05\x05") == []
    assert reader.held == (0x05, 3)
    assert reader.feed(b"\x00") == [Press(0x05, 3)]
    assert reader.held is None


def test_a_backrest_hold_reports_its_ticks() -> None:
    reader = TickReader()
    assert reader.feed(b"\x09" * 80 + b"\x00\x00\x00") == [Hold(0x09, 80)]
    assert reader.feed(b"\x06\x06\x00") == [Hold(0x06, 2)]
    assert Hold(0x06, 2).name == "backrest down"


def test_a_key_changing_without_a_gap_ends_the_first() -> None:
    assert TickReader().feed(b"\x19\x19\x17\x00") == [Press(0x19, 2), Press(0x17, 1)]


def test_unknown_codes_are_ignored_and_counted() -> None:
    reader = TickReader()
    assert reader.feed(b"\x0a\x0a\x00\x0c\x00\x01\x00") == [Press(0x01, 1)]
    assert reader.line.stats.unknown == 2
    assert reader.line.stats.ticks == 7


@given(st.binary(max_size=200), st.lists(st.integers(0, 10_000)))
def test_the_reader_does_not_care_how_ticks_are_chunked(data: bytes, cuts: list[int]) -> None:
    whole = TickReader().feed(data)
    reader = TickReader()
    assert [e for piece in chunks(data, cuts) for e in reader.feed(piece)] == whole


# -- the status encoder ------------------------------------------------------------------------

#: The frame the upstream project's tests build by default (``tests/test_closed_loop.py``,
#: ``frame()``): a powered chair in auto profile A, running at pressure 2, foot speed 2, its
#: three airbag zones reported, "[2] = 0x08", "[11] = b5", "[12] = b6", tail ``0A 0B 0C 08``.
UPSTREAM_AUTO_A = bytes.fromhex(
    "aa55 08 0402 0c 0f 0c 000000 0c 0f 00000000 0a0b0c08 07 00 00 0000000000 00000000"
)


def test_an_unpowered_chair_sends_a_zero_payload() -> None:
    image = ChairImage(running=True, mode="auto", intensity=3, heat=True)
    assert image.encode() == b"\xaa\x55" + bytes(31)


def test_auto_profile_a_running_is_the_upstream_default_frame_byte_for_byte() -> None:
    image = ChairImage(
        powered=True,
        running=True,
        mode="auto",
        profile="A",
        intensity=2,
        foot_speed=2,
        airbags=frozenset({"shoulders", "forearms", "legs"}),
    )
    assert image.encode() == UPSTREAM_AUTO_A


def test_auto_profile_b_frame() -> None:
    out = ChairImage(powered=True, running=True, mode="auto", profile="B").encode()
    assert len(out) == 33
    assert out[:2] == b"\xaa\x55"
    assert out[-4:] == bytes(4)
    assert (out[2], out[3], out[4], out[6], out[12]) == (0x08, 0x04, 0x02, 0x0F, 0x0F)
    assert out[17:21] == bytes.fromhex("040d0600")


@pytest.mark.parametrize(
    # Upstream's bridge/state.py signatures: [3..6] "manual-neck" 00 0E 0C 0F, "manual-back"
    # 04 0C 0C 0F, "manual-neck-back" 04 0E 0C 0F.
    ("manual", "mode_bytes"),
    [
        ({"neck"}, (0x00, 0x0E)),
        ({"back_waist"}, (0x04, 0x0C)),
        ({"neck", "back_waist"}, (0x04, 0x0E)),
    ],
)
def test_manual_mode_frames(manual: set[str], mode_bytes: tuple[int, int]) -> None:
    out = ChairImage(
        powered=True,
        running=True,
        manual=frozenset(manual),
        intensity=2,
        speed=3,
        foot_speed=3,
        airbags=frozenset({"shoulders", "legs"}),
        heat=True,
    ).encode()
    assert (out[3], out[4], out[5], out[6], out[7]) == (*mode_bytes, 0x0C, 0x0F, 0x0F)
    # Manual mode: [11] is the roller speed (upstream: "0x0F" is speed 3), [12] follows [6].
    assert (out[11], out[12], out[21], out[23] & 0x0C != 0) == (0x0F, 0x0F, 0x05, True)
    assert out[17:21] == bytes(4)


def test_manual_mode_with_none_on_shows_no_mode() -> None:
    out = ChairImage(powered=True, airbags=frozenset({"legs"}), running=True).encode()
    assert (out[2], out[3], out[4], out[11]) == (0x08, 0x00, 0x00, 0x00)


def test_the_blank_after_a_posture_press_zeroes_3_4_11_12_and_keeps_the_rest() -> None:
    # Upstream's test_overlay_does_not_clear_state: after "grawitacja_zero" the frame has
    # [3], [4], [11], [12] = 0 and the rest of the default frame.
    image = ChairImage(
        powered=True,
        running=True,
        mode="auto",
        intensity=2,
        foot_speed=2,
        airbags=frozenset({"shoulders", "forearms", "legs"}),
        blank=True,
    )
    blanked = bytearray(UPSTREAM_AUTO_A)
    for index in (3, 4, 11, 12):
        blanked[index] = 0
    assert image.encode() == bytes(blanked)


@pytest.mark.parametrize(
    ("image", "reason"),
    [
        (ChairImage(intensity=0), "intensity is 1..3"),
        (ChairImage(speed=4), "speed is 1..3"),
        (ChairImage(foot_speed=4), "foot speed is 1..3"),
        (ChairImage(airbags=frozenset({"calves"})), "no airbag group"),
        (ChairImage(manual=frozenset({"feet"})), "no manual mode"),
    ],
)
def test_values_a_frame_cannot_carry_are_refused(image: ChairImage, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        image.encode()


# -- cross-checks against the driver -----------------------------------------------------------


def test_both_sides_agree_on_the_key_table() -> None:
    assert {int(k) for k in Key} == set(PANEL_CODES)
    assert {int(k) for k in HOLD_KEYS} == HOLD_CODES


@pytest.mark.parametrize("key", list(Key), ids=lambda k: k.name)
def test_a_driver_press_is_one_event_in_the_chair(key: Key) -> None:
    event = Hold(key, 3) if key in HOLD_KEYS else Press(key, 3)
    assert TickReader().feed(press_ticks(key)) == [event]


actions = st.one_of(
    st.sampled_from(list(Key)).map(lambda k: (k, None)),
    st.tuples(st.sampled_from(sorted(HOLD_KEYS)), st.integers(1, MAX_HOLD_TICKS)),
)


@given(st.lists(actions, max_size=12), st.lists(st.integers(0, 10_000)))
def test_driver_ticks_become_the_same_events_in_the_chair(
    plan: list[tuple[Key, int | None]], cuts: list[int]
) -> None:
    stream = b"".join(press_ticks(k) if n is None else hold_ticks(k, n) for k, n in plan)
    expected = [Hold(k, n or 3) if k in HOLD_KEYS else Press(k, 3) for k, n in plan]
    reader = TickReader()
    assert [e for piece in chunks(stream, cuts) for e in reader.feed(piece)] == expected
    assert reader.held is None


#: The NCNI airbag groups, as the driver names them.
AIRBAGS: tuple[NcniAirbag, ...] = ("shoulders", "forearms", "legs")

images = st.builds(
    ChairImage,
    powered=st.booleans(),
    running=st.booleans(),
    mode=st.sampled_from(["auto", "manual"]),
    manual=st.frozensets(st.sampled_from(MANUAL_ORDER)),
    profile=st.sampled_from(["A", "B", "C", "D"]),
    intensity=st.integers(1, 3),
    speed=st.integers(1, 3),
    foot_speed=st.integers(1, 3),
    airbags=st.frozensets(st.sampled_from(AIRBAGS)),
    heat=st.booleans(),
    blank=st.booleans(),
)
_CODES = {1: 0x00, 2: 0x0C, 3: 0x0F}


def expected_status(image: ChairImage) -> NcniStatus:
    """What the driver should read from the chair's frame of ``image``."""
    if not image.powered:
        return NcniStatus(
            False, False, "none", frozenset(), None, None, None, None, frozenset(), False, 0
        )
    shown = not image.blank and (image.mode == "auto" or bool(image.manual))
    manual = image.mode == "manual" and shown
    register = 0
    if shown:
        register = _CODES[image.speed if manual else image.intensity]
    return NcniStatus(
        powered=True,
        running=image.running,
        mode=("manual" if manual else "auto") if shown else "none",
        manual=frozenset(r for r in MANUAL_ORDER if r in image.manual) if manual else frozenset(),
        pressure=image.intensity,
        roller_speed=image.speed if manual else None,
        foot_speed=image.foot_speed,
        auto_profile=image.profile if shown and image.mode == "auto" else None,
        airbags=frozenset(a for a in AIRBAGS if a in image.airbags),
        heat=image.heat,
        register_11=register,
    )


@given(images)
def test_chair_frames_parse_into_the_same_fields(image: ChairImage) -> None:
    assert parse_status(image.encode()) == expected_status(image)


@given(st.lists(images, min_size=1, max_size=5), st.lists(st.integers(0, 10_000)))
def test_chair_frames_stream_through_the_driver_decoder(
    states: list[ChairImage], cuts: list[int]
) -> None:
    frames = [s.encode() for s in states]
    runs = [f for i, f in enumerate(frames) if i == 0 or frames[i - 1] != f]
    decoder = StatusDecoder()
    stream = b"".join(f * 3 for f in runs)
    got = [s for piece in chunks(stream, cuts) for s in decoder.feed(piece)]
    assert got == [parse_status(f) for f in runs for _ in range(2)]
    assert (decoder.bad_frames, decoder.discarded_bytes) == (0, 0)
