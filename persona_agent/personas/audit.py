"""`persona audit`: the grounding report a reviewer reads before trusting a persona.

Per claim: its evidence (and whether each id still exists and still says what it said when the
persona was written), its support score, confidence and the people behind it, whether its figures
are in its evidence, and the problems the checks find now. Per persona: whether its quotes are
verbatim and customer-authored, its open issues, the evidence it cites that is gone from the store
or changed since the persona was written (text hashes recorded at generation), and one summary line.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from pydantic import BaseModel, Field

from persona_agent.personas.claims import iter_claims
from persona_agent.personas.critique import review_draft
from persona_agent.personas.diff import evidence_drift
from persona_agent.personas.generate import Generator
from persona_agent.personas.grounding import answered, rule_findings, verbatim
from persona_agent.personas.numbers import unsupported
from persona_agent.personas.schema import Persona
from persona_agent.personas.support import answers
from persona_agent.research.authorship import customer_words


class ClaimAudit(BaseModel):
    path: str
    text: str
    origin: str
    support: str
    evidence: list[str]
    missing_evidence: list[str] = Field(default_factory=list)
    changed_evidence: list[str] = Field(default_factory=list)  # changed since the persona was written
    support_score: float | None = None
    confidence: str | None = None
    respondents: int | None = None
    numbers_verified: bool = True
    problems: list[str] = Field(default_factory=list)
    by_objection: bool = False  # a response judged by the objection it answers, not by its support score


class QuoteAudit(BaseModel):
    text: str
    evidence_id: str
    exists: bool
    customer_authored: bool
    verbatim: bool


class PersonaAudit(BaseModel):
    slug: str
    name: str
    segment: str | None
    claims: list[ClaimAudit]
    quotes: list[QuoteAudit]
    open_issues: list[str]
    persona_problems: list[str]
    summary: str
    gone_evidence: list[str] = Field(default_factory=list)  # cited, no longer in the store
    changed_evidence: list[str] = Field(default_factory=list)  # cited, its text changed since generation


def audit_persona(generator: Generator, persona: Persona, analysis_dir: Path,
                  others: Sequence[Persona] = ()) -> PersonaAudit:
    draft = review_draft(generator, persona, analysis_dir)
    ctx = draft.context
    findings = rule_findings(persona, ctx, others)
    gone, changed = evidence_drift(persona, generator.store)
    by_path: dict[str, list[str]] = {}
    for finding in findings:
        by_path.setdefault(finding.path, []).append(f"{finding.check}: {finding.problem}")
    claims = []
    for path, claim in iter_claims(persona):
        cited = [ctx.evidence[i] for i in claim.evidence if i in ctx.evidence]
        score = claim.support_score if claim.origin == "stats" else ctx.support(claim)
        claims.append(ClaimAudit(
            path=path, text=claim.text, origin=claim.origin, support=claim.support, evidence=claim.evidence,
            missing_evidence=[i for i in claim.evidence if i not in ctx.evidence or i in gone],
            changed_evidence=[i for i in claim.evidence if i in changed], support_score=score,
            confidence=claim.confidence, respondents=claim.respondents,
            numbers_verified=not unsupported(claim.text, [e.text for e in cited]) if cited else not claim.evidence,
            problems=by_path.get(path, []), by_objection=bool(objection := answered(persona, path)) and answers(
                claim.text, objection)))
    quotes = []
    for quote in persona.quotes:
        chunk = ctx.evidence.get(quote.evidence_id)
        words = customer_words(chunk) if chunk is not None else None
        quotes.append(QuoteAudit(text=quote.text, evidence_id=quote.evidence_id, exists=chunk is not None,
                                 customer_authored=words is not None,
                                 verbatim=bool(words) and verbatim(quote.text, words or "")))
    persona_problems = [f"{f.check}: {f.problem}" for f in findings if f.path in ("(persona)", "name")]
    return PersonaAudit(slug=persona.id, name=persona.name, segment=persona.segment.segment_id, claims=claims,
                        quotes=quotes, open_issues=persona.provenance.open_issues if persona.provenance else [],
                        persona_problems=persona_problems, summary=summary_line(claims, quotes, gone, changed),
                        gone_evidence=gone, changed_evidence=changed)


def summary_line(claims: list[ClaimAudit], quotes: list[QuoteAudit], gone: Sequence[str] = (),
                 changed: Sequence[str] = ()) -> str:
    confidence = Counter(c.confidence or "none" for c in claims)
    llm = sum(c.origin == "llm" for c in claims)
    ids = {i for c in claims for i in c.evidence}
    failing = sum(bool(c.problems) for c in claims)
    good_quotes = sum(q.verbatim and q.customer_authored for q in quotes)
    missing = sum(bool(c.missing_evidence) for c in claims)
    parts = [f"{len(claims)} claims ({llm} written by the model, {len(claims) - llm} from stats)",
             f"{len(ids)} evidence ids", "confidence " + "/".join(f"{confidence[k]} {k}" for k in ("high", "medium",
                                                                                                "low")),
             f"{failing} with problems now", f"{good_quotes}/{len(quotes)} quotes verbatim"]
    if missing:
        parts.append(f"{missing} cite evidence that is gone")
    if gone:
        parts.append(f"{len(gone)} cited evidence items gone since generation")
    if changed:
        parts.append(f"{len(changed)} cited evidence items changed since generation")
    return "; ".join(parts)
