"""The chair's own news, as Textual messages: how the driver's link events reach the app, on
its message queue rather than inside the driver's callback.

(The stop state is not one: "Stopping…" is drawn in the same turn the stop starts.)"""

from __future__ import annotations

from textual.message import Message

from chairctl.vocabulary.chair_events import ChairEvent


class ChairNews(Message):
    """Something happened to the link or the chair (lost, reconnected, gave up, a fault)."""

    def __init__(self, event: ChairEvent) -> None:
        super().__init__()
        self.event = event
