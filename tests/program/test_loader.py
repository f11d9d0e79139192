"""The loader: valid files load with their source lines; every kind of bad input is located."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from chairctl.program import Ramp, Repeat, Step, load_program, setpoint_count, total_seconds
from chairctl.vocabulary import ProgramError, Region, Technique
from tests.conftest import MINIMAL, PROGRAMS


def problems_of(path: Path) -> list[str]:
    with pytest.raises(ProgramError) as caught:
        load_program(path)
    lines = str(caught.value).splitlines()
    assert all(line.startswith(f"{path}:") for line in lines), lines
    return [line.removeprefix(f"{path}:") for line in lines]


@pytest.mark.parametrize("path", sorted(PROGRAMS.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_library_program_loads(path: Path) -> None:
    program = load_program(path)
    assert program.id == path.stem
    assert 0 < total_seconds(program) <= 30 * 60
    assert path.read_text().startswith(
        "# yaml-language-server: $schema=../schema/program.schema.json\n"
    )


def test_steps_know_their_source_line(write_program: Callable[..., Path]) -> None:
    path = write_program(
        MINIMAL
        + """\
  - name: Block
    repeat: 2
    steps:
      - name: Inner
        duration: 10s
        technique: tap
        region: [mid_back, lower_back]
        intensity: {from: 1, to: 3}
"""
    )
    program = load_program(path)
    first, block = program.steps
    assert isinstance(first, Step)
    assert first.line == 9
    assert isinstance(block, Repeat)
    assert block.line == 13
    inner = block.steps[0]
    assert isinstance(inner, Step)
    assert inner.line == 16
    assert inner.region == [Region.MID_BACK, Region.LOWER_BACK]
    assert isinstance(inner.intensity, Ramp)
    assert inner.intensity.levels == [1, 2, 3]
    assert total_seconds(program) == 60 + 2 * 10
    assert setpoint_count(program) == 1 + 2 * 3


def test_defaults_fill_steps_and_format_defaults_fill_the_rest(
    write_program: Callable[..., Path],
) -> None:
    path = write_program(
        MINIMAL.replace("steps:\n", "defaults: {speed: 1, heat: {lumbar: low}}\nsteps:\n")
        + "  - {name: Rest, duration: 30s, technique: none, speed: 4}\n"
    )
    knead, rest = list(load_program(path).run_order())
    assert (knead.speed, knead.intensity, knead.width, knead.posture) == (1, 2, "medium", "upright")
    assert knead.heat == {"lumbar": "low"}
    assert knead.foot_rollers == 0
    assert knead.airbags == {}
    assert rest.speed == 4
    assert rest.regions == ()
    assert rest.technique is Technique.NONE


# Each kind of bad input of the foundation issue: the body of the one step of MINIMAL (its
# lines start at line 10), where the problem must be reported, and what it must say.
BODY = "    duration: 1m\n    technique: knead\n    region: lower_back\n"
BAD_INPUT = {
    "yaml syntax error": (BODY + "    region2: [lower_back\n", "14:1:", "YAML syntax error"),
    "unknown key with suggestion": (
        BODY + "    widht: wide\n",
        "13:5:",
        "unknown key 'widht' (did you mean 'width'?)",
    ),
    "misspelt value with suggestion": (
        BODY.replace("knead", "kneed"),
        "11:16:",
        "'kneed' is not one of knead, tap, knock",
    ),
    "wrong type": (
        BODY + "    speed: fast\n",
        "13:12:",
        "speed: expected a whole number, got 'fast'",
    ),
    "string where a number is due": (BODY + "    speed: '3'\n", "13:12:", "got '3'"),
    "boolean where a number is due": (BODY + "    speed: true\n", "13:12:", "got true"),
    "out of range": (BODY + "    intensity: 6\n", "13:16:", "intensity: must be at most 5, got 6"),
    "airbag out of range": (BODY + "    airbags: {seat: 7}\n", "13:21:", "seat: must be at most 5"),
    "unknown airbag zone": (
        BODY + "    airbags: {hands: 2}\n",
        "13:15:",
        "airbags key: 'hands' is not one of shoulders",
    ),
    "bad duration text": (
        BODY.replace("1m", "5 minutes"),
        "10:15:",
        "'5 minutes' is not a duration",
    ),
    "duration too short": (BODY.replace("1m", "2s"), "10:15:", "a step lasts from 5s to 30m"),
    "non-adjacent span": (
        BODY.replace("region: lower_back", "region: [neck, lower_back]"),
        "12:13:",
        "the regions of a span must be adjacent",
    ),
    "duplicate key": (BODY + "    technique: tap\n", "13:5:", "duplicate key 'technique'"),
    "anchor": (BODY + "    speed: &fast 4\n", "13:12:", "anchor '&fast' is not allowed"),
    "tag": (BODY + "    speed: !!int 4\n", "13:12:", "YAML tag 'tag:yaml.org,2002:int'"),
    "null value": (BODY + "    speed:\n", "13:5:", "'speed' has no value"),
    "percussion at the neck": (
        BODY.replace("knead", "knock").replace("lower_back", "neck"),
        "11:16:",
        "percussion (knock) is never allowed at the neck",
    ),
    "too strong at the neck": (
        BODY.replace("lower_back", "[neck, shoulders]") + "    intensity: {from: 1, to: 3}\n",
        "13:16:",
        "intensity at the neck may be at most 2; it ramps to 3",
    ),
}


@pytest.mark.parametrize("case", BAD_INPUT, ids=str)
def test_bad_input_is_located(case: str, write_program: Callable[..., Path]) -> None:
    body, where, message = BAD_INPUT[case]
    problems = problems_of(write_program(MINIMAL.replace(BODY, body)))
    assert any(p.startswith(where) and message in p for p in problems), problems


def test_every_problem_of_a_file_is_reported_at_once(write_program: Callable[..., Path]) -> None:
    path = write_program(
        MINIMAL.replace("category: relaxation", "category: relax")
        .replace("goals: [tension]", "goals: [tension]\ncolour: blue")
        .replace("    duration: 1m", "    duration: 1 min")
    )
    problems = problems_of(path)
    assert len(problems) == 3
    assert problems[0].startswith("6:11: category: 'relax'")
    assert "did you mean 'relaxation'" in problems[0]
    assert problems[1].startswith("8:1: unknown key 'colour'")
    assert problems[2].startswith("11:15: duration:")


LONG_AT_THE_NECK = """\
format: 1
id: {id}
name: Long
summary: x
description: x
category: relaxation
goals: [tension]
steps:
  - {name: a, duration: 20m, technique: tap, region: neck, intensity: 2}
  - {name: b, duration: 20m, technique: knead, region: mid_back, intensity: 2}
"""


def test_the_id_the_neck_and_the_length_are_said_at_once(
    write_program: Callable[..., Path],
) -> None:
    # A new author's file: the id does not match its name, tapping at the neck, 40 minutes.
    path = write_program(LONG_AT_THE_NECK.replace("id: {id}", "id: wrong-id"))
    assert [p.split(": ", 1)[0] for p in problems_of(path)] == ["2:5", "8:1", "9:41"]
    # And with schema problems in the fields that describe it (a malformed id, a misspelt
    # category), the rules on what it does are still judged.
    path = write_program(
        LONG_AT_THE_NECK.replace("id: {id}", "id: Bad_Id").replace("relaxation", "relaxing")
    )
    problems = problems_of(path)
    assert [p.split(": ", 1)[0] for p in problems] == ["2:5", "6:11", "8:1", "9:41"]
    assert "the program runs 40m; a session may last at most 30m" in problems[2]
    assert "percussion (tap) is never allowed at the neck" in problems[3]


def test_the_rules_wait_for_steps_that_could_not_be_read(
    write_program: Callable[..., Path],
) -> None:
    # A step the schema refuses cannot be judged as written: only its own problem is said.
    path = write_program(LONG_AT_THE_NECK.replace("technique: knead", "technique: kneed"))
    problems = problems_of(path)
    assert len(problems) == 1
    assert "kneed" in problems[0]


def test_missing_required_keys_name_the_key(write_program: Callable[..., Path]) -> None:
    problems = problems_of(write_program(MINIMAL.replace("summary: A minimal program.\n", "")))
    assert problems == ["1:1: missing required key 'summary'"]


def test_step_without_technique_says_where_to_set_it(write_program: Callable[..., Path]) -> None:
    problems = problems_of(write_program(MINIMAL.replace("    technique: knead\n", "")))
    assert problems == [
        "9:5: step 'Knead' has no technique: set 'technique' in the step or in defaults"
    ]


def test_id_must_match_file_name(write_program: Callable[..., Path]) -> None:
    path = write_program(MINIMAL.replace("id: {id}", "id: other-name"))
    assert problems_of(path) == [
        "2:5: id 'other-name' must equal the file name without .yaml ('sample')"
    ]


def test_alias_is_refused(write_program: Callable[..., Path]) -> None:
    path = write_program(
        MINIMAL.replace("    region: lower_back\n", "    region: &r lower_back\n")
        + "  - {name: Again, duration: 1m, technique: knead, region: *r}\n"
    )
    problems = problems_of(path)
    assert "12:13: anchor '&r' is not allowed: write values out" in problems
    assert "13:59: alias '*r' is not allowed: write the value out" in problems


def test_program_longer_than_the_session_cap(write_program: Callable[..., Path]) -> None:
    path = write_program(
        MINIMAL.replace("duration: 1m", "duration: 16m")
        + MINIMAL.split("steps:\n")[1].replace("duration: 1m", "duration: 15m")
    )
    assert problems_of(path) == ["8:1: the program runs 31m; a session may last at most 30m"]


def test_program_expanding_past_the_setpoint_limit(write_program: Callable[..., Path]) -> None:
    nested = """\
  - name: Outer
    repeat: 50
    steps:
      - name: Middle
        repeat: 50
        steps:
          - name: Inner
            repeat: 5
            steps:
              - {name: Tick, duration: 5s, technique: knead, region: lower_back}
"""
    problems = problems_of(write_program(MINIMAL.split("steps:\n")[0] + "steps:\n" + nested))
    assert any("expands into 12,500 setpoints" in p and p.startswith("8:1:") for p in problems)
    assert any("a session may last at most 30m" in p for p in problems)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "1:1: the program file is empty"),
        (b"# only a comment\n\n", "1:1: the program file is empty"),
        (b"format: 1\nname: caf\xe9\n", "2:10: not UTF-8 text (byte 0xe9)"),
        (b"- a\n- b\n", "1:1: the program file must be a mapping of keys to values, not a list"),
        (b"just words\n", "1:1: the program file must be a mapping of keys to values"),
        (b"a: 1\n---\nb: 2\n", "2:1: only one YAML document is allowed in a file"),
        (b"a: \x00\n", "1:4: the file holds a NUL byte"),
    ],
    ids=["empty", "comments only", "latin-1", "list", "scalar", "two documents", "nul"],
)
def test_unreadable_files(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "sample.yaml"
    path.write_bytes(content)
    problems = problems_of(path)
    assert len(problems) == 1, problems
    assert problems[0].startswith(message), problems


def test_oversized_file_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "sample.yaml"
    path.write_text("# padding\n" * 30_000)
    assert problems_of(path) == [
        "1:1: the program file is 293 KiB; a program file may be at most 256 KiB"
    ]


def test_missing_file(tmp_path: Path) -> None:
    problems = problems_of(tmp_path / "nowhere.yaml")
    assert problems == ["1:1: cannot read: No such file or directory"]


def test_a_block_without_repeat_says_what_it_needs(write_program: Callable[..., Path]) -> None:
    path = write_program(
        MINIMAL
        + "  - name: Block\n    steps:\n      - {name: A, duration: 1m, technique: knead, region: mid_back}\n"
    )
    assert (
        "14:5: key 'steps' does not go with the other keys of this entry (a block of steps needs 'repeat: N')"
        in problems_of(path)
    )


def test_a_long_or_multi_line_value_is_quoted_on_one_short_line(
    write_program: Callable[..., Path],
) -> None:
    text = MINIMAL.replace(
        "    region: lower_back\n",
        "    region: |\n      a long text\n      over lines that goes on and on and on\n",
    )
    (problem,) = problems_of(write_program(text))
    assert problem.startswith(
        "12:13: region: 'a long text over lines that goes on and…' is not one of"
    )
