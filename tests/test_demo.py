"""`persona demo`: with a scripted model (fast), and for real on the offline model (slow)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from persona_agent.core.config import load_settings
from persona_agent.personas.schema import Persona
from persona_agent.testing import HashEmbeddings, QueuedChatModel
from persona_agent.workflows.demo import run_demo
from tests.conftest import FAST_MODEL, KNOWLEDGE


class DemoModel(QueuedChatModel):
    """Answers each kind of request the demo makes with something valid for it."""

    seen: list = []

    def first_segment(self, prompt: str) -> str:
        """The segment of the first persona drafted in this run."""
        import re

        segment = re.search(r"\[(segment:S\d+)\]", prompt).group(1)
        if not self.seen:
            self.seen.append(segment)
        return self.seen[0]

    def _generate(self, messages, stop=None, run_manager=None, **kwargs):
        from tests.helpers import good_draft

        prompt = messages[-1].text
        system = messages[0].text
        if "The proposal:" in prompt:
            ids = [line.split("]")[0][1:] for line in system.splitlines() if line.startswith("[")]
            reply = {"objections": [{"objection": "Another subscription to manage", "severity": "high",
                                     "evidence": ids[:1], "suggested_response": "Pause or skip any month"}]}
        elif "List the problems." in prompt:
            reply = {"issues": []}
        else:
            from persona_agent.core.evidence import Evidence

            evidence = [Evidence(evidence_id=line.split("]")[0][1:], text=line.split(") ", 1)[1],
                                 kind=line.split("(")[1].split(",")[0].split(")")[0], source="x")
                        for line in prompt.splitlines() if line.startswith("[")]
            first = "segment:S" in prompt and evidence and evidence[0].evidence_id == self.first_segment(prompt)
            name, gist = (("Frugal Fred", "Student who waits for sales") if first
                          else ("Gourmet Greta", "Home barista who wants the best beans"))
            reply = good_draft(evidence, name=name, gist=gist)
        self.queue(reply)
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
