"""The posture rule of a chair with one zero-gravity toggle key, the same for every family
that has one: upright leaves zero gravity, zero_g_1 is the key, recline is never timed blind,
and zero_g_2 cannot be selected with one key."""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum

from chairctl.vocabulary import Posture, Unsupported


class PostureGoal(Enum):
    """What the reconciler does about the backrest and leg rest."""

    #: Leave them where they are (no actuator is moved).
    KEEP = "keep"
    #: Out of zero gravity, if the chair is in it by our doing.
    UPRIGHT = "upright"
    #: Into the chair's zero-gravity posture.
    ZERO_G = "zero_g"


def one_key_posture(
    posture: Posture,
    postures: Sequence[Posture],
    notes: list[str],
    *,
    has_key: bool,
    confirmed: bool,
    remote: str,
) -> PostureGoal:
    """The goal for ``posture`` on a chair with one zero-gravity key (``has_key``) whose
    status shows the posture or not (``confirmed``); ``remote`` is what the chair's own
    control is called in the notes. Raises :class:`Unsupported` for what it cannot take."""
    if posture is Posture.UPRIGHT:
        return PostureGoal.UPRIGHT
    if posture not in postures:
        raise Unsupported(f"this chair cannot take the '{posture}' posture")
    if posture is Posture.ZERO_G_1:
        if not has_key:
            raise Unsupported("this chair has no zero-gravity key")
        if not confirmed:
            notes.append(
                "zero_g_1: the chair's zero-gravity key is pressed, but its status does not "
                "show the posture, so the posture is not confirmed"
            )
        return PostureGoal.ZERO_G
    if posture is Posture.RECLINE:
        notes.append(
            "recline: chairctl does not time blind backrest moves, so the backrest stays "
            f"where it is (use zero_g_1, or the chair's {remote})"
        )
        return PostureGoal.KEEP
    # zero_g_2: one zero-gravity key selects the first.
    raise Unsupported(f"this chair has one zero-gravity key; '{posture}' cannot be selected")
