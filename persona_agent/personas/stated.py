"""Whether a sentence states one of a segment's traits that a closed-question stat shows.

The support score cannot see it: a stat's pieces carry its question, and "Delivery takes too long." scores
-0.05 against its own answer; "Wants reliable delivery and invoicing for the office." -0.06 against "What
matters most to you when choosing where to buy coffee? Reliable delivery and invoicing" (75 % vs 17 %). A
sentence that names an answer its segment clearly gives more than everyone, and denies none of the stat's
traits, says the stat. Chat answers (`talk.evidence`) and persona claims (`personas.grounding`) both use it.
"""

from __future__ import annotations

import re

from persona_agent.analysis.models import QuestionStat
from persona_agent.personas import contradiction
from persona_agent.personas.support import SUPPORT_THRESHOLD, Piece, SupportScorer, atoms

# "I would not order again if the products were out of stock" (research B, the 1.5B's restatement of a barrier stat):
# the negation is the question's ("what would stop you from ordering again?"), the reason follows "if"
_CONDITION = re.compile(r"^(?P<main>.+?)\b(?:if|when|because|hvis|når|fordi|om|när|eftersom|als|wanneer|omdat|wenn|"
                        r"weil|если|когда|потому что)\b(?P<condition>.+)$", re.IGNORECASE)
_CONCEDES = re.compile(r"\b(?:even if|even when|selv om|även om|zelfs als|auch wenn|selbst wenn|даже если)\b",
                       re.IGNORECASE)  # "I would order again even if …": not what stops them


def answer_similarity(scorer: SupportScorer, question: str) -> contradiction.Similarity:
    """How well a clause matches each answer of ``question`` (CSLS, as support scores a stat's answers)."""
    return lambda clause, answers: [scorer.score(clause, [Piece(f"{question} {a}", "en")]) for a in answers]


def states_stat(scorer: SupportScorer, sentence: str, stat: QuestionStat) -> bool:
    """Whether ``sentence`` names an answer ``stat``'s segment clearly gives more than everyone ("I would stop ordering
    again if the products are out of stock" for "Products out of stock 55 % vs 15 %") and denies none of its
    traits (`contradiction.stat_direction`). The support score cannot see it: a stat's pieces carry its question,
    and "Delivery takes too long." scores -0.05 against its own answer. A clause is matched to an answer by its
    words, or by the embedder (another language) when the sentence is about the stat at all (`SUPPORT_THRESHOLD`)."""
    if stat.kind != "share" or _CONCEDES.search(sentence):
        return False
    if (condition := _CONDITION.match(sentence)) and contradiction.polarity(condition["main"]) <= 0:
        sentence = condition["condition"]  # "I would not order again if the products were out of stock": the reason
    about = scorer.score(sentence, [Piece(f"{stat.question} {o.answer}", "en") for o in stat.options])
    similar = answer_similarity(scorer, stat.question) if about >= SUPPORT_THRESHOLD else None
    if contradiction.stat_direction(sentence, stat, similar) is not None:
        return False
    above = {o.answer for o in stat.options if o.segment_share - o.margin > o.overall_share}  # as `plain_line` shows
    answers = [o.answer for o in stat.options]
    stated = False
    for clause in contradiction.clauses(sentence):
        # "… out of stock or delivery takes too long" names two answers by their words; else the closest one
        named = {o.answer for o in contradiction.mentioned_options(clause, stat)} or \
            {contradiction.answer_for(clause, answers, similar)} - {None}
        if contradiction.polarity(clause) > 0 and any(contradiction.answer_side(stat.question, str(answer)) < 0
                                                     for answer in named):
            return False  # praise of what they complain of: told "Delivery takes too long", the 1.5B wrote "I
            # appreciate the quick delivery service provided by Fjordbrew" (wanting what they choose on is no clash:
            # "Wants reliable delivery and invoicing" reads as a lack, the answer "Reliable delivery…" as praise)
        stated = stated or bool(named & above)
    return stated


def says_through_stats(scorer: SupportScorer, text: str, pieces: list[Piece], stats: list[QuestionStat],
                       threshold: float) -> bool:
    """Whether a claim citing ``stats`` says what its evidence says through them: one of its atoms states a stat
    (`states_stat`) and every other atom is supported by the cited ``pieces`` (``threshold``) or states one too.
    "Wants reliable delivery and invoicing for the office." (knowledge/, the office segment's choice stat) was
    removed at -0.06."""
    named = False
    for atom in atoms(text):
        if any(states_stat(scorer, atom, stat) for stat in stats):
            named = True
        elif scorer.score(atom, pieces) < threshold:
            return False
    return named
