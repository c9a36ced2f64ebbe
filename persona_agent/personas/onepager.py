"""The persona one-pager: one self-contained HTML file to share (`persona export`, the web workspace).

It follows the template of the persona articles: first a summary sheet that prints on one A4 page — a
picture (drawn by the code), the gist, the customer's own words, goals, pains and fears, decision
criteria, channels, objections with their answers, "why us", and charts of the segment against all
respondents (age, income, channels, from ``stats.json``) and of its value (RFM mix, ``value.json``) —
then the full persona and an appendix where every cited evidence id is an in-page anchor with its
text, file and place. No external asset: CSS and SVG are inline, nothing is fetched, no script runs.

It is made to be shared, so it follows the privacy policy for data leaving the machine
(`core.privacy.outbound(…, "export")`): quotes, theme labels and evidence texts are redacted. The
template is autoescaped: research text (an interview that contains ``<script>``) stays text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from markupsafe import Markup

from persona_agent.analysis.models import RFM_GROUP_LABELS, QuestionStat, ValueJoinResult
from persona_agent.analysis.stats import stat_text
from persona_agent.core.evidence import Evidence
from persona_agent.core.privacy import Redactor, outbound
from persona_agent.personas.brief import question_role
from persona_agent.personas.charts import Bar, avatar_svg, band_order, bars_svg, stacked_svg
from persona_agent.personas.claims import iter_claims
from persona_agent.personas.headings import buyer_type_name, headings, section_name
from persona_agent.personas.schema import Claim, Persona
from persona_agent.personas.wording import wording

MARKS = {"high": "●●●", "medium": "●●○", "low": "●○○"}
SUMMARY_CHARS = 95
SUMMARY_ITEMS = 3
EVIDENCE_CHARS = 1500


@dataclass
class Item:
    text: str
    short: str
    refs: list[tuple[int, str]] = field(default_factory=list)
    confidence: str | None = None
    mark: str = ""
    people: int | None = None
    inference: str | None = None
    language: str | None = None


class _Refs:
    """Evidence ids numbered in the order they are first cited: the appendix order."""

    def __init__(self) -> None:
        self.numbers: dict[str, int] = {}

    def __call__(self, ids: Iterable[str]) -> list[tuple[int, str]]:
        return [(self.numbers.setdefault(i, len(self.numbers) + 1), i) for i in ids]


def persona_html(persona: Persona, *, evidence: dict[str, Evidence], analysis: dict,
                 standalone: bool = True) -> str:
    """The persona as an HTML one-pager (see the module docstring).

    ``evidence``: the evidence it cites, by id — e.g. ``store.get(export_evidence_ids(persona, analysis))``;
    an id without an entry is shown as gone. ``analysis``: ``{"stats": [...], "value": ...}`` as
    `load_export_analysis` reads them from the analysis folder (models or their JSON dicts; other keys
    are ignored; missing parts leave their charts out). ``standalone``: a whole document, or a fragment
    (its CSS scoped to ``.pa-onepager``) for a page that has its own ``<html>``.
    """
    redact = (outbound(None, "export") or Redactor()).allowing([persona.name, *persona.name.split()])
    refs = _Refs()
    language = persona.provenance.language if persona.provenance else "en"
    view = _claims_view(persona, refs)
    stats = [s if isinstance(s, QuestionStat) else QuestionStat.model_validate(s) for s in analysis.get("stats") or []]
    charts = _charts(persona, stats, _value(analysis.get("value")), refs, headings(language))
    quotes = [_quote(q.text, redact, refs([q.evidence_id]), q.language) for q in persona.quotes]
    themes = [{"theme_id": t.theme_id, "label": redact(t.label), "people": t.respondents + t.customers,
               "share": f"{t.share * 100:.0f} %", "lift": f"{t.lift:.1f}" if t.lift is not None else "–",
               "refs": refs([t.theme_id]), "inference": None, "confidence": None}
              for t in persona.segment.themes]
    fallback = {s.stat_id: stat_text(s, persona.segment.respondents or s.answered) for s in stats}
    appendix = [_evidence_entry(n, evidence_id, evidence.get(evidence_id), fallback.get(evidence_id), redact)
                for evidence_id, n in refs.numbers.items()]
    return _template().render(
        standalone=standalone, css=Markup(_css()), language=language, t=headings(language),
        slug=persona.id, name=persona.name, buyer_type=buyer_type_name(persona.buyer_type, language),
        avatar=Markup(avatar_svg(persona.name)),
        segment_id=persona.segment.segment_id, segment_facts=_segment_facts(persona, headings(language)), quotes=quotes,
        charts=charts, themes=themes, evidence=appendix, claims_count=sum(1 for _ in iter_claims(persona)),
        generated=(persona.provenance.generated_at[:10] if persona.provenance else ""),
        provenance=_provenance(persona, headings(language)),
        open_issues=persona.provenance.open_issues if persona.provenance else [],
        no_evidence=[section_name(name, language) for name in persona.no_evidence], **view)


def export_evidence_ids(persona: Persona, analysis: dict) -> list[str]:
    """Every id the one-pager links to: what the persona cites and the sources of its charts."""
    refs = _Refs()
    _claims_view(persona, refs)
    stats = [s if isinstance(s, QuestionStat) else QuestionStat.model_validate(s) for s in analysis.get("stats") or []]
    _charts(persona, stats, _value(analysis.get("value")), refs, headings("en"))
    refs(q.evidence_id for q in persona.quotes)
    refs(t.theme_id for t in persona.segment.themes)
    return list(refs.numbers)


def load_export_analysis(analysis_dir: Any) -> dict:
    """``stats.json`` and ``value.json`` of an analysis folder, as `persona_html` takes them."""
    import json
    from pathlib import Path

    folder = Path(analysis_dir)

    def read(name: str) -> Any:
        try:
            return json.loads((folder / name).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    return {"stats": read("stats.json") or [], "value": read("value.json")}


# ------------------------------------------------------------------------------------------ view
def _item(claim: Claim, refs: _Refs, limit: int = SUMMARY_CHARS, language: str = "en") -> Item:
    inference = claim.reason if claim.support == "inference" else None
    summary = claim.text
    if claim.origin == "stats":  # "Google search (48 % of this segment vs 25 % of all respondents)", shorter
        words = wording(language)
        long = re.escape(words.share).replace(r"\{segment\}", r"(?P<segment>\d+)").replace(r"\{overall\}",
                                                                                          r"(?P<overall>\d+)")
        summary = re.sub(long, lambda m: words.short_share.format(**m.groupdict()), summary)
        summary = summary.replace(" of all respondents", " of all")
    return Item(text=claim.text, short=_short(summary, limit), refs=refs(claim.evidence),
                confidence=claim.confidence, mark=MARKS.get(claim.confidence or "", ""), people=claim.respondents,
                inference=inference)


def _claims_view(persona: Persona, refs: _Refs) -> dict[str, Any]:
    language = persona.provenance.language if persona.provenance else "en"
    t = headings(language)

    def item(claim: Claim, limit: int = SUMMARY_CHARS) -> Item:
        return _item(claim, refs, limit, language)

    def items(claims: Sequence[Claim]) -> list[Item]:
        return [item(c) for c in claims]

    gist = item(persona.gist, 240)
    bb = persona.buying_behaviour
    goals = items(persona.goals.primary + persona.goals.secondary)
    challenges, fears = items(persona.challenges), items(persona.fears)
    criteria, channels = items(bb.decision_criteria), items(bb.channels)
    objections = [{"objection": item(o.objection), "response": item(o.response)}
                  for o in persona.objections]
    selling = items(persona.selling_points)
    pains = (challenges[:2] + fears[:1]) if fears else challenges[:3]
    cards = [{"title": t["goals"], "entries": goals[:SUMMARY_ITEMS]},
             {"title": t["pains_and_fears"], "entries": pains},
             {"title": t["decision_criteria"], "entries": criteria[:SUMMARY_ITEMS]},
             {"title": t["channels"], "entries": channels[:SUMMARY_ITEMS]},
             {"title": t["objection_cards"], "objections": objections[:2]},
             {"title": t["why_us"], "entries": selling[:SUMMARY_ITEMS]}]
    label = {"age_band": t["age"], "income_band": t["income"]}
    demographics = [(label.get(name) or t.get(name, name.replace("_", " ")).capitalize(), item(claim))
                    for name, claim in persona.demographics if claim is not None]
    demographics += [(t["situation"].capitalize(), item(claim)) for claim in persona.psychographics.lifestyle]
    single = [(title, claim) for title, claim in ((t["rhythm"], bb.purchase_frequency), (t["spend"], bb.purchase_value),
                                                  (t["price_sensitivity"], bb.price_sensitivity)) if claim is not None]
    sections = [
        {"title": t["what_drives_them"], "blocks": [
            {"title": t["goals"], "entries": goals},
            {"title": t["values"], "entries": items(persona.psychographics.values)}]},
        {"title": t["pains_and_fears"], "blocks": [{"title": t["challenges"], "entries": challenges},
                                                    {"title": t["fears"], "entries": fears}]},
        {"title": t["how_they_buy"], "blocks": [
            {"title": t["decision_criteria"], "entries": criteria}, {"title": t["channels"], "entries": channels},
            {"title": t["triggers"], "entries": items(bb.triggers)},
            {"title": t["research_habits"], "entries": items(bb.research_habits)},
            *[{"title": title, "entries": [item(claim)]} for title, claim in single]]},
    ]
    journey = [{"stage": s.stage, "parts": [item(c) if c else None for c in (s.thinking, s.feeling, s.doing)]}
               for s in persona.journey]
    messages = [(title, item(claim)) for title, claim in ((t["marketing_message"], persona.marketing_message),
                                                          (t["tone"], persona.tone)) if claim is not None]
    return {"gist": gist, "narrative": item(persona.narrative), "cards": cards, "sections": sections,
            "demographics": demographics, "objections": objections, "journey": journey, "selling_points": selling,
            "messages": messages, "buyer_type_reason": item(persona.buyer_type_reason)
            if persona.buyer_type_reason else None}


def _quote(text: str, redact: Redactor, refs: list[tuple[int, str]], language: str | None) -> Item:
    said = redact(text)
    return Item(text=said, short=_short(said, 200), refs=refs, language=language)


def _segment_facts(persona: Persona, t: dict[str, str]) -> list[str]:
    segment = persona.segment
    facts = []
    if segment.share_of_respondents is not None:
        facts.append(t["respondents_fact"].format(people=segment.respondents or "",
                                                  share=f"{segment.share_of_respondents * 100:.0f}").strip())
    if segment.share_of_revenue is not None:
        facts.append(t["of_revenue"].format(share=f"{segment.share_of_revenue * 100:.0f}"))
    return facts


def _provenance(persona: Persona, t: dict[str, str]) -> str:
    p = persona.provenance
    if p is None:
        return ""
    return t["generated_short"].format(at=p.generated_at, model=p.model, rounds=p.critique_rounds,
                                       cited=len(p.evidence_ids), removed=p.removed_claims)


# ------------------------------------------------------------------------------------------ charts
def _value(value: Any) -> ValueJoinResult | None:
    if value is None or isinstance(value, ValueJoinResult):
        return value
    return ValueJoinResult.model_validate(value)


def _charts(persona: Persona, stats: list[QuestionStat], value: ValueJoinResult | None, refs: _Refs,
            t: dict[str, str]) -> list[dict]:
    segment_id = (persona.segment.segment_id or "").removeprefix("segment:")
    mine = [s for s in stats if s.segment_id == segment_id and s.kind == "share" and s.options]
    wanted = [(t["age"], next((s for s in mine if s.dimension == "age"), None), True),
              (t["income"], next((s for s in mine if s.dimension == "income"), None), True),
              (t["channels"], next((s for s in mine if question_role(s.question) == "channels"), None), False)]
    charts = []
    for title, stat, ordered in wanted:
        if stat is None:
            continue
        options = {o.answer: o for o in stat.options}
        labels = band_order(list(options))[:7] if ordered else list(options)[:5]
        bars = [Bar(label, options[label].segment_share, options[label].overall_share) for label in labels]
        charts.append({"title": title, "refs": refs([stat.stat_id]), "inference": None, "confidence": None,
                       "question": stat.question,
                       "svg": Markup(bars_svg(f"{title} ({stat.question}): {t['this_segment']} vs "
                                              f"{t['all_respondents']}", bars))})
    joined = [v for v in (value.segments if value and value.joinable else []) if v.joined]
    own = next((v for v in joined if v.segment_id == segment_id), None)
    if own is not None and own.rfm_groups:
        total = sum(v.joined for v in joined) or 1
        overall: dict[str, float] = {}
        for v in joined:
            for group, share in v.rfm_groups.items():
                overall[group] = overall.get(group, 0.0) + share * v.joined / total
        order = [g for g in RFM_GROUP_LABELS if g in overall or g in own.rfm_groups]
        rows = [("This segment", {g: own.rfm_groups.get(g, 0.0) for g in order}),
                ("All joined", {g: overall.get(g, 0.0) for g in order})]
        mean = sum(v.revenue for v in joined) / total
        svg = stacked_svg("Value: RFM mix of the segment vs all joined customers", rows, RFM_GROUP_LABELS)
        caption = (f'<p class="caption">{own.joined} of {own.respondents} respondents joined to their orders; '
                   f"mean revenue {own.mean_revenue:,.0f} vs {mean:,.0f} per joined customer.</p>")
        charts.append({"title": t["value_chart"], "refs": refs([f"segment:{segment_id}#value"]), "inference": None,
                       "confidence": None, "question": "RFM groups of the respondents joined to their orders",
                       "svg": Markup(svg + caption)})
    return charts


# ------------------------------------------------------------------------------------------ evidence
def _evidence_entry(n: int, evidence_id: str, item: Evidence | None, fallback: str | None,
                    redact: Redactor) -> dict[str, Any]:
    if item is None:
        if fallback is None:
            return {"n": n, "evidence_id": evidence_id, "where": "", "text": "", "gone": True}
        return {"n": n, "evidence_id": evidence_id, "where": "analysis", "text": fallback, "gone": False}
    text = redact(item.text)
    if len(text) > EVIDENCE_CHARS:
        text = text[:EVIDENCE_CHARS].rsplit(" ", 1)[0] + " …"
    return {"n": n, "evidence_id": evidence_id, "where": where(item), "text": text, "gone": False}


def where(item: Evidence) -> str:
    """The place of a chunk in its file, for a reader: "interviews/a.md, lines 12–18 (en)"."""
    meta = item.metadata
    parts = [item.source if item.source != "analysis" else "the analysis"]
    if "line_start" in meta:
        end = meta.get("line_end", meta["line_start"])
        parts.append(f"line {meta['line_start']}" if end == meta["line_start"] else f"lines {meta['line_start']}–{end}")
    if "page" in meta:
        parts.append(f"page {meta['page']}")
    if "row" in meta:
        parts.append(f"row {meta['row']}")
    if item.kind == "interview" and meta.get("customer_id"):
        parts.append(f"customer {meta['customer_id']}")
    elif "respondent_id" in meta:
        parts.append(f"respondent {meta['respondent_id']}")
    if meta.get("question"):
        parts.append(f"“{_short(str(meta['question']), 90)}”")
    text = ", ".join(str(p) for p in parts)
    language = meta.get("language")
    return f"{text} ({language})" if language and language != "unknown" else text


def _short(text: str, limit: int = SUMMARY_CHARS) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + " …"


# ------------------------------------------------------------------------------------------ template
@lru_cache(maxsize=1)
def _template() -> Any:
    from jinja2 import Environment, StrictUndefined

    environment = Environment(autoescape=True, undefined=StrictUndefined, trim_blocks=False, lstrip_blocks=False)
    return environment.from_string(_resource("onepager.html.j2"))


@lru_cache(maxsize=1)
def _css() -> str:
    return _resource("onepager.css")


def _resource(name: str) -> str:
    return (resources.files("persona_agent.personas") / "templates" / name).read_text(encoding="utf-8")
