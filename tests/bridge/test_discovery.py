"""Home Assistant discovery: the chair's one device config is what HA documents, its ids stay put,
its commands stay under the chair's prefix, what it shows is never a guess, and removal is empty.

The schema in tests/data/ha-discovery-schema.json is written from HA's own documentation (its
description names the pages). The templates are rendered with Jinja's sandbox, the engine HA's
templates run on, with ``value_json`` / ``value`` as HA passes them.
"""

from __future__ import annotations

import copy
import functools
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from importlib import metadata
from typing import Any, get_args

# jsonschema ships no type hints and types-jsonschema is not among the dev dependencies.
import jsonschema  # type: ignore[import-untyped]
import pytest
from jinja2.sandbox import ImmutableSandboxedEnvironment

from chairctl.bridge.discovery import (
    SESSION_STATES,
    ChairIdentity,
    DiscoveryTopics,
    NamedProgram,
    Origin,
    chairctl_origin,
    discovery_config,
    discovery_payload,
    discovery_topic,
    node_id,
    removal_payload,
    support_url,
    unique_id,
)
from chairctl.program import Program
from chairctl.program.library import library_dir
from chairctl.program.loader import load_program, program_files
from chairctl.services.remote.payloads import (
    IntensityAsk,
    SessionWord,
    StartCommand,
    parse_intensity,
    parse_name,
    parse_start,
    parse_switch,
)
from chairctl.services.remote.topics import ChairTopics, Command, TopicError
from tests.conftest import DATA

SCHEMA: dict[str, Any] = json.loads((DATA / "ha-discovery-schema.json").read_text())
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)
CHAIR = ChairIdentity("rongtai-rt8600s", "Rongtai RT8600S", "Rongtai", "rongtai-h10")
PREFIX = "chairctl/living-room"
PROFILES = ("ann", "bob")
JINJA = ImmutableSandboxedEnvironment()

#: Each component the chair offers, and the HA platform it is.
PLATFORMS = {
    "program": "select",
    "profile": "select",
    "start": "button",
    "stop": "button",
    "intensity": "number",
    "heat": "switch",
    "state": "sensor",
    "time_left": "sensor",
    "link": "binary_sensor",
    "fault": "sensor",
}


@dataclass(frozen=True)
class Named:
    """A program as the library lists it, for names the library does not have."""

    id: str
    name: str


@functools.cache
def library() -> tuple[Program, ...]:
    return tuple(load_program(path) for path in program_files([library_dir()]))


def config(
    prefix: str = PREFIX,
    programs: Sequence[NamedProgram] | None = None,
    profiles: Sequence[str] = PROFILES,
) -> dict[str, Any]:
    return discovery_config(
        DiscoveryTopics.under(prefix),
        CHAIR,
        library() if programs is None else programs,
        profiles,
        chairctl_origin(),
    )


def render(template: str, **variables: Any) -> str:
    return JINJA.from_string(template).render(**variables)


def errors(document: object) -> list[str]:
    return [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in VALIDATOR.iter_errors(document)
    ]


def topics_in(node: object) -> Iterator[str]:
    """Every topic a config names: the ``*_topic`` keys and the availability topics."""
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(value, str) and (key.endswith("_topic") or key == "topic"):
                yield value
            else:
                yield from topics_in(value)
    elif isinstance(node, list):
        for item in node:
            yield from topics_in(item)


# -- the schema and the config ---------------------------------------------------------------


def test_the_schema_is_valid_json_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


def test_the_config_is_a_valid_device_discovery_payload() -> None:
    published = json.loads(discovery_payload(config()))
    assert errors(published) == []


def test_the_config_has_the_chairs_controls() -> None:
    components = config()["cmps"]
    assert {name: c["p"] for name, c in components.items()} == PLATFORMS
    intensity = components["intensity"]
    assert (intensity["min"], intensity["max"], intensity["step"]) == (1, 5, 1)
    assert intensity["mode"] in ("slider", "box")
    time_left = components["time_left"]
    assert (time_left["device_class"], time_left["unit_of_measurement"]) == ("duration", "s")
    assert components["link"]["device_class"] == "connectivity"
    assert components["state"]["options"] == [
        "idle",
        "preparing",
        "running",
        "paused",
        "stopping",
        "ended",
    ]
    assert (components["heat"]["payload_on"], components["heat"]["payload_off"]) == ("ON", "OFF")


def _drop(component: str, key: str) -> Callable[[dict[str, Any]], None]:
    return lambda document: document["cmps"][component].pop(key)


def _set(component: str, key: str, value: object) -> Callable[[dict[str, Any]], None]:
    return lambda document: document["cmps"][component].__setitem__(key, value)


@pytest.mark.parametrize(
    "spoil",
    [
        _drop("stop", "unique_id"),
        _drop("stop", "p"),
        _drop("stop", "command_topic"),
        _drop("program", "options"),
        _drop("time_left", "state_topic"),
        _set("stop", "comand_topic", "chairctl/living-room/cmd/stop"),
        _set("stop", "p", "light"),
        _set("intensity", "mode", "dial"),
        _set("time_left", "unit_of_measurement", "minutes"),
        _drop("state", "options"),
        _set("link", "device_class", "connected"),
        _set("fault", "entity_category", "config"),
        _set("stop", "device", {"ids": ["elsewhere"], "name": "Elsewhere"}),
        lambda document: document["o"].pop("name"),
        lambda document: document["dev"].pop("ids"),
        lambda document: document.pop("o"),
    ],
    ids=[
        "no unique_id",
        "no platform",
        "button without command topic",
        "select without options",
        "sensor without state topic",
        "misspelt key",
        "a platform not described",
        "number mode",
        "duration unit",
        "enum sensor without options",
        "binary sensor class",
        "sensor category",
        "device set on a component",
        "origin without name",
        "device without ids",
        "no origin",
    ],
)
def test_the_schema_refuses_what_ha_documents_as_wrong(
    spoil: Callable[[dict[str, Any]], None],
) -> None:
    document = copy.deepcopy(config())
    spoil(document)
    assert errors(document) != []


# -- ids --------------------------------------------------------------------------------------


def test_unique_ids_are_chairctl_node_component() -> None:
    node = node_id(PREFIX)
    document = config()
    ids = {name: c["unique_id"] for name, c in document["cmps"].items()}
    assert ids == {name: f"chairctl_{node}_{name}" for name in PLATFORMS}
    assert document["dev"]["ids"] == [f"chairctl_{node}"]
    assert discovery_topic(node) == f"homeassistant/device/chairctl_{node}/config"
    assert discovery_topic(node, "ha") == f"ha/device/chairctl_{node}/config"


def test_unique_ids_are_stable_across_runs_and_changes() -> None:
    # A literal, not recomputed: an id from Python's per-process hash() would differ here.
    assert node_id(PREFIX) == "living_room_a962d535"
    assert unique_id(node_id(PREFIX), "stop") == "chairctl_living_room_a962d535_stop"
    before = {c["unique_id"] for c in config()["cmps"].values()}
    changed = discovery_config(
        DiscoveryTopics.under(PREFIX),
        ChairIdentity("ncni-chair", "NCNI chair", "NCNI", "ncni"),
        [Named("only", "Only program")],
        [],
        chairctl_origin(),
        device_name="Grandma's chair",
    )
    assert {c["unique_id"] for c in changed["cmps"].values()} == before


def test_two_prefixes_never_share_an_id() -> None:
    prefixes = [
        PREFIX,
        "chairctl/living_room",
        "chairctl/Living-Room",
        "home/chairctl/living-room",
        "living-room",
        "chairctl/bedroom",
    ]
    nodes = [node_id(prefix) for prefix in prefixes]
    assert len(set(nodes)) == len(prefixes)
    assert len({discovery_topic(node) for node in nodes}) == len(prefixes)
    unique = [c["unique_id"] for p in prefixes for c in config(p)["cmps"].values()]
    assert len(set(unique)) == len(unique)
    for node in nodes:
        assert set(node) <= set("abcdefghijklmnopqrstuvwxyz0123456789_")


# -- topics -----------------------------------------------------------------------------------


def test_every_topic_is_under_the_chairs_prefix() -> None:
    for prefix in (PREFIX, "home/chairs/bedroom"):
        topics = list(topics_in(config(prefix)))
        assert topics
        assert all(topic.startswith(prefix + "/") for topic in topics), topics
    commands = {c["command_topic"] for c in config()["cmps"].values() if "command_topic" in c}
    assert commands == {
        f"{PREFIX}/cmd/{name}"
        for name in ("program", "profile", "start", "stop", "intensity", "heat")
    }
    living_room = set(topics_in(config()))
    assert living_room.isdisjoint(topics_in(config("chairctl/bedroom")))


def test_commands_are_never_retained_and_arrive_at_least_once() -> None:
    commanded = [c for c in config()["cmps"].values() if "command_topic" in c]
    assert len(commanded) == 6
    for component in commanded:
        assert component["retain"] is False, component["name"]
        assert component["qos"] >= 1, component["name"]


def test_every_entity_is_unavailable_when_the_bridge_is() -> None:
    for component in config()["cmps"].values():
        assert component["availability"] == [{"topic": f"{PREFIX}/availability"}]


def test_every_command_ha_sends_is_one_the_bridge_takes() -> None:
    bridge = ChairTopics(PREFIX)
    document = config()
    commands = {
        bridge.command_of(c["command_topic"])
        for c in document["cmps"].values()
        if "command_topic" in c
    }
    assert None not in commands
    assert commands == {
        Command.PROGRAM,
        Command.PROFILE,
        Command.START,
        Command.STOP,
        Command.INTENSITY,
        Command.HEAT,
    }
    assert all(
        c["availability"][0]["topic"] == bridge.availability for c in document["cmps"].values()
    )
    assert document["cmps"]["state"]["state_topic"] == bridge.state


def test_every_payload_ha_sends_is_one_the_bridge_reads() -> None:
    components = config()["cmps"]
    assert parse_start(components["start"]["payload_press"].encode()) == StartCommand()
    assert parse_switch(components["heat"]["payload_on"].encode()) is True
    assert parse_switch(components["heat"]["payload_off"].encode()) is False
    number = components["intensity"]
    # HA's number sends a whole level as "3" (and "3.0" from older versions).
    for level in range(number["min"], number["max"] + 1, number["step"]):
        assert parse_intensity(str(level).encode()) == IntensityAsk(level=level)
        assert parse_intensity(f"{level}.0".encode()) == IntensityAsk(level=level)
    select = components["program"]
    for option in select["options"]:
        sent = render(select["command_template"], value=option)
        assert parse_name(sent.encode(), "a program") == sent
    for profile in components["profile"]["options"]:
        assert parse_name(profile.encode(), "a profile") == profile


def test_the_state_sensor_lists_every_session_word_the_bridge_publishes() -> None:
    assert config()["cmps"]["state"]["options"] == list(get_args(SessionWord))
    assert "running" in SESSION_STATES


def test_a_prefix_with_a_wildcard_or_empty_level_is_refused() -> None:
    for prefix in ("chairctl/+", "chairctl/#", "", "/chairctl", "chairctl//a", "$SYS/chair"):
        with pytest.raises(TopicError):
            DiscoveryTopics.under(prefix)


# -- options and templates --------------------------------------------------------------------


def test_program_options_are_the_librarys_names_and_commands_carry_ids() -> None:
    programs = library()
    assert len(programs) > 10
    select = config()["cmps"]["program"]
    assert select["options"] == [program.name for program in programs]
    for program in programs:
        assert render(select["command_template"], value=program.name) == program.id
        state = {"selected_program": program.id}
        assert render(select["value_template"], value_json=state) == program.name
    # Nothing selected yet: HA's "None" payload, which resets a select to unknown.
    assert render(select["value_template"], value_json={"selected_program": None}) == "None"


def test_a_name_that_looks_like_a_template_or_is_shared_stays_one_program() -> None:
    awkward = 'Hold "}} {% raw %} \\ {{ x }} ünï 🙂'
    programs = [Named("a", "Neck"), Named("b", awkward), Named("c", "Neck")]
    document = config(programs=programs)
    assert errors(document) == []
    select = document["cmps"]["program"]
    assert select["options"] == ["Neck (a)", awkward, "Neck (c)"]
    for option, program in zip(select["options"], programs, strict=True):
        assert render(select["command_template"], value=option) == program.id
        state = {"selected_program": program.id}
        assert render(select["value_template"], value_json=state) == option


def test_profile_options_are_the_profiles_names() -> None:
    select = config()["cmps"]["profile"]
    assert select["options"] == list(PROFILES)
    assert render(select["value_template"], value_json={"selected_profile": "bob"}) == "bob"
    assert errors(config(profiles=[])) == []


RUNNING = {
    "link": "connected",
    "session": "running",
    "program": "lower-back-relief",
    "program_name": "Lower back relief",
    "profile": "ann",
    "intensity": 3,
    "heat": True,
    "time_left_s": 812.6,
    "fault": None,
    "stop": "idle",
}
LOST = {
    "link": "lost",
    "session": "ended",
    "intensity": None,
    "heat": None,
    "time_left_s": None,
    "fault": None,
    "stop": "unconfirmed",
}


@pytest.mark.parametrize(
    ("component", "running", "lost"),
    [
        ("state", "running", "ended"),
        ("intensity", "3", "None"),
        ("heat", "ON", "None"),
        ("time_left", "813", "None"),
        ("link", "ON", "OFF"),
        ("fault", "none", "unknown"),
    ],
)
def test_what_ha_shows_is_what_the_bridge_knows(component: str, running: str, lost: str) -> None:
    template = config()["cmps"][component]["value_template"]
    assert render(template, value_json=RUNNING) == running
    # "None" is HA's payload for unknown: a link gone is never shown as heat off or no fault.
    assert render(template, value_json=LOST) == lost


def test_a_fault_is_shown_in_words_within_has_limit() -> None:
    template = config()["cmps"]["fault"]["value_template"]
    state = {"link": "lost", "fault": "Overload of the roller motor. " * 20}
    shown = render(template, value_json=state)
    assert shown.startswith("Overload of the roller motor.")
    assert len(shown) == 255


def test_the_state_sensors_attributes_leave_out_what_changes_every_second() -> None:
    state = config()["cmps"]["state"]
    attributes = json.loads(render(state["json_attributes_template"], value_json=RUNNING))
    assert attributes["program_name"] == "Lower back relief"
    assert attributes["stop"] == "idle"
    assert "time_left_s" not in attributes
    assert "session_s" not in attributes


# -- origin and removal -----------------------------------------------------------------------


def test_the_origin_is_chairctl_and_its_version() -> None:
    origin = config()["o"]
    assert origin["name"] == "chairctl"
    assert origin["sw"] == metadata.version("chairctl")


def test_the_origin_names_where_to_ask_for_help_when_the_package_does() -> None:
    urls = [
        "Homepage, https://chairctl.example",
        "Issues, https://chairctl.example/issues",
        "Repository, https://git.example/chairctl",
    ]
    assert support_url(urls) == "https://chairctl.example/issues"
    assert support_url(urls[::2]) == "https://chairctl.example"
    assert support_url(["Changelog, https://chairctl.example/news"]) is None
    assert support_url([]) is None
    origin = Origin("chairctl", "1.2.3", "https://chairctl.example/issues")
    document = discovery_config(DiscoveryTopics.under(PREFIX), CHAIR, [], PROFILES, origin)
    assert document["o"] == {
        "name": "chairctl",
        "sw": "1.2.3",
        "url": "https://chairctl.example/issues",
    }
    assert errors(document) == []


def test_the_device_names_the_chairs_model() -> None:
    device = config()["dev"]
    assert device["mf"] == "Rongtai"
    assert device["mdl_id"] == "rongtai-rt8600s"
    assert "Rongtai RT8600S" in device["mdl"]
    assert "rongtai-h10" in device["mdl"]
    assert device["name"] == "Massage chair living-room"


def test_removal_is_an_empty_payload() -> None:
    assert removal_payload() == b""
