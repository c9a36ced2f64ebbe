"""Result models of the analysis: the contract with the CLI, the store and the report.

Frozen pydantic models, so a result can be dumped to JSON, compared in tests and passed around
without being changed. Results that need a per-customer table for joins carry it as an excluded
field. No computation lives here; `transactions`, `survey_segments`, `cross_check` and
`segment_value` fill these models and `analysis_report` renders them.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

# RFM groups by name, in the order reports list them (the grid in `transactions.rfm` assigns them).
RFM_GROUP_LABELS: dict[str, str] = {
    "champions": "Champions",
    "loyal": "Loyal customers",
    "potential_loyalists": "Potential loyalists",
    "new": "New customers",
    "promising": "Promising",
    "need_attention": "Need attention",
    "about_to_sleep": "About to sleep",
    "at_risk": "At risk",
    "cannot_lose": "Can't lose them",
    "hibernating": "Hibernating",
}


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class _WithCustomers(BaseModel):
    """Results that also keep a per-customer table for joins; the table never goes into JSON."""

    model_config = ConfigDict(arbitrary_types_allowed=True, frozen=True)
    customers: pd.DataFrame = Field(exclude=True, repr=False)


class DroppedRows(_Frozen):
    reason: str
    rows: int
    examples: list[str] = Field(default_factory=list)


class TransactionReport(_Frozen):
    """What `normalize_transactions` did to the raw rows, so nothing is dropped silently."""

    source: str
    rows_read: int
    rows_kept: int
    customers: int
    columns: dict[str, str]  # role (customer_id, date, amount, …) -> the header it came from
    dropped: list[DroppedRows]
    returns_policy: Literal["net", "exclude"]
    return_rows: int
    return_amount: float
    first_date: date | None
    last_date: date | None


class RFMGroup(_Frozen):
    name: str
    label: str
    customers: int
    customer_share: float
    revenue: float
    revenue_share: float
    purchases: int
    average_order_value: float
    mean_recency_days: float
    mean_frequency: float
    mean_monetary: float


class RFMResult(_WithCustomers):
    reference_date: date
    customers_total: int
    revenue_total: float
    groups: list[RFMGroup]
    customers_without_purchase: int = 0


class ABCXYZCell(_Frozen):
    cell: str  # "A" … "C" for classes, "AX" … "CZ" for matrix cells
    customers: int
    customer_share: float
    revenue: float
    revenue_share: float


class ABCXYZResult(_WithCustomers):
    basis: Literal["revenue", "average_order_value"]
    a_threshold: float
    b_threshold: float
    xyz_applied: bool
    x_max_cv: float
    y_max_cv: float
    months: int
    classes: list[ABCXYZCell]
    cells: list[ABCXYZCell]
    note: str = ""


class ParetoResult(_Frozen):
    customers: int
    revenue_total: float
    top_20_customers: int
    top_20_revenue_share: float
    top_4_customers: int
    top_4_revenue_share: float
    customer_share_for_80_revenue: float


class AnswerContrast(_Frozen):
    """One answer's weight in a segment against everyone; ``answer`` is None for a numeric mean."""

    question: str
    answer: str | None
    kind: Literal["share", "mean"]
    segment_value: float
    overall_value: float


class DemographicProfile(_Frozen):
    dimension: str
    question: str
    answers: list[AnswerContrast]


class Segment(_Frozen):
    segment_id: str
    size: int
    share: float
    distinguishing: list[AnswerContrast]
    demographics: list[DemographicProfile]
    respondent_ids: list[str]
    free_text_respondent_ids: list[str]
    # scaled gap of the segment's closed answers from everyone's (``question=answer`` → gap): how a
    # later analysis recognises the segment when its respondents are new (`analysis.lineage`)
    centroid: dict[str, float] = Field(default_factory=dict)


class SegmentationResult(_Frozen):
    respondents: int
    k: int
    k_requested: int | None
    criterion: str
    k_scores: dict[int, float]
    seed: int
    questions_used: list[str]
    demographic_questions: dict[str, str]  # question -> dimension
    excluded_questions: dict[str, str]  # question -> why it was not used
    segments: list[Segment]
    warnings: list[str] = Field(default_factory=list)


class CategoryComparison(_Frozen):
    category: str
    survey_share: float
    audience_share: float


class DimensionCheck(_Frozen):
    dimension: str
    survey_question: str
    audience_column: str
    survey_answers: int
    audience_total: float
    categories: list[CategoryComparison]
    disagreements: list[CategoryComparison]
    total_variation: float


class CrossCheckResult(_Frozen):
    threshold: float
    audience_weight_column: str | None
    dimensions: list[DimensionCheck]
    not_compared: dict[str, str]


class SegmentValue(_Frozen):
    segment_id: str
    respondents: int
    joined: int
    revenue: float
    mean_revenue: float
    rfm_groups: dict[str, float]  # group name -> share of the joined respondents
    abc_classes: dict[str, float]


class ValueJoinResult(_Frozen):
    joinable: bool
    respondents_with_customer_id: int
    matched: int
    message: str
    segments: list[SegmentValue]


class AnalysisWarning(_Frozen):
    stage: str
    message: str


class OptionStat(_Frozen):
    """One answer of a closed question: its share in the segment against all respondents."""

    answer: str
    segment_share: float
    overall_share: float
    lift: float | None  # segment share / overall share; None when nobody overall gave it
    margin: float  # half-width of the 95 % interval of the segment share (normal approximation)


class QuestionStat(_Frozen):
    """One closed question for one segment, citable as ``segment:S2#<question slug>``.

    A share or mean may be cited only through the stat of its own question, so a number in a
    persona is always checked against exactly the figure it states."""

    stat_id: str
    segment_id: str
    question: str
    dimension: str | None  # age, income, … for demographic questions
    kind: Literal["share", "mean"]
    answered: int  # respondents of the segment who answered
    overall_answered: int
    options: list[OptionStat] = Field(default_factory=list)
    segment_mean: float | None = None
    overall_mean: float | None = None
    mean_margin: float | None = None


class SegmentChange(_Frozen):
    """What became of one segment since the previous analysis (`analysis.lineage`).

    kept: recognised, same id · new: nothing like it before · split: part of ``previous_ids[0]``,
    whose id another segment kept · merged: ``previous_ids[0]`` went into ``segment_id`` ·
    vanished: ``previous_ids[0]`` is gone. Shares are of all respondents; ``margin`` is the 95 %
    margin of the difference, and the drift is ``significant`` beyond it."""

    segment_id: str | None
    status: Literal["kept", "new", "split", "merged", "vanished"]
    previous_ids: list[str] = Field(default_factory=list)
    size_before: int | None = None
    size_after: int | None = None
    share_before: float | None = None
    share_after: float | None = None
    margin: float | None = None
    significant: bool = False
    overlap: float | None = None  # respondents in both analyses: how many stayed together (Ochiai, 0–1)
    similarity: float | None = None  # of the closed-answer centroids (cosine, -1–1)
    score: float | None = None


class ThemeChange(_Frozen):
    """What became of one theme of a segment (kept, new or vanished), matched like segments."""

    theme_id: str | None
    previous_id: str | None
    segment_id: str
    status: Literal["kept", "new", "vanished"]
    label: str
    share_before: float | None = None
    share_after: float | None = None
    overlap: float | None = None
    similarity: float | None = None


class Lineage(_Frozen):
    """How this analysis relates to the previous one: which ids persisted and what drifted."""

    numbering: Literal["first", "matched", "fresh"]  # fresh: nothing matched, numbered from S1 again
    previous_respondents: int = 0
    respondents: int = 0
    returning: int = 0  # respondents in both analyses
    segments: list[SegmentChange] = Field(default_factory=list)
    themes: list[ThemeChange] = Field(default_factory=list)
    retired_ids: list[str] = Field(default_factory=list)  # ids once used and never given out again
    method: str = ""
    previous_digest: str | None = None  # the folder signature the previous analysis was made from


class ThemeQuote(_Frozen):
    text: str  # verbatim, customer-authored
    evidence_id: str
    language: str


class Theme(_Frozen):
    """What a segment's free text keeps saying: one cluster of answers and interview turns,
    citable as ``theme:S2.3``."""

    theme_id: str
    segment_id: str
    cluster: int  # the cluster over all respondents this segment theme is a view of
    label: str  # the most central member's words, for people; not customer words to quote
    respondents: int  # distinct survey respondents of the segment in the theme
    customers: int  # distinct interviewed customers linked to the segment in the theme
    share: float  # respondents / segment size
    overall_share: float  # respondents of all segments in the cluster / all respondents
    lift: float | None
    margin: float
    languages: dict[str, int]
    source_kinds: list[str]
    quotes: list[ThemeQuote]
    member_ids: list[str]


class InterviewLink(_Frozen):
    """Which segment an interview speaks for, and how that was decided."""

    source: str
    segment_id: str | None
    method: Literal["customer id", "similarity", "unlinked"]
    score: float | None = None
    customer_label: str | None = None  # best / worst / lost / prospect (front matter)


class ThemeResult(_Frozen):
    method: str
    themes: list[Theme]
    interviews: list[InterviewLink]
    items: int  # free-text answers and interview turns clustered
    clusters: int
    skipped_trivial: int
    changes: list[ThemeChange] = Field(default_factory=list, exclude=True)  # → `Lineage.themes`


class AnalysisResult(_Frozen):
    segmentation: SegmentationResult | None = None
    transactions: TransactionReport | None = None
    rfm: RFMResult | None = None
    abc_xyz: ABCXYZResult | None = None
    pareto: ParetoResult | None = None
    cross_check: CrossCheckResult | None = None
    value: ValueJoinResult | None = None
    stats: list[QuestionStat] = Field(default_factory=list)  # per segment and closed question
    themes: ThemeResult | None = None  # filled by the stage when a store with vectors is given
    lineage: Lineage | None = None  # what became of the previous analysis's segments and themes
    warnings: list[AnalysisWarning] = Field(default_factory=list)



class AnalysisRun(_Frozen):
    """What `analyze_folder` did: the result, the files written and the evidence ids stored."""

    result: AnalysisResult
    files: list[str]
    evidence_ids: list[str]
    inputs: dict[str, str]  # role → relative path of the file used
    read_errors: list[str] = Field(default_factory=list)


def count_text(number: int, noun: str) -> str:
    """"1 customer", "1,204 customers": the wording of counts in warnings and the report."""
    return f"{number:,} {noun}" + ("" if number == 1 else "s")
