"""Sections + brief → a `Persona`: the model's claims with aliases mapped back to evidence ids, and
the parts the code fills itself from the stats — demographics, channels, research habits, decision
criteria, barriers, buying rhythm — plus quotes selected from the themes (never written by the model)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel

from persona_agent.analysis.models import OptionStat, QuestionStat
from persona_agent.analysis.stats import clear_traits
from persona_agent.personas.brief import THEME_FIELDS, Brief, question_role
from persona_agent.personas.buyer_type import TypeChoice, choose_type
from persona_agent.personas.claims import THEME_LEADS, TRAIT_LEAD, iter_claims, placed_last
from persona_agent.personas.grounding import MAX_CLAIMS_PER_ID
from persona_agent.personas.schema import (
    BuyingBehaviour,
    Claim,
    Demographics,
    Finding,
    Goals,
    JourneyStage,
    Objection,
    Persona,
    Psychographics,
    Quote,
    SegmentRef,
    ThemeRef,
)
from persona_agent.personas.sections import SalvagedIdentity
from persona_agent.personas.wording import Wording, wording
from persona_agent.personas.writer import salvage

_DEMOGRAPHIC_FIELDS = {"age": "age_band", "gender": "gender", "location": "location", "income": "income_band",
                       "education": "education", "family": "family", "job": "occupation"}
MAX_QUOTES = 3
MAX_SITUATION = 2  # the shop's own questions about the buyer's situation, the most answered first
# Template sections and where they live, for the explicit "no evidence" list.
TEMPLATE_SECTIONS = {
    "goals": lambda p: p.goals.primary + p.goals.secondary, "values": lambda p: p.psychographics.values,
    "challenges": lambda p: p.challenges, "fears": lambda p: p.fears,
    "decision criteria": lambda p: p.buying_behaviour.decision_criteria,
    "channels": lambda p: p.buying_behaviour.channels + p.buying_behaviour.research_habits,
    "triggers": lambda p: p.buying_behaviour.triggers,
    "objections": lambda p: p.objections, "selling points": lambda p: p.selling_points,
    "marketing message": lambda p: [p.marketing_message] if p.marketing_message else [],
    "tone": lambda p: [p.tone] if p.tone else [], "journey": lambda p: p.journey, "quotes": lambda p: p.quotes,
    "buyer type reason": lambda p: [p.buyer_type_reason] if p.buyer_type_reason else [],
    "work": lambda p: [c for c in (p.demographics.occupation, p.demographics.company_size, p.demographics.industry,
                                   p.demographics.role) if c],
}


# A word for each buyer type, the trait of a name the model gave without one (`with_trait`), or put before a name
# an earlier persona of the run already has: the 1.5B named both personas of knowledge/ "Erik" (seed 42), and
# again when told the name was taken
TYPE_WORDS = {"thoughtful researcher": "Thoughtful", "spontaneous": "Spontaneous", "bargain hunter": "Bargain",
              "brand enthusiast": "Devoted", "window shopper": "Browsing", "B2B buyer": "Business"}
# more words for the same type, for a bare name when an earlier persona of the run has the first word already (the
# 1.5B called both of knowledge/'s personas thoughtful researchers: "Thoughtful Erik" and "Careful Erik")
_MORE_WORDS = {"thoughtful researcher": ("Careful", "Curious", "Studious"), "spontaneous": ("Impulsive", "Quick"),
               "bargain hunter": ("Frugal", "Thrifty", "Budget"), "brand enthusiast": ("Loyal", "Keen"),
               "window shopper": ("Casual", "Wandering"), "B2B buyer": ("Busy", "Practical", "Professional")}


def with_trait(name: str, buyer_type: str, taken_slugs: set[str] | frozenset[str]) -> str:
    """The model's name when it has a trait ("Budget Bente"). A bare first name ("Erik": the 1.5B's name for
    nearly every persona of knowledge/ and research B, on every seed) gets its buyer type's word in front
    ("Thoughtful Erik"), or another word of the type when an earlier persona's name begins with that one
    ("Careful Erik"). The first name stays: the persona's sentences use it, and its pronouns."""
    if len(name.split()) > 1:
        return name
    words = (TYPE_WORDS.get(buyer_type, "Thoughtful"), *_MORE_WORDS.get(buyer_type, ()))
    used = {slug.split("-")[0] for slug in taken_slugs}
    word = next((w for w in words if w.casefold() not in used), words[0])
    return f"{word} {name}"


def fallback_name(key: str, language: str) -> str:
    """A first name for a persona whose model-written name was unusable both times it was asked (knowledge/,
    seed 1234: a copied placeholder, and the whole persona failed): one of the persona language's common first
    names, the same for the same segment (`with_trait` then puts the buyer type's word in front)."""
    import hashlib

    from persona_agent.core.pii_names import first_names

    names = first_names(language)
    return names[int(hashlib.sha256(key.encode()).hexdigest(), 16) % len(names)]


def salvage_identity(raw: str, brief: Brief, key: str, language: str, problem: str) -> tuple[SalvagedIdentity, str]:
    """The identity kept from a reply that failed its checks twice, with a note for the history: its name (else a
    common one), its buyer type and each claim that passes on its own; from a reply with no usable JSON at all
    (research B, seed 42: no JSON object twice, and the whole persona failed) a common name and the type the
    segment's answers show (`choose_type`; the list's first where they show none). The code's portraits stand in
    for a gist or narrative left out."""
    common = {"name": fallback_name(key, language)}
    kept = salvage(SalvagedIdentity, raw, {"aliases": brief.aliases}, None, common)
    if kept is None:
        buyer_type = choose_type(brief.stats, "").buyer_type or "thoughtful researcher"
        return (SalvagedIdentity(name=common["name"], buyer_type=buyer_type),
                f"identity: no usable reply, a common name and the type the answers show ({problem[:160]})")
    what = "name" if kept.name != common["name"] else "buyer type (a common name for a bad one)"
    return kept, f"identity: kept the {what} and the valid claims ({problem[:160]})"


def slugify(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-") or "persona"


def assemble(drafts: dict[str, BaseModel], brief: Brief, taken_slugs: set[str] = frozenset()) -> Persona:  # type: ignore[assignment]
    """The persona the sections describe (a section that failed entirely is simply missing)."""
    ids = {item.alias: item.evidence_id for item in brief.items}

    def claim(part: Any) -> Claim:
        return Claim(text=part.text, evidence=[ids[a] for a in part.evidence if a in ids])

    def claims(parts: Any) -> list[Claim]:
        return [claim(p) for p in parts or []]

    def with_ids(text: str, aliases: list[str]) -> Claim:
        return Claim(text=text, evidence=[ids[a] for a in aliases if a in ids])

    goals, pains = drafts.get("goals"), drafts.get("pains")
    objections, journey = drafts.get("objections"), drafts.get("journey")
    positioning, identity = drafts.get("positioning"), drafts.get("identity")
    stats = stat_claims(brief)
    themes = theme_claims(brief, theme_summaries(drafts.get("themes"), brief))
    written_goals = claims(getattr(goals, "goals", [])) + themes["goals"]
    name = identity.name if identity else f"{brief.target.key} buyer"  # type: ignore[attr-defined]
    choice = choose_type(brief.stats, identity.buyer_type if identity else "thoughtful researcher")  # type: ignore[attr-defined]
    buyer_type = choice.buyer_type
    if identity:
        name = with_trait(name, buyer_type, taken_slugs)
    if slugify(name) in taken_slugs and slugify(f"{TYPE_WORDS[buyer_type]} {name}") not in taken_slugs:
        name = f"{TYPE_WORDS[buyer_type]} {name}"  # an earlier persona's name, also after the distinctness revision
    slug, base, n = slugify(name), slugify(name), 2
    while slug in taken_slugs:
        slug, n = f"{base}-{n}", n + 1
    fallbacks = stats["fallbacks"]
    persona = Persona(
        id=slug, name=name,
        gist=claim(identity.gist) if identity and identity.gist else fallbacks["gist"],  # type: ignore[attr-defined]
        narrative=claim(identity.narrative) if identity and identity.narrative  # type: ignore[attr-defined]
        else fallbacks["narrative"],
        buyer_type=buyer_type,
        buyer_type_reason=claim(identity.buyer_type_reason)  # type: ignore[attr-defined]
        if identity and identity.buyer_type_reason and not choice.signs else None,  # type: ignore[attr-defined]
        segment=segment_ref(brief),
        demographics=Demographics(**stats["demographics"]),
        psychographics=Psychographics(values=claims(getattr(goals, "values", [])) + themes["values"],
                                      lifestyle=stats["situation"]),
        goals=Goals(primary=written_goals[:1], secondary=written_goals[1:]),
        challenges=claims(getattr(pains, "challenges", [])) + stats["barriers"] + themes["challenges"],
        fears=claims(getattr(pains, "fears", [])),
        buying_behaviour=BuyingBehaviour(
            research_habits=stats["research"],
            decision_criteria=stats["criteria"], channels=stats["channels"],
            purchase_frequency=stats["frequency"], purchase_value=stats["spend"]),
        objections=[Objection(objection=with_ids(o.objection, o.evidence),
                              response=with_ids(as_action(o.response), o.evidence))
                    for o in getattr(objections, "objections", [])],
        selling_points=claims(getattr(positioning, "selling_points", [])),
        marketing_message=claim(positioning.marketing_message) if positioning else None,  # type: ignore[attr-defined]
        tone=claim(positioning.tone) if positioning else None,  # type: ignore[attr-defined]
        quotes=select_quotes(brief),
        journey=[JourneyStage(stage=j.stage, thinking=with_ids(j.thinking, j.evidence),
                              feeling=with_ids(j.feeling, j.evidence), doing=with_ids(j.doing, j.evidence))
                 for j in getattr(journey, "journey", [])],
    )
    if choice.signs:
        persona.buyer_type_reason = _type_reason(choice, persona, wording(brief.language), fallbacks)
    return mark_gaps(persona)


def place_type_reason(persona: Persona, brief: Brief) -> Persona:
    """``persona`` (in place) with the code's buyer-type reason put again on a stat with room, after the checks:
    the checks leave it out of the per-id cap (`claims.placed_last`), and a claim re-cited onto its stat since
    `assemble` (`recite`) would otherwise make a fourth. The model's own reason (no answer shows the type) stays."""
    if persona.buyer_type_reason is not None and persona.buyer_type_reason.origin != "stats":
        return persona
    choice = choose_type(brief.stats, persona.buyer_type)
    if choice.signs:
        persona.buyer_type_reason = None
        persona.buyer_type_reason = _type_reason(choice, persona, wording(brief.language),
                                                 stat_claims(brief)["fallbacks"])
    return persona


def _type_reason(choice: TypeChoice, persona: Persona, words: Wording, fallbacks: Mapping[str, Claim]) -> Claim | None:
    """The answer that shows the buyer type, of a stat that backs fewer than `MAX_CLAIMS_PER_ID` claims (a code claim
    on a fourth would push a written one off), the least used one first; None when every such stat backs its share
    already. A model-written gist or narrative counts as the code's stand-in for it too, which takes its place if it
    fails (`cleanup`): knowledge/'s enthusiasts' stand-in gist put a fourth claim on the reason's stat."""
    uses: dict[str, int] = {}
    standing = [claim for path, claim in iter_claims(persona) if not placed_last(path, claim)]
    standing += [fallbacks[path] for path in ("gist", "narrative")
                 if getattr(persona, path).text != fallbacks[path].text]
    for claim in standing:
        for evidence_id in claim.evidence:
            uses[evidence_id] = uses.get(evidence_id, 0) + 1
    free = [s for s in choice.signs if uses.get(s[0].stat_id, 0) < MAX_CLAIMS_PER_ID]
    if not free:
        return None
    stat, option = min(free, key=lambda s: (uses.get(s[0].stat_id, 0), -s[1].segment_share))
    return _option_claim(stat, option, words, words.answers.format(question=stat.question))


# "We offer a business account…": the small model states the answer to an objection as the shop's offer,
# which the research does not say (customers ask for it). Said as what to do, it is a recommendation.
_OFFER_AS_FACT = re.compile(r"^(?:we|our (?:shop|store|team|company)|the (?:shop|store|company|brand))\s+"
                            r"(?:can |could |will |should |already )?(offer|provide|give|send|deliver|add|introduce|"
                            r"guarantee|ensure|allow|let|make|show|keep)s?\b\s*", re.IGNORECASE)


def as_action(response: str) -> str:
    """An objection's response as what the shop can do ("Offer …"), not as a claim that it already does."""
    match = _OFFER_AS_FACT.match(response)
    if match is None:
        return response
    return match.group(1).capitalize() + " " + response[match.end():]


def mark_gaps(persona: Persona) -> Persona:
    """List the template sections left empty (nothing passed the checks, or no evidence), not a silence."""
    persona.no_evidence = [name for name, get in TEMPLATE_SECTIONS.items() if not get(persona)]
    return persona


def segment_ref(brief: Brief) -> SegmentRef:
    target = brief.target
    themes = [ThemeRef(theme_id=t.theme_id, label=t.label, respondents=t.respondents, customers=t.customers,
                       share=t.share, lift=t.lift) for t in brief.themes]
    return SegmentRef(segment_id=target.key if target.key.startswith("segment:") else None,
                      share_of_respondents=target.share, share_of_revenue=target.revenue_share,
                      respondents=target.size or None, themes=themes)


def _option_claim(stat: QuestionStat, option: OptionStat, words: Wording, lead: str = "") -> Claim:
    text = f"{lead + ': ' if lead else ''}{option.answer} ({words.shares(option.segment_share, option.overall_share)})"
    people = round(option.segment_share * stat.answered)
    return Claim(text=text, evidence=[stat.stat_id], origin="stats", respondents=people)


def stat_claims(brief: Brief) -> dict[str, Any]:
    """What the code says from the closed answers: a trait only where the segment is above everyone by
    more than the margin of error of its share."""
    demographics: dict[str, Claim] = {}
    channels: list[Claim] = []
    research: list[Claim] = []
    criteria: list[Claim] = []
    barriers: list[Claim] = []
    contact: list[Claim] = []
    situation: list[Claim] = []
    frequency = spend = None
    standouts: list[tuple[float, QuestionStat, OptionStat]] = []
    words = wording(brief.language)
    for stat in brief.stats:
        if stat.kind != "share":
            continue
        options = clear_traits(stat)
        if not options:
            continue
        role = question_role(stat.question)
        slot = _DEMOGRAPHIC_FIELDS.get(stat.dimension or "")
        best = max(options, key=lambda o: o.lift or 0)
        if slot and slot not in demographics:
            demographics[slot] = _option_claim(stat, max(options, key=lambda o: o.segment_share), words)
        elif role == "channels":
            channels += [_option_claim(stat, o, words, words.reached) for o in options[:2]]
        elif role == "research":
            research += [_option_claim(stat, o, words, words.follows) for o in options[:2]]
        elif role == "criteria":
            criteria += [_option_claim(stat, o, words, words.chooses) for o in options[:2]]
        elif role == "barriers":
            barriers += [_option_claim(stat, o, words, words.held_back) for o in options[:1]]
        elif role == "frequency" and frequency is None:
            frequency = _option_claim(stat, options[0], words, words.buys)
        elif role == "spend" and spend is None:
            spend = _option_claim(stat, options[0], words, words.spends)
        elif role == "contact":
            contact.append(_option_claim(stat, options[0], words, words.contact))
        elif role is None and not slot:  # the shop's own question about their situation ("What life stage is
            # the pet you mostly buy for?" on research B: very senior, 48 % vs 11 %), which no other field holds
            situation.append(_option_claim(stat, best, words, words.answers.format(question=stat.question)))
        standouts.append((best.lift or 0, stat, best))
    gist = _standout_claim(sorted(standouts, key=lambda s: -s[0])[:3], words) if standouts \
        else Claim(text=brief.header, evidence=[brief.target.key], origin="stats")
    habits = [c for c in (frequency, spend, criteria[0] if criteria else None, barriers[0] if barriers else None,
                          channels[0] if channels else research[0] if research else None) if c is not None]
    fresh = [c for c in habits if not set(c.evidence) & set(gist.evidence)]  # one id, not one more claim
    habits = fresh if len(fresh) >= 2 else habits
    narrative = _portrait_claim(habits, words) if len(habits) >= 2 else gist
    situation.sort(key=lambda c: -(c.respondents or 0))
    return {"demographics": demographics, "channels": channels[:3] + contact[:1], "research": research[:2],
            "criteria": criteria[:3], "situation": situation[:MAX_SITUATION],
            "barriers": barriers[:2], "frequency": frequency, "spend": spend, "themes": theme_claims(brief),
            "fallbacks": {"gist": gist, "narrative": narrative}}


def theme_claims(brief: Brief, summaries: Mapping[str, str] | None = None) -> dict[str, list[Claim]]:
    """What the segment's own words keep saying, from its themes (`Brief.claimed_themes`): the model's
    sentence for the theme (``summaries``, by theme id: `theme_summaries`) where it wrote one, else the
    code's — the theme's count, share and most central answer of its role (verbatim, in its language;
    `Brief.theme_labels`)."""
    found: dict[str, list[Claim]] = {field: [] for field in THEME_FIELDS.values()}
    for theme, role in brief.claimed_themes():
        people = theme.respondents + theme.customers
        summary = (summaries or {}).get(theme.theme_id)
        text = summary or wording(brief.language).say.format(
            people=theme.respondents, size=brief.segment_size, segment=f"{theme.share * 100:.0f}",
            overall=f"{theme.overall_share * 100:.0f}", words=brief.theme_labels.get(theme.theme_id, theme.label))
        found[THEME_FIELDS[role]].append(Claim(text=text, evidence=[theme.theme_id], origin="llm" if summary else
                                               "stats", respondents=None if summary else people))
    return found


# A theme's sentence says what the buyer wants, likes or suffers: one that does not start so is a copy of the
# customers' words ("Quality of the light roasts. Clean, sweet, …" on knowledge/), which the quotes already are;
# "Wants no invoice payment option" is the lead glued onto the complaint it answers (a wish is for something),
# "Wants to avoid having to pay by invoice" the wish turned round (the theme: invoices with 30-day terms).
_WISH_FOR_NOTHING = re.compile(r"^(?:wants|needs)\s+(?:to\s+)?(?:no|not|none|nothing|never|avoid\w*)\b", re.IGNORECASE)
# the same in the other languages' leads, a word (a pronoun) allowed before the negation: the 1.5B's Norwegian
# persona wrote "Ønsker jeg ikke at betale på factuur." for a theme of customers who need to pay by invoice
_LOCAL_WISH_FOR_NOTHING = re.compile(
    "^(?:" + "|".join(re.escape(leads["wish"]) for language, leads in THEME_LEADS.items() if language != "en") +
    r")\s+(?:\w+\s+)?(?:ikke|inte|niet|geen|nicht|kein\w*|не|нет|ei|pas|ne|n'|no|nada|aldri|aldrig|nooit|nie|никогда)"
    r"(?!\w)", re.IGNORECASE)
# A theme's sentence is one sentence (the decoder holds the local model to it, `sections.decode_schema`): two or
# more are the lead glued onto customers' words ("Likes the brew guides in the newsletter are actually useful,
# not just marketing. The subscription is reliable …"), which the theme's own claim states better.
_SENTENCES = re.compile(r"[.!?]\s+\S")


def theme_summaries(section: BaseModel | None, brief: Brief) -> dict[str, str]:
    """The model's sentence for each theme it was asked about (the first item citing that theme alone and
    saying a trait)."""
    asked = {theme.theme_id for theme, _ in brief.claimed_themes()}
    ids = {item.alias: item.evidence_id for item in brief.items}
    summaries: dict[str, str] = {}
    for item in getattr(section, "summaries", []):
        theme_id = ids.get(item.evidence[0]) if len(item.evidence) == 1 else None
        if theme_id in asked and TRAIT_LEAD.match(item.text) and not _WISH_FOR_NOTHING.match(item.text) \
                and not _LOCAL_WISH_FOR_NOTHING.match(item.text) \
                and not _SENTENCES.search(item.text.strip()):
            summaries.setdefault(theme_id, item.text)
    return summaries


def restore_themes(persona: Persona, findings: list[Finding], brief: Brief,
                   section: BaseModel | None) -> tuple[list[Finding], list[str]]:
    """Put the code's claim back where the model's sentence for a theme fails a rule (in place): the
    theme is stated either way, in the customers' words rather than not at all. The findings left,
    and a note per claim put back."""
    summaries = theme_summaries(section, brief)
    code = {claim.evidence[0]: claim for claims in theme_claims(brief).values() for claim in claims}
    failing = {f.path: f for f in findings if f.severity == "error" and f.source == "rules"}
    restored: dict[str, str] = {}
    for path, claim in iter_claims(persona):
        theme_id = claim.evidence[0] if claim.origin == "llm" and len(claim.evidence) == 1 else ""
        if path in failing and theme_id in code and summaries.get(theme_id) == claim.text:
            restored[path] = (f"{path}: the sentence for {theme_id} failed ({failing[path].check}: "
                              f"“{claim.text[:80]}”); the theme's own words stand")
            for name in ("text", "origin", "respondents"):
                setattr(claim, name, getattr(code[theme_id], name))
    return [f for f in findings if f.path not in restored], list(restored.values())


def _portrait_claim(habits: list[Claim], words: Wording) -> Claim:
    """How the segment buys, from the stat claims, for a narrative the model could not write (so it does
    not repeat the gist's standout answers)."""
    parts = [c.text[0].lower() + c.text[1:] if c.text[:1].isupper() and not c.text[1:2].isupper() else c.text
             for c in habits]
    people = min(c.respondents or 0 for c in habits)
    return Claim(text=f"{words.how_they_buy} — " + "; ".join(parts) + ".", evidence=list(dict.fromkeys(
        i for c in habits for i in c.evidence)), origin="stats", respondents=people or None)


def _standout_claim(standouts: list[tuple[float, QuestionStat, OptionStat]], words: Wording) -> Claim:
    """What most sets the segment apart, for a gist or narrative the model could not write."""
    parts = [f"{option.answer} ({words.shares(option.segment_share, option.overall_share, short=True)})"
             for _, _, option in standouts]
    people = min(round(option.segment_share * stat.answered) for _, stat, option in standouts)
    return Claim(text=f"{words.stands_out}: " + "; ".join(parts), evidence=[stat.stat_id for _, stat, _ in standouts],
                 origin="stats", respondents=people)


def select_quotes(brief: Brief, count: int = MAX_QUOTES) -> list[Quote]:
    """One quote from each of the segment's largest themes (a theme's quotes are already verbatim,
    customer-authored, 6+ words and picked for variety), in several languages where they exist."""
    quotes: list[Quote] = []
    languages: set[str] = set()
    for theme in brief.themes:
        if len(quotes) >= count:
            break
        choices = sorted(theme.quotes, key=lambda q: q.language in languages)  # a new language first
        if choices:
            quote = choices[0]
            quotes.append(Quote(text=quote.text, evidence_id=quote.evidence_id, language=quote.language,
                                theme_id=theme.theme_id))
            languages.add(quote.language)
    return quotes
