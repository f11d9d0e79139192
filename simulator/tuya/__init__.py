"""The chair's side of the Tuya MCU serial protocol: the MCU behind a Tuya module.

Written from the protocol rules (protocols.md section 5), independently of the driver's codec.
"""
