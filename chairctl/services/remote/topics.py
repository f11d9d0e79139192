"""The MQTT topics of one chair: everything under its prefix, what goes out and what comes in.

A chair's prefix (``chairctl/living-room``) names it on the broker; two chairs on one broker
have two prefixes and never hear each other's commands. Out: ``P/availability`` (retained,
``online``/``offline``, the last will says ``offline``), ``P/state``, ``P/library`` and
``P/profiles`` (retained), ``P/event`` and ``P/error``. In: ``P/cmd/<command>``. Home
Assistant announces itself on :data:`HA_STATUS`. docs/bridge.md has the table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from chairctl.vocabulary import ChairctlError
from chairctl.vocabulary.text import first_control, printable

#: The first level of every default prefix.
ROOT: Final = "chairctl"
#: Where Home Assistant says ``online`` when it (re)starts: discovery is published again then.
HA_STATUS: Final = "homeassistant/status"
#: Topics are short; a prefix far longer than a name and a room is a mistake.
MAX_PREFIX: Final = 200

ONLINE: Final = "online"
OFFLINE: Final = "offline"


class TopicError(ChairctlError):
    """A topic prefix that MQTT cannot carry or that would reach other chairs' topics."""


class Command(StrEnum):
    """What a client may ask of the bridge, each on ``P/cmd/<value>``."""

    START = "start"
    STOP = "stop"
    PAUSE = "pause"
    RESUME = "resume"
    CLEAR_FAULT = "clear_fault"
    INTENSITY = "intensity"
    #: Home Assistant's selects: the program and the profile the next start uses.
    PROGRAM = "program"
    PROFILE = "profile"
    HEAT = "heat"


def chair_slug(address: str) -> str:
    """A topic level for a chair's address: ``sim``, ``ble-evolution``, ``dev-ttyusb0``."""
    words = re.findall(r"[a-z0-9]+", address.lower())
    return "-".join(words)[:60] or "chair"


def default_prefix(address: str) -> str:
    """``chairctl/<slug of the address>``: the prefix of a chair given none."""
    return f"{ROOT}/{chair_slug(address)}"


def check_prefix(prefix: str) -> str:
    """``prefix`` without a trailing ``/``, or a :class:`TopicError` saying what is wrong.

    Wildcards would subscribe the bridge to other chairs' commands; ``$`` topics are the
    broker's own; an empty level or a control character is a typing slip.
    """
    text = prefix.strip().rstrip("/")
    shown = printable(prefix)
    if not text:
        raise TopicError("the topic prefix is empty; give one like chairctl/living-room")
    if len(text) > MAX_PREFIX:
        raise TopicError(f"the topic prefix is longer than {MAX_PREFIX} characters")
    if "+" in text or "#" in text:
        raise TopicError(f"the topic prefix '{shown}' holds a wildcard (+ or #); MQTT forbids it")
    if text.startswith("$"):
        raise TopicError(f"the topic prefix '{shown}' starts with $, which is the broker's own")
    if first_control(text) is not None:
        raise TopicError(f"the topic prefix '{shown}' holds a control character")
    if text.startswith("/") or "//" in text:
        raise TopicError(f"the topic prefix '{shown}' has an empty level")
    if "cmd" in text.split("/"):
        # Its topics would land on another chair's commands (P/cmd/state, P/cmd/...).
        raise TopicError(f"the topic prefix '{shown}' has a level named cmd, the commands' own")
    return text


@dataclass(frozen=True)
class ChairTopics:
    """The topics of the chair published under :attr:`prefix`."""

    prefix: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "prefix", check_prefix(self.prefix))

    @property
    def availability(self) -> str:
        """``online`` / ``offline``, retained; the bridge's last will says ``offline``."""
        return f"{self.prefix}/availability"

    @property
    def state(self) -> str:
        """The chair and its session, retained (:class:`~.payloads.ChairState`)."""
        return f"{self.prefix}/state"

    @property
    def library(self) -> str:
        """The programs a start may name, retained."""
        return f"{self.prefix}/library"

    @property
    def profiles(self) -> str:
        """The names of the profiles, retained (never their health answers)."""
        return f"{self.prefix}/profiles"

    @property
    def event(self) -> str:
        """One session event per message."""
        return f"{self.prefix}/event"

    @property
    def error(self) -> str:
        """One refused command per message: ``{command, message}``."""
        return f"{self.prefix}/error"

    def command(self, command: Command) -> str:
        """Where a client sends ``command``."""
        return f"{self.prefix}/cmd/{command.value}"

    @property
    def commands(self) -> str:
        """The filter the bridge subscribes to: every command of this chair, and no other's."""
        return f"{self.prefix}/cmd/+"

    def command_of(self, topic: str) -> Command | None:
        """The command a message on ``topic`` carries; None for any other topic."""
        head = f"{self.prefix}/cmd/"
        if not topic.startswith(head):
            return None
        try:
            return Command(topic.removeprefix(head))
        except ValueError:
            return None
