import pytest

from persona_agent.core.config import load_settings
from persona_agent.core.errors import BackendError, EmbedderMismatchError
from persona_agent.core.evidence import Evidence
from persona_agent.engine.store import open_store
from persona_agent.testing import HashEmbeddings


def _evidence(i: int, text: str, **meta) -> Evidence:
    return Evidence(evidence_id=f"notes/{i}.md#L1-2", text=text, kind="interview", source=f"notes/{i}.md",
                    metadata={"language": "en", **meta})


def test_upsert_search_get_delete(store_settings, hash_embedder):
    store = open_store(store_settings, hash_embedder)
    texts = ["shipping is far too expensive", "the grinder arrived broken", "I buy coffee as a gift"]
    store.upsert([_evidence(i, t, customer="worst" if i == 1 else "best") for i, t in enumerate(texts)])
    assert store.count() == 3
    hits = store.search("expensive shipping", k=2)
    assert hits[0].evidence.evidence_id == "notes/0.md#L1-2"
    assert hits[0].score > hits[1].score
    assert hits[0].evidence.metadata["customer"] == "best"
    worst = store.search("coffee", k=3, where={"customer": "worst"})
    assert [h.evidence.evidence_id for h in worst] == ["notes/1.md#L1-2"]
    assert [e.text for e in store.get(["notes/2.md#L1-2"])] == [texts[2]]
    store.delete_ids(["notes/0.md#L1-2"])
    assert store.count() == 2
    # a LangChain vector store over the same collection sees the same data (MMR is used later)
    docs = store.langchain().max_marginal_relevance_search("gift", k=1, fetch_k=2)
    assert docs[0].metadata["evidence_id"] == "notes/2.md#L1-2"


def test_collection_remembers_its_embedder(store_settings):
    open_store(store_settings, HashEmbeddings())
    other = HashEmbeddings()
    other.embedder_id = "test:other"
    with pytest.raises(EmbedderMismatchError, match="test:hash-64"):
        open_store(store_settings, other)


def test_unreachable_chroma_url_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("PERSONA_CHROMA_URL", "http://127.0.0.1:9")
    with pytest.raises(BackendError) as caught:
        open_store(load_settings(), HashEmbeddings())
    assert caught.value.backend == "PERSONA_CHROMA_URL"
