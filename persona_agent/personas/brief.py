"""The segment brief: everything a persona is written from, once, under short aliases.

Every LLM call for one persona starts with the same system prompt and this same brief — the segment's distinctive
stats, its themes (counted, with customers' words), its customers' interview turns, its value and the analytics
cross-check — each line under an alias (E1…En) that the code maps back to an evidence id. Only a short section
instruction differs from call to call, so a local model evaluates the brief once and reuses its KV cache for the
persona's other calls; and the model cites E-numbers from a short list instead of copying long ids.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from persona_agent.analysis.models import QuestionStat, SegmentationResult, Theme, ThemeResult
from persona_agent.analysis.stats import distinctive_options
from persona_agent.core.evidence import Evidence
from persona_agent.engine.store import EvidenceStore
from persona_agent.personas.claims import theme_lead
from persona_agent.personas.plan import Target
from persona_agent.research.authorship import customer_words

MAX_STATS = 12
MAX_THEMES = 8
MAX_INTERVIEW_TURNS = 4
QUOTE_CHARS = 150
THEME_LABEL_CHARS = 200  # the customer words a theme's claim quotes: whole sentences up to this length
QUESTION_CHARS = 70
_SENTENCE = re.compile(r"(?<=[.!?…])\s+")

# What a closed question is about, from its wording (en, no, da, nl, sv, de); the code fills the persona's channels,
# research habits, decision criteria, barriers and buying rhythm from these stats ("where do you follow us or get
# advice?" is how they keep informed, "where did you hear about us?" how they were reached).
QUESTION_ROLES: dict[str, re.Pattern[str]] = {
    "research": re.compile(r"follow us|get (news|advice|tips|information)|news about|advice|\bråd|advies|nieuws|"
                           r"följer ni|følger dere|følger I|volgt u|folgen sie|ratschl|neuigkeiten", re.IGNORECASE),
    "channels": re.compile(r"hear about|find us|found us|follow|channel|social media|newsletter|news about|"
                           r"hørte|høre om|fant|følger|kanal|gehoord|volgt|hittade|följer|erfahren|folgen",
                           re.IGNORECASE),
    "criteria": re.compile(r"matters? most|most important|important to you|when choosing|choose|decid|priorit|"
                           r"viktigst|vigtigst|belangrijkst|wichtigst|viktigast|avgjørende", re.IGNORECASE),
    "barriers": re.compile(r"stops? you|stopped you|barrier|prevent|hold(s)? you back|hindr|forhindr|tegenhoud|"
                           r"hält sie ab|hindert|stopper deg", re.IGNORECASE),
    "frequency": re.compile(r"how often|frequency|hvor ofte|hoe vaak|wie oft|hur ofta", re.IGNORECASE),
    "spend": re.compile(r"spend|budget|bruker du|bruger du|uitgeven|ausgeben|spenderar|lägger du", re.IGNORECASE),
    "satisfaction": re.compile(r"satisf|fornøyd|tilfreds|tevreden|zufrieden|nöjd", re.IGNORECASE),
    "recommend": re.compile(r"recommend|anbefale|aanbevelen|empfehlen|rekommendera", re.IGNORECASE),
    "contact": re.compile(r"contact|get in touch|customer service|kontakt|kundeservice|kundservice|klantenservice|"
                          r"kundendienst|kundenservice", re.IGNORECASE),
}


def question_role(question: str) -> str | None:
    return next((role for role, pattern in QUESTION_ROLES.items() if pattern.search(question)), None)


# What a free-text question asks for, so a theme of its answers can be read as praise, complaint or wish.
FREE_TEXT_ROLES: dict[str, re.Pattern[str]] = {
    "complaint": re.compile(r"annoy|almost stopped|gone wrong|went wrong|dislike|frustrat|complain|worst|problem|"
                            r"irriter|ärger|stört|ergert|plager|stör", re.IGNORECASE),
    "wish": re.compile(r"change|add one|wish|improve|would make you|missing|miss |endre|ændre|ändra|ändern|"
                       r"verander|forbedr|verbesser|förbättr|ønsk|önsk|wünsch", re.IGNORECASE),
    "praise": re.compile(r"like (most|best)|love|enjoy|favou?rite|best thing|liker best|kan lide|gefällt|bevalt|"
                         r"gillar|trevlig", re.IGNORECASE),
}
THEME_ROLE_WORDS = {"complaint": "what bothers them", "wish": "what they wish for", "praise": "what they like"}
THEME_FIELDS = {"complaint": "challenges", "wish": "goals", "praise": "values"}
MAX_THEME_CLAIMS = 2  # per field, the most lifted first
# Which brief lines each section is written from, by role (the model reads the whole brief; these
# are the lines its task points to, so a small model does not cite a household-income line for a
# journey stage).
SECTION_FOCUS: dict[str, tuple[str, ...]] = {
    "goals": ("criteria", "wish", "best", "praise", "spend"),
    "pains": ("barriers", "complaint", "lost", "worst"),
    "objections": ("barriers", "complaint", "lost", "worst", "wish"),
    "positioning": ("praise", "criteria", "wish", "best"),
}
JOURNEY_FOCUS: dict[str, tuple[str, ...]] = {
    "awareness": ("channels", "research"), "consideration": ("criteria", "wish"),
    "purchase": ("barriers", "complaint"), "after purchase": ("frequency", "praise", "best"),
}
MAX_FOCUS = 6


def free_text_role(questions: list[str]) -> str:
    """The role half of a theme's answers were given to, else the more common of complaint and wish where the two
    make half (a lack told both ways: knowledge/'s enthusiasts' largest theme had 7 and 6 of 15, and no claim)."""
    roles = [next((r for r, pattern in FREE_TEXT_ROLES.items() if pattern.search(q)), "") for q in questions]
    votes = {role: roles.count(role) for role in FREE_TEXT_ROLES}
    best, lack = max(votes, key=lambda r: votes[r]), votes["wish"] + votes["complaint"]
    if votes[best] * 2 < len(questions):
        best = max(("wish", "complaint"), key=lambda r: votes[r]) if lack * 2 >= len(questions) else ""
    return best if best and votes[best] else ""


@dataclass
class BriefItem:
    alias: str
    evidence_id: str
    kind: str  # stat | theme | interview | value | profile | analytics | evidence
    line: str  # what the model reads
    text: str  # the full evidence text (what numbers and support are checked against)
    people: int  # distinct respondents or sources behind it
    source_kinds: tuple[str, ...]
    language: str = "en"
    role: str = ""  # stat: question_role or "portrait"; theme: praise/complaint/wish; interview: best/lost/…


@dataclass
class Brief:
    """One persona's evidence, rendered once, with the maps from aliases back to ids."""

    target: Target
    items: list[BriefItem]
    header: str
    stats: list[QuestionStat] = field(default_factory=list)
    themes: list[Theme] = field(default_factory=list)
    segment_size: int = 0
    respondents_total: int = 0
    theme_labels: dict[str, str] = field(default_factory=dict)  # theme id → the words its claim quotes
    readable: dict[str, Evidence] = field(default_factory=dict)  # theme id → its member shown in the persona's language
    language: str = "en"  # the persona's: the words its themes' sentences start with (`claims.theme_lead`)

    @property
    def aliases(self) -> dict[str, BriefItem]:
        return {item.alias: item for item in self.items}

    @property
    def by_id(self) -> dict[str, BriefItem]:
        return {item.evidence_id: item for item in self.items}

    def render(self) -> str:
        sections: dict[str, list[str]] = {}
        titles = {"profile": "THE SEGMENT", "stat": "WHAT SETS THEM APART (share in this segment vs all respondents)",
                  "theme": "WHAT THEY SAY (themes in their free text; people = respondents + interviewed customers)",
                  "interview": "INTERVIEWS WITH THEIR CUSTOMERS (customer's words)", "value": "WHAT THEY ARE WORTH",
                  "analytics": "ANALYTICS", "evidence": "EVIDENCE"}
        for item in self.items:
            sections.setdefault(item.kind, []).append(f"{item.alias} {item.line}")
        blocks = [self.header] + [f"{titles[kind]}:\n" + "\n".join(lines) for kind, lines in sections.items()]
        return "\n\n".join(blocks)

    def focus(self, roles: tuple[str, ...], limit: int = MAX_FOCUS) -> list[str]:
        """Aliases of the lines with these roles, in the roles' order, then brief order."""
        chosen = [item.alias for role in roles for item in self.items if item.role == role]
        return list(dict.fromkeys(chosen))[:limit]

    def claimed_themes(self) -> list[tuple[Theme, str]]:
        """The themes that become claims, each with its role: a theme of complaints is a challenge, of
        wishes a goal, of praise a value (`THEME_FIELDS`) — only where its share of the segment is above
        everyone's beyond the margin of error; the `MAX_THEME_CLAIMS` most lifted per role."""
        roles = {item.evidence_id: item.role for item in self.items if item.kind == "theme"}
        found: dict[str, list[Theme]] = {}
        for theme in self.themes:
            role = roles.get(theme.theme_id, "")
            if role in THEME_FIELDS and theme.respondents and theme.share - theme.margin > theme.overall_share:
                found.setdefault(role, []).append(theme)
        return [(theme, role) for role, themes in found.items()
                for theme in sorted(themes, key=lambda t: -(t.lift or 0.0))[:MAX_THEME_CLAIMS]]

    def decode_aliases(self, section: str) -> list[str]:
        """The aliases a section's reply may cite: for the themes call, the themes it asks about."""
        if section == "themes":
            asked = {theme.theme_id for theme, _ in self.claimed_themes()}
            return [item.alias for item in self.items if item.evidence_id in asked]
        return list(self.aliases)

    def asked_themes(self) -> list[tuple[str, Theme, str]]:
        """The themes call's items, each theme's alias, theme and role, in the brief's order: held to the
        order of `claimed_themes` (by role), the 1.5B wrote in the brief's order anyway, each sentence
        under the alias before it ("there is no way to set a fixed delivery day" for the stock-out theme)."""
        index = {item.evidence_id: n for n, item in enumerate(self.items)}
        return [(self.items[index[theme.theme_id]].alias, theme, role)
                for theme, role in sorted(self.claimed_themes(), key=lambda pair: index[pair[0].theme_id])]

    def theme_leads(self) -> dict[str, str]:
        """Each asked theme's alias and the words its sentence starts with, in order (the decoder is held to
        both where the provider can, `sections.decode_schema`)."""
        return {alias: theme_lead(role, self.language) for alias, _, role in self.asked_themes()}

    def focus_text(self, section: str) -> str:
        """The task's pointer to the lines a section is written from ("" when none has a role)."""
        if section == "journey":
            stages = [f"{stage}: {', '.join(self.focus(roles, 3))}" for stage, roles in JOURNEY_FOCUS.items()
                      if self.focus(roles, 3)]
            return ("Lines for each stage — " + "; ".join(stages) + ".") if stages else ""
        if section == "themes":  # one line per theme that becomes a claim, with the verb its field starts with
            # (its quotes repeated here were copied by the 1.5B, in their language, instead of said in its own words;
            # a customer's sentence in the persona's language was squeezed into telegraphic copies: "Wants more
            # natural anaerobic lots 1 kg option love.")
            return "\n".join(f"- {alias} ({THEME_ROLE_WORDS[role]}), start with “{lead}”"
                             for (alias, _, role), lead in zip(self.asked_themes(), self.theme_leads().values(),
                                                               strict=True))
        aliases = self.focus(SECTION_FOCUS.get(section, ()))
        if section == "identity":  # who they are: the most distinctive stats and themes, and their worth
            aliases = ([i.alias for i in self.items if i.kind == "stat"][:3]
                       + [i.alias for i in self.items if i.kind == "theme"][:2] + self.focus(("value",), 1))
        return f"Write this from the lines {', '.join(aliases)} (and others only where they say it)." if aliases else ""


def load_analysis(analysis_dir: Path) -> dict[str, Any]:
    """segments, stats and themes as written by `persona analyze` (missing parts are empty)."""

    def read(name: str) -> Any:
        path = analysis_dir / name
        return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None

    segments = read("segments.json")
    themes = read("themes.json")
    return {
        "segmentation": SegmentationResult.model_validate(segments) if segments else None,
        "stats": [QuestionStat.model_validate(s) for s in read("stats.json") or []],
        "themes": ThemeResult.model_validate(themes) if themes else None,
    }


def build_brief(store: EvidenceStore, target: Target, analysis: dict[str, Any], language: str = "") -> Brief:
    """The brief of a data segment; targets without one (groups proposed by the model) use
    `evidence_brief`. With ``language`` (the persona's), a theme whose two quotes are in other languages is
    shown with its most central answer in that language too, where it has one (`_readable_members`)."""
    segmentation: SegmentationResult | None = analysis["segmentation"]
    persona_language = language  # (``language`` is each interview's below)
    segment_id = target.key.removeprefix("segment:")
    segment = next((s for s in segmentation.segments if s.segment_id == segment_id), None) if segmentation else None
    if segmentation is None or segment is None:
        return evidence_brief(store, target, [])
    stats = [s for s in analysis["stats"] if s.segment_id == segment_id]
    theme_result: ThemeResult | None = analysis["themes"]
    themes = [t for t in (theme_result.themes if theme_result else []) if t.segment_id == segment_id][:MAX_THEMES]
    wanted = [f"segment:{segment_id}", f"segment:{segment_id}#value"] + [t.theme_id for t in themes]
    stored = {e.evidence_id: e for e in store.get(wanted + [s.stat_id for s in stats])}
    items: list[BriefItem] = []

    def add(evidence_id: str, kind: str, line: str, people: int, kinds: tuple[str, ...], language: str = "en",
            role: str = "") -> None:
        evidence = stored.get(evidence_id)
        text = evidence.text if evidence is not None else line
        items.append(BriefItem(f"E{len(items) + 1}", evidence_id, kind, line, text, people, kinds, language, role))

    for stat in _ranked_stats(stats)[:MAX_STATS]:
        role = question_role(stat.question) or ("portrait" if stat.dimension else "")
        add(stat.stat_id, "stat", _stat_line(stat), stat.answered, ("survey",), role=role)
    members = _members(store, themes)  # read once for the roles, labels and readable answers
    roles, labels = _theme_roles(store, themes, members)
    readable = _readable_members(members, themes, language) if language else {}
    for theme in themes:
        shown = readable.get(theme.theme_id)
        add(theme.theme_id, "theme", _theme_line(theme, roles[theme.theme_id],
                                                 (customer_words(shown) or shown.text) if shown else ""),
            theme.respondents + theme.customers, tuple(theme.source_kinds), role=roles[theme.theme_id])
    for evidence in _interview_turns(store, theme_result, segment_id, themes):
        words = customer_words(evidence) or evidence.text
        label = str(evidence.metadata.get("customer") or "")
        who = f"{label} customer" if label else "customer"
        language = str(evidence.metadata.get("language", ""))
        stored[evidence.evidence_id] = evidence
        add(evidence.evidence_id, "interview", f"{who} ({language}): “{_short(words, 220)}”", 1, ("interview",),
            language, role=label.casefold())
    if f"segment:{segment_id}#value" in stored:
        value = stored[f"segment:{segment_id}#value"]
        add(value.evidence_id, "value", _short(value.text, 300), int(value.metadata.get("joined", 1) or 1),
            ("transactions",), role="value")
    for check in store.get(_crosscheck_ids(store)):
        stored[check.evidence_id] = check
        add(check.evidence_id, "analytics", _short(check.text, 260), 1, ("analytics",))
    share = f"{segment.share * 100:.0f} %"
    revenue = f"; {target.revenue_share * 100:.0f} % of the linked revenue" if target.revenue_share else ""
    header = (f"SEGMENT {segment_id}: {segment.size} of {segmentation.respondents} survey respondents ({share})"
              f"{revenue}.")
    return Brief(target=target, items=items, header=header, stats=stats, themes=themes, segment_size=segment.size,
                 respondents_total=segmentation.respondents, theme_labels=labels, readable=readable,
                 language=persona_language or "en")


def evidence_brief(store: EvidenceStore, target: Target, evidence: list[Evidence]) -> Brief:
    """A brief from retrieved evidence, for groups the model proposed when there are no segments."""
    if not evidence:
        from persona_agent.personas.plan import gather_evidence

        evidence = gather_evidence(store, target)
    items = []
    for number, item in enumerate(evidence, start=1):
        words = customer_words(item) or item.text
        kinds = tuple(str(item.metadata.get("source_kinds", item.kind)).split(","))
        items.append(BriefItem(f"E{number}", item.evidence_id, "evidence",
                               f"({item.kind}, {item.metadata.get('language', '')}) {_short(words, 240)}",
                               item.text, 1, kinds, str(item.metadata.get("language", "en"))))
    header = target.description or f"GROUP {target.key}"
    return Brief(target=target, items=items, header=header)


def _ranked_stats(stats: list[QuestionStat]) -> list[QuestionStat]:
    """Stats with something distinctive, most distinctive first; demographics kept for the portrait."""

    def strength(stat: QuestionStat) -> float:
        if stat.kind == "mean":
            gap = abs((stat.segment_mean or 0) - (stat.overall_mean or 0))
            return gap / max(abs(stat.overall_mean or 1), 1e-9)
        best = distinctive_options(stat)
        return max((o.lift or 0) for o in best) if best else 0.0

    ranked = [s for s in stats if strength(s) > (0.05 if s.kind == "mean" else 0)]
    return sorted(ranked, key=lambda s: -strength(s))


def _stat_line(stat: QuestionStat) -> str:
    question = _short(stat.question, QUESTION_CHARS)
    if stat.kind == "mean":
        return f"“{question}”: mean {stat.segment_mean:.1f} vs {stat.overall_mean:.1f} for all respondents"
    options = distinctive_options(stat)[:3]
    parts = [f"{o.answer} {o.segment_share * 100:.0f} % vs {o.overall_share * 100:.0f} %" for o in options]
    return f"“{question}”: " + "; ".join(parts)


def _theme_line(theme: Theme, role: str = "", readable: str = "") -> str:
    people = theme.respondents + theme.customers
    lifted = f", {theme.lift:.1f}× all respondents" if theme.lift is not None else ""
    share = f"{theme.share * 100:.0f} % of the segment{lifted}" if theme.respondents else "interviews only"
    shown = [readable, *[q.text for q in theme.quotes[:1]]] if readable else [q.text for q in theme.quotes[:2]]
    quotes = " | ".join(f"“{_short(text, QUOTE_CHARS)}”" for text in shown) or f"“{theme.label}”"
    about = f" ({THEME_ROLE_WORDS[role]})" if role in THEME_ROLE_WORDS else ""
    return f"theme{about}, {people} people ({share}): {quotes}"


def _readable_members(found: Mapping[str, Evidence], themes: list[Theme], language: str) -> dict[str, Evidence]:
    """For each theme neither of whose two brief quotes is in ``language``: its most central member (of its first
    15) in that language, where it has one (the checks compare a claim on the theme with it too). knowledge/'s
    enthusiasts' wish to pause the subscription while travelling was shown in Norwegian and Danish only; the 1.5B
    wrote another theme's point ("Wants more natural and anaerobic lots…") under its alias, though its 9th most
    central answer says it in English ("Let me pause the subscription for a month when I travel instead of
    cancelling")."""
    wanted = {t.theme_id: t.member_ids[:15] for t in themes if not any(q.language == language for q in t.quotes[:2])}
    readable = {}
    for theme_id, members in wanted.items():
        first = next((found[m] for m in members if m in found and found[m].metadata.get("language") == language), None)
        if first is not None:
            readable[theme_id] = first
    return readable


def _members(store: EvidenceStore, themes: list[Theme]) -> dict[str, Evidence]:
    """The chunks of each theme's 15 most central members and its quotes, by id."""
    members = [m for t in themes for m in t.member_ids[:15]] + [q.evidence_id for t in themes for q in t.quotes]
    return {e.evidence_id: e for e in store.get(list(dict.fromkeys(members)))}


def _theme_roles(store: EvidenceStore, themes: list[Theme],
                 found: Mapping[str, Evidence] | None = None) -> tuple[dict[str, str], dict[str, str]]:
    """Each theme's role from the free-text questions its survey members answered, and its label: the words
    of the first of its most central member and its quotes (both in the theme's text, so the figures in them
    check) that answered a question of that role, cut at a sentence end. Research B's theme of wishes for a
    fixed delivery day was labelled by its most central member, a complaint ("Deliveries come on random
    days… That's my main gripe."), and became a goal."""
    found = _members(store, themes) if found is None else found
    questions = {i: str(e.metadata.get("question") or "") for i, e in found.items()}
    roles = {t.theme_id: free_text_role([questions[m] for m in t.member_ids[:15] if questions.get(m)])
             for t in themes}
    labels = {}
    for theme in themes:
        role = roles[theme.theme_id]
        central = found.get(theme.member_ids[0]) if theme.member_ids else None  # its label is cut at 160 characters
        said = [(central.evidence_id, customer_words(central) or central.text)] if central is not None else []
        said += [(q.evidence_id, q.text) for q in theme.quotes]
        words = next((text for evidence_id, text in said if role and free_text_role([questions.get(evidence_id, "")])
                      == role), theme.label)
        labels[theme.theme_id] = _sentences_within(words, THEME_LABEL_CHARS)
    return roles, labels


def _sentences_within(text: str, limit: int) -> str:
    """The first sentences of ``text`` that fit in ``limit`` characters; a longer first sentence cut at a word,
    with "…"."""
    text = " ".join(text.split())
    kept = ""
    for sentence in re.split(r"(?<=[.!?])\s+", text):
        if len(kept) + len(sentence) + 1 > limit:
            break
        kept = f"{kept} {sentence}".strip()
    return kept or text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def _interview_turns(store: EvidenceStore, themes: ThemeResult | None, segment_id: str,
                     segment_themes: list[Theme]) -> list[Evidence]:
    """Customer turns of the interviews linked to the segment: those its themes gathered, then those closest to its
    themes (research B's kennel interview, linked to its segment, was in no theme: its persona had the survey only)."""
    if themes is None:
        return []
    sources = {link.source for link in themes.interviews if link.segment_id == segment_id}
    if not sources:
        return []
    in_themes = list(dict.fromkeys(i for t in segment_themes for i in t.member_ids if i.split("#")[0] in sources))
    evidence = store.get(in_themes)
    others = [e for e in store.get(sorted(set(store.metadata_where({"source": {"$in": sorted(sources)}})) -
                                          set(in_themes))) if customer_words(e)]
    evidence += store.rank(" ".join(t.label for t in segment_themes[:3]), others) if segment_themes else others
    per_source: dict[str, int] = {}
    kept: list[Evidence] = []
    for item in evidence:  # at most two turns per interview, so several interviews are heard
        if per_source.get(item.source, 0) < 2 and customer_words(item) and len(kept) < MAX_INTERVIEW_TURNS:
            per_source[item.source] = per_source.get(item.source, 0) + 1
            kept.append(item)
    return kept


def _crosscheck_ids(store: EvidenceStore) -> list[str]:
    return sorted(i for i, meta in store.metadata_where({"analysis": "crosscheck"}).items()
                  if int(meta.get("disagreements", 0) or 0) > 0)[:2]


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit]
    sentence_end = max(cut.rfind(". "), cut.rfind("! "), cut.rfind("? "))
    return cut[: sentence_end + 1] if sentence_end > limit // 2 else cut.rsplit(" ", 1)[0] + "…"
