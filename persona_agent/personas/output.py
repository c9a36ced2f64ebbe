"""Persona files: JSON + Markdown written atomically, and the run manifest that `--resume` reads."""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from persona_agent.personas.markdown import persona_markdown
from persona_agent.personas.plan import Target
from persona_agent.personas.schema import Persona

MANIFEST = ".persona-run.json"


@dataclass
class Outcome:
    target: Target
    persona: Persona | None = None
    files: list[str] = field(default_factory=list)
    error: str | None = None
    resumed: bool = False
    cited_share: float = 0.0


# ----------------------------------------------------------------------------------------- files
def _atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def write_persona(persona: Persona, out_dir: Path) -> list[str]:
    json_path, md_path = out_dir / f"{persona.id}.json", out_dir / f"{persona.id}.md"
    _atomic_write(json_path, persona.model_dump_json(indent=2, exclude_none=True) + "\n")
    _atomic_write(md_path, persona_markdown(persona))
    return [str(json_path), str(md_path)]


def _save(outcome: Outcome, manifest: dict[str, dict[str, Any]], out_dir: Path) -> list[str]:
    """Write a persona under a slug no other target of the run holds; drop its files under an old slug."""
    persona = outcome.persona
    assert persona is not None
    key = outcome.target.key
    held = {entry["slug"] for other, entry in manifest.items() if other != key}
    slug, n = persona.id, 2
    while slug in held:
        slug, n = f"{persona.id}-{n}", n + 1
    if slug != persona.id:
        persona = outcome.persona = persona.model_copy(update={"id": slug})
    old = manifest.get(key, {}).get("slug")
    if old and old != slug:  # regenerated under a new name: no duplicates left behind
        for suffix in (".json", ".md"):
            (out_dir / f"{old}{suffix}").unlink(missing_ok=True)
    outcome.files = write_persona(persona, out_dir)
    manifest[key] = {"slug": slug, "status": "done"}
    _atomic_write(out_dir / MANIFEST, json.dumps(manifest, indent=1))
    return outcome.files


def load_manifest(out_dir: Path) -> dict[str, dict[str, Any]]:
    path = out_dir / MANIFEST
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
