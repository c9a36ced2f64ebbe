"""`persona export` through the CLI: every format, --all, and the PDF printed by headless Chromium (its own
Playwright session, so this module runs apart from the one-pager's browser tests)."""

from __future__ import annotations

import os

import pytest
from typer.testing import CliRunner

import persona_agent.engine.embeddings
from persona_agent.cli import app

runner = CliRunner()


@pytest.fixture
def export(evolved, monkeypatch, tmp_path):
    monkeypatch.setattr(persona_agent.engine.embeddings, "make_embeddings", lambda *a, **k: evolved.store.embedder)

    def run(*args: str):
        return runner.invoke(app, ["--home", str(evolved.settings.home), "export", *args,
                                   "--personas", str(evolved.personas), "--out", str(tmp_path)])

    return run


def test_export_html_md_json_and_all(export, tmp_path):
    result = export("frugal-fred", "--format", "html")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "frugal-fred.html").read_text().startswith("<!DOCTYPE html>")
    assert export("--all", "--format", "md").exit_code == 0
    assert sorted(p.name for p in tmp_path.glob("*.md")) == ["frugal-fred.md", "gifting-gina.md", "gourmet-greta.md",
                                                             "office-olav.md"]
    assert export("office-olav", "-f", "json").exit_code == 0 and (tmp_path / "office-olav.json").is_file()
    missing = export("nobody")
    assert missing.exit_code == 2 and "frugal-fred" in missing.output
    assert export().exit_code == 2


def test_export_pdf(export, tmp_path):
    pytest.importorskip("playwright.sync_api", reason="pip install 'persona-agent[pdf]'")
    from pypdf import PdfReader

    from persona_agent.engine.browser import chromium_path

    if chromium_path(os.environ.get("PERSONA_CHROMIUM")) is None and not os.environ.get("PERSONA_CI_REQUIRE_SERVERS"):
        pytest.skip("no Chromium on PATH (apt-get install chromium)")
    result = export("frugal-fred", "--format", "pdf")
    assert result.exit_code == 0, result.output
    pdf = PdfReader(str(tmp_path / "frugal-fred.pdf"))
    assert len(pdf.pages) >= 3 and "Numbers link to the evidence" in pdf.pages[0].extract_text()
