"""chairctl profiles: add (from JSON and interactively), list, show, edit and remove."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from chairctl.cli import main
from chairctl.safety.profile import Condition
from chairctl.services.questionnaire import QUESTIONS
from chairctl.store import DATABASE_NAME, Store


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exited:
        main(["profiles", *args])
    out, err = capsys.readouterr()
    code = exited.value.code
    return (code if isinstance(code, int) else 1), out, err


def run_with_input(text: str, *args: str) -> tuple[int, str, str]:
    """Run through the real entry point with ``text`` on stdin, as a person would type it."""
    runner = CliRunner()
    with runner.isolation(input=text) as streams:
        with pytest.raises(SystemExit) as exited:
            main(["profiles", *args])
        out, err = streams[0].getvalue().decode(), streams[1].getvalue().decode()
    code = exited.value.code
    return (code if isinstance(code, int) else 1), out, err


def flat(text: str) -> str:
    """``text`` with its line wrapping undone, to search for sentences."""
    return " ".join(text.split())


def answers(age: int, yes: dict[Condition, list[str]], preferences: list[str]) -> str:
    """Typed answers: the age, y/n per condition (with follow-ups for a yes), preferences."""
    lines = [str(age)]
    for _, questions in QUESTIONS:
        for condition, _ in questions:
            if condition in yes:
                lines += ["y", *yes[condition]]
            else:
                lines.append("n")
    return "\n".join([*lines, *preferences]) + "\n"


#: First use: no; offset 0, max 5, skip none, heat yes, minutes none.
PLAIN_PREFERENCES = ["n", "0", "5", "none", "y", "none"]


def document(**health: object) -> dict[str, object]:
    return {"name": "ignored", "health": {"age": 40, "first_use": False, **health}}


def write_json(tmp_path: Path, data: object, name: str = "profile.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


def test_every_condition_is_asked_once() -> None:
    asked = [condition for _, questions in QUESTIONS for condition, _ in questions]
    assert sorted(asked) == sorted(Condition)


def question(condition: Condition) -> str:
    return next(text for _, qs in QUESTIONS for c, text in qs if c is condition)


def test_the_questions_cannot_be_misread() -> None:
    # Issue 16: each question says what a lay person needs to answer it right.
    assert "even years ago" in question(Condition.VERTEBRAL_FRACTURE)
    assert "sciatica" in question(Condition.HERNIATED_DISC)
    assert "down a leg" in question(Condition.HERNIATED_DISC)
    thinners = question(Condition.ANTICOAGULANTS)
    for drug in ("warfarin", "apixaban", "rivaroxaban", "heparin", "aspirin", "clopidogrel"):
        assert drug in thinners
    # "Elsewhere" sends cancer in bone to its own question, which refuses.
    assert "spread to your bones" in question(Condition.MALIGNANCY_ELSEWHERE)
    assert "spread to your bones" in question(Condition.CANCER_SPREAD_TO_BONE)
    # Recent surgery and spinal surgery at any time are asked apart.
    assert "last 3 months" in question(Condition.RECENT_SURGERY)
    assert "even years ago" in question(Condition.SPINAL_SURGERY)
    assert "fusion" in question(Condition.SPINAL_SURGERY)
    calf = question(Condition.CLOT_SYMPTOMS_NOW)
    assert all(word in calf for word in ("swollen", "painful", "warm", "right now"))
    assert "press stop on the remote" in question(Condition.CANNOT_OPERATE_ALONE)
    for _, questions in QUESTIONS:
        for _, text in questions:
            assert text.endswith(("?", "?)")), text


def test_add_from_json_saves_and_shows_the_screening(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, home: Path
) -> None:
    path = write_json(tmp_path, document(conditions=["diabetes"]))
    code, out, _ = run(capsys, "add", "Bo", "--from-json", str(path), "--home", str(home))
    assert code == 0
    assert "Saved the profile 'Bo'" in out
    assert "Allowed with these limits: no heat" in flat(out)
    assert "not medical advice" in out
    with Store.open(home / DATABASE_NAME) as store:
        saved = json.loads(store.get_profile("Bo") or "{}")
    assert saved["name"] == "Bo"  # NAME wins over the document's name
    assert saved["health"]["conditions"] == ["diabetes"]


def test_add_reads_stdin(home: Path) -> None:
    code, out, _ = run_with_input(
        json.dumps(document()), "add", "Cy", "--from-json", "-", "--home", str(home)
    )
    assert code == 0, out
    assert "Saved the profile 'Cy'" in out


def test_an_invalid_document_is_refused_and_nothing_saved(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, home: Path
) -> None:
    bad = document(conditions=["flu"], age=200)
    path = write_json(tmp_path, bad)
    code, out, err = run(capsys, "add", "Bo", "--from-json", str(path), "--home", str(home))
    assert code == 1
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert any("health.age" in line for line in lines)
    assert any("health.conditions" in line for line in lines)
    assert lines[-1].endswith("nothing saved")
    code, out, _ = run(capsys, "list", "--json", "--home", str(home))
    assert json.loads(out) == []


def test_not_json_is_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, home: Path
) -> None:
    path = tmp_path / "broken.json"
    path.write_text("{oops", encoding="utf-8")
    code, _, err = run(capsys, "add", "Bo", "--from-json", str(path), "--home", str(home))
    assert code == 1
    assert len(err.strip().splitlines()) == 1
    assert "not valid JSON" in err


def test_an_existing_name_is_refused_unless_replace(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, home: Path
) -> None:
    path = write_json(tmp_path, document())
    assert run(capsys, "add", "Bo", "--from-json", str(path), "--home", str(home))[0] == 0
    code, _, err = run(capsys, "add", "Bo", "--from-json", str(path), "--home", str(home))
    assert code == 1
    assert "exists already" in err
    assert "--replace" in err
    replace = ["add", "Bo", "--from-json", str(path), "--home", str(home), "--replace"]
    assert run(capsys, *replace)[0] == 0


def test_add_interactively_a_66_year_old_with_spinal_osteoarthritis(home: Path) -> None:
    text = answers(66, {Condition.SPINAL_OSTEOARTHRITIS: []}, PLAIN_PREFERENCES)
    code, out, err = run_with_input(text, "add", "Ann", "--home", str(home))
    assert code == 0, err
    assert "Have you ever broken a bone in your spine" in out
    said = flat(out)
    assert "Allowed with these limits: intensity at most 2, no tapping or knocking" in said
    with Store.open(home / DATABASE_NAME) as store:
        saved = json.loads(store.get_profile("Ann") or "{}")
    assert saved["health"]["age"] == 66
    assert saved["health"]["conditions"] == ["spinal-osteoarthritis"]
    assert saved["health"]["first_use"] is False


def test_interactive_follow_ups_for_local_and_cleared_conditions(home: Path) -> None:
    yes = {Condition.ACUTE_STRAIN: ["lower back"], Condition.OSTEOPOROSIS: ["y"]}
    code, out, err = run_with_input(
        answers(50, yes, PLAIN_PREFERENCES), "add", "Di", "--home", str(home)
    )
    assert code == 0, err
    assert "Has a doctor cleared you for massage with it?" in out
    with Store.open(home / DATABASE_NAME) as store:
        health = json.loads(store.get_profile("Di") or "{}")["health"]
    assert health["affected_regions"] == {"acute-strain": ["lower_back"]}
    assert health["clinician_cleared"] == ["osteoporosis"]
    assert "Allowed with these limits: intensity at most 1" in flat(out)


def test_a_refused_profile_says_to_consult_a_doctor(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, home: Path
) -> None:
    path = write_json(tmp_path, document(conditions=["vertebral-fracture"]))
    code, out, _ = run(capsys, "add", "Ed", "--from-json", str(path), "--home", str(home))
    assert code == 0
    said = flat(out)
    assert "Refused" in said
    assert "consult a doctor" in said
    code, out, _ = run(capsys, "show", "Ed", "--home", str(home))
    assert code == 0
    assert "consult a doctor" in flat(out)


def test_list_and_show_with_json(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, home: Path
) -> None:
    for name, conditions in (("Ann", ["spinal-osteoarthritis"]), ("Ed", ["vertebral-fracture"])):
        path = write_json(tmp_path, document(conditions=conditions))
        assert run(capsys, "add", name, "--from-json", str(path), "--home", str(home))[0] == 0
    code, out, _ = run(capsys, "list", "--json", "--home", str(home))
    assert code == 0
    rows = json.loads(out)
    assert [(r["name"], r["allowed"]) for r in rows] == [("Ann", True), ("Ed", False)]
    assert rows[0]["caps"]["max_intensity"] == 2
    assert rows[0]["caps"]["percussion_allowed"] is False
    # Every limit the screening sets is in the document, recline and airbags too.
    assert rows[0]["caps"]["recline_allowed"] is False
    assert rows[0]["caps"]["max_airbag"] == 2
    assert "no percussion" in rows[0]["caps_short"]

    code, out, _ = run(capsys, "list", "--home", str(home))
    assert code == 0
    assert "Ann" in out
    assert "refused" in out

    code, out, _ = run(capsys, "show", "Ann", "--json", "--home", str(home))
    shown = json.loads(out)
    assert shown["profile"]["name"] == "Ann"
    assert shown["screening"]["allowed"] is True
    assert shown["screening"]["caps_text"].startswith("intensity at most 2")
    code, out, _ = run(capsys, "show", "Ed", "--json", "--home", str(home))
    blocked = json.loads(out)["screening"]
    assert blocked["allowed"] is False
    assert "consult a doctor" in blocked["blocked"][0]


def test_plain_profiles_lists(capsys: pytest.CaptureFixture[str], home: Path) -> None:
    code, out, _ = run(capsys, "--home", str(home))
    assert code == 0
    assert "No profiles yet" in out


def test_edit_keeps_the_name_and_changes_an_answer(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, home: Path
) -> None:
    path = write_json(tmp_path, document(conditions=["spinal-osteoarthritis"]))
    assert run(capsys, "add", "Ann", "--from-json", str(path), "--home", str(home))[0] == 0
    # Enter keeps every current answer; only the age changes.
    text = "70\n" + "\n" * 60
    code, out, err = run_with_input(text, "edit", "Ann", "--home", str(home))
    assert code == 0, err
    assert "[40]" in out  # the current age was offered as the default
    code, out, _ = run(capsys, "show", "Ann", "--json", "--home", str(home))
    profile = json.loads(out)["profile"]
    assert profile["name"] == "Ann"
    assert profile["health"]["age"] == 70
    assert profile["health"]["conditions"] == ["spinal-osteoarthritis"]
    assert profile["health"]["first_use"] is False

    other = write_json(tmp_path, {"health": {"age": 30}}, "other.json")
    assert run(capsys, "edit", "Ann", "--from-json", str(other), "--home", str(home))[0] == 0
    code, out, _ = run(capsys, "show", "Ann", "--json", "--home", str(home))
    profile = json.loads(out)["profile"]
    assert (profile["name"], profile["health"]["age"]) == ("Ann", 30)


def test_remove_with_yes(capsys: pytest.CaptureFixture[str], tmp_path: Path, home: Path) -> None:
    path = write_json(tmp_path, document())
    assert run(capsys, "add", "Bo", "--from-json", str(path), "--home", str(home))[0] == 0
    code, out, _ = run(capsys, "remove", "Bo", "--yes", "--home", str(home))
    assert code == 0
    assert "Removed" in out
    assert json.loads(run(capsys, "list", "--json", "--home", str(home))[1]) == []


def test_remove_declined_keeps_the_profile(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, home: Path
) -> None:
    path = write_json(tmp_path, document())
    assert run(capsys, "add", "Bo", "--from-json", str(path), "--home", str(home))[0] == 0
    code, _, _ = run_with_input("n\n", "remove", "Bo", "--home", str(home))
    assert code == 1
    assert len(json.loads(run(capsys, "list", "--json", "--home", str(home))[1])) == 1


@pytest.mark.parametrize("command", ["show", "edit", "remove"])
def test_an_unknown_name_is_one_line(
    capsys: pytest.CaptureFixture[str], home: Path, command: str
) -> None:
    code, _, err = run(capsys, command, "Nobody", "--home", str(home))
    assert code == 1
    assert err.strip().splitlines() == [
        "chairctl: no profile 'Nobody'; profiles: none yet (chairctl profiles add NAME)"
    ]


@pytest.mark.parametrize("args", [["list"], ["show", "Ann"], ["add", "Ann"]])
def test_a_corrupt_database_is_one_line_and_left_alone(
    capsys: pytest.CaptureFixture[str], home: Path, args: list[str]
) -> None:
    home.mkdir()
    database = home / DATABASE_NAME
    garbage = b"this is not an SQLite database\n" * 200
    database.write_bytes(garbage)
    code, _, err = run(capsys, *args, "--home", str(home))
    assert code == 1
    lines = err.strip().splitlines()
    assert len(lines) == 1
    assert str(database) in lines[0]
    assert database.read_bytes() == garbage
