"""Every value of a model file is bounded: finite numbers in a sensible range, the chair's own
timers no longer than a session, no key that resets or reprograms the chair, and names that
are plain text. A file that breaks one is refused on load, at the place of the value, and no
command gets as far as moving a chair with it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from chairctl.vocabulary import ModelError
from drivers.models import BUILTIN_MODELS, load_model_file

if TYPE_CHECKING:
    from tests.conftest import Run

RONGTAI = BUILTIN_MODELS / "rongtai-rt8600s.yaml"
NCNI = BUILTIN_MODELS / "ncni-chair.yaml"
TUYA = BUILTIN_MODELS / "tuya-amy-example.yaml"
FIVE_MINUTE_RESET = str(Path(__file__).parents[2] / "programs" / "five-minute-reset.yaml")


def line_of(source: Path, text: str) -> int:
    """The (1-based) line of ``source`` that holds ``text``: locations follow the file as it
    is, not a line number written down once."""
    return next(n for n, line in enumerate(source.read_text().splitlines(), 1) if text in line)


def problems_after(tmp_path: Path, source: Path, old: str, new: str) -> list[str]:
    """The problems of ``source`` with ``old`` replaced by ``new``, each as 'line:col: text'."""
    text = source.read_text(encoding="utf-8")
    assert old in text, old
    path = tmp_path / source.name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ModelError) as caught:
        load_model_file(path)
    return [str(p).removeprefix(f"{path}:") for p in caught.value.problems]


# -- numbers -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("  roller_travel_s: 15.0", "  roller_travel_s: .inf", "must be a finite number, got inf"),
        ("  body_scan_s: 20.0", "  body_scan_s: .nan", "must be a finite number, got nan"),
        ("  depth_travel_s: 3.0", "  depth_travel_s: -3.0", "must be at least 0.5"),
        ("  airbag_inflate_s: 6.0", "  airbag_inflate_s: 0.0", "must be at least 0.5"),
        ("  settle_cap_s: 120.0", "  settle_cap_s: .inf", "must be a finite number"),
        ("  settle_cap_s: 120.0", "  settle_cap_s: 1e9", "must be at most 300"),
        ("  power_to_mode_s: 1.0", "  power_to_mode_s: .inf", "must be a finite number"),
        ("  idle_sleep_s: 60.0", "  idle_sleep_s: 1e308", "must be at most 3600"),
        ("  key_gap_ms: 150", "  key_gap_ms: 100000000", "must be at most 2000"),
        ("  heater_time_constant_s: 120.0", "  heater_time_constant_s: 1e-300", "at least 1"),
        ("    baudrate: 9600", "    baudrate: 999999999999", "must be at most 4000000"),
        ("  shoulder_window: [8.47, 12.0]", "  shoulder_window: [.nan, 12.0]", "finite number"),
        (
            "wired: {length: 18, checksum: false, period_ms: 50}",
            "wired: {length: 18, checksum: false, period_ms: 99999999}",
            "must be at most 2000",
        ),
    ],
    ids=lambda value: value if " " not in value else None,
)
def test_numbers_are_finite_and_sensible(tmp_path: Path, old: str, new: str, message: str) -> None:
    problems = problems_after(tmp_path, RONGTAI, old, new)
    line = (
        RONGTAI.read_text()
        .splitlines()
        .index(next(text for text in RONGTAI.read_text().splitlines() if old in text))
    )
    assert any(p.startswith(f"{line + 1}:") and message in p for p in problems), problems


def test_tuya_timings_are_finite(tmp_path: Path) -> None:
    problems = problems_after(tmp_path, TUYA, "  heartbeat_s: 15.0", "  heartbeat_s: .inf")
    where = f"{line_of(TUYA, 'heartbeat_s: 15.0')}:16:"
    assert any(p.startswith(where) and "must be a finite number" in p for p in problems)


def test_an_infinite_travel_time_stops_at_the_model_not_in_the_simulator(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chairctl: Callable[..., Run]
) -> None:
    # Before: ZeroDivisionError from the physics, or a TimeoutError from the clock.
    models = tmp_path / "home" / "models"
    models.mkdir(parents=True)
    monkeypatch.setenv("CHAIRCTL_HOME", str(models.parent))
    text = RONGTAI.read_text().replace("id: rongtai-rt8600s", "id: slow-chair", 1)
    (models / "slow-chair.yaml").write_text(
        text.replace("  settle_cap_s: 120.0", "  settle_cap_s: .inf", 1)
    )
    done = chairctl("check", "--model", "slow-chair", FIVE_MINUTE_RESET)
    assert done.code == 1
    line = line_of(RONGTAI, "  settle_cap_s: 120.0")
    assert f"{models / 'slow-chair.yaml'}:{line}:17: settle_cap_s: must be a finite" in done.err
    assert "Traceback" not in done.out + done.err


# -- the chair's own timers --------------------------------------------------------------------


def test_a_rongtai_preset_longer_than_a_session_is_refused(tmp_path: Path) -> None:
    problems = problems_after(
        tmp_path,
        RONGTAI,
        "session_presets: {10: 0x50, 20: 0x51, 30: 0x52}",
        "session_presets: {10: 0x50, 20: 0x51, 999: 0x52}",
    )
    line = line_of(RONGTAI, "session_presets: {10: 0x50")
    assert problems == [
        f"{line}:41: session_presets key: a 999-minute timer outlasts the 30-minute session "
        "cap: the chair would run on by itself after chairctl is gone"
    ]


def test_a_rongtai_preset_of_no_minutes_is_refused(tmp_path: Path) -> None:
    problems = problems_after(
        tmp_path, RONGTAI, "{10: 0x50, 20: 0x51, 30: 0x52}", "{0: 0x50, 20: 0x51, 30: 0x52}"
    )
    where = f"{line_of(RONGTAI, 'session_presets: {10: 0x50')}:21:"
    assert any(p.startswith(where) and "is no timer" in p for p in problems), problems


def test_an_ncni_timer_step_longer_than_a_session_is_refused(tmp_path: Path) -> None:
    problems = problems_after(
        tmp_path, NCNI, "session_minutes: [15, 20, 25, 30]", "session_minutes: [15, 20, 90]"
    )
    line = line_of(NCNI, "session_minutes: [15, 20, 25, 30]")
    assert problems == [
        f"{line}:27: session_minutes: a 90-minute timer outlasts the 30-minute session cap: "
        "the chair would run on by itself after chairctl is gone"
    ]


@pytest.mark.parametrize("source", [NCNI, TUYA, RONGTAI], ids=lambda p: p.stem)
def test_the_default_timer_is_no_longer_than_a_session(tmp_path: Path, source: Path) -> None:
    line = next(t for t in source.read_text().splitlines() if "default_session_min:" in t)
    problems = problems_after(tmp_path, source, line, "  default_session_min: 40")
    assert any("a 40-minute timer outlasts the 30-minute session cap" in p for p in problems)


# -- keys chairctl never sends -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "where", "message"),
    [
        ("  power: 0x01", "  power: 0x7E", "10:", "power: key 0x7E is the reset key"),
        ("  heat_toggle: 0x27", "  heat_toggle: 0x7E", "16:", "heat_toggle: key 0x7E"),
        ("  zero_gravity: 0x70", "  zero_gravity: 0x7F", "17:", "key 0x7F is the idle code"),
        (
            "    knead: {key: 0x20, status_code: 1}",
            "    knead: {key: 0x7E, status_code: 1}",
            "18:",
            "key: key 0x7E is the reset key",
        ),
        (
            "  walk: {up_start: 0x60,",
            "  walk: {up_start: 0x7E,",
            "20:",
            "up_start: key 0x7E is the reset key",
        ),
        ("session_presets: {10: 0x50,", "session_presets: {10: 0x7E,", "25:", "0x7E"),
        ("  device_byte: 0x83", "  device_byte: 0xA5", "16:", "writes the chair's flash"),
        ("  device_byte: 0x83", "  device_byte: 0xBD", "16:", "engineering/test identity"),
    ],
    ids=["power", "heat", "idle", "technique", "hold", "preset", "download", "engineering"],
)
def test_a_refused_key_anywhere_is_located(
    tmp_path: Path, old: str, new: str, where: str, message: str
) -> None:
    problems = problems_after(tmp_path, RONGTAI, old, new)
    where = f"{line_of(RONGTAI, old)}:{where}"
    assert any(p.startswith(where) and message in p for p in problems), problems


# -- names are plain text ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "where", "char"),
    [
        ("name: Rongtai RT8600S", 'name: "Rongtai\\e[2J"', "7:", "U+001B (ESC)"),
        ("maker: Rongtai", 'maker: "Rong\\e]52;c;aGk=\\a"', "8:", "U+001B (ESC)"),
        ("name: fatigue recovery", 'name: "fatigue\\x9b31m"', "41:", "U+009B"),
        ('ble_names: ["RT8600S"', 'ble_names: ["RT8600S\\e]0;x\\a"', "15:", "U+001B"),
    ],
    ids=["name", "maker", "auto program", "ble name"],
)
def test_names_with_control_characters_are_refused(
    tmp_path: Path, old: str, new: str, where: str, char: str
) -> None:
    problems = problems_after(tmp_path, RONGTAI, old, new)
    where = f"{line_of(RONGTAI, old)}:{where}"
    assert any(p.startswith(where) and f"control character {char}" in p for p in problems), problems
    assert not any("\x1b" in p or "\x9b" in p for p in problems)
