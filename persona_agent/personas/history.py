"""Persona versions: every write keeps the persona as written under ``.history/<segment id>/<n>.json``.

Versions are keyed by segment id, not slug, because a regenerated persona may get another name (and
segment ids persist across analyses, `analysis.lineage`). Each record holds the persona, when and why
it was written, and the fingerprints of its inputs and of the analysed folder, so `persona diff` can
show what changed between any two versions. A persona written before history was kept is recorded as
version 1 the first time it is replaced, so the previous version is never lost.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from persona_agent.personas.schema import Persona

HISTORY_DIR = ".history"


@dataclass
class Version:
    number: int
    path: Path
    written_at: str
    slug: str
    name: str
    note: str
    analysis_fingerprint: str | None
    input_fingerprint: str | None

    def persona(self) -> Persona:
        return Persona.model_validate(json.loads(self.path.read_text(encoding="utf-8"))["persona"])


def atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def history_key(persona: Persona) -> str:
    """``S2`` for the persona of segment:S2; ``persona-<slug>`` for one that rests on no segment."""
    segment = persona.segment.segment_id
    return segment.removeprefix("segment:") if segment else f"persona-{persona.id}"


def history_dir(out_dir: Path, key: str) -> Path:
    return out_dir / HISTORY_DIR / key


def versions(out_dir: Path, key: str) -> list[Version]:
    """The versions of one segment's persona, oldest first (unreadable records are skipped)."""
    found = []
    folder = history_dir(out_dir, key)
    for path in folder.glob("*.json") if folder.is_dir() else []:
        if not path.stem.isdigit():
            continue
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        persona = record.get("persona") or {}
        found.append(Version(number=int(path.stem), path=path, written_at=str(record.get("written_at", "")),
                             slug=str(persona.get("id", "")), name=str(persona.get("name", "")),
                             note=str(record.get("note", "")), analysis_fingerprint=record.get("analysis_fingerprint"),
                             input_fingerprint=record.get("input_fingerprint")))
    return sorted(found, key=lambda v: v.number)


def record_version(out_dir: Path, persona: Persona, *, note: str = "", previous: Path | None = None) -> int:
    """Append ``persona`` as the next version of its segment; returns its number. ``previous``: the
    file it replaces, recorded first when the segment has no history yet. Callers hold `folder_lock`."""
    key = history_key(persona)
    existing = versions(out_dir, key)
    if not existing and previous is not None and previous.is_file():
        try:
            before = Persona.model_validate_json(previous.read_text(encoding="utf-8"))
        except (OSError, ValidationError):
            before = None
        if before is not None and history_key(before) == key and before != persona:
            _write(out_dir, key, 1, before, "written before versions were kept")
            existing = versions(out_dir, key)
    number = existing[-1].number + 1 if existing else 1
    _write(out_dir, key, number, persona, note)
    return number


def _write(out_dir: Path, key: str, number: int, persona: Persona, note: str) -> None:
    provenance = persona.provenance
    record: dict[str, Any] = {
        "version": number,
        "written_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "note": note,
        "analysis_fingerprint": provenance.analysis_fingerprint if provenance else None,
        "input_fingerprint": provenance.fingerprint if provenance else None,
        "persona": persona.model_dump(mode="json", exclude_none=True),
    }
    atomic_write(history_dir(out_dir, key) / f"{number}.json", json.dumps(record, indent=1, ensure_ascii=False) + "\n")


def key_of_slug(out_dir: Path, slug: str) -> str | None:
    """The history key of the persona ``slug``: from its file, else from a version that had that slug."""
    path = out_dir / f"{slug}.json"
    if path.is_file():
        try:
            return history_key(Persona.model_validate_json(path.read_text(encoding="utf-8")))
        except (OSError, ValidationError):
            pass
    root = out_dir / HISTORY_DIR
    for folder in sorted(root.iterdir()) if root.is_dir() else []:
        if any(v.slug == slug for v in versions(out_dir, folder.name)):
            return folder.name
    return None
