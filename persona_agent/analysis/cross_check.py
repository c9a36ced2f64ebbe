"""Analytics cross-check: does the survey look like the audience the analytics export sees?

Age, gender, location and device shares are compared category by category after mapping both
sides to shared labels ("25 – 34 år" and "25-34", "Kvinne" and "female").
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from persona_agent.analysis.models import CategoryComparison, CrossCheckResult, DimensionCheck
from persona_agent.analysis.parsing import answer_text, header_key, parse_amounts
from persona_agent.analysis.segments import question_dimension

CROSS_CHECK_DIMENSIONS = ("age", "gender", "location", "device")
_WEIGHT_NAMES = ("users", "active_users", "total_users", "new_users", "sessions", "visitors",
                 "count", "brukere", "brugere", "gebruikers", "bezoekers", "besøkende", "økter",
                 "sessioner", "sessies")
_LABEL_SYNONYMS: dict[str, dict[str, str]] = {
    "gender": {
        **dict.fromkeys(("f", "female", "woman", "women", "kvinne", "kvinde", "vrouw", "dame",
                         "kvinna"), "female"),
        **dict.fromkeys(("m", "male", "man", "men", "mann", "mand", "heer", "herre"), "male"),
        **dict.fromkeys(("non-binary", "nonbinary", "other", "annet", "andet", "anders",
                         "ikke-binær", "non-binair"), "other"),
    },
    "device": {
        **dict.fromkeys(("mobile", "mobil", "smartphone", "phone", "telefon", "mobiel",
                         "telefoon", "mobiltelefon"), "mobile"),
        **dict.fromkeys(("desktop", "pc", "computer", "laptop", "datamaskin", "bærbar",
                         "stationær", "computer/laptop"), "desktop"),
        **dict.fromkeys(("tablet", "nettbrett", "ipad"), "tablet"),
    },
}
_UNKNOWN_LABELS = {"unknown", "(not set)", "not set", "prefer not to say", "vil ikke oppgi",
                   "ønsker ikke at oplyse", "zeg ik liever niet", "other/unknown"}
_STANDARD_AGE_BANDS = ("18-24", "25-34", "35-44", "45-54", "55-64", "65+")


def cross_check(
    survey: pd.DataFrame, audience: pd.DataFrame, *, threshold: float = 0.10
) -> CrossCheckResult:
    """Compare the survey's age/gender/location/device shares with an analytics audience export.

    The export may hold one row per user or one row per group with a users/sessions count. A
    category disagrees when the shares differ by at least ``threshold`` (10 percentage points).
    """
    weight_column = next((str(c) for c in audience.columns
                          if header_key(c) in _WEIGHT_NAMES), None)
    weights = (parse_amounts(audience[weight_column]).fillna(0) if weight_column
               else pd.Series(1.0, index=audience.index))
    audience_columns = [c for c in audience.columns if str(c) != weight_column]
    checks: list[DimensionCheck] = []
    not_compared: dict[str, str] = {}
    for dimension in CROSS_CHECK_DIMENSIONS:
        survey_question = next((str(q) for q in survey.columns if question_dimension(q) == dimension), None)
        audience_column = next((c for c in audience_columns if question_dimension(c) == dimension), None)
        if survey_question is None or audience_column is None:
            missing = "the survey does not ask it" if survey_question is None else "the export lacks it"
            not_compared[dimension] = missing
            continue
        audience_labels = _canonical_labels(audience[audience_column], dimension)
        survey_values = survey[survey_question]
        if dimension == "age" and pd.api.types.is_numeric_dtype(survey_values):
            survey_labels = _age_bands(survey_values, audience_labels)
        else:
            survey_labels = _canonical_labels(survey_values, dimension)
        survey_share = survey_labels.value_counts(normalize=True)
        audience_counts = weights.groupby(audience_labels.to_numpy()).sum()
        if survey_share.empty or audience_counts.sum() <= 0:
            not_compared[dimension] = "no usable answers on one side"
            continue
        table = pd.concat(
            [survey_share.rename("survey"), (audience_counts / audience_counts.sum()).rename("audience")],
            axis=1,
        ).fillna(0.0)
        table.index = table.index.astype("string")
        table = table.sort_index()
        gap = (table["survey"] - table["audience"]).abs()
        rows = {label: CategoryComparison(category=label, survey_share=float(row.survey),
                                          audience_share=float(row.audience))
                for label, row in table.iterrows()}
        largest = table.max(axis=1).sort_values(ascending=False, kind="stable").index[:12]
        checks.append(DimensionCheck(
            dimension=dimension, survey_question=survey_question, audience_column=str(audience_column),
            survey_answers=int(survey_labels.notna().sum()), audience_total=float(audience_counts.sum()),
            categories=[rows[label] for label in largest],
            disagreements=[rows[label] for label in
                           gap[gap >= threshold].sort_values(ascending=False, kind="stable").index],
            total_variation=float(gap.sum() / 2),
        ))
    return CrossCheckResult(threshold=threshold, audience_weight_column=weight_column,
                            dimensions=checks, not_compared=not_compared)


def _canonical_labels(values: pd.Series, dimension: str) -> pd.Series:
    """Labels both sides can share: "25 – 34 år" → "25-34", "Kvinne" → "female"."""
    text = answer_text(values).str.casefold()
    text = text.str.replace(r"[–—−]", "-", regex=True).str.replace(r"\s*-\s*", "-", regex=True)
    text = text.str.replace(r"^(\d+)\s*(?:to|til|tot)\s*(\d+)", r"\1-\2", regex=True)
    text = text.str.replace(r"\s*(?:år|jaar|years?|yrs)\.?$", "", regex=True)
    text = text.str.replace(r"\s*\+$", "+", regex=True)
    if dimension in _LABEL_SYNONYMS:
        text = text.replace(_LABEL_SYNONYMS[dimension])
    return text.mask(text.isin(_UNKNOWN_LABELS))


def _age_bands(ages: pd.Series, audience_labels: pd.Series) -> pd.Series:
    """Put numeric survey ages into the export's bands (or the usual 18-24 … 65+)."""
    labels = [str(label) for label in audience_labels.dropna().unique()]
    bands = [label for label in labels if re.fullmatch(r"\d+-\d+|\d+\+", label)]
    banded = pd.Series(pd.NA, index=ages.index, dtype="string")
    for band in sorted(bands or _STANDARD_AGE_BANDS):
        low, _, high = band.rstrip("+").partition("-")
        inside = (ages >= int(low)) & (ages <= (int(high) if high else np.inf))
        banded = banded.mask(inside & banded.isna(), band)
    return banded
