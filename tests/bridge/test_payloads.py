"""The topics of a chair and the payloads on them: strict, one clear message per bad payload,
never a control character from the payload in it."""

from __future__ import annotations

import pytest

from chairctl.services.remote.payloads import (
    ChairState,
    IntensityAsk,
    PayloadError,
    StartCommand,
    dumps,
    parse_intensity,
    parse_name,
    parse_start,
    parse_state,
    parse_switch,
)
from chairctl.services.remote.topics import (
    ChairTopics,
    Command,
    TopicError,
    chair_slug,
    default_prefix,
)


def test_every_topic_lies_under_the_prefix_and_commands_are_found_by_name() -> None:
    topics = ChairTopics("chairctl/living-room/")
    assert topics.prefix == "chairctl/living-room"
    assert topics.state == "chairctl/living-room/state"
    assert topics.availability == "chairctl/living-room/availability"
    assert topics.commands == "chairctl/living-room/cmd/+"
    assert topics.command(Command.CLEAR_FAULT) == "chairctl/living-room/cmd/clear_fault"
    assert topics.command_of("chairctl/living-room/cmd/stop") is Command.STOP
    assert topics.command_of("chairctl/living-room-2/cmd/stop") is None
    assert topics.command_of("chairctl/living-room/cmd/dance") is None


@pytest.mark.parametrize(
    ("address", "prefix"),
    [
        ("sim", "chairctl/sim"),
        ("ble:EVOLUTION-*", "chairctl/ble-evolution"),
        ("/dev/ttyUSB0", "chairctl/dev-ttyusb0"),
        ("***", "chairctl/chair"),
    ],
)
def test_a_chair_given_no_prefix_gets_one_from_its_address(address: str, prefix: str) -> None:
    assert default_prefix(address) == prefix
    assert "/" not in chair_slug(address)


@pytest.mark.parametrize(
    ("prefix", "said"),
    [
        ("chairctl/+", "wildcard"),
        ("chairctl/#", "wildcard"),
        ("$SYS/chair", "broker's own"),
        ("chairctl//x", "empty level"),
        ("  ", "empty"),
        ("chair\x1b[2J", "control character"),
    ],
)
def test_a_prefix_mqtt_cannot_carry_is_refused(prefix: str, said: str) -> None:
    with pytest.raises(TopicError, match=said) as refused:
        ChairTopics(prefix)
    assert "\x1b" not in str(refused.value)


def test_start_or_press_means_the_selected_program_and_profile_and_empty_is_refused() -> None:
    # An empty start is what clearing a retained message delivers: never a start.
    with pytest.raises(PayloadError, match="an empty start is refused"):
        parse_start(b"")
    with pytest.raises(PayloadError, match="an empty start is refused"):
        parse_start(b"  \n")
    assert parse_start(b"START") == StartCommand()
    assert parse_start(b"press") == StartCommand()  # Home Assistant's button, by default
    assert parse_start(b'{"program": "lower-back-relief", "profile": "Ann"}') == StartCommand(
        program="lower-back-relief", profile="Ann"
    )


@pytest.mark.parametrize(
    ("payload", "said"),
    [
        (b"{not json", "a start is not valid JSON (line 1, column 2)"),
        (b'["lower-back-relief"]', "a start is one JSON object"),
        (b'{"program": 5}', "a start: program:"),
        (b'{"program": "x", "extra": 1}', "a start: unknown key 'extra'"),
        (b'{"profile": "Ann\\u001b[2J"}', "control character"),
        (b"\xff\xfe", "a start is not UTF-8 text"),
        (b"{" + b" " * 5000 + b"}", "at most 4096 bytes"),
    ],
)
def test_a_bad_start_is_one_clear_message(payload: bytes, said: str) -> None:
    with pytest.raises(PayloadError) as refused:
        parse_start(payload)
    assert said in str(refused.value)
    assert "\x1b" not in str(refused.value)
    assert "\n" not in str(refused.value)


@pytest.mark.parametrize(
    ("payload", "ask"),
    [
        (b"+1", IntensityAsk(delta=1)),
        (b"-1", IntensityAsk(delta=-1)),
        (b"Stronger", IntensityAsk(delta=1)),
        (b"gentler", IntensityAsk(delta=-1)),
        (b"3", IntensityAsk(level=3)),
        (b"5.0", IntensityAsk(level=5)),
    ],
)
def test_intensity_is_a_step_or_a_level(payload: bytes, ask: IntensityAsk) -> None:
    assert parse_intensity(payload) == ask


@pytest.mark.parametrize("payload", [b"6", b"0", b"2.5", b"max", b"\x1b[31m"])
def test_an_intensity_out_of_range_or_unknown_is_refused(payload: bytes) -> None:
    with pytest.raises(PayloadError, match="an intensity is") as refused:
        parse_intensity(payload)
    assert "\x1b" not in str(refused.value)


def test_a_switch_is_on_or_off() -> None:
    assert parse_switch(b"ON") is True
    assert parse_switch(b"off") is False
    with pytest.raises(PayloadError, match="a switch is ON or OFF; got 'MAYBE'"):
        parse_switch(b"maybe")


def test_a_name_is_one_plain_line() -> None:
    assert parse_name(b" Ann \n", "a profile") == "Ann"
    with pytest.raises(PayloadError, match="a profile is empty"):
        parse_name(b"", "a profile")
    with pytest.raises(PayloadError, match="control character"):
        parse_name(b"Ann\nBo", "a profile")


def test_a_state_goes_out_and_comes_back_the_same() -> None:
    state = ChairState(link="connected", work_state="running", session="running", intensity=3)
    assert parse_state(dumps(state)) == state
    with pytest.raises(PayloadError, match="a state: "):
        parse_state(b'{"link": "sideways"}')


def test_a_sign_asks_for_one_step_not_a_level() -> None:
    with pytest.raises(PayloadError, match="one step at a time: \\+1 or -1; got '\\+2'"):
        parse_intensity(b"+2")
