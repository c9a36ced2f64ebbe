"""Everything the grounding checks compare a persona with, gathered once per run or per persona."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from persona_agent.analysis.models import QuestionStat, Theme
from persona_agent.analysis.stats import distinctive_options
from persona_agent.core.evidence import Evidence
from persona_agent.engine.store import EvidenceStore
from persona_agent.personas.brief import Brief
from persona_agent.personas.grounding import GroundingContext
from persona_agent.personas.places import currencies_in, places_in
from persona_agent.personas.support import WRITTEN_THRESHOLD, Piece, SupportScorer, evidence_pieces

MEMBERS = 6
_CAPITALISED = re.compile(r"(?<![.!?]\s)(?<!^)\b([A-ZÆØÅÄÖÜ][a-zæøåäöü]+[A-Z]?[a-zæøåäöü]*)\b")


@dataclass
class ResearchFacts:
    """What the whole research contains, for checks that need more than one segment."""

    places: set[str] = field(default_factory=set)
    currencies: set[str] = field(default_factory=set)
    shop_names: set[str] = field(default_factory=set)
    themes: list[Theme] = field(default_factory=list)
    stats: list[QuestionStat] = field(default_factory=list)
    theme_evidence: dict[str, Evidence] = field(default_factory=dict)
    members: dict[str, list[Evidence]] = field(default_factory=dict)

    @classmethod
    def gather(cls, store: EvidenceStore, analysis: dict[str, Any]) -> ResearchFacts:
        texts = list(store.collection.get(include=["documents"])["documents"] or [])
        places: set[str] = set()
        currencies: set[str] = set()
        for text in texts:
            places |= places_in(text)
            currencies |= currencies_in(text)
        stats: list[QuestionStat] = analysis.get("stats") or []
        theme_result = analysis.get("themes")
        themes: list[Theme] = list(theme_result.themes) if theme_result else []
        evidence = {e.evidence_id: e for e in store.get([t.theme_id for t in themes])}
        member_ids = sorted({i for t in themes for i in t.member_ids[:MEMBERS]})
        by_id = {e.evidence_id: e for e in store.get(member_ids)}
        members = {t.theme_id: [by_id[i] for i in t.member_ids[:MEMBERS] if i in by_id] for t in themes}
        return cls(places=places, currencies=currencies, shop_names=shop_names(stats), themes=themes, stats=stats,
                   theme_evidence=evidence, members=members)


def shop_names(stats: list[QuestionStat]) -> set[str]:
    """Brand names: capitalised words inside two or more distinct survey questions ("…about Fjordbrew?")."""
    counts: Counter[str] = Counter()
    for question in {s.question for s in stats}:
        counts.update(set(_CAPITALISED.findall(question)))
    common = {"What", "How", "Which", "Where", "Who", "Why", "When", "Is", "Are", "Do", "Does", "Overall", "If",
              "Roughly", "Please", "Anything", "In"}
    return {word for word, n in counts.items() if n >= 2 and word not in common}


def grounding_context(store: EvidenceStore, brief: Brief, facts: ResearchFacts,
                      scorer: SupportScorer | None) -> GroundingContext:
    ids = [item.evidence_id for item in brief.items]
    stored = {e.evidence_id: e for e in store.get(ids)}
    evidence: dict[str, Evidence] = {}
    for item in brief.items:
        evidence[item.evidence_id] = stored.get(item.evidence_id) or Evidence(
            evidence_id=item.evidence_id, text=item.text, kind="segment", source="brief")
    missing_stats = [s.stat_id for s in brief.stats if s.stat_id not in evidence]
    evidence.update({e.evidence_id: e for e in store.get(missing_stats)})  # the code cites every stat it fills
    for quote_theme in brief.themes:  # quotes cite member chunks, which the checks must see
        for quote in quote_theme.quotes:
            if quote.evidence_id not in evidence:
                evidence.update({e.evidence_id: e for e in store.get([quote.evidence_id])})
    segment_id = brief.target.key.removeprefix("segment:")
    own_themes = {t.theme_id for t in brief.themes}
    others: dict[str, tuple[list[Piece], float]] = {}
    for theme in facts.themes:
        if theme.segment_id != segment_id and theme.lift is not None and theme.theme_id in facts.theme_evidence:
            others[theme.theme_id] = (evidence_pieces(facts.theme_evidence[theme.theme_id],
                                                      facts.members.get(theme.theme_id, [])), theme.lift)
    for stat in facts.stats:
        if stat.segment_id == segment_id:
            continue
        for option in distinctive_options(stat, min_lift=1.5):
            others[f"{stat.stat_id}={option.answer}"] = ([Piece(f"{stat.question} {option.answer}", "en")],
                                                          option.lift or 0.0)
    return GroundingContext(
        evidence=evidence, shown=set(ids) | {q.evidence_id for t in brief.themes for q in t.quotes}
        | {s.stat_id for s in brief.stats},
        people={**{s.stat_id: s.answered for s in brief.stats},
                **{item.evidence_id: item.people for item in brief.items}},
        source_kinds={item.evidence_id: item.source_kinds for item in brief.items},
        stats={s.stat_id: s for s in brief.stats},
        members={t: _with_shown(facts.members.get(t, []), brief.readable.get(t)) for t in own_themes},
        others=others, places=facts.places, currencies=facts.currencies, scorer=scorer,
        shop_names=facts.shop_names, threshold=WRITTEN_THRESHOLD)


def _with_shown(members: list[Evidence], shown: Evidence | None) -> list[Evidence]:
    """A theme's most central members and the one its brief line showed in the persona's language (`Brief.readable`):
    knowledge/'s enthusiast's "Wants to pause the subscription for a month when they travel instead of cancelling."
    said what that English member says, and failed its support check against six in Norwegian and Danish."""
    if shown is None or any(m.evidence_id == shown.evidence_id for m in members):
        return members
    return [*members, shown]
