"""What a persona answers from: its segment's research, not only the few ids its claims cite.

For a question, a persona sees its segment's themes (counted, with customers' words), the stats of
its segment, its own respondents' answers and its linked customers' interview turns that fit the
question (language-balanced retrieval), and the evidence it cites — each under a short alias (E1…En)
that the code maps back to an evidence id.

Whether an answer is grounded is decided here too, not by the model's say-so: an answer counts as
``cited`` only if the question is one the segment's research speaks to (`COVER_THRESHOLD`: a line says
something close to it, or its customer was asked something close to it, `question_pieces`) and at
least one sentence of the answer is supported by evidence it cites (`ANSWER_THRESHOLD`, the same
CSLS measure as persona claims); otherwise it is ``extrapolated``. An answer that cites nothing but
says what offered lines say is credited to those lines (`said_lines`), unless it admits not knowing.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from persona_agent.analysis.models import QuestionStat
from persona_agent.core.evidence import Evidence
from persona_agent.engine.store import EvidenceStore
from persona_agent.personas.context import shop_names
from persona_agent.personas.grounding import NARRATES
from persona_agent.personas.numbers import unsupported
from persona_agent.personas.schema import Persona
from persona_agent.personas.stated import states_stat
from persona_agent.personas.support import (
    WRITTEN_THRESHOLD,
    Piece,
    SupportScorer,
    atoms,
    evidence_pieces,
)
from persona_agent.research.authorship import asked_words, customer_words
from persona_agent.talk.unmentioned import Vocabulary

COVER_THRESHOLD = -0.05  # CSLS of the question against the best piece of `question_pieces` (tuned on the chat set)
# CSLS of an answer sentence against a cited piece: the threshold a persona's written claims are held to,
# since an answer sentence is a claim the model wrote about the persona. At the pair-level -0.09, 6 of 9
# questions the research does not cover ("What car do you drive?") got a cited answer in
# benchmarks/chat_quality.py: the model's sentences about unrelated lines score in the same -0.09..-0.03
# band as its padded claims (benchmarks/precision.py).
ANSWER_THRESHOLD = WRITTEN_THRESHOLD
# A question one line clearly answers (`clearly_covered`): the best line's score and its lead over the median
# offered line. On benchmarks/chat_quality.py's questions (where they were chosen) 17 of 42 covered (question,
# persona) pairs are above both and none of 19 uncovered ones; alone, the score lets 5 uncovered pairs through
# ("What do you think of our plan to sell coffee capsules?" scores 0.006) and the lead 1 ("What car do you drive?").
CLEAR_SCORE = 0.0
CLEAR_MARGIN = 0.09
LINE_CHARS = 260
MIN_WORDS = 4  # an answer shorter than this is credited to no line it did not cite (like a too-short claim)
# A run of this many words copied from what customers wrote in a line, two of them long, says what the line says
# whatever the embedder scores: the 1.5B answers in the question's language by pasting the line's own words, and
# "Jag vill ändra i prenumerationen, men det enda alternativet var att avsluta den." scored -0.05 against the theme
# quoting "…det enda alternativet var att avsluta den" (research B; the threshold is -0.03)
COPIED_WORDS = 4
COPIED_LONG = 5  # letters of a long word
_WORDS = re.compile(r"[^\W\d_]+")
_QUOTED = re.compile(r"“([^”]+)”")


@dataclass
class Offered:
    """The evidence offered for one question, with aliases."""

    items: list[Evidence]
    # the evidence behind the persona's card (its claims and quotes): not shown as lines, but an answer
    # that repeats the card says what they say, so it may be credited to them (`said_lines`)
    card: list[Evidence] = field(default_factory=list)

    @property
    def aliases(self) -> dict[str, Evidence]:
        return {f"E{n}": e for n, e in enumerate(self.items, start=1)}

    def render(self) -> str:
        lines = []
        for alias, item in self.aliases.items():
            words = customer_words(item) or item.text
            words = " ".join(words.split())
            if len(words) > LINE_CHARS:
                words = words[:LINE_CHARS].rsplit(" ", 1)[0] + "…"
            kind = str(item.metadata.get("analysis") or item.kind).replace("segment_stat", "stat")
            language = item.metadata.get("language", "")
            lines.append(f"{alias} ({kind}{', ' + str(language) if language else ''}) {words}")
        return "\n".join(lines)


@dataclass
class SegmentResearch:
    """One segment's research in the store, found through the analysis files."""

    store: EvidenceStore
    analysis_dir: Path | None
    _vocabulary: tuple[int, Vocabulary] | None = field(default=None, init=False, repr=False)

    def vocabulary(self) -> Vocabulary:
        """The research's words (`talk.unmentioned`), read again when the store grows."""
        count = self.store.count()
        if self._vocabulary is None or self._vocabulary[0] != count:
            evidence = self.store.get(list(self.store.metadata_where()))
            self._vocabulary = count, Vocabulary((e.text for e in evidence),
                                                 {str(e.metadata.get("language") or "") for e in evidence})
        return self._vocabulary[1]

    def _read(self, name: str) -> Any:
        if self.analysis_dir is None:
            return None
        path = self.analysis_dir / name
        return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None

    def respondents(self, segment_id: str) -> list[str]:
        for item in (self._read("segments.json") or {}).get("segments", []):
            if item["segment_id"] == segment_id:
                return list(item["respondent_ids"])
        return []

    def interviews(self, segment_id: str) -> list[str]:
        links = (self._read("themes.json") or {}).get("interviews", [])
        return [link["source"] for link in links if link.get("segment_id") == segment_id]

    def stats(self) -> dict[str, QuestionStat]:
        """Every segment's closed-question stats, by their evidence id."""
        return {stat.stat_id: stat for stat in map(QuestionStat.model_validate, self._read("stats.json") or [])}

    def shop_names(self) -> set[str]:
        """The shop's names, as its survey questions use them (`personas.context.shop_names`)."""
        return shop_names(list(self.stats().values()))

    def analysis_ids(self, segment_id: str) -> list[str]:
        """The segment's themes, stats and value, as stored."""
        found = self.store.metadata_where({"segment_id": segment_id})
        return sorted(i for i, meta in found.items() if meta.get("analysis") in ("theme", "segment_stat",
                                                                                 "segment_value"))

    def offer(self, persona: Persona, question: str, *, k: int = 10) -> Offered:
        """Up to about ``k`` pieces of evidence for ``question``: the segment's themes and stats that
        fit it best, its respondents' answers and customers' interview turns, the persona's own."""
        segment_id = (persona.segment.segment_id or "").removeprefix("segment:")
        found: dict[str, Evidence] = {}

        def add(items: list[Evidence], limit: int) -> None:
            for item in items[:limit]:
                found.setdefault(item.evidence_id, item)

        if segment_id:
            analysis = self.store.get(self.analysis_ids(segment_id))
            add(self.store.rank(question, analysis), 4)
            respondents = self.respondents(segment_id)
            if respondents:
                where = {"$and": [{"kind": "survey"}, {"respondent_id": {"$in": respondents[:500]}}]}
                add([hit.evidence for hit in self.store.search(question, k=4, where=where)], 4)
            sources = self.interviews(segment_id)
            if sources:
                where = {"$and": [{"kind": "interview"}, {"source": {"$in": sources}}]}
                add([hit.evidence for hit in self.store.search(question, k=2, where=where)], 2)
        cited = self.store.get(persona.provenance.evidence_ids if persona.provenance else [])
        add(self.store.rank(question, cited), 3)
        if not found:
            add([hit.evidence for hit in self.store.search(question, k=k)], k)
        items = list(found.values())[: k + 3]
        shown = {item.evidence_id for item in items}
        return Offered(items, card=[item for item in cited if item.evidence_id not in shown])


def question_pieces(item: Evidence) -> list[Piece]:
    """What a line may match of a question: what it says (`evidence_pieces`) and what its customer was asked
    (`asked_words`: the survey question, the interviewer's lines). The research speaks to a question customers
    were asked: "Hva ville fått deg til å handle mer hos oss?" scores -0.186 against the customer's answer "En
    tydelig ingrediensliste med allergener, …" and +0.189 against the interviewer's "Hva ville fått deg til å
    handle mer?" (research B)."""
    asked = asked_words(item)
    return evidence_pieces(item) + [Piece(line, "") for line in (asked or "").split("\n") if line.strip()]


def covered(scorer: SupportScorer | None, question: str, offered: Offered) -> tuple[bool, float]:
    """Whether the offered evidence speaks to the question, and the best score."""
    if scorer is None or not scorer.calibrated:
        return True, 0.0
    pieces = [p for item in offered.items for p in question_pieces(item)]
    if not pieces:
        return False, -1.0
    best = max(scorer.score(part, pieces) for part in atoms(question))
    return best >= COVER_THRESHOLD, best


def line_scores(scorer: SupportScorer, question: str, offered: Offered) -> list[tuple[float, str]]:
    """(score, alias) of each offered line against the question, best first: by what the line says, since these
    are the lines an answer is asked for from. What its customer was asked does not count here (it does for
    `covered`): answers to the survey question closest to "What would stop you from ordering again?" include ones
    that say nothing of it, and asked again from such lines, the office persona of knowledge/ said "I don't know."
    where it had answered from the lines closest in words."""
    parts = atoms(question)
    scored = [(max(scorer.score(part, evidence_pieces(item)) for part in parts), alias)
              for alias, item in offered.aliases.items() if evidence_pieces(item)]
    return sorted(scored, key=lambda pair: -pair[0])


def closest_aliases(scorer: SupportScorer, question: str, offered: Offered, count: int = 3) -> list[str]:
    """The aliases of the offered lines that speak to the question best, best first."""
    return [alias for score, alias in line_scores(scorer, question, offered)[:count] if score >= COVER_THRESHOLD]


def clearly_covered(scorer: SupportScorer | None, question: str, offered: Offered) -> bool:
    """Whether one offered line clearly answers the question: it scores at least `CLEAR_SCORE` and stands
    `CLEAR_MARGIN` above the median line. A question the research does not cover is often close to a block
    of lines that are all somewhat alike ("What car do you drive?" and the demographic stats), not to one."""
    if scorer is None or not scorer.calibrated:
        return False
    scores = [score for score, _ in line_scores(scorer, question, offered)]
    return bool(scores) and scores[0] >= CLEAR_SCORE and scores[0] - float(np.median(scores)) >= CLEAR_MARGIN


# An answer that admits the research does not tell (en, no, da, sv, nl, de): never credited to lines it did not cite
# ("I don't know which product is right for my pet", "I am not sure which product…" is what a customer said, not an
# admission; "As an AI language model, I do not have personal preferences… I would stop ordering…" is a refusal)
_UNSURE = re.compile(r"\b(?:(?:i don'?t know|i do not know|i'?m not sure|i am not sure|jeg vet ikke|jeg ved ikke|"
                     r"jag vet inte|ik weet (het )?niet|ich weiß (es )?nicht)"
                     r"(?=\s*(?:[.,!;:…]|$|(?:if|whether|about|hvis|om|of|ob)\b))|"
                     r"i'?m guessing|i am guessing|no idea|i'?m sorry, but i (?:don'?t|do not) have|"
                     r"as an ai\b|"
                     r"jeg gjetter|jeg gætter|jag gissar|ik gok|ich vermute)\b", re.IGNORECASE)


# An answer that talks about its evidence instead of answering ("The evidence lines E1 and E2 suggest that
# people like me…", "E2: Segment S3, …"): on the benchmark run 9 of the 11 cited answers to questions the
# research does not cover did this (and 3 of the 28 cited covered ones) — the small model's way to dodge
_NAMES_LINES = re.compile(r"\bevidence lines?\b|\bthe lines you (?:provided|gave|shared)\b|(?<![\w-])E\d+\s*:|"
                          r"\b(?:lines?|E\d+)(?:,? (?:and )?E\d+)* "
                          r"(?:says?|suggests?|shows?|indicates?|mentions?|speaks?|states?)\b", re.IGNORECASE)


# The same in the other languages questions come in: a persona does not speak of "the interview", "the respondents"
# or "the survey" (a Swedish answer on the benchmark: "I det här avsnittet står en mening från en interview med en
# kund, som beskriver vad de tycker om våra leveranser.", counted cited)
_NARRATES_ELSEWHERE = re.compile(
    r"\b(?:respondent(?:en|er|erne|ene|erna|ernas)|befragten?|интервью|респондент\w*|опрос\w*|"
    r"(?:et|ett|en|an|the|dem|einem|het|in|i|fra|från|aus) (?:interview|intervju)|interview(?:et|en) (?:med|met|mit)|"
    r"intervju(?:et|n)|undersøkelsen|undersøgelsen|undersökningen|spørreundersøkelsen|enkäten|de enquête|"
    r"(?:die|der|laut) umfrage|(?:i|in) (?:det här|dette|denne) avsnitt(?:et)?|mening från en)\b", re.IGNORECASE)


def narrates(answer: str) -> bool:
    """Whether the answer talks about the evidence rather than answering as the persona: what a persona
    claim may not do either (`grounding.NARRATES`), naming the lines by alias, or speaking of the interview,
    the respondents or the survey (`_NARRATES_ELSEWHERE`, in the other languages of the question set)."""
    return bool(NARRATES.search(answer) or _NAMES_LINES.search(answer) or _NARRATES_ELSEWHERE.search(answer))


def admits_not_knowing(answer: str) -> bool:
    """Whether the answer says it does not know ("I don't know. The evidence lines E1 … suggest …"): then it
    answers nothing, whatever it cites."""
    return bool(_UNSURE.search(answer))


def customers_said(item: Evidence) -> str:
    """What customers wrote in a line: an answer, an interview turn, a theme's typical quotes ("" for a stat)."""
    if item.metadata.get("analysis") == "theme":
        return " ".join(_QUOTED.findall(item.text))
    return customer_words(item) or ""


def _runs(text: str, asked: str = "") -> set[tuple[str, ...]]:
    """The text's runs of `COPIED_WORDS` words with two long words the question ``asked`` does not have."""
    words, known = _WORDS.findall(text.casefold()), set(_WORDS.findall(asked.casefold()))
    runs = (tuple(words[i:i + COPIED_WORDS]) for i in range(len(words) - COPIED_WORDS + 1))
    return {run for run in runs if sum(len(word) >= COPIED_LONG and word not in known for word in run) >= 2}


def copies(sentences: list[str], item: Evidence, asked: str = "") -> bool:
    """Whether a sentence copies a run of `COPIED_WORDS` words that customers wrote in the line, two of them long
    and not in the question ``asked`` (an answer that echoes the question copies nothing from the line)."""
    said = customers_said(item)
    line = _runs(said, asked) if said else set()
    return bool(line) and any(_runs(sentence, asked) & line for sentence in sentences)


def supported_ids(scorer: SupportScorer | None, answer: str, cited: list[Evidence],
                  stats: dict[str, QuestionStat] | None = None, asked: str = "") -> list[str]:
    """The cited ids that support at least one sentence of the answer, best-supported first. A sentence with a
    figure the line does not state supports nothing ("I spend about 2-3 hours a week walking my dogs", credited to
    an interview turn about dog walks). A sentence that copies customers' words from the line says it (`copies`,
    the question ``asked`` aside). With ``stats``, a stat line is also said by a sentence that names one of the
    answers its segment clearly gives more than everyone, without denying it (`states_stat`)."""
    if scorer is None or not scorer.calibrated:
        return [e.evidence_id for e in cited]
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", answer) if len(s.split()) >= 3] or [answer]
    scored = []
    for item in cited:
        pieces: list[Piece] = evidence_pieces(item)
        fitting = [s for s in sentences if not unsupported(s, [item.text])]
        best = max((scorer.score(sentence, pieces) for sentence in fitting), default=-1.0)
        stat = (stats or {}).get(item.evidence_id)
        if (best >= ANSWER_THRESHOLD or copies(fitting, item, asked)
                or (stat is not None and any(states_stat(scorer, s, stat) for s in fitting))):
            scored.append((best, item.evidence_id))
    return [evidence_id for _, evidence_id in sorted(scored, key=lambda pair: -pair[0])]


def said_lines(scorer: SupportScorer | None, answer: str, offered: Offered, limit: int = 3,
               asked: str = "") -> list[str]:
    """The offered lines (or the evidence behind the persona's card) an answer says although it cites
    none of them (a small model often answers from a line or its card, even in its words, and then writes
    "Evidence: none"): the best ``limit`` that support one of its sentences. None for an answer that
    admits it does not know."""
    if scorer is None or not scorer.calibrated or admits_not_knowing(answer) or len(_WORDS.findall(answer)) < MIN_WORDS:
        return []
    return supported_ids(scorer, answer, offered.items + offered.card, asked=asked)[:limit]
