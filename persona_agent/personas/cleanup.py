"""After the last revision: what still fails is removed — never relabelled — and listed as an open
issue; every claim left gets its support score, the people behind it and its confidence."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from persona_agent.personas.assemble import mark_gaps, place_type_reason, stat_claims
from persona_agent.personas.brief import Brief
from persona_agent.personas.claims import iter_claims
from persona_agent.personas.grounding import (
    GroundingContext,
    confidence_of,
    overuse_findings,
    people_behind,
)
from persona_agent.personas.schema import Claim, Finding, Persona

_INDEXED = re.compile(r"^(?P<field>[\w.]+)\[(?P<index>\d+)\](?:\.(?P<part>\w+))?$")


def clean(persona: Persona, findings: Sequence[Finding], ctx: GroundingContext,
          fallback: Claim | Mapping[str, Claim]) -> Persona:
    """A copy of ``persona`` without the claims that failed (errors of the rules); every finding
    that is left becomes an open issue. ``fallback`` replaces a gist or narrative that failed (one
    claim for both, or one per field: `assemble.stat_claims`' ``fallbacks``)."""
    fallbacks = fallback if isinstance(fallback, Mapping) else {"gist": fallback, "narrative": fallback}
    texts = {path: claim.text for path, claim in iter_claims(persona)}
    data = persona.model_copy(deep=True)
    failing = [f for f in findings if f.severity == "error" and f.source == "rules"]
    removed = _remove(data, failing, fallbacks)
    # the portraits put in place of a failed gist or narrative cite stats too: past the per-id cap, the
    # model's claims on those ids give way (the code's stat claims rank above them, as in the checks)
    llm_paths = {path for path, claim in iter_claims(data) if claim.origin == "llm"}
    extra = [f for f in overuse_findings(data, ctx, set()) if f.path in llm_paths]
    removed += _remove(data, extra, fallbacks)
    findings, failing = [*findings, *extra], [*failing, *extra]
    data.journey = [s for s in data.journey if s.thinking or s.feeling or s.doing]
    for _, claim in iter_claims(data):
        annotate(claim, ctx)
    data = mark_gaps(data)
    if data.provenance is not None:
        removed_at = {f.path for f in failing} - {"(persona)", "name"}  # a finding on the whole persona removes nothing
        data.provenance.open_issues = list(dict.fromkeys(
            f"{f.path}: {f.problem}" + (removed_note(texts.get(f.path)) if f.path in removed_at else "")
            for f in findings))
        data.provenance.removed_claims = removed
    return Persona.model_validate(data.model_dump())


def clean_draft(persona: Persona, findings: Sequence[Finding], ctx: GroundingContext, brief: Brief) -> Persona:
    """`clean` for a persona of ``brief``: its code-written buyer-type reason placed last, on a stat with room
    (`assemble.place_type_reason`), and the stat portraits as stand-ins for a failed gist or narrative."""
    return clean(place_type_reason(persona, brief), findings, ctx, stat_claims(brief)["fallbacks"])


REMOVED_NOTE = re.compile(r" \(removed(?:: “.*”)?\)$")


def removed_note(text: str | None) -> str:
    """The suffix of an open issue whose claim was removed, with what it said (so a reviewer sees it)."""
    if not text:
        return " (removed)"
    return f" (removed: “{text if len(text) <= 160 else text[:159] + '…'}”)"


def issue_key(issue: str) -> str:
    """An open issue without its removal note: "path: problem"."""
    return REMOVED_NOTE.sub("", issue)


def _remove(data: Persona, failing: Sequence[Finding], fallbacks: Mapping[str, Claim]) -> int:
    """Take the claims at the failing findings' paths out of ``data`` (in place); how many went."""
    removed = 0
    drop: dict[str, set[int]] = {}
    for finding in failing:
        path = finding.path
        match = _INDEXED.match(path)
        if match:
            field, index, part = match.group("field"), int(match.group("index")), match.group("part")
            if field == "journey" and part:
                stage = data.journey[index] if index < len(data.journey) else None
                if stage is not None and getattr(stage, part) is not None:
                    setattr(stage, part, None)
                    removed += 1
                continue
            drop.setdefault(field, set()).add(index)
        elif path in ("gist", "narrative"):
            setattr(data, path, fallbacks[path])
            removed += 1
        elif path in ("buyer_type_reason", "marketing_message", "tone") or path.startswith(
                ("demographics.", "buying_behaviour.")):
            removed += _unset(data, path)
    for field, indexes in drop.items():
        items = _get(data, field)
        if isinstance(items, list):
            kept = [item for i, item in enumerate(items) if i not in indexes]
            removed += len(items) - len(kept)
            _set(data, field, kept)
    return removed


def annotate(claim: Claim, ctx: GroundingContext) -> None:
    if claim.support != "cited":
        claim.confidence, claim.respondents = "low", None
        return
    if claim.origin == "stats":
        claim.support_score = 1.0
    else:
        claim.support_score = ctx.support(claim)
    people = claim.respondents if claim.origin == "stats" and claim.respondents else people_behind(claim, ctx)
    claim.respondents = people
    claim.confidence = confidence_of(people)  # type: ignore[assignment]


def _get(data: object, dotted: str) -> object:
    for part in dotted.split("."):
        data = getattr(data, part)
    return data


def _set(data: object, dotted: str, value: object) -> None:
    *parents, last = dotted.split(".")
    for part in parents:
        data = getattr(data, part)
    setattr(data, last, value)


def _unset(data: object, dotted: str) -> int:
    try:
        if _get(data, dotted) is None:
            return 0
        _set(data, dotted, None)
    except AttributeError:
        return 0
    return 1
