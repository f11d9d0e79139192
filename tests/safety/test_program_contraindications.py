"""A program names the screening answers it is not for: the library greys it for that person,
with the reason, and ``chairctl run`` refuses it before anything moves."""

from __future__ import annotations

from pathlib import Path

import pytest

from chairctl.cli import main
from chairctl.plan.suitability import check_program_for
from chairctl.program import load_program
from chairctl.program.library import library_dir
from chairctl.safety.profile import Condition, HealthScreening, Profile
from chairctl.safety.screening import screen
from chairctl.store import Store, database_path

LIBRARY = {path.stem: load_program(path) for path in sorted(library_dir().glob("*.yaml"))}


def person(*conditions: Condition, cleared: tuple[Condition, ...] = ()) -> Profile:
    return Profile(
        name="Vic",
        health=HealthScreening(
            age=50,
            first_use=False,
            conditions=frozenset(conditions),
            clinician_cleared=frozenset(cleared),
        ),
    )


def test_a_program_is_greyed_for_the_answers_it_names_and_says_which() -> None:
    # Varicose veins need a clinician's clearance (then the leg airbags stay off); even cleared,
    # the program for the legs is not for them.
    screening = screen(person(Condition.VARICOSE_VEINS, cleared=(Condition.VARICOSE_VEINS,)))
    assert screening.allowed
    reasons = check_program_for(LIBRARY["legs-and-circulation"], screening)
    assert len(reasons) == 1
    assert "varicose veins" in reasons[0]
    assert "Legs and circulation" in reasons[0] or "legs" in reasons[0].lower()
    # A program that does not name the answer stays open to them.
    assert check_program_for(LIBRARY["upper-back-release"], screening) == []


def test_a_clearance_does_not_reopen_a_program_that_names_the_condition() -> None:
    # Cleared for massage in general, osteoporosis still rules out the stretching programs.
    screening = screen(person(Condition.OSTEOPOROSIS, cleared=(Condition.OSTEOPOROSIS,)))
    assert screening.allowed
    assert check_program_for(LIBRARY["mobility-stretch"], screening)


@pytest.mark.parametrize("stem", sorted(LIBRARY))
def test_every_program_is_open_to_someone_with_no_answers_it_names(stem: str) -> None:
    program = LIBRARY[stem]
    others = [c for c in Condition if c not in program.contraindications]
    assert program.contraindications, f"{stem} names no contraindication"
    # Nobody with a listed condition gets it; the screening's own refusal aside.
    for condition in program.contraindications:
        screening = screen(person(condition, cleared=(condition,)))
        assert check_program_for(program, screening), f"{stem} is open to {condition}"
    assert others  # the list is a choice, not every condition


def test_run_refuses_a_program_the_person_s_answers_rule_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Store.open(database_path(tmp_path)) as store:
        vic = person(Condition.VARICOSE_VEINS, cleared=(Condition.VARICOSE_VEINS,))
        store.put_profile("vic", vic.model_dump_json())
    with pytest.raises(SystemExit) as exited:
        main(
            [
                "run",
                "legs-and-circulation",
                "--profile",
                "vic",
                "--home",
                str(tmp_path),
                "--speed",
                "100",
                "--json",
            ]
        )
    out, err = capsys.readouterr()
    assert exited.value.code == 1
    assert out == ""  # nothing started: no event at all
    assert "varicose veins" in err
    assert "Traceback" not in err


def test_check_for_a_person_leaves_out_what_is_not_meant_for_them_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Store.open(database_path(tmp_path)) as store:
        vic = person(Condition.VARICOSE_VEINS, cleared=(Condition.VARICOSE_VEINS,))
        store.put_profile("vic", vic.model_dump_json())
    legs = library_dir() / "legs-and-circulation.yaml"
    upper = library_dir() / "upper-back-release.yaml"
    with pytest.raises(SystemExit) as exited:
        main(["check", str(legs), str(upper), "--profile", "vic", "--home", str(tmp_path)])
    out, err = capsys.readouterr()
    assert exited.value.code in (0, None)
    assert f"{legs}: not checked: Legs and circulation is not meant for someone with" in err
    assert "1 of 1 programs pass" in out
