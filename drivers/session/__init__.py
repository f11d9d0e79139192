"""The parts of a chair session (:class:`drivers.chair.ChairSession`): the status feed, the
paced key sender, and the records a session reports (config, stops, interruptions, events)."""

from drivers.session.feed import StatusFeed, StatusSubscription
from drivers.session.keys import KeySender
from drivers.session.records import (
    Interruption,
    LinkState,
    SessionConfig,
    StopReport,
    UnsafeStop,
)

__all__ = [
    "Interruption",
    "KeySender",
    "LinkState",
    "SessionConfig",
    "StatusFeed",
    "StatusSubscription",
    "StopReport",
    "UnsafeStop",
]
