"""Ingest a research folder into the evidence store: incremental, batched, never half-updated.

Each stored chunk carries its file's ingest signature (file sha256 + redaction + forced kind +
ingest version) and the file's chunk count. A file whose chunks are all in the store with its
signature is skipped without being read; a changed file is read, embedded and upserted first, and
only then are its stale chunks deleted, so a failure midway leaves the previous version searchable
(and the next run finishes the job). Files that vanished from the folder are pruned.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from persona_agent.core.errors import PersonaError, SourceError
from persona_agent.core.evidence import Evidence
from persona_agent.engine.store import EvidenceStore
from persona_agent.research.contentless import carries_nothing
from persona_agent.research.folder import ResearchFolder, research_folder

log = logging.getLogger(__name__)
INGEST_VERSION = "1"  # bump when chunking changes, so every file is re-read once
EventSink = Callable[..., None]


@dataclass
class IngestReport:
    files_seen: int = 0
    files_ok: int = 0
    files_unchanged: int = 0
    files_replaced: int = 0
    files_new: int = 0
    files_removed: int = 0
    files_failed: list[str] = field(default_factory=list)  # one line each: file and problem
    files_skipped: list[str] = field(default_factory=list)  # not research files (README, .xls, …)
    duplicates: list[str] = field(default_factory=list)
    chunks_by_kind: Counter = field(default_factory=Counter)
    chunks_embedded: int = 0  # chunks stored (each with a vector)
    chunks_shared_vector: int = 0  # of those, texts that carry nothing ("-", "no", a number): one shared vector
    texts_embedded: int = 0  # distinct texts the embedder was given
    chunks_deleted: int = 0
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0


@dataclass(frozen=True)
class SourceRow:
    source: str
    kind: str
    chunks: int
    languages: list[str]


def ingest_signature(file_hash: str, redact: bool, kind: str | None = None, pseudonym_key: bytes | None = None
                     ) -> str:
    """Same file + same reading options = same signature; a forced ``kind`` re-reads the file, and so
    does a new pseudonym key (the ids of personal respondent/customer ids change with it)."""
    from persona_agent.core.privacy import PUBLIC_KEY, key_fingerprint

    options = (f"{file_hash}|redact={redact}|v{INGEST_VERSION}|ids={key_fingerprint(pseudonym_key or PUBLIC_KEY)}"
               + (f"|kind={kind}" if kind else ""))
    return hashlib.sha256(options.encode()).hexdigest()[:16]


def _stored_sources(store: EvidenceStore, root: str) -> dict[str, dict[str, Any]]:
    """source → {"ids": [...], "signatures": {...}, "sizes": {...}} for chunks ingested from ``root``."""
    by_source: dict[str, dict[str, Any]] = defaultdict(
        lambda: {"ids": [], "signatures": set(), "sizes": set()}
    )
    for evidence_id, meta in store.metadata_where({"root": root}).items():
        entry = by_source[str(meta.get("source"))]
        entry["ids"].append(evidence_id)
        entry["signatures"].add(meta.get("ingest_signature"))
        entry["sizes"].add(meta.get("file_chunks"))
    return by_source


def _is_current(entry: dict[str, Any], signature: str) -> bool:
    """Every stored chunk of the file has this signature and none is missing. An ingest interrupted
    between writing the new version and deleting the old, or between write batches, leaves mixed
    signatures or a short count, and the file is read again on the next run."""
    return entry["signatures"] == {signature} and entry["sizes"] == {len(entry["ids"])}


def _stamp(chunks: Iterable[Evidence], root: str, file_hash: str, signature: str, now: str) -> list[Evidence]:
    chunks = list(chunks)
    stamped = []
    for chunk in chunks:
        meta = dict(chunk.metadata)
        meta.setdefault("content_hash", hashlib.sha256(chunk.text.encode()).hexdigest()[:16])
        meta.update(root=root, file_hash=file_hash, ingest_signature=signature, ingested_at=now,
                    file_chunks=len(chunks))
        if carries_nothing(chunk.text):
            meta["vector"] = "shared"  # no embedding of its own (see research.contentless)
        stamped.append(chunk.model_copy(update={"metadata": meta}))
    return stamped


def ingest_folder(
    folder: Path | ResearchFolder,
    store: EvidenceStore,
    *,
    kind: str | None = None,
    redact: bool = False,
    prune: bool = True,
    max_bytes: int | None = None,
    on_event: EventSink | None = None,
    pseudonym_key: bytes | None = None,
) -> IngestReport:
    """Ingest a folder (a path, or a `ResearchFolder` shared with the analysis, whose own ``kind``,
    ``redact``, ``max_bytes`` and ``pseudonym_key`` then apply). ``pseudonym_key``:
    `privacy.pseudonym_key(home)`; the analysis must read the folder with the same key."""
    from persona_agent.research import sources

    emit = on_event or (lambda *a, **k: None)
    started = time.perf_counter()
    report = IngestReport()
    research = research_folder(folder, kind=kind, redact=redact, pseudonym_key=pseudonym_key,
                               max_bytes=sources.DEFAULT_MAX_BYTES if max_bytes is None else max_bytes)
    kind, redact, pseudonym_key = research.kind, research.redact, research.pseudonym_key
    root = str(research.root.resolve())
    files = research.files
    report.files_skipped = [f"{research.relative(p)}: {why}" for p, why in research.discovery.skipped]
    report.files_seen = len(files)
    if not files:
        raise SourceError(str(research.root), "contains no research files (csv, tsv, xlsx, txt, md, docx, pdf, json)",
                          "put survey exports, interview notes or analytics files in it")
    stored = _stored_sources(store, root)
    seen_hashes: dict[str, str] = {}
    present: set[str] = set()
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    emit("start", name="ingest", total=len(files))
    for path in files:
        relative = research.relative(path)
        present.add(relative)
        emit("advance", name="ingest", item=relative)
        try:
            file_hash = research.file_hash(path)  # an oversized file is refused before it is hashed
        except SourceError as exc:
            report.files_failed.append(exc.one_line())
            emit("warning", message=exc.one_line())
            continue
        if file_hash in seen_hashes:
            report.duplicates.append(f"{relative}: same content as {seen_hashes[file_hash]}, ingested once")
            emit("warning", message=report.duplicates[-1])
            present.discard(relative)  # a duplicate's old chunks (if any) are pruned too
            continue
        seen_hashes[file_hash] = relative
        signature = ingest_signature(file_hash, redact, kind, pseudonym_key)
        previous = stored.get(relative)
        if previous and _is_current(previous, signature):
            report.files_unchanged += 1
            report.files_ok += 1
            continue
        try:
            document = research.document(path)
        except PersonaError as exc:
            report.files_failed.append(exc.one_line())
            emit("warning", message=exc.one_line())
            continue
        for warning in document.warnings:
            report.warnings.append(f"{relative}: {warning}")
            emit("warning", message=f"{relative}: {warning}")
        chunks = _stamp(document.chunks, root, file_hash, signature, now)
        if not chunks:
            report.files_failed.append(f"{relative}: no usable text or rows")
            continue
        try:  # a provider or store failure fails this file only; the files after it and pruning go on
            embedded_before = store.texts_embedded
            vectors = store.embed(chunks, skip=carries_nothing)  # outside the lock: other processes keep reading
            report.texts_embedded += store.texts_embedded - embedded_before
            with store.writing(f"ingesting {relative}"):
                report.chunks_embedded += store.upsert(chunks, vectors)  # new version is in before the old goes
                stale = set(previous["ids"]) - {chunk.evidence_id for chunk in chunks} if previous else set()
                report.chunks_deleted += store.delete_ids(sorted(stale))
        except Exception as exc:
            report.files_failed.append(_failure(relative, exc))
            emit("warning", message=report.files_failed[-1])
            continue
        report.chunks_by_kind.update(chunk.kind for chunk in chunks)
        report.chunks_shared_vector += sum(chunk.metadata.get("vector") == "shared" for chunk in chunks)
        if previous:
            report.files_replaced += 1
        else:
            report.files_new += 1
        report.files_ok += 1
    if prune:
        for source, entry in stored.items():
            if source not in present:
                report.chunks_deleted += store.delete_ids(entry["ids"])
                report.files_removed += 1
    report.seconds = time.perf_counter() - started
    return report


def _failure(relative: str, exc: Exception) -> str:
    """One line for a file that could not be stored; an error we did not type is logged with its traceback."""
    if isinstance(exc, PersonaError):
        return f"{relative}: {exc.one_line()}"
    log.error("%s: storing failed", relative, exc_info=exc)
    return f"{relative}: unexpected error {type(exc).__name__}: {str(exc)[:200]} (traceback in the log)"


def list_sources(store: EvidenceStore) -> list[SourceRow]:
    counts: Counter = Counter()
    kinds: dict[str, str] = {}
    languages: dict[str, set[str]] = defaultdict(set)
    for meta in store.metadata_where().values():
        source = str(meta.get("source"))
        counts[source] += 1
        kinds[source] = str(meta.get("kind"))
        if meta.get("language"):
            languages[source].add(str(meta["language"]))
    return [SourceRow(s, kinds[s], counts[s], sorted(languages[s])) for s in sorted(counts)]


def _typed(value: str) -> Any:
    lowered = value.lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    for cast in (int, float):
        try:
            return cast(value)
        except ValueError:
            pass
    return value


def parse_where(pairs: list[str], kind: str | None = None) -> dict[str, Any] | None:
    """``["customer=worst", "language=no"]`` (+ kind) → a Chroma ``where`` filter."""
    conditions: list[dict[str, Any]] = []
    if kind:
        conditions.append({"kind": kind})
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise PersonaError(f"--where {pair!r}: expected key=value", "e.g. --where customer=worst")
        conditions.append({key.strip(): _typed(value.strip())})
    if not conditions:
        return None
    return conditions[0] if len(conditions) == 1 else {"$and": conditions}


def with_languages(where: dict[str, Any] | None, languages: list[str]) -> dict[str, Any] | None:
    """Add a language filter (``["no", "da,sv"]``: repeated options and comma lists) to ``where``."""
    codes = sorted({code.strip().lower() for item in languages for code in item.split(",") if code.strip()})
    if not codes:
        return where
    condition: dict[str, Any] = {"language": codes[0]} if len(codes) == 1 else {"language": {"$in": codes}}
    if not where:
        return condition
    return {"$and": [*where["$and"], condition]} if "$and" in where else {"$and": [where, condition]}
