"""The Rongtai H10 key protocol (Rongtai chairs and rebrands such as Infinity).

Host to chair: one 5-byte frame per key press (:func:`encode_key`). Chair to host: a status
frame every 50 ms (wired) or 200 ms (BLE), decoded one at a time (:func:`decode_status`) or from
a byte stream (:class:`StatusDecoder`). Pure code: no I/O, no clock. See
``docs/protocols/rongtai.md``.
"""

from drivers.models.rongtai import PROGRAM_TABLES, TECHNIQUE_LABELS
from drivers.protocols.rongtai.detail import RongtaiDetail, rongtai_detail
from drivers.protocols.rongtai.frames import (
    CHECKED_LENGTH,
    DEFAULT_DEVICE_BYTE,
    EOI,
    FORBIDDEN_DEVICE_BYTES,
    SOI,
    STATUS_LENGTHS,
    UNCHECKED_LENGTH,
    checksum,
    encode_key,
    status_fields,
)
from drivers.protocols.rongtai.status import (
    PROGRAM_3D,
    StatusCodes,
    decode_fields,
    decode_status,
    technique_label,
)
from drivers.protocols.rongtai.stream import StatusDecoder, StatusFramer

__all__ = [
    "CHECKED_LENGTH",
    "DEFAULT_DEVICE_BYTE",
    "EOI",
    "FORBIDDEN_DEVICE_BYTES",
    "PROGRAM_3D",
    "PROGRAM_TABLES",
    "SOI",
    "STATUS_LENGTHS",
    "TECHNIQUE_LABELS",
    "UNCHECKED_LENGTH",
    "RongtaiDetail",
    "StatusCodes",
    "StatusDecoder",
    "StatusFramer",
    "checksum",
    "decode_fields",
    "decode_status",
    "encode_key",
    "rongtai_detail",
    "status_fields",
    "technique_label",
]
