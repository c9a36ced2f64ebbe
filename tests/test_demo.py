"""`persona demo`: with a scripted model (fast), and for real on the offline model (slow)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from persona_agent.core.config import load_settings
from persona_agent.personas.schema import Persona
from persona_agent.testing import BriefEchoChatModel, HashEmbeddings
from persona_agent.workflows.demo import run_demo
from tests.conftest import FAST_MODEL, KNOWLEDGE


class DemoModel(BriefEchoChatModel):
    """Writes the personas from their briefs (`BriefEchoChatModel`) and answers the objections request."""

    names: list[str] = ["Frugal Fred", "Gourmet Greta"]

    def _generate(self, messages, stop=None, run_manager=None, **kwargs):
        prompt = messages[-1].text
        if "The proposal:" in prompt or any("The proposal:" in m.text for m in messages[1:2]):
            system = messages[0].text
            ids = [line.split(" ")[0] for line in system.splitlines() if line.startswith("E")]
            self.queue({"objections": [{"objection": "Another subscription to manage", "severity": "high",
                                        "evidence": ids[:1], "suggested_response": "Pause or skip any month"}]})
        return super()._generate(messages, stop, run_manager, **kwargs)


def test_demo_runs_every_stage_and_says_where_files_went(isolated):
    settings = load_settings()
    lines: list[str] = []
    result = run_demo(settings, llm=DemoModel(), embedder=HashEmbeddings(), say=lines.append)
    names = [o.persona.name for o in result.report.outcomes]
    assert names == ["Frugal Fred", "Gourmet Greta"]
    assert result.objections.objections[0].severity == "high"
    assert (settings.home / "personas" / "frugal-fred.md").is_file()
    assert (settings.home / "analysis" / "analysis.md").is_file()
    assert set(result.outputs) == {"evidence store", "analysis", "personas", "chat with them"}
    assert any("Ask @frugal-fred" in line for line in lines)


@pytest.mark.slow
def test_demo_command_end_to_end_on_the_offline_model(isolated):
    """The README's main job, as a user runs it (fast model, one persona to keep CI short)."""
    env = {**os.environ, "PERSONA_MODEL": FAST_MODEL, "PERSONA_HOME": str(isolated / "home")}
    done = subprocess.run([sys.executable, "-m", "persona_agent.cli", "demo", "--folder", str(KNOWLEDGE),
                           "--count", "1"], capture_output=True, text=True, env=env, timeout=1800)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "Done in" in done.stdout and "Ask @" in done.stdout
    personas = list((isolated / "home" / "personas").glob("[!.]*.json"))
    assert len(personas) == 1
    persona = Persona.model_validate(json.loads(personas[0].read_text()))  # schema-valid
    assert persona.provenance and persona.provenance.llm_calls >= 2
    print(f"\n{persona.name}: {persona.gist.text}\nopen issues: {persona.provenance.open_issues}")


def test_the_demo_summary_cuts_customers_words_between_words():
    # the 1.5B demo printed "… using my own card is a hassle" as "… using my ow"
    from persona_agent.personas.schema import Claim, Quote, SegmentRef, ThemeRef
    from persona_agent.workflows.demo import persona_summary

    words = ("No invoice payment. Our finance team hates card expense claims. We need to pay by invoice with 30-day "
             "terms; using my own card is a hassle.")
    gist = Claim(text="Orders for the office", evidence=["segment:S4"])
    persona = Persona(id="erik", name="Erik", gist=gist, narrative=gist, buyer_type="thoughtful researcher",
                      segment=SegmentRef(segment_id="segment:S4", themes=[
                          ThemeRef(theme_id="theme:S4.1", label=words, respondents=22, customers=2, share=0.46)]),
                      quotes=[Quote(text=words, evidence_id="survey.csv#R017:q22", language="en")])
    summary = persona_summary(persona)
    assert "“No invoice payment. Our finance team hates card expense claims. We need to pay by invoice with " \
           "30-day terms; using my …” (en)" in summary
    assert "themes: No invoice payment. Our finance team hates card expense …" in summary
    assert "(24 people)" in summary
