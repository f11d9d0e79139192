"""The Korean chair's steady reading as the family-neutral ChairStatus, and what it names as
unconfirmed. Frames are the captures of ``sebastianrcnt/massage-chair-hack``'s ``reverse.md``,
or one with named bits changed (``spec/chair.yml``'s positions), fed every 0.5 s (the source's
"~2x/sec"), a blinking lamp in the other phase in each."""

from __future__ import annotations

from chairctl.vocabulary import (
    ActuatorMotion,
    AirbagZone,
    ChairStatus,
    MassageRange,
    Width,
    WorkState,
)
from drivers.protocols.korean import (
    BLINK_WINDOW_S,
    DIGESTION,
    MANUAL,
    BlinkReader,
    parse_long,
    parse_short,
    to_chair_status,
)
from drivers.protocols.korean.normalise import REPORTED
from tests.drivers.korean.kframes import AT_REST, CAPTURES, edited, short

STEP = 0.5


def status_after(
    longs: list[bytes], shorts: bytes | list[bytes] | None = None, *, read_at: float | None = None
) -> ChairStatus:
    """The status after ``longs`` one per 0.5 s, each followed by a short frame (one payload
    throughout, or one each)."""
    reader = BlinkReader()
    shorts_each = shorts if isinstance(shorts, list) else [shorts] * len(longs)
    steady = None
    for i, (long_payload, short_payload) in enumerate(zip(longs, shorts_each, strict=True)):
        at = i * STEP
        long = parse_long(long_payload)
        assert long is not None
        steady = reader.feed(long, at)
        if short_payload is not None:
            short_status = parse_short(short_payload)
            assert short_status is not None
            steady = reader.feed(short_status, at)
    assert steady is not None
    if read_at is not None:
        steady = reader.read(read_at)
    return to_chair_status(steady)


#: Frames that cover the blink window and more.
FRAMES = round((BLINK_WINDOW_S + 2.0) / STEP)


def blinking(on: bytes, off: bytes = AT_REST, count: int = FRAMES) -> list[bytes]:
    return [on if i % 2 else off for i in range(count)]


def test_before_any_long_status_nothing_is_believed() -> None:
    status = to_chair_status(BlinkReader().read(0.0))
    assert status.unconfirmed == REPORTED
    assert not status.running


def test_the_captured_session_as_a_chair_status() -> None:
    # The twelve captures came from one session: air on at 1, speed 3, medium, foot roller on,
    # heater off, rolling with tapping blinking. With an auto short frame showing no indicator.
    frames = [CAPTURES["timer-28-a"], CAPTURES["timer-28-b"]] * (FRAMES // 2)
    status = status_after(frames, short(b4=0x0B))
    assert status.running
    assert status.work_state is WorkState.RUNNING
    assert status.remaining_s == 28 * 60
    assert not status.heat
    assert status.speed == 3
    assert status.width is Width.MEDIUM
    assert status.foot_roller
    assert status.airbag_level == 1
    assert status.airbags_active == frozenset()
    assert status.massage_range is MassageRange.PARTIAL
    assert (status.backrest, status.leg_rest) == (ActuatorMotion.STOPPED, ActuatorMotion.STOPPED)
    assert status.program == DIGESTION
    # A pause does not show; digestion is read from no indicator at all.
    assert status.unconfirmed == {"work_state", "program"}


def test_an_auto_program_with_its_own_indicator_is_believed() -> None:
    classic = short(b1=0x08)
    status = status_after([AT_REST] * FRAMES, blinking(classic, short()))
    assert status.program == "classic"
    assert "program" not in status.unconfirmed


def test_manual_mode_is_the_manual_program() -> None:
    status = status_after([AT_REST] * FRAMES, short(b3=0x00))
    assert status.program == MANUAL
    assert "program" not in status.unconfirmed


def test_air_zones_that_blink_are_active_and_unknown_ones_unconfirmed() -> None:
    shoulder_and_foot = edited(AT_REST, set_=((7, 0), (7, 6)))
    status = status_after(blinking(shoulder_and_foot), short())
    assert status.airbags_active == {AirbagZone.SHOULDERS, AirbagZone.FEET}
    assert "airbags_active" not in status.unconfirmed
    early = status_after(blinking(shoulder_and_foot, count=4), short())
    assert early.airbags_active == {AirbagZone.SHOULDERS, AirbagZone.FEET}
    assert "airbags_active" in early.unconfirmed  # the wrist and calf cannot be told yet


def test_air_off_is_airbag_level_0_and_a_reserved_strength_is_unconfirmed() -> None:
    assert status_after([edited(AT_REST, clear=((3, 4),))] * 5).airbag_level == 0
    reserved = edited(AT_REST, set_=((4, 6),))  # B4[b6:b5] = 10
    status = status_after([reserved] * 5)
    assert status.airbag_level == 0
    assert "airbag_level" in status.unconfirmed


def test_the_heater_bit() -> None:
    assert status_after([edited(AT_REST, set_=((8, 1),))] * 5).heat


def test_the_backrest_reclining() -> None:
    reclining = edited(AT_REST, set_=((6, 3), (6, 4)))
    moving = edited(AT_REST, set_=((6, 4),))
    status = status_after(blinking(reclining, moving))
    assert status.backrest is ActuatorMotion.DOWN
    assert status.leg_rest is ActuatorMotion.STOPPED
    assert not {"backrest", "leg_rest"} & status.unconfirmed


def test_the_leg_rest_raising() -> None:
    raising = edited(AT_REST, set_=((6, 6), (6, 4)))
    moving = edited(AT_REST, set_=((6, 4),))
    status = status_after(blinking(raising, moving))
    assert (status.backrest, status.leg_rest) == (ActuatorMotion.STOPPED, ActuatorMotion.UP)


def test_moving_with_no_direction_seen_yet_is_not_taken_for_stopped() -> None:
    # The motion bit is set, no direction lamp has shown its lit phase yet.
    moving = edited(AT_REST, set_=((6, 4),))
    status = status_after([moving] * 3)
    assert {"backrest", "leg_rest"} <= status.unconfirmed


def test_a_direction_lamp_without_the_motion_bit_is_stopped() -> None:
    # "0 at rest or out of travel range": a key held at the end of travel.
    held = edited(AT_REST, set_=((6, 2),))
    status = status_after(blinking(held))
    assert status.backrest is ActuatorMotion.STOPPED
    assert "backrest" not in status.unconfirmed


def test_a_display_without_a_timer_is_standby() -> None:
    blank = edited(AT_REST, clear=tuple((1, b) for b in range(8)))
    status = status_after([blank] * FRAMES, short())
    assert not status.running
    assert status.work_state is WorkState.STANDBY
    assert status.program is None
    assert status.remaining_s == 0


def test_a_stale_reading_believes_nothing() -> None:
    status = status_after([AT_REST] * FRAMES, short(), read_at=FRAMES * STEP + 1.0)
    assert status.unconfirmed == REPORTED
