"""What the simulated mainboard puts in a status frame at one instant (``Main_Send``).

Reads the firmware's state and the body's trajectories at time ``t`` and fills a
:class:`StatusImage`. It runs for every frame, so it reads values straight from the parts
rather than building a full physical snapshot.
"""

from __future__ import annotations

import functools
from typing import Final

from chairctl.vocabulary import AirbagZone, MassageRange
from simulator.rongtai.codes import (
    AIRBAG_BITS_B6,
    AIRBAG_BITS_B7,
    AIRBAG_PROGRAM_FULL_BODY,
    DIRECTION_DOWN,
    DIRECTION_UP,
    MANUAL_PROGRAM,
    MOTION_CODES,
    PRESET_CODES,
    RANGE_CODES,
    WIDTH_CODES,
    WORK_STATE_CODES,
    airbag_program_bits,
)
from simulator.rongtai.firmware import Mainboard, Phase
from simulator.rongtai.frames import StatusImage

#: b8 bit 5, "first zero-G position reached" (RT6923 ``Main_Send``), is set in every real
#: RT8600S frame, in every state, upright or not: the simulated chair reports it the same way.
_FIRST_ZERO_G_CAPTURED: Final = True
#: b1 bit 2 ("new program-name set") is set in every captured frame.
_NEW_NAMES_CAPTURED: Final = True


def status_image(board: Mainboard, t: float) -> StatusImage:
    """The status frame content of ``board`` at time ``t``."""
    model, body, phase = board.model, board.body, board.phase
    settings, session = board.settings, board.session
    running = phase is Phase.RUNNING
    technique = session.technique if running else None

    airbags_b6 = airbags_b7 = 0
    airbag_level = 0
    program_bits = 0
    if running and session.airbag_groups:
        program_bits = (
            1 << AIRBAG_PROGRAM_FULL_BODY
            if session.airbag_full
            else _program_bits(board.airbag_groups, tuple(session.airbag_groups))
        )
        airbag_level = settings.airbag_level
        for zone in body.airbags.inflating(t):
            b6, b7 = _ACTIVITY_BITS[zone]
            airbags_b6 |= b6
            airbags_b7 |= b7

    velocity = body.carriage.velocity(t)
    direction = DIRECTION_UP if velocity > 0 else DIRECTION_DOWN if velocity < 0 else 0
    position = round(body.carriage.position(t))

    if session.auto is not None and running:
        program = model.keys.auto_programs[session.auto].status_code
    else:
        program = MANUAL_PROGRAM if running else 0

    timer = board.error_code if phase is Phase.FAULT and board.error_code is not None else None
    foot = body.foot_roller_speed
    return StatusImage(
        has_3d=model.intensity_levels > 1,
        # Only a chair following the iOS app's map uses b1 bit 1 (set: no leg extension; the
        # model file has no extension keys). The RT6923 and real RT8600S frames leave it clear.
        no_leg_extension=model.protocol.status_map == "ios-app",
        new_program_names=_NEW_NAMES_CAPTURED,
        technique=technique.status_code if technique else 0,
        powered=phase is not Phase.STANDBY,
        width=WIDTH_CODES[settings.width],
        speed=settings.speed if technique else 0,
        foot_roller_on=foot > 0,
        heat_on=body.heater.on,
        airbag_level=airbag_level,
        anion=session.anion,
        timer=min(timer if timer is not None else board.remaining(t), 0xFFF),
        massage_range=_range_code(settings.massage_range) if technique else 0,
        airbags_b6=airbags_b6,
        # A program's foot roller shows speed 0, "auto", as most real frames of programs do.
        foot_roller_speed=0 if session.foot_auto else foot,
        work_state=WORK_STATE_CODES[phase.work_state],
        airbags_b7=airbags_b7,
        roller_position=min(31, max(0, position)),
        first_zero_g=_FIRST_ZERO_G_CAPTURED,
        # b9 is bit 6 alone while the scan runs, as in the real frames that show a scan (0x40),
        # and 0 otherwise: the firmware never sets bit 4 ("scan succeeded") and clears b9
        # once the scan is over, so where it found the shoulder line is never reported.
        scan_running=phase is Phase.SCANNING,
        backrest_motion=MOTION_CODES[body.backrest.motion(t)],
        calf_motion=MOTION_CODES[body.leg_rest.motion(t)],
        slide_motion=MOTION_CODES[board.slide.motion(t)],
        zero_g_reached=board.posture.zero_g_reached(t),
        preset_code=PRESET_CODES.get(settings.session_min, 0),
        airbag_program=program_bits,
        roller_direction=direction,
        program=program,
        strength=settings.strength,
        # Wired form only: the tapping toggle off, as the firmware powers up; no model key
        # toggles it.
        tapping_off=True,
    )


#: Zone -> (its b6 bit, its b7 bit), 0 where a byte has none.
_ACTIVITY_BITS: Final[dict[AirbagZone, tuple[int, int]]] = {
    zone: (
        1 << AIRBAG_BITS_B6[zone] if zone in AIRBAG_BITS_B6 else 0,
        1 << AIRBAG_BITS_B7[zone] if zone in AIRBAG_BITS_B7 else 0,
    )
    for zone in AirbagZone
}


@functools.cache
def _program_bits(groups: tuple[frozenset[AirbagZone], ...], chosen: tuple[int, ...]) -> int:
    # The program changes only on a key; frames ask for its bits many times a second.
    return airbag_program_bits(frozenset().union(*(groups[i] for i in chosen)))


def _range_code(massage_range: MassageRange) -> int:
    return RANGE_CODES[massage_range]
