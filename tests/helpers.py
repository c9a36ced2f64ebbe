"""Shared test material: the sample research prepared once, and a draft that passes every rule."""

from __future__ import annotations

from pathlib import Path

from persona_agent.core.config import load_settings
from persona_agent.personas.plan import gather_evidence, plan_targets
from persona_agent.testing import HashEmbeddings
from persona_agent.workflows.run import prepare
from tests.conftest import KNOWLEDGE

CLEAN = {"issues": []}


def prepare_research(home: Path):
    """The sample folder ingested and analysed (HashEmbeddings: fast, deterministic)."""
    settings = load_settings(home=home)
    prepared = prepare(settings, KNOWLEDGE, embedder=HashEmbeddings())
    targets = plan_targets(prepared.store, settings.analysis_dir)
    evidence = {t.key: gather_evidence(prepared.store, t) for t in targets}
    return prepared.store, targets, evidence, settings


def _ids(evidence, kind):
    return [e.evidence_id for e in evidence if e.kind == kind]


def good_draft(evidence, name="Frugal Fred", gist="Student who waits for sales and hates shipping fees"):
    """A draft that passes every rule: real ids from two kinds, a verbatim quote, no stray numbers."""
    survey, interview = _ids(evidence, "survey"), _ids(evidence, "interview")
    segment = [e.evidence_id for e in evidence if e.kind == "segment"]
    quote_source = next(e for e in evidence if e.kind == "survey")
    quote = quote_source.text.split(".")[0].strip()
    claim = {"text": "Compares prices before ordering", "evidence": survey[:2]}
    return {
        "name": name, "buyer_type": "bargain hunter",
        "gist": {"text": gist, "evidence": segment + survey[:1]},
        "narrative": {"text": "Orders when there is a sale and abandons carts when delivery costs too much.",
                      "evidence": survey[:2] + interview[:1]},
        "goals": [claim], "challenges": [{"text": "Delivery fees eat the discount", "evidence": survey[:1]}],
        "decision_criteria": [claim], "channels": [{"text": "Social media deals", "evidence": segment}],
        "objections": [{"objection": "Shipping is too expensive", "response": "Lower the free-shipping threshold",
                        "evidence": survey[:1]}],
        "selling_points": [{"text": "Regular sales", "evidence": interview[:1]}],
        "marketing_message": {"text": "Great coffee without the delivery sting", "evidence": survey[:1]},
        "tone": {"text": "Plain and value-focused", "evidence": interview[:1]},
        "quotes": [{"text": quote, "evidence_id": quote_source.evidence_id}],
    }




def two_personas(sample_research, personas_dir: Path) -> None:
    """Frugal Fred and Gourmet Greta, generated with the fake model into ``personas_dir``."""
    from persona_agent.personas.generate import Generator, generate_personas
    from persona_agent.testing import QueuedChatModel

    store, targets, evidence, _ = sample_research
    fake = QueuedChatModel([
        good_draft(evidence[targets[0].key]), CLEAN,
        good_draft(evidence[targets[1].key], name="Gourmet Greta", gist="Home barista who wants the best beans"),
        CLEAN,
    ])
    generate_personas(Generator(llm=fake, store=store, out_dir=personas_dir, model_name="fake"), targets[:2],
                      concurrency=1)
