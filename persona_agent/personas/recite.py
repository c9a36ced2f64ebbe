"""Citation repair: a written claim whose cited line does not say it may be said by another brief line.

A small model often writes a true sentence from the brief and cites the wrong alias (the line next to
the one it read, or the same line for everything). Before such a claim is removed, the code looks for
the brief lines that say it best — by the same support score — and tries each of the best few
under every check (`grounding.claim_findings`: figures, stat direction, polarity, other segments'
traits). The first one that passes becomes its evidence. No LLM call: the checks decide, as for any
claim. Only weak support and overuse are repaired this way; a contradiction, a wrong figure, a guess
or a shop description is a problem with the text, not with the citation.
"""

from __future__ import annotations

from collections.abc import Sequence

from persona_agent.personas.grounding import (
    MAX_CLAIMS_PER_ID,
    GroundingContext,
    claim_findings,
    count_by_id,
    iter_claims,
)
from persona_agent.personas.schema import Claim, Finding, Persona

RECITABLE = frozenset({"weak_support", "overused_evidence"})
TRIES = 3  # candidate lines checked per claim, best-supported first


def recite(persona: Persona, findings: Sequence[Finding], ctx: GroundingContext) -> list[str]:
    """Re-cite, in place, the written claims of ``persona`` whose only problems are weak support or an
    overused id, where another shown line passes every check; one note per claim re-cited."""
    if ctx.scorer is None or not ctx.scorer.calibrated:
        return []
    problems: dict[str, set[str]] = {}
    for finding in findings:
        if finding.source == "rules" and finding.severity == "error":
            problems.setdefault(finding.path, set()).add(finding.check)
    uses = count_by_id(persona)
    notes: list[str] = []
    for path, claim in iter_claims(persona):
        checks = problems.get(path)
        if not checks or checks - RECITABLE or claim.origin != "llm" or claim.support != "cited":
            continue
        for evidence_id in candidates(claim, ctx, uses):
            trial = claim.model_copy(update={"evidence": [evidence_id]})
            if not claim_findings(path, trial, ctx, persona.name):
                for old in claim.evidence:
                    uses[old] -= 1
                uses[evidence_id] += 1
                notes.append(f"{path}: re-cited {', '.join(claim.evidence)} → {evidence_id}, "
                             f"which says it (support {ctx.support(trial):.2f})")
                claim.evidence = [evidence_id]
                break
    return notes


def candidates(claim: Claim, ctx: GroundingContext, uses: dict[str, int]) -> list[str]:
    """The shown lines that say ``claim`` best (at or above the support threshold), not yet at the cap."""
    scored = []
    for evidence_id in sorted(ctx.shown):
        if evidence_id in claim.evidence or evidence_id not in ctx.evidence or uses.get(evidence_id, 0) >= \
                MAX_CLAIMS_PER_ID:
            continue
        score = ctx.support(Claim(text=claim.text, evidence=[evidence_id]))
        if score is not None and score >= ctx.threshold:
            scored.append((score, evidence_id))
    return [evidence_id for _, evidence_id in sorted(scored, reverse=True)[:TRIES]]
