"""`persona search`: language-balanced by default, says which languages the results came from,
filters by language, and never cuts an evidence id."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

import persona_agent.engine.embeddings
from persona_agent.cli import app
from persona_agent.research.ingest import with_languages

QUERY = "the shipping is too expensive"


@pytest.fixture
def search(sample_research, monkeypatch):
    store, _, _, settings = sample_research
    monkeypatch.setattr(persona_agent.engine.embeddings, "make_embeddings", lambda *a, **k: store.embedder)

    def run(*args: str, columns: int = 200):
        result = CliRunner(env={"COLUMNS": str(columns)}).invoke(
            app, ["--home", str(settings.home), "search", QUERY, *args])
        assert result.exit_code == 0, result.output
        return result.output

    return run


def _ids_and_languages(store, **kwargs):
    return [(h.evidence.evidence_id, h.evidence.metadata.get("language")) for h in store.search(QUERY, **kwargs)]


def test_search_says_it_drew_from_several_languages(search, sample_research):
    store = sample_research[0]
    hits = _ids_and_languages(store, k=8)
    languages = {language for _, language in hits}
    assert len(languages) > 1
    output = search("-k", "8")
    assert f"Drawn from {len(languages)} languages" in output and "language-balanced" in output
    assert all(evidence_id in output for evidence_id, _ in hits)
    plain = search("-k", "8", "--plain")
    assert "Plain similarity (no language balancing)" in plain and "Drawn from" not in plain


def test_ids_are_never_cut_on_a_narrow_terminal(search, sample_research):
    hits = _ids_and_languages(sample_research[0], k=5)
    output = search("-k", "5", columns=70)
    assert all(evidence_id in output for evidence_id, _ in hits)  # the text column gives way instead


def test_language_filter_repeatable_and_comma_list(search, sample_research):
    store = sample_research[0]
    only = _ids_and_languages(store, k=8, where=with_languages(None, ["no,da"]))
    assert only and {language for _, language in only} <= {"no", "da"}
    for args in (["-l", "no,da"], ["--language", "no", "--language", "da"]):
        output = search("-k", "8", *args)
        assert all(evidence_id in output for evidence_id, _ in only)
        assert "Drawn from 2 languages: " in output and ", en " not in output and ": en " not in output
    single = search("-k", "3", "-l", "RU", "--kind", "survey")
    assert "All results in one language: ru 3." in single


def test_with_languages_combines_with_other_filters():
    assert with_languages(None, []) is None
    assert with_languages(None, ["no"]) == {"language": "no"}
    assert with_languages({"kind": "survey"}, ["da, no"]) == {
        "$and": [{"kind": "survey"}, {"language": {"$in": ["da", "no"]}}]}
    assert with_languages({"$and": [{"kind": "survey"}, {"customer": "worst"}]}, ["ru"]) == {
        "$and": [{"kind": "survey"}, {"customer": "worst"}, {"language": "ru"}]}
