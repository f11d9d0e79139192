"""The committed JSON Schema is current, and editors using it agree with the loader."""

from __future__ import annotations

import json
from pathlib import Path

# jsonschema ships no type hints and types-jsonschema is not among the dev dependencies.
import jsonschema  # type: ignore[import-untyped]
import pytest
from ruamel.yaml import YAML

from chairctl.program.jsonschema import program_json_schema, program_json_schema_text
from chairctl.program.library import schema_file
from tests.conftest import PROGRAMS, REPO

SCHEMA_FILE = REPO / "schema" / "program.schema.json"


def test_committed_schema_is_current() -> None:
    assert schema_file() == SCHEMA_FILE
    assert SCHEMA_FILE.read_text() == program_json_schema_text(), (
        "schema/program.schema.json is out of date: run "
        "`uv run chairctl schema > schema/program.schema.json`"
    )


def test_schema_is_valid_draft_07() -> None:
    schema = program_json_schema()
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    jsonschema.Draft7Validator.check_schema(schema)
    assert "$defs" not in json.dumps(schema)
    assert "null" not in json.dumps(schema)


def _yaml(path: Path) -> object:
    return YAML(typ="safe").load(path.read_text())


@pytest.mark.parametrize("path", sorted(PROGRAMS.glob("*.yaml")), ids=lambda p: p.stem)
def test_library_programs_satisfy_the_schema(path: Path) -> None:
    jsonschema.Draft7Validator(program_json_schema()).validate(_yaml(path))


@pytest.mark.parametrize(
    "change",
    [
        {"steps": [{"name": "x", "duration": "5 minutes", "technique": "knead"}]},
        {"steps": [{"name": "x", "duration": 60, "technique": "kneed"}]},
        {"steps": [{"name": "x", "duration": 60, "intensity": {"from": 1, "to": 9}}]},
        {"colour": "blue"},
        {"category": "spa"},
    ],
)
def test_schema_refuses_what_the_loader_refuses(change: dict[str, object]) -> None:
    document = _yaml(PROGRAMS / "lower-back-relief.yaml")
    assert isinstance(document, dict)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft7Validator(program_json_schema()).validate({**document, **change})
