"""What a Rongtai H10 status reports beyond the shared :class:`ChairStatus` fields.

The body-scan byte, the 3D program and the mechanism flags of b1 mean something only on this
family's chairs; they travel in the status's ``detail`` for the Rongtai adapter and for
``decode``, and nothing outside the family reads them.
"""

from __future__ import annotations

from pydantic import Field

from chairctl.vocabulary import ChairStatus, StatusDetail


class RongtaiDetail(StatusDetail):
    """The Rongtai-only fields of one status frame."""

    body_scan: int = Field(
        0, ge=0, description="b9 as the chair sends it: bit 6 while the body scan runs."
    )
    has_3d: bool = Field(False, description="b1 bit 0: the chair has a 3D (depth) mechanism.")
    has_leg_extension: bool = Field(
        False, description="The leg rest extends (b1 bit 1 clear, in the iOS app's map only)."
    )
    mode_3d: int = Field(
        0,
        ge=0,
        description="b14 bits 3-5: the chair's own 3D program (1 is its 3D-1), 0 for none. "
        "While it runs the rollers work with no technique shown.",
    )


#: What a status that carries no Rongtai detail (built by hand, or by another family) says.
NO_DETAIL = RongtaiDetail()


def rongtai_detail(status: ChairStatus) -> RongtaiDetail:
    """The Rongtai fields of ``status``; all clear when it carries none."""
    detail = status.detail
    return detail if isinstance(detail, RongtaiDetail) else NO_DETAIL
