"""The Tuya MCU serial protocol (chairs with a Tuya Wi-Fi or BLE module in front of their MCU).

We play the module: frames out with version ``00`` (:func:`encode_frame` and the convenience
encoders), frames in from the MCU (version ``03``) through :class:`FrameDecoder`, data points
in and out with :func:`decode_dps` and :func:`encode_dps`. Pure code: no I/O, no clock; the
timing constants are for the adapter. Reference: protocols.md section 5.
"""

from drivers.protocols.tuya.frames import (
    HEADER,
    HEARTBEAT_INTERVAL_S,
    MAX_DATA_LENGTH,
    MCU_VERSION,
    MODULE_VERSION,
    ONE_LOW_FAULT,
    RESEND_COUNT,
    RESEND_INTERVAL_S,
    Command,
    DataPoint,
    DpType,
    Frame,
    checksum,
    decode_dps,
    decode_frame,
    dp_deliver,
    dp_query,
    encode_dps,
    encode_frame,
    heartbeat,
    is_one_low,
    parse_product_info,
    product_query,
)
from drivers.protocols.tuya.stream import FrameDecoder

__all__ = [
    "HEADER",
    "HEARTBEAT_INTERVAL_S",
    "MAX_DATA_LENGTH",
    "MCU_VERSION",
    "MODULE_VERSION",
    "ONE_LOW_FAULT",
    "RESEND_COUNT",
    "RESEND_INTERVAL_S",
    "Command",
    "DataPoint",
    "DpType",
    "Frame",
    "FrameDecoder",
    "checksum",
    "decode_dps",
    "decode_frame",
    "dp_deliver",
    "dp_query",
    "encode_dps",
    "encode_frame",
    "heartbeat",
    "is_one_low",
    "parse_product_info",
    "product_query",
]
