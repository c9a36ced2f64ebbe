"""The evidence store: the only module that imports chromadb.

Embedded (`PersistentClient` at ``$PERSONA_HOME/chroma``) or a Chroma server
(`HttpClient`, ``PERSONA_CHROMA_URL``). Collections are created with no Chroma embedding function
(Chroma's default downloads a model) and record the embedder that built them; opening one with
another embedder is an `EmbedderMismatchError`. `langchain_chroma.Chroma` is available over the
same collection for LangChain retrievers (MMR).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

from langchain_core.embeddings import Embeddings

from persona_agent.core.config import Settings
from persona_agent.core.errors import BackendError, EmbedderMismatchError
from persona_agent.core.evidence import Evidence
from persona_agent.engine.embeddings import embedder_id

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


def open_store(settings: Settings, embedder: Embeddings, collection: str | None = None) -> EvidenceStore:
    return EvidenceStore(_client(settings), collection or settings.collection, embedder)


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
    def __init__(self, client: Any, name: str, embedder: Embeddings) -> None:
        self.client = client
        self.name = name
        self.embedder = embedder
        self.embedder_id = embedder_id(embedder)
        self.collection = client.get_or_create_collection(
            name,
            embedding_function=None,
            metadata={"embedder": self.embedder_id},
            configuration={"hnsw": {"space": "cosine"}},
        )
        stored = (self.collection.metadata or {}).get("embedder")
        if stored != self.embedder_id:
            raise EmbedderMismatchError(name, str(stored), self.embedder_id)

    # writing --------------------------------------------------------------------------------
    def upsert(self, evidences: Sequence[Evidence], vectors: Sequence[Sequence[float]] | None = None) -> int:
        """Embed (if ``vectors`` is not given) and upsert in batches."""
        if not evidences:
            return 0
        if vectors is None:  # identical texts (repeated survey answers) are embedded once
            unique = list(dict.fromkeys(e.text for e in evidences))
            by_text = dict(zip(unique, self.embedder.embed_documents(unique), strict=True))
            vectors = [by_text[e.text] for e in evidences]
        for start in range(0, len(evidences), UPSERT_BATCH):
            batch = evidences[start : start + UPSERT_BATCH]
            self.collection.upsert(
                ids=[e.evidence_id for e in batch],
                documents=[e.text for e in batch],
                metadatas=[_to_metadata(e) for e in batch],
                embeddings=[list(v) for v in vectors[start : start + UPSERT_BATCH]],
            )
        return len(evidences)

    def delete_ids(self, ids: Iterable[str]) -> int:
        ids = list(ids)
        for start in range(0, len(ids), UPSERT_BATCH):
            self.collection.delete(ids=ids[start : start + UPSERT_BATCH])
        return len(ids)

    # reading --------------------------------------------------------------------------------
    def count(self) -> int:
        return int(self.collection.count())

    def metadata_where(self, where: dict[str, Any] | None = None) -> dict[str, dict[str, Any]]:
        """id → metadata for everything matching ``where`` (no documents, no vectors)."""
        result = self.collection.get(where=where or None, include=["metadatas"])
        return dict(zip(result["ids"], result["metadatas"] or [], strict=True))

    def get(self, ids: Sequence[str]) -> list[Evidence]:
        if not ids:
            return []
        result = self.collection.get(ids=list(ids), include=["documents", "metadatas"])
        found = {
            i: _to_evidence(i, d, m)
            for i, d, m in zip(result["ids"], result["documents"], result["metadatas"], strict=True)
        }
        return [found[i] for i in ids if i in found]

    def with_vectors(self, where: dict[str, Any] | None = None) -> list[tuple[Evidence, list[float]]]:
        """Every chunk matching ``where`` with the vector it was stored under (nothing re-embedded)."""
        result = self.collection.get(where=where or None, include=["documents", "metadatas", "embeddings"])
        vectors = result.get("embeddings")
        if vectors is None:
            vectors = []
        return [(_to_evidence(i, d, m), list(map(float, v)))
                for i, d, m, v in zip(result["ids"], result["documents"], result["metadatas"], vectors, strict=True)]

    def search(self, query: str, k: int = 8, where: dict[str, Any] | None = None) -> list[Hit]:
        if self.count() == 0:
            return []
        result = self.collection.query(
            query_embeddings=[self.embedder.embed_query(query)],
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
        if self.count() == 0:
            return []
        documents = self.langchain().max_marginal_relevance_search(query, k=k, fetch_k=fetch_k, filter=where)
        return [_to_evidence(str(d.metadata["evidence_id"]), d.page_content, d.metadata) for d in documents]

    def langchain(self) -> Any:
        """A `langchain_chroma.Chroma` over this collection (for MMR and retrievers)."""
        from langchain_chroma import Chroma

        return Chroma(client=self.client, collection_name=self.name, embedding_function=self.embedder)


def heartbeat(settings: Settings) -> str:
    """Open the configured Chroma and report what it is, for `persona doctor`."""
    client = _client(settings)
    client.heartbeat()
    where = settings.chroma_url or str(settings.chroma_dir)
    return f"{'server' if settings.chroma_url else 'embedded'} at {where}"
