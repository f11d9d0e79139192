"""The engine: runs a Plan on a Chair against a Clock, with the runtime guard always last."""

from chairctl.engine.events import (
    AdjustmentMade,
    Event,
    FaultRaised,
    Finished,
    Outcome,
    Paused,
    Resumed,
    SessionStarted,
    StatusReceived,
    StepStarted,
    Stopped,
    Warned,
)
from chairctl.engine.runner import Engine, LiveChange, Result

__all__ = [
    "AdjustmentMade",
    "Engine",
    "Event",
    "FaultRaised",
    "Finished",
    "LiveChange",
    "Outcome",
    "Paused",
    "Result",
    "Resumed",
    "SessionStarted",
    "StatusReceived",
    "StepStarted",
    "Stopped",
    "Warned",
]
