"""Which bridge's chair a client shows: a broker and the topic prefix the bridge publishes the
chair under, from one URL (``chairctl --bridge mqtt://HOST[:PORT]/PREFIX``).

Kept apart from the client's connection so that the command line can check a URL without
loading the MQTT library.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from chairctl.services.remote.broker import BrokerError, BrokerSettings, broker_settings
from chairctl.services.remote.topics import ChairTopics
from chairctl.vocabulary.text import printable


@dataclass(frozen=True)
class BridgeTarget:
    """A bridge's chair: the broker, and the topic prefix the bridge publishes the chair under."""

    broker: BrokerSettings
    topics: ChairTopics

    @property
    def url(self) -> str:
        """The bridge as a URL to show: never the password."""
        return f"{self.broker.url}/{self.topics.prefix}"


def bridge_target(url: str, *, environ: Mapping[str, str] = os.environ) -> BridgeTarget:
    """``mqtt://[user[:password]@]host[:port]/prefix`` (or ``mqtts://``, TLS with the system's
    certificate authorities) as a :class:`BridgeTarget`; the password may come from
    ``$CHAIRCTL_MQTT_PASSWORD`` instead of the URL. A :class:`BrokerError` says what is wrong."""
    settings = broker_settings(url, environ=environ)
    if settings.prefix is None:
        raise BrokerError(
            f"the bridge URL '{printable(settings.url)}' names no chair: give the bridge's "
            "topic prefix as its path, like mqtt://localhost/chairctl/living-room"
        )
    settings.tls_context()  # certificate authorities that cannot be loaded are said now
    return BridgeTarget(settings, ChairTopics(settings.prefix))
