"""Home Assistant discovery for one chair: the one retained config that makes it appear in HA.

Home Assistant's device-based MQTT discovery (HA 2024.11 and later; the MQTT integration's page,
"Device discovery payload", home-assistant.io ``source/_integrations/mqtt.markdown``) takes one
JSON document per device at ``<discovery prefix>/device/<object id>/config``: the device
(``dev``), the software that announces it (``o``, required), and every entity in ``cmps``, each
keyed by a component id, naming its platform (``p``) and carrying a ``unique_id``. Published
retained, HA finds it whenever it starts; the bridge also publishes it again when HA's birth
message (``online`` on ``homeassistant/status``) arrives, and an empty retained payload on the
same topic (:func:`removal_payload`) removes the device and its entities.

Everything here is pure: it builds strings and dicts from what the bridge knows (its topics, as
``chairctl.services.remote.topics`` lays them out, the chair's model, the library, the profiles'
names, chairctl's version) and publishes nothing.

What HA shows and what it sends follow the bridge's topics (``P`` is the chair's prefix):

- the program select lists the library's names; picking one sends the program's **id** to
  ``P/cmd/program`` (a template maps each name to its id, so two programs of one name stay
  apart); the profile select lists the profiles' names and sends the name to ``P/cmd/profile``;
- Start sends an empty payload to ``P/cmd/start`` (the selected program for the selected
  profile: the bridge refuses it unless that profile allows a remote start); Stop sends ``STOP``
  to ``P/cmd/stop``;
- the intensity number (1..5, one step at a time) sends the level to ``P/cmd/intensity``; the
  heat switch sends ``ON``/``OFF`` to ``P/cmd/heat``;
- everything shown is read from the retained ``P/state``; a value the bridge does not know
  (``null``) shows as unknown in HA, never as a guess.

Commands go at QoS 1 (a stop must arrive; every command is harmless twice) and are never
retained: a retained start would start the chair again whenever the bridge reconnected.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import metadata
from typing import Any, Final, Protocol, get_args

from chairctl.services.remote.payloads import SessionWord
from chairctl.services.remote.topics import ROOT, ChairTopics, Command
from chairctl.vocabulary import MAX_INTENSITY, MIN_INTENSITY

#: Where HA looks for discovery configs unless its MQTT options say otherwise.
DEFAULT_DISCOVERY_PREFIX: Final = "homeassistant"
#: What every id chairctl gives HA starts with; fixed, since HA keeps entities by their ids.
ID_PREFIX: Final = "chairctl"
#: The session states ``P/state`` reports, offered as the state sensor's options so HA can
#: trigger on them by name (HA refuses a state its enum sensor does not list).
SESSION_STATES: Final[tuple[str, ...]] = get_args(SessionWord)
#: The attributes of the state sensor: what changes with the session's steps, not every second
#: (HA writes its state database on every attribute change; time left has its own sensor).
STATE_ATTRIBUTES: Final = (
    "work_state",
    "program",
    "program_name",
    "profile",
    "step",
    "step_name",
    "regions",
    "technique",
    "intensity",
    "airbags",
    "heat",
    "heat_withheld",
    "link",
    "stop",
)
#: HA refuses a sensor state longer than this.
_MAX_STATE_LENGTH: Final = 255
#: Commands are delivered at least once: a stop must arrive, and each command is harmless twice.
COMMAND_QOS: Final = 1
#: The stop button's payload; the bridge accepts anything on ``P/cmd/stop``.
STOP_PAYLOAD: Final = "STOP"
#: The start button's payload: the selected program for the selected profile (an empty start
#: is refused: clearing a retained message sends one).
START_PAYLOAD: Final = "START"


class NamedProgram(Protocol):
    """A program as the library lists it: its id (the file name) and its display name."""

    @property
    def id(self) -> str: ...

    @property
    def name(self) -> str: ...


@dataclass(frozen=True)
class DiscoveryTopics:
    """The bridge's topics for one chair that HA's entities read or write."""

    prefix: str
    availability: str
    state: str
    start: str
    stop: str
    intensity: str
    program: str
    profile: str
    heat: str

    @classmethod
    def of(cls, topics: ChairTopics) -> DiscoveryTopics:
        """The topics HA needs among the bridge's own (``chairctl.services.remote.topics``)."""
        return cls(
            prefix=topics.prefix,
            availability=topics.availability,
            state=topics.state,
            start=topics.command(Command.START),
            stop=topics.command(Command.STOP),
            intensity=topics.command(Command.INTENSITY),
            program=topics.command(Command.PROGRAM),
            profile=topics.command(Command.PROFILE),
            heat=topics.command(Command.HEAT),
        )

    @classmethod
    def under(cls, prefix: str) -> DiscoveryTopics:
        """The topics of the chair under ``prefix``; a
        :class:`~chairctl.services.remote.topics.TopicError` for one MQTT cannot carry."""
        return cls.of(ChairTopics(prefix))


@dataclass(frozen=True)
class ChairIdentity:
    """What HA's device page says about the chair: its model, maker and protocol family."""

    model_id: str
    model_name: str
    maker: str
    family: str


@dataclass(frozen=True)
class Origin:
    """The software announcing the chair: HA logs it with every discovered entity."""

    name: str
    sw_version: str
    support_url: str | None = None


def chairctl_origin() -> Origin:
    """chairctl as the origin: its installed version and, when the package names one, where to
    ask for help (:func:`support_url` of its project URLs)."""
    try:
        meta = metadata.metadata("chairctl")
    except metadata.PackageNotFoundError:
        return Origin("chairctl", "unknown")
    return Origin("chairctl", meta["Version"], support_url(meta.get_all("Project-URL") or []))


def support_url(project_urls: Iterable[str]) -> str | None:
    """Where to ask for help, from a package's ``Project-URL`` entries (``"Label, URL"``): the
    one labelled for issues, else support, else the homepage, else the repository."""
    urls: dict[str, str] = {}
    for entry in project_urls:
        label, _, url = entry.partition(",")
        if url.strip():
            urls.setdefault(label.strip().casefold(), url.strip())
    preferred = ("issues", "bug tracker", "support", "homepage", "repository", "source")
    return next((urls[label] for label in preferred if label in urls), None)


def node_id(prefix: str) -> str:
    """A stable id for the chair under ``prefix``, made of ``[a-z0-9_]`` as HA asks.

    Readable (the prefix's levels, without the default ``chairctl`` root) and distinct for every
    prefix: a digest of the exact prefix follows, so ``living-room`` and ``living_room``, which
    read alike, still differ. It depends on the prefix alone, so a chair keeps its entities (and
    HA keeps their history) across restarts.
    """
    levels = [level for level in prefix.split("/") if level]
    if len(levels) > 1 and levels[0] == ROOT:
        levels = levels[1:]
    slug = re.sub(r"[^a-z0-9]+", "_", "_".join(levels).lower()).strip("_")[:32].rstrip("_")
    digest = hashlib.sha256(prefix.encode("utf-8")).hexdigest()[:8]
    return f"{slug or 'chair'}_{digest}"


def device_id(node: str) -> str:
    """The device's identifier in HA's registry and its discovery object id."""
    return f"{ID_PREFIX}_{node}"


def unique_id(node: str, component: str) -> str:
    """The ``unique_id`` of one entity of the chair: ``chairctl_<node>_<component>``."""
    return f"{device_id(node)}_{component}"


def discovery_topic(node: str, discovery_prefix: str = DEFAULT_DISCOVERY_PREFIX) -> str:
    """Where the chair's config is published: ``homeassistant/device/chairctl_<node>/config``."""
    return f"{discovery_prefix}/device/{device_id(node)}/config"


def removal_payload() -> bytes:
    """The empty payload that, published retained on :func:`discovery_topic`, removes the chair
    and its entities from HA and clears the broker's retained config."""
    return b""


def discovery_payload(config: Mapping[str, Any]) -> bytes:
    """A config as published: compact JSON in UTF-8."""
    return json.dumps(config, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def program_options(programs: Sequence[NamedProgram]) -> dict[str, str]:
    """The program select's options (what HA shows) mapped to the programs' ids, in library order.

    A name two programs share is told apart by its id ("Neck relief (neck-relief-2)"), so every
    option is one program.
    """
    ids = [program.id for program in programs]
    if len(set(ids)) != len(ids):
        raise ValueError("the library lists a program id twice")
    names = [program.name for program in programs]
    shared = {name for name in names if names.count(name) > 1}
    return {
        (f"{program.name} ({program.id})" if program.name in shared else program.name): program.id
        for program in programs
    }


def default_device_name(prefix: str) -> str:
    """The device's name in HA when the bridge is given none: "Massage chair living-room"."""
    last = prefix.rstrip("/").rsplit("/", 1)[-1]
    return f"Massage chair {last}" if last and last != ROOT else "Massage chair"


def discovery_config(
    topics: DiscoveryTopics,
    chair: ChairIdentity,
    programs: Sequence[NamedProgram],
    profiles: Sequence[str],
    origin: Origin,
    *,
    device_name: str | None = None,
) -> dict[str, Any]:
    """The one device config of the chair under ``topics.prefix``, for
    :func:`discovery_topic` of :func:`node_id` of that prefix."""
    node = node_id(topics.prefix)
    options = program_options(programs)
    labels_by_id = {program_id: label for label, program_id in options.items()}
    availability = [{"topic": topics.availability}]

    def entity(component: str, platform: str, name: str, **settings: Any) -> dict[str, Any]:
        return {
            "p": platform,
            "name": name,
            "unique_id": unique_id(node, component),
            "availability": availability,
            **settings,
        }

    def command(topic: str) -> dict[str, Any]:
        return {"command_topic": topic, "qos": COMMAND_QOS, "retain": False}

    components = {
        "program": entity(
            "program",
            "select",
            "Program",
            icon="mdi:playlist-play",
            options=list(options),
            **command(topics.program),
            command_template=_lookup_template("value", options),
            state_topic=topics.state,
            value_template=(
                "{% set p = value_json.get('selected_program') %}"
                + _lookup_template("p", labels_by_id)
            ),
        ),
        "profile": entity(
            "profile",
            "select",
            "Profile",
            icon="mdi:account",
            options=list(profiles),
            **command(topics.profile),
            state_topic=topics.state,
            value_template="{{ value_json.get('selected_profile') }}",
        ),
        "start": entity(
            "start",
            "button",
            "Start",
            icon="mdi:play",
            **command(topics.start),
            payload_press=START_PAYLOAD,
        ),
        "stop": entity(
            "stop",
            "button",
            "Stop",
            icon="mdi:stop",
            **command(topics.stop),
            payload_press=STOP_PAYLOAD,
        ),
        "intensity": entity(
            "intensity",
            "number",
            "Intensity",
            icon="mdi:arm-flex",
            min=MIN_INTENSITY,
            max=MAX_INTENSITY,
            step=1,
            mode="slider",
            **command(topics.intensity),
            state_topic=topics.state,
            value_template="{{ value_json.get('intensity') }}",
        ),
        "heat": entity(
            "heat",
            "switch",
            "Heat",
            icon="mdi:heat-wave",
            **command(topics.heat),
            payload_on="ON",
            payload_off="OFF",
            state_topic=topics.state,
            value_template=(
                "{% set h = value_json.get('heat') %}"
                "{{ 'None' if h is none else ('ON' if h else 'OFF') }}"
            ),
        ),
        "state": entity(
            "state",
            "sensor",
            "State",
            icon="mdi:seat-recline-extra",
            device_class="enum",
            options=list(SESSION_STATES),
            state_topic=topics.state,
            value_template="{{ value_json.get('session') }}",
            json_attributes_topic=topics.state,
            json_attributes_template=(
                "{{ {"
                + ", ".join(f"'{key}': value_json.get('{key}')" for key in STATE_ATTRIBUTES)
                + "} | tojson }}"
            ),
        ),
        "time_left": entity(
            "time_left",
            "sensor",
            "Time left",
            icon="mdi:timer-sand",
            device_class="duration",
            unit_of_measurement="s",
            state_topic=topics.state,
            value_template=(
                "{% set t = value_json.get('time_left_s') %}"
                "{{ 'None' if t is none else t | round(0) | int }}"
            ),
        ),
        "link": entity(
            "link",
            "binary_sensor",
            "Link",
            device_class="connectivity",
            entity_category="diagnostic",
            state_topic=topics.state,
            value_template=(
                "{% set l = value_json.get('link') %}"
                "{{ 'None' if l is none else ('ON' if l == 'connected' else 'OFF') }}"
            ),
        ),
        # The latched fault's words, "none" while the chair is connected and reports none; and
        # "unknown" while it is not connected, since no one can say then that it has none.
        "fault": entity(
            "fault",
            "sensor",
            "Fault",
            icon="mdi:alert-circle-outline",
            state_topic=topics.state,
            value_template=(
                "{% set f = value_json.get('fault') %}"
                f"{{% if f %}}{{{{ f[:{_MAX_STATE_LENGTH}] }}}}"
                "{% elif value_json.get('link') == 'connected' %}none"
                "{% else %}unknown{% endif %}"
            ),
        ),
    }
    return {
        "dev": {
            "ids": [device_id(node)],
            "name": device_name or default_device_name(topics.prefix),
            "mf": chair.maker,
            "mdl": f"{chair.model_name} ({chair.family})",
            "mdl_id": chair.model_id,
        },
        "o": {
            "name": origin.name,
            "sw": origin.sw_version,
            **({"url": origin.support_url} if origin.support_url else {}),
        },
        "cmps": components,
    }


def _lookup_template(variable: str, table: Mapping[str, str]) -> str:
    """A Jinja template printing ``variable`` looked up in ``table`` (itself when absent)."""
    literal = "{" + ", ".join(f"{_jinja_string(k)}: {_jinja_string(v)}" for k, v in table.items())
    return "{{ " + literal + "}.get(" + variable + ", " + variable + ") }}"


def _jinja_string(text: str) -> str:
    """``text`` as a Jinja string literal that no name can break out of: every character but
    plain letters, digits, spaces and a few marks is written as a ``\\u`` escape, so a ``"``,
    a backslash or a ``}}``/``%}`` in a program's name stays inside the string."""
    out = []
    for char in text:
        if char.isascii() and (char.isalnum() or char in " -_.,'()"):
            out.append(char)
        elif ord(char) > 0xFFFF:
            out.append(f"\\U{ord(char):08x}")
        else:
            out.append(f"\\u{ord(char):04x}")
    return '"' + "".join(out) + '"'
