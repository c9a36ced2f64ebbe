"""Contradictions, which similarity cannot see: a claim that says the opposite of its evidence.

Three deterministic checks, then an optional LLM verifier for what they cannot decide:
- **stat direction**: a claim that names an answer of a cited stat must agree with the stat — an
  answer less common in this segment than among all respondents (lift below 1) is not this persona's
  trait, and a claim that negates a distinctive answer ("rarely watches YouTube" where YouTube is 75 %
  vs 24 %) contradicts it;
- **polarity**: a claim of satisfaction about what the evidence complains about (or the reverse) —
  judged with a small multilingual lexicon of praise and complaint words and negation;
- **another segment's trait**: a claim that matches another segment's distinctive evidence much
  better than anything this persona's segment said.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from persona_agent.analysis.models import OptionStat, QuestionStat

_WORD = re.compile(r"[^\W\d_]+")
NEGATION = frozenset(
    "not no never rarely seldom hardly barely don't doesn't didn't isn't aren't won't without nor neither avoids "
    "avoid ignores ignore lacks ikke aldri sjelden ingen uten ikke nie selten kein keine nicht ohne niet nooit zelden "
    "geen zonder inte aldrig sällan utan не нет никогда редко без".split())
PRAISE = frozenset(
    "love loves loved great excellent happy satisfied pleased enjoys enjoy easy reliable fast quick friendly helpful "
    "perfect fantastic wonderful delighted trusts trust impressed fine good best fond likes like appreciate "
    "appreciates "
    "elsker flott fantastisk fornøyd tilfreds glad enkel enkelt pålitelig rask raskt hjelpsom god godt bra perfekt "
    "elsker dejlig hurtig pålidelig let nem prima geweldig tevreden blij makkelijk betrouwbaar snel handig goed "
    "fijn liebe toll zufrieden einfach zuverlässig schnell hilfreich gut super perfekt älskar nöjd enkelt pålitlig "
    "snabb hjälpsam люблю отлично доволен довольна удобно надёжно быстро хорошо прекрасно".split())
COMPLAINT = frozenset(
    "expensive pricey costly annoyed annoying frustrated frustrating angry disappointed unhappy dissatisfied late "
    "slow broken damaged torn missing lost stockouts stock-outs complain complains complaint hate hates difficult "
    "hard confusing unclear problem problems worried worry fears afraid hassle wrong bad worse worst poor rude "
    "dyr dyrt dyre irritert irriterende skuffet sen sent treg ødelagt knust mangler problem vanskelig utsolgt "
    "bekymret udsolgt irriteret skuffet langsom duur boos teleurgesteld laat traag kapot beschadigd ontbreekt "
    "uitverkocht lastig onduidelijk teuer ärgerlich enttäuscht spät langsam kaputt beschädigt fehlt ausverkauft "
    "schwierig unklar besviken dyrt försenad långsam trasig saknas slutsåld krångligt oklart дорого дорогой "
    "разочарован поздно медленно сломан сломана порван нет в наличии проблема сложно непонятно".split())
_TOO = re.compile(r"\b(too|for|altfor|alt for|te|zu|för|слишком)\s+\w+", re.IGNORECASE)


@dataclass(frozen=True)
class Verdict:
    check: str  # not_distinctive | contradicted | other_segment
    problem: str


def polarity(text: str) -> int:
    """+1 praise, -1 complaint, 0 neutral or mixed; a negation within 3 words flips a sentiment word."""
    words = [w.casefold() for w in _WORD.findall(text)]
    score = 0
    for index, word in enumerate(words):
        value = 1 if word in PRAISE else -1 if word in COMPLAINT else 0
        if value and any(w in NEGATION for w in words[max(0, index - 3):index]):
            value = -value
        score += value
    if _TOO.search(text):  # "too expensive", "for dyrt", "te duur", "слишком дорого"
        score -= 1
    return (score > 0) - (score < 0)


def _content(text: str) -> set[str]:
    return {w.casefold() for w in _WORD.findall(text) if len(w) > 3}


def mentioned_options(claim: str, stat: QuestionStat) -> list[OptionStat]:
    """Answers of ``stat`` the claim names (most of the answer's content words appear in it)."""
    words = _content(claim)
    found = []
    for option in stat.options:
        needed = _content(option.answer)
        if needed and len(needed & words) / len(needed) >= 0.6:
            found.append(option)
    return found


def stat_direction(claim: str, stat: QuestionStat) -> Verdict | None:
    """A claim about a stat's answer that the stat does not show as this segment's trait."""
    for option in mentioned_options(claim, stat):
        own = {w.casefold() for w in _WORD.findall(option.answer)}  # "No invoice payment option" is no negation
        negated = any(w.casefold() in NEGATION and w.casefold() not in own for w in _WORD.findall(claim))
        lift = option.lift if option.lift is not None else 0.0
        if negated and lift >= 1.2:
            return Verdict("contradicted", f"negates “{option.answer}”, which this segment shows more than "
                                           f"everyone ({option.segment_share * 100:.0f} % vs "
                                           f"{option.overall_share * 100:.0f} %)")
        if not negated and lift < 1.0:
            return Verdict("not_distinctive", f"“{option.answer}” is less common in this segment than among all "
                                              f"respondents ({option.segment_share * 100:.0f} % vs "
                                              f"{option.overall_share * 100:.0f} %)")
    return None


def polarity_clash(claim: str, evidence_texts: list[str]) -> Verdict | None:
    """The claim praises what every cited text complains about, or complains about what they praise."""
    mine = polarity(claim)
    theirs = [polarity(text) for text in evidence_texts]
    if mine == 0 or not theirs or any(p == mine for p in theirs) or all(p == 0 for p in theirs):
        return None
    if all(p in (0, -mine) for p in theirs):
        word = "satisfaction" if mine > 0 else "a complaint"
        return Verdict("contradicted", f"states {word} where the cited evidence says the opposite")
    return None


OTHER_SEGMENT_MARGIN = 0.08  # how much better another segment's evidence must match
OTHER_SEGMENT_LIFT = 1.5


def other_segment(own_score: float, other: tuple[str | None, float], other_lift: float | None) -> Verdict | None:
    """The claim fits another segment's distinctive evidence clearly better than its own."""
    key, score = other
    if key is None or other_lift is None or other_lift < OTHER_SEGMENT_LIFT:
        return None
    if score >= own_score + OTHER_SEGMENT_MARGIN:
        return Verdict("other_segment", f"fits another segment's trait ({key}, lift {other_lift:.1f}) better "
                                        f"than this segment's evidence ({score:.2f} vs {own_score:.2f})")
    return None
