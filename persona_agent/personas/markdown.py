"""A persona as readable Markdown. Every statement keeps its evidence ids and its confidence; an
inference is shown as one; a section the research has no evidence for says so."""

from __future__ import annotations

from persona_agent.personas.schema import Claim, Persona

_MARK = {"high": "●●●", "medium": "●●○", "low": "●○○"}


def cite(claim: Claim) -> str:
    if claim.support == "inference":
        return f" _(inference: {claim.reason})_"
    ids = " ".join(f"`{i}`" for i in claim.evidence)
    confidence = f" {_MARK[claim.confidence]}" if claim.confidence else ""
    people = f" _{claim.respondents} people_" if claim.respondents and claim.respondents > 1 else ""
    return f" {ids}{confidence}{people}"


def _items(title: str, claims: list[Claim]) -> list[str]:
    if not claims:
        return []
    return [f"**{title}**", *[f"- {c.text}{cite(c)}" for c in claims], ""]


def persona_markdown(persona: Persona) -> str:
    seg = persona.segment
    share = []
    if seg.share_of_respondents is not None:
        share.append(f"{seg.share_of_respondents * 100:.0f} % of survey respondents")
    if seg.share_of_revenue is not None:
        share.append(f"{seg.share_of_revenue * 100:.0f} % of linked revenue")
    lines = [f"# {persona.name}", "", f"> {persona.gist.text}{cite(persona.gist)}", "",
             f"**Buyer type:** {persona.buyer_type}"
             + (f" — {persona.buyer_type_reason.text}{cite(persona.buyer_type_reason)}" if persona.buyer_type_reason
                else "")
             + (f" · **Segment:** `{seg.segment_id}` ({', '.join(share)})" if seg.segment_id else ""),
             "", persona.narrative.text + cite(persona.narrative), ""]
    if persona.quotes:
        lines += ["## In their words"]
        lines += [f"> “{q.text}” — `{q.evidence_id}`" for q in persona.quotes]
        lines.append("")
    lines += ["## Who they are"]
    for name, claim in persona.demographics:
        if claim is not None:
            lines.append(f"- {name.replace('_', ' ')}: {claim.text}{cite(claim)}")
    lines += [f"- situation: {claim.text}{cite(claim)}" for claim in persona.psychographics.lifestyle]
    lines += ["", "## What drives them"]
    lines += _items("Goals", persona.goals.primary + persona.goals.secondary)
    lines += _items("Values", persona.psychographics.values)
    lines += _items("Challenges", persona.challenges)
    lines += _items("Fears", persona.fears)
    lines += ["## How they buy"]
    bb = persona.buying_behaviour
    lines += _items("Decision criteria", bb.decision_criteria)
    lines += _items("Channels", bb.channels)
    lines += _items("Triggers", bb.triggers)
    lines += _items("How they research", bb.research_habits)
    for title, claim in (("Buying rhythm", bb.purchase_frequency), ("Spend", bb.purchase_value)):
        if claim is not None:
            lines += [f"**{title}:** {claim.text}{cite(claim)}", ""]
    if persona.objections:
        lines += ["## Objections and how to answer them", "| objection | response |", "|---|---|"]
        lines += [f"| {o.objection.text}{cite(o.objection)} | {o.response.text} |" for o in persona.objections]
        lines.append("")
    if persona.journey:
        lines += ["## Journey", "| stage | thinking | feeling | doing |", "|---|---|---|---|"]
        for stage in persona.journey:
            cells = [(c.text + cite(c)) if c else "–" for c in (stage.thinking, stage.feeling, stage.doing)]
            lines.append(f"| {stage.stage} | " + " | ".join(cells) + " |")
        lines.append("")
    if persona.selling_points or persona.marketing_message or persona.tone:  # else listed under "Left empty"
        lines += ["## How to win them"]
        lines += _items("Why us", persona.selling_points)
        for title, claim in (("Marketing message", persona.marketing_message), ("Tone", persona.tone)):
            if claim is not None:
                lines += [f"**{title}:** {claim.text}{cite(claim)}", ""]
    if seg.themes:
        lines += ["## Themes behind this persona", "| theme | people | share | lift |", "|---|---|---|---|"]
        lines += [f"| `{t.theme_id}` {t.label[:80]} | {t.respondents + t.customers} | {t.share * 100:.0f} % | "
                  + (f"{t.lift:.1f}" if t.lift is not None else "–") + " |" for t in seg.themes]
        lines.append("")
    if persona.no_evidence:
        lines += ["**Left empty** (nothing written for these passed the checks — see the open issues — or the "
                  "research has nothing): " + ", ".join(persona.no_evidence), ""]
    if persona.provenance:
        p = persona.provenance
        lines += ["## Provenance",
                  f"Generated {p.generated_at} by `{p.model}`; {p.critique_rounds} critique round(s); "
                  f"{p.llm_calls} LLM calls; {len(p.evidence_ids)} evidence items cited; "
                  f"{p.removed_claims} claims removed by the checks. Confidence: ●●● 5+ people or sources, "
                  "●●○ 2–4, ●○○ 1."]
        if p.open_issues:
            lines += ["", "**Open issues**", *[f"- {issue}" for issue in p.open_issues]]
    return "\n".join(lines).rstrip() + "\n"
