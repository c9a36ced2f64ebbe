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
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from persona_agent.analysis.models import OptionStat, QuestionStat

_WORD = re.compile(r"[^\W\d_]+")
NEGATION = frozenset(
    "not no never rarely seldom hardly barely don't doesn't didn't isn't aren't won't wasn't can't cannot couldn't "
    "without nor neither avoids nothing "
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


_CLAUSE = re.compile(r"\s*[;,:.!?]\s*|\s+(?=(?:rather than|instead of|but|men|maar|aber|но|snarere enn|i stedet for|in plaats van|statt|istället för)\b)",
                     re.IGNORECASE)
_NEGATED_PHRASE = re.compile(r"\b(rather than|instead of|not as|no longer|cares? little|little interest|snarere enn|i stedet for|"
                             r"in plaats van|statt|istället för|ligeglad\w*|likegyldig\w*|onverschillig\w*|gleichgültig\w*|"
                             r"egal|ointresserad\w*)\b", re.IGNORECASE)
_NEGATIVE_QUESTION = re.compile(r"\b(stop|stops|prevent|prevents|hold|holds|annoy|annoys|barrier|problem|wrong|keeps? you)\b",
                                re.IGNORECASE)


def clauses(text: str) -> list[str]:
    """``text`` cut at punctuation and before contrasts ("rather than", "but"), each clause with its own negation."""
    return [c.strip() for c in _CLAUSE.split(text) if c and _WORD.search(c)]


def negated(clause: str, own: str = "", question: str = "") -> bool:
    """Whether ``clause`` is negated: a negation word or phrase that is not part of ``own`` (the answer it is
    about: "No invoice payment option" is no negation) nor, when ``question`` is itself negative ("what stops
    you from buying more?"), the question's own verb ("they don't buy more")."""
    if _NEGATED_PHRASE.search(clause):
        return True
    skip = {w.casefold() for w in _WORD.findall(own)}
    words = [w.casefold() for w in _WORD.findall(clause)]
    asked = {w.casefold()[:4] for w in _WORD.findall(question) if len(w) > 3} if _NEGATIVE_QUESTION.search(question) \
        else set()
    for index, word in enumerate(words):
        if word in NEGATION and word not in skip:
            following = [w[:4] for w in words[index + 1:index + 3] if len(w) > 3]
            if any(f in asked for f in following):
                continue
            return True
    return False


def _content(text: str) -> set[str]:
    return {w.casefold() for w in _WORD.findall(text) if len(w) > 3}


def _same_word(a: str, b: str) -> bool:
    """"gift" ~ "gifts", "stock" ~ "stock-outs": one word begins with the other (4+ letters), or both with the same 5."""
    short, long = sorted((a, b), key=len)
    return long.startswith(short) if len(short) >= 4 else a == b


def overlap(text: str, answer: str) -> float:
    """The share of the answer's content words that ``text`` contains."""
    words = _content(text)
    needed = _content(answer)
    if not needed:
        return 0.0
    return sum(1 for n in needed if any(_same_word(n, w) for w in words)) / len(needed)


def mentioned_options(claim: str, stat: QuestionStat) -> list[OptionStat]:
    """Answers of ``stat`` the claim names (most of the answer's content words appear in it)."""
    return [o for o in stat.options if overlap(claim, o.answer) >= 0.6]


Similarity = Callable[[str, list[str]], list[float]]
OPTION_MARGIN = 0.02  # how much better the best answer must match a clause than the next one, by embedding
OPTION_OVERLAP = 0.5


def answer_for(clause: str, answers: list[str], similarity: Similarity | None) -> str | None:
    """The answer a clause is about: the one with most of its words in the clause (half or more), else the
    answer the embedder ranks first by a clear margin (cross-language: "Google-søk" → "Google search")."""
    if not answers:
        return None
    scored = sorted(((overlap(clause, a), a) for a in answers), reverse=True)
    if scored[0][0] >= OPTION_OVERLAP and (len(scored) == 1 or scored[0][0] > scored[1][0]):
        return scored[0][1]
    if similarity is None:
        return None
    close = sorted(zip(similarity(clause, answers), answers, strict=True), reverse=True)
    if len(close) == 1 or close[0][0] - close[1][0] >= OPTION_MARGIN:
        return close[0][1]
    return None


def stat_direction(claim: str, stat: QuestionStat, similarity: Similarity | None = None,
                   elsewhere: Sequence[str] = ()) -> Verdict | None:
    """A claim about a stat's answer that the stat does not show as this segment's trait.

    Each clause of the claim is matched to one answer (`answer_for`, among the stat's answers and
    ``elsewhere``: answers only other segments give, which this segment gives too rarely to be listed).
    A negated clause about an answer this segment gives more than everyone contradicts the stat; a
    plain clause about an answer it gives less than everyone (or not at all) is not its trait. Mean
    stats (satisfaction, likelihood to recommend) compare the claim's polarity with the mean's side."""
    if stat.kind == "mean":
        return mean_direction(claim, stat)
    options = {o.answer: o for o in stat.options}
    answers = list(options) + [a for a in elsewhere if a not in options]
    for clause in clauses(claim):
        answer = answer_for(clause, answers, similarity)
        if answer is None:
            continue
        option = options.get(answer)
        lift = option.lift if option is not None and option.lift is not None else 0.0
        mine = f"{option.segment_share * 100:.0f} % vs {option.overall_share * 100:.0f} %" if option else "not listed"
        if negated(clause, answer, stat.question):
            if lift >= 1.2:
                return Verdict("contradicted", f"negates “{answer}”, which this segment gives more than everyone "
                                               f"({mine})")
        elif lift < 1.0:
            return Verdict("not_distinctive", f"“{answer}” is less common in this segment than among all "
                                              f"respondents ({mine})")
    return None


def mean_direction(claim: str, stat: QuestionStat) -> Verdict | None:
    """Satisfied / likely to recommend where the segment's mean is below everyone's (beyond its margin), or
    the reverse."""
    if stat.segment_mean is None or stat.overall_mean is None:
        return None
    gap = stat.segment_mean - stat.overall_mean
    if abs(gap) <= (stat.mean_margin or 0.0):
        return None
    side = polarity(claim)
    if side and (side > 0) != (gap > 0):
        return Verdict("contradicted", f"says {'high' if side > 0 else 'low'} where this segment's mean is "
                                       f"{'below' if gap < 0 else 'above'} everyone's ({stat.segment_mean:.1f} vs "
                                       f"{stat.overall_mean:.1f})")
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
