"""Shared test material: the sample research prepared once, and two personas written from it."""

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


def two_personas(sample_research, personas_dir: Path) -> None:
    """Frugal Fred and Gourmet Greta, written by the brief-echoing fake into ``personas_dir``."""
    from persona_agent.personas.generate import Generator, generate_personas
    from persona_agent.testing import BriefEchoChatModel

    store, targets, _, settings = sample_research
    fake = BriefEchoChatModel(names=["Frugal Fred", "Gourmet Greta"])
    generate_personas(Generator(llm=fake, store=store, out_dir=personas_dir, model_name="fake",
                                analysis_dir=settings.analysis_dir, check_support=False), targets[:2], concurrency=1)
