"""The result tables at 80 columns: evidence ids, persona slugs and segment keys — what a user copies
into the next command — are printed whole; the other columns fold instead."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

import persona_agent.engine.embeddings
import persona_agent.engine.llm
from persona_agent.cli import app
from persona_agent.testing import BriefEchoChatModel, HashEmbeddings
from tests.conftest import KNOWLEDGE

runner = CliRunner(env={"COLUMNS": "80"})


def lines_fit(output: str) -> bool:
    return all(len(line) <= 80 for line in output.splitlines() if "│" in line or "━" in line or "─" in line)


@pytest.fixture
def embedder(monkeypatch):
    hashed = HashEmbeddings()
    monkeypatch.setattr(persona_agent.engine.embeddings, "make_embeddings", lambda *a, **k: hashed)
    return hashed


def test_ingest_table_fits_80_columns(tmp_path, embedder):
    result = runner.invoke(app, ["--home", str(tmp_path / "home"), "ingest", str(KNOWLEDGE)])
    assert result.exit_code == 0, result.output
    assert lines_fit(result.output)
    for label in ("chunks stored", "texts embedded", "survey", "interview", "files unchanged", "files failed"):
        assert label in result.output  # whole words, not "embedd…"
    assert "…" not in result.output


def test_search_and_generate_tables_keep_ids_whole_at_80_columns(sample_research, monkeypatch, tmp_path):
    store, targets, _, settings = sample_research
    monkeypatch.setattr(persona_agent.engine.embeddings, "make_embeddings", lambda *a, **k: store.embedder)
    fake = BriefEchoChatModel(names=["Gourmet Greta", "Frugal Fred"])
    monkeypatch.setattr(persona_agent.engine.llm, "make_chat_model", lambda *a, **k: fake)
    home = ["--home", str(settings.home)]
    found = runner.invoke(app, [*home, "search", "shipping is too expensive", "-k", "5"])
    assert found.exit_code == 0, found.output
    for hit in store.search("shipping is too expensive", k=5):
        assert hit.evidence.evidence_id in found.output
    made = runner.invoke(app, [*home, "generate", "--count", "2", "--max-rounds", "1", "--no-journey",
                               "--out", str(tmp_path / "p")])
    assert made.exit_code == 0, made.output
    assert fake.calls and not any("TASK: the buyer's journey" in m.text for call in fake.calls for m in call)
    assert "@gourmet-greta" in made.output and "@frugal-fred" in made.output
    assert targets[0].key in made.output and targets[1].key in made.output
    assert "reused" in made.output and lines_fit(made.output)
