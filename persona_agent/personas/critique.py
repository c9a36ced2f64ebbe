"""Critique a finished persona (the chat's ``/critique``, `persona audit`): the grounding rules
against the research as it is now, plus — for ``/critique`` — the LLM critic."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from persona_agent.personas.claims import cited_ids
from persona_agent.personas.edit import target_for
from persona_agent.personas.generate import Draft, Generator
from persona_agent.personas.grounding import rule_findings
from persona_agent.personas.schema import Finding, Persona


def review_draft(generator: Generator, persona: Persona, analysis_dir: Path) -> Draft:
    """The brief and checks' context of a saved persona. Evidence it cites that is still in the store
    counts as shown (it was, when the persona was written); evidence that is gone stays unknown."""
    if generator.analysis_dir is None:
        generator.analysis_dir = analysis_dir
    draft = generator.start(target_for(persona, generator.store, analysis_dir), label=persona.id)
    return show_cited(draft, persona, generator.store)


def show_cited(draft: Draft, persona: Persona, store: Any) -> Draft:
    """Add the evidence ``persona`` cites that is still in the store to the checks' context, as shown:
    a brief built today need not repeat every line the persona was written from."""
    missing = sorted(cited_ids(persona) - set(draft.context.evidence))
    for evidence in store.get(missing):
        draft.context.evidence[evidence.evidence_id] = evidence
        draft.context.shown.add(evidence.evidence_id)
    return draft


def critique_persona(generator: Generator, persona: Persona, analysis_dir: Path,
                     others: Sequence[Persona] = (), *, with_critic: bool = True) -> list[Finding]:
    draft = review_draft(generator, persona, analysis_dir)
    findings = rule_findings(persona, draft.context, others)
    if with_critic:
        findings += draft.writer.critique(persona)
    return findings
