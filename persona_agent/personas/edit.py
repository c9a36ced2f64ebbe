"""Edits from the chat: a marketer's instruction applied to a persona through the same sections and the
same grounding checks as generation; refused, with the reasons, when the result would not rest on
the research."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from persona_agent.engine.store import EvidenceStore
from persona_agent.personas.assemble import assemble, restore_themes
from persona_agent.personas.cleanup import clean_draft
from persona_agent.personas.generate import Generator, stamp_evidence
from persona_agent.personas.grounding import rule_findings
from persona_agent.personas.output import folder_lock, write_persona
from persona_agent.personas.plan import Target, plan_targets
from persona_agent.personas.revision import by_section
from persona_agent.personas.schema import Finding, Persona, Provenance
from persona_agent.personas.sections import SECTIONS


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
    """A marketer's edit ("make her more price-sensitive"): every section is rewritten with the
    instruction, checked, and revised once with the findings. What still fails refuses the edit (with
    the reasons) and nothing is saved; the name and slug stay."""
    if generator.analysis_dir is None:
        generator.analysis_dir = analysis_dir
    target = target_for(persona, generator.store, analysis_dir)
    draft = generator.start(target, label=persona.id)
    others = [p for p in generator._others() if p.id != persona.id]
    for section in SECTIONS:  # the themes say what their customers say, whatever the instruction
        generator._write(draft, section.name, instruction=None if section.name == "themes" else instruction)

    def checked(revised: Persona) -> list[Finding]:  # a theme's failed sentence gives way to the theme's words
        return restore_themes(revised, rule_findings(revised, draft.context, others), draft.brief,
                              draft.sections.get("themes"))[0]

    revised = assemble(draft.sections, draft.brief, set())
    for name, found in by_section(checked(revised)).items():
        generator._revise(draft, name, found)
    revised = assemble(draft.sections, draft.brief, set()).model_copy(update={"id": persona.id, "name": persona.name})
    findings = checked(revised)
    errors = [f for f in findings if f.severity == "error"  # claims past the per-id cap are simply dropped
              and f.check not in ("duplicate_name", "duplicate_persona", "overused_evidence")]
    if errors or draft.failed_sections:
        return RevisionResult(None, [f"{f.path}: {f.problem}" for f in errors] + draft.failed_sections)
    previous = persona.provenance or Provenance(generated_at="", model=generator.model_name)
    usage = draft.writer.usage
    revised.provenance = previous.model_copy(update={
        "generated_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "critique": [*previous.critique, f"edited: {instruction}"],
        "llm_calls": previous.llm_calls + usage.calls,
        "input_tokens": previous.input_tokens + usage.input_tokens,
        "output_tokens": previous.output_tokens + usage.output_tokens,
    })
    overused = [f for f in findings if f.check == "overused_evidence"]
    revised = clean_draft(revised, overused, draft.context, draft.brief)
    stamp_evidence(revised, draft.context.evidence, generator.analysis_fingerprint())
    with folder_lock(generator.out_dir):  # a generate run may be writing this folder
        write_persona(revised, generator.out_dir, note=f"edited: {instruction}")
    return RevisionResult(revised, [])
