"""Chair model files: the shipped ones load; a broken one is refused with a located reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from chairctl.vocabulary import ModelError, Technique, TrackType, UnknownModel
from drivers.models import BUILTIN_MODELS, ModelRegistry, builtin_registry, load_model_file
from drivers.models.rongtai import RongtaiModel

REFERENCE = BUILTIN_MODELS / "rongtai-rt8600s.yaml"


def test_shipped_models_load_and_describe_their_chair() -> None:
    registry = builtin_registry()
    model = registry.get("rongtai-rt8600s")
    assert isinstance(model, RongtaiModel)
    assert model.protocol.device_byte == 0x83
    assert model.capabilities.track is TrackType.SL
    assert Technique.SWEDISH not in model.capabilities.techniques
    assert registry.match_ble_name("EVOLUTION-012345") is model
    assert registry.match_ble_name("RT8600S") is model
    assert registry.match_ble_name("Some lamp") is None


def test_unknown_model_suggests_the_nearest() -> None:
    with pytest.raises(UnknownModel, match="did you mean 'rongtai-rt8600s'"):
        builtin_registry().get("rongtai-rt8600")


@pytest.mark.parametrize(
    ("old", "new", "where", "message"),
    [
        (
            "  heat_toggle: 0x27",
            "  heat_toggle: 0x01",
            ":",
            "keys power and heat_toggle share the code 0x01",
        ),
        (
            "  device_byte: 0x83",
            "  device_byte: 0xBD",
            ":29:16:",
            "engineering or program-download",
        ),
        ("  device_byte: 0x83", "  device_byte: 0xF0", ":29:16:", "is a frame marker"),
        (
            "  backrest_travel_s: 20.0",
            "  backrest_travel_s: 31.0",
            ":",
            "backrest_travel_s must be shorter than actuator_timeout_s",
        ),
        (
            "    notify: 0734594a-a8e7-4b1a-a6b1-cd5243059a57",
            "    notify: not-a-uuid",
            ":18:13:",
            "is not a UUID",
        ),
        ("  power: 0x01", "  powr: 0x01", ":44:3:", "unknown key 'powr' (did you mean 'power'?)"),
        ("id: rongtai-rt8600s", "id: rongtai-other", ":5:5:", "must equal the file name"),
    ],
    ids=[
        "key collision",
        "engineering byte",
        "frame marker",
        "travel past timeout",
        "uuid",
        "typo",
        "id",
    ],
)
def test_broken_model_files_are_located(
    tmp_path: Path, old: str, new: str, where: str, message: str
) -> None:
    text = REFERENCE.read_text()
    assert old in text
    path = tmp_path / "rongtai-rt8600s.yaml"
    path.write_text(text.replace(old, new, 1))
    with pytest.raises(ModelError) as caught:
        load_model_file(path)
    lines = str(caught.value).splitlines()
    assert any(line.startswith(f"{path}{where}") and message in line for line in lines), lines


def test_a_folder_with_a_broken_model_reports_every_problem(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("format: 1\nid: a\n")
    (tmp_path / "b.yaml").write_text("format: [\n")
    with pytest.raises(ModelError) as caught:
        ModelRegistry.from_folders(tmp_path)
    text = str(caught.value)
    assert f"{tmp_path / 'a.yaml'}:1:1: missing required key 'name'" in text
    assert f"{tmp_path / 'b.yaml'}:2:1: YAML syntax error" in text
