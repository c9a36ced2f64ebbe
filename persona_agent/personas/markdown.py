"""A persona as readable Markdown. Every statement keeps its evidence ids and its confidence; an
inference is shown as one; a section the research has no evidence for says so. Headings and labels are
in the persona's language (`personas.headings`)."""

from __future__ import annotations

from persona_agent.personas.headings import buyer_type_name, headings, section_name
from persona_agent.personas.schema import Claim, Persona

_MARK = {"high": "●●●", "medium": "●●○", "low": "●○○"}


def cite(claim: Claim, words: dict[str, str] | None = None) -> str:
    words = words or headings("en")
    if claim.support == "inference":
        return f" _({words['inference']}: {claim.reason})_"
    ids = " ".join(f"`{i}`" for i in claim.evidence)
    confidence = f" {_MARK[claim.confidence]}" if claim.confidence else ""
    people = f" _{claim.respondents} {words['people']}_" if claim.respondents and claim.respondents > 1 else ""
    return f" {ids}{confidence}{people}"


def persona_markdown(persona: Persona) -> str:
    language = persona.provenance.language if persona.provenance else "en"
    w = headings(language)

    def said(claim: Claim) -> str:
        return claim.text + cite(claim, w)

    def items(key: str, claims: list[Claim]) -> list[str]:
        return [f"**{w[key]}**", *[f"- {said(c)}" for c in claims], ""] if claims else []

    seg = persona.segment
    share = []
    if seg.share_of_respondents is not None:
        share.append(w["of_respondents"].format(share=f"{seg.share_of_respondents * 100:.0f}"))
    if seg.share_of_revenue is not None:
        share.append(w["of_revenue"].format(share=f"{seg.share_of_revenue * 100:.0f}"))
    lines = [f"# {persona.name}", "", f"> {said(persona.gist)}", "",
             f"**{w['buyer_type']}:** {buyer_type_name(persona.buyer_type, language)}"
             + (f" — {said(persona.buyer_type_reason)}" if persona.buyer_type_reason else "")
             + (f" · **{w['segment']}:** `{seg.segment_id}` ({', '.join(share)})" if seg.segment_id else ""),
             "", said(persona.narrative), ""]
    if persona.quotes:
        lines += [f"## {w['in_their_words']}"]
        lines += [f"> “{q.text}” — `{q.evidence_id}`" for q in persona.quotes]
        lines.append("")
    lines += [f"## {w['who_they_are']}"]
    for name, claim in persona.demographics:
        if claim is not None:
            lines.append(f"- {w.get(name, name.replace('_', ' '))}: {said(claim)}")
    lines += [f"- {w['situation']}: {said(claim)}" for claim in persona.psychographics.lifestyle]
    lines += ["", f"## {w['what_drives_them']}"]
    lines += items("goals", persona.goals.primary + persona.goals.secondary)
    lines += items("values", persona.psychographics.values)
    lines += items("challenges", persona.challenges)
    lines += items("fears", persona.fears)
    lines += [f"## {w['how_they_buy']}"]
    bb = persona.buying_behaviour
    lines += items("decision_criteria", bb.decision_criteria)
    lines += items("channels", bb.channels)
    lines += items("triggers", bb.triggers)
    lines += items("research_habits", bb.research_habits)
    for key, claim in (("rhythm", bb.purchase_frequency), ("spend", bb.purchase_value)):
        if claim is not None:
            lines += [f"**{w[key]}:** {said(claim)}", ""]
    if persona.objections:
        lines += [f"## {w['objections']}", f"| {w['objection']} | {w['response']} |", "|---|---|"]
        lines += [f"| {said(o.objection)} | {o.response.text} |" for o in persona.objections]
        lines.append("")
    if persona.journey:
        lines += [f"## {w['journey']}", f"| {w['stage']} | {w['thinking']} | {w['feeling']} | {w['doing']} |",
                  "|---|---|---|---|"]
        for stage in persona.journey:
            cells = [said(c) if c else "–" for c in (stage.thinking, stage.feeling, stage.doing)]
            lines.append(f"| {stage.stage} | " + " | ".join(cells) + " |")
        lines.append("")
    if persona.selling_points or persona.marketing_message or persona.tone:  # else listed under "Left empty"
        lines += [f"## {w['win']}"]
        lines += items("why_us", persona.selling_points)
        for key, claim in (("marketing_message", persona.marketing_message), ("tone", persona.tone)):
            if claim is not None:
                lines += [f"**{w[key]}:** {said(claim)}", ""]
    if seg.themes:
        lines += [f"## {w['themes']}", f"| {w['theme']} | {w['people']} | {w['share']} | {w['lift']} |",
                  "|---|---|---|---|"]
        lines += [f"| `{t.theme_id}` {t.label[:80]} | {t.respondents + t.customers} | {t.share * 100:.0f} % | "
                  + (f"{t.lift:.1f}" if t.lift is not None else "–") + " |" for t in seg.themes]
        lines.append("")
    if persona.no_evidence:
        empty = ", ".join(section_name(name, language) for name in persona.no_evidence)
        lines += [f"**{w['left_empty']}** ({w['left_empty_why']}): {empty}", ""]
    if persona.provenance:
        p = persona.provenance
        lines += [f"## {w['provenance']}",
                  w["generated"].format(at=p.generated_at, model=p.model, rounds=p.critique_rounds, calls=p.llm_calls,
                                        cited=len(p.evidence_ids), removed=p.removed_claims)]
        if p.open_issues:
            lines += ["", f"**{w['open_issues']}**", *[f"- {issue}" for issue in p.open_issues]]
    return "\n".join(lines).rstrip() + "\n"
