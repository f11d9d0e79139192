"""``chairctl models``: the known chair models, as a table and as JSON."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from collections.abc import Callable

    from tests.conftest import Run


@pytest.mark.parametrize("columns", ["80", "200"])
def test_the_table_lists_each_model_and_what_it_can_do(
    chairctl: Callable[..., Run], monkeypatch: pytest.MonkeyPatch, columns: str
) -> None:
    # Narrow terminals get one column per model, wide ones one row per model.
    monkeypatch.setenv("COLUMNS", columns)
    code, out, err = chairctl("models")
    assert (code, err) == (0, "")
    for text in ("rongtai-rt8600s", "Rongtai RT8600S", "rongtai-h10", "9600 8N1", "EVOLUTION-*"):
        assert text in out
    assert "knead" in out
    assert "lumbar" in out
    assert max(map(len, out.splitlines())) <= int(columns)


def test_json_lists_every_model_with_its_capabilities(chairctl: Callable[..., Run]) -> None:
    code, out, _ = chairctl("models", "--json")
    assert code == 0
    models = {m["id"]: m for m in json.loads(out)}
    assert sorted(models) == [
        "korean-ascii-remote",
        "ncni-chair",
        "rongtai-rt8600s",
        "tuya-amy-example",
        "tuya-neck-massager",
    ]
    assert {m["protocol"] for m in models.values()} == {
        "rongtai-h10",
        "tuya-mcu",
        "ncni",
        "korean-ascii",
    }
    model = models["rongtai-rt8600s"]
    assert model["protocol"] == "rongtai-h10"
    assert model["track"] == "SL"
    assert model["intensity_levels"] == 5
    assert set(model["techniques"]) == {"knead", "knock", "knead_knock", "tap", "shiatsu", "roll"}
    assert model["airbag_zones"] == [
        "shoulders",
        "arms",
        "waist",
        "seat",
        "thighs",
        "calves",
        "feet",
    ]
    assert model["heaters"] == ["lumbar"]
    assert model["ble_names"] == ["RT8600S", "EVOLUTION-*"]
    assert model["serial"] == {"baudrate": 9600, "bytesize": 8, "parity": "N", "stopbits": 1}


def test_one_model_in_detail(chairctl: Callable[..., Run]) -> None:
    code, out, _ = chairctl("models", "rongtai-rt8600s")
    assert code == 0
    for text in ("0734594a-a8e7-4b1a-a6b1-cd5243059a57", "0x83", "0x57", "17 bytes", "fatigue"):
        assert text in out


def test_one_model_as_json_is_the_whole_model(chairctl: Callable[..., Run]) -> None:
    code, out, _ = chairctl("models", "rongtai-rt8600s", "--json")
    assert code == 0
    model = json.loads(out)
    assert model["protocol"]["device_byte"] == 0x83
    assert model["keys"]["techniques"]["knead"] == {
        "key": 0x20,
        "status_code": 1,
        "approximates": False,
    }
    assert model["summary"]["id"] == "rongtai-rt8600s"


def test_an_unknown_model_is_one_line_and_exit_1(chairctl: Callable[..., Run]) -> None:
    code, out, err = chairctl("models", "rongtai-rt8600")
    assert (code, out) == (1, "")
    assert err.startswith("chairctl: no chair model 'rongtai-rt8600'")
    assert err.count("\n") == 1


def test_a_tuya_model_in_detail_shows_its_data_point_map(chairctl: Callable[..., Run]) -> None:
    code, out, _ = chairctl("models", "tuya-amy-example")
    assert code == 0
    for text in ("Data points", "manual_mode", "waist_relax", "lower_back", "queried"):
        assert text in out


def test_an_ncni_model_in_detail_shows_its_keys_and_modes(chairctl: Callable[..., Run]) -> None:
    code, out, _ = chairctl("models", "ncni-chair")
    assert code == 0
    for text in ("Panel keys", "0x19", "Manual modes", "back waist", "33 bytes"):
        assert text in out


def test_a_korean_model_in_detail_shows_its_button_pairs_and_cycles(
    chairctl: Callable[..., Run],
) -> None:
    code, out, _ = chairctl("models", "korean-ascii-remote")
    assert code == 0
    for text in ("0303 / 0355", "0327 / 0336", "Manual techniques", "Auto programs", "5 min"):
        assert text in out


def test_the_json_of_every_family_says_what_it_can_do(chairctl: Callable[..., Run]) -> None:
    _code, out, _ = chairctl("models", "--json")
    models = {m["id"]: m for m in json.loads(out)}
    tuya = models["tuya-amy-example"]
    assert (tuya["device_byte"], tuya["intensity_levels"], tuya["ble_names"]) == (None, 1, [])
    assert "waist_relax" in tuya["auto_programs"]
    ncni = models["ncni-chair"]
    assert set(ncni["techniques"]) == {"knead", "shiatsu"}
    assert ncni["airbag_zones"] == ["shoulders", "arms", "calves"]
