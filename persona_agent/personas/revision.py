"""When a persona's sections are written again: how many revision rounds, which sections, with what.

Revision is worth its time only where the model fixes what the checks found. On the local 1.5B a round
fixed about one failing claim in twenty, so by default it runs on server models only (`revision_rounds`),
and then only for sections where at least half the claims fail (`revisions`). For the same reason the
local model is not asked for the journey (`journey_asked`).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from persona_agent.personas.claims import iter_claims
from persona_agent.personas.schema import Finding, Persona
from persona_agent.personas.sections import section_of


def revision_rounds(llm: Any, requested: int | None) -> int:
    """Revision rounds per persona: as requested, else none on the embedded local model and one on any
    other. On the local 1.5B a round rewrote every section with failing claims and fixed one failing
    claim in 21 (research B, seed 42; the same on knowledge/ before) for ~40 % of the persona's time,
    so there the checks re-cite or remove what fails and nothing is rewritten."""
    if requested is not None:
        return requested
    from persona_agent.engine.llm import LlamaCppChat

    return 0 if isinstance(llm, LlamaCppChat) else 1


def journey_asked(llm: Any, requested: bool | None) -> bool:
    """Whether the model is asked for the journey: as requested, else not on the embedded local model. On
    research B (3 seeds × 2 personas) 3 of the 1.5B's 60 journey claims passed the checks, and 1 of those
    was true (the others: "Decision-making and excitement", "Needs satisfaction and joy"), for ~20 % of a
    persona's generated tokens; the persona lists the journey as left empty, as it did after clean-up."""
    if requested is not None:
        return requested
    from persona_agent.engine.llm import LlamaCppChat

    return not isinstance(llm, LlamaCppChat)


def revisions(persona: Persona, rule: Sequence[Finding], critic: Sequence[Finding],
              summaries: Collection[str] = ()) -> dict[str, list[Finding]]:
    """The sections to write again, with what to fix: those where at least half of the written claims
    (items left out of the reply included) fail a check, with the critic's issues on them too. A section
    with one bad claim of three loses that claim instead: rewriting it risks the good ones, and on the
    local 1.5B a rewrite fixed about one failing claim in twenty (three personas' first-round findings
    against their removals) for a third of the persona's time. The critic alone does not send a
    section back; its issues stay listed (checked again at the end if their section changed). The themes
    call's sentences (``summaries``) are not the section's: where one fails, the theme's words stand."""
    written: dict[str, int] = {}
    for path, claim in iter_claims(persona):
        section = section_of(path)
        if section is not None and claim.origin == "llm" and claim.text not in summaries:
            written[section.name] = written.get(section.name, 0) + 1
    grouped = by_section(rule)
    to_fix = {}
    for name, found in grouped.items():
        failing = {f.path for f in found}
        if 2 * len(failing) >= written.get(name, 0) + sum(f.check == "invalid_item" for f in found):
            to_fix[name] = list(found)
    for name, found in by_section(critic).items():
        if name in to_fix:
            to_fix[name] += found
    return to_fix


def by_section(findings: Sequence[Finding]) -> dict[str, list[Finding]]:
    """Findings grouped by the section that must fix them (persona-level ones have none)."""
    grouped: dict[str, list[Finding]] = {}
    for finding in findings:
        section = section_of(finding.path)
        if section is not None:
            grouped.setdefault(section.name, []).append(finding)
    return grouped
