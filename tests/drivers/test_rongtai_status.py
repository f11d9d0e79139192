"""Decoding Rongtai status frames: the real captures, every field of protocols.md 1.5."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chairctl.vocabulary import (
    ActuatorMotion,
    AirbagZone,
    ChairStatus,
    MassageRange,
    ProtocolError,
    Technique,
    Width,
    WorkState,
)
from drivers.models.rongtai import RongtaiModel
from drivers.protocols.rongtai import (
    RongtaiDetail,
    checksum,
    decode_status,
    rongtai_detail,
    technique_label,
)

if TYPE_CHECKING:
    from tests.captures import Capture

Z = AirbagZone
# What the first six captures share: a chair with 3D, b12 preset code 3, the anion off and
# no 3D program. b1 bit 1 is clear in every real frame: it says nothing about a leg extension.
CHAIR = {"preset_minutes": 30, "anion": False}
THREE_D = RongtaiDetail(has_3d=True)

# The first six captures in file order, every field as protocols.md 1.5/1.6 read them.
GOLDEN = [
    # idle: state 0, 9*128+0x30 = 1200 s (the 20-minute default); b8 0x2b -> position 11
    ChairStatus(
        width=Width.WIDE, intensity=5, roller_position=11, remaining_s=1200, detail=THREE_D, **CHAIR
    ),
    # powered and waiting for a command: b1 bit 6 is set although nothing runs yet
    ChairStatus(
        running=True,
        work_state=WorkState.WAITING,
        width=Width.WIDE,
        intensity=5,
        roller_position=11,
        detail=THREE_D,
        **CHAIR,
    ),
    # running manual knead (b13 0x1c -> program 7), 3D strength 5, 6*128+0x30 = 816 s
    ChairStatus(
        running=True,
        work_state=WorkState.RUNNING,
        technique=Technique.KNEAD,
        technique_code=1,
        width=Width.MEDIUM,
        speed=2,
        intensity=5,
        massage_range=MassageRange.FULL,
        remaining_s=816,
        program="manual",
        program_code=7,
        detail=THREE_D,
        **CHAIR,
    ),
    # heat off, 13*128+0x72 = 1778 s; b12 0x43: 30-minute preset + full-body airbag program;
    # b6 0x70: arm bag working, foot roller fast; b9 0x40 body scan; b10 0x09 backrest up,
    # calf rest down
    ChairStatus(
        running=True,
        work_state=WorkState.RUNNING,
        speed=6,
        intensity=1,
        massage_range=MassageRange.FULL,
        roller_position=9,
        airbag_level=2,
        airbag_program=frozenset(AirbagZone),
        airbags_active=frozenset({Z.ARMS}),
        foot_roller=True,
        foot_roller_speed=3,
        remaining_s=1778,
        program="manual",
        program_code=7,
        backrest=ActuatorMotion.UP,
        leg_rest=ActuatorMotion.DOWN,
        detail=RongtaiDetail(has_3d=True, body_scan=0x40),
        **CHAIR,
    ),
    # arm/shoulder airbag program (b12 0x10)
    ChairStatus(
        running=True,
        work_state=WorkState.RUNNING,
        technique=Technique.KNEAD,
        technique_code=1,
        width=Width.NARROW,
        speed=2,
        intensity=5,
        massage_range=MassageRange.FULL,
        roller_position=5,
        airbag_level=2,
        airbag_program=frozenset({Z.ARMS, Z.SHOULDERS}),
        remaining_s=3 * 128 + 0x33,
        program="manual",
        program_code=7,
        detail=THREE_D,
        **CHAIR,
    ),
    # legs/feet airbag program (b12 0x04); b6 bit 0: the foot bag is working
    ChairStatus(
        running=True,
        work_state=WorkState.RUNNING,
        technique=Technique.KNEAD,
        technique_code=1,
        width=Width.MEDIUM,
        speed=2,
        intensity=5,
        massage_range=MassageRange.FULL,
        roller_position=1,
        airbag_level=2,
        airbag_program=frozenset({Z.CALVES, Z.FEET}),
        airbags_active=frozenset({Z.FEET}),
        remaining_s=2 * 128 + 0x54,
        program="manual",
        program_code=7,
        detail=THREE_D,
        **CHAIR,
    ),
]

BASE = bytes.fromhex("05 03 00 09 30 00 00 2b 00 00 00 03 00 05")


def checked(fields: bytes) -> bytes:
    return b"\xf0" + fields + bytes((checksum(fields),)) + b"\xf1"


def with_field(index: int, value: int, fields: bytes = BASE) -> bytes:
    """``fields`` with b<index> replaced, as a checked frame."""
    changed = bytearray(fields)
    changed[index - 1] = value
    return checked(bytes(changed))


def test_the_test_data_begins_with_the_six_captures(captures: list[Capture]) -> None:
    assert len(GOLDEN) == 6
    assert all(capture.decodes for capture in captures[: len(GOLDEN)])


@pytest.mark.parametrize("index", range(len(GOLDEN)))
def test_captures_decode_to_every_field_their_notes_say(
    index: int, captures: list[Capture], model: RongtaiModel
) -> None:
    assert decode_status(captures[index].frame, model) == GOLDEN[index]


def test_the_eighteen_byte_form_decodes_like_the_checked_form(
    captures: list[Capture], model: RongtaiModel
) -> None:
    for capture, expected in zip(captures[: len(GOLDEN)], GOLDEN, strict=True):
        fields = capture.frame[1:15]
        # b15 carries stretch/tapping/LED bits and b16 is 0; neither changes the status.
        unchecked = b"\xf0" + fields + b"\x2a\x00" + b"\xf1"
        assert decode_status(unchecked, model) == expected


def test_a_bad_checksum_is_refused(captures: list[Capture], model: RongtaiModel) -> None:
    frame = bytearray(captures[2].frame)
    frame[-2] ^= 0x01
    with pytest.raises(ProtocolError, match="bad checksum"):
        decode_status(bytes(frame), model)


def test_a_flipped_field_bit_fails_the_checksum(
    captures: list[Capture], model: RongtaiModel
) -> None:
    frame = bytearray(captures[2].frame)
    frame[4] ^= 0x10  # remaining-time bits: a plausible value, caught only by the checksum
    with pytest.raises(ProtocolError, match="bad checksum"):
        decode_status(bytes(frame), model)


@pytest.mark.parametrize(
    ("code", "state"),
    [
        (0, WorkState.STANDBY),
        (1, WorkState.RESETTING),
        (2, WorkState.WAITING),
        (3, WorkState.RUNNING),
        (4, WorkState.STORING),
        (5, WorkState.FAULT),
    ],
)
def test_work_states(code: int, state: WorkState, model: RongtaiModel) -> None:
    assert decode_status(with_field(7, code), model).work_state is state


@pytest.mark.parametrize("code", range(6, 16))
def test_undefined_work_states_are_refused(code: int, model: RongtaiModel) -> None:
    with pytest.raises(ProtocolError, match=f"work state {code} is not defined"):
        decode_status(with_field(7, code), model)


def test_in_the_fault_state_the_timer_bytes_are_an_error_code(model: RongtaiModel) -> None:
    fields = bytearray(BASE)
    fields[6] = 5  # b7: fault
    fields[3], fields[4] = 0x01, 0x05  # b4/b5: 1*128 + 5
    status = decode_status(checked(bytes(fields)), model)
    assert status.work_state is WorkState.FAULT
    assert status.error_code == 133
    assert status.remaining_s == 0


def test_outside_the_fault_state_there_is_no_error_code(model: RongtaiModel) -> None:
    status = decode_status(with_field(7, 3), model)
    assert status.error_code is None
    assert status.remaining_s == 1200


@pytest.mark.parametrize(
    ("code", "technique"),
    [
        (1, Technique.KNEAD),
        (2, Technique.KNOCK),
        (3, Technique.KNEAD_KNOCK),
        (4, Technique.TAP),
        (5, Technique.SHIATSU),
        (6, Technique.ROLL),
    ],
)
def test_technique_codes_map_through_the_model(
    code: int, technique: Technique, model: RongtaiModel
) -> None:
    status = decode_status(with_field(1, 0x40 | code << 3), model)
    assert status.technique is technique
    assert status.technique_code == code
    assert model.keys.techniques[technique].status_code == code


def test_a_technique_the_model_does_not_map_keeps_its_code(model: RongtaiModel) -> None:
    status = decode_status(with_field(1, 0x40 | 7 << 3), model)
    assert status.technique is None
    assert status.technique_code == 7
    assert technique_label(7) == "rubbing"


def test_the_technique_map_comes_from_the_model(model: RongtaiModel) -> None:
    keys = model.keys.model_copy(
        update={"techniques": {Technique.SWEDISH: model.keys.techniques[Technique.KNEAD]}}
    )
    other = model.model_copy(update={"keys": keys})
    assert decode_status(with_field(1, 0x48), other).technique is Technique.SWEDISH
    assert decode_status(with_field(1, 0x40 | 2 << 3), other).technique is None


def test_chair_technique_labels() -> None:
    assert technique_label(0) is None
    assert [technique_label(c) for c in range(1, 8)] == [
        "knead",
        "knock",
        "knead+knock",
        "tap",
        "shiatsu",
        "rhythm",
        "rubbing",
    ]


@pytest.mark.parametrize(
    ("b1", "has_3d", "running"),
    [(0x00, False, False), (0x01, True, False), (0x02, False, False), (0x43, True, True)],
)
def test_b1_flags(b1: int, has_3d: bool, running: bool, model: RongtaiModel) -> None:
    status = decode_status(with_field(1, b1), model)
    assert (rongtai_detail(status).has_3d, status.running) == (has_3d, running)
    # The RT6923 firmware never sets bit 1 (its heat-degree bits are commented out), and no
    # real RT8600S frame has it: a chair following the firmware reports no leg extension.
    assert rongtai_detail(status).has_leg_extension is False


def _ios_app(model: RongtaiModel) -> RongtaiModel:
    """``model`` as a chair whose firmware follows the vendor's iOS app's status map."""
    protocol = model.protocol.model_copy(update={"status_map": "ios-app"})
    return model.model_copy(update={"protocol": protocol})


@pytest.mark.parametrize(("b1", "has_leg_extension"), [(0x40, True), (0x42, False)])
def test_b1_bit_1_is_the_leg_extension_only_on_the_ios_app_s_map(
    b1: int, has_leg_extension: bool, model: RongtaiModel
) -> None:
    # RTBleConnector.m: bit 1 set means the chair has NO leg-rest extension.
    status = decode_status(with_field(1, b1), _ios_app(model))
    assert rongtai_detail(status).has_leg_extension is has_leg_extension


@pytest.mark.parametrize(
    ("b2", "expected"),
    [
        (0x00, (None, 0, False, False)),
        (0x01, (Width.NARROW, 0, False, False)),
        (0x02 | 6 << 2, (Width.MEDIUM, 6, False, False)),
        (0x03 | 3 << 2 | 0x20, (Width.WIDE, 3, True, False)),
        (0x40, (None, 0, False, True)),
    ],
)
def test_b2_width_speed_foot_roller_heat(
    b2: int, expected: tuple[Width | None, int, bool, bool], model: RongtaiModel
) -> None:
    status = decode_status(with_field(2, b2), model)
    assert (status.width, status.speed, status.foot_roller, status.heat) == expected


@pytest.mark.parametrize(
    ("index", "value", "reason"),
    [
        (2, 7 << 2, "speed 7"),
        (3, 6, "airbag level 6"),
        (3, 7, "airbag level 7"),
        (14, 6, "3D strength 6"),
        (10, 0x03, "backrest motion code 3"),
        (10, 0x0C, "leg-rest motion code 3"),
        (10, 0x30, "slide motion code 3"),
    ],
)
def test_values_the_protocol_leaves_undefined_are_refused(
    index: int, value: int, reason: str, model: RongtaiModel
) -> None:
    with pytest.raises(ProtocolError, match=reason):
        decode_status(with_field(index, value), model)


def test_airbag_level_and_intensity(model: RongtaiModel) -> None:
    assert decode_status(with_field(3, 0x45), model).airbag_level == 5  # bit 6 is the anion
    assert decode_status(with_field(14, 0x3B), model).intensity == 3  # bits 3..5: 3D program


@pytest.mark.parametrize(("b3", "anion", "level"), [(0x42, True, 2), (0x02, False, 2)])
def test_the_anion_is_b3_bit_6(b3: int, anion: bool, level: int, model: RongtaiModel) -> None:
    # RT6923 Main_Send: b3 bit 6 is bOzonEnable; the HA integration's "ionizer" captures agree.
    status = decode_status(with_field(3, b3), model)
    assert (status.anion, status.airbag_level) == (anion, level)


@pytest.mark.parametrize(("b14", "program", "strength"), [(0x0D, 1, 5), (0x13, 2, 3), (0x05, 0, 5)])
def test_the_3d_program_is_b14_bits_3_to_5(
    b14: int, program: int, strength: int, model: RongtaiModel
) -> None:
    # RT6923 Main_Send: (nKeyAxisStrength + 1) in bits 0-2, 3D-1..3D-3 as 1..3 << 3.
    status = decode_status(with_field(14, b14), model)
    assert (rongtai_detail(status).mode_3d, status.intensity) == (program, strength)


@pytest.mark.parametrize(
    ("b4", "range_"),
    [
        (0x09, None),
        (0x29, MassageRange.FULL),
        (0x49, MassageRange.PARTIAL),
        (0x69, MassageRange.POINT),
    ],
)
def test_massage_range_beside_the_timer(
    b4: int, range_: MassageRange | None, model: RongtaiModel
) -> None:
    status = decode_status(with_field(4, b4), model)
    assert status.massage_range is range_
    assert status.remaining_s == 1200


def test_remaining_time_spans_twelve_bits(model: RongtaiModel) -> None:
    fields = bytearray(BASE)
    fields[3], fields[4] = 0x1F, 0x7F
    assert decode_status(checked(bytes(fields)), model).remaining_s == 31 * 128 + 127


@pytest.mark.parametrize(
    ("index", "bit", "zone"),
    [
        (6, 0, Z.FEET),
        (6, 1, Z.CALVES),
        (6, 2, Z.THIGHS),
        (6, 3, Z.SEAT),
        (6, 4, Z.ARMS),
        (7, 4, Z.SHOULDERS),
        (7, 5, Z.WAIST),
        (7, 6, Z.SHOULDERS),  # the neck bags count as shoulders: no neck zone in our words
    ],
)
def test_each_airbag_activity_bit(
    index: int, bit: int, zone: AirbagZone, model: RongtaiModel
) -> None:
    status = decode_status(with_field(index, 1 << bit), model)
    assert status.airbags_active == {zone}


def test_foot_roller_speed_beside_the_airbag_bits(model: RongtaiModel) -> None:
    status = decode_status(with_field(6, 0x40 | 0x01), model)
    assert status.foot_roller_speed == 2
    assert status.airbags_active == {Z.FEET}


@pytest.mark.parametrize(
    ("bit", "zones"),
    [
        (2, {Z.CALVES, Z.FEET}),
        (3, {Z.WAIST}),
        (4, {Z.ARMS, Z.SHOULDERS}),
        (5, {Z.SEAT, Z.THIGHS}),
        (6, set(AirbagZone)),
    ],
)
def test_each_airbag_program_bit(bit: int, zones: set[AirbagZone], model: RongtaiModel) -> None:
    status = decode_status(with_field(12, 1 << bit), model)
    assert status.airbag_program == zones
    assert status.preset_minutes is None


def test_airbag_programs_combine(model: RongtaiModel) -> None:
    status = decode_status(with_field(12, 0b0101100), model)
    assert status.airbag_program == {Z.CALVES, Z.FEET, Z.WAIST, Z.SEAT, Z.THIGHS}


@pytest.mark.parametrize(("code", "minutes"), [(0, None), (1, 10), (2, 20), (3, 30)])
def test_preset_minutes(code: int, minutes: int | None, model: RongtaiModel) -> None:
    assert decode_status(with_field(12, code), model).preset_minutes == minutes


@pytest.mark.parametrize(
    ("code", "name"),
    [
        (0, None),
        (1, "fatigue recovery"),
        (2, "extend"),
        (3, "relax"),
        (4, "soreness relief"),
        (5, "neck and shoulders"),
        (6, "back and waist"),
        (7, "manual"),
        (8, "program 8"),
        (9, "program 9"),
        (10, "program 10"),
        (11, "3d"),  # the firmware's 0x0B << 2, and the real 3D capture's b13 0x2d
        (12, "program 12"),
        (13, "program 13"),
    ],
)
def test_program_codes(code: int, name: str | None, model: RongtaiModel) -> None:
    status = decode_status(with_field(13, code << 2 | 0x01), model)  # bits 0..1: direction
    assert status.program == name
    assert status.program_code == code


@pytest.mark.parametrize(
    ("code", "name"),
    [(7, "manual"), (8, "network 1"), (10, "network 3"), (11, "network 4"), (12, "3d")],
)
def test_program_codes_of_the_ios_app_s_table(code: int, name: str, model: RongtaiModel) -> None:
    status = decode_status(with_field(13, code << 2), _ios_app(model))
    assert status.program == name


def test_program_names_come_from_the_model(model: RongtaiModel) -> None:
    renamed = [
        p.model_copy(update={"name": f"mine {p.status_code}"}) for p in model.keys.auto_programs
    ]
    keys = model.keys.model_copy(update={"auto_programs": renamed})
    other = model.model_copy(update={"keys": keys})
    assert decode_status(with_field(13, 3 << 2), other).program == "mine 3"
    assert decode_status(with_field(13, 7 << 2), other).program == "manual"


STILL = ActuatorMotion.STOPPED
UP = ActuatorMotion.UP
DOWN = ActuatorMotion.DOWN


@pytest.mark.parametrize(
    ("b10", "expected"),
    [
        (0x00, (STILL, STILL, STILL, False)),
        (0x01, (UP, STILL, STILL, False)),
        (0x02, (DOWN, STILL, STILL, False)),
        (0x04, (STILL, UP, STILL, False)),
        (0x08, (STILL, DOWN, STILL, False)),
        (0x10, (STILL, STILL, UP, False)),
        (0x20, (STILL, STILL, DOWN, False)),
        (0x40, (STILL, STILL, STILL, True)),
    ],
)
def test_actuators_and_zero_g(
    b10: int,
    expected: tuple[ActuatorMotion, ActuatorMotion, ActuatorMotion, bool],
    model: RongtaiModel,
) -> None:
    status = decode_status(with_field(10, b10), model)
    assert (status.backrest, status.leg_rest, status.slide, status.zero_g) == expected
    assert status.actuators_moving is (b10 & 0x3F != 0)


def test_roller_position_and_body_scan(model: RongtaiModel) -> None:
    assert decode_status(with_field(8, 0x3F), model).roller_position == 31
    assert rongtai_detail(decode_status(with_field(9, 0x14), model)).body_scan == 0x14


@pytest.mark.parametrize("b9", [0x14, 0x1A, 0x3F, 0x40])
def test_no_shoulder_line_is_read_from_the_body_scan_byte(b9: int, model: RongtaiModel) -> None:
    # No real frame has b9's "scan succeeded" bit, the RT6923 never sets it, and neither
    # source gives bits 0-3 as a carriage position: placing rollers on such a reading could
    # put the neck anywhere in the scan window.
    assert decode_status(with_field(9, b9), model).shoulder_position is None


def _reason(frame: bytes, model: RongtaiModel) -> str | None:
    """Why ``frame`` is refused, or None when it decodes; anything else escaping fails."""
    try:
        decode_status(frame, model)
    except ProtocolError as error:
        return str(error)
    return None


@given(data=st.binary(min_size=0, max_size=24))
def test_any_bytes_decode_or_raise_a_protocol_error(data: bytes, model: RongtaiModel) -> None:
    reason = _reason(data, model)
    if reason is not None:
        assert reason
        assert "\n" not in reason


@given(fields=st.lists(st.integers(0, 0x7F), min_size=14, max_size=14))
def test_any_seven_bit_fields_decode_or_raise_a_protocol_error(
    fields: list[int], model: RongtaiModel
) -> None:
    reason = _reason(checked(bytes(fields)), model)
    if reason is None:
        status = decode_status(checked(bytes(fields)), model)
        assert status.technique_code == fields[0] >> 3 & 7
    else:
        assert "\n" not in reason
