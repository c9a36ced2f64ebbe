"""Critique a persona: deterministic checks that cannot be talked around, plus an LLM critic.

The rules see the evidence itself: a cited id must exist, a quote must appear word for word in the
chunk it cites, a number must appear in the evidence it cites, the persona must rest on at least
two kinds of source and differ from the other personas of the run. The LLM critic applies the
rubric from the reference articles' common mistakes. `enforce` is the last resort after the final
round: what still fails is removed or downgraded to an inference, and listed as an open issue.
"""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from langchain_core.messages import HumanMessage, SystemMessage

from persona_agent.core.evidence import Evidence
from persona_agent.engine.prompts import load_prompt
from persona_agent.engine.structured import structured
from persona_agent.personas.schema import Claim, CriticReport, Finding, Persona

_NUMBER = re.compile(r"(?<![\w.,])(\d{1,3}(?:[ ,.]\d{3})+|\d+)(?:[.,](\d+))?\s*(%|percent|prosent|procent)?",
                     re.IGNORECASE)
_LIST_FIELDS = ("challenges", "fears", "selling_points")


def iter_claims(persona: Persona) -> Iterator[tuple[str, Claim]]:
    """Every claim with its JSON path, e.g. ("goals.primary[0]", claim)."""
    for name in ("gist", "narrative", "marketing_message", "tone"):
        claim = getattr(persona, name)
        if claim is not None:
            yield name, claim
    for name in _LIST_FIELDS:
        for index, claim in enumerate(getattr(persona, name)):
            yield f"{name}[{index}]", claim
    for group, model in (("demographics", persona.demographics), ("psychographics", persona.psychographics),
                         ("goals", persona.goals), ("buying_behaviour", persona.buying_behaviour)):
        for name, value in model:
            if isinstance(value, Claim):
                yield f"{group}.{name}", value
            elif isinstance(value, list):
                for index, claim in enumerate(value):
                    yield f"{group}.{name}[{index}]", claim
    for index, objection in enumerate(persona.objections):
        yield f"objections[{index}].objection", objection.objection
        yield f"objections[{index}].response", objection.response


def _normal(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    text = re.sub(r"[“”„«»\"'‘’`]", "", text)
    return re.sub(r"\s+", " ", text).strip(" .,;:!?-")


def _numbers(text: str) -> list[tuple[float, bool]]:
    """(value, is_percentage) for every number worth checking (2+ digits or a percentage)."""
    found = []
    for match in _NUMBER.finditer(text):
        whole = re.sub(r"[ ,.]", "", match.group(1))
        value = float(f"{whole}.{match.group(2)}" if match.group(2) else whole)
        is_pct = bool(match.group(3))
        if is_pct or len(whole) >= 2:
            found.append((value, is_pct))
    return found


def _number_supported(value: float, is_pct: bool, sources: Sequence[str]) -> bool:
    for text in sources:
        for other, other_pct in _numbers(text):
            if is_pct and other_pct and abs(other - value) <= 0.6:
                return True
            if not is_pct and abs(other - value) < 0.005:
                return True
    return False


def rule_findings(
    persona: Persona, evidence: Mapping[str, Evidence], others: Sequence[Persona] = ()
) -> list[Finding]:
    """Deterministic checks. ``evidence`` maps every id that exists in the store (at least all the
    persona cites) to its chunk; ``others`` are the run's other personas."""
    findings: list[Finding] = []
    kinds: set[str] = set()
    for path, claim in iter_claims(persona):
        missing = [i for i in claim.evidence if i not in evidence]
        if missing:
            findings.append(Finding(check="unknown_evidence", path=path,
                                    problem=f"cites ids that do not exist: {', '.join(missing)}"))
        cited = [evidence[i] for i in claim.evidence if i in evidence]
        kinds.update(e.kind for e in cited)
        if claim.support == "inference" and claim.reason and claim.reason.startswith("uncited:"):
            findings.append(Finding(check="uncited", path=path, problem="states something without citing evidence"))
        if cited:
            unsupported = [v for v, pct in _numbers(claim.text)
                           if not _number_supported(v, pct, [e.text for e in cited])]
            if unsupported:
                shown = ", ".join(f"{v:g}" for v in unsupported)
                findings.append(Finding(check="number_mismatch", path=path,
                                        problem=f"numbers not found in the cited evidence: {shown}"))
    for index, quote in enumerate(persona.quotes):
        chunk = evidence.get(quote.evidence_id)
        if chunk is None:
            findings.append(Finding(check="unknown_evidence", path=f"quotes[{index}]",
                                    problem=f"quote cites an id that does not exist: {quote.evidence_id}"))
        elif _normal(quote.text) not in _normal(chunk.text):
            findings.append(Finding(check="quote_not_verbatim", path=f"quotes[{index}]",
                                    problem=f"not found word for word in {quote.evidence_id}"))
        else:
            kinds.add(chunk.kind)
    if len(kinds) < 2:
        findings.append(Finding(check="one_source_kind", path="(persona)",
                                problem=f"rests on one kind of source only ({', '.join(sorted(kinds)) or 'none'}); "
                                        "cite survey, interview and analytics evidence"))
    findings += distinctness_findings(persona, others)
    return findings


def cited_ids(persona: Persona) -> set[str]:
    ids = {i for _, claim in iter_claims(persona) for i in claim.evidence}
    return ids | {q.evidence_id for q in persona.quotes}


def distinctness_findings(persona: Persona, others: Sequence[Persona]) -> list[Finding]:
    findings = []
    mine = cited_ids(persona)
    for other in others:
        if other.id == persona.id and other is persona:
            continue
        if other.name.casefold() == persona.name.casefold():
            findings.append(Finding(check="duplicate_name", path="name",
                                    problem=f"the name {persona.name!r} is already used in this run"))
        theirs = cited_ids(other)
        overlap = len(mine & theirs) / max(1, len(mine | theirs))
        similarity = difflib.SequenceMatcher(None, _normal(persona.gist.text), _normal(other.gist.text)).ratio()
        if overlap > 0.6 or similarity > 0.85:
            findings.append(Finding(check="duplicate_persona", path="(persona)",
                                    problem=f"too close to {other.name} ({overlap:.0%} shared evidence, "
                                            f"gist {similarity:.0%} alike); describe what sets this group apart"))
    return findings


def critic_findings(llm: Any, persona: Persona, evidence_text: str, config: Any = None) -> list[Finding]:
    """The LLM critic; its issues are warnings that trigger a revision but never delete claims."""
    draft = persona.model_dump(exclude={"provenance", "journey"}, exclude_none=True)
    messages = [
        SystemMessage(content=load_prompt("critique.system").render()),
        HumanMessage(content=load_prompt("critique.user").render(
            persona=json.dumps(draft, ensure_ascii=False, indent=1)[:6000], evidence=evidence_text)),
    ]
    report = structured(llm, CriticReport, messages, config=config)
    return [Finding(check="critic", path=issue.field, problem=issue.problem, severity="warning", source="critic")
            for issue in report.issues]


def describe(findings: Sequence[Finding]) -> str:
    return "\n".join(f"- [{f.check}] {f.path}: {f.problem}" for f in findings) or "- none"


def enforce(persona: Persona, findings: Sequence[Finding], evidence: Mapping[str, Evidence]) -> Persona:
    """After the last round: drop what cannot stand, downgrade what must stay, list the rest.

    The result is always schema-valid; every unresolved finding becomes an open issue."""
    data = persona.model_copy(deep=True)
    bad_paths = {f.path: f for f in findings if f.source == "rules" and f.severity == "error"}
    for path, claim in iter_claims(data):
        finding = bad_paths.get(path)
        known = [i for i in claim.evidence if i in evidence]
        if known != claim.evidence:
            claim.evidence = known
            if not known:
                claim.support, claim.reason = "inference", "its cited evidence does not exist"
        if finding is not None and finding.check == "number_mismatch":
            claim.support, claim.reason = "inference", f"numbers not in the cited evidence ({finding.problem})"
            claim.evidence = []
    # list items whose numbers were wrong are removed rather than kept as inferences
    for name in _LIST_FIELDS:
        kept = [c for i, c in enumerate(getattr(data, name))
                if bad_paths.get(f"{name}[{i}]", Finding(check="", path="", problem="")).check != "number_mismatch"]
        setattr(data, name, kept)
    data.quotes = [q for i, q in enumerate(data.quotes) if f"quotes[{i}]" not in bad_paths]
    open_issues = [f"{f.path}: {f.problem}" + (" (removed)" if f.path.startswith("quotes") else "")
                   for f in findings]
    if data.provenance is not None:
        data.provenance.open_issues = open_issues
    return Persona.model_validate(data.model_dump())
