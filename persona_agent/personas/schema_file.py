"""The persona JSON Schema as a file (`schema/persona.schema.json`), generated from `schema.Persona`.

A test regenerates it and fails when the committed file differs, so the file never drifts.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import ValidationError

from persona_agent.personas.schema import SCHEMA_VERSION, Persona

SCHEMA_ID = f"https://persona-agent.dev/schema/persona-{SCHEMA_VERSION}.json"


def schema_dict() -> dict:
    schema = Persona.model_json_schema()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID,
            "version": SCHEMA_VERSION, **schema}


def schema_text() -> str:
    return json.dumps(schema_dict(), indent=2, ensure_ascii=False) + "\n"


def validate_file(path: Path) -> list[str]:
    """Every violation as ``$.json.path: message``; empty when the file is a valid persona."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        return [f"cannot read: {exc}"]
    except json.JSONDecodeError as exc:
        return [f"not JSON: {exc.msg} at line {exc.lineno}"]
    try:
        Persona.model_validate(data)
    except ValidationError as exc:
        return [f"{json_path(e['loc'])}: {e['msg']}" for e in exc.errors()]
    return []


def json_path(location: tuple) -> str:
    """("goals", "primary", 0, "text") → "$.goals.primary[0].text"."""
    return "$" + "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in location)
