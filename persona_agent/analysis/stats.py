"""Fine-grained segment statistics: every closed question, per segment, against all respondents.

A segment profile (`segment:S2`) says what sets a segment apart in five lines; a persona needs more,
and each number it states must be checkable against exactly one figure. So every closed question
gets its own stat per segment (``segment:S2#what-almost-stopped-you``) with, for each answer, the
segment's share, everyone's share, the lift (segment / everyone) and the margin of error of the
segment's share (95 %, normal approximation: n = 48 is about ±14 points at 50 %). A trait belongs
to a persona only where its segment is above the overall level — the lift says which.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd

from persona_agent.analysis.models import OptionStat, QuestionStat, SegmentationResult
from persona_agent.analysis.parsing import answer_text
from persona_agent.analysis.segments import _option_separator, _question_kinds, _respondent_frame, question_dimension

Z_95 = 1.96
MIN_SHARE_SHOWN = 0.05  # answers below this in the segment and overall are summarised as "other"
MAX_OPTIONS_SHOWN = 8


def margin_of_error(share: float, n: int) -> float:
    """Half-width of the 95 % interval of a share from ``n`` answers (0 when n is 0)."""
    if n <= 0:
        return 0.0
    return Z_95 * math.sqrt(max(share * (1 - share), 0.0) / n)


def lift(segment_share: float, overall_share: float) -> float | None:
    return segment_share / overall_share if overall_share > 0 else None


def question_slug(question: str, limit: int = 40) -> str:
    """``What almost stopped you from ordering?`` → ``what-almost-stopped-you-from-ordering``."""
    words = re.findall(r"[^\W_]+", question.casefold())
    slug = ""
    for word in words:
        if len(slug) + len(word) + 1 > limit:
            break
        slug = f"{slug}-{word}" if slug else word
    return slug or "question"


def stat_id(segment_id: str, question: str) -> str:
    return f"segment:{segment_id}#{question_slug(question)}"


def segment_stats(survey: pd.DataFrame, segmentation: SegmentationResult) -> list[QuestionStat]:
    """One `QuestionStat` per segment and closed question (ids, timestamps and free text left out)."""
    answers = _respondent_frame(survey, [])
    kinds, _ = _question_kinds(answers)
    segment_of = pd.Series({rid: s.segment_id for s in segmentation.segments for rid in s.respondent_ids},
                           dtype="object")
    answers = answers.loc[answers.index.intersection(segment_of.index)]
    labels = segment_of.reindex(answers.index)
    slugs: dict[str, str] = {}
    stats: list[QuestionStat] = []
    for question, kind in kinds.items():
        slug = question_slug(question)
        while slug in slugs.values():  # two questions that start alike
            slug = f"{slug}-{len(slugs)}"
        slugs[question] = slug
        if kind == "numeric":
            stats += _numeric_stats(question, slug, answers[question].astype("float64"), labels, segmentation)
        else:
            stats += _share_stats(question, slug, answers[question], kind, labels, segmentation)
    return stats


def _share_stats(question: str, slug: str, values: pd.Series, kind: str, labels: pd.Series,
                 segmentation: SegmentationResult) -> list[QuestionStat]:
    text = answer_text(values)
    answered = text.notna()
    if kind == "multi":
        separator = _option_separator(question)
        dummies = text.str.replace(rf"\s*{separator}\s*", "|", regex=True).str.get_dummies().astype("float64")
    else:
        dummies = pd.get_dummies(text, dtype="float64")
    dummies = dummies[answered]
    overall = dummies.mean()
    stats = []
    for segment in segmentation.segments:
        mine = dummies[labels[answered] == segment.segment_id]
        n = len(mine)
        if n == 0:
            continue
        shares = mine.mean()
        shown = [a for a in shares.sort_values(ascending=False, kind="stable").index
                 if shares[a] >= MIN_SHARE_SHOWN or overall[a] >= MIN_SHARE_SHOWN][:MAX_OPTIONS_SHOWN]
        options = [OptionStat(answer=str(a), segment_share=float(shares[a]), overall_share=float(overall[a]),
                              lift=_rounded(lift(float(shares[a]), float(overall[a]))),
                              margin=margin_of_error(float(shares[a]), n)) for a in shown]
        stats.append(QuestionStat(
            stat_id=f"segment:{segment.segment_id}#{slug}", segment_id=segment.segment_id, question=question,
            dimension=question_dimension(question), kind="share", answered=n, overall_answered=len(dummies),
            options=options))
    return stats


def _numeric_stats(question: str, slug: str, values: pd.Series, labels: pd.Series,
                   segmentation: SegmentationResult) -> list[QuestionStat]:
    present = values.dropna()
    stats = []
    for segment in segmentation.segments:
        mine = present[labels.reindex(present.index) == segment.segment_id]
        if mine.empty:
            continue
        spread = float(np.std(mine.to_numpy(), ddof=1)) if len(mine) > 1 else 0.0
        stats.append(QuestionStat(
            stat_id=f"segment:{segment.segment_id}#{slug}", segment_id=segment.segment_id, question=question,
            dimension=question_dimension(question), kind="mean", answered=len(mine),
            overall_answered=len(present), segment_mean=float(mine.mean()), overall_mean=float(present.mean()),
            mean_margin=Z_95 * spread / math.sqrt(len(mine))))
    return stats


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def stat_text(stat: QuestionStat, segment_size: int) -> str:
    """The wording a persona cites: every figure the stat holds, once, in a fixed form."""
    head = f"Segment {stat.segment_id}, “{stat.question}” ({stat.answered} of {segment_size} answered)"
    if stat.kind == "mean":
        return (f"{head}: mean {stat.segment_mean:.1f} (±{stat.mean_margin or 0:.1f}) vs "
                f"{stat.overall_mean:.1f} for all respondents.")
    parts = []
    for option in stat.options:
        lifted = f", lift {option.lift:.1f}" if option.lift is not None else ""
        parts.append(f"{option.answer} {option.segment_share * 100:.0f} % (±{option.margin * 100:.0f}) vs "
                     f"{option.overall_share * 100:.0f} % of all respondents{lifted}")
    return f"{head}: " + "; ".join(parts) + "."


def distinctive_options(stat: QuestionStat, *, min_lift: float = 1.2, min_share: float = 0.15) -> list[OptionStat]:
    """Answers where the segment stands out: above everyone by ``min_lift`` and common enough."""
    return [o for o in stat.options if o.lift is not None and o.lift >= min_lift and o.segment_share >= min_share]


def clear_traits(stat: QuestionStat) -> list[OptionStat]:
    """Answers that are a trait of the segment: above everyone beyond the margin of error of the segment's share
    ("Norway 21 % ±14 vs 13 %" is none)."""
    return [o for o in distinctive_options(stat, min_lift=1.1, min_share=0.2)
            if o.segment_share - (o.margin or 0.0) > o.overall_share]
