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

#: b8 bit 5 is set in every captured frame, in every state; the field map does not say why.
_B8_CAPTURED: Final = 0b01
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
        program_bits = _program_bits(board.airbag_groups, tuple(session.airbag_groups))
        airbag_level = settings.airbag_level
        for zone in body.airbags.inflating(t):
            b6, b7 = _ACTIVITY_BITS[zone]
            airbags_b6 |= b6
            airbags_b7 |= b7

    velocity = body.carriage.velocity(t)
    direction = DIRECTION_UP if velocity > 0 else DIRECTION_DOWN if velocity < 0 else 0
    position = round(body.carriage.position(t))

    if phase is Phase.SCANNING:
        elapsed = (t - board.scan_started) / model.mechanics.body_scan_s
        scan_position, scan_running, scan_ok = min(15, max(0, int(16 * elapsed))), True, False
    elif board.shoulder is not None and board.options.reports_body_scan:
        scan_position, scan_running, scan_ok = min(15, round(board.shoulder)), False, True
    else:
        scan_position, scan_running, scan_ok = 0, False, False

    if session.auto is not None and running:
        program = model.keys.auto_programs[session.auto].status_code
    else:
        program = MANUAL_PROGRAM if running else 0

    timer = board.error_code if phase is Phase.FAULT and board.error_code is not None else None
    foot = body.foot_roller_speed
    return StatusImage(
        has_3d=model.intensity_levels > 1,
        # The model file has no leg-extension keys, so this chair has none to report.
        no_leg_extension=True,
        new_program_names=_NEW_NAMES_CAPTURED,
        technique=technique.status_code if technique else 0,
        powered=phase is not Phase.STANDBY,
        width=WIDTH_CODES[settings.width],
        speed=settings.speed if technique else 0,
        foot_roller_on=foot > 0,
        heat_on=body.heater.on,
        airbag_level=airbag_level,
        timer=min(timer if timer is not None else board.remaining(t), 0xFFF),
        massage_range=_range_code(settings.massage_range) if technique else 0,
        airbags_b6=airbags_b6,
        foot_roller_speed=foot,
        work_state=WORK_STATE_CODES[phase.work_state],
        airbags_b7=airbags_b7,
        roller_position=min(31, max(0, position)),
        b8_spare=_B8_CAPTURED,
        scan_position=scan_position,
        scan_succeeded=scan_ok,
        scan_running=scan_running,
        backrest_motion=MOTION_CODES[body.backrest.motion(t)],
        calf_motion=MOTION_CODES[body.leg_rest.motion(t)],
        zero_g_reached=board.posture.zero_g_reached(t),
        preset_code=PRESET_CODES.get(settings.session_min, 0),
        airbag_program=program_bits,
        roller_direction=direction,
        program=program,
        strength=settings.strength,
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
    zones = frozenset().union(*(groups[i] for i in chosen))
    return airbag_program_bits(zones, frozenset().union(*groups))


def _range_code(massage_range: MassageRange) -> int:
    return RANGE_CODES[massage_range]
