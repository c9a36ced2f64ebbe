"""Input fingerprints: one digest of everything a generated persona was made from.

A persona's fingerprint covers its segment (stats, shares, demographics, themes, the profile text),
the evidence it was written from (ids and text hashes), the prompt versions, the model's identity and
the settings that shape replies. The same fingerprint means nothing the persona rests on changed:
`persona generate --resume` keeps it; any other means regenerate. It is recorded per target in the
run manifest (``.persona-run.json``), and `persona update` is meant to use the same function.

`fingerprint` takes any dict of named inputs, so a caller that learns of a new input (themes, a
setting) adds a key: every persona made before then then counts as changed, which is the safe way.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict, is_dataclass
from typing import Any

from persona_agent.core.evidence import Evidence

FINGERPRINT_VERSION = 1
MANIFEST_FIELD = "fingerprint"


def _jsonable(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value)
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=str)
    return str(value)


def fingerprint(inputs: Mapping[str, Any]) -> str:
    """The sha256 (hex) of ``inputs`` in canonical JSON: key order and float formatting do not matter."""
    canonical = json.dumps({"fingerprint_version": FINGERPRINT_VERSION, **inputs}, sort_keys=True,
                           ensure_ascii=False, separators=(",", ":"), default=_jsonable)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def evidence_inputs(evidence: Iterable[Evidence]) -> list[list[str]]:
    """Each evidence item as [id, hash of its text], sorted: a changed quote changes the fingerprint."""
    return sorted([item.evidence_id, text_hash(item.text)] for item in evidence)


def target_inputs(target: Any) -> dict[str, Any]:
    """A persona target's segment: key, size, shares, demographics, themes (query), profile text."""
    profile = getattr(target, "profile", None)
    return {
        "key": target.key,
        "size": getattr(target, "size", None),
        "share": getattr(target, "share", None),
        "revenue_share": getattr(target, "revenue_share", None),
        "demographics": getattr(target, "demographics", None),
        "themes": getattr(target, "query", ""),
        "description": getattr(target, "description", ""),
        "respondents": text_hash("\n".join(sorted(map(str, getattr(target, "respondent_ids", []) or [])))),
        "profile": [profile.evidence_id, text_hash(profile.text)] if profile is not None else None,
    }


def persona_inputs(target: Any, evidence: Iterable[Evidence], *, prompt_versions: Mapping[str, str],
                   model: Mapping[str, Any], settings: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The named inputs of one persona, ready for `fingerprint`."""
    return {
        "segment": target_inputs(target),
        "evidence": evidence_inputs(evidence),
        "prompts": dict(sorted(prompt_versions.items())),
        "model": dict(model),
        "settings": dict(settings or {}),
    }


# ------------------------------------------------------------------------------ run manifest
def recorded(manifest: Mapping[str, Mapping[str, Any]], key: str) -> str | None:
    """The fingerprint the manifest holds for ``key`` (None for runs made before fingerprints)."""
    value = manifest.get(key, {}).get(MANIFEST_FIELD)
    return str(value) if value else None


def record(entry: dict[str, Any], digest: str | None) -> dict[str, Any]:
    if digest:
        entry[MANIFEST_FIELD] = digest
    return entry


def is_current(manifest: Mapping[str, Mapping[str, Any]], key: str, digest: str | None) -> bool:
    """True when ``key`` was generated from exactly these inputs. Unknown on either side: False."""
    stored = recorded(manifest, key)
    return bool(digest) and stored == digest
