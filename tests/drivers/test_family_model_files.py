"""Model files of the Tuya and NCNI families: the shipped ones load and say what their chair can
do; a broken one is refused with a located reason, like a Rongtai one."""

from __future__ import annotations

from pathlib import Path

import pytest

from chairctl.vocabulary import AirbagZone, ModelError, Posture, Region, Technique
from drivers.models import BUILTIN_MODELS, builtin_registry, load_model_file
from drivers.models.schema import NcniModel, TuyaModel

TUYA = BUILTIN_MODELS / "tuya-amy-example.yaml"
NCNI = BUILTIN_MODELS / "ncni-chair.yaml"


def test_the_tuya_example_maps_the_standard_codes_and_derives_its_capabilities() -> None:
    model = builtin_registry().get("tuya-amy-example")
    assert isinstance(model, TuyaModel)
    assert model.family == "tuya-mcu"
    assert model.transports == {"wired"}
    assert model.datapoints["manual_mode"].id == 12
    assert model.range_of("manual_mode")[3] == "shiatsu"
    caps = model.capabilities
    assert caps.intensity_levels == 1
    assert Technique.ROLL in caps.techniques
    assert Technique.KNEAD_KNOCK not in caps.techniques
    # Combined locations (leg_hip, ...) are not groups; only "leg" inflates zones together.
    assert caps.airbag_groups == (frozenset({AirbagZone.CALVES, AirbagZone.FEET}),)
    assert caps.inflated_with(AirbagZone.SEAT) == {AirbagZone.SEAT}
    assert caps.postures == {Posture.UPRIGHT, Posture.ZERO_G_1, Posture.ZERO_G_2}


def test_the_ncni_chair_has_its_panels_keys_and_two_manual_modes() -> None:
    model = builtin_registry().get("ncni-chair")
    assert isinstance(model, NcniModel)
    assert (model.keys.power, model.keys.neck, model.keys.back_waist) == (0x01, 0x19, 0x17)
    assert model.manual_modes["neck"].regions == [Region.NECK]
    caps = model.capabilities
    assert caps.techniques == {Technique.KNEAD, Technique.SHIATSU, Technique.NONE}
    assert (caps.intensity_levels, caps.speeds, caps.foot_roller_speeds) == (3, 1, 0)
    assert caps.airbag_zones == {AirbagZone.SHOULDERS, AirbagZone.ARMS, AirbagZone.CALVES}


def _broken(tmp_path: Path, source: Path, old: str, new: str) -> str:
    text = source.read_text()
    assert old in text
    path = tmp_path / source.name
    path.write_text(text.replace(old, new, 1))
    with pytest.raises(ModelError) as caught:
        load_model_file(path)
    return str(caught.value)


@pytest.mark.parametrize(
    ("source", "old", "new", "message"),
    [
        (TUYA, "family: tuya-mcu", "family: tuya", ":26:11: unknown protocol family 'tuya'"),
        (TUYA, "  heat: {id: 3}", "  heat: {id: 1}", "datapoints switch and heat share DP id 1"),
        (TUYA, "  switch: {id: 1}\n", "", "datapoints must map switch"),
        (TUYA, "knead: {value: pinch}", "knead: {value: squeeze}", "squeeze not in the"),
        (TUYA, "intensity_levels: 1", "intensity_levels: 3", "this chair has no strength DP"),
        (TUYA, "  heat: {id: 3}", "  heat: {id: 3, range: [a, b]}", "heat is a bool DP"),
        (
            TUYA,
            "regions: [neck, shoulders], techniques: [knead, shiatsu]",
            "regions: [neck, shoulders], techniques: [knead, tap]",
            "must not use percussion",
        ),
        (TUYA, "  switch: {id: 1}", "  swich: {id: 1}", "'swich'"),
        (NCNI, "intensity_levels: 3", "intensity_levels: 5", "intensity_levels is at most 3"),
        (NCNI, "protocol:\n  family: ncni", "protocol:\n  family: ncni\n  baud: 1", "'baud'"),
        (
            NCNI,
            "session_minutes: [15, 20, 25, 30]",
            "session_minutes: [15, 15]",
            "repeats a step",
        ),
    ],
    ids=[
        "unknown family",
        "shared dp id",
        "no switch",
        "value not in range",
        "strength",
        "range on a bool",
        "percussion at the neck",
        "typo",
        "ncni levels",
        "ncni unknown key",
        "ncni timer",
    ],
)
def test_broken_family_files_are_located(
    tmp_path: Path, source: Path, old: str, new: str, message: str
) -> None:
    error = _broken(tmp_path, source, old, new)
    assert str(tmp_path) in error
    assert message in error
