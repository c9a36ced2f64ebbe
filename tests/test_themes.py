"""Segment stats and themes: counted before any LLM call, language-neutral, verbatim customer quotes."""

from __future__ import annotations

import numpy as np
import pytest

from persona_agent.analysis.models import Segment, SegmentationResult
from persona_agent.analysis.stats import distinctive_options, margin_of_error, question_slug, stat_text
from persona_agent.analysis.themes import centre_by_language, cluster, find_themes, quote_text
from persona_agent.core.evidence import Evidence
from persona_agent.research.authorship import customer_words

DIM = 16


def unit(vector: np.ndarray) -> np.ndarray:
    return vector / np.linalg.norm(vector)


class VectorStore:
    """Just what `find_themes` reads: chunks with the vectors ingest stored."""

    def __init__(self, rows: list[tuple[Evidence, np.ndarray]]) -> None:
        self.rows = rows

    def with_vectors(self, where: dict) -> list[tuple[Evidence, list[float]]]:
        return [(e, v.tolist()) for e, v in self.rows if e.kind == where["kind"]]


TOPICS = {"shipping": 0, "stock": 1, "gift": 2}
LANGUAGE_OFFSET = {"en": 3, "no": 4}  # a same-language bias stronger than the topic signal
SAYINGS = {
    ("shipping", "en"): "Shipping is far too expensive for a single bag of coffee",
    ("shipping", "no"): "Frakten er altfor dyr for bare én pose kaffe hver gang",
    ("stock", "en"): "My favourite beans are out of stock again this month sadly",
    ("stock", "no"): "Favorittbønnene mine er utsolgt igjen denne måneden dessverre",
    ("gift", "en"): "I buy the gift box for my parents every single Christmas",
    ("gift", "no"): "Jeg kjøper gaveesken til foreldrene mine hver eneste jul",
}


def survey_row(respondent: str, topic: str, language: str, jitter: int) -> tuple[Evidence, np.ndarray]:
    rng = np.random.default_rng(jitter)
    vector = np.zeros(DIM)
    vector[TOPICS[topic]] = 1.0
    vector[LANGUAGE_OFFSET[language]] = 1.6
    vector += rng.normal(0, 0.05, DIM)
    text = SAYINGS[(topic, language)]
    evidence = Evidence(evidence_id=f"survey.csv#{respondent}:q9", text=text, kind="survey", source="survey.csv",
                        metadata={"respondent_id": respondent, "question_index": 9, "language": language})
    return evidence, unit(vector)


def world() -> tuple[VectorStore, SegmentationResult]:
    rows = []
    segment_of = {}
    n = 0
    # S1 complains about shipping (both languages), S2 about stock; both mention gifts now and then
    for segment, topic in (("S1", "shipping"), ("S2", "stock")):
        for language in ("en", "no"):
            for _ in range(6):
                n += 1
                respondent = f"R{n:03d}"
                rows.append(survey_row(respondent, topic, language, n))
                segment_of[respondent] = segment
        for language in ("en", "no"):
            n += 1
            respondent = f"R{n:03d}"
            rows.append(survey_row(respondent, "gift", language, n))
            segment_of[respondent] = segment
    segments = [Segment(segment_id=s, size=sum(v == s for v in segment_of.values()),
                        share=0.5, distinguishing=[], demographics=[],
                        respondent_ids=sorted(r for r, v in segment_of.items() if v == s),
                        free_text_respondent_ids=[]) for s in ("S1", "S2")]
    segmentation = SegmentationResult(respondents=len(segment_of), k=2, k_requested=None, criterion="test",
                                      k_scores={}, seed=0, questions_used=[], demographic_questions={},
                                      excluded_questions={}, segments=segments)
    return VectorStore(rows), segmentation


def test_language_centring_gathers_one_complaint_across_languages():
    store, _ = world()
    vectors = np.array([v for _, v in store.rows])
    languages = [e.metadata["language"] for e, _ in store.rows]
    topics = [next(t for (t, lang), s in SAYINGS.items() if s == e.text) for e, _ in store.rows]
    raw = cluster(vectors, threshold=0.35)
    centred = cluster(centre_by_language(vectors, languages), threshold=0.35)

    def languages_per_topic(labels):
        return {t: {lang for lab, tt, lang in zip(labels, topics, languages, strict=True)
                    if tt == t and lab == max(set(labels), key=lambda c: sum(
                        1 for x, y in zip(labels, topics, strict=True) if x == c and y == t))}
                for t in ("shipping", "stock")}

    assert languages_per_topic(raw) != {"shipping": {"en", "no"}, "stock": {"en", "no"}}  # the bias splits them
    assert languages_per_topic(centred) == {"shipping": {"en", "no"}, "stock": {"en", "no"}}


def test_segment_themes_are_counted_with_lift_and_verbatim_quotes():
    store, segmentation = world()
    result = find_themes(store, segmentation, threshold=0.35)
    by_id = {t.theme_id: t for t in result.themes}
    first = by_id["theme:S1.1"]
    assert first.respondents == 12 and first.share == pytest.approx(12 / 14)
    assert first.overall_share == pytest.approx(12 / 28) and first.lift == pytest.approx(2.0)
    assert set(first.languages) == {"en", "no"}
    assert first.margin == pytest.approx(margin_of_error(12 / 14, 14))
    texts = {e.evidence_id: e.text for e, _ in store.rows}
    assert first.quotes and all(q.text in texts[q.evidence_id] for q in first.quotes)
    assert len({q.language for q in first.quotes}) == 2  # variety, not the three most central
    assert "stock" not in first.label.lower()
    # the gift answers (2 per segment) form a theme of each segment at lift 1
    gift = [t for t in result.themes if "gift" in t.label.lower() or "gave" in t.label.lower()]
    assert {t.segment_id for t in gift} == {"S1", "S2"} and all(t.lift == pytest.approx(1.0) for t in gift)


def test_interviews_link_by_customer_id_else_by_similarity():
    store, segmentation = world()
    respondent = store.rows[0][0]
    store.rows[0] = (respondent.model_copy(update={"metadata": {**respondent.metadata, "customer_id": "C7"}}),
                     store.rows[0][1])
    vector = store.rows[14][1]  # an S2 stock complaint
    turn = "Interviewer: Why did you stop?\nKunde: Favorittbønnene var utsolgt tre ganger på rad i vinter"
    for source, customer in (("interviews/a.md", "C7"), ("interviews/b.md", "")):
        meta = {"speaker": "Kunde", "language": "no", "customer": "lost", "customer_id": customer,
                "respondent_id": customer or source}
        store.rows.append((Evidence(evidence_id=f"{source}#L3-4", text=turn, kind="interview", source=source,
                                    metadata=meta), vector))
    links = {link.source: link for link in find_themes(store, segmentation, threshold=0.35).interviews}
    assert (links["interviews/a.md"].segment_id, links["interviews/a.md"].method) == ("S1", "customer id")
    assert (links["interviews/b.md"].segment_id, links["interviews/b.md"].method) == ("S2", "similarity")
    assert links["interviews/b.md"].score is not None and links["interviews/b.md"].score > 0.5


def test_customer_words_are_only_what_customers_wrote():
    turn = Evidence(evidence_id="i.md#L1-3", kind="interview", source="i.md", metadata={"speaker": "Kunde"},
                    text="Intervjuer: Hva synes du om frakten?\nKunde: Den er altfor dyr.\nNesten åtte euro.")
    assert customer_words(turn) == "Den er altfor dyr.\nNesten åtte euro."
    notes = Evidence(evidence_id="n.md#L1-2", kind="interview", source="n.md", text="Sales call: wants invoices.")
    summary = Evidence(evidence_id="s.csv#q4", kind="survey", source="s.csv", text="Question 4: 200 answers",
                       metadata={"question": "Q4"})
    assert customer_words(notes) is None and customer_words(summary) is None


def test_quotes_are_verbatim_and_long_enough():
    assert quote_text("Too dear.") is None
    long = "The grinder arrived broken. " * 20
    quote = quote_text(long)
    assert quote is not None and quote in long and len(quote) <= 240


def test_stat_wording_and_margin():
    assert margin_of_error(0.5, 48) == pytest.approx(0.1415, abs=1e-3)  # "n = 48 is about ±14 points"
    assert question_slug("What almost stopped you from ordering at Fjordbrew?") == \
        "what-almost-stopped-you-from-ordering-at"


def test_stats_on_the_sample_survey(sample_research):
    store, _, _, settings = sample_research
    import json

    from persona_agent.analysis.models import QuestionStat

    stats = [QuestionStat.model_validate(s) for s in json.loads((settings.analysis_dir / "stats.json").read_text())]
    assert len({s.stat_id for s in stats}) == len(stats)
    barrier = [s for s in stats if "stops you" in s.question]
    shipping = {s.segment_id: o for s in barrier for o in s.options if o.answer == "Shipping cost"}
    best = max(shipping, key=lambda sid: shipping[sid].segment_share)
    assert shipping[best].lift is not None and shipping[best].lift > 2
    stat = next(s for s in barrier if s.segment_id == best)
    assert "Shipping cost" in [o.answer for o in distinctive_options(stat)]
    stored = store.get([stat.stat_id])[0]
    assert stored.text == stat_text(stat, next(s for s in json.loads(
        (settings.analysis_dir / "segments.json").read_text())["segments"] if s["segment_id"] == best)["size"])
    assert f"{shipping[best].segment_share * 100:.0f} %" in stored.text
