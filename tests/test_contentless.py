"""Texts that carry nothing ("-", "nei", "vet ikke", a bare number) are stored and citable but get no
embedding of their own: one shared vector, so the embedder is given fewer texts."""

from __future__ import annotations

import pytest

from persona_agent.core.config import load_settings
from persona_agent.engine.store import SHARED_VECTOR_TEXT, open_store
from persona_agent.research.contentless import carries_nothing
from persona_agent.research.ingest import ingest_folder
from persona_agent.testing import HashEmbeddings
from tests.conftest import KNOWLEDGE


@pytest.mark.parametrize("text", ["-", "No", "Nei.", "Vet ikke.", "Не знаю.", "Geen idee.", "n/a", "42", "€4,99",
                                  "55 %", "Kunde: Nei.", "Not sure.", "...", "Nothing"])
def test_carries_nothing(text):
    assert carries_nothing(text)


@pytest.mark.parametrize("text", ["Quality", "The coffee.", "Kvaliteten", "Ga zo door!", "No shipping please",
                                  "Nothing, all good", "Fresh beans", "Ja takk", "Frakten er altfor dyr",
                                  "I don't know why shipping costs so much"])
def test_words_with_content_are_embedded(text):
    assert not carries_nothing(text)


class CountingEmbeddings(HashEmbeddings):
    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.texts += texts
        return super().embed_documents(texts)


def test_ingest_stores_them_with_one_shared_vector(tmp_path):
    embedder = CountingEmbeddings()
    store = open_store(load_settings(home=tmp_path / "home"), embedder)
    report = ingest_folder(KNOWLEDGE, store)
    shared = store.metadata_where({"vector": "shared"})
    assert report.chunks_shared_vector == len(shared) > 0
    texts = {e.evidence_id: e.text for e in store.get(sorted(shared))}  # stored and citable by id
    assert all(carries_nothing(text) for text in texts.values())
    assert not any(carries_nothing(text) for text in embedder.texts if text != SHARED_VECTOR_TEXT)
    assert embedder.texts.count(SHARED_VECTOR_TEXT) <= 1 or SHARED_VECTOR_TEXT not in texts.values()
    vectors = store.collection.get(ids=sorted(shared)[:2], include=["embeddings"])["embeddings"]
    assert list(vectors[0]) == pytest.approx(list(vectors[-1]))  # one vector for all of them
    assert report.texts_embedded == len(embedder.texts)
    assert report.texts_embedded < report.chunks_embedded
