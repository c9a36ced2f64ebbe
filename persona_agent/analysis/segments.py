"""Survey segmentation: one-hot + scaling, k-means, k by silhouette, a profile per segment.

Segments come from the numbers, not from the LLM: the model only describes what this module found.
The same answers and seed give the same segments with the same ids (S1 is the largest); a re-run on
changed research keeps the ids of the segments it recognises (`analysis.lineage`).
Demographic questions are recognised by their wording (in English, Norwegian, Danish and Dutch)
and described per segment rather than clustered on.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

from persona_agent.analysis.models import (
    AnswerContrast,
    DemographicProfile,
    Segment,
    SegmentationResult,
    count_text,
)
from persona_agent.analysis.parsing import answer_text, find_column, header_key
from persona_agent.core.errors import AnalysisError

DIMENSION_KEYWORDS: dict[str, tuple[str, ...]] = {
    "age": ("age", "age band", "age group", "how old", "alder", "aldersgruppe", "leeftijd",
            "leeftijdsgroep", "hoe oud", "hvor gammel"),
    "gender": ("gender", "sex", "kjønn", "køn", "geslacht"),
    "location": ("location", "city", "country", "region", "where do you live", "postcode",
                 "zip", "bosted", "bopæl", "hvor bor", "fylke", "kommune", "landsdel",
                 "woonplaats", "waar woon", "provincie", "postnummer"),
    "income": ("income", "salary", "inntekt", "indkomst", "inkomen", "lønn", "løn", "salaris"),
    "education": ("education", "degree", "utdanning", "uddannelse", "opleiding"),
    "family": ("family", "household", "children", "kids", "marital", "familie", "husstand",
               "barn", "børn", "kinderen", "gezin", "huishouden", "sivilstatus", "civilstand"),
    "job": ("job", "job title", "occupation", "profession", "industry", "company size", "yrke",
            "stilling", "jobb", "erhverv", "beroep", "functie", "branche", "bransje", "sector"),
    "device": ("device", "device category", "enhet", "enhed", "apparaat"),
}
DEMOGRAPHIC_DIMENSIONS = ("age", "gender", "location", "income", "education", "family", "job")
_DIMENSION_PATTERNS = {
    dimension: re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, words)) + r")(?!\w)")
    for dimension, words in DIMENSION_KEYWORDS.items()
}
_NOT_ANSWER_NAMES = {"id", "respondent", "respondent_id", "respondentid", "response_id", "svar_id",
                     "name", "navn", "naam", "e_mail", "email", "timestamp", "tidsmerke",
                     "tidsstempel", "tijdstempel", "submitted_at", "created_at"}
# Multi-select answers are joined with ";" — or with "," when the question says so.
_MULTI_SELECT_HINT = re.compile(
    r"select all|all that apply|choose all|tick all|check all|flere svar|kryss av|vælg alle|"
    r"sæt kryds|meerdere antwoorden|van toepassing", re.IGNORECASE)


def question_dimension(question: object) -> str | None:
    """Which demographic (or device) a question asks about, from its wording; None for others."""
    text = header_key(question).replace("_", " ")
    return next((d for d, pattern in _DIMENSION_PATTERNS.items() if pattern.search(text)), None)


def segment_survey(
    survey: pd.DataFrame,
    k: int | None = None,
    k_range: tuple[int, int] = (2, 6),
    seed: int = 0,
    *,
    free_text_respondents: Iterable[str] | None = None,
    demographic_columns: Iterable[str] | None = None,
    top_answers: int = 5,
) -> SegmentationResult:
    """Cluster respondents on their closed answers; segments S1, S2, … are numbered by size.

    Demographic questions (found by wording, or ``demographic_columns``) are described per segment
    but not clustered on, so segments are about needs and behaviour rather than age or city. Each
    question weighs the same: numbers are z-scored, and one question's one-hot answers are scaled
    to a total variance of 1. Unless ``k`` is given, k is the one in ``k_range`` with the highest
    silhouette (ties go to fewer segments).
    """
    warnings: list[str] = []
    answers = _respondent_frame(survey, warnings)
    if answers.empty:
        raise AnalysisError("the survey has no respondents", "check the survey file and its id column")
    kinds, excluded = _question_kinds(answers)
    if demographic_columns is None:
        dimensions = {q: d for q in answers.columns if (d := question_dimension(q))}
        dimensions = {q: d for q, d in dimensions.items() if d in DEMOGRAPHIC_DIMENSIONS}
    else:
        dimensions = {str(q): question_dimension(q) or "demographic" for q in demographic_columns}
    clustered = {q: kind for q, kind in kinds.items() if q not in dimensions}
    if not clustered:
        clustered = {q: kind for q, kind in kinds.items() if q in dimensions}
        if not clustered:
            raise AnalysisError(
                "no closed question in the survey can be used for segmentation",
                "pass closed questions (choices or numbers), not only ids or free text",
            )
        warnings.append("only demographic questions are usable: segments are demographic")
    features, profile, profile_meta = _encode(answers, clustered)
    labels, k_scores, criterion = _choose_k(features, k, k_range, seed, warnings)
    segment_numbers = _number_by_size(labels)
    demographic_kinds = {q: kinds[q] for q in dimensions if q in kinds}
    _, demographic_profile, demographic_meta = _encode(answers, demographic_kinds)
    free_text = set() if free_text_respondents is None else {str(r) for r in free_text_respondents}
    segments = _describe_segments(
        answers.index.to_numpy(dtype=object), segment_numbers, profile, profile_meta,
        demographic_profile, demographic_meta, dimensions, free_text, top_answers,
    )
    for segment in segments:
        if segment.size < 5:
            warnings.append(f"segment {segment.segment_id} has only "
                            f"{count_text(segment.size, 'respondent')}")
    return SegmentationResult(
        respondents=len(answers), k=len(segments), k_requested=k, criterion=criterion,
        k_scores=k_scores, seed=seed, questions_used=list(clustered),
        demographic_questions={q: d for q, d in dimensions.items() if q in kinds},
        excluded_questions=excluded, segments=segments, warnings=warnings,
    )


def _respondent_frame(survey: pd.DataFrame, warnings: list[str]) -> pd.DataFrame:
    """Answers indexed by respondent id as text, sorted so row order never changes the result."""
    answers = survey.set_axis(pd.Index(survey.index.astype("string"), name="respondent_id"))
    answers.columns = [str(column) for column in answers.columns]
    unnamed = answers.index.isna()
    if unnamed.any():
        warnings.append(f"left out {count_text(int(unnamed.sum()), 'respondent')} without an id")
        answers = answers[~unnamed]
    duplicated = answers.index.duplicated()
    if duplicated.any():
        warnings.append(f"{count_text(int(duplicated.sum()), 'duplicate respondent id')}: "
                        "kept the first answers")
        answers = answers[~duplicated]
    return answers.sort_index(kind="stable")


def _question_kinds(answers: pd.DataFrame) -> tuple[dict[str, str], dict[str, str]]:
    """numeric / categorical / multi (options joined by ";", or by "," when the question says
    "select all") per usable question, and why each other question is not used."""
    kinds: dict[str, str] = {}
    excluded: dict[str, str] = {}
    too_many = max(20, len(answers) // 2)
    for question in answers.columns:
        values = answers[question]
        if header_key(question) in _NOT_ANSWER_NAMES or find_column([question], "customer_id"):
            excluded[question] = "an identifier or timestamp, not an answer"
            continue
        numeric = pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)
        text = values if numeric else answer_text(values)
        present = text.dropna()
        separator = _option_separator(question)
        multi = not numeric and bool(len(present)) and present.str.contains(separator).mean() >= 0.2
        options = present.str.split(rf"\s*{separator}\s*").explode() if multi else present
        if present.empty:
            excluded[question] = "nobody answered"
        elif options.nunique() < 2:
            excluded[question] = "everyone gave the same answer"
        elif not numeric and options.nunique() > too_many:
            excluded[question] = f"looks like free text ({options.nunique()} different answers)"
        else:
            kinds[question] = "numeric" if numeric else "multi" if multi else "categorical"
    return kinds, excluded


def _option_separator(question: str) -> str:
    return "[;,]" if _MULTI_SELECT_HINT.search(question) else ";"


def _encode(
    answers: pd.DataFrame, kinds: dict[str, str]
) -> tuple[np.ndarray, pd.DataFrame, list[tuple[str, str | None, float]]]:
    """Scaled features for clustering, plus raw 0/1 answers and numbers for describing segments.

    ``profile_meta`` holds (question, answer or None for a number, scale for ranking differences).
    """
    blocks: list[np.ndarray] = []
    profile_blocks: list[pd.DataFrame] = []
    meta: list[tuple[str, str | None, float]] = []
    for question, kind in kinds.items():
        if kind == "numeric":
            values = answers[question].astype("float64")
            filled = values.fillna(values.median())
            blocks.append(((filled - filled.mean()) / filled.std(ddof=0)).to_numpy()[:, None])
            profile_blocks.append(values.to_frame())
            meta.append((question, None, float(values.max() - values.min())))
            continue
        text = answer_text(answers[question])
        if kind == "multi":
            separator = _option_separator(question)
            dummies = text.str.replace(rf"\s*{separator}\s*", "|", regex=True).str.get_dummies()
        else:
            dummies = pd.get_dummies(text, dtype="float64")
        dummies = dummies.astype("float64")
        share = dummies.mean()
        spread = float((share * (1 - share)).sum())
        if spread > 0:  # zero only when every respondent ticked the same options
            blocks.append(dummies.to_numpy() / np.sqrt(spread))
        profile_blocks.append(dummies)
        meta.extend((question, str(answer), 1.0) for answer in dummies.columns)
    features = np.hstack(blocks) if blocks else np.empty((len(answers), 0))
    profile = pd.concat(profile_blocks, axis=1) if profile_blocks else pd.DataFrame(index=answers.index)
    profile.columns = range(profile.shape[1])
    return features, profile, meta


def _choose_k(
    features: np.ndarray, k: int | None, k_range: tuple[int, int], seed: int, warnings: list[str]
) -> tuple[np.ndarray, dict[int, float], str]:
    """Cluster labels, the silhouette per k tried, and how k was decided (said in the report).

    Silhouette is computed on a fixed random sample of 4,000 respondents above that size, because
    it is quadratic in the number of respondents.
    """
    from sklearn.metrics import silhouette_score

    respondents = len(features)
    patterns = len(np.unique(features.round(9), axis=0))
    too_few = f"the survey has only {respondents} respondents ({patterns} distinct answer patterns)"
    if k is not None:
        if k < 1:
            raise AnalysisError(f"k must be at least 1 (got {k})", "leave k out to choose it")
        if k > patterns:
            warnings.append(f"k reduced from {k} to {patterns}: {too_few}")
            k = patterns
        return _kmeans(features, k, seed), {}, "given k"
    low, high = k_range
    if not 2 <= low <= high:
        raise AnalysisError(f"k range must satisfy 2 ≤ low ≤ high (got {k_range})", None)
    top = min(high, patterns, respondents - 1)
    if top < low:
        fallback = min(low, patterns)
        warnings.append(f"k set to {fallback} without choosing: {too_few}")
        return _kmeans(features, fallback, seed), {}, "too few respondents to choose k"
    if top < high:
        warnings.append(f"k range reduced to {low}–{top}: {too_few}")
    sample_size = 4000 if respondents > 4000 else None
    scores: dict[int, float] = {}
    fits: dict[int, np.ndarray] = {}
    for candidate in range(low, top + 1):
        labels = _kmeans(features, candidate, seed)
        if len(np.unique(labels)) > 1:
            fits[candidate] = labels
            scores[candidate] = round(float(silhouette_score(
                features, labels, sample_size=sample_size, random_state=seed)), 6)
    if not scores:
        warnings.append(f"no k in {low}–{top} splits the answers: one segment")
        return np.zeros(respondents, dtype="int64"), {}, "no k splits the answers"
    best = max(scores, key=lambda candidate: (scores[candidate], -candidate))
    criterion = (f"highest silhouette (Euclidean, on the scaled answers) for k in {low}–{top}; "
                 "ties go to fewer segments")
    return fits[best], scores, criterion


def _kmeans(features: np.ndarray, k: int, seed: int) -> np.ndarray:
    from sklearn.cluster import KMeans

    if k == 1:
        return np.zeros(len(features), dtype="int64")
    return KMeans(n_clusters=k, n_init=4, random_state=seed).fit_predict(features)


def _number_by_size(labels: np.ndarray) -> np.ndarray:
    """0-based segment numbers, largest first; ties by the first respondent (ids are sorted)."""
    clusters, first_row, sizes = np.unique(labels, return_index=True, return_counts=True)
    order = np.lexsort((first_row, -sizes))
    number_of = np.empty(clusters.max() + 1, dtype="int64")
    number_of[clusters[order]] = np.arange(len(clusters))
    return number_of[labels]


def _contrasts(
    profile: pd.DataFrame, meta: list[tuple[str, str | None, float]], numbers: np.ndarray
) -> tuple[pd.DataFrame, pd.Series, pd.DataFrame]:
    """Segment means, overall means and the scaled gap used to rank what sets a segment apart."""
    means = profile.groupby(numbers).mean()
    overall = profile.mean()
    scale = np.array([max(item[2], 1e-12) for item in meta])
    return means, overall, (means - overall).abs() / scale


def _contrast(meta: tuple[str, str | None, float], segment: float, overall: float) -> AnswerContrast:
    question, answer, _ = meta
    return AnswerContrast(
        question=question, answer=answer, kind="mean" if answer is None else "share",
        segment_value=float(segment), overall_value=float(overall),
    )


def _describe_segments(
    respondent_ids: np.ndarray,
    numbers: np.ndarray,
    profile: pd.DataFrame,
    meta: list[tuple[str, str | None, float]],
    demographic_profile: pd.DataFrame,
    demographic_meta: list[tuple[str, str | None, float]],
    dimensions: dict[str, str],
    free_text: set[str],
    top_answers: int,
) -> list[Segment]:
    means, overall, gap = _contrasts(profile, meta, numbers)
    demo_means, demo_overall, _ = _contrasts(demographic_profile, demographic_meta, numbers)
    deviations = _deviations(profile, meta, means, overall)
    segments = []
    for number in range(int(numbers.max()) + 1):
        members = respondent_ids[numbers == number]
        ranked = gap.loc[number].dropna().sort_values(ascending=False, kind="stable")
        question_of = pd.Series([meta[column][0] for column in ranked.index], index=ranked.index)
        distinguishing = [  # the strongest answer of each question, so five questions show
            _contrast(meta[column], means.at[number, column], overall[column])
            for column in question_of.drop_duplicates().index[:top_answers]
        ]
        demographics = []
        for question in dict.fromkeys(item[0] for item in demographic_meta):
            columns = [c for c, item in enumerate(demographic_meta) if item[0] == question]
            in_segment = demo_means.loc[number, columns].dropna().sort_values(
                ascending=False, kind="stable")
            shown = [c for c in in_segment.index if in_segment[c] > 0][:3]
            demographics.append(DemographicProfile(
                dimension=dimensions[question], question=question,
                answers=[_contrast(demographic_meta[c], demo_means.at[number, c], demo_overall[c])
                         for c in shown],
            ))
        segments.append(Segment(
            segment_id=f"S{number + 1}", size=len(members), share=len(members) / len(numbers),
            distinguishing=distinguishing, demographics=demographics,
            respondent_ids=members.tolist(),  # already sorted: the answers are sorted by id
            free_text_respondent_ids=sorted(free_text.intersection(members)),
            centroid=deviations[number],
        ))
    return segments


def _deviations(profile: pd.DataFrame, meta: list[tuple[str, str | None, float]], means: pd.DataFrame,
                overall: pd.Series) -> dict[int, dict[str, float]]:
    """Each segment's centroid as its scaled gap from everyone, keyed ``question=answer`` (``question``
    for a number): what a later analysis compares segments by (`analysis.lineage`), in the weights the
    clustering used (a number by its standard deviation, a question's answers by their total spread)."""
    spread: dict[str, float] = {}
    for column, (question, answer, _) in enumerate(meta):
        if answer is not None:
            share = float(overall[column])
            spread[question] = spread.get(question, 0.0) + share * (1 - share)
    keys, scales = [], []
    for column, (question, answer, _) in enumerate(meta):
        keys.append(question if answer is None else f"{question}={answer}")
        scale = float(profile[column].std(ddof=0)) if answer is None else float(np.sqrt(spread[question]))
        scales.append(scale if scale > 1e-12 else 1.0)
    gaps = (means - overall) / np.array(scales)
    return {int(number): {key: round(float(value), 4) for key, value in zip(keys, row, strict=True)
                          if pd.notna(value) and abs(value) >= 5e-4}
            for number, row in zip(gaps.index, gaps.to_numpy(), strict=True)}
