"""Which folder an analysis was made from, so `persona generate FOLDER` never plans personas from the
analysis of an older (or another) folder.

`analyze_folder` records the folder's signature (every file's sha256 — already computed by ingest —
plus the reading options) in ``analysis/inputs.json``; `is_current` compares it with the folder as
it is now. A changed file, a new or deleted file, or another folder means: analyse again.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from persona_agent.core.errors import PersonaError
from persona_agent.research.folder import ResearchFolder

INPUTS_FILE = "inputs.json"
STALE_FILES = ("segments.json", "value.json")  # what plans personas


def folder_signature(research: ResearchFolder) -> dict[str, Any]:
    files: dict[str, str] = {}
    for path in research.files:
        try:
            files[research.relative(path)] = research.file_hash(path)
        except PersonaError as error:  # unreadable or oversized: its state is part of the signature too
            files[research.relative(path)] = f"unreadable: {error.message}"
    key = getattr(research, "pseudonym_key", None)  # a new key changes every pseudonymised respondent id
    inputs = {"root": str(research.root.resolve()), "kind": research.kind, "redact": research.redact,
              "ids": hashlib.sha256(b"ids:" + key).hexdigest()[:8] if key else None, "files": files}
    digest = hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()
    return {**inputs, "digest": digest}


def record_inputs(research: ResearchFolder, analysis_dir: Path, *, analysed: bool = True) -> None:
    from persona_agent.analysis.report import _write_atomic

    analysis_dir.mkdir(parents=True, exist_ok=True)
    payload = json.dumps({**folder_signature(research), "analysed": analysed}, indent=1).encode()
    _write_atomic(analysis_dir / INPUTS_FILE, payload)


def recorded_inputs(analysis_dir: Path) -> dict[str, Any] | None:
    try:
        data = json.loads((analysis_dir / INPUTS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def is_current(research: ResearchFolder, analysis_dir: Path) -> bool:
    """True when the stored analysis (or the recorded fact that there was nothing to analyse) was made
    from exactly this folder as it is now."""
    recorded = recorded_inputs(analysis_dir)
    if recorded is None or recorded.get("digest") != folder_signature(research)["digest"]:
        return False
    return not recorded.get("analysed", True) or (analysis_dir / "segments.json").is_file()


def discard(analysis_dir: Path) -> None:
    """Remove the planning files of an analysis that no longer matches its folder."""
    for name in STALE_FILES:
        (analysis_dir / name).unlink(missing_ok=True)
