"""The retained messages that describe a chair to the broker's clients: what discovery
announces to Home Assistant, and what ``--remove`` clears.

:mod:`chairctl.bridge.discovery` builds Home Assistant's device config (pure); this module
turns the bridge's view (topics, model, library, profiles' names) into its messages, so the
bridge itself knows nothing of Home Assistant's format.
"""

from __future__ import annotations

from collections.abc import Sequence

from chairctl.bridge.discovery import (
    ChairIdentity,
    DiscoveryTopics,
    chairctl_origin,
    discovery_config,
    discovery_payload,
    discovery_topic,
    node_id,
    removal_payload,
)
from chairctl.bridge.library import Library
from chairctl.bridge.outbox import Message
from chairctl.services.remote.topics import ChairTopics
from drivers.models import ChairModel


def discovery_messages(
    topics: ChairTopics, model: ChairModel, library: Library, profiles: Sequence[str]
) -> list[Message]:
    """Home Assistant's retained device config for the chair under ``topics``."""
    config = discovery_config(
        DiscoveryTopics.under(topics.prefix),
        ChairIdentity(
            model_id=model.id,
            model_name=model.name,
            maker=model.maker,
            family=model.family,
        ),
        library.programs,
        profiles,
        chairctl_origin(),
    )
    topic = discovery_topic(node_id(topics.prefix))
    return [Message(topic, discovery_payload(config), retain=True)]


def removal_messages(topics: ChairTopics) -> list[Message]:
    """Empty retained payloads: Home Assistant forgets the chair, and the broker every
    retained message of its prefix."""
    cleared = (topics.availability, topics.state, topics.library, topics.profiles)
    return [
        Message(discovery_topic(node_id(topics.prefix)), removal_payload(), retain=True),
        *(Message(topic, b"", retain=True) for topic in cleared),
    ]
