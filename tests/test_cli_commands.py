"""The README's commands through the CLI, with the fake model and the test embedder injected."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

import persona_agent.engine.embeddings
import persona_agent.engine.llm
from persona_agent.cli import app
from persona_agent.talk.chat import PersonaChat, PersonaLibrary
from persona_agent.testing import BriefEchoChatModel
from tests.helpers import two_personas

runner = CliRunner(env={"COLUMNS": "200"})


@pytest.fixture
def inject(sample_research, monkeypatch):
    store = sample_research[0]
    fake = BriefEchoChatModel(names=["Frugal Fred"])
    monkeypatch.setattr(persona_agent.engine.llm, "make_chat_model", lambda *a, **k: fake)
    monkeypatch.setattr(persona_agent.engine.embeddings, "make_embeddings", lambda *a, **k: store.embedder)
    return fake


def test_generate_prints_the_summary_table(sample_research, inject, tmp_path):
    store, targets, evidence, settings = sample_research
    out = tmp_path / "personas"
    result = runner.invoke(app, ["--home", str(settings.home), "generate", "--count", "1", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "Frugal Fred" in result.output and targets[0].key in result.output and "claims cited" in result.output
    assert (out / "frugal-fred.json").is_file() and (out / "frugal-fred.md").is_file()
    validated = runner.invoke(app, ["validate", str(out / "frugal-fred.json")])
    assert validated.exit_code == 0 and "valid" in validated.output


def test_ask_and_objections(sample_research, inject, tmp_path):
    store, targets, evidence, settings = sample_research
    two_personas(sample_research, tmp_path)
    inject.queue("Shipping costs more than the beans.\nEvidence: none")
    inject.queue("Shipping, really.\nEvidence: none")  # restated from the lines that clearly answer the question,
    inject.queue("Shipping.\nEvidence: none")  # then asked once more
    home = ["--home", str(settings.home)]
    result = runner.invoke(app, [*home, "ask", "frugal-fred", "What annoys you?", "--personas", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "@frugal-fred: Shipping costs more than the beans." in result.output and "extrapolated" in result.output
    library = PersonaLibrary(tmp_path)
    chat = PersonaChat(llm=inject, store=store, library=library, analysis_dir=settings.analysis_dir)
    offered = chat.evidence_for(library.get("frugal-fred"), "€9.99/month")[0].evidence_id
    inject.queue({"objections": [{"objection": "Another bill", "severity": "high", "evidence": ["E1"],
                                  "suggested_response": "Skip months"}]})
    result = runner.invoke(app, [*home, "ask", "frugal-fred", "--objections", "€9.99/month", "--json",
                                 "--personas", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["objections"][0]["evidence"] == [offered]
    missing = runner.invoke(app, [*home, "ask", "nobody", "hi", "--personas", str(tmp_path)])
    assert missing.exit_code == 2 and "frugal-fred" in missing.output


def test_schema_and_models_commands(tmp_path):
    schema = runner.invoke(app, ["schema"])
    assert schema.exit_code == 0 and json.loads(schema.output)["version"] == "2.0"
    models = runner.invoke(app, ["models"])
    assert models.exit_code == 0 and "qwen2.5-coder-1.5b" in models.output and "qwen2.5-coder-0.5b" in models.output
