"""The statuses the NCNI adapter's decoder gives the session, from frames of the upstream
project's tests (``Vijtus/NCNI_Massage_Chair_Control``, ``tests/test_closed_loop.py``,
``frame()``): its running flag's known transient is not the chair stopping."""

from __future__ import annotations

from chairctl.vocabulary import WorkState
from drivers.protocols.ncni.decoding import TRANSIENT_STATUSES, NcniStatusDecoder


def upstream(
    *,
    b3: int = 0x04,
    b4: int = 0x02,
    b6: int = 0x0F,
    foot_b7: int = 0x0C,
    zone: int = 0x07,
    heat: int = 0x00,
) -> bytes:
    """Upstream's ``frame()``: [2] = 08, [3] [4], [5] = 0C, [6], [7], [11] = [5], [12] = [6],
    the profile A tail, zones at 21 and heat at 23."""
    data = bytearray(33)
    data[0:2] = b"\xaa\x55"
    data[2], data[3], data[4], data[5], data[6], data[7] = 0x08, b3, b4, 0x0C, b6, foot_b7
    data[11], data[12] = 0x0C, b6
    data[17:21] = bytes((0x0A, 0x0B, 0x0C, 0x08))
    data[21], data[23] = zone, heat
    return bytes(data)


def test_the_running_flag_dropping_with_the_foot_bucket_valid_is_a_transient() -> None:
    # Upstream's test_predkosc_masazu_stop_does_not_raise_false_unverified: after a foot-speed
    # press, frame(b6=0x00, foot_b7=0x0F) while the chair works on ("false positives came
    # from byte 6 not being 0x0F even though raw byte 7 carried the correct bucket").
    decoder = NcniStatusDecoder()
    running = decoder.feed(upstream() * 3)
    transient = decoder.feed(upstream(b6=0x00, foot_b7=0x0F) * 3)

    assert [s.work_state for s in running] == [WorkState.RUNNING] * 2
    assert [s.work_state for s in transient] == [WorkState.RUNNING] * 2
    assert [s.foot_roller_speed for s in transient] == [3] * 2
    # The pressure is the one shown while it ran: the same [5].
    assert {s.intensity for s in transient} == {3}


def test_a_running_flag_down_longer_than_the_transient_or_with_the_mode_changed_is_believed() -> (
    None
):
    decoder = NcniStatusDecoder()
    decoder.feed(upstream() * 2)
    statuses = decoder.feed(upstream(b6=0x00) * (TRANSIENT_STATUSES + 3))

    states = [s.work_state for s in statuses]
    assert states[:TRANSIENT_STATUSES] == [WorkState.RUNNING] * TRANSIENT_STATUSES
    assert set(states[TRANSIENT_STATUSES:]) == {WorkState.WAITING}

    # Auto left for the back and waist, not yet running: the chair did stop.
    decoder.feed(upstream() * 2)
    (status,) = decoder.feed(upstream(b4=0x0C, b6=0x00) * 2)
    assert (status.work_state, status.program) == (WorkState.WAITING, "manual back_waist")
