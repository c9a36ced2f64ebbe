"""Value per segment: survey respondents who are also customers, joined by customer id.

A survey that asks for a customer id (e.g. "Customer ID", "Kunde-ID") lets each segment show
its RFM groups, ABC classes and revenue; ids are compared trimmed, case-folded and without
leading zeros.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from persona_agent.analysis.models import (
    ABCXYZResult,
    RFMResult,
    SegmentationResult,
    SegmentValue,
    ValueJoinResult,
)
from persona_agent.analysis.parsing import clean_ids, find_column


def split_customer_ids(survey: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series | None]:
    """Take a customer id column (e.g. "Customer ID", "Kunde-ID") out of the survey answers."""
    column = find_column(survey.columns, "customer_id")
    if column is None:
        return survey, None
    return survey.drop(columns=[column]), survey[column]


def customer_key(ids: pd.Series) -> pd.Series:
    """Ids as compared across files: trimmed, case-folded, leading zeros of numbers dropped."""
    keys = clean_ids(ids).str.casefold()
    return keys.str.replace(r"^0+(\d+)$", r"\1", regex=True)


def join_value(
    segmentation: SegmentationResult,
    rfm_result: RFMResult | None,
    abc_result: ABCXYZResult | None,
    survey_customer_ids: pd.Series,
) -> ValueJoinResult:
    """Attach RFM groups, ABC classes and revenue to segments through a shared customer id."""
    keys = customer_key(survey_customer_ids)
    keys.index = pd.Index(survey_customer_ids.index.astype("string"))
    with_id = int(keys.notna().sum())
    parts = []
    if rfm_result is not None:
        parts.append(rfm_result.customers[["monetary", "rfm_group"]].rename(
            columns={"monetary": "revenue"}))
    if abc_result is not None:
        parts.append(abc_result.customers[["abc"] if parts else ["abc", "revenue"]])
    labels = pd.concat(parts, axis=1) if parts else pd.DataFrame(columns=["revenue"])
    labels.index = customer_key(labels.index.to_series()).to_numpy()
    segments = segmentation.segments
    members = pd.Series(
        np.repeat([s.segment_id for s in segments], [s.size for s in segments]),
        index=pd.Index(np.concatenate([s.respondent_ids for s in segments]), dtype="string"),
    )
    frame = pd.DataFrame({"segment": members, "key": keys.reindex(members.index)})
    frame = frame.join(labels, on="key")
    matched = frame["revenue"].notna()
    if with_id == 0 or not matched.any():
        message = ("the survey has no customer ids, so segments cannot be joined to transactions"
                   if with_id == 0 else
                   f"none of the {with_id} survey customer ids matches a customer in the transactions "
                   f"(survey ids like {', '.join(keys.dropna().head(2))}; transaction ids like "
                   f"{', '.join(map(str, labels.index[:2]))})")
        return ValueJoinResult(joinable=False, respondents_with_customer_id=with_id, matched=0,
                               message=message, segments=[])
    joined = frame[matched]
    shares = {
        column: pd.crosstab(joined["segment"], joined[column], normalize="index")
        for column in ("rfm_group", "abc") if column in joined.columns
    }
    revenue = joined.groupby("segment")["revenue"].agg(["size", "sum", "mean"])
    sizes = members.value_counts()
    values = [
        SegmentValue(
            segment_id=s.segment_id, respondents=int(sizes[s.segment_id]),
            joined=int(revenue["size"].get(s.segment_id, 0)),
            revenue=float(revenue["sum"].get(s.segment_id, 0.0)),
            mean_revenue=float(revenue["mean"].get(s.segment_id, 0.0)),
            rfm_groups=_share_row(shares.get("rfm_group"), s.segment_id),
            abc_classes=_share_row(shares.get("abc"), s.segment_id),
        )
        for s in segmentation.segments
    ]
    return ValueJoinResult(
        joinable=True, respondents_with_customer_id=with_id, matched=int(matched.sum()),
        message=f"{int(matched.sum())} of {with_id} survey customer ids match a customer",
        segments=values,
    )


def _share_row(table: pd.DataFrame | None, segment_id: str) -> dict[str, float]:
    if table is None or segment_id not in table.index:
        return {}
    row = table.loc[segment_id]
    return {str(label): float(share) for label, share in row[row > 0].sort_values(
        ascending=False, kind="stable").items()}
