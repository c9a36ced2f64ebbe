"""The evidence store: the only module that imports chromadb.

Embedded (`PersistentClient` at ``$PERSONA_HOME/chroma``) or a Chroma server
(`HttpClient`, ``PERSONA_CHROMA_URL``). Collections are created with no Chroma embedding function
(Chroma's default downloads a model) and record the embedder that built them; opening one with
another embedder is an `EmbedderMismatchError`. `langchain_chroma.Chroma` is available over the
same collection for LangChain retrievers.

Retrieval is language-balanced by default (`persona_agent.engine.multilingual`): `search` and `mmr`
rank in a language-neutral space and give every language with a candidate a place in the result;
``balanced=False`` (or ``PERSONA_RETRIEVAL=plain``) is plain cosine similarity. The per-language
statistics that define the neutral space live in the collection's metadata, updated by every
`upsert` and `delete_ids` (see the comment above `_forget`).

Several processes may use one ``$PERSONA_HOME``: every operation holds the home lock for that
operation only, on a client that has seen the other processes' writes (`engine.connection`).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from typing import Any

import numpy as np
from langchain_core.embeddings import Embeddings

from persona_agent.core.config import Settings
from persona_agent.core.errors import EmbedderMismatchError
from persona_agent.core.evidence import Evidence
from persona_agent.engine.connection import Connection, _connection, home_lock
from persona_agent.engine.embeddings import embedder_id
from persona_agent.engine.locks import HomeLock, Mode
from persona_agent.engine.multilingual import LanguageSpace, LanguageStats, balance, language_of

UPSERT_BATCH = 256
SHARED_VECTOR_TEXT = "-"  # what texts that carry nothing are embedded as, together
SCAN_BATCH = 5000
STATS_KEY, REVISION_KEY = "language_stats", "language_stats_revision"
POOL = 100  # candidates fetched per balanced query; 100 matched an exhaustive ranking on the evaluation set


@dataclass(frozen=True)
class Hit:
    evidence: Evidence
    score: float  # cosine similarity (language-neutral unless plain): rank by it, E5 scores sit in a narrow band


def open_store(settings: Settings, embedder: Embeddings, collection: str | None = None) -> EvidenceStore:
    lock = home_lock(settings)
    with lock.write("opening the evidence store"):  # may create the collection
        return EvidenceStore(_connection(settings), collection or settings.collection, embedder, lock=lock,
                             balanced=settings.retrieval == "balanced")


def _to_metadata(evidence: Evidence) -> dict[str, Any]:
    meta: dict[str, Any] = dict(evidence.metadata)
    meta.update(evidence_id=evidence.evidence_id, kind=evidence.kind, source=evidence.source)
    return meta


def _to_evidence(evidence_id: str, text: str, meta: dict[str, Any]) -> Evidence:
    extra = {k: v for k, v in meta.items() if k not in ("evidence_id", "kind", "source")}
    return Evidence(
        evidence_id=evidence_id, text=text, kind=meta["kind"], source=meta["source"], metadata=extra
    )


@dataclass(frozen=True)
class _Pool:
    evidence: list[Evidence]
    languages: list[str]
    vectors: np.ndarray  # language-neutral, unit length
    query: np.ndarray  # language-neutral query vector
    scores: np.ndarray


class EvidenceStore:
    def __init__(self, connection: Connection, name: str, embedder: Embeddings, *, lock: HomeLock | None = None,
                 balanced: bool = True) -> None:
        self.connection = connection
        self.balanced = balanced  # the default of search / mmr (PERSONA_RETRIEVAL)
        self.name = name
        self.embedder = embedder
        self.embedder_id = embedder_id(embedder)
        self.lock = lock
        self.texts_embedded = 0  # texts sent to the embedder by `embed` (a counter for reports)
        self._shared_vector: list[float] | None = None
        self._collection: Any = None
        self._collection_client: Any = None
        with connection.guard:
            connection.refresh()
            self._collection = connection.client.get_or_create_collection(
                name,
                embedding_function=None,
                metadata={"embedder": self.embedder_id},
                configuration={"hnsw": {"space": "cosine"}},
            )
            self._collection_client = connection.client
        stored = (self._collection.metadata or {}).get("embedder")
        if stored != self.embedder_id:
            raise EmbedderMismatchError(name, str(stored), self.embedder_id)
        self._space_cache: tuple[str, int, LanguageSpace | None] | None = None

    @property
    def client(self) -> Any:
        return self.connection.client

    @property
    def collection(self) -> Any:
        """The Chroma collection, fetched again after the client was reopened."""
        if self._collection_client is not self.connection.client:
            self._collection = self.connection.client.get_collection(self.name)
            self._collection_client = self.connection.client
        return self._collection

    @contextmanager
    def _op(self, mode: Mode, operation: str) -> Iterator[Any]:
        """Hold the home lock for one operation, on a client that has seen every other process's writes."""
        with self.lock.hold(mode, operation) if self.lock else nullcontext(), self.connection.guard:
            self.connection.refresh()
            try:
                yield self.collection
            finally:
                if mode == "write":
                    self.connection.wrote()

    def writing(self, operation: str = "writing to the evidence store") -> Any:
        """One exclusive hold for several writes that belong together (a file's new and stale chunks)."""
        return self._op("write", operation)

    # writing --------------------------------------------------------------------------------
    def embed(self, evidences: Sequence[Evidence], *, skip: Callable[[str], bool] | None = None) -> list[list[float]]:
        """Vectors for ``evidences`` (identical texts, e.g. repeated survey answers, embedded once).
        Texts ``skip`` says carry nothing get one shared vector (that of "-") instead of their own.
        Done outside any lock: a slow or retried provider never holds up the other processes."""
        unique = list(dict.fromkeys(e.text for e in evidences))
        own = [text for text in unique if skip is None or not skip(text)]
        by_text = dict(zip(own, self.embedder.embed_documents(own), strict=True)) if own else {}
        self.texts_embedded += len(own)
        if len(own) < len(unique):
            shared = self.shared_vector()
            return [by_text.get(e.text, shared) for e in evidences]
        return [by_text[e.text] for e in evidences]

    def shared_vector(self) -> list[float]:
        """The one vector of all texts that carry nothing, embedded once per store."""
        if self._shared_vector is None:
            self._shared_vector = self.embedder.embed_documents([SHARED_VECTOR_TEXT])[0]
            self.texts_embedded += 1
        return self._shared_vector

    def upsert(self, evidences: Sequence[Evidence], vectors: Sequence[Sequence[float]] | None = None) -> int:
        """Embed (if ``vectors`` is not given), then upsert in batches under one write hold; the language
        statistics follow each batch (the vectors a batch replaces are taken out first)."""
        if not evidences:
            return 0
        if vectors is None:
            vectors = self.embed(evidences)
        with self._op("write", "storing evidence") as collection:
            for start in range(0, len(evidences), UPSERT_BATCH):
                batch = evidences[start : start + UPSERT_BATCH]
                batch_vectors = [list(v) for v in vectors[start : start + UPSERT_BATCH]]
                metadatas = [_to_metadata(e) for e in batch]
                stats = self._language_stats(collection)
                self._forget(collection, [e.evidence_id for e in batch], stats)
                collection.upsert(ids=[e.evidence_id for e in batch], documents=[e.text for e in batch],
                                  metadatas=metadatas, embeddings=batch_vectors)
                stats.add([language_of(m) for m in metadatas], batch_vectors)
                self._save_language_stats(collection, stats)
        return len(evidences)

    def delete_ids(self, ids: Iterable[str]) -> int:
        ids = list(ids)
        if not ids:
            return 0
        with self._op("write", "deleting evidence") as collection:
            for start in range(0, len(ids), UPSERT_BATCH):
                batch = ids[start : start + UPSERT_BATCH]
                stats = self._language_stats(collection)
                self._forget(collection, batch, stats)
                collection.delete(ids=batch)
                self._save_language_stats(collection, stats)
        return len(ids)

    # language statistics ----------------------------------------------------------------------
    # Kept in the collection's metadata rather than recomputed on reading: one ingest can be read
    # by many processes (CLI, chat, Slack, a Chroma server shared by several), and a full scan costs
    # ~2 s at 20k chunks. Every write through this class keeps them exact; a count that disagrees
    # (an interrupted write, a LangChain `add_documents`) triggers one full recount. These helpers run
    # inside an operation (`_op`) that already holds the home lock.
    def _forget(self, collection: Any, ids: list[str], stats: LanguageStats) -> None:
        """Take the stored vectors of ``ids`` (those that exist) out of ``stats``."""
        old = collection.get(ids=ids, include=["embeddings", "metadatas"])
        if old["ids"]:
            stats.remove([language_of(m) for m in old["metadatas"]], old["embeddings"])

    def _metadata(self) -> dict[str, Any]:
        """The collection's metadata as stored now (another process may have written since we opened it)."""
        return dict(self.client.get_collection(self.name, embedding_function=None).metadata or {})

    def _language_stats(self, collection: Any = None) -> LanguageStats:
        if collection is None:
            with self._op("read", "reading evidence") as current:
                return self._language_stats(current)
        stats = LanguageStats.from_json(self._metadata().get(STATS_KEY))
        if stats.total != collection.count():
            stats = self._recount(collection)
        return stats

    def _recount(self, collection: Any = None) -> LanguageStats:
        if collection is None:
            with self._op("read", "reading evidence") as current:
                return self._recount(current)
        stats = LanguageStats()
        total = collection.count()
        for offset in range(0, total, SCAN_BATCH):
            page = collection.get(include=["embeddings", "metadatas"], limit=SCAN_BATCH, offset=offset)
            if page["ids"]:
                stats.add([language_of(m) for m in page["metadatas"]], page["embeddings"])
        return stats

    def _save_language_stats(self, collection: Any, stats: LanguageStats) -> None:
        metadata = self._metadata()
        metadata.update({STATS_KEY: stats.to_json(), REVISION_KEY: uuid.uuid4().hex[:16]})
        collection.modify(metadata=metadata)
        self._space_cache = (metadata[REVISION_KEY], stats.total, stats.space())

    def language_space(self) -> LanguageSpace | None:
        """The neutralising projection for the collection as it is now (cached until it changes)."""
        with self._op("read", "reading evidence") as collection:
            metadata, total = self._metadata(), int(collection.count())
        revision = str(metadata.get(REVISION_KEY, ""))
        if self._space_cache and self._space_cache[:2] == (revision, total):
            return self._space_cache[2]
        stats = LanguageStats.from_json(metadata.get(STATS_KEY))
        if stats.total != total:
            with self._op("write", "counting languages") as collection:
                self._save_language_stats(collection, self._recount(collection))
            return self._space_cache[2] if self._space_cache else None
        self._space_cache = (revision, total, stats.space())
        return self._space_cache[2]

    # reading --------------------------------------------------------------------------------
    def count(self) -> int:
        with self._op("read", "counting evidence") as collection:
            return int(collection.count())

    def metadata_where(self, where: dict[str, Any] | None = None) -> dict[str, dict[str, Any]]:
        """id → metadata for everything matching ``where`` (no documents, no vectors)."""
        with self._op("read", "reading evidence") as collection:
            result = collection.get(where=where or None, include=["metadatas"])
        return dict(zip(result["ids"], result["metadatas"] or [], strict=True))

    def get(self, ids: Sequence[str]) -> list[Evidence]:
        if not ids:
            return []
        with self._op("read", "reading evidence") as collection:
            result = collection.get(ids=list(ids), include=["documents", "metadatas"])
        found = {
            i: _to_evidence(i, d, m)
            for i, d, m in zip(result["ids"], result["documents"], result["metadatas"], strict=True)
        }
        return [found[i] for i in ids if i in found]

    def with_vectors(self, where: dict[str, Any] | None = None) -> list[tuple[Evidence, list[float]]]:
        """Every chunk matching ``where`` with the vector it was stored under (nothing re-embedded)."""
        with self._op("read", "reading evidence") as collection:
            result = collection.get(where=where or None, include=["documents", "metadatas", "embeddings"])
        vectors = result.get("embeddings")
        if vectors is None:
            vectors = []
        return [(_to_evidence(i, d, m), list(map(float, v)))
                for i, d, m, v in zip(result["ids"], result["documents"], result["metadatas"], vectors, strict=True)]

    def search(self, query: str, k: int = 8, where: dict[str, Any] | None = None, *,
               balanced: bool | None = None) -> list[Hit]:
        """The k chunks most similar to ``query``; language-balanced unless ``balanced=False`` (or
        the store was opened with ``PERSONA_RETRIEVAL=plain``)."""
        vector = self.embedder.embed_query(query)  # before the lock: the provider may be slow
        space = self.language_space() if (self.balanced if balanced is None else balanced) else None
        with self._op("read", "searching evidence") as collection:
            total = collection.count()
            if total == 0:
                return []
            if space is None:
                result = collection.query(query_embeddings=[vector], n_results=k, where=where or None,
                                          include=["documents", "metadatas", "distances"])
                return [Hit(_to_evidence(i, d, m), 1.0 - float(dist)) for i, d, m, dist in zip(
                    result["ids"][0], result["documents"][0], result["metadatas"][0], result["distances"][0],
                    strict=True)]
            pool = self._neutral_pool(collection, space, vector, min(max(POOL, 12 * k), total), where)
        chosen = balance(pool.scores.tolist(), pool.languages, k)
        return [Hit(pool.evidence[i], float(pool.scores[i])) for i in chosen]

    def _neutral_pool(self, collection: Any, space: LanguageSpace, query_vector: Sequence[float], size: int,
                      where: dict[str, Any] | None) -> _Pool:
        """Candidates for the query with their language-neutral vectors and scores. Chroma ranks the
        raw vectors against the projected query (the language pull is gone from the query side);
        the exact neutral cosine is computed here on the returned vectors."""
        neutral_query = space.project(query_vector)
        result = collection.query(query_embeddings=[neutral_query.tolist()], n_results=size,
                                  where=where or None, include=["documents", "metadatas", "embeddings"])
        ids, documents, metadatas = result["ids"][0], result["documents"][0], result["metadatas"][0]
        vectors = space.project(result["embeddings"][0]) if ids else np.zeros((0, len(neutral_query)))
        return _Pool([_to_evidence(i, d, m) for i, d, m in zip(ids, documents, metadatas, strict=True)],
                     [language_of(m) for m in metadatas], vectors, neutral_query, vectors @ neutral_query)

    def mmr(self, query: str, k: int = 4, fetch_k: int = 20, where: dict[str, Any] | None = None, *,
            balanced: bool | None = None) -> list[Evidence]:
        """Maximal marginal relevance: relevant but not repetitive. Balanced: among a language-fair
        set of ``fetch_k`` candidates, in the language-neutral space; plain: LangChain's MMR."""
        vector = self.embedder.embed_query(query)
        space = self.language_space() if (self.balanced if balanced is None else balanced) else None
        with self._op("read", "searching evidence") as collection:
            total = collection.count()
            if total == 0:
                return []
            if space is None:
                documents = self.langchain().max_marginal_relevance_search_by_vector(
                    vector, k=k, fetch_k=fetch_k, filter=where)
                return [_to_evidence(str(d.metadata["evidence_id"]), d.page_content, d.metadata) for d in documents]
            pool = self._neutral_pool(collection, space, vector, min(max(POOL, fetch_k), total), where)
        from langchain_core.vectorstores.utils import maximal_marginal_relevance

        candidates = balance(pool.scores.tolist(), pool.languages, fetch_k)
        picked = maximal_marginal_relevance(pool.query, pool.vectors[candidates].tolist(), lambda_mult=0.5, k=k)
        return [pool.evidence[candidates[i]] for i in picked]

    def rank(self, query: str, evidence: Sequence[Evidence]) -> list[Evidence]:
        """``evidence`` ordered by similarity to ``query`` in the language-neutral space, from the
        stored vectors (items not in the store are embedded here)."""
        if not evidence:
            return []
        ids, stored = self.neutral_vectors([e.evidence_id for e in evidence])
        vectors = dict(zip(ids, stored, strict=True))
        space = self.language_space()
        absent = [e for e in evidence if e.evidence_id not in vectors]
        if absent:
            fresh = np.asarray(self.embedder.embed_documents([e.text for e in absent]), dtype=np.float64)
            fresh = space.project(fresh) if space else fresh / np.linalg.norm(fresh, axis=1, keepdims=True)
            vectors.update(zip((e.evidence_id for e in absent), fresh, strict=True))
        query_vector = np.asarray(self.embedder.embed_query(query), dtype=np.float64)
        query_vector = space.project(query_vector) if space else query_vector / np.linalg.norm(query_vector)
        return sorted(evidence, key=lambda e: -float(vectors[e.evidence_id] @ query_vector))

    def neutral_vectors(self, ids: Sequence[str]) -> tuple[list[str], np.ndarray]:
        """Unit vectors of these chunks in the language-neutral space retrieval ranks in (plain
        vectors while the store has fewer than two languages): cluster with these, so that themes
        are not split by language. Returns the ids found, in the order asked, and a (n, d) array."""
        space = self.language_space()
        with self._op("read", "reading evidence") as collection:
            result = collection.get(ids=list(ids), include=["embeddings"])
        by_id = dict(zip(result["ids"], result["embeddings"], strict=True))
        found = [i for i in ids if i in by_id]
        matrix = np.asarray([by_id[i] for i in found], dtype=np.float64).reshape(len(found), -1)
        if space is not None:
            return found, space.project(matrix)
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        return found, matrix / np.where(norms == 0, 1.0, norms)

    def langchain(self) -> Any:
        """A `langchain_chroma.Chroma` over this collection (for MMR and retrievers)."""
        from langchain_chroma import Chroma

        return Chroma(client=self.client, collection_name=self.name, embedding_function=self.embedder)


def heartbeat(settings: Settings) -> str:
    """Open the configured Chroma and report what it is, for `persona doctor`."""
    client = _connection(settings).client  # embedded: the process's one client (see Connection)
    client.heartbeat()
    where = settings.chroma_url or str(settings.chroma_dir)
    return f"{'server' if settings.chroma_url else 'embedded'} at {where}"
