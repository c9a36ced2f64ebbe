"""Locators: a reference to a place in a research file, written the way a person would cite it —
file + respondent + question, file + lines, file + paragraphs, file + JSON pointer — mapped to the store's current
evidence ids through chunk metadata. A list of locators written down once (the retrieval evaluation
set, notes) keeps pointing at the same evidence when the id format or the chunking changes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from persona_agent.core.errors import PersonaError
from persona_agent.engine.store import EvidenceStore

QUESTION_LIMIT = 500  # survey chunks keep the first 500 characters of the question header


@dataclass(frozen=True)
class Locator:
    """``file`` is the path inside the research folder (the chunk's ``source``). With ``respondent``:
    that respondent's answer (to ``question``, when given); with ``question`` alone: the survey
    question's summary; with ``lines`` / ``paragraphs`` (inclusive ranges): every chunk overlapping
    them; with ``pointer``: the chunk of that JSON pointer; with none of these: every chunk of the file."""

    file: str
    respondent: str | None = None
    question: str | None = None
    lines: tuple[int, int] | None = None
    paragraphs: tuple[int, int] | None = None
    pointer: str | None = None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Locator:
        def span(name: str) -> tuple[int, int] | None:
            value = data.get(name)
            if value is None:
                return None
            first, last = (value, value) if isinstance(value, int) else (int(value[0]), int(value[-1]))
            return first, last

        if not data.get("file"):
            raise PersonaError(f"locator {dict(data)!r}: no file", 'write {"file": "survey/x.csv", ...}')
        return cls(file=str(data["file"]), respondent=data.get("respondent"), question=data.get("question"),
                   lines=span("lines"), paragraphs=span("paragraphs"), pointer=data.get("pointer"))

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"file": self.file}
        for name in ("respondent", "question", "pointer"):
            if getattr(self, name) is not None:
                data[name] = getattr(self, name)
        for name in ("lines", "paragraphs"):
            value = getattr(self, name)
            if value is not None:
                data[name] = list(value)
        return data


def _question_matches(wanted: str | None, meta: Mapping[str, Any]) -> bool:
    if wanted is None:
        return True
    stored = str(meta.get("question", "")).strip()
    return stored == wanted.strip()[:QUESTION_LIMIT].strip()


def _overlaps(span: tuple[int, int], meta: Mapping[str, Any], prefix: str) -> bool:
    start = meta.get(f"{prefix}_start")
    if start is None:
        return False
    end = meta.get(f"{prefix}_end", start)
    return int(start) <= span[1] and span[0] <= int(end)


def _matches(locator: Locator, meta: Mapping[str, Any]) -> bool:
    if locator.respondent is not None:
        return (str(meta.get("respondent_id")) == locator.respondent and not meta.get("summary")
                and _question_matches(locator.question, meta))
    if locator.question is not None:
        return bool(meta.get("summary")) and _question_matches(locator.question, meta)
    if locator.pointer is not None:
        return meta.get("json_pointer") == locator.pointer
    if locator.lines is not None:
        return _overlaps(locator.lines, meta, "line")
    if locator.paragraphs is not None:
        return _overlaps(locator.paragraphs, meta, "paragraph")
    return True


def resolve(locators: Iterable[Locator], metadata: Mapping[str, Mapping[str, Any]]) -> dict[Locator, list[str]]:
    """Locator → the ids of the chunks it points at (sorted; empty when nothing matches), given
    ``metadata`` as returned by `EvidenceStore.metadata_where` (id → chunk metadata)."""
    by_source: dict[str, list[tuple[str, Mapping[str, Any]]]] = defaultdict(list)
    for evidence_id, meta in metadata.items():
        by_source[str(meta.get("source"))].append((evidence_id, meta))
    return {locator: sorted(i for i, meta in by_source.get(locator.file, []) if _matches(locator, meta))
            for locator in locators}


def resolve_in_store(store: EvidenceStore, locators: Iterable[Locator],
                     where: dict[str, Any] | None = None) -> dict[Locator, list[str]]:
    """`resolve` against the store's current chunks (``where``: e.g. ``{"root": ...}`` for one folder)."""
    return resolve(locators, store.metadata_where(where))
