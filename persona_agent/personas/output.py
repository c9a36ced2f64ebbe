"""Persona files: JSON + Markdown written atomically, and the run manifest that `--resume` reads.

Two runs (or a run and a chat `/revise`) may write one folder at once: every manifest update holds a
lock on the folder, re-reads the manifest and merges this target's entry into it, so no run drops
another's entries, and a persona's old files are deleted only when no other target holds that slug.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from persona_agent.core.errors import BusyError, PersonaError
from persona_agent.personas.fingerprint import record
from persona_agent.personas.history import atomic_write, record_version
from persona_agent.personas.markdown import persona_markdown
from persona_agent.personas.plan import Target
from persona_agent.personas.schema import Persona

log = logging.getLogger(__name__)

MANIFEST = ".persona-run.json"
LOCK = ".persona-run.lock"
LOCK_TIMEOUT = 60.0


@dataclass
class Outcome:
    target: Target
    persona: Persona | None = None
    files: list[str] = field(default_factory=list)
    error: str | None = None
    resumed: bool = False
    cited_share: float = 0.0
    fingerprint: str | None = None  # of the inputs it was generated from (personas.fingerprint)
    note: str = "generated"  # why it was written, kept with its version in the history
    setup: str | None = None  # fingerprint of the prompts, model and settings (`generate.setup_fingerprint`)
    draft: Any = field(default=None, repr=False)  # the generation state, for a later distinctness revision


# ----------------------------------------------------------------------------------------- files
_atomic_write = atomic_write  # callers that write other files the same way


def write_persona(persona: Persona, out_dir: Path, *, note: str = "", previous: Path | None = None) -> list[str]:
    """Write ``<slug>.json`` and ``.md`` and keep this version under ``.history/<segment id>/``
    (`personas.history`). ``previous``: the file it replaces when its slug changed."""
    json_path, md_path = out_dir / f"{persona.id}.json", out_dir / f"{persona.id}.md"
    record_version(out_dir, persona, note=note, previous=previous if previous is not None else json_path)
    atomic_write(json_path, persona.model_dump_json(indent=2, exclude_none=True) + "\n")
    atomic_write(md_path, persona_markdown(persona))
    return [str(json_path), str(md_path)]


@contextmanager
def folder_lock(out_dir: Path, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """Exclusive, short: held while persona files and the manifest of ``out_dir`` are written."""
    from filelock import FileLock, Timeout

    out_dir.mkdir(parents=True, exist_ok=True)
    try:
        with FileLock(str(out_dir / LOCK), timeout=timeout):
            yield
    except Timeout:
        raise BusyError(str(out_dir), "writing personas", timeout) from None


def _save(outcome: Outcome, manifest: dict[str, dict[str, Any]], out_dir: Path) -> list[str]:
    """Write a persona under a slug no other target holds; drop its files under an old slug.

    ``manifest`` is this run's copy: it is refreshed from disk (other runs' entries) under the lock."""
    persona = outcome.persona
    assert persona is not None
    key = outcome.target.key
    with folder_lock(out_dir):
        current = load_manifest(out_dir)
        held = {entry.get("slug") for other, entry in current.items() if other != key}
        slug, n = persona.id, 2
        while slug in held:
            slug, n = f"{persona.id}-{n}", n + 1
        if slug != persona.id:
            persona = outcome.persona = persona.model_copy(update={"id": slug})
        old = current.get(key, {}).get("slug")
        if persona.provenance is not None and outcome.fingerprint:
            persona.provenance.fingerprint = outcome.fingerprint
        outcome.files = write_persona(persona, out_dir, note=outcome.note,
                                      previous=out_dir / f"{old}.json" if old else None)
        if old and old != slug and old not in held:  # regenerated under a new name: no duplicates left behind
            for suffix in (".json", ".md"):
                (out_dir / f"{old}{suffix}").unlink(missing_ok=True)
        current[key] = record({"slug": slug, "status": "done"}, outcome.fingerprint)
        if outcome.setup:
            current[key]["setup"] = outcome.setup
        atomic_write(out_dir / MANIFEST, json.dumps(current, indent=1))
        manifest.clear()
        manifest.update(current)
    return outcome.files


def load_manifest(out_dir: Path) -> dict[str, dict[str, Any]]:
    """The run manifest; an unreadable one counts as empty (every persona is then regenerated)."""
    path = out_dir / MANIFEST
    try:
        loaded = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    except (OSError, ValueError):
        return {}
    return loaded if isinstance(loaded, dict) else {}


def failure_line(exc: BaseException, what: str) -> str:
    """One line for a failed persona; anything but our typed errors is a bug: its traceback goes to the log."""
    if isinstance(exc, PersonaError):
        return exc.one_line()
    log.error("%s failed", what, exc_info=exc)
    return f"unexpected error {type(exc).__name__}: {str(exc)[:200]} (traceback in the log)"
