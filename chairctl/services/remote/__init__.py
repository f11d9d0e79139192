"""What both ends of the MQTT link share: the topics of a chair, the payloads on them, and the
broker's settings.

The bridge (``chairctl.bridge``, the one process that talks to the chair) and its clients (the
app attached to a bridge, scripts) both import this package and never each other.
"""
