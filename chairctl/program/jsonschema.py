"""The JSON Schema of program files (draft-07, which YAML editors understand)."""

from __future__ import annotations

import json
from typing import Any

from pydantic import TypeAdapter

from chairctl.program.schema import Program

SCHEMA_ID = "https://chairctl.invalid/schema/program.schema.json"


def _clean(node: Any) -> Any:
    """Drop what pydantic adds for optional fields: the null branch and the null default.

    A step field left out means "use the default"; writing ``null`` is refused by the loader,
    so the schema should not offer it to editors either.
    """
    if isinstance(node, dict):
        out = {key: _clean(value) for key, value in node.items()}
        if "anyOf" in out:
            branches = [b for b in out["anyOf"] if b != {"type": "null"}]
            if len(branches) == 1 and len(out["anyOf"]) == 2:
                del out["anyOf"]
                out = {**branches[0], **out}
            else:
                out["anyOf"] = branches
        if out.get("default", ...) is None:
            del out["default"]
        return out
    if isinstance(node, list):
        return [_clean(item) for item in node]
    return node


def program_json_schema() -> dict[str, Any]:
    """The schema as a JSON-ready dict."""
    raw = TypeAdapter(Program).json_schema(by_alias=True, ref_template="#/definitions/{model}")
    definitions = raw.pop("$defs", {})
    schema = {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": SCHEMA_ID,
        **raw,
        "definitions": definitions,
    }
    cleaned: dict[str, Any] = _clean(schema)
    return cleaned


def program_json_schema_text() -> str:
    """The schema as the text committed in ``schema/program.schema.json``."""
    return json.dumps(program_json_schema(), indent=2, sort_keys=False) + "\n"
