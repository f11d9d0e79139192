"""The Korean wired-remote model file: the example loads with the source's buttons and says what
its chair can do; a broken one is refused with a located reason, like any model file."""

from __future__ import annotations

from pathlib import Path

import pytest

from chairctl.vocabulary import AirbagZone, ModelError, Technique, Width
from drivers.models.korean import KoreanModel
from tests.simulator.korean_chair.koreanhelpers import EXAMPLE, load_korean


def test_the_example_has_the_source_s_buttons_programs_and_cycles() -> None:
    model = load_korean()
    keys = model.keys
    # spec/chair.yml commands: press and release of each button.
    pairs = {name: (p.press, p.release) for name, p in keys.pairs().items()}
    assert pairs == {
        "power": (0x0303, 0x0355),
        "timer": (0x032D, 0x0355),
        "pause": (0x0322, 0x0355),
        "heater": (0x0330, 0x0355),
        "speed": (0x0327, 0x0336),
        "manual": (0x0363, 0x0339),
        "back_recline": (0x0304, 0x0355),
        "back_raise": (0x0302, 0x0355),
        "leg_lower": (0x0301, 0x0355),
        "leg_raise": (0x0307, 0x0355),
        "air_mode": (0x0375, 0x0355),
        "air_strength": (0x0315, 0x0355),
        "foot_roller": (0x0331, 0x0339),
        "area": (0x0314, 0x0355),
        "position_up": (0x032C, 0x0355),
        "position_down": (0x032F, 0x0355),
        "position_reset": (0x0384, 0x0355),
        "zero_gravity": (0x0306, 0x0355),
        "width": (0x0364, 0x0355),
    }
    # The file spells out the defaults: a file that leaves keys out gets the same.
    assert keys == type(keys)()
    programs = {(p.name, p.display, p.key.press, p.key.release) for p in model.auto_programs}
    assert programs == {
        ("Charging", 1, 0x031F, 0x0355),
        ("Healing", 2, 0x0320, 0x0355),
        ("Stretching", 3, 0x031E, 0x0336),
        ("Sleep", 4, 0x0321, 0x0355),
        ("Classic", 5, 0x0305, 0x0355),
        ("Digestion", 6, 0x0391, 0x0355),
    }
    assert model.timer_steps == [5, 10, 15, 20, 25, 30]
    assert model.auto_program_minutes == 15
    assert model.releases == {0x0355, 0x0336, 0x0339}
    assert set(keys.holds) == {"back_recline", "back_raise", "leg_lower", "leg_raise"}
    assert model.family == "korean-ascii"
    assert model.transports == frozenset({"wired"})
    assert model.match.serial is not None
    assert model.match.serial.baudrate == 9600


def test_the_example_s_capabilities() -> None:
    caps = load_korean().capabilities
    assert caps.techniques == {
        Technique.KNEAD,
        Technique.KNEAD_KNOCK,
        Technique.ROLL,
        Technique.TAP,
        Technique.KNOCK,
        Technique.NONE,
    }
    assert (caps.intensity_levels, caps.speeds, caps.airbag_levels) == (1, 3, 3)
    assert caps.widths == set(Width)
    assert caps.airbag_zones == {
        AirbagZone.SHOULDERS,
        AirbagZone.ARMS,
        AirbagZone.CALVES,
        AirbagZone.FEET,
    }
    assert caps.airbag_groups == (
        frozenset({AirbagZone.ARMS, AirbagZone.SHOULDERS}),
        frozenset({AirbagZone.CALVES, AirbagZone.FEET}),
    )
    assert (caps.foot_roller_speeds, caps.rollers_rest_alone) == (1, False)


def _broken(tmp_path: Path, old: str, new: str) -> str:
    text = EXAMPLE.read_text()
    assert old in text
    path = tmp_path / EXAMPLE.name
    path.write_text(text.replace(old, new, 1))
    with pytest.raises(ModelError) as caught:
        load_korean(path)
    return str(caught.value)


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


@pytest.mark.parametrize(
    ("old", "new", "where", "message"),
    [
        (
            "  width: {press: 0x0364,",
            "  width: {press: 0x0330,",
            "  power: {press: 0x0303,",
            "heater and width share the press code 0330",
        ),
        (
            "  pause: {press: 0x0322, release: 0x0355}",
            "  pause: {press: 0x0322, release: 0x0303}",
            "  power: {press: 0x0303,",
            "the release code of pause, 0303, is the press code of power",
        ),
        (
            "  heater: {press: 0x0330,",
            "  heater: {press: 0x1104,",
            "  heater: {press: 0x1104,",
            "1104 is the chair's double beep, not a button's code",
        ),
        (
            "    key: {press: 0x0391, release: 0x0355}",
            "    key: {press: 0x0303, release: 0x0355}",
            "  - name: Charging",
            "power and auto program Digestion share the press code 0303",
        ),
        (
            "  default_session_min: 15",
            "  default_session_min: 12",
            "timer_steps:",
            "timing.default_session_min (12) must be one of the steps",
        ),
        (
            "timer_steps: [5, 10, 15, 20, 25, 30]",
            "timer_steps: [5, 10, 15, 20, 25, 45]",
            "timer_steps:",
            "45-minute timer outlasts the 30-minute session cap",
        ),
        (
            "  - [calves, feet]",
            "  - [calves, waist]",
            "  - [calves, waist]",
            "works waist, which the status cannot show",
        ),
        ("intensity_levels: 1", "intensity_levels: 3", "intensity_levels:", "must be 1"),
        (
            "    display: 6 ",
            "    display: 5 ",
            "  - name: Charging",
            "two auto programs share a display number",
        ),
        (
            "width_cycle: [wide, medium, narrow]",
            "width_cycle: [wide, wide, narrow]",
            "width_cycle:",
            "must list each of narrow, medium, wide once",
        ),
        (
            "  status_period_ms: 500",
            "  status_period_ms: 800",
            "  family: korean-ascii",
            "blink_period_ms must be at least twice status_period_ms",
        ),
        (
            'heat_levels: ["off", "medium"]',
            'heat_levels: ["off", "low", "high"]',
            "heat_levels:",
            "must be 'off' and at most one level",
        ),
        ("  zero_gravity: {press", "  zero_gravty: {press", "  zero_gravty:", "'zero_gravty'"),
    ],
    ids=[
        "shared press",
        "release is a press",
        "ack as a key",
        "program on a button",
        "timer start",
        "timer cap",
        "air zone",
        "strength",
        "display",
        "cycle",
        "blink",
        "heat",
        "typo",
    ],
)
def test_broken_files_are_refused_at_their_place(
    tmp_path: Path, old: str, new: str, where: str, message: str
) -> None:
    error = _broken(tmp_path, old, new)
    text = (tmp_path / EXAMPLE.name).read_text()
    assert f"{tmp_path / EXAMPLE.name}:{_line_of(text, where)}:" in error
    assert message in error


def test_a_file_that_leaves_out_what_the_source_gives_gets_the_source_s_table(
    tmp_path: Path,
) -> None:
    text = EXAMPLE.read_text()
    start = text.index("keys:\n")
    end = text.index("\n\n", start)
    cut = text[:start] + "keys: {}" + text[end:]
    for section in ("manual_techniques:", "auto_programs:", "air_modes:"):
        start = cut.index(section)
        end = cut.index("\n\n", start)
        cut = cut[:start] + cut[end + 2 :]
    path = tmp_path / EXAMPLE.name
    path.write_text(cut)
    full, short = load_korean(), load_korean(path)
    assert short.keys == full.keys
    assert short.manual_techniques == full.manual_techniques
    assert short.auto_programs == full.auto_programs
    assert short.air_modes == full.air_modes
    assert isinstance(short, KoreanModel)
