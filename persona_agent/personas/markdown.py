"""A persona as a readable one-pager (Markdown). Every statement keeps its evidence ids."""

from __future__ import annotations

from persona_agent.personas.schema import Claim, Persona


def _cite(claim: Claim) -> str:
    if claim.support == "inference":
        return f" _(inference: {claim.reason})_"
    return " " + " ".join(f"`{i}`" for i in claim.evidence)


def _items(title: str, claims: list[Claim]) -> list[str]:
    if not claims:
        return []
    return [f"**{title}**", *[f"- {c.text}{_cite(c)}" for c in claims], ""]


def persona_markdown(persona: Persona) -> str:
    seg = persona.segment
    share = []
    if seg.share_of_respondents is not None:
        share.append(f"{seg.share_of_respondents * 100:.0f} % of survey respondents")
    if seg.share_of_revenue is not None:
        share.append(f"{seg.share_of_revenue * 100:.0f} % of linked revenue")
    lines = [
        f"# {persona.name}",
        "",
        f"> {persona.gist.text}{_cite(persona.gist)}",
        "",
        f"**Buyer type:** {persona.buyer_type}" + (f" · **Segment:** `{seg.segment_id}` ({', '.join(share)})"
                                                   if seg.segment_id else ""),
        "",
        persona.narrative.text + _cite(persona.narrative),
        "",
        "## Who they are",
    ]
    for name, claim in persona.demographics:
        if claim is not None:
            lines.append(f"- {name.replace('_', ' ')}: {claim.text}{_cite(claim)}")
    lines += ["", "## What drives them"]
    lines += _items("Goals", persona.goals.primary + persona.goals.secondary)
    lines += _items("Values", persona.psychographics.values)
    lines += _items("Challenges", persona.challenges)
    lines += _items("Fears", persona.fears)
    lines += ["## How they buy"]
    bb = persona.buying_behaviour
    lines += _items("Decision criteria", bb.decision_criteria)
    lines += _items("Triggers", bb.triggers)
    lines += _items("Channels", bb.channels)
    if persona.objections:
        lines += ["## Objections and how to answer them", "| objection | response |", "|---|---|"]
        lines += [f"| {o.objection.text}{_cite(o.objection)} | {o.response.text} |" for o in persona.objections]
        lines.append("")
    lines += ["## How to win them"]
    lines += _items("Selling points", persona.selling_points)
    for title, claim in (("Marketing message", persona.marketing_message), ("Tone", persona.tone)):
        if claim is not None:
            lines += [f"**{title}:** {claim.text}{_cite(claim)}", ""]
    if persona.quotes:
        lines += ["## In their words"]
        lines += [f"> “{q.text}” — `{q.evidence_id}`" for q in persona.quotes]
        lines.append("")
    if persona.provenance:
        p = persona.provenance
        lines += ["## Provenance",
                  f"Generated {p.generated_at} by `{p.model}`; {p.critique_rounds} critique round(s); "
                  f"{p.llm_calls} LLM calls; {len(p.evidence_ids)} evidence items cited."]
        if p.open_issues:
            lines += ["", "**Open issues**", *[f"- {issue}" for issue in p.open_issues]]
    return "\n".join(lines).rstrip() + "\n"
