"""The evidence store: the only module that imports chromadb.

Embedded (`PersistentClient` at ``$PERSONA_HOME/chroma``) or a Chroma server
(`HttpClient`, ``PERSONA_CHROMA_URL``). Collections are created with no Chroma embedding function
(Chroma's default downloads a model) and record the embedder that built them; opening one with
another embedder is an `EmbedderMismatchError`. `langchain_chroma.Chroma` is available over the
same collection for LangChain retrievers (MMR).

Several processes may use one ``$PERSONA_HOME`` (an ingest while `persona slack` answers). Every
operation holds the home lock (`engine.locks`: readers shared, writers exclusive) for that operation
only. The embedded client sees another process's writes in ``count``/``get`` but not in vector
queries: its HNSW index is cached in memory (measured with chromadb 1.5). So each write stamps a
generation marker, and a process that finds the marker changed closes its client and opens it again
before its next operation. One embedded client per path per process, shared by its stores, so that
closing it really drops the cached index.
"""

from __future__ import annotations

import os
import tempfile
import threading
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from langchain_core.embeddings import Embeddings

from persona_agent.core.config import Settings
from persona_agent.core.errors import BackendError, EmbedderMismatchError
from persona_agent.core.evidence import Evidence
from persona_agent.engine.embeddings import embedder_id
from persona_agent.engine.locks import HomeLock, Mode

UPSERT_BATCH = 256


@dataclass(frozen=True)
class Hit:
    evidence: Evidence
    score: float  # cosine similarity: rank by it, E5 scores sit in a narrow band


def _client(settings: Settings) -> Any:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if settings.chroma_url:
        url = urlparse(settings.chroma_url)
        try:
            return chromadb.HttpClient(
                host=url.hostname or "localhost",
                port=url.port or (443 if url.scheme == "https" else 8000),
                ssl=url.scheme == "https",
                settings=chroma_settings,
            )
        except Exception as exc:  # connection errors surface as several chromadb/httpx types
            raise BackendError(
                "PERSONA_CHROMA_URL",
                f"cannot reach Chroma at {settings.chroma_url} ({type(exc).__name__})",
                "start it with `chroma run --path DIR --port 8000` or unset PERSONA_CHROMA_URL",
            ) from exc
    settings.chroma_dir.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(settings.chroma_dir), settings=chroma_settings)


class Connection:
    """The Chroma client of one place. Embedded: shared by the stores of this process, and reopened
    when another process has written since this one last looked (`refresh`)."""

    GENERATION_FILE = ".generation"

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.embedded = settings.chroma_url is None
        self.guard = threading.RLock()  # one operation at a time in this process: a reopen never pulls
        self.client = _client(settings)  # the client from under another thread
        self.seen = self.generation()
        self.reopened = 0

    def generation(self) -> str:
        if not self.embedded:
            return ""
        try:
            return (self.settings.chroma_dir / self.GENERATION_FILE).read_text(encoding="utf-8")
        except OSError:
            return ""

    def refresh(self) -> bool:
        """Reopen the embedded client if another process wrote since we last did or looked."""
        current = self.generation()
        if current == self.seen:
            return False
        self.client.close()
        self.client = _client(self.settings)
        self.seen = current
        self.reopened += 1
        return True

    def wrote(self) -> None:
        """Tell other processes (and their long-lived clients) that the store changed."""
        if not self.embedded:
            return
        token = uuid.uuid4().hex
        folder = self.settings.chroma_dir
        fd, tmp = tempfile.mkstemp(prefix=".generation.", dir=folder)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(token)
            os.replace(tmp, folder / self.GENERATION_FILE)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        self.seen = token


_connections: dict[Path, Connection] = {}
_homes: dict[Path, HomeLock] = {}
_registry_lock = threading.Lock()


def _connection(settings: Settings) -> Connection:
    if settings.chroma_url:
        return Connection(settings)  # a server serves every process the same data
    key = settings.chroma_dir.resolve()
    with _registry_lock:
        if key not in _connections:
            _connections[key] = Connection(settings)
        return _connections[key]


def home_lock(settings: Settings) -> HomeLock:
    """The lock of ``settings.home``; one per path per process, so nested holds in a thread nest."""
    key = settings.home.resolve()
    with _registry_lock:
        lock = _homes.get(key)
        if lock is None:
            lock = _homes[key] = HomeLock(settings.home, settings.lock_timeout)
        lock.timeout = settings.lock_timeout
        return lock


def open_store(settings: Settings, embedder: Embeddings, collection: str | None = None) -> EvidenceStore:
    lock = home_lock(settings)
    with lock.write("opening the evidence store"):  # may create the collection
        return EvidenceStore(_connection(settings), collection or settings.collection, embedder, lock=lock)


def _to_metadata(evidence: Evidence) -> dict[str, Any]:
    meta: dict[str, Any] = dict(evidence.metadata)
    meta.update(evidence_id=evidence.evidence_id, kind=evidence.kind, source=evidence.source)
    return meta


def _to_evidence(evidence_id: str, text: str, meta: dict[str, Any]) -> Evidence:
    extra = {k: v for k, v in meta.items() if k not in ("evidence_id", "kind", "source")}
    return Evidence(
        evidence_id=evidence_id, text=text, kind=meta["kind"], source=meta["source"], metadata=extra
    )


class EvidenceStore:
    def __init__(self, connection: Connection, name: str, embedder: Embeddings, *, lock: HomeLock | None = None
                 ) -> None:
        self.connection = connection
        self.name = name
        self.embedder = embedder
        self.embedder_id = embedder_id(embedder)
        self.lock = lock
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
    def embed(self, evidences: Sequence[Evidence]) -> list[list[float]]:
        """Vectors for ``evidences`` (identical texts, e.g. repeated survey answers, embedded once).
        Done outside any lock: a slow or retried provider never holds up the other processes."""
        unique = list(dict.fromkeys(e.text for e in evidences))
        by_text = dict(zip(unique, self.embedder.embed_documents(unique), strict=True))
        return [by_text[e.text] for e in evidences]

    def upsert(self, evidences: Sequence[Evidence], vectors: Sequence[Sequence[float]] | None = None) -> int:
        """Embed (if ``vectors`` is not given), then upsert in batches under one write hold."""
        if not evidences:
            return 0
        if vectors is None:
            vectors = self.embed(evidences)
        with self._op("write", "storing evidence") as collection:
            for start in range(0, len(evidences), UPSERT_BATCH):
                batch = evidences[start : start + UPSERT_BATCH]
                collection.upsert(
                    ids=[e.evidence_id for e in batch],
                    documents=[e.text for e in batch],
                    metadatas=[_to_metadata(e) for e in batch],
                    embeddings=[list(v) for v in vectors[start : start + UPSERT_BATCH]],
                )
        return len(evidences)

    def delete_ids(self, ids: Iterable[str]) -> int:
        ids = list(ids)
        if not ids:
            return 0
        with self._op("write", "deleting evidence") as collection:
            for start in range(0, len(ids), UPSERT_BATCH):
                collection.delete(ids=ids[start : start + UPSERT_BATCH])
        return len(ids)

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

    def search(self, query: str, k: int = 8, where: dict[str, Any] | None = None) -> list[Hit]:
        vector = self.embedder.embed_query(query)  # before the lock: the provider may be slow
        with self._op("read", "searching evidence") as collection:
            if collection.count() == 0:
                return []
            result = collection.query(
                query_embeddings=[vector],
                n_results=k,
                where=where or None,
                include=["documents", "metadatas", "distances"],
            )
        return [
            Hit(_to_evidence(i, d, m), 1.0 - float(dist))
            for i, d, m, dist in zip(
                result["ids"][0],
                result["documents"][0],
                result["metadatas"][0],
                result["distances"][0],
                strict=True,
            )
        ]

    def mmr(self, query: str, k: int = 4, fetch_k: int = 20, where: dict[str, Any] | None = None) -> list[Evidence]:
        """Maximal marginal relevance: relevant but not repetitive (LangChain's implementation)."""
        vector = self.embedder.embed_query(query)
        with self._op("read", "searching evidence") as collection:
            if collection.count() == 0:
                return []
            documents = self.langchain().max_marginal_relevance_search_by_vector(
                vector, k=k, fetch_k=fetch_k, filter=where)
        return [_to_evidence(str(d.metadata["evidence_id"]), d.page_content, d.metadata) for d in documents]

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
