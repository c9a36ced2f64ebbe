"""Edits from the chat: a marketer's instruction applied to a persona, refused unless the result still
rests on evidence that exists."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from persona_agent.engine.llm import UsageTracker
from persona_agent.engine.prompts import load_prompt
from persona_agent.engine.store import EvidenceStore
from persona_agent.personas.critique import (
    cited_ids,
    rule_findings,
)
from persona_agent.personas.generate import Generator, assemble, persona_to_draft
from persona_agent.personas.output import folder_lock, write_persona
from persona_agent.personas.plan import Target, gather_evidence, plan_targets, render_evidence
from persona_agent.personas.schema import (
    Persona,
    Provenance,
)


def target_for(persona: Persona, store: EvidenceStore, analysis_dir: Path) -> Target:
    if persona.segment.segment_id:
        found = plan_targets(store, analysis_dir, segment=persona.segment.segment_id)
        if found:
            return found[0]
    return Target(key=f"persona:{persona.id}", profile=None, query=persona.gist.text, description=persona.gist.text)


@dataclass
class RevisionResult:
    persona: Persona | None  # None when refused
    refused_because: list[str]


def revise_with_instruction(generator: Generator, persona: Persona, instruction: str,
                            analysis_dir: Path) -> RevisionResult:
    """A marketer's edit ("make her more price-sensitive"). The revision must still cite evidence
    that exists and quote it verbatim; otherwise it is refused with the reasons, and nothing is saved."""
    target = target_for(persona, generator.store, analysis_dir)
    evidence = gather_evidence(generator.store, target)
    known_ids = [e.evidence_id for e in evidence]
    extra = [i for i in cited_ids(persona) if i not in known_ids]
    evidence += generator.store.get(extra)
    evidence_text = render_evidence(evidence)
    usage = UsageTracker()
    others = [p for p in generator._others() if p.id != persona.id]
    draft = generator._ask(load_prompt("draft.system").render(), load_prompt("edit.user").render(
        draft=persona_to_draft(persona).model_dump_json(indent=1), instruction=instruction, evidence=evidence_text),
        [e.evidence_id for e in evidence], usage)
    revised = assemble(draft, target, {p.id for p in others})
    revised = revised.model_copy(update={"id": persona.id})
    known = {e.evidence_id: e for e in generator.store.get(sorted(cited_ids(revised)))}
    errors = [f for f in rule_findings(revised, known, others) if f.severity == "error"]
    if errors:
        return RevisionResult(None, [f"{f.path}: {f.problem}" for f in errors])
    provenance = (persona.provenance or Provenance(generated_at="", model=generator.model_name)).model_copy(update={
        "generated_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "evidence_ids": sorted(cited_ids(revised)),
        "critique": [*(persona.provenance.critique if persona.provenance else []), f"edited: {instruction}"],
        "llm_calls": (persona.provenance.llm_calls if persona.provenance else 0) + usage.calls,
    })
    revised.provenance = provenance
    with folder_lock(generator.out_dir):  # a generate run may be writing this folder
        write_persona(revised, generator.out_dir)
    return RevisionResult(revised, [])
